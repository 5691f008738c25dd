import { expect, type Locator, type Page } from '@playwright/test';

export class CasePage {
  readonly root: Locator;
  readonly status: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('case-detail');
    this.status = page.getByTestId('case-status');
  }

  async expectNumber(n: number): Promise<void> {
    await expect(this.root).toHaveAttribute('data-number', String(n));
  }

  async transition(to: string): Promise<void> {
    await this.page.getByTestId(`transition-${to}`).click();
  }

  async editTitle(title: string): Promise<void> {
    await this.page.getByTestId('edit-open').click();
    await this.page.getByTestId('edit-title').fill(title);
    await this.page.getByTestId('edit-save').click();
  }

  async addNote(text: string): Promise<void> {
    await this.page.getByTestId('note-input').fill(text);
    await this.page.getByTestId('note-submit').click();
  }

  pending(): Locator {
    return this.page.getByTestId('case-pending');
  }

  /** Waits until no edit of this case is on its way any more. */
  async expectSynced(): Promise<void> {
    await expect(this.pending()).toHaveCount(0, { timeout: 15_000 });
  }

  async back(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await expect(this.root).toHaveCount(0);
  }
}
