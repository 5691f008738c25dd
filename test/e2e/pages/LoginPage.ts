import { expect, type Page } from '@playwright/test';

export class LoginPage {
  constructor(readonly page: Page) {}

  async goto(path = '/'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.locator('form.login-card')).toBeVisible();
  }

  async language(lang: 'sv' | 'fi'): Promise<void> {
    await this.page.locator('.login-head').getByRole('button', { name: lang.toUpperCase(), exact: true }).click();
  }

  async submit(email: string, password: string): Promise<void> {
    await this.page.locator('input[name=email]').fill(email);
    await this.page.locator('input[name=password]').fill(password);
    await this.page.locator('button[type=submit]').click();
  }

  error() {
    return this.page.getByRole('alert');
  }
}
