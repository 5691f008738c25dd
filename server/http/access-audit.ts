/**
 * GDPR accountability: every answer that carries a contact's personal data writes one audit row
 * per contact (who, whose, what, where, when), so "who saw this person's data, when" has an
 * answer. Rows are written before the answer is sent. Admin actions (accounts, GDPR export and
 * anonymisation, the phone-switch token) write one row each, with the account they were about
 * and what they changed.
 */
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

/** Actions on accounts and on the server itself (rows with a target and a detail). */
export type AdminAuditAction =
  | 'account_create'
  /** name, role, teams, office or language changed */
  | 'account_update'
  | 'account_disable'
  | 'account_enable'
  /** the phone-switch token differs from the one the server last started with */
  | 'cti_token_change'
  /** an anonymisation re-applied to a restored database (route: `restore`) */
  | 'anonymise'
  /** the lead's customer register: a customer created or changed, a contact added or changed */
  | 'customer_create'
  | 'customer_update'
  | 'contact_create'
  | 'contact_update'
  /** an import of customers and contacts (detail: its counts) */
  | 'customer_import'
  /** a lead's search for a person on the GDPR screen (the detail counts what was found, never the query) */
  | 'gdpr_search'
  /** a report read (detail: its name, period, grouping, filters and format) */
  | 'report_view'
  /** SLA escalation settings saved; a calendar exception added or removed */
  | 'escalation_settings'
  | 'calendar_exception_add'
  | 'calendar_exception_remove';

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
