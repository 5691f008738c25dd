/** The caller log: its callback order (a pure rule), its count, and the store's overlay of "done" edits. */
import { describe, expect, it } from 'vitest';
import type { Call, Contact, Customer, Mutation } from '../../shared/index';
import { buildCallLog, callbackCase, compareCallLog, openMissedCount, type CallLogRow } from '../../renderer/src/model/callLog';
import type { OutboxEntry } from '../../renderer/src/model/edits';
import { decodeDelta, emptyDelta, encodeDelta } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { storedCall } from '../support/calls';
import { row } from './rows';

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 2, 8, minute)).toISOString();
const missed = (id: string, minute: number, fields: Partial<Call> = {}): Call => storedCall({ id, missed: true, team: 1, startedAt: at(minute), ...fields });
const logRow = (call: Call, fields: Partial<CallLogRow> = {}): CallLogRow => ({ call, contact: null, customer: null, entitled: null, openCases: [], slaCases: 0, ...fields });

const customer: Customer = { id: 'cu1', name: 'Bygg AB', orgNumber: '556000-0000', country: 'SE', language: 'sv', industry: 'construction', licensedModules: ['finance'], paymentStatus: 'ok', superUserQuota: 2 };
const superUser: Contact = { id: 'co1', customerId: 'cu1', name: 'Anna', email: null, phone: '+46701234567', superUser: true, superUserSince: null, trainedModules: [], anonymisedAt: null };
const colleague: Contact = { ...superUser, id: 'co2', name: 'Bo', phone: '+46701234568', superUser: false };

describe('caller log order', () => {
  it('puts waiting missed calls first: entitled callers and open SLA cases before others, longest waiting first', () => {
    const rows = [
      logRow(storedCall({ id: 'answered-new', startedAt: at(50) })),
      logRow(missed('plain-old', 1), { entitled: false }),
      logRow(missed('entitled-late', 30), { entitled: true }),
      logRow(missed('sla-early', 10), { entitled: false, slaCases: 1 }),
      logRow(missed('unknown', 0)),
      logRow(missed('done', 0, { done: true })),
      logRow(storedCall({ id: 'out', direction: 'out', startedAt: at(40) })),
    ];
    expect([...rows].sort(compareCallLog).map((r) => r.call.id)).toEqual(['sla-early', 'entitled-late', 'unknown', 'plain-old', 'answered-new', 'out', 'done']);
  });

  it("builds my teams' log from the cache: caller, entitlement, open cases (the caller's own first), not the other team's", () => {
    const own = row({ id: 'k-own', customerId: 'cu1', contactId: 'co1', status: 'line1', deadlineAt: Date.UTC(2026, 2, 3) });
    const other = row({ id: 'k-other', customerId: 'cu1', contactId: 'co2', status: 'new' });
    const closed = row({ id: 'k-closed', customerId: 'cu1', contactId: 'co1', status: 'closed' });
    const calls = [
      missed('mine', 5, { contactId: 'co1', customerId: 'cu1', from: '+46701234567' }),
      missed('theirs', 1, { team: 2 }),
      missed('nobody', 2, { team: null }),
      missed('colleague', 3, { contactId: 'co2', customerId: 'cu1' }),
    ];
    const log = buildCallLog(calls, [1], {
      contacts: new Map([superUser, colleague].map((c) => [c.id, c])),
      customers: new Map([[customer.id, customer]]),
      contactsByCustomer: new Map([[customer.id, [superUser, colleague]]]),
      rows: () => [own, other, closed],
    });
    // The colleague's customer has an open SLA case too, and they have waited longer.
    expect(log.map((r) => r.call.id)).toEqual(['colleague', 'mine', 'nobody']);
    const mine = log[1] as CallLogRow;
    expect(mine).toMatchObject({ entitled: true, slaCases: 1 });
    expect(mine.openCases.map((r) => r.id)).toEqual(['k-own', 'k-other']);
    expect(callbackCase(mine)?.id).toBe('k-own');
    expect(log[0]?.entitled).toBe(false);
    // Two open cases, neither the caller's: no one case to log a call back on.
    expect(callbackCase({ call: missed('x', 0, { contactId: 'co9' }), openCases: [own, other] })).toBeNull();
    expect(openMissedCount(calls, [1])).toBe(3);
    expect(openMissedCount(calls, [2])).toBe(2);
  });
});

describe('the store keeps the caller log', () => {
  const me = { id: 'me', role: 'specialist' as const };
  const done = (mutationId: number, callId: string, state: OutboxEntry['state'] = 'pending'): OutboxEntry => {
    const envelope: Mutation = { clientId: 'desk-1', mutationId, occurredAt: at(20), name: 'markCallDone', args: { callId } };
    return { mutationId, caseId: null, envelope, state, createdAt: at(20) };
  };

  it('takes calls from deltas (as the worker encodes them), newest copy winning, and shows a done edit at once', () => {
    const store = new DeskStore(me);
    const call = missed('c1', 0);
    store.ingest(decodeDelta(encodeDelta({ ...emptyDelta(), calls: [call] })));
    expect(store.calls.all()).toEqual([call]);
    store.setOutbox([done(1, 'c1')]);
    expect(store.calls.get('c1')).toMatchObject({ done: true, doneBy: 'me', doneAt: at(20) });
    expect(store.calls.isPending('c1')).toBe(true);
    expect(openMissedCount(store.calls.all(), [1])).toBe(0);
    // A refused edit is not shown; the server's copy (done by a colleague) stands.
    store.setOutbox([done(1, 'c1', 'rejected')]);
    expect(store.calls.get('c1')?.done).toBe(false);
    store.ingest({ ...emptyDelta(), calls: [{ ...call, done: true, doneBy: 'colleague', doneAt: at(15) }] });
    store.setOutbox([done(2, 'c1')]);
    expect(store.calls.get('c1')).toMatchObject({ doneBy: 'colleague', doneAt: at(15) });
  });

  it('rebuilds the log from a cold start whose calls come after the row chunks', () => {
    const store = new DeskStore(me);
    store.load([{ ...emptyDelta(), rows: [row({ id: 'a' })], chunk: 1 }, { ...emptyDelta(), calls: [missed('c1', 0), missed('c2', 1)] }]);
    expect(store.calls.all().map((c) => c.id).sort()).toEqual(['c1', 'c2']);
    expect(store.cases.get('a')).toBeDefined();
  });
});
