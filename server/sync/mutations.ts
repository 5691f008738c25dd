/**
 * The mutations a desk pushes, with the domain rules of shared/ enforced. Each handler either
 * applies its change (case row, event rows, change-log rows) or throws a `Rejection` or a
 * `Conflict` before writing; the caller runs it inside a savepoint, so a throw undoes it all.
 */
import { randomUUID } from 'node:crypto';
import { registeredCase, type Mutation } from '../../shared/api';
import { checkTransition } from '../../shared/categories';
import type { AccessGrant, Case, CaseEvent, Contact, EventKind, Specialist } from '../../shared/contract';
import { CONFLICT_FIELDS } from '../../shared/contract';
import { grantExpiry, GrantRuleError, revokeGrant as revokedCopy } from '../../shared/grants';
import type { Store } from '../store/store';

/** Refused by a rule: nothing applied, and retrying will not help. */
export class Rejection extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Someone else changed a field this mutation touches after its base version. */
export class Conflict extends Error {
  constructor(
    readonly fields: string[],
    readonly current: Case,
  ) {
    super(`conflict on ${fields.join(', ')}`);
  }
}

export interface MutationContext {
  store: Store;
  actor: Specialist;
  clientId: string;
  now: Date;
}

export interface Applied {
  case?: Case;
}

type EventData = CaseEvent['data'];
type Args<N extends Mutation['name']> = Extract<Mutation, { name: N }>['args'];

const TRACKED = new Set<string>(CONFLICT_FIELDS);
const GRANT_FUTURE_MS = 24 * 3_600_000;
const GRANT_PAST_MS = 366 * 24 * 3_600_000;

/** Collects the changes of one case and writes them, with a version bump and the events, in one go. */
class CaseChange {
  private readonly next: Case;
  private readonly changed = new Set<keyof Case>();
  private readonly events: CaseEvent[] = [];

  constructor(
    private readonly ctx: MutationContext,
    readonly before: Case,
  ) {
    this.next = { ...before };
  }

  set<K extends keyof Case>(field: K, value: Case[K]): void {
    if (this.next[field] === value) return;
    this.next[field] = value;
    this.changed.add(field);
  }

  event(kind: EventKind, data: EventData, text: string | null = null, id: string = randomUUID()): void {
    this.events.push({ id, caseId: this.before.id, at: this.ctx.now.toISOString(), actorId: this.ctx.actor.id, kind, text, data });
  }

  commit(): Case {
    if (this.changed.size === 0 && this.events.length === 0) return this.before;
    const { store } = this.ctx;
    const version = this.before.version + 1;
    const fieldVersions = { ...this.before.fieldVersions };
    for (const field of this.changed) if (TRACKED.has(field)) fieldVersions[field] = version;
    const saved: Case = { ...this.next, version, fieldVersions, updatedAt: this.ctx.now.toISOString() };
    store.cases.updateFields(saved, this.changed);
    store.changes.record('cases', saved.id);
    for (const event of this.events) {
      store.events.insert(event);
      store.changes.record('events', event.id);
    }
    return saved;
  }
}

function loadCase(store: Store, caseId: string): Case {
  const found = store.cases.get(caseId);
  if (!found) throw new Rejection('not_found', 'case not found', 'args.caseId');
  return found;
}

/**
 * Per-field conflict detection: a field conflicts when it changed after `baseVersion` and the
 * mutation wants a value other than the one it has now (two desks making the same change agree).
 */
function assertFresh(c: Case, baseVersion: number | undefined, wanted: Partial<Case>): void {
  if (baseVersion === undefined) return;
  const stale = Object.entries(wanted)
    .filter(([field, value]) => (c.fieldVersions[field] ?? 0) > baseVersion && c[field as keyof Case] !== value)
    .map(([field]) => field);
  if (stale.length > 0) throw new Conflict(stale, c);
}

