/** Human words for an edit (pending, in conflict, refused) and for the fields it touches. */
import type { DeskT } from '../i18n/typing';
import { formatPhone, type Case, type CaseEvent, type MutationBody, type Office } from '../../../shared/index';
import type { DeskStore } from '../store/store';
import type { UiLanguage } from '../i18n/format';
import { moduleLabel, productLabel, statusLabel } from '../i18n/labels';

export function describeMutation(t: DeskT, lang: UiLanguage, m: MutationBody, store: DeskStore): string {
  switch (m.name) {
    case 'createCase':
      return t('case:mutation.createCase', { title: m.args.title });
    case 'editFields':
      return t('case:mutation.editFields', { fields: Object.keys(m.args.fields).map((f) => fieldName(t, f)).join(', ') });
    case 'transition':
      return t('case:mutation.transition', { status: statusLabel(m.args.to, lang, store.cases.get(m.args.caseId)?.category) });
    case 'assign':
      return m.args.assigneeId === null
        ? t('case:mutation.unassign')
        : t('case:mutation.assign', { name: store.directory.specialists.get(m.args.assigneeId)?.name ?? '?' });
    case 'transfer':
      return t('case:mutation.transfer', { team: m.args.toTeam });
    case 'addNote':
      return t('case:mutation.addNote');
    case 'sendReply':
      return t('case:mutation.sendReply');
    case 'logMinutes':
      return t('case:mutation.logMinutes', { count: m.args.minutes });
    case 'markBillingInformed':
      return t('case:mutation.markBillingInformed');
    case 'logCall':
      return t('case:mutation.logCall');
    case 'recordGrant':
      return t('case:mutation.recordGrant');
    case 'revokeGrant':
      return t('case:mutation.revokeGrant');
    case 'markCallDone':
      return t('case:mutation.markCallDone');
    case 'logCallback':
      return t('case:mutation.logCallback');
    case 'saveTemplate':
    case 'deleteTemplate':
    case 'saveArticle':
    case 'deleteArticle':
      return t(`answers:mutation.${m.name}`, { title: 'title' in m.args ? m.args.title : '' });
  }
}

/**
 * Who was on the line of a logged call: "Lars Danielsson (070-123 45 67)", or either part
 * alone, or null. The name of an anonymised caller is gone from the event; the contact's
 * placeholder name (if cached) stands in for it.
 */
export function callParty(data: CaseEvent['data'], office: Office, contactName: (id: string) => string | undefined): string | null {
  const name = typeof data.name === 'string' ? data.name : typeof data.contactId === 'string' ? (contactName(data.contactId) ?? null) : null;
  const number = typeof data.number === 'string' && data.number !== '' ? formatPhone(data.number, office) : null;
  return name !== null && number !== null ? `${name} (${number})` : (name ?? number);
}

const FIELD_NAMES = ['title', 'description', 'module', 'product', 'serviceLevel', 'contactId', 'status', 'assigneeId', 'team', 'billingInformed'] as const;
type FieldName = (typeof FIELD_NAMES)[number];

export function fieldName(t: DeskT, field: string): string {
  return (FIELD_NAMES as readonly string[]).includes(field) ? t(`case:fields.${field as FieldName}`) : field;
}

/** A field's value as the specialist reads it. */
export function fieldValue(t: DeskT, lang: UiLanguage, field: string, value: unknown, store: DeskStore, category?: Case['category']): string {
  if (value === null || value === undefined) return '—';
  switch (field) {
    case 'status':
      return statusLabel(value as Case['status'], lang, category);
    case 'module':
      return moduleLabel(value as Case['module'], lang);
    case 'product':
      return productLabel(value as Case['product'], lang);
    case 'assigneeId':
      return store.directory.specialists.get(String(value))?.name ?? String(value);
    case 'contactId':
      return store.directory.contacts.get(String(value))?.name ?? String(value);
    case 'team':
      return t('common:team.short', { team: Number(value) });
    case 'billingInformed':
      return value ? t('common:yes') : t('common:no');
    default:
      return String(value);
  }
}

