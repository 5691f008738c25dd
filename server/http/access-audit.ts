/**
 * GDPR accountability: every answer that carries a contact's personal data writes one audit row
 * per contact (who, whose, what, where, when), so "who saw this person's data, when" has an
 * answer. Rows are written before the answer is sent. Admin actions (accounts, GDPR export and
 * anonymisation, the phone-switch token) write one row each, with the account they were about
 * and what they changed.
 */
import type { AdminAuditActionName } from '../../shared/admin';
import type { CaseEvent } from '../../shared/contract';
import type { Store } from '../store/store';

export type AuditAction =
  /** bootstrap and change-feed pages */
  | 'sync'
  /** a case with its contact, a caller lookup, the caller log */
  | 'view'
  | 'search'
  /** a call pushed to a desk over the live socket */
  | 'call'
  | 'gdpr_overview'
  | 'gdpr_export'
  | 'update'
  | 'anonymise'
  /** a file of a note or mail fetched (the attachment is the target) */
  | 'attachment_download';

/** Actions on accounts, customers, settings and the server itself (rows with a target and a detail): shared's list, which the audit view names in words. */
export type AdminAuditAction = AdminAuditActionName;

export function auditAccess(
  store: Store,
  now: Date,
  specialistId: string | null,
  contactIds: Iterable<string | null | undefined>,
  action: AuditAction,
  route: string,
): void {
  const unique = new Set<string>();
  for (const id of contactIds) if (id) unique.add(id);
  if (unique.size === 0) return;
  store.audit.record(now.toISOString(), specialistId, unique, action, route);
}

export function auditAdmin(
  store: Store,
  now: Date,
  specialistId: string | null,
  action: AdminAuditAction | AuditAction,
  route: string,
  about: { targetId?: string | null; contactId?: string | null; detail?: Record<string, unknown> | null } = {},
): void {
  store.audit.recordAction({ at: now.toISOString(), specialistId, action, route, ...about });
}

/**
 * The contacts a case history names besides the case's own: a logged call carries its caller's
 * (or callee's) contact, name and number, and a call may be logged on any customer's case.
 */
export function contactsInEvents(events: Iterable<Pick<CaseEvent, 'kind' | 'data'>>): string[] {
  const ids: string[] = [];
  for (const event of events) {
    const id = event.kind === 'call' ? event.data.contactId : undefined;
    if (typeof id === 'string' && id !== '') ids.push(id);
  }
  return ids;
}
