/**
 * The server's half of a mutation: the checks that need the store (the case, contact, call or
 * assignee exists; the number was leased to this desk), conflict detection against the case's
 * field versions, then the shared mutator (shared/mutations.ts) for what the mutation does, and
 * the write. Each step either writes or throws a `Rejection` or a `Conflict` before writing; the
 * caller runs it inside a savepoint, so a throw undoes it all.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Mutation } from '../../shared/api';
import type { AccessGrant, Case, CaseEvent, Contact, Specialist } from '../../shared/contract';
import { CONFLICT_FIELDS } from '../../shared/contract';
import { revokeGrant as revokedCopy } from '../../shared/grants';
import {
  createCase as createdCase,
  effectiveTime,
  mutateCase,
  recordGrant as recordedGrant,
  staleFields,
  wantedFields,
  type CaseMutation,
  type EventDraft,
  type MutatorContext,
  type Rejected,
} from '../../shared/mutations';
import { markCallDone as markedDone } from '../../shared/calls';
import { mayWriteTemplate, type Article, type Template } from '../../shared/templates';
import { ROUTES } from '../../shared/api';
import { auditAccess } from '../http/access-audit';
import { caseSubject, quotedReply, replyAddress, type MailEventData } from '../../shared/mail';
import { queueMail } from '../mail/intake';
import type { MailChannel } from '../mail/channel';
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

  static of(rejected: Rejected): Rejection {
    return new Rejection(rejected.code, rejected.message, rejected.field);
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
  /** When the server received the mutation. */
  now: Date;
  /** The mail channel (replies go out through its outgoing queue); null or absent: mail is off. */
  mail?: MailChannel | null;
}

export interface Applied {
  case?: Case;
}

type Args<N extends Mutation['name']> = Extract<Mutation, { name: N }>['args'];

const TRACKED = new Set<string>(CONFLICT_FIELDS);

function loadCase(store: Store, caseId: string): Case {
  const found = store.cases.get(caseId);
  if (!found) throw new Rejection('not_found', 'case not found', 'args.caseId');
  return found;
}

function contactOf(store: Store, customerId: string, contactId: string, field: string): Contact {
  const contact = store.contacts.get(contactId);
  if (!contact) throw new Rejection('not_found', 'contact not found', field);
  if (contact.customerId !== customerId) throw new Rejection('contact_mismatch', 'the contact belongs to another customer', field);
  if (contact.anonymisedAt !== null) throw new Rejection('anonymised', 'the contact has been anonymised', field);
  return contact;
}

function writeEvents(ctx: MutationContext, caseId: string, at: string, receivedAt: string, drafts: readonly EventDraft[]): void {
  for (const draft of drafts) {
    const event: CaseEvent = { id: draft.id ?? randomUUID(), caseId, at, receivedAt, actorId: ctx.actor.id, kind: draft.kind, text: draft.text, data: draft.data };
    ctx.store.events.insert(event);
    ctx.store.changes.record('events', event.id);
  }
}

function createCase(ctx: MutationContext, m: Mutation & { name: 'createCase' }): Applied {
  const { store } = ctx;
  const a = m.args;
  if (store.cases.get(a.id)) throw new Rejection('exists', 'a case with this id exists', 'args.id');
  const leasedAt = store.numbers.leasedAt(ctx.clientId, a.number);
  if (leasedAt === null) throw new Rejection('number_not_leased', 'the number is not from a block leased to this desk', 'args.number');
  if (store.cases.isNumberUsed(a.number)) throw new Rejection('number_taken', 'the number is already used', 'args.number');
  const customer = store.customers.get(a.customerId);
  if (!customer) throw new Rejection('not_found', 'customer not found', 'args.customerId');
  if (a.contactId !== null) contactOf(store, customer.id, a.contactId, 'args.contactId');
  if (a.callId != null && !store.calls.get(a.callId)) throw new Rejection('not_found', 'call not found', 'args.callId');
  // Registered when the specialist registered it, offline included; not before the desk had the number.
  const receivedAt = ctx.now.toISOString();
  const at = effectiveTime(m.occurredAt, leasedAt, receivedAt);
  const outcome = createdCase(a, at);
  if (outcome.kind === 'rejected') throw Rejection.of(outcome);
  store.cases.insert(outcome.case);
  store.changes.record('cases', outcome.case.id);
  writeEvents(ctx, outcome.case.id, at, receivedAt, outcome.events);
  return { case: outcome.case };
}