function contactOf(store: Store, customerId: string, contactId: string, field: string): Contact {
  const contact = store.contacts.get(contactId);
  if (!contact) throw new Rejection('not_found', 'contact not found', field);
  if (contact.customerId !== customerId) throw new Rejection('contact_mismatch', 'the contact belongs to another customer', field);
  if (contact.anonymisedAt !== null) throw new Rejection('anonymised', 'the contact has been anonymised', field);
  return contact;
}

function createCase(ctx: MutationContext, a: Args<'createCase'>): Applied {
  const { store } = ctx;
  if (store.cases.get(a.id)) throw new Rejection('exists', 'a case with this id exists', 'args.id');
  if (!store.numbers.isLeasedTo(ctx.clientId, a.number)) {
    throw new Rejection('number_not_leased', 'the number is not from a block leased to this desk', 'args.number');
  }
  if (store.cases.isNumberUsed(a.number)) throw new Rejection('number_taken', 'the number is already used', 'args.number');
  const customer = store.customers.get(a.customerId);
  if (!customer) throw new Rejection('not_found', 'customer not found', 'args.customerId');
  if (a.contactId !== null) contactOf(store, customer.id, a.contactId, 'args.contactId');
  // A bug gets its service level when it is escalated (checkTransition); other categories never have one.
  if (a.category !== 'bug' && a.serviceLevel !== null) {
    throw new Rejection('invalid', 'only a software bug has a service level', 'args.serviceLevel');
  }
  if (a.callId != null && !store.calls.get(a.callId)) throw new Rejection('not_found', 'call not found', 'args.callId');
  const now = ctx.now.toISOString();
  const created = registeredCase(a, now);

  store.cases.insert(created);
  store.changes.record('cases', created.id);
  const event: CaseEvent = {
    id: randomUUID(),
    caseId: created.id,
    at: now,
    actorId: ctx.actor.id,
    kind: 'created',
    text: null,
    data: { number: a.number, channel: a.channel, callId: a.callId ?? null },
  };
  store.events.insert(event);
  store.changes.record('events', event.id);
  return { case: created };
}

function editFields(ctx: MutationContext, a: Args<'editFields'>, baseVersion: number | undefined): Applied {
  const c = loadCase(ctx.store, a.caseId);
  const fields = a.fields;
  assertFresh(c, baseVersion, fields);
  if (fields.contactId != null) contactOf(ctx.store, c.customerId, fields.contactId, 'args.fields.contactId');
  if (fields.serviceLevel !== undefined) {
    if (c.category !== 'bug' && fields.serviceLevel !== null) {
      throw new Rejection('invalid', 'only a software bug has a service level', 'args.fields.serviceLevel');
    }
    if (c.category === 'bug' && fields.serviceLevel === null && c.status !== 'new') {
      throw new Rejection('service_level_required', 'an escalated bug keeps its service level', 'args.fields.serviceLevel');
    }
  }
  const change = new CaseChange(ctx, c);
  for (const [field, value] of Object.entries(fields) as Array<[keyof typeof fields, Case[keyof typeof fields]]>) {
    if (value === undefined || c[field] === value) continue;
    change.set(field, value);
    // Both values stay in the case history.
    change.event('edit', { field, before: c[field], after: value });
  }
  return { case: change.commit() };
}

function transition(ctx: MutationContext, a: Args<'transition'>, baseVersion: number | undefined): Applied {
  const c = loadCase(ctx.store, a.caseId);
  if (c.status === a.to) return { case: c };
  assertFresh(c, baseVersion, { status: a.to });
  const check = checkTransition(c.category, c.status, a.to, {
    role: ctx.actor.role,
    billingInformed: c.billingInformed,
    serviceLevel: c.serviceLevel,
  });
  if (!check.ok) throw new Rejection(check.reason, `cannot move a ${c.category} case from ${c.status} to ${a.to}`, 'args.to');
  const now = ctx.now.toISOString();
  const change = new CaseChange(ctx, c);
  change.set('status', a.to);
  if (c.status === 'new' && c.handlingStartedAt === null) change.set('handlingStartedAt', now);
  if (a.to === 'closed') change.set('resolvedAt', now);
  if (c.status === 'closed') change.set('resolvedAt', null);
  change.event('status', { from: c.status, to: a.to });
  return { case: change.commit() };
}

