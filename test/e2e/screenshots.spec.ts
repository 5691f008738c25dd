/**
 * The main screens in Finnish and Swedish, kept as artifacts in test-results/screenshots/ (and
 * looked at by a person: layout, words, overflow), each checked with axe-core (WCAG 2.2 AA), in
 * the light theme and, for the queue and a case, in the dark one the system asks for.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from '@playwright/test';
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { LoginPage } from './pages/LoginPage';
import { NewCasePage } from './pages/NewCasePage';

const DIR = 'test-results/screenshots';

for (const lang of ['fi', 'sv'] as const) {
  test(`screens in ${lang}`, async ({ page, context, server }) => {
    test.setTimeout(900_000);
    const shot = (name: string) => page.screenshot({ path: `${DIR}/${lang}-${name}.png` });
    const check = async (name: string, screenshot = true, only?: string) => {
      if (screenshot) await shot(name);
      await expectAccessible(page, `${lang}-${name}`, { only });
    };
    const login = new LoginPage(page);
    await login.goto(server.url);
    await login.language(lang);
    await check('login');

    const desk = await loginAs(page, server.team1[lang === 'fi' ? 1 : 0]!, lang);
    await desk.team('both');
    await check('queue');
    for (const view of ['mine', 'unassigned', 'bugs12', 'breached'] as const) {
      await desk.view(view);
      await expect(page.getByTestId(`view-${view}`)).toHaveAttribute('aria-pressed', 'true');
      await check(`queue-${view}`, false, '.queue');
    }
    await desk.view('all');

    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts')).toBeVisible();
    await check('shortcuts');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts')).toHaveCount(0);

    const detail = new CasePage(page);
    await desk.lookup(String(server.fixtures.bugTeam1));
    await expect(detail.root).toBeVisible();
    // The full SLA state fills in right after the first paint.
    await expect(page.getByTestId('sla-panel').locator('dd').first()).not.toHaveText('…');
    await check('case');
    // Its panels opened: fields, transfer, support login (assign, flow and billing show as they are).
    await page.getByTestId('edit-open').click();
    await expect(page.getByTestId('edit-title')).toBeVisible();
    await check('case-fields', false);
    await page.getByTestId('edit-title').press('Escape');
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // The transfer form, where this desk may transfer; a colleague's case says it stays theirs.
    const transfer = page.getByTestId('transfer-open').or(page.getByTestId('transfer-held'));
    await expect(transfer).toBeVisible();
    if ((await transfer.getAttribute('data-testid')) === 'transfer-open') {
      await transfer.click();
      await expect(page.getByTestId('transfer-reason')).toBeVisible();
      await check('case-transfer', false);
      await page.getByTestId('transfer-reason').press('Escape');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    } else await check('case-transfer-held', false);
    await openGrantForm(page);
    await check('case-grant', false);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await detail.back();

    // An order awaiting billing: the billing panel and the flow's refusal.
    await desk.lookup(String(server.fixtures.orderAwaitingBilling));
    await expect(detail.root).toBeVisible();
    // Awaiting billing, or already informed if case.spec ran first on the shared server.
    await expect(page.getByTestId('mark-billing').or(page.getByTestId('billing-informed'))).toBeVisible();
    await check('case-order');
    await detail.back();

    const api = await ServerApi.login(server.leadEmail);
    const caller = server.fixtures.callerTeam1;
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345002', direction: 'in', callId: randomUUID(), queue: 'hantverk' });
    await expect(desk.callBanner).toBeVisible();
    await check('call');
    await page.keyboard.press('x');

    const form = new NewCasePage(page);
    await form.open();
    await form.chooseCustomer(server.fixtures.customerTeam1);
    await form.fill({ title: lang === 'fi' ? 'Palkka-ajo pysähtyy' : 'Lönekörningen stannar', category: 'bug' });
    await check('new-case');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: lang === 'fi' ? 'Peruuta' : 'Avbryt' }).click();

    await page.getByTestId('account-button').click();
    await expect(page.getByTestId('account')).toBeVisible();
    await check('my-account');
    await page.locator('.topbar .brand').click();
    await expect(desk.queue).toBeVisible();

    await context.setOffline(true);
    await desk.expectOffline();
    await check('offline');
    await context.setOffline(false);
    await desk.expectOnline();

    // The dark theme the system asks for: the queue and a case.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(desk.queue).toBeVisible();
    await check('dark-queue');
    await desk.lookup(String(server.fixtures.bugTeam1));
    await expect(page.getByTestId('sla-panel').locator('dd').first()).not.toHaveText('…');
    await check('dark-case');
    await detail.back();
    await page.keyboard.press('?');
    await check('dark-shortcuts', false);
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });
  });
}

async function openGrantForm(page: Page): Promise<void> {
  const panel = page.getByTestId('grant-panel');
  const record = panel.locator('button.ghost').last();
  if (await record.isEnabled()) {
    await record.click();
    await expect(panel.locator('form')).toBeVisible();
  }
}
