/**
 * Customer history and history offline, in Swedish and Finnish: a closed case of the caller's
 * customer is listed in the case's and the call banner's history and opens by key; offline, a
 * case never opened online shows its notes and status history from the first sync.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_LABELS, type Case, type Entities } from '../../shared/index';
import { expectAccessible } from './a11y';
import { ServerApi } from './env';
import { loginAs, expect, test } from './fixtures';
import { CasePage } from './pages/CasePage';
import { HistoryList } from './pages/HistoryList';

const newestFirst = (a: Case, b: Case) => Date.parse(b.registeredAt) - Date.parse(a.registeredAt) || b.number - a.number;

/**
 * A caller of a Team 1 customer (their number theirs alone) whose customer has an open case and
 * a closed one; not the fixtures' caller, whose customer other tests register cases for.
 */
function callerWithHistory(all: Entities, skipCustomer: string, taken: Set<string>) {
  const phones = new Map<string, number>();
  for (const p of all.contacts) if (p.phone) phones.set(p.phone, (phones.get(p.phone) ?? 0) + 1);
  for (const contact of all.contacts) {
    if (!contact.phone || contact.anonymisedAt !== null || phones.get(contact.phone) !== 1) continue;
    if (contact.customerId === skipCustomer || taken.has(contact.customerId)) continue;
    const cases = all.cases.filter((c) => c.customerId === contact.customerId || c.contactId === contact.id);
    const open = cases.find((c) => c.team === 1 && c.status !== 'closed' && c.customerId === contact.customerId);
    const closed = cases.filter((c) => c.status === 'closed' && c.customerId === contact.customerId).sort(newestFirst);
    // The closed case a few rows down, so that reaching it takes the arrow keys.
    if (open && closed.length >= 3 && cases.length <= 30) return { contact, cases, open, closed: closed[Math.min(2, closed.length - 1)]! };
  }
  throw new Error('the seed has no caller with an open and a closed case');
}

const customersUsed = new Set<string>();

// Two desks' worth of work per test on a machine shared by several: more than the default minute.
test.describe.configure({ timeout: 120_000 });

for (const lang of ['sv', 'fi'] as const) {
  test(`${lang}: a closed case of the caller's customer is in the case's and the call's history, and opens by key`, async ({ page, server }) => {
    const api = await ServerApi.login(server.leadEmail);
    const all = await api.snapshot();
    const fixtureCustomer = all.contacts.find((p) => p.phone === server.fixtures.callerTeam1.phone)?.customerId ?? '';
    const { contact, cases, open, closed } = callerWithHistory(all, fixtureCustomer, customersUsed);
    customersUsed.add(contact.customerId);
    const desk = await loginAs(page, server.team1[1]!, lang);
    const detail = new CasePage(page);

    // In the case: every other case of the customer and the contact, newest first.
    await desk.lookup(String(open.number));
    await detail.expectNumber(open.number);
    const inCase = new HistoryList(page, 'case-history');
    await expect(inCase.items.first()).toBeVisible();
    const expected = cases.filter((c) => c.customerId === open.customerId || (open.contactId !== null && c.contactId === open.contactId));
    expect(await inCase.numbers()).toEqual(expected.filter((c) => c.id !== open.id).sort(newestFirst).map((c) => c.number));
    await expect(inCase.root.locator(`[data-number="${closed.number}"]`)).toContainText(STATUS_LABELS.closed[lang]);
    await expectAccessible(page, `${lang} case history`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-case-history.png` });
    await inCase.openByKey(closed.number);
    await detail.expectNumber(closed.number);
    await expect(detail.status).toHaveText(STATUS_LABELS.closed[lang]);
    await detail.back();
    await desk.lookup(String(open.number));
    await detail.expectNumber(open.number);

    // The customer calls while their case is open: the banner lists the whole history, and
    // `h` is the caller's list now.
    const callId = randomUUID();
    await api.cti({ event: 'newCall', from: contact.phone!, to: '+46812345001', direction: 'in', callId, queue: 'hantverk' });
    await expect(desk.callBanner).toBeVisible();
    const inCall = new HistoryList(page, 'call-history');
    await expect(inCall.items.first()).toBeVisible();
    expect(await inCall.numbers()).toEqual(cases.sort(newestFirst).map((c) => c.number));
    await expectAccessible(page, `${lang} call history`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-call-history.png` });
    await expect(inCase.items.first()).toBeVisible();
    await inCall.openByKey(closed.number);
    await expect(desk.callBanner).toHaveCount(0);
    await detail.expectNumber(closed.number);
    await api.cti({ event: 'hangup', callId, cause: 'normalClearing', from: contact.phone!, to: '+46812345001', direction: 'in' });
  });

  test(`${lang}: offline, a case never opened online shows its notes and status history`, async ({ page, context, server }) => {
    const api = await ServerApi.login(server.leadEmail);
    const all = await api.snapshot();
    // An open Team 1 case with a note and a status change, from the end of the list (the other
    // tests take theirs from the start).
    const candidates = all.cases.filter((c) => c.team === 1 && c.status !== 'closed').reverse();
    const target = candidates.find(
      (c) => all.events.some((e) => e.caseId === c.id && e.kind === 'note' && e.text) && all.events.some((e) => e.caseId === c.id && e.kind === 'status'),
    );
    if (!target) throw new Error('the seed has no open Team 1 case with a note and a status change');
    const events = await api.events(target.number);
    const note = events.find((e) => e.kind === 'note')!;
    const status = events.find((e) => e.kind === 'status')!;

    const desk = await loginAs(page, server.team1[lang === 'sv' ? 2 : 3] ?? server.team1[0]!, lang);
    await context.setOffline(true);
    await desk.expectOffline();
    await desk.lookup(String(target.number));
    const detail = new CasePage(page);
    await detail.expectNumber(target.number);
    const timeline = page.getByTestId('timeline');
    await expect(timeline).toContainText(note.text!.slice(0, 40));
    await expect(timeline).toContainText(STATUS_LABELS[String(status.data.to) as Case['status']][lang]);
    await expect(timeline.locator('li.event')).toHaveCount(events.length);
    await expectAccessible(page, `${lang} case offline`);
    await page.screenshot({ path: `test-results/screenshots/${lang}-case-offline-history.png` });
    await context.setOffline(false);
  });
}
