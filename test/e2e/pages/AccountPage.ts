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
