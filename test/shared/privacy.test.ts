import { describe, expect, it } from 'vitest';
import { isPhoneOf, personPattern, personProbe, redact, type PersonData } from '../../shared/privacy';

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

  it('looks for a one-word name only in the person\'s own cases, not in every case of the store', () => {
    const cleanOf = (person: PersonData, text: string, nameParts = false): string => redact(text, personPattern(person, { nameParts }) ?? /$^/gu, '[x]');
    for (const name of ['Anna', 'Anna B', 'A Anna'])
      expect(cleanOf({ name, phone: null, email: null }, 'Anna från ekonomi ringde', false), name).toBe('Anna från ekonomi ringde');
    expect(personProbe({ name: 'Anna B', phone: null, email: null })('Anna från ekonomi')).toBe(false);
    expect(cleanOf({ name: 'Anna B', phone: null, email: null }, 'Anna från ekonomi ringde', true)).toBe('[x] från ekonomi ringde');
    expect(cleanOf({ name: 'Bo Ek', phone: null, email: null }, 'Bo Ek ringde; bo ek igen', false)).toBe('[x] ringde; [x] igen');
  });

  it('finds a name part only written as a name, of 3 letters or more, and never a particle', () => {
    const per = { name: 'Per Bo de Ek', phone: null, email: null };
    const cleanPer = (text: string): string => redact(text, personPattern(per, { nameParts: true })!, '[x]');
    expect(cleanPer('500 kr per månad, de kan betala')).toBe('500 kr per månad, de kan betala');
    expect(cleanPer('Per ringde, PER igen; Bo och Ek nämndes; Per Bo de Ek skrev')).toBe('[x] ringde, [x] igen; Bo och Ek nämndes; [x] skrev');
    const anne = { name: 'Anne von Berg', phone: null, email: null };
    expect(redact('Von Berg skrev, von hemmet; berg och dal', personPattern(anne, { nameParts: true })!, '[x]')).toBe('Von [x] skrev, von hemmet; berg och dal');
    expect(redact('Örjan ringde, Orjan också', personPattern({ name: 'Örjan Ås', phone: null, email: null }, { nameParts: true })!, '[x]')).toBe('[x] ringde, [x] också');
  });

  it('does not take a case number or another run of digits for a short phone number', () => {
    const text = 'Ärende 131234 och 100001 gäller; IP 46.8.123.456; se ärende 812345.';
    for (const phone of ['+358131234', '+468123456', '+46812345', '+358100001'])
      expect(redact(text, personPattern({ name: 'X', phone, email: null })!, '[x]'), phone).toBe(text);
    // With its trunk "0" or its country code, a short number is still found.
    const finnish = personPattern({ name: 'X', phone: '+358131234', email: null })!;
    expect(redact('Ring 013 1234, +358 13 1234 eller 00358131234; ärende 131234.', finnish, '[x]')).toBe('Ring [x], [x] eller [x]; ärende 131234.');
    expect(isPhoneOf('013 1234', '+358131234')).toBe(true);
    expect(isPhoneOf('131234', '+358131234')).toBe(false);
  });
});
