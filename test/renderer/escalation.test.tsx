// @vitest-environment jsdom
/**
 * The desk's side of escalation and calendar exceptions: the store installs exceptions from the
 * feed (and from the cache at a cold start) into the shared calendar before the queue's
 * deadlines are shown, moving exactly the deadlines they move; the server's `escalation` event
 * reads in the timeline (sv, fi); a live escalation becomes a notice.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyCalendarExceptions, type CalendarException, type CaseEvent, type Customer } from '../../shared/index';
import { SessionContext } from '../../renderer/src/ui/hooks';
import type { DeskSession } from '../../renderer/src/session/session';
import { DeskStore } from '../../renderer/src/store/store';
import { Signal } from '../../renderer/src/lib/signal';
import { currentDeadline, emptyDelta } from '../../renderer/src/model/rows';
import { DEFAULT_SORT } from '../../renderer/src/model/queue';
import { initI18n, setLanguage } from '../../renderer/src/i18n/index';
import { TranslationProvider } from '../../renderer/src/i18n/typing';
import { Timeline } from '../../renderer/src/ui/case/Timeline';
import { Escalations } from '../../renderer/src/session/escalations';
import { Notices } from '../../renderer/src/ui/Notices';
import { row } from './rows';

const ME = { id: 'me', role: 'specialist' as const };
// Monday 2026-03-09 15:00 Stockholm: a level-1 bug's handling deadline is Tuesday 09:00.
const MONDAY_15 = Date.parse('2026-03-09T15:00:00+01:00');
const TUESDAY_09 = Date.parse('2026-03-10T09:00:00+01:00');
const WEDNESDAY_09 = Date.parse('2026-03-11T09:00:00+01:00');

const closedTuesday: CalendarException = {
  id: 'x-tue',
  office: 'SE',
  date: '2026-03-10',
  kind: 'closed',
  closesAt: null,
  note: 'personaldag',
  createdAt: '2026-03-09T14:30:00.000Z',
  createdBy: 'lead',
  deletedAt: null,
};

function bugRow(id: string, registeredAt = MONDAY_15) {
  const r = row({ id, category: 'bug', serviceLevel: 1, status: 'new', registeredAt, office: 'SE' });
  return { ...r, deadlineAt: currentDeadline(r) };
}

afterEach(() => {
  cleanup();
  applyCalendarExceptions([], { replace: true });
});

describe('the store installs calendar exceptions', () => {
  it('a closed day from the feed moves the deadlines after it, and its removal moves them back', () => {
    const store = new DeskStore(ME);
    const moved = bugRow('moved');
    // Registered long before: its deadline is before the exception and stays.
    const early = bugRow('early', Date.parse('2026-03-02T09:00:00+01:00'));
    store.ingest({ ...emptyDelta(), rows: [moved, early] });
    expect(store.cases.get('moved')?.deadlineAt).toBe(TUESDAY_09);
    const earlyDeadline = store.cases.get('early')?.deadlineAt;

    store.ingest({ ...emptyDelta(), calendarExceptions: [closedTuesday] });
    expect(store.cases.get('moved')?.deadlineAt).toBe(WEDNESDAY_09);
    expect(store.cases.get('early')?.deadlineAt).toBe(earlyDeadline);
    expect(store.calendar.of('SE').map((e) => e.id)).toEqual(['x-tue']);
    // The queue is sorted by the new deadline.
    const order = store.queue.rows('open', DEFAULT_SORT).map((r) => r.id);
    expect(order.indexOf('early')).toBeLessThan(order.indexOf('moved'));

    store.ingest({ ...emptyDelta(), calendarExceptions: [{ ...closedTuesday, deletedAt: '2026-03-09T14:40:00.000Z' }] });
    expect(store.cases.get('moved')?.deadlineAt).toBe(TUESDAY_09);
    expect(store.calendar.of('SE')).toEqual([]);
  });

  it('a cold start puts right rows the cache stored before an exception arrived', () => {
    const store = new DeskStore(ME);
    // As the cache holds it: computed without the exception.
    const stale = bugRow('stale');
    expect(stale.deadlineAt).toBe(TUESDAY_09);
    store.load([{ ...emptyDelta(), rows: [stale], chunk: 1 }, { ...emptyDelta(), calendarExceptions: [closedTuesday] }]);
    expect(store.cases.get('stale')?.deadlineAt).toBe(WEDNESDAY_09);
  });
});

const escalationEvent = (point: string): CaseEvent => ({
  id: `esc-${point}`,
  caseId: 'case-x',
  at: '2026-03-10T07:30:00.000Z',
  receivedAt: '2026-03-10T07:30:00.000Z',
  actorId: null,
  kind: 'escalation',
  text: null,
  data: { deadline: 'handling', point, deadlineAt: '2026-03-10T08:00:00.000Z', notified: 'me,lead', level: 1 },
});

function session(store: DeskStore, escalations = new Escalations()): DeskSession {
  return {
    store,
    me: { id: 'me', name: 'Maja Lind', office: 'SE', teams: [1] },
    status: new Signal({ connection: 'online' }),
    escalations,
    details: { cachedTimeline: async () => [escalationEvent('before:30'), escalationEvent('breach')], fetchTimeline: async () => undefined },
    mail: { html: async () => '' },
    attachments: { watch: () => () => undefined, slicesOfCase: () => [] },
    enqueue: async () => ({}),
  } as unknown as DeskSession;
}

function storeWithCase(): DeskStore {
  const store = new DeskStore(ME);
  store.directory.apply({ customers: [{ id: 'cust-1', name: 'Bygg AB', country: 'SE' } as Customer], contacts: [], specialists: [{ id: 'me', name: 'Maja Lind' }, { id: 'lead', name: 'Leo Ledare' }], grants: [] } as unknown as Parameters<typeof store.directory.apply>[0]);
  store.ingest({ ...emptyDelta(), rows: [row({ id: 'case-x', number: 123456 })] });
  return store;
}

describe('the escalation in the timeline and as a notice', () => {
  beforeAll(async () => {
    await initI18n('sv');
  });

  it.each([
    ['sv', 'SLA-eskalering: 30 min kvar till hanteringsstart', 'aviserade Maja Lind, Leo Ledare', 'SLA-eskalering: tiden för hanteringsstart passerades'],
    ['fi', 'SLA-eskalointi: 30 min jäljellä käsittelyn alkuun', 'ilmoitettu: Maja Lind, Leo Ledare', 'SLA-eskalointi: aika käsittelyn alkuun ylittyi'],
  ])('%s: who was notified, which deadline, which point', async (lang, before, who, breach) => {
    await setLanguage(lang as 'sv' | 'fi');
    const store = storeWithCase();
    render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session(store) }, createElement(Timeline, { caseId: 'case-x', onServer: true, entries: [] }))));
    const items = await screen.findAllByText((_, el) => el?.classList.contains('what') === true && (el.textContent ?? '').includes('SLA'));
    expect(items).toHaveLength(2);
    expect(items[0]?.textContent).toContain(before);
    expect(items[0]?.textContent).toContain(who);
    expect(items[1]?.textContent).toContain(breach);
  });

  it('a live escalation is a notice with a way to the case', async () => {
    await setLanguage('sv');
    const store = storeWithCase();
    const escalations = new Escalations();
    escalations.receive({ type: 'escalation', caseId: 'case-x', caseNumber: 123456, title: 'Lönen blir fel', level: 1, deadline: 'handling', point: 'before:30', deadlineAt: '2026-03-10T08:00:00.000Z', assignee: true }, true);
    // The same escalation twice (another tab's copy) is one notice.
    escalations.receive({ type: 'escalation', caseId: 'case-x', caseNumber: 123456, title: 'Lönen blir fel', level: 1, deadline: 'handling', point: 'before:30', deadlineAt: '2026-03-10T08:00:00.000Z', assignee: true }, true);
    let opened = 0;
    render(createElement(TranslationProvider, null, createElement(SessionContext.Provider, { value: session(store, escalations) }, createElement(Notices, { onOpen: () => opened++ }))));
    const notices = await screen.findAllByTestId('escalation-notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.textContent).toContain('Ärende 123456 (nivå 1): 30 min kvar till hanteringsstart');
    screen.getByRole('button', { name: 'Öppna ärende 123456' }).click();
    expect(opened).toBe(1);
  });
});
