/**
 * What the specialist sees: the server's case with the edits still in the outbox applied on
 * top, in order, by the same mutators the server runs (shared/mutations.ts). Conflicted and
 * rejected edits are not applied (the server's version stands until the specialist chooses), so
 * "revert" is simply "stop overlaying".
 */
import { createCase, effectiveTime, isAnswerMutation, mutateCase, type CaseChanges, type CaseState, type Office, type Rejected, type Role, type TeamId } from '../../../shared/index';
import type { OutboxEntry } from './edits';
import { currentDeadline, msOrNull, toRow, type CaseRow } from './rows';

export function isLive(entry: OutboxEntry): boolean {
  return entry.state === 'pending' || entry.state === 'sent';
}

/** What the desk knows that a mutator asks about. */
export interface OverlayContext {
  officeOf(customerId: string): Office;
  teamsOf(specialistId: string): readonly TeamId[] | undefined;
  /** The specialist signed in at this desk: every edit in its outbox is theirs. */
  actor: { id: string; role: Role };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function stateOf(row: CaseRow): CaseState {
  return {
    id: row.id,
    customerId: row.customerId,
    contactId: row.contactId,
    product: row.product,
    module: row.module,
    category: row.category,
    serviceLevel: row.serviceLevel,
    status: row.status,
    team: row.team,
    assigneeId: row.assigneeId,
    title: row.title,
    billableMinutes: row.billableMinutes,
    billingInformed: row.billingInformed,
    registeredAt: new Date(row.registeredAt).toISOString(),
    handlingStartedAt: iso(row.handlingStartedAt),
    resolvedAt: iso(row.resolvedAt),
  };
}

function withChanges(row: CaseRow, changes: CaseChanges, updatedAt: number): CaseRow {
  const { handlingStartedAt, resolvedAt, description: _notInRow, ...plain } = changes;
  const next: CaseRow = { ...row, ...plain, updatedAt };
  if (handlingStartedAt !== undefined) next.handlingStartedAt = msOrNull(handlingStartedAt);
  if (resolvedAt !== undefined) next.resolvedAt = msOrNull(resolvedAt);
  next.deadlineAt = currentDeadline(next);
  return next;
}

/** A row with one edit applied; `rejected` when the rules refuse the edit (the row is then unchanged). */
export interface Overlaid {
  row: CaseRow | undefined;
  rejected: Rejected | null;
}

/**
 * One edit applied to a row, as the server will apply it: at the time it was made (never before
 * the case's registration), by the signed-in specialist. An edit the rules refuse changes
 * nothing here, and the server's answer will say why.
 */
export function applyEdit(row: CaseRow | undefined, entry: Pick<OutboxEntry, 'envelope' | 'createdAt'>, ctx: OverlayContext): Overlaid {
  const m = entry.envelope;
  const occurredAt = m.occurredAt ?? entry.createdAt;
  if (m.name === 'createCase') {
    const created = createCase(m.args, occurredAt);
    if (created.kind === 'rejected') return { row, rejected: created };
    // Version 0: not on the server yet.
    return { row: { ...toRow(created.case, ctx.officeOf(m.args.customerId)), version: 0 }, rejected: null };
  }
  if (!row || m.name === 'recordGrant' || m.name === 'revokeGrant' || m.name === 'markCallDone' || isAnswerMutation(m)) return { row, rejected: null };
  const state = stateOf(row);
  const at = effectiveTime(occurredAt, state.registeredAt, occurredAt);
  const outcome = mutateCase(state, m, { at, actor: ctx.actor, teamsOf: ctx.teamsOf });
  if (outcome.kind === 'rejected') return { row, rejected: outcome };
  if (outcome.kind === 'unchanged') return { row, rejected: null };
  return { row: withChanges(row, outcome.changes, Date.parse(occurredAt)), rejected: null };
}

/** The description is not in a row; the detail view overlays it on the full case. */
export function pendingDescription(entries: readonly OutboxEntry[]): string | undefined {
  let description: string | undefined;
  for (const e of entries) {
    if (isLive(e) && e.envelope.name === 'editFields' && e.envelope.args.fields.description !== undefined) {
      description = e.envelope.args.fields.description;
    }
    if (isLive(e) && e.envelope.name === 'createCase') description = e.envelope.args.description;
  }
  return description;
}
