// @vitest-environment jsdom
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../renderer/src/api/client';
import { initI18n, setLanguage } from '../../renderer/src/i18n/index';
import { ALL_NAMESPACES, type DeskT } from '../../renderer/src/i18n/typing';
import { actionLabel, actorText, detailText, KNOWN_FIELDS } from '../../renderer/src/ui/lead/admin/auditText';
import { ADMIN_AUDIT_ACTIONS, READ_AUDIT_ACTIONS } from '../../shared/admin';
import { CustomerSchema } from '../../shared/contract';
import type { AdminAuditAction } from '../../server/http/access-audit';
import { formErrors } from '../../renderer/src/ui/lead/admin/shared';

let t: DeskT;

beforeAll(async () => {
  await initI18n('sv');
  t = i18next.getFixedT(null, ALL_NAMESPACES) as DeskT;
});

describe('the audit log in the lead\'s language', () => {
  it('names actions in Swedish and Finnish, and an action of another part by its own name', async () => {
    await setLanguage('sv');
    expect(actionLabel(t, 'account_disable')).toBe('Konto inaktiverat');
    expect(actionLabel(t, 'some_future_action')).toBe('some_future_action');
    expect(actionLabel(t, 'customer_import')).toBe('Kundimport');
    await setLanguage('fi');
    expect(actionLabel(t, 'account_disable')).toBe('Käyttäjätili poistettu käytöstä');
    await setLanguage('sv');
  });

  it('has a Swedish, Finnish and English word for every action the server records (AdminAuditAction and every read)', async () => {
    // AdminAuditAction is ADMIN_AUDIT_ACTIONS' type: a new admin action goes into that list, and then fails here until it has words.
    const admin: readonly AdminAuditAction[] = ADMIN_AUDIT_ACTIONS;
    const all = [...admin, ...READ_AUDIT_ACTIONS];
    expect(all).toEqual(expect.arrayContaining(['customer_create', 'report_view', 'calendar_exception_add', 'centre_invite', 'centre_login', 'centre_case_view', 'gdpr_export']));
    // The centre's reads stay out of the lead's admin view (kind=admin leaves out READ_AUDIT_ACTIONS); its account changes are admin actions.
    expect(READ_AUDIT_ACTIONS).toEqual(expect.arrayContaining(['centre_grants', 'centre_sessions', 'centre_article_view', 'centre_file_download']));
    expect(ADMIN_AUDIT_ACTIONS).toEqual(
      expect.arrayContaining(['centre_password_changed', 'centre_password_change_failed', 'centre_password_change_throttled', 'centre_session_end', 'centre_sessions_end_others', 'centre_upload']),
    );
    for (const lng of ['sv', 'fi', 'en']) {
      for (const action of all) {
        expect(i18next.exists(`admin:action.${action}`, { lng }), `${lng} ${action}`).toBe(true);
        expect(i18next.t(`admin:action.${action}`, { lng }), `${lng} ${action}`).not.toBe(action);
      }
      // A customer's every field (what customer_create records) has a word too.
      for (const field of Object.keys(CustomerSchema.shape).filter((f) => f !== 'id')) {
        expect(KNOWN_FIELDS as readonly string[], field).toContain(field);
        expect(i18next.exists(`admin:field.${field}`, { lng }), `${lng} ${field}`).toBe(true);
      }
    }
    await setLanguage('sv');
    expect(actionLabel(t, 'centre_login')).toBe('Kundcentret: inloggning');
    expect(actionLabel(t, 'centre_sessions_end_others')).toBe('Kundcentret: andra inloggningar avslutade');
    expect(detailText(t, { endedSessions: 2 })).toBe('avslutade inloggningar: 2');
    expect(detailText(t, { orgNumber: { from: '556000-0001', to: '556000-0002' }, superUserQuota: { from: 2, to: 3 } })).toBe('organisationsnummer: 556000-0001 → 556000-0002; antal SuperUsers: 2 → 3');
  });

  it('names a customer (no specialist, a contact) as the customer, no one as the server', async () => {
    const names = (id: string): string => `name of ${id}`;
    await setLanguage('sv');
    expect(actorText(t, names, { specialistId: null, contactId: 'c1' })).toBe('Kund (kundcentret)');
    expect(actorText(t, names, { specialistId: null, contactId: null })).toBe('Desk (servern)');
    expect(actorText(t, names, { specialistId: 's1', contactId: 'c1' })).toBe('name of s1');
    await setLanguage('fi');
    expect(actorText(t, names, { specialistId: null, contactId: 'c1' })).toBe('Asiakas (asiakaskeskus)');
    await setLanguage('sv');
  });

  it('shows a change as a short diff in words, counts as counts', async () => {
    await setLanguage('sv');
    expect(detailText(t, { role: { from: 'specialist', to: 'lead' }, teams: { from: [1], to: [1, 2] }, active: { from: true, to: false } })).toBe(
      'roll: Specialist → Teamledare; team: 1 → 1, 2; aktivt: Ja → Nej',
    );
    expect(detailText(t, { calls: 2, events: 5 })).toBe('samtal: 2; händelser: 5');
    expect(detailText(t, { fields: ['email', 'phone'] })).toBe('fält: e-post, telefon');
    expect(detailText(t, null)).toBe('');
  });

  it('puts a refusal at the field it names, or above the form when the form has no such field', async () => {
    await setLanguage('sv');
    expect(formErrors(t, new ApiError(409, 'extension_taken', 'taken', 'extension'), ['extension'])).toEqual({
      fields: { extension: 'En annan aktiv specialist har redan den anknytningen.' },
      form: null,
    });
    expect(formErrors(t, new ApiError(409, 'last_lead', 'last'), ['role']).form).toBe('Det måste finnas minst en aktiv teamledare. Gör någon annan till teamledare först.');
  });
});
