import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact } from '../../../shared/contract';
import { phoneCandidates } from '../../../shared/numbers';
import { seedDemoData } from '../../../server/demo/seed';
import { AnonymisationList, KEY_FILE, REAPPLY_ROUTE, reapplyAnonymisations } from '../../../server/store/anonymisation-list';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { storedCall } from '../../support/calls';


describe('store: the anonymisation list', () => {
  let dir: string;
  let store: Store;
  let list: AnonymisationList;
  let person: Contact;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-anon-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 40 });
    list = AnonymisationList.of(store);
    const id = store.db.prepare<[], string>('SELECT id FROM contacts WHERE phone IS NOT NULL AND anonymised_at IS NULL ORDER BY id LIMIT 1').pluck().get() ?? '';
    person = store.contacts.get(id) as Contact;
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps ids and keyed hashes only, in files of the data folder that only the server may read', () => {
    list.append(person, '2026-02-01T10:00:00.000Z');
    const text = readFileSync(list.file, 'utf8');
    expect(text).toContain(person.id);
    for (const clear of [person.name, person.phone ?? '', (person.phone ?? '').slice(3), person.email ?? ''].filter((c) => c !== '')) expect(text).not.toContain(clear);
    expect(statSync(list.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    // The key is kept: the same number hashes the same after a restart.
    expect(new AnonymisationList(dir).hash(person.phone ?? '')).toBe(list.hash(person.phone ?? ''));
  });

  it('anonymises a listed contact the database holds again, at its first time, with an audit row; then nothing more', () => {
    list.append(person, '2026-02-01T10:00:00.000Z');
    appendFileSync(list.file, '{"contactId":"torn');
    const reapplied = reapplyAnonymisations(store, new Date('2026-03-01T00:00:00.000Z'), list);
    expect(reapplied.map((r) => r.contactId)).toEqual([person.id]);
    expect(store.contacts.get(person.id)).toMatchObject({ phone: null, email: null, anonymisedAt: '2026-02-01T10:00:00.000Z' });
    expect(store.audit.query({ contactId: person.id, limit: 5 })[0]).toMatchObject({ action: 'anonymise', route: REAPPLY_ROUTE, specialistId: null, detail: { reapplied: true } });
    expect(reapplyAnonymisations(store, new Date(), list)).toEqual([]);
  });

  it('finds the calls of a listed person the database does not hold, by the hash of their number', () => {
    const gone = { ...person, id: 'contact-after-the-backup', phone: '+46701112233' };
    list.append(gone, '2026-02-01T10:00:00.000Z');
    const theirs = storedCall({ fromRaw: '070-111 22 33', from: '+46701112233' });
    const dialled = storedCall({ direction: 'out', fromRaw: '201', to: '0046 70 111 22 33' });
    const other = storedCall({ fromRaw: '070-111 22 34', from: '+46701112234' });
    for (const c of [theirs, dialled, other]) store.calls.insert(c);
    const reapplied = reapplyAnonymisations(store, new Date(), list);
    expect(reapplied).toEqual([{ contactId: gone.id, calls: 2, events: 0, cases: 0 }]);
    expect(store.calls.get(theirs.id)).toMatchObject({ fromRaw: '', from: null });
    expect(store.calls.get(dialled.id)).toMatchObject({ fromRaw: '201', to: '' });
    expect(store.calls.get(other.id)).toMatchObject({ fromRaw: '070-111 22 34' });
    expect(store.audit.query({ action: 'anonymise', limit: 1 })[0]).toMatchObject({ contactId: null, detail: { contactId: gone.id, calls: 2 } });
  });

  it('hashes each distinct number once per start, however many listed people the database does not hold', () => {
    for (let i = 0; i < 5; i++) list.append({ ...person, id: `gone-${i}`, phone: `+4670111223${i}` }, '2026-02-01T10:00:00.000Z');
    const numbers = ['070-555 12 12', '+46 8 555 12 13', '0046705551214'];
    for (let i = 0; i < 30; i++) store.calls.insert(storedCall({ fromRaw: numbers[i % numbers.length], from: null }));
    const distinct = new Set(store.db.prepare<[], string>(`SELECT from_raw FROM calls WHERE direction = 'in' AND from_raw != '' UNION SELECT to_number FROM calls WHERE direction = 'out' AND to_number != ''`).pluck().all());
    const callEventNumbers = new Set(
      store.db.prepare<[], string>(`SELECT json_extract(data, '$.number') FROM case_events WHERE kind = 'call' AND json_extract(data, '$.number') IS NOT NULL`).pluck().all(),
    );
    const most = [...new Set([...distinct, ...callEventNumbers])].reduce((sum, raw) => sum + phoneCandidates(raw).length, 0);
    const hash = vi.spyOn(list, 'hash');
    expect(reapplyAnonymisations(store, new Date(), list)).toEqual([]);
    expect(hash.mock.calls.length).toBeGreaterThan(0);
    expect(hash.mock.calls.length).toBeLessThanOrEqual(most);
  });
});