function assign(ctx: MutationContext, a: Args<'assign'>, baseVersion: number | undefined): Applied {
  const c = loadCase(ctx.store, a.caseId);
  if (c.assigneeId === a.assigneeId) return { case: c };
  assertFresh(c, baseVersion, { assigneeId: a.assigneeId });
  if (a.assigneeId !== null) {
    const assignee = ctx.store.specialists.get(a.assigneeId);
    if (!assignee) throw new Rejection('not_found', 'specialist not found', 'args.assigneeId');
    if (!assignee.active) throw new Rejection('inactive', 'the specialist account is disabled', 'args.assigneeId');
  }
  // A specialist takes or hands on unassigned cases and their own; reassigning a colleague's case is for leads.
  if (c.assigneeId !== null && c.assigneeId !== ctx.actor.id && ctx.actor.role !== 'lead') {
    throw new Rejection('forbidden', "only a lead may reassign a colleague's case", 'args.assigneeId');
  }
  const change = new CaseChange(ctx, c);
  change.set('assigneeId', a.assigneeId);
  change.event('assign', { from: c.assigneeId, to: a.assigneeId });
  return { case: change.commit() };
}

function transfer(ctx: MutationContext, a: Args<'transfer'>, baseVersion: number | undefined): Applied {
  const c = loadCase(ctx.store, a.caseId);
  if (c.team === a.toTeam) throw new Rejection('same_team', 'the case is already with that team', 'args.toTeam');
  assertFresh(c, baseVersion, { team: a.toTeam });
  const change = new CaseChange(ctx, c);
  change.set('team', a.toTeam);
  // The receiving team picks the case up, unless its assignee serves that team too.
  const assignee = c.assigneeId === null ? null : ctx.store.specialists.get(c.assigneeId);
  if (assignee && !assignee.teams.includes(a.toTeam)) change.set('assigneeId', null);
  change.event('transfer', { from: c.team, to: a.toTeam, assigneeBefore: c.assigneeId }, a.reason);
  return { case: change.commit() };
}

function addNote(ctx: MutationContext, a: Args<'addNote'>): Applied {
  const c = loadCase(ctx.store, a.caseId);
  if (ctx.store.events.has(a.eventId)) throw new Rejection('exists', 'an event with this id exists', 'args.eventId');
  const change = new CaseChange(ctx, c);
  change.event('note', {}, a.text, a.eventId);
  return { case: change.commit() };
}

/**
 * A call about the case, in its history with the caller as the call record has them (the desk
 * sends only ids). Only an event is written: no tracked field changes, so it never conflicts.
 */
function logCall(ctx: MutationContext, a: Args<'logCall'>): Applied {
  const { store } = ctx;
  const c = loadCase(store, a.caseId);
  const call = store.calls.get(a.callId);
  if (!call) throw new Rejection('not_found', 'call not found', 'args.callId');
  // One call, one line in the history: opening the case again during the same call (from
  // another tab, or a colleague's desk) is not a new contact. A no-op rather than a rejection,
  // so the desk does not ask the specialist to acknowledge a refusal of something harmless.
  if (store.events.hasCall(c.id, call.id)) return { case: c };
  if (store.events.has(a.eventId)) throw new Rejection('exists', 'an event with this id exists', 'args.eventId');
  const contact = call.contactId === null ? null : store.contacts.get(call.contactId);
  // The party outside SoftOne: the caller of an incoming call, the callee of an outgoing one.
  const number = call.direction === 'in' ? (call.from ?? call.fromRaw) : call.to;
  const change = new CaseChange(ctx, c);
  change.event(
    'call',
    {
      callId: call.id,
      direction: call.direction,
      number: number === '' ? null : number,
      contactId: call.contactId,
      name: contact && contact.anonymisedAt === null ? contact.name : null,
      startedAt: call.startedAt,
    },
    null,
    a.eventId,
  );
  return { case: change.commit() };
}

