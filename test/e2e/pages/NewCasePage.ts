import { expect, type Locator, type Page } from '@playwright/test';

export class NewCasePage {
  readonly form: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByTestId('new-case-form');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('queue-count').click();
    await this.page.keyboard.press('n');
    await expect(this.form).toBeVisible();
  }

  async chooseCustomer(query: string): Promise<void> {
    await this.page.getByTestId('customer-search').fill(query);
    await this.page.getByTestId('customer-hits').locator('button').first().click();
    await expect(this.page.getByTestId('chosen-customer')).toBeVisible();
  }

  async fill(fields: { title: string; description?: string; category?: string; module?: string }): Promise<void> {
    if (fields.category) await this.page.getByTestId('new-category').selectOption(fields.category);
    if (fields.module) await this.page.getByTestId('new-module').selectOption(fields.module);
    await this.page.getByTestId('new-title').fill(fields.title);
    if (fields.description) await this.page.getByTestId('new-description').fill(fields.description);
  }

  async submit(): Promise<void> {
    await this.page.getByTestId('new-submit').click();
  }
}
