import { describe, expect, it } from 'vitest';
import { isPhoneOf, personPattern, personProbe, redact } from '../../shared/privacy';

const anna = { name: 'Anna Söderström', phone: '+46701234567', email: 'Anna.Soderstrom@bygg.se' };
const clean = (text: string, nameParts = false): string => {
  const pattern = personPattern(anna, { nameParts });
  if (!pattern) throw new Error('no pattern');
  const redacted = redact(text, pattern, '[x]');
  // The quick test never says no where the pattern finds something.
  if (redacted !== text) expect(personProbe(anna, { nameParts })(text), text).toBe(true);
  return redacted;
};

describe('privacy: finding a person in free text', () => {
  it('finds the phone number as people write it', () => {
    for (const written of ['070-123 45 67', '0701234567', '070 123 45 67', '+46 70 123 45 67', '+46701234567', '0046 70-123 45 67', '+46 (0)70 123 45 67', '46701234567', '(070) 1234567', '070.123.45.67'])
      expect(clean(`Ring ${written} efter lunch.`), written).toBe('Ring [x] efter lunch.');
  });

  it('leaves other numbers alone, also ones that contain the digits', () => {
    for (const other of ['070-123 45 68', '1070-123 45 67', '070-123 45 678', 'ärende 123456', '+358701234567'])
      expect(clean(`Se ${other}.`), other).toBe(`Se ${other}.`);
  });

  it('finds the e-mail address in any case, and the name in either order, with or without diacritics', () => {
    expect(clean('Skriv till anna.soderstrom@BYGG.se')).toBe('Skriv till [x]');
    expect(clean('Anna Söderström ringde; Söderström, Anna igen; anna soderstrom tredje gången')).toBe('[x] ringde; [x] igen; [x] tredje gången');
    // A single name is another person's unless asked for (the person's own cases).
    expect(clean('Anna från ekonomi')).toBe('Anna från ekonomi');
    expect(clean('Anna från ekonomi, Annalena', true)).toBe('[x] från ekonomi, Annalena');
  });

  it('quickly rules out text that holds none of it', () => {
    const probe = personProbe(anna);
    for (const text of ['Semesterlönen beräknas fel', 'Ring 070-555 12 12', 'Anna från ekonomi', 'anna.s@bygg.se']) expect(probe(text), text).toBe(false);
    expect(personProbe(anna, { nameParts: true })('Anna från ekonomi')).toBe(true);
  });

  it('reads a call\'s raw number as the person\'s in any format', () => {
    expect(isPhoneOf('070-1234567', anna.phone)).toBe(true);
    expect(isPhoneOf('0046701234567', anna.phone)).toBe(true);
    expect(isPhoneOf('0701234568', anna.phone)).toBe(false);
    expect(isPhoneOf('+46812345000', anna.phone)).toBe(false);
  });
});