/** Checks of a case mutation that need the store, run once the mutation is known to change something. */
function checkInStore(ctx: MutationContext, c: Case, m: CaseMutation): void {
  const { store } = ctx;
  switch (m.name) {
    case 'editFields':
      if (m.args.fields.contactId != null) contactOf(store, c.customerId, m.args.fields.contactId, 'args.fields.contactId');
      return;
    case 'assign': {
      if (m.args.assigneeId === null) return;
      const assignee = store.specialists.get(m.args.assigneeId);
      if (!assignee) throw new Rejection('not_found', 'specialist not found', 'args.assigneeId');
      if (!assignee.active) throw new Rejection('inactive', 'the specialist account is disabled', 'args.assigneeId');
      return;
    }
    case 'addNote':
    case 'sendReply':
      if (store.events.has(m.args.eventId)) throw new Rejection('exists', 'an event with this id exists', 'args.eventId');
      return;
    default:
      return;
  }
}

/**
 * A call about the case, in its history with the caller as the call record has them (the desk
 * sends only ids). Null when this call is in the case's history already: opening the case again
 * during the same call (another tab, a colleague's desk) is not a new contact, and a harmless
 * repeat is not worth a refusal the specialist must acknowledge.
 */
function callEventData(store: Store, c: Case, a: Args<'logCall'>): CaseEvent['data'] | null {
  const call = store.calls.get(a.callId);
  if (!call) throw new Rejection('not_found', 'call not found', 'args.callId');
  if (store.events.hasCall(c.id, call.id)) return null;
  if (store.events.has(a.eventId)) throw new Rejection('exists', 'an event with this id exists', 'args.eventId');
  const contact = call.contactId === null ? null : store.contacts.get(call.contactId);
  // The party outside SoftOne: the caller of an incoming call, the callee of an outgoing one.
  const number = call.direction === 'in' ? (call.from ?? call.fromRaw) : call.to;
  return {
    callId: call.id,
    direction: call.direction,
    number: number === '' ? null : number,
    contactId: call.contactId,
    name: contact && contact.anonymisedAt === null ? contact.name : null,
    startedAt: call.startedAt,
  };
}

/**
 * A call back to a caller, in the case's history: the number and name from the call record (the
 * desk sends only ids), who called back (the actor) and when (the event's `at`).
 */
function callbackEventData(store: Store, a: Args<'logCallback'>): CaseEvent['data'] {
  const call = store.calls.get(a.callId);
  if (!call) throw new Rejection('not_found', 'call not found', 'args.callId');
  if (store.events.has(a.eventId)) throw new Rejection('exists', 'an event with this id exists', 'args.eventId');
  const contact = call.contactId === null ? null : store.contacts.get(call.contactId);
  const number = call.direction === 'in' ? (call.from ?? call.fromRaw) : call.to;
  return {
    callId: call.id,
    direction: 'out',
    callback: true,
    number: number === '' ? null : number,
    contactId: call.contactId,
    name: contact && contact.anonymisedAt === null ? contact.name : null,
  };
}

/**
 * The caller log's "done": by whom and when, once (shared/calls.ts). In the change feed, so every
 * desk of the team sees it; the call's contact is audited, as the caller log's answers are.
 */
function markCallDone(ctx: MutationContext, m: Mutation & { name: 'markCallDone' }): Applied {
  const { store } = ctx;
  const call = store.calls.get(m.args.callId);
  if (!call) throw new Rejection('not_found', 'call not found', 'args.callId');
  const receivedAt = ctx.now.toISOString();
  const outcome = markedDone(call, ctx.actor.id, effectiveTime(m.occurredAt, call.startedAt, receivedAt));
  auditAccess(store, ctx.now, ctx.actor.id, [call.contactId], 'update', ROUTES.push);
  if (outcome.kind === 'unchanged') return {};
  store.calls.update(outcome.call);
  store.changes.record('calls', call.id);
  return {};
}

/**
 * A reply's server step: to the case's contact, from the mailbox of the customer's office, under
 * the case's subject with its tag, the customer's last mail quoted when asked; queued in the
 * push's transaction. Answers the event's data with the addresses filled in.
 */
