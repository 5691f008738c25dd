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

/**
 * The switch's call ids of the calls a page's live sockets have received, in order: a socket
 * delivers in order, so a later call that arrived proves an earlier one did not.
 */
export function callsHeardBy(page: Page): string[] {
  const heard: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload !== 'string') return;
      try {
        const message = JSON.parse(payload) as { type?: string; call?: { callId?: string } };
        if (message.type === 'call' && message.call?.callId) heard.push(message.call.callId);
      } catch {
        // Not JSON: not a call.
      }
    }),
  );
  return heard;
}

/** A second, separate browser profile (another specialist's desk); `before` sees its page before the login. */
export async function otherDesk(
  browser: Browser,
  email: string,
  lang: 'sv' | 'fi' = 'sv',
  before: (page: Page) => void = () => undefined,
): Promise<{ page: Page; desk: DeskPage; close: () => Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  before(page);
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
