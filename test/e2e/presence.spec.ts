/**
 * Presence between two desks, in Swedish and in Finnish: one desk opens a case and the other
 * sees it in the queue row, then sees "… is writing" and, opening the case itself, a notice
 * before any edit could clash; when the first leaves, it is gone. An answered call pops on the
 * answering desk only, while the other desk shows who answered. And the extension in My account.
 */
import { randomUUID } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { MeResponseSchema, ROUTES } from '../../shared/index';
import { api, login, request } from '../support/http';
import { expectAccessible } from './a11y';
import { e2eServer, ServerApi } from './env';
import { expect, loginAs, otherDesk, test } from './fixtures';
import { AccountPage } from './pages/AccountPage';
import { CasePage } from './pages/CasePage';
import { LoginPage } from './pages/LoginPage';

const DIR = 'test-results/screenshots';

const WORDS = {
  sv: { viewing: 'tittar på ärendet', writing: 'skriver i ärendet', already: 'skriver redan i det här ärendet', answeredBy: 'Besvarat av', taken: 'En annan aktiv specialist har redan den anknytningen.', field: 'anknytning', saved: 'Anknytningen är sparad.' },
  fi: { viewing: 'katsoo asiaa', writing: 'kirjoittaa asiaan', already: 'kirjoittaa jo tähän asiaan', answeredBy: 'Vastasi:', taken: 'Toisella aktiivisella asiantuntijalla on jo tämä alanumero.', field: 'alanumero', saved: 'Alanumero on tallennettu.' },
} as const;

/** The name and extension of a demo specialist, as the server has them. */
async function profileOf(email: string): Promise<{ name: string; extension: string }> {
  const s = e2eServer();
  const reply = await api(s, await login(s.url, email, s.password)).get(ROUTES.me);
  const { specialist } = MeResponseSchema.parse(reply.body);
  if (!specialist.extension) throw new Error(`${email} has no extension in the demo data`);
  return { name: specialist.name, extension: specialist.extension };
}

/**
 * axe-core (WCAG 2.2 AA) on the parts this feature adds to the queue screen. The queue's own
 * grid (its header row outside the grid) fails axe before this feature and is fixed apart, so a
 * whole-page check of the queue screen would test that, not this.
 */
async function expectAccessibleParts(page: Page, screen: string, selectors: string[]): Promise<void> {
  let axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']);
  for (const s of selectors) axe = axe.include(s);
  const { violations } = await axe.analyze();
  const found = violations.flatMap((v) => v.nodes.map((node) => `${v.id} (${v.impact ?? 'n/a'}): ${node.target.join(' ')} — ${node.failureSummary ?? v.help}`));
  expect(found, `accessibility violations on ${screen}`).toEqual([]);
}

const rowOf = (page: Page, n: number) => page.locator(`[data-testid="queue-row"][data-number="${n}"]`);