function logMinutes(ctx: MutationContext, a: Args<'logMinutes'>): Applied {
  const c = loadCase(ctx.store, a.caseId);
  const change = new CaseChange(ctx, c);
  change.set('billableMinutes', c.billableMinutes + a.minutes);
  change.event('minutes', { minutes: a.minutes, total: c.billableMinutes + a.minutes });
  return { case: change.commit() };
}

function markBillingInformed(ctx: MutationContext, a: Args<'markBillingInformed'>): Applied {
  const c = loadCase(ctx.store, a.caseId);
  if (c.billingInformed) return { case: c };
  const change = new CaseChange(ctx, c);
  change.set('billingInformed', true);
  change.event('billing', { informed: true });
  return { case: change.commit() };
}

function recordGrant(ctx: MutationContext, a: Args<'recordGrant'>): Applied {
  const { store } = ctx;
  if (store.grants.get(a.grantId)) throw new Rejection('exists', 'a grant with this id exists', 'args.grantId');
  const customer = store.customers.get(a.customerId);
  if (!customer) throw new Rejection('not_found', 'customer not found', 'args.customerId');
  contactOf(store, customer.id, a.grantedByContactId, 'args.grantedByContactId');
  const grantedAt = new Date(a.grantedAt);
  // Recorded when given (or pushed later from an offline desk), not centuries away.
  const skew = grantedAt.getTime() - ctx.now.getTime();
  if (skew > GRANT_FUTURE_MS || -skew > GRANT_PAST_MS) {
    throw new Rejection('invalid', 'a grant is recorded within a year of being given', 'args.grantedAt');
  }
  let expiresAt: Date;
  try {
    expiresAt = grantExpiry({
      office: customer.country,
      kind: a.kind,
      grantedAt,
      ...(a.fridayHours === undefined ? {} : { fridayHours: a.fridayHours }),
      ...(a.durationHours === undefined ? {} : { durationHours: a.durationHours }),
    });
  } catch (error) {
    if (error instanceof GrantRuleError) throw new Rejection('invalid', error.message, `args.${error.field}`);
    throw error;
  }
  const grant: AccessGrant = {
    id: a.grantId,
    customerId: customer.id,
    kind: a.kind,
    grantedByContactId: a.grantedByContactId,
    recordedBy: ctx.actor.id,
    grantedAt: grantedAt.toISOString(),
    expiresAt: expiresAt.toISOString(),
    revokedAt: null,
  };
  store.grants.insert(grant);
  store.changes.record('grants', grant.id);
  return {};
}

function revokeGrant(ctx: MutationContext, a: Args<'revokeGrant'>): Applied {
  const grant = ctx.store.grants.get(a.grantId);
  if (!grant) throw new Rejection('not_found', 'grant not found', 'args.grantId');
  // Revoking a grant already revoked or expired changes nothing (the first end is the one on record).
  const revoked = revokedCopy(grant, ctx.now);
  if (revoked.revokedAt === null || revoked === grant) return {};
  ctx.store.grants.revoke(grant.id, revoked.revokedAt);
  ctx.store.changes.record('grants', grant.id);
  return {};
}

export function applyMutation(ctx: MutationContext, m: Mutation): Applied {
  switch (m.name) {
    case 'createCase':
      return createCase(ctx, m.args);
    case 'editFields':
      return editFields(ctx, m.args, m.baseVersion);
    case 'transition':
      return transition(ctx, m.args, m.baseVersion);
    case 'assign':
      return assign(ctx, m.args, m.baseVersion);
    case 'transfer':
      return transfer(ctx, m.args, m.baseVersion);
    case 'addNote':
      return addNote(ctx, m.args);
    case 'logMinutes':
      return logMinutes(ctx, m.args);
    case 'logCall':
      return logCall(ctx, m.args);
    case 'markBillingInformed':
      return markBillingInformed(ctx, m.args);
    case 'recordGrant':
      return recordGrant(ctx, m.args);
    case 'revokeGrant':
      return revokeGrant(ctx, m.args);
  }
}