function queueReply(ctx: MutationContext, c: Case, a: Args<'sendReply'>, draft: CaseEvent['data']): CaseEvent['data'] {
  const { store } = ctx;
  const contact = c.contactId === null ? null : store.contacts.get(c.contactId);
  const to = replyAddress(contact);
  if (to === null) throw new Rejection('no_recipient', 'the case has no contact with an e-mail address to reply to', 'args.caseId');
  const customer = store.customers.get(c.customerId);
  if (!customer) throw new Rejection('not_found', 'customer not found', 'args.caseId');
  const mailbox = ctx.mail?.mailboxOf(customer.country) ?? null;
  if (mailbox === null) throw new Rejection('mail_not_configured', "no mailbox is configured for the customer's office", 'args.caseId');
  const last = store.mail.lastInbound(c.id);
  const text = a.quote && last ? quotedReply(a.text, { text: last.text, name: last.fromName, address: last.fromAddress, at: last.at }, customer.language) : a.text;
  const thread = store.mail.threadOf(c.id);
  const queued = queueMail(store, {
    office: mailbox.office,
    from: mailbox.address,
    to,
    subject: caseSubject(c.number, c.title, customer.language),
    text,
    caseId: c.id,
    event: { id: a.eventId, actorId: ctx.actor.id, data: draft as Partial<MailEventData>, byCaller: true },
    inReplyTo: last?.messageId ?? thread[thread.length - 1] ?? null,
    refs: thread,
    auto: false,
    attachmentIds: a.attachmentIds,
    at: ctx.now.toISOString(),
  });
  auditAccess(store, ctx.now, ctx.actor.id, [contact?.id], 'update', ROUTES.push);
  return queued.data as CaseEvent['data'];
}

function changeCase(ctx: MutationContext, m: Mutation & CaseMutation): Applied {
  const { store } = ctx;
  const c = loadCase(store, m.args.caseId);
  const receivedAt = ctx.now.toISOString();
  const at = effectiveTime(m.occurredAt, c.registeredAt, receivedAt);
  const mutatorContext: MutatorContext = {
    at,
    actor: ctx.actor,
    teamsOf: (id) => store.specialists.get(id)?.teams,
  };
  const outcome = mutateCase(c, m, mutatorContext);
  if (outcome.kind === 'unchanged') return { case: c };
  // A conflict outranks a refusal: the specialist decides on the case as it is now.
  const stale = staleFields(c, m.baseVersion, wantedFields(m));
  if (stale.length > 0) throw new Conflict(stale, c);
  checkInStore(ctx, c, m);
  if (outcome.kind === 'rejected') throw Rejection.of(outcome);
  let events = outcome.events;
  if (m.name === 'logCall') {
    const data = callEventData(store, c, m.args);
    if (data === null) return { case: c };
    events = events.map((e) => ({ ...e, data }));
  }
  if (m.name === 'logCallback') {
    const data = callbackEventData(store, m.args);
    events = events.map((e) => ({ ...e, data }));
  }
  if (m.name === 'sendReply') {
    const args = m.args;
    events = events.map((e) => (e.kind === 'mail' ? { ...e, data: queueReply(ctx, c, args, e.data) } : e));
  }

  const changed = Object.keys(outcome.changes).filter((f) => outcome.changes[f as keyof typeof outcome.changes] !== c[f as keyof Case]) as Array<keyof Case>;
  const version = c.version + 1;
  const fieldVersions = { ...c.fieldVersions };
  for (const field of changed) if (TRACKED.has(field)) fieldVersions[field] = version;
  const saved: Case = { ...c, ...outcome.changes, version, fieldVersions, updatedAt: receivedAt };
  store.cases.updateFields(saved, new Set(changed));
  store.changes.record('cases', saved.id);
  writeEvents(ctx, c.id, at, receivedAt, events);
  // [attachments] the files a note or reply names go on its event, in this savepoint.
  if (m.name === 'addNote' || m.name === 'sendReply') linkAttachments(ctx, c.id, m.args.eventId, m.args.attachmentIds ?? []);
  // [/attachments]
  return { case: saved };
}

