import { expect, type Locator, type Page } from '@playwright/test';

/** "My account", opened from the top bar. */
export class AccountPage {
  readonly root: Locator;
  readonly password: Locator;
  readonly twoFactor: Locator;
  readonly sessions: Locator;
  readonly reset: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('account');
    this.password = page.getByTestId('change-password');
    this.twoFactor = page.getByTestId('two-factor');
    this.sessions = page.getByTestId('sessions');
    this.reset = page.getByTestId('reset-colleague');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('account-button').click();
    await expect(this.root).toBeVisible();
    await expect(this.sessions.locator('tbody tr').first()).toBeVisible();
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.password.locator('input[name=current-password]').fill(current);
    await this.password.locator('input[name=new-password]').fill(next);
    await this.password.locator('input[name=repeat-password]').fill(next);
    await this.password.locator('button[type=submit]').press('Enter');
  }
}

/**
 * A light accessibility check of what is on screen (no axe-core in this repository): every
 * form control, button and image has an accessible name, ids are unique, and alerts are
 * announced. Answers the problems found.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const nameOf = (el: Element): string => {
      const aria = el.getAttribute('aria-label') ?? '';
      if (aria.trim()) return aria;
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) return labelledBy.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      if (el instanceof HTMLImageElement) return el.alt;
      if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
        return [...(el.labels ?? [])].map((l) => l.textContent ?? '').join(' ');
      }
      return el.textContent ?? '';
    };
    for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea, button, img, [role=button]')) {
      if ((el as HTMLElement).offsetParent === null && el.tagName !== 'IMG') continue;
      if (!nameOf(el).trim()) problems.push(`no accessible name: ${el.outerHTML.slice(0, 120)}`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    for (const id of new Set(ids)) if (ids.filter((x) => x === id).length > 1) problems.push(`duplicate id: ${id}`);
    for (const el of document.querySelectorAll('[aria-describedby]')) {
      for (const id of (el.getAttribute('aria-describedby') ?? '').split(/\s+/)) if (!document.getElementById(id)) problems.push(`aria-describedby to a missing id: ${id}`);
    }
    if (!document.querySelector('h1, h2')) problems.push('no heading');
    return problems;
  });
}
