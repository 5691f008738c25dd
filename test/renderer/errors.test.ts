// @vitest-environment jsdom
import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../../renderer/src/api/client';
import { cacheProblemOf } from '../../renderer/src/cache/errors';
import { initI18n, setLanguage } from '../../renderer/src/i18n/index';
import { ALL_NAMESPACES, type DeskT } from '../../renderer/src/i18n/typing';
import { codeMessage, errorMessage } from '../../renderer/src/ui/errors';

let t: DeskT;

beforeAll(async () => {
  await initI18n('sv');
  t = i18next.getFixedT(null, ALL_NAMESPACES) as DeskT;
});

describe('error messages', () => {
  it('maps server codes to Swedish and Finnish words, naming the field', async () => {
    await setLanguage('sv');
    expect(codeMessage(t, 'billing_not_informed', 'args.to')).toBe('Kunden har inte informerats om debitering. (status)');
    expect(errorMessage(t, new ApiError(401, 'invalid_credentials', 'wrong e-mail or password'))).toBe('Fel e-post eller lösenord.');
    expect(errorMessage(t, new ApiError(400, 'invalid', 'bad', 'args.fields.serviceLevel'))).toBe('Ogiltigt värde. (servicenivå)');
    await setLanguage('fi');
    expect(codeMessage(t, 'billing_not_informed', 'args.to')).toBe('Asiakkaalle ei ole kerrottu laskutuksesta. (tila)');
    expect(errorMessage(t, new NetworkError(new Error('down')))).toBe('Palvelinta ei tavoiteta. Tarkista yhteys.');
    await setLanguage('sv');
  });

  it('says that an edit refused by its replay key was not saved, and what to do', async () => {
    await setLanguage('fi');
    expect(codeMessage(t, 'idempotency_mismatch', 'mutationId')).toBe(
      'Palvelimella on jo toinen muutos samalla tunnisteella, joten tätä muutosta ei tallennettu. Tee muutos uudelleen. (muutos)',
    );
    await setLanguage('sv');
    expect(codeMessage(t, 'idempotency_mismatch', 'mutationId')).toBe(
      'Servern har redan en annan ändring med samma id, så den här ändringen sparades inte. Gör ändringen igen. (ändring)',
    );
    expect(codeMessage(t, 'client_not_yours', 'clientId')).toMatch(/^Cachen på den här datorn hör till en annan användare/);
  });

  it('says something useful for a code it does not know, in the user language', () => {
    expect(codeMessage(t, 'brand_new_code')).toBe('Servern nekade (brand_new_code).');
    expect(errorMessage(t, new Error('boom'))).toBe('Något gick fel. Försök igen.');
  });

  it('remembers the language choice', async () => {
    await setLanguage('fi');
    expect(localStorage.getItem('desk.lang')).toBe('fi');
    expect(document.documentElement.lang).toBe('fi');
    await setLanguage('sv');
  });
});

describe('cache problems', () => {
  it('recognises a full disk, a blocked and an unreadable database, also wrapped by Dexie', () => {
    expect(cacheProblemOf({ name: 'QuotaExceededError' })).toBe('quota');
    expect(cacheProblemOf({ name: 'AbortError', inner: { name: 'QuotaExceededError' } })).toBe('quota');
    expect(cacheProblemOf({ name: 'DatabaseClosedError' })).toBe('blocked');
    expect(cacheProblemOf({ name: 'OpenFailedError', inner: { name: 'VersionError' } })).toBe('corrupt');
    expect(cacheProblemOf({ name: 'UnknownError' })).toBe('corrupt');
    expect(cacheProblemOf(new NetworkError(null))).toBeNull();
    expect(cacheProblemOf(new Error('x'))).toBeNull();
  });
});
