import { expect, type Locator, type Page } from '@playwright/test';

/** The desk after login: top bar, banners, and the queue. */
export class DeskPage {
  readonly queue: Locator;
  readonly rows: Locator;
  readonly lookupInput: Locator;
  readonly connection: Locator;
  readonly callBanner: Locator;

  constructor(readonly page: Page) {
    this.queue = page.getByTestId('queue');
    this.rows = page.getByTestId('queue-row');
    this.lookupInput = page.getByTestId('lookup');
    this.connection = page.getByTestId('connection');
    this.callBanner = page.getByTestId('call-banner');
  }

  /** Logged in, the first sync done, the queue on screen. */
  async ready(): Promise<void> {
    await expect(this.queue).toBeVisible({ timeout: 20_000 });
    await expect(this.page.getByTestId('bootstrap-progress')).toHaveCount(0, { timeout: 30_000 });
    await expect(this.rows.first()).toBeVisible();
  }

  async team(choice: '1' | '2' | 'both'): Promise<void> {
    await this.page.getByTestId('team-switch').locator(`button[data-team="${choice}"]`).click();
  }

  async teamCount(choice: '1' | '2' | 'both'): Promise<number> {
    return Number(await this.page.getByTestId(`team-count-${choice}`).innerText());
  }

  async queueCount(): Promise<number> {
    return Number((await this.page.getByTestId('queue-count').innerText()).replace(/\D/g, ''));
  }

  async view(name: 'all' | 'mine' | 'unassigned' | 'bugs12' | 'breached'): Promise<void> {
    await this.page.getByTestId(`view-${name}`).click();
  }

  async filter(name: 'category' | 'status' | 'level' | 'assignee' | 'module' | 'office', value: string): Promise<void> {
    await this.page.getByTestId(`filter-${name}`).selectOption(value);
  }

  /** The numbers of the rows on screen, top to bottom. */
  async visibleNumbers(): Promise<number[]> {
    const rows = await this.rows.evaluateAll((els) =>
      els.map((el) => ({ n: Number(el.getAttribute('data-number')), top: el.getBoundingClientRect().top })),
    );
    return rows.sort((a, b) => a.top - b.top).map((r) => r.n);
  }

  /** Types a case number the way a specialist does mid-call: no click first. */
  async typeNumber(text: string): Promise<void> {
    await this.page.getByTestId('queue-count').click();
    await this.page.keyboard.type(text);
  }

  async lookup(text: string): Promise<void> {
    await this.page.keyboard.press('Control+k');
    await this.lookupInput.fill(text);
    await this.lookupInput.press('Enter');
  }

  pendingCount(): Locator {
    return this.page.getByTestId('pending-count');
  }

  async expectOnline(): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-state', 'online');
  }

  async expectOffline(): Promise<void> {
    await expect(this.connection).toHaveAttribute('data-state', 'offline');
  }
}
