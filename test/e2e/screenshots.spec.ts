/**
 * The main screens in Finnish and Swedish, kept as artifacts in test-results/screenshots/ (and
 * looked at by a person: layout, words, overflow).
 */
import { randomUUID } from 'node:crypto';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { LoginPage } from './pages/LoginPage';
import { NewCasePage } from './pages/NewCasePage';

const DIR = 'test-results/screenshots';

for (const lang of ['fi', 'sv'] as const) {
  test(`screens in ${lang}`, async ({ page, context, server }) => {
    const shot = (name: string) => page.screenshot({ path: `${DIR}/${lang}-${name}.png` });
    const login = new LoginPage(page);
    await login.goto(server.url);
    await login.language(lang);
    await shot('login');

    const desk = await loginAs(page, server.team1[lang === 'fi' ? 1 : 0]!, lang);
    await desk.team('both');
    await shot('queue');

    const detail = new CasePage(page);
    await desk.lookup(String(server.fixtures.bugTeam1));
    await expect(detail.root).toBeVisible();
    // The full SLA state fills in right after the first paint.
    await expect(page.getByTestId('sla-panel').locator('dd').first()).not.toHaveText('…');
    await shot('case');
    await detail.back();

    const api = await ServerApi.login(server.leadEmail);
    const caller = server.fixtures.callerTeam1;
    await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345002', direction: 'in', callId: randomUUID(), queue: 'hantverk' });
    await expect(desk.callBanner).toBeVisible();
    await shot('call');
    await page.keyboard.press('x');

    const form = new NewCasePage(page);
    await form.open();
    await form.chooseCustomer(server.fixtures.customerTeam1);
    await form.fill({ title: lang === 'fi' ? 'Palkka-ajo pysähtyy' : 'Lönekörningen stannar', category: 'bug' });
    await shot('new-case');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: lang === 'fi' ? 'Peruuta' : 'Avbryt' }).click();

    await context.setOffline(true);
    await desk.expectOffline();
    await shot('offline');
    await context.setOffline(false);
    await desk.expectOnline();
  });
}
