/**
 * What each mutation does: one pure function per mutation, run by the server inside its
 * transaction (the record) and by the desk on its cache while the edit waits in the outbox (what
 * the specialist sees meanwhile). Both runtimes call the same code, so the optimistic view and
 * the recorded case cannot drift apart.
 *
 * A mutator sees the case, the arguments and a context (when the specialist acted, who they are,
 * which teams a colleague serves) and answers with the changed fields and the history events, or
 * a rejection naming its reason and field. What needs the server's store (that a contact or a
 * call exists, that a number was leased to the desk) is the server's own step, before this one.
 */
import type { CreateCaseArgs, Mutation, MutationBody } from './api';
import { checkTransition, type Role } from './categories';
import type { AccessGrant, Case, CaseEvent, ConflictField, EventKind } from './contract';
import type { Office, TeamId } from './teams';
import { grantExpiry, GrantRuleError } from './grants';
import { queuedReply } from './mail';

/** The fields of a case a mutator reads or changes; the desk's compact rows hold all but the description. */
export type CaseState = Pick<
  Case,
  | 'id'
  | 'customerId'
  | 'contactId'
  | 'product'
  | 'module'
  | 'category'
  | 'serviceLevel'
  | 'status'
  | 'team'
  | 'assigneeId'
  | 'title'
  | 'billableMinutes'
  | 'billingInformed'
  | 'registeredAt'
  | 'handlingStartedAt'
  | 'resolvedAt'
> & { description?: string };

export type CaseChanges = Partial<Omit<CaseState, 'id' | 'customerId' | 'category' | 'registeredAt'> & { description: string }>;

export interface EventDraft {
  kind: EventKind;
  data: CaseEvent['data'];
  text: string | null;
  /** Chosen by the desk where it must be known before the server answers (notes, calls). */
  id?: string;
}

export interface MutatorContext {
  /** When the edit takes effect: the moment the specialist acted, within bounds (see `effectiveTime`). */
  at: string;
  actor: { id: string; role: Role };
  /** The teams a specialist serves; undefined for someone this side does not know. */
  teamsOf(specialistId: string): readonly TeamId[] | undefined;
}

export interface Rejected {
  kind: 'rejected';
  code: string;
  message: string;
  field: string;
}

export type MutatorOutcome =
  /** Nothing to do: the case already is as the edit wants it. */
  | { kind: 'unchanged' }
  | Rejected
  | { kind: 'changed'; changes: CaseChanges; events: EventDraft[] };

export type CaseMutation = Exclude<MutationBody, { name: 'createCase' | 'recordGrant' | 'revokeGrant' | 'markCallDone' | AnswerMutationName }>;

/** The answers' edits (templates, articles): records of their own, not case edits. */
export type AnswerMutationName = 'saveTemplate' | 'deleteTemplate' | 'saveArticle' | 'deleteArticle';
export const ANSWER_MUTATIONS: readonly AnswerMutationName[] = ['saveTemplate', 'deleteTemplate', 'saveArticle', 'deleteArticle'];
export const isAnswerMutation = (m: MutationBody): m is Extract<MutationBody, { name: AnswerMutationName }> =>
  (ANSWER_MUTATIONS as readonly string[]).includes(m.name);

const reject = (code: string, message: string, field: string): Rejected => ({ kind: 'rejected', code, message, field });

/**
 * An edit made offline keeps the time it was made, but never lands after `latest` (when the
 * server received it) nor before `earliest` (the case's registration, which wins over `latest`):
 * a desk's clock may be wrong. An edit from a desk that does not say when it was made takes
 * `latest`. The desk, which cannot know when the server will receive an edit, passes the time it
 * was made as `latest`.
 */
export function effectiveTime(occurredAt: string | undefined, earliest: string, latest: string): string {
  const latestMs = Date.parse(latest);
  const t = occurredAt === undefined ? latestMs : Math.min(Date.parse(occurredAt), latestMs);
  // A bound is returned as given (no new string: this runs for every mutation a server applies).
  if (t <= Date.parse(earliest)) return earliest;
  return t === latestMs ? latest : new Date(t).toISOString();
}