/**
 * [attachments] Puts uploaded files on a note's or reply's event: each must be uploaded (by this
 * specialist, for this case) and on no other event; otherwise the whole mutation is refused.
 */
function linkAttachments(ctx: MutationContext, caseId: string, eventId: string, ids: readonly string[]): void {
  if (ids.length === 0) return;
  const problem = ctx.store.attachments.linkToEvent(ids, caseId, eventId, ctx.actor.id);
  if (problem !== null) throw new Rejection(problem.code, problem.message, `args.attachmentIds.${ids.indexOf(problem.id)}`);
}

/**
 * Records a grant: the shared rule (shared/mutations.ts recordGrant), the checks that need the
 * store, the write and its change-log row (so every desk's feed has it). One step for both the
 * desk's `recordGrant` (recordedBy: the specialist) and a SuperUser's grant in the customer
 * centre (recordedBy: null). Throws a `Rejection` before writing; run it inside a transaction.
 */
export function recordGrantStep(store: Store, now: Date, recordedBy: string | null, a: Args<'recordGrant'>): AccessGrant {
  if (store.grants.get(a.grantId)) throw new Rejection('exists', 'a grant with this id exists', 'args.grantId');
  const customer = store.customers.get(a.customerId);
  if (!customer) throw new Rejection('not_found', 'customer not found', 'args.customerId');
  contactOf(store, customer.id, a.grantedByContactId, 'args.grantedByContactId');
  const outcome = recordedGrant(a, customer.country, recordedBy, now.toISOString());
  if (outcome.kind === 'rejected') throw Rejection.of(outcome);
  const grant: AccessGrant = outcome.grant;
  store.grants.insert(grant);
  store.changes.record('grants', grant.id);
  return grant;
}

/**
 * Ends a grant early at `now` (shared/grants.ts revokeGrant): the grant as it now stands and
 * whether this changed it. Revoking a grant already revoked or expired changes nothing (the first
 * end is the one on record). One step for the desk's `revokeGrant` and the customer centre's.
 */
export function revokeGrantStep(store: Store, now: Date, grantId: string): { grant: AccessGrant; changed: boolean } {
  const grant = store.grants.get(grantId);
  if (!grant) throw new Rejection('not_found', 'grant not found', 'args.grantId');
  const revoked = revokedCopy(grant, now);
  if (revoked.revokedAt === null || revoked === grant) return { grant, changed: false };
  store.grants.revoke(grant.id, revoked.revokedAt);
  store.changes.record('grants', grant.id);
  return { grant: revoked, changed: true };
}

function recordGrant(ctx: MutationContext, a: Args<'recordGrant'>): Applied {
  recordGrantStep(ctx.store, ctx.now, ctx.actor.id, a);
  return {};
}

function revokeGrant(ctx: MutationContext, a: Args<'revokeGrant'>): Applied {
  revokeGrantStep(ctx.store, ctx.now, a.grantId);
  return {};
}

/**
 * A reply template, created or changed. A team's template is written by a lead, a personal one by
 * its owner only (shared/templates.ts mayWriteTemplate) — both the old scope and the new one, so a
 * specialist can neither change a team's template nor take over someone else's. Audited.
 */
function saveTemplate(ctx: MutationContext, a: Args<'saveTemplate'>): Applied {
  const { store, actor } = ctx;
  const existing = store.templates.get(a.id);
  if (existing && (!mayWriteTemplate(existing.scope, actor) || existing.deletedAt !== null)) {
    if (existing.deletedAt !== null) throw new Rejection('deleted', 'the template has been deleted', 'args.id');
    throw new Rejection('forbidden', existing.scope.kind === 'team' ? 'only a lead may change a team template' : 'only its owner may change a personal template', 'args.scope');
  }
  // A template stays a team's or one person's: moving it between the two would leave it on
  // desks that can no longer be told of it (the feed sends a personal template to its owner only).
  if (existing && existing.scope.kind !== a.scope.kind) {
    throw new Rejection('scope_change', 'a template keeps its team or owner: save a copy instead', 'args.scope');
  }
  if (!mayWriteTemplate(a.scope, actor)) {
    throw new Rejection('forbidden', a.scope.kind === 'team' ? 'only a lead may write a team template' : 'a personal template is its owner\'s', 'args.scope');
  }
  const at = ctx.now.toISOString();
  const saved: Template = { ...a, updatedAt: at, updatedBy: actor.id, deletedAt: null };
  store.templates.save(saved);
  store.changes.record('templates', a.id);
  store.audit.recordAction({ at, specialistId: actor.id, action: existing ? 'template_update' : 'template_create', route: ROUTES.push, targetId: a.id, detail: { title: a.title, language: a.language, scope: a.scope } });
  return {};
}

