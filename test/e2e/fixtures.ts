/** The e2e test object: the running server's facts, and logging in as someone. */
import { test as base, type Browser, type Page } from '@playwright/test';
import { CasePage } from './pages/CasePage';
import { DeskPage } from './pages/DeskPage';
import { LoginPage } from './pages/LoginPage';
import { e2eServer, type E2eServer } from './env';

export async function loginAs(page: Page, email: string, lang: 'sv' | 'fi' = 'sv'): Promise<DeskPage> {
  const server = e2eServer();
  const login = new LoginPage(page);
  await login.goto(server.url);
  await login.language(lang);
  await login.submit(email, server.password);
  const desk = new DeskPage(page);
  await desk.ready();
  return desk;
}

/** A second, separate browser profile (another specialist's desk). */
export async function otherDesk(browser: Browser, email: string, lang: 'sv' | 'fi' = 'sv'): Promise<{ page: Page; desk: DeskPage; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const desk = await loginAs(page, email, lang);
  return { page, desk, close: () => context.close() };
}

export const test = base.extend<{ server: E2eServer; casePage: CasePage }>({
  // eslint-disable-next-line no-empty-pattern
  server: async ({}, use) => {
    await use(e2eServer());
  },
  casePage: async ({ page }, use) => {
    await use(new CasePage(page));
  },
});

export { expect } from '@playwright/test';
