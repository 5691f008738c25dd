/**
 * The audit log in the lead's language: action names translated (an action of another part not
 * known here shows its own name), the actor by name, and an admin action's detail as a short diff.
 */
import { useCallback } from 'react';
import { useT, type DeskT } from '../../../i18n/typing';
import { useSession } from '../../hooks';

export const KNOWN_ACTIONS = [
  'account_create',
  'account_update',
  'account_disable',
  'account_enable',
  'password_reset_issued',
  'password_reset_used',
  'password_changed',
  'password_change_failed',
  'two_factor_enrolled',
  'two_factor_disabled',
  'recovery_code_used',
  'session_revoked',
  'cti_token_change',
  'gdpr_search',
  'gdpr_export',
  'anonymise',
  'update',
  'template_create',
  'template_update',
  'template_delete',
  'article_create',
  'article_update',
  'article_delete',
  'sync',
  'view',
  'search',
  'call',
  'gdpr_overview',
  'attachment_download',
  'login',
  'login_failed',
  'login_code_failed',
  'login_throttled',
] as const;
type KnownAction = (typeof KNOWN_ACTIONS)[number];

/** The admin actions offered in the audit view's action filter. */
export const ADMIN_FILTER_ACTIONS: readonly KnownAction[] = KNOWN_ACTIONS.slice(0, 23);

export function actionLabel(t: DeskT, action: string): string {
  return (KNOWN_ACTIONS as readonly string[]).includes(action) ? t(`admin:action.${action as KnownAction}`) : action;
}

const KNOWN_FIELDS = ['name', 'email', 'role', 'teams', 'office', 'language', 'extension', 'active', 'phone', 'superUser', 'trainedModules', 'calls', 'events', 'cases', 'attachments', 'contacts', 'numbers', 'fields', 'title'] as const;
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

/** A specialist's name from the directory (the server itself for null, the id when unknown). */
export function useActorName(): (id: string | null) => string {
  const session = useSession();
  const { t } = useT();
  return useCallback((id: string | null) => (id === null ? t('admin:audit.server') : (session.store.directory.specialists.get(id)?.name ?? id)), [session, t]);
}