function deleteTemplate(ctx: MutationContext, a: Args<'deleteTemplate'>): Applied {
  const { store, actor } = ctx;
  const existing = store.templates.get(a.id);
  if (!existing) throw new Rejection('not_found', 'template not found', 'args.id');
  if (!mayWriteTemplate(existing.scope, actor)) {
    throw new Rejection('forbidden', existing.scope.kind === 'team' ? 'only a lead may delete a team template' : 'only its owner may delete a personal template', 'args.id');
  }
  if (existing.deletedAt !== null) return {};
  const at = ctx.now.toISOString();
  store.templates.markDeleted(a.id, at, actor.id);
  store.changes.record('templates', a.id);
  store.audit.recordAction({ at, specialistId: actor.id, action: 'template_delete', route: ROUTES.push, targetId: a.id, detail: { title: existing.title } });
  return {};
}

/** A knowledge-base article, created or changed by a lead or a specialist. Audited. */
function saveArticle(ctx: MutationContext, a: Args<'saveArticle'>): Applied {
  const { store, actor } = ctx;
  const existing = store.articles.get(a.id);
  if (existing?.deletedAt != null) throw new Rejection('deleted', 'the article has been deleted', 'args.id');
  const at = ctx.now.toISOString();
  const saved: Article = { ...a, updatedAt: at, updatedBy: actor.id, deletedAt: null };
  store.articles.save(saved);
  store.changes.record('articles', a.id);
  store.audit.recordAction({ at, specialistId: actor.id, action: existing ? 'article_update' : 'article_create', route: ROUTES.push, targetId: a.id, detail: { title: a.title, language: a.language, module: a.module, public: a.public } });
  return {};
}

function deleteArticle(ctx: MutationContext, a: Args<'deleteArticle'>): Applied {
  const { store, actor } = ctx;
  const existing = store.articles.get(a.id);
  if (!existing) throw new Rejection('not_found', 'article not found', 'args.id');
  if (existing.deletedAt !== null) return {};
  const at = ctx.now.toISOString();
  store.articles.markDeleted(a.id, at, actor.id);
  store.changes.record('articles', a.id);
  store.audit.recordAction({ at, specialistId: actor.id, action: 'article_delete', route: ROUTES.push, targetId: a.id, detail: { title: existing.title } });
  return {};
}

/** JSON with every object's keys in order: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * The digest of what an edit means, kept with its replay key: a replay carries the same edit, so
 * the same digest; another edit under a used key (a desk that lost its counter) does not.
 * Hashed: the name, the arguments (as parsed by the contract) and `occurredAt`, which the desk
 * stamps once when the specialist acts. Not hashed: `baseVersion`, which the desk legitimately
 * changes between attempts of the same edit (it rebases waiting edits onto the version an earlier
 * one made, and fills it in for edits of a case created offline once the creation is answered);
 * nor the key itself (clientId, mutationId), which is looked up beside it.
 */
export function mutationDigest(m: Mutation): string {
  const meaning = { name: m.name, args: m.args, occurredAt: m.occurredAt ?? null };
  return createHash('sha256').update(canonicalJson(meaning)).digest('base64url');
}

export function applyMutation(ctx: MutationContext, m: Mutation): Applied {
  switch (m.name) {
    case 'createCase':
      return createCase(ctx, m);
    case 'recordGrant':
      return recordGrant(ctx, m.args);
    case 'revokeGrant':
      return revokeGrant(ctx, m.args);
    case 'markCallDone':
      return markCallDone(ctx, m);
    case 'saveTemplate':
      return saveTemplate(ctx, m.args);
    case 'deleteTemplate':
      return deleteTemplate(ctx, m.args);
    case 'saveArticle':
      return saveArticle(ctx, m.args);
    case 'deleteArticle':
      return deleteArticle(ctx, m.args);
    default:
      return changeCase(ctx, m);
  }
}
