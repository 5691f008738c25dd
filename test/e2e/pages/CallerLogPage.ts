import { expect, type Locator, type Page } from '@playwright/test';

/** The caller log (`l`): my teams' calls, missed ones waiting first. */
export class CallerLogPage {
  readonly root: Locator;
  readonly button: Locator;
  readonly badge: Locator;
  readonly missedRows: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('caller-log');
    this.button = page.getByTestId('call-log-button');
    this.badge = page.getByTestId('missed-badge');
    this.missedRows = page.getByTestId('missed-calls').getByTestId('call-row');
  }

  /** Opened by its key, as a specialist would. */
  async open(): Promise<void> {
    await this.page.keyboard.press('l');
    await expect(this.root).toBeVisible();
  }

  /** The row of a call, by the server's call id. */
  row(callId: string): Locator {
    return this.root.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
  }

  /** The missed-call count on the top bar's button (0 when no badge). */
  async missedCount(): Promise<number> {
    return (await this.badge.count()) === 0 ? 0 : Number(await this.badge.innerText());
  }

  /** Moves the keyboard cursor down to the call's row (j), from the top. */
  async cursorTo(callId: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await this.row(callId).getAttribute('aria-current')) === 'true') return;
      await this.page.keyboard.press('j');
    }
    throw new Error(`the cursor never reached call ${callId}`);
  }
}
