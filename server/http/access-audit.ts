/**
 * GDPR accountability: every answer that carries a contact's personal data writes one audit row
 * per contact (who, whose, what, where, when), so "who saw this person's data, when" has an
 * answer. Rows are written before the answer is sent.
 */
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
  | 'anonymise';

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
