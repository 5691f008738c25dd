import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseEventSchema, CaseSchema, type Case, type CaseEvent, type Contact } from '../../../shared/contract';
import { seedDemoData } from '../../../server/demo/seed';
import { anonymiseContact, TEXT_LIMITS } from '../../../server/store/anonymise';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { storedCall } from '../../support/calls';

const NOW = new Date('2026-03-01T10:00:00.000Z');


describe('store: anonymising a contact', () => {
  let dir: string;
  let store: Store;
  let person: Contact;
  let own: Case;
  let other: Case;

  const event = (caseId: string, kind: CaseEvent['kind'], text: string | null, data: CaseEvent['data'] = {}): CaseEvent => {
    const e: CaseEvent = { id: randomUUID(), caseId, at: NOW.toISOString(), receivedAt: NOW.toISOString(), actorId: null, kind, text, data };
    store.events.insert(e);
    return e;
  };
  const setTexts = (c: Case, title: string, description: string): void => store.cases.updateFields({ ...c, title, description }, ['title', 'description']);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-anonymise-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 40 });
    const id = store.db.prepare<[], string>('SELECT contact_id FROM cases WHERE contact_id IS NOT NULL GROUP BY contact_id ORDER BY contact_id LIMIT 1').pluck().get() ?? '';
    person = { ...(store.contacts.get(id) as Contact), name: 'Bo Ek', email: 'b@e.se', phone: '+46701234567' };
    store.contacts.update(person);
    own = store.cases.byContact(person.id)[0] as Case;
    other = store.db.prepare<[string], string>('SELECT id FROM cases WHERE contact_id IS NOT ? LIMIT 1').pluck().all(person.id).map((i) => store.cases.get(i) as Case)[0] as Case;
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every text within the contract\'s limits when the placeholder is longer than what it replaces', () => {
    const fill = (max: number, unit: string): string => unit.repeat(Math.ceil(max / unit.length)).slice(0, max);
    // Texts at their limits, full of the person's short name, address and number.
    setTexts(own, fill(TEXT_LIMITS.title, 'Bo Ek '), fill(TEXT_LIMITS.description, 'b@e.se '));
    setTexts(other, fill(TEXT_LIMITS.title, 'Bo Ek, '), fill(TEXT_LIMITS.description, '0701234567 '));
    const note = event(own.id, 'note', fill(TEXT_LIMITS.eventText, 'Bo ringde. '));
    const otherNote = event(other.id, 'note', `${'x'.repeat(TEXT_LIMITS.eventText - 6)} Bo Ek`);
    store.transaction(() => anonymiseContact(store, person, NOW));
    for (const c of [own, other]) {
      const saved = store.cases.get(c.id);
      expect(() => CaseSchema.parse(saved)).not.toThrow();
      expect(saved?.title).toContain('[borttaget]');
      expect(saved?.description).toContain('[borttaget]');
    }
    for (const e of [note, otherNote]) {
      const saved = store.events.forCase(e.caseId).find((x) => x.id === e.id);
      expect(() => CaseEventSchema.parse(saved)).not.toThrow();
      expect(saved?.text?.length).toBeLessThanOrEqual(TEXT_LIMITS.eventText);
    }
    // Cut at the limit, the rest of the text as it was.
    expect(store.events.forCase(other.id).find((x) => x.id === otherNote.id)?.text).toBe(`${'x'.repeat(TEXT_LIMITS.eventText - 6)} [bort`);
  });

  it('takes a one-word name out of the person\'s own cases only', () => {
    const anna = { ...person, name: 'Anna B', email: null, phone: null };
    store.contacts.update(anna);
    setTexts(own, 'Anna ringde om lönen', 'Anna från ekonomi');
    setTexts(other, 'Anna ringde om lönen', 'Anna från ekonomi');
    store.transaction(() => anonymiseContact(store, anna, NOW));
    expect(store.cases.get(own.id)).toMatchObject({ title: '[borttaget] ringde om lönen', description: '[borttaget] från ekonomi' });
    expect(store.cases.get(other.id)).toMatchObject({ title: 'Anna ringde om lönen', description: 'Anna från ekonomi' });
  });

  it('leaves the calls of another contact who shares the number (a switchboard) alone', () => {
    const colleague = store.db.prepare<[string, string], string>('SELECT id FROM contacts WHERE customer_id = ? AND id != ? LIMIT 1').pluck().get(person.customerId, person.id) as string;
    expect(colleague).toBeTruthy();
    const theirs = storedCall({ fromRaw: '070-123 45 67', from: '+46701234567', contactId: colleague });
    const mine = storedCall({ fromRaw: '070-123 45 67', from: '+46701234567', contactId: person.id });
    const unlinked = storedCall({ fromRaw: '070-123 45 67', from: '+46701234567' });
    for (const c of [theirs, mine, unlinked]) store.calls.insert(c);
    const theirEvent = event(other.id, 'call', null, { callId: theirs.callId, contactId: colleague, name: 'Kollega', number: '+46701234567' });
    const myEvent = event(own.id, 'call', null, { callId: mine.callId, contactId: null, name: 'Bo Ek', number: '+46701234567' });
    const outcome = store.transaction(() => anonymiseContact(store, person, NOW));
    expect(outcome.calls).toBe(2);
    expect(store.calls.get(theirs.id)).toMatchObject({ fromRaw: '070-123 45 67', from: '+46701234567' });
    expect(store.calls.get(mine.id)).toMatchObject({ fromRaw: '', from: null });
    expect(store.calls.get(unlinked.id)).toMatchObject({ fromRaw: '', from: null });
    expect(store.events.forCase(other.id).find((e) => e.id === theirEvent.id)?.data).toMatchObject({ name: 'Kollega', number: '+46701234567' });
    expect(store.events.forCase(own.id).find((e) => e.id === myEvent.id)?.data).toMatchObject({ name: null, number: null });
  });
});
