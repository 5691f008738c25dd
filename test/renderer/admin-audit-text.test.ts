// @vitest-environment jsdom
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../renderer/src/api/client';
import { initI18n, setLanguage } from '../../renderer/src/i18n/index';
import { ALL_NAMESPACES, type DeskT } from '../../renderer/src/i18n/typing';
import { actionLabel, detailText } from '../../renderer/src/ui/lead/admin/auditText';
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
    expect(actionLabel(t, 'customer_import')).toBe('customer_import');
    await setLanguage('fi');
    expect(actionLabel(t, 'account_disable')).toBe('Käyttäjätili poistettu käytöstä');
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