/** The case a mutation is about, or null for grants. */
export function mutationCaseId(m: MutationBody): string | null {
  switch (m.name) {
    case 'createCase':
      return m.args.id;
    case 'recordGrant':
    case 'revokeGrant':
    case 'markCallDone':
    case 'saveTemplate':
    case 'deleteTemplate':
    case 'saveArticle':
    case 'deleteArticle':
      return null;
    default:
      return m.args.caseId;
  }
}

/**
 * The values a mutation wants for the fields conflicts are detected on. A field changed by
 * someone else after the edit's base version, and now holding another value, is a conflict.
 */
export function wantedFields(m: MutationBody): Partial<Record<ConflictField, unknown>> {
  switch (m.name) {
    case 'editFields':
      return m.args.fields;
    case 'transition':
      return { status: m.args.to };
    case 'assign':
      return { assigneeId: m.args.assigneeId };
    case 'transfer':
      return { team: m.args.toTeam };
    case 'markBillingInformed':
      return { billingInformed: true };
    default:
      return {};
  }
}

/** The fields `wanted` names that changed after `baseVersion` to another value than the one wanted. */
export function staleFields(c: Pick<Case, 'fieldVersions'> & Partial<Record<ConflictField, unknown>>, baseVersion: number | undefined, wanted: Partial<Record<ConflictField, unknown>>): string[] {
  if (baseVersion === undefined) return [];
  return Object.entries(wanted)
    .filter(([field, value]) => (c.fieldVersions[field] ?? 0) > baseVersion && c[field as ConflictField] !== value)
    .map(([field]) => field);
}

/**
 * Who may change a case's assignee, whatever the edit (assign, unassign, or a transfer that
 * leaves the assignee behind): a specialist takes unassigned cases and hands on or releases their
 * own; a case a colleague holds stays theirs until they or a lead let it go. Judged by the
 * outcome, so no sequence of edits by a specialist ends with a colleague's case in their hands.
 */
export function mayReassign(assigneeId: string | null, actor: { id: string; role: Role }): boolean {
  return assigneeId === null || assigneeId === actor.id || actor.role === 'lead';
}

/** Whether sending case `c` to team `to` leaves its assignee behind: they do not serve that team. */
function transferReleases(c: Pick<CaseState, 'assigneeId'>, to: TeamId, teamsOf: MutatorContext['teamsOf']): boolean {
  const teams = c.assigneeId === null ? undefined : teamsOf(c.assigneeId);
  return teams !== undefined && !teams.includes(to);
}

/** Whether `actor` may send case `c` to team `to`: not when that releases a colleague who holds it (`mayReassign`). */
export function mayTransfer(c: Pick<CaseState, 'assigneeId'>, to: TeamId, actor: MutatorContext['actor'], teamsOf: MutatorContext['teamsOf']): boolean {
  return !transferReleases(c, to, teamsOf) || mayReassign(c.assigneeId, actor);
}

/** A bug gets its service level when it is escalated; other categories never have one. */
function serviceLevelRule(c: Pick<CaseState, 'category' | 'status'>, level: Case['serviceLevel'], field: string): Rejected | null {
  if (c.category !== 'bug' && level !== null) return reject('invalid', 'only a software bug has a service level', field);
  if (c.category === 'bug' && level === null && c.status !== 'new') {
    return reject('service_level_required', 'an escalated bug keeps its service level', field);
  }
  return null;
}

/**
 * The case a `createCase` registers at `at`: new, unassigned, nothing billed, version 1.
 */