for (const lang of ['sv', 'fi'] as const) {
  const w = WORDS[lang];
  // Two desks and a 2,000-case demo on a shared machine.
  test.describe.configure({ timeout: 120_000 });

  test(`${lang}: two desks see each other's presence on a case: viewing, then writing, then gone`, async ({ page, browser, server }) => {
    const [emailA, emailB] = [server.team1[0]!, server.team1[1]!];
    const a = await profileOf(emailA);
    const deskA = await loginAs(page, emailA, lang);
    const other = await otherDesk(browser, emailB, lang);
    try {
      const deskB = other.desk;
      const pageB = other.page;
      // A case at the top of B's queue, so B sees its row without scrolling.
      const n = (await deskB.visibleNumbers())[0]!;
      await deskA.lookup(String(n));
      const caseA = new CasePage(page);
      await caseA.expectNumber(n);

      // B's queue row shows A's initials, named for screen readers.
      const badge = rowOf(pageB, n).getByTestId('presence-badge');
      // (A may still be on a call from an earlier test: "(on a call)" may follow.)
      await expect(badge).toHaveAccessibleName(new RegExp(`^${a.name} ${w.viewing}`));
      await expect(badge).toHaveAttribute('data-editing', 'false');
      await expectAccessibleParts(pageB, `${lang} queue with presence`, [`[data-testid="queue-row"][data-number="${n}"]`]);
      await pageB.screenshot({ path: `${DIR}/${lang}-queue-presence.png` });

      // A starts a note: B's row says A is writing.
      await page.keyboard.press('m');
      await page.keyboard.type('Ringer tillbaka');
      await expect(badge).toHaveAttribute('data-editing', 'true');
      await expect(badge).toHaveAccessibleName(new RegExp(`^${a.name} ${w.writing}`));

      // B opens the case: the header says so at once, before B changes anything.
      await rowOf(pageB, n).locator('.num button').click();
      const caseB = new CasePage(pageB);
      await caseB.expectNumber(n);
      await expect(pageB.getByTestId('case-presence')).toContainText(`${a.name} ${w.writing}`);
      await expect(pageB.getByTestId('presence-notice')).toContainText(`${a.name} ${w.already}`);
      await expect(pageB.getByTestId('presence-notice')).toHaveAttribute('aria-live', 'polite');
      // And A sees B viewing.
      await expect(page.getByTestId('case-presence')).toContainText(w.viewing);
      await pageB.screenshot({ path: `${DIR}/${lang}-case-presence.png` });
      await expectAccessible(pageB, `${lang} case with presence`);

      // A leaves the note field (Esc): no longer writing, still viewing; then leaves the case: gone.
      await page.keyboard.press('Escape');
      await expect(pageB.getByTestId('case-presence')).toContainText(`${a.name} ${w.viewing}`);
      await expect(pageB.getByTestId('presence-notice')).toHaveText('');
      await page.keyboard.press('Escape');
      await expect(caseA.root).toHaveCount(0);
      await expect(pageB.getByTestId('case-presence')).toHaveCount(0);
      await expect(pageB.getByTestId('presence-notice')).toHaveText('');
      // B leaves too: A's queue row has no badge of B.
      await pageB.keyboard.press('Escape');
      await expect(caseB.root).toHaveCount(0);
      await expect(rowOf(page, n).getByTestId('presence-badge')).toHaveCount(0);
    } finally {
      await other.close();
    }
  });

  test(`${lang}: an answered call pops only on the answering desk; the other shows who answered`, async ({ page, browser, server }) => {
    const [emailA, emailB] = [server.team1[0]!, server.team1[1]!];
    const a = await profileOf(emailA);
    const cti = await ServerApi.login(server.leadEmail);
    const caller = server.fixtures.callerTeam1;
    const callId = randomUUID();
    const call = { from: caller.phone, to: '+46812345001', direction: 'in', callId, queue: 'hantverk' };
    const deskA = await loginAs(page, emailA, lang);
    const other = await otherDesk(browser, emailB, lang);
    try {
      await cti.cti({ ...call, event: 'newCall' });
      // Ringing: the team sees it, as before.
      await expect(deskA.callBanner).toHaveAttribute('data-state', 'ringing');
      await expect(other.desk.callBanner).toHaveAttribute('data-state', 'ringing');

      // A answers at their extension: the pop (caller, entitlement) is A's alone.
      await cti.cti({ ...call, event: 'answer', answeringNumber: a.extension });
      await expect(deskA.callBanner).toHaveAttribute('data-state', 'answered');
      await expect(page.getByTestId('call-contact')).toHaveText(caller.contactName);
      await expect(other.desk.callBanner).toHaveCount(0);
      const answeredBy = other.page.getByTestId('call-answered-by');
      await expect(answeredBy).toContainText(`${w.answeredBy} ${a.name}`);
      await expect(other.page.getByTestId('call-contact')).toHaveCount(0);
      await other.page.screenshot({ path: `${DIR}/${lang}-call-answered-by.png` });
      await expectAccessibleParts(other.page, `${lang} answered by a colleague`, ['[data-testid="call-answered-by"]']);

      // Hung up: A's banner says so, and the other desk's notice goes.
      await cti.cti({ ...call, event: 'hangup', cause: 'normalClearing' });
      await expect(deskA.callBanner).toHaveAttribute('data-state', 'ended');
      await expect(answeredBy).toHaveCount(0);
      await page.keyboard.press('x');
    } finally {
      // Whatever failed, the call ends (a repeated hangup changes nothing): nobody stays "on a call".
      await cti.cti({ ...call, event: 'hangup', cause: 'normalClearing' });
      await other.close();
    }
  });

  test(`${lang}: a specialist sets their extension in My account; one taken is refused in their language`, async ({ page }) => {
    const s = e2eServer();
    const email = `ext-${randomUUID().slice(0, 8)}@softone.${lang === 'fi' ? 'fi' : 'se'}`;
    const password = `Tunturi-${randomUUID().slice(0, 6)}-Fjäll`;
    const created = await request(s.url, 'POST', ROUTES.specialists, {
      token: s.admin.token,
      json: { email, name: lang === 'fi' ? 'Testi Alanumero' : 'Test Anknytning', role: 'specialist', teams: [1], office: lang === 'fi' ? 'FI' : 'SE', language: lang, password },
    });
    expect(created.status).toBe(201);
    const taken = (await profileOf(s.team1[0]!)).extension;
    const form = new LoginPage(page);
    await form.goto(s.url);
    await form.language(lang);
    await form.submit(email, password);
    await expect(page.getByTestId('queue')).toBeVisible({ timeout: 20_000 });
    const account = new AccountPage(page);
    await account.open();
    const section = page.getByTestId('extension');
    const input = section.locator('input[name=extension]');
    await input.fill(taken);
    await input.press('Enter');
    await expect(section.getByRole('alert')).toHaveText(`${w.taken} (${w.field})`);
    const mine = String(5000 + Math.floor(Math.random() * 4000));
    await input.fill(mine);
    await input.press('Enter');
    await expect(section.getByRole('status')).toHaveText(w.saved);
    await expectAccessible(page, `${lang} account with extension`);
    await page.screenshot({ path: `${DIR}/${lang}-account-extension.png`, fullPage: true });
    const me = await request<{ specialist: { extension: string } }>(s.url, 'GET', ROUTES.me, { token: await login(s.url, email, password) });
    expect(me.body.specialist.extension).toBe(mine);
  });
}
