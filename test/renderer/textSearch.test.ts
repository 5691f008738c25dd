import { describe, expect, it } from 'vitest';
import type { CaseEvent, Contact, Customer } from '../../shared/index';
import { highlight, rankCases, termsOf, TextIndex, words } from '../../renderer/src/model/textSearch';

const customer = (id: string, name: string, orgNumber = '556123-4567'): Customer =>
  ({ id, name, orgNumber, country: 'SE' }) as unknown as Customer;
const contact = (id: string, customerId: string, name: string, email: string | null = null): Contact =>
  ({ id, customerId, name, email, phone: null, anonymisedAt: null }) as unknown as Contact;
const note = (id: string, caseId: string, text: string): CaseEvent => ({
  id,
  caseId,
  at: '2026-01-01T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
  actorId: null,
  kind: 'note',
  text,
  data: {},
});

describe('the tokeniser', () => {
  it('folds å, ä and ö so a query without them finds words with them', () => {
    expect(termsOf('Östersund')[0]).toBe('ostersund');
    expect(termsOf('Järvinen')[0]).toBe('jarvinen');
    expect(termsOf('påminnelse')[0]).toBe('paminnelse');
  });

  it('stems Swedish plurals to the singular: fakturor and faktura share a term', () => {
    const shared = termsOf('fakturor').filter((t) => termsOf('faktura').includes(t));
    expect(shared).toContain('faktur');
  });

  it('stems Finnish: laskut and lasku share a term', () => {
    expect(termsOf('laskut')).toContain('lasku');
    expect(termsOf('lasku')).toContain('lasku');
  });

  it('splits on everything but letters and digits', () => {
    expect(words('Lön-körning, 2026: FEL!')).toEqual(['lön', 'körning', '2026', 'fel']);
  });

  it('marks the words that match, keeping the text around them', () => {
    const parts = highlight('Fakturor saknas i Östersund', ['faktur', 'ostersund']);
    expect(parts.filter((p) => p.mark).map((p) => p.text)).toEqual(['Fakturor', 'Östersund']);
    expect(parts.map((p) => p.text).join('')).toBe('Fakturor saknas i Östersund');
  });
});

describe('the index', () => {
  const index = new TextIndex();
  index.putCase({ id: 'c1', number: 1001, title: 'Fakturor skrivs inte ut', description: 'Kunden kan inte skriva ut.' });
  index.putCase({ id: 'c2', number: 1002, title: 'Laskut puuttuvat', description: 'Asiakas ei näe laskuja.' });
  index.putCase({ id: 'c3', number: 1003, title: 'Lönekörning', description: 'Fel i semesterlön.' });
  index.putEvent(note('e1', 'c3', 'Ringde kunden, väntar på skärmdump.'));
  index.putCustomer(customer('k1', 'Östersunds Bygg AB'));
  index.putContact(contact('p1', 'k1', 'Anna Järvinen', 'anna@example.se'));

  it('finds a plural by its singular and the other way round', () => {
    expect(index.search('faktura').cases.map((h) => h.id)).toEqual(['c1']);
    expect(index.search('lasku').cases.map((h) => h.id)).toEqual(['c2']);
  });

  it('finds by a prefix as it is typed', () => {
    expect(index.search('fakt').cases.map((h) => h.id)).toEqual(['c1']);
    expect(index.search('lönek').cases.map((h) => h.id)).toEqual(['c3']);
  });

  it('finds the words of a note, and says the case matched in a note', () => {
    const hits = index.search('skärmdump').cases;
    expect(hits.map((h) => h.id)).toEqual(['c3']);
    expect(hits[0]?.fields).toEqual(['note']);
    expect(hits[0]?.snippet).toBe('Ringde kunden, väntar på skärmdump.');
  });

  it('folds the query too: ostersund finds Östersunds Bygg, jarvinen finds Anna Järvinen', () => {
    expect(index.search('ostersund').customers.map((h) => h.id)).toEqual(['k1']);
    expect(index.search('jarvinen').contacts.map((h) => h.id)).toEqual(['p1']);
  });

  it('finds another Finnish form of a long word that is not the last one typed', () => {
    const own = new TextIndex();
    own.putEvent(note('n1', 'c1', 'Asiakkaan kuittitulostimet eivät tulosta'));
    expect(own.search('kuittitulostin ei').cases.map((h) => h.id)).toEqual(['c1']);
  });

  it('needs every word of the query', () => {
    expect(index.search('fakturor skriv').cases.map((h) => h.id)).toEqual(['c1']);
    expect(index.search('fakturor lasku').cases).toEqual([]);
  });

  it('follows changes: a new title replaces the old one, a new note adds its words', () => {
    const own = new TextIndex();
    own.putCase({ id: 'c9', number: 9, title: 'Skrivare', description: '' });
    own.putCase({ id: 'c9', number: 9, title: 'Bokslut', description: '' });
    expect(own.search('skrivare').cases).toEqual([]);
    expect(own.search('bokslut').cases.map((h) => h.id)).toEqual(['c9']);
    own.putEvent(note('n9', 'c9', 'Tulostin ei toimi'));
    expect(own.search('tulostin').cases.map((h) => h.id)).toEqual(['c9']);
  });

  it('forgets an anonymised contact', () => {
    const own = new TextIndex();
    own.putContact(contact('p2', 'k1', 'Bertil Ek'));
    own.putContact({ ...contact('p2', 'k1', 'Bertil Ek'), anonymisedAt: '2026-01-01T00:00:00.000Z' } as Contact);
    expect(own.search('bertil').contacts).toEqual([]);
  });
});

describe('ranking', () => {
  it('puts the case whose number was typed first, then the word hits, each once', () => {
    const hits = [
      { kind: 'case' as const, id: 'a', score: 9, terms: [], fields: [] },
      { kind: 'case' as const, id: 'n', score: 1, terms: [], fields: [] },
    ];
    expect(rankCases('n', hits)).toEqual(['n', 'a']);
    expect(rankCases(null, hits)).toEqual(['a', 'n']);
  });

  it('ranks a title hit above a description hit', () => {
    const index = new TextIndex();
    index.putCase({ id: 'd', number: 1, title: 'Import', description: 'Bokslutet stämmer inte' });
    index.putCase({ id: 't', number: 2, title: 'Bokslut', description: 'Import av verifikat' });
    expect(index.search('bokslut').cases.map((h) => h.id)).toEqual(['t', 'd']);
  });
});