function registeredCase(a: CreateCaseArgs, at: string): Case {
  return {
    id: a.id,
    number: a.number,
    customerId: a.customerId,
    contactId: a.contactId,
    product: a.product,
    module: a.module,
    category: a.category,
    serviceLevel: a.serviceLevel,
    status: 'new',
    team: a.team,
    assigneeId: null,
    title: a.title,
    description: a.description,
    channel: a.channel,
    billableMinutes: 0,
    billingInformed: false,
    registeredAt: at,
    handlingStartedAt: null,
    resolvedAt: null,
    updatedAt: at,
    version: 1,
    fieldVersions: {},
  };
}

/** A new case, registered when the specialist registered it. */
export function createCase(a: CreateCaseArgs, at: string): Rejected | { kind: 'created'; case: Case; events: EventDraft[] } {
  const level = serviceLevelRule({ category: a.category, status: 'new' }, a.serviceLevel, 'args.serviceLevel');
  if (level) return level;
  return {
    kind: 'created',
    case: registeredCase(a, at),
    events: [{ kind: 'created', text: null, data: { number: a.number, channel: a.channel, callId: a.callId ?? null } }],
  };
}

function changed(changes: CaseChanges, ...events: EventDraft[]): MutatorOutcome {
  return { kind: 'changed', changes, events };
}

/** What a mutation of an existing case does to it. */
export function mutateCase(c: CaseState, m: CaseMutation, ctx: MutatorContext): MutatorOutcome {
  const outcome = effectOf(c, m, ctx);
  if (outcome.kind === 'changed' && outcome.changes.assigneeId !== undefined && outcome.changes.assigneeId !== c.assigneeId && !mayReassign(c.assigneeId, ctx.actor)) {
    return m.name === 'transfer'
      ? reject('forbidden', "a colleague holds the case: only they or a lead may send it to a team they do not serve", 'args.toTeam')
      : reject('forbidden', "a colleague holds the case: only they or a lead may reassign it", 'args.assigneeId');
  }
  return outcome;
}

