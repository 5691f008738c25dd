import { expect, type Locator, type Page } from '@playwright/test';

/** A customer's history: in the case (`case-history`) or in the call banner (`call-history`). */
export class HistoryList {
  readonly root: Locator;
  readonly items: Locator;

  constructor(
    readonly page: Page,
    testId: 'case-history' | 'call-history',
  ) {
    this.root = page.getByTestId(testId);
    this.items = this.root.getByTestId('history-item');
  }

  /** The case numbers listed, top to bottom. */
  async numbers(): Promise<number[]> {
    return (await this.items.evaluateAll((els) => els.map((el) => el.getAttribute('data-number')))).map(Number);
  }

  /** `h`, then down the list by key to case `n` (alternating j and ↓), then Enter. */
  async openByKey(n: number): Promise<void> {
    const at = (await this.numbers()).indexOf(n);
    expect(at, `case ${n} in the history`).toBeGreaterThanOrEqual(0);
    await this.page.keyboard.press('h');
    await expect(this.items.first()).toBeFocused();
    for (let i = 0; i < at; i++) await this.page.keyboard.press(i % 2 ? 'ArrowDown' : 'j');
    await expect(this.items.nth(at)).toBeFocused();
    await this.page.keyboard.press('Enter');
  }
}
