/** The customer centre's rules: what of a case's history a customer sees, and the list's grouping. */
import { describe, expect, it } from 'vitest';
import { groupCases, publicEntries } from '../../shared/centre';
import type { CaseEvent } from '../../shared/contract';

const at = (minute: number): string => new Date(Date.UTC(2026, 11, 7, 9, minute)).toISOString();
const event = (id: string, kind: CaseEvent['kind'], data: CaseEvent['data'], text: string | null = null, minute = 0): CaseEvent => ({
  id,
  caseId: 'c1',
  at: at(minute),
  receivedAt: at(minute),
  actorId: null,
  kind,
  text,
  data,
});
const mail = (direction: 'in' | 'out', status: string, extra: CaseEvent['data'] = {}): CaseEvent['data'] => ({ direction, status, mailId: 'm', from: null, to: null, subject: null, ...extra });

describe('publicEntries', () => {
  it('shows mails both ways and status steps, never notes, calls, assignments or failed and machine-made mail', () => {
    const events: CaseEvent[] = [
      event('created', 'created', { number: 1, channel: 'portal' }),
      event('ack', 'mail', mail('out', 'sent', { auto: true }), 'Tack, ärendenummer 1', 1),
      event('note', 'note', {}, 'INTERN anteckning', 2),
      event('assign', 'assign', { from: null, to: 's1' }, null, 3),
      event('status', 'status', { from: 'new', to: 'line1' }, null, 4),
      event('reply', 'mail', mail('out', 'queued'), 'Prova att starta om.', 5),
      event('failed', 'mail', mail('out', 'failed'), 'Misslyckat', 6),
      event('bounce', 'mail', mail('in', 'received', { auto: true, autoKind: 'bounce' }), 'Undeliverable', 7),
      event('customer', 'mail', mail('in', 'received'), 'Nu fungerar det.', 8),
      event('call', 'call', { contactId: 'x' }, null, 9),
      event('minutes', 'minutes', { minutes: 15 }, null, 10),
    ];
    const entries = publicEntries(events);
    expect(entries.map((e) => e.id)).toEqual(['ack', 'status', 'reply', 'customer']);
    expect(JSON.stringify(entries)).not.toContain('INTERN');
    expect(entries[0]).toMatchObject({ kind: 'mail', direction: 'out', auto: true });
    expect(entries[1]).toMatchObject({ kind: 'status', to: 'line1' });
  });
});

describe('groupCases', () => {
  it('splits open and resolved cases and groups each by the four categories', () => {
    const groups = groupCases([
      { id: 'a', category: 'bug', status: 'new' },
      { id: 'b', category: 'bug', status: 'closed' },
      { id: 'c', category: 'order', status: 'cost_proposal' },
      { id: 'd', category: 'support', status: 'closed' },
    ] as const);
    expect(Object.keys(groups.open)).toEqual(['support', 'bug', 'wish', 'order']);
    expect(groups.open.bug.map((c) => c.id)).toEqual(['a']);
    expect(groups.open.order.map((c) => c.id)).toEqual(['c']);
    expect(groups.resolved.bug.map((c) => c.id)).toEqual(['b']);
    expect(groups.resolved.support.map((c) => c.id)).toEqual(['d']);
    expect(groups.open.wish).toEqual([]);
  });
});