function effectOf(c: CaseState, m: CaseMutation, ctx: MutatorContext): MutatorOutcome {
  switch (m.name) {
    case 'editFields': {
      const fields = m.args.fields;
      if (fields.serviceLevel !== undefined) {
        const level = serviceLevelRule(c, fields.serviceLevel, 'args.fields.serviceLevel');
        if (level) return level;
      }
      const changes: CaseChanges = {};
      const events: EventDraft[] = [];
      for (const [field, value] of Object.entries(fields) as Array<[keyof typeof fields, NonNullable<CaseChanges[keyof typeof fields]> | null]>) {
        if (value === undefined || c[field] === value) continue;
        Object.assign(changes, { [field]: value });
        // Both values stay in the case history.
        events.push({ kind: 'edit', text: null, data: { field, before: c[field] ?? null, after: value } });
      }
      return events.length === 0 ? { kind: 'unchanged' } : { kind: 'changed', changes, events };
    }
    case 'transition': {
      const to = m.args.to;
      if (c.status === to) return { kind: 'unchanged' };
      const check = checkTransition(c.category, c.status, to, { role: ctx.actor.role, billingInformed: c.billingInformed, serviceLevel: c.serviceLevel });
      if (!check.ok) return reject(check.reason, `cannot move a ${c.category} case from ${c.status} to ${to}`, 'args.to');
      const changes: CaseChanges = { status: to };
      // The SLA's handling phase ends when the case first leaves "new", at the time it did.
      if (c.status === 'new' && c.handlingStartedAt === null) changes.handlingStartedAt = ctx.at;
      if (to === 'closed') changes.resolvedAt = ctx.at;
      if (c.status === 'closed') changes.resolvedAt = null;
      return changed(changes, { kind: 'status', text: null, data: { from: c.status, to } });
    }
    case 'assign': {
      const to = m.args.assigneeId;
      if (c.assigneeId === to) return { kind: 'unchanged' };
      // Whether this actor may (mayReassign) is judged on the outcome, in `mutateCase`.
      return changed({ assigneeId: to }, { kind: 'assign', text: null, data: { from: c.assigneeId, to } });
    }
    case 'transfer': {
      const to = m.args.toTeam;
      if (c.team === to) return reject('same_team', 'the case is already with that team', 'args.toTeam');
      const changes: CaseChanges = { team: to };
      // The receiving team picks the case up, unless its assignee serves that team too.
      if (transferReleases(c, to, ctx.teamsOf)) changes.assigneeId = null;
      return changed(changes, { kind: 'transfer', text: m.args.reason, data: { from: c.team, to, assigneeBefore: c.assigneeId } });
    }
    case 'addNote': {
      const files = m.args.attachmentIds?.length ?? 0;
      return changed({}, { kind: 'note', text: m.args.text, data: files === 0 ? {} : { attachments: files }, id: m.args.eventId });
    }
    case 'sendReply':
      // Queued until the server's outgoing queue has sent it. Who it goes to, from which mailbox
      // and under which subject are the server's step (the case's contact, the customer's
      // office, shared/mail.ts `caseSubject`): the desk names only the case and the text.
      return changed(
        {},
        {
          kind: 'mail',
          text: m.args.text,
          data: { ...queuedReply(m.args.quote), ...(m.args.attachmentIds.length === 0 ? {} : { attachments: m.args.attachmentIds.length }) },
          id: m.args.eventId,
        },
      );
    case 'logCall':
      // Who called is taken from the server's call record (a server step fills `data` in); the
      // desk sends only ids, so a desk cannot put words in a caller's mouth.
      return changed({}, { kind: 'call', text: null, data: { callId: m.args.callId }, id: m.args.eventId });
    case 'logCallback':
      // Who called back is the actor, when is `at`; the number is the server's call record's.
      return changed({}, { kind: 'call', text: null, data: { callId: m.args.callId, direction: 'out', callback: true }, id: m.args.eventId });
    case 'logMinutes': {
      const total = c.billableMinutes + m.args.minutes;
      return changed({ billableMinutes: total }, { kind: 'minutes', text: null, data: { minutes: m.args.minutes, total } });
    }
    case 'markBillingInformed':
      if (c.billingInformed) return { kind: 'unchanged' };
      return changed({ billingInformed: true }, { kind: 'billing', text: null, data: { informed: true } });
  }
}

/** How far from the server's clock a grant may say it was given (an offline desk pushes it later). */
const GRANT_FUTURE_MS = 24 * 3_600_000;
const GRANT_PAST_MS = 366 * 24 * 3_600_000;

type RecordGrantArgs = Extract<Mutation, { name: 'recordGrant' }>['args'];

/**
 * A support login the customer granted, with its expiry from the office's rules. `recordedBy` is
 * the specialist who recorded it, or null when the SuperUser granted it in the customer centre.
 */
export function recordGrant(a: RecordGrantArgs, office: Office, recordedBy: string | null, receivedAt: string): Rejected | { kind: 'recorded'; grant: AccessGrant } {
  const grantedAt = new Date(a.grantedAt);
  const skew = grantedAt.getTime() - Date.parse(receivedAt);
  if (skew > GRANT_FUTURE_MS || -skew > GRANT_PAST_MS) {
    return reject('invalid', 'a grant is recorded within a year of being given', 'args.grantedAt');
  }
  let expiresAt: Date;
  try {
    expiresAt = grantExpiry({
      office,
      kind: a.kind,
      grantedAt,
      ...(a.fridayHours === undefined ? {} : { fridayHours: a.fridayHours }),
      ...(a.durationHours === undefined ? {} : { durationHours: a.durationHours }),
    });
  } catch (error) {
    if (error instanceof GrantRuleError) return reject('invalid', error.message, `args.${error.field}`);
    throw error;
  }
  return {
    kind: 'recorded',
    grant: {
      id: a.grantId,
      customerId: a.customerId,
      kind: a.kind,
      grantedByContactId: a.grantedByContactId,
      recordedBy,
      grantedAt: grantedAt.toISOString(),
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
    },
  };
}
