/**
 * The audit log in the lead's language: action names translated (an action of another part not
 * known here shows its own name), the actor by name, and an admin action's detail as a short diff.
 */
import { useCallback } from 'react';
import { ADMIN_AUDIT_ACTIONS, READ_AUDIT_ACTIONS } from '../../../../../shared/index';
import { useT, type DeskT } from '../../../i18n/typing';
import { useSession } from '../../hooks';

/** Every action the server records, in words: the admin actions, then the plain reads and logins. */
export const KNOWN_ACTIONS = [...ADMIN_AUDIT_ACTIONS, ...READ_AUDIT_ACTIONS] as const;
type KnownAction = (typeof KNOWN_ACTIONS)[number];

/** The admin actions offered in the audit view's action filter. */
export const ADMIN_FILTER_ACTIONS: readonly KnownAction[] = ADMIN_AUDIT_ACTIONS;

export function actionLabel(t: DeskT, action: string): string {
  return (KNOWN_ACTIONS as readonly string[]).includes(action) ? t(`admin:action.${action as KnownAction}`) : action;
}

export const KNOWN_FIELDS = [
  'name', 'email', 'role', 'teams', 'office', 'language', 'extension', 'active', 'phone', 'superUser', 'trainedModules',
  'calls', 'events', 'cases', 'attachments', 'contacts', 'numbers', 'fields', 'title', 'mails',
  // A customer's fields, an import's counts, a report's query, a calendar exception.
  'orgNumber', 'country', 'industry', 'licensedModules', 'paymentStatus', 'superUserQuota', 'notes', 'customerId',
  'customersCreated', 'customersChanged', 'customersUnchanged', 'contactsCreated', 'contactsChanged', 'contactsUnchanged', 'rejected', 'rows',
  'from', 'to', 'by', 'team', 'format', 'date', 'kind', 'closesAt', 'note', 'module', 'public', 'scope',
  // The customer centre: a support login's end, a password set by a link, logins ended.
  'expiresAt', 'changed', 'link', 'endedSessions', 'ended', 'session',
  // The phone switch's former token, a file shown in the window, a mail-review entry created.
  'previous', 'inline', 'created',
] as const;
type KnownField = (typeof KNOWN_FIELDS)[number];

const fieldLabel = (t: DeskT, field: string): string => ((KNOWN_FIELDS as readonly string[]).includes(field) ? t(`admin:field.${field as KnownField}`) : field);

function valueText(t: DeskT, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('admin:yes') : t('admin:no');
  if (Array.isArray(value)) return value.map((v) => valueText(t, v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A field's value in words where it is one of the contract's codes (a role, an office, a language). */
function fieldValue(t: DeskT, field: string, value: unknown): string {
  if (field === 'role' && (value === 'lead' || value === 'specialist')) return t(`admin:role.${value}`);
  if (field === 'office' && (value === 'SE' || value === 'FI')) return t(`admin:office.${value}`);
  if (field === 'language' && (value === 'sv' || value === 'fi')) return t(`admin:language.${value}`);
  return valueText(t, value);
}

const isChange = (v: unknown): v is { from: unknown; to: unknown } => typeof v === 'object' && v !== null && 'from' in v && 'to' in v;

/** "roll: specialist → lead; team: 1 → 1, 2" for a change, "samtal: 3" for counts. */
export function detailText(t: DeskT, detail: Record<string, unknown> | null): string {
  if (detail === null) return '';
  return Object.entries(detail)
    .map(([field, value]) => {
      const label = fieldLabel(t, field);
      if (isChange(value)) return `${label}: ${fieldValue(t, field, value.from)} → ${fieldValue(t, field, value.to)}`;
      if (field === 'fields' && Array.isArray(value)) return `${label}: ${value.map((f) => fieldLabel(t, String(f))).join(', ')}`;
      return `${label}: ${fieldValue(t, field, value)}`;
    })
    .join('; ');
}

/** Who did it, in words: no specialist but a contact is a customer (the customer centre), neither the server. */
export function actorText(t: DeskT, specialistName: (id: string) => string, entry: { specialistId: string | null; contactId: string | null }): string {
  if (entry.specialistId !== null) return specialistName(entry.specialistId);
  return entry.contactId !== null ? t('admin:audit.customer') : t('admin:audit.server');
}

/** A row's actor: a specialist's name from the directory (the id when unknown), a customer, or the server. */
export function useActorName(): (entry: { specialistId: string | null; contactId: string | null }) => string {
  const session = useSession();
  const { t } = useT();
  return useCallback(
    (entry: { specialistId: string | null; contactId: string | null }) => actorText(t, (id) => session.store.directory.specialists.get(id)?.name ?? id, entry),
    [session, t],
  );
}
