/** The shared mutators: what each mutation does to a case, for the server and the desk alike. */
import { describe, expect, it } from 'vitest';
import {
  createCase,
  effectiveTime,
  mayTransfer,
  mutateCase,
  recordGrant,
  staleFields,
  wantedFields,
  type CaseMutation,
  type CaseState,
  type MutatorContext,
  type TeamId,
} from '../../shared/index';
import { caseArgs } from '../support/cases';

const registeredAt = '2026-03-02T08:00:00.000Z';

function state(overrides: Partial<CaseState> = {}): CaseState {
  return {
    id: 'case-1',
    customerId: 'cust-1',
    contactId: null,
    product: 'go',
    module: 'finance',
    category: 'support',
    serviceLevel: null,
    status: 'new',
    team: 1,
    assigneeId: null,
    title: 'Lönekörningen stannar',
    billableMinutes: 0,
    billingInformed: false,
    registeredAt,
    handlingStartedAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

const teams: Record<string, TeamId[]> = { erik: [1], sara: [2], anna: [1, 2] };
function ctx(overrides: Partial<MutatorContext> = {}): MutatorContext {
  return { at: '2026-03-02T09:15:00.000Z', actor: { id: 'erik', role: 'specialist' }, teamsOf: (id) => teams[id], ...overrides };
}

const run = (c: CaseState, m: CaseMutation, context = ctx()) => mutateCase(c, m, context);

describe('effectiveTime', () => {
  it('keeps the time the specialist acted, within [earliest, latest]', () => {
    expect(effectiveTime('2026-03-02T09:00:00.000Z', registeredAt, '2026-03-02T10:00:00.000Z')).toBe('2026-03-02T09:00:00.000Z');
    // A desk clock behind the case's registration, or ahead of the server.
    expect(effectiveTime('2026-03-01T09:00:00.000Z', registeredAt, '2026-03-02T10:00:00.000Z')).toBe(registeredAt);
    expect(effectiveTime('2026-03-03T09:00:00.000Z', registeredAt, '2026-03-02T10:00:00.000Z')).toBe('2026-03-02T10:00:00.000Z');
    // The desk, which does not know the receipt yet, passes the time of the edit as the latest.
    expect(effectiveTime('2026-03-01T09:00:00.000Z', registeredAt, '2026-03-01T09:00:00.000Z')).toBe(registeredAt);
    // A desk that does not say: the receipt.
    expect(effectiveTime(undefined, registeredAt, '2026-03-02T10:00:00.000Z')).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('mutateCase', () => {
  it('starts the handling clock when a case first leaves "new", at the time of the edit', () => {
    const out = run(state(), { name: 'transition', args: { caseId: 'case-1', to: 'line1' } });
    expect(out).toEqual({
      kind: 'changed',
      changes: { status: 'line1', handlingStartedAt: '2026-03-02T09:15:00.000Z' },
      events: [{ kind: 'status', text: null, data: { from: 'new', to: 'line1' } }],
    });
    const again = run(state({ status: 'line1', handlingStartedAt: registeredAt }), { name: 'transition', args: { caseId: 'case-1', to: 'line2' } });
    expect(again.kind === 'changed' && again.changes).toEqual({ status: 'line2' });
  });

  it('sets the resolution when closing and clears it when reopening', () => {
    const closed = run(state({ status: 'line1', handlingStartedAt: registeredAt }), { name: 'transition', args: { caseId: 'case-1', to: 'closed' } });
    expect(closed.kind === 'changed' && closed.changes).toEqual({ status: 'closed', resolvedAt: '2026-03-02T09:15:00.000Z' });
    const reopened = run(state({ status: 'closed', handlingStartedAt: registeredAt, resolvedAt: registeredAt }), { name: 'transition', args: { caseId: 'case-1', to: 'line3' } });
    expect(reopened.kind === 'changed' && reopened.changes).toEqual({ status: 'line3', resolvedAt: null });
  });

  it('refuses what the flow forbids, naming the field', () => {
    expect(run(state(), { name: 'transition', args: { caseId: 'case-1', to: 'line3' } })).toMatchObject({ kind: 'rejected', code: 'not_adjacent', field: 'args.to' });
    const order = state({ category: 'order', status: 'cost_proposal', handlingStartedAt: registeredAt });
    expect(run(order, { name: 'transition', args: { caseId: 'case-1', to: 'planned' } })).toMatchObject({ kind: 'rejected', code: 'billing_not_informed' });
    expect(run(order, { name: 'transition', args: { caseId: 'case-1', to: 'cost_proposal' } })).toEqual({ kind: 'unchanged' });
  });

  it('hands a transferred case to the receiving team unless its assignee serves that team too', () => {
    const transfer: CaseMutation = { name: 'transfer', args: { caseId: 'case-1', toTeam: 2, reason: 'Butik' } };
    const byErik = run(state({ assigneeId: 'erik' }), transfer);
    expect(byErik.kind === 'changed' && byErik.changes).toEqual({ team: 2, assigneeId: null });
    const byAnna = run(state({ assigneeId: 'anna' }), transfer);
    expect(byAnna.kind === 'changed' && byAnna.changes).toEqual({ team: 2 });
    // Someone this side does not know keeps the case: only the server's record can tell.
    const byStranger = run(state({ assigneeId: 'stranger' }), transfer);
    expect(byStranger.kind === 'changed' && byStranger.changes).toEqual({ team: 2 });
    expect(run(state(), { ...transfer, args: { ...transfer.args, toTeam: 1 } })).toMatchObject({ kind: 'rejected', code: 'same_team', field: 'args.toTeam' });
  });

  it("lets only a lead reassign a colleague's case", () => {
    const assign: CaseMutation = { name: 'assign', args: { caseId: 'case-1', assigneeId: 'erik' } };
    expect(run(state({ assigneeId: 'sara' }), assign)).toMatchObject({ kind: 'rejected', code: 'forbidden' });
    expect(run(state({ assigneeId: 'sara' }), assign, ctx({ actor: { id: 'anna', role: 'lead' } })).kind).toBe('changed');
    expect(run(state({ assigneeId: 'erik' }), assign)).toEqual({ kind: 'unchanged' });
  });

  it("never lets a specialist take a colleague's case away from them, by assigning or by transferring", () => {
    const toTeam = (t: TeamId): CaseMutation => ({ name: 'transfer', args: { caseId: 'case-1', toTeam: t, reason: 'Butik' } });
    // Taking an unassigned case, releasing and transferring one's own: as before.
    expect(run(state(), { name: 'assign', args: { caseId: 'case-1', assigneeId: 'erik' } }).kind).toBe('changed');
    expect(run(state({ assigneeId: 'erik' }), { name: 'assign', args: { caseId: 'case-1', assigneeId: null } }).kind).toBe('changed');
    expect(run(state({ assigneeId: 'erik' }), toTeam(2)).kind).toBe('changed');
    // A colleague's case may move to a team the colleague serves: they keep it.
    expect(run(state({ assigneeId: 'anna' }), toTeam(2)).kind).toBe('changed');
    // Not to a team they do not serve: that would release it (the first step of taking it).
    const released = run(state({ assigneeId: 'anna', team: 2 }), toTeam(1), ctx({ actor: { id: 'erik', role: 'specialist' }, teamsOf: (id) => (id === 'anna' ? [2] : teams[id]) }));
    expect(released).toMatchObject({ kind: 'rejected', code: 'forbidden', field: 'args.toTeam' });
    expect(run(state({ assigneeId: 'sara', team: 2 }), toTeam(1))).toMatchObject({ kind: 'rejected', code: 'forbidden', field: 'args.toTeam' });
    expect(run(state({ assigneeId: 'sara' }), { name: 'assign', args: { caseId: 'case-1', assigneeId: null } })).toMatchObject({ kind: 'rejected', code: 'forbidden', field: 'args.assigneeId' });
    // The holder and a lead may.
    expect(run(state({ assigneeId: 'sara', team: 2 }), toTeam(1), ctx({ actor: { id: 'sara', role: 'specialist' } })).kind).toBe('changed');
    expect(run(state({ assigneeId: 'sara', team: 2 }), toTeam(1), ctx({ actor: { id: 'anna', role: 'lead' } })).kind).toBe('changed');
    // What the desk's transfer panel asks before offering the transfer: the same rule.
    const teamsOf = (id: string) => teams[id];
    const erik = { id: 'erik', role: 'specialist' as const };
    expect(mayTransfer({ assigneeId: 'sara' }, 1, erik, teamsOf)).toBe(false);
    expect([mayTransfer({ assigneeId: 'anna' }, 2, erik, teamsOf), mayTransfer({ assigneeId: null }, 2, erik, teamsOf), mayTransfer({ assigneeId: 'erik' }, 2, erik, teamsOf)]).toEqual([true, true, true]);
    expect(mayTransfer({ assigneeId: 'sara' }, 1, { id: 'anna', role: 'lead' }, teamsOf)).toBe(true);
  });

  it('keeps both values of an edited field in the history, and a bug its service level once escalated', () => {
    const out = run(state({ category: 'bug', serviceLevel: 3, status: 'escalated' }), { name: 'editFields', args: { caseId: 'case-1', fields: { title: 'Ny', serviceLevel: 2 } } });
    expect(out).toEqual({
      kind: 'changed',
      changes: { title: 'Ny', serviceLevel: 2 },
      events: [
        { kind: 'edit', text: null, data: { field: 'title', before: 'Lönekörningen stannar', after: 'Ny' } },
        { kind: 'edit', text: null, data: { field: 'serviceLevel', before: 3, after: 2 } },
      ],
    });
    expect(run(state({ category: 'bug', serviceLevel: 3, status: 'escalated' }), { name: 'editFields', args: { caseId: 'case-1', fields: { serviceLevel: null } } })).toMatchObject({ kind: 'rejected', code: 'service_level_required' });
    expect(run(state(), { name: 'editFields', args: { caseId: 'case-1', fields: { serviceLevel: 2 } } })).toMatchObject({ kind: 'rejected', code: 'invalid', field: 'args.fields.serviceLevel' });
    expect(run(state(), { name: 'editFields', args: { caseId: 'case-1', fields: { title: 'Lönekörningen stannar' } } })).toEqual({ kind: 'unchanged' });
  });

  it('adds minutes to the total and informs of billing once', () => {
    const minutes = run(state({ billableMinutes: 30 }), { name: 'logMinutes', args: { caseId: 'case-1', minutes: 15 } });
    expect(minutes).toMatchObject({ kind: 'changed', changes: { billableMinutes: 45 }, events: [{ kind: 'minutes', data: { minutes: 15, total: 45 } }] });
    expect(run(state({ billingInformed: true }), { name: 'markBillingInformed', args: { caseId: 'case-1' } })).toEqual({ kind: 'unchanged' });
  });
});

describe('createCase', () => {
  const args = caseArgs({ id: 'new-1', number: 900_001, customerId: 'cust-1', title: 'Fråga' });

  it('registers a new, unassigned case at the given time', () => {
    const out = createCase(args, '2026-03-02T09:00:00.000Z');
    expect(out).toMatchObject({ kind: 'created', case: { status: 'new', registeredAt: '2026-03-02T09:00:00.000Z', assigneeId: null, version: 1 } });
  });

  it('gives only a bug a service level', () => {
    expect(createCase({ ...args, serviceLevel: 2 }, registeredAt)).toMatchObject({ kind: 'rejected', code: 'invalid', field: 'args.serviceLevel' });
    expect(createCase({ ...args, category: 'bug', serviceLevel: 2 }, registeredAt).kind).toBe('created');
  });
});

describe('conflicts', () => {
  it('are the wanted fields changed after the base version to another value', () => {
    const c = { fieldVersions: { status: 5, title: 2 }, status: 'line2', title: 'x' } as const;
    expect(staleFields(c, 4, wantedFields({ name: 'transition', args: { caseId: 'c', to: 'line3' } }))).toEqual(['status']);
    // Two desks making the same change agree.
    expect(staleFields(c, 4, wantedFields({ name: 'transition', args: { caseId: 'c', to: 'line2' } }))).toEqual([]);
    expect(staleFields(c, 4, wantedFields({ name: 'editFields', args: { caseId: 'c', fields: { title: 'y' } } }))).toEqual([]);
    expect(staleFields(c, undefined, { status: 'line3' })).toEqual([]);
    expect(wantedFields({ name: 'markBillingInformed', args: { caseId: 'c' } })).toEqual({ billingInformed: true });
    expect(wantedFields({ name: 'addNote', args: { caseId: 'c', eventId: 'e', text: 'x' } })).toEqual({});
  });
});

describe('recordGrant', () => {
  const grant = { grantId: 'g1', customerId: 'cust-1', kind: 'support' as const, grantedByContactId: 'p1', grantedAt: '2026-03-02T09:00:00.000Z' };
  it('records a grant with its expiry, within a year of being given', () => {
    const out = recordGrant(grant, 'FI', 'erik', '2026-03-02T09:05:00.000Z');
    expect(out).toMatchObject({ kind: 'rejected', field: 'args.durationHours' });
    const fi = recordGrant({ ...grant, durationHours: 4 }, 'FI', 'erik', '2026-03-02T09:05:00.000Z');
    expect(fi).toMatchObject({ kind: 'recorded', grant: { id: 'g1', recordedBy: 'erik', expiresAt: '2026-03-02T13:00:00.000Z', revokedAt: null } });
    expect(recordGrant(grant, 'SE', 'erik', '2028-03-02T09:05:00.000Z')).toMatchObject({ kind: 'rejected', field: 'args.grantedAt' });
  });
});
