/**
 * The caller log, in Swedish and in Finnish: a missed call (the switch's newCall, then a hang-up
 * nobody answered, in the queue of Team 1) appears in the caller log of Team 1's desks and not in
 * Team 2's, is called back (logged on the caller's case) and marked done by keyboard on one desk,
 * and shows done, with who marked it, on the other Team 1 desk. Each screen is checked with axe
 * and photographed.
 */
import { randomUUID } from 'node:crypto';
import type { Case } from '../../shared/index';
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, otherDesk, expect, test } from './fixtures';
import { CallerLogPage } from './pages/CallerLogPage';

const DIR = 'test-results/screenshots';

const WORDS = {
  sv: { title: 'Samtalslogg', missed: 'Missade samtal', callBack: 'Ring upp', markDone: 'Markera som klar', doneBy: 'Klar – ', timeline: 'Ringde upp' },
  fi: { title: 'Puheluloki', missed: 'Vastaamattomat puhelut', callBack: 'Soita takaisin', markDone: 'Merkitse hoidetuksi', doneBy: 'Hoidettu – ', timeline: 'Soitettu takaisin:' },
} as const;

for (const lang of ['sv', 'fi'] as const) {
  test(`${lang}: a missed call reaches the right team's caller log, is called back and marked done on one desk and shows done on the other`, async ({ page, browser, server }) => {
    // Three desks sign in and sync on a machine others share: room for that, no timing asserted.
    test.setTimeout(180_000);
    const words = WORDS[lang];
    const desk = await loginAs(page, server.team1[lang === 'sv' ? 0 : 1]!, lang);
    const colleague = await otherDesk(browser, server.team1[lang === 'sv' ? 1 : 0]!, lang);
    const team2 = await otherDesk(browser, server.team2[0]!, lang);
    try {
      const api = await ServerApi.login(server.leadEmail);
      const caller = server.fixtures.callerTeam1;
      const log = new CallerLogPage(page);
      const before = await log.missedCount();

      // The caller chose Team 1's option, and hung up before anyone answered.
      const switchId = randomUUID();
      await api.cti({ event: 'newCall', from: caller.phone, to: '+46812345001', direction: 'in', callId: switchId, queue: 'hantverk' });
      await api.cti({ event: 'hangup', from: caller.phone, to: '+46812345001', direction: 'in', callId: switchId, queue: 'hantverk', cause: 'cancel' });
      // The banner of the ended call is closed, as the specialist would (x).
      await expect(desk.callBanner).toBeVisible();
      await page.keyboard.press('x');
      await expect(desk.callBanner).toHaveCount(0);
      const call = await api.callBySwitchId(switchId);
      expect(call).toMatchObject({ missed: true, done: false, team: 1 });
      const callId = call!.id;

      // The count on the top bar's button grows by the call, and the log shows it first among
      // the missed calls' rows, with the caller and their customer.
      await expect.poll(() => log.missedCount()).toBe(before + 1);
      await expect(log.button).toContainText(words.title);
      await log.open();
      const row = log.row(callId);
      await expect(row).toBeVisible();
      await expect(log.root.getByRole('heading', { name: words.missed })).toBeVisible();
      await expect(row).toContainText(caller.contactName);
      await expect(row).toContainText(caller.customerName);
      await expect(row.getByTestId('call-back')).toHaveText(words.callBack);
      await expect(row.getByTestId('call-back')).toHaveAttribute('href', /^tel:\+/);
      await expectAccessible(page, `${lang} caller log`);
      await page.screenshot({ path: `${DIR}/${lang}-caller-log.png`, fullPage: true });

      // Team 2's desk: its own log, without Team 1's call.
      const team2Log = new CallerLogPage(team2.page);
      await team2Log.open();
      await expect(team2Log.row(callId)).toHaveCount(0);

      // The case a call back is logged on: the caller's own newest open case, else their customer's only one.
      const all = await api.snapshot();
      const contact = all.contacts.find((c) => c.phone === caller.phone);
      const open = all.cases.filter((c) => c.customerId === contact?.customerId && c.status !== 'closed');
      const own = open.filter((c) => c.contactId === contact?.id).sort((a, b) => b.registeredAt.localeCompare(a.registeredAt));
      const target: Case | undefined = own[0] ?? (open.length === 1 ? open[0] : undefined);
      expect(target, 'the fixture caller has a case to log the call back on').toBeDefined();

      // By keyboard: down to the row, r calls back, d marks it done.
      await log.cursorTo(callId);
      await page.keyboard.press('r');
      await expect.poll(async () => (await api.events(target!.number)).filter((e) => e.kind === 'call' && e.data.callId === callId && e.data.callback === true).length, { timeout: 15_000 }).toBe(1);
      await page.keyboard.press('d');
      await expect(row).toHaveAttribute('data-done', 'true');
      await expect.poll(async () => (await api.callBySwitchId(switchId))?.done, { timeout: 15_000 }).toBe(true);
      const me = await (await ServerApi.login(server.team1[lang === 'sv' ? 0 : 1]!)).me();
      expect(await api.callBySwitchId(switchId)).toMatchObject({ done: true, doneBy: me });
      await expect.poll(() => log.missedCount()).toBe(before);

      // The colleague's desk hears it through the change feed: done, by whom.
      const colleagueLog = new CallerLogPage(colleague.page);
      await colleagueLog.open();
      await expect(colleagueLog.row(callId)).toHaveAttribute('data-done', 'true', { timeout: 15_000 });
      await expect(colleagueLog.row(callId).getByTestId('call-done')).toContainText(words.doneBy);
      await expect(colleagueLog.row(callId).getByTestId('call-done')).not.toContainText(lang === 'sv' ? 'Skickas' : 'Lähetetään');

      // The call back is in the case's history, in the specialist's words.
      await page.keyboard.press('Escape');
      await expect(log.root).toHaveCount(0);
      await desk.lookup(String(target!.number));
      await expect(page.getByTestId('timeline')).toContainText(`${words.timeline} ${caller.contactName}`, { timeout: 15_000 });
    } finally {
      await colleague.close();
      await team2.close();
    }
  });
}
