/**
 * Every error the specialist can see, in their language: server codes map to messages, and the
 * field the server names is translated too ("args.to" → "status").
 */
import type { DeskT } from '../i18n/typing';
import { ApiError, NetworkError } from '../api/client';

const FIELD_KEYS = {
  email: 'email',
  password: 'password',
  to: 'status',
  assigneeId: 'assignee',
  toTeam: 'team',
  reason: 'reason',
  text: 'note',
  minutes: 'minutes',
  number: 'number',
  customerId: 'customer',
  contactId: 'contact',
  title: 'title',
  description: 'description',
  module: 'module',
  product: 'product',
  serviceLevel: 'serviceLevel',
  category: 'category',
  durationHours: 'durationHours',
  fridayHours: 'fridayHours',
  grantedByContactId: 'grantedBy',
  grantedAt: 'grantedAt',
  grantId: 'grant',
  caseId: 'case',
  mutationId: 'edit',
  clientId: 'desk',
  currentPassword: 'currentPassword',
  newPassword: 'newPassword',
  code: 'code',
  extension: 'extension',
  orgNumber: 'orgNumber',
  superUser: 'superUser',
  superUserQuota: 'superUserQuota',
  phone: 'phone',
  name: 'name',
} as const;

export function fieldLabel(t: DeskT, field: string | undefined): string | null {
  if (!field) return null;
  const last = field.split('.').pop() ?? field;
  const key = FIELD_KEYS[last as keyof typeof FIELD_KEYS];
  return key ? t(`errors:fields.${key}`) : last;
}

const CODES = [
  'invalid',
  'invalid_credentials',
  'too_many_attempts',
  'locked',
  'unauthorized',
  'forbidden',
  'not_found',
  'exists',
  'number_taken',
  'number_not_leased',
  'contact_mismatch',
  'anonymised',
  'inactive',
  'same_team',
  'service_level_required',
  'not_adjacent',
  'same_status',
  'unknown_status',
  'billing_not_informed',
  'service_level_missing',
  'too_large',
  'idempotency_mismatch',
  'client_not_yours',
  'weak_password',
  'wrong_password',
  'invalid_code',
  'challenge_expired',
  'two_factor_required',
  'password_change_required',
  'two_factor_enabled',
  'two_factor_off',
  'no_enrolment',
  'own_account',
  'too_many_requests',
  'too_many_numbers',
  'unsupported_media_type',
  'extension_taken',
  'superuser_quota',
  'country_open_cases',
  'import_file',
  'last_lead',
  'calendar_past',
  'calendar_begun',
  'export_busy',
  'no_email',
  'not_superuser',
  'email_in_use',
] as const;
type KnownCode = (typeof CODES)[number];

export function codeMessage(t: DeskT, code: string, field?: string): string {
  const known = (CODES as readonly string[]).includes(code) ? (code as KnownCode) : null;
  const fieldName = fieldLabel(t, field);
  const base = known ? t(`errors:codes.${known}`) : t('errors:codes.unknown', { code });
  return fieldName ? t('errors:withField', { message: base, field: fieldName }) : base;
}

export function errorMessage(t: DeskT, e: unknown): string {
  if (e instanceof NetworkError) return t('errors:offline');
  if (e instanceof ApiError) return codeMessage(t, e.code, e.field);
  return t('errors:unexpected');
}
