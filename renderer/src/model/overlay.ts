/**
 * What the specialist sees: the server's case with the edits still in the outbox applied on
 * top, in order. Conflicted and rejected edits are not applied (the server's version stands
 * until the specialist chooses), so "revert" is simply "stop overlaying".
 */
import { registeredCase, type MutationBody, type Office } from '../../../shared/index';
import type { OutboxEntry } from './edits';
import { currentDeadline, toRow, type CaseRow } from './rows';

export function mutationCaseId(m: MutationBody): string | null {
  switch (m.name) {
    case 'createCase':
      return m.args.id;
    case 'recordGrant':
    case 'revokeGrant':
      return null;
    default:
      return m.args.caseId;
  }
}

export function isLive(entry: OutboxEntry): boolean {
  return entry.state === 'pending' || entry.state === 'sent';
}

/** One edit applied to a row; fields the server derives (handling start, resolution) are left to it. */
export function applyToRow(row: CaseRow | undefined, m: MutationBody, createdAt: string, officeOf: (customerId: string) => Office): CaseRow | undefined {
  if (m.name === 'createCase') {
    // Version 0: not on the server yet.
    return { ...toRow(registeredCase(m.args, createdAt), officeOf(m.args.customerId)), version: 0 };
  }
  if (!row) return undefined;
  const next: CaseRow = { ...row, updatedAt: Date.parse(createdAt) };
  switch (m.name) {
    case 'editFields': {
      const f = m.args.fields;
      if (f.title !== undefined) next.title = f.title;
      if (f.module !== undefined) next.module = f.module;
      if (f.product !== undefined) next.product = f.product;
      if (f.serviceLevel !== undefined) next.serviceLevel = f.serviceLevel;
      if (f.contactId !== undefined) next.contactId = f.contactId;
      break;
    }
    case 'transition':
      next.status = m.args.to;
      break;
    case 'assign':
      next.assigneeId = m.args.assigneeId;
      break;
    case 'transfer':
      next.team = m.args.toTeam;
      break;
    case 'logMinutes':
      next.billableMinutes += m.args.minutes;
      break;
    case 'markBillingInformed':
      next.billingInformed = true;
      break;
    default:
      return row;
  }
  next.deadlineAt = currentDeadline(next);
  return next;
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
