/**
 * A cold start from stored orders (DeskStore.load): the rows the orders name go into the maps as
 * each case's newest version, older copies in the same chunks are never shown, and the queue,
 * the counts and lookup by number answer as after applying every row one by one.
 */
import { describe, expect, it } from 'vitest';
import { emptyDelta, type CaseRow } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { DEFAULT_FILTERS, selectQueue, SORT_KEYS, type QueueQuery } from '../../renderer/src/model/queue';
import { ordersOf } from '../../renderer/src/cache/compact';
import { row } from './rows';

/** The specialist signed in: the outbox's edits are theirs. */
const ME = { id: 'me', role: 'specialist' as const };

const query: QueueQuery = { teams: [1, 2], view: 'all', filters: { ...DEFAULT_FILTERS, status: 'all' }, sort: { key: 'urgency', dir: 'asc' } };
const ctx = { meId: 'me', now: 0 };

describe('a cold start from stored orders', () => {
  const rows = Array.from({ length: 40 }, (_, i) => row({ number: 9000 + i, deadlineAt: (i * 7) % 5, registeredAt: (i * 3) % 4, status: i % 4 ? 'new' : 'closed', team: i % 3 ? 1 : 2 }));
  // A case learnt twice in the chunks the orders cover: the later copy is the newer one.
  const renewed: CaseRow = { ...rows[3]!, version: 2, status: 'closed', deadlineAt: 77 };
  const stored = [...rows.slice(0, 25), renewed, ...rows.slice(25)];
  const deltas = [
    { ...emptyDelta(), rows: stored.slice(0, 20), chunk: 4 },
    { ...emptyDelta(), rows: stored.slice(20), chunk: 6 },
  ];
  const shown = rows.map((r) => (r.id === renewed.id ? renewed : r));

  it('shows each case once, its newest version, with counts and lookup as a store built row by row', async () => {
    const orders = await ordersOf(stored, 6);
    const cold = new DeskStore(ME);
    cold.load(deltas, orders);
    const warm = new DeskStore(ME);
    for (const d of deltas) warm.ingest(d);
    expect(cold.cases.size).toBe(40);
    expect(cold.cases.byNumber(renewed.number)).toBe(renewed);
    expect(cold.cases.get(rows[10]!.id)).toBe(rows[10]);
    expect(cold.queue.select(query, ctx)).toEqual(selectQueue(shown, query, ctx));
    expect(cold.queue.openCounts).toEqual(warm.queue.openCounts);
    expect(cold.cases.rows().length).toBe(warm.cases.rows().length);
  });

  it('merges a newer copy learnt after the orders, and later changes, into the seeded queue', async () => {
    const orders = await ordersOf(stored, 6);
    const later: CaseRow = { ...rows[8]!, version: 3, deadlineAt: 1, status: 'line2' };
    const cold = new DeskStore(ME);
    cold.load([...deltas, { ...emptyDelta(), rows: [later], chunk: 9 }], orders);
    const expected = shown.map((r) => (r.id === later.id ? later : r));
    expect(cold.cases.byNumber(later.number)).toBe(later);
    expect(cold.queue.select(query, ctx)).toEqual(selectQueue(expected, query, ctx));
    const edited: CaseRow = { ...rows[12]!, version: 2, status: 'closed' };
    cold.ingest({ ...emptyDelta(), rows: [edited] });
    expect(cold.queue.select(query, ctx)).toEqual(selectQueue(expected.map((r) => (r.id === edited.id ? edited : r)), query, ctx));
    expect(cold.queue.openCounts).toEqual(countOpen(expected.map((r) => (r.id === edited.id ? edited : r))));
  });

  it('catches up a slice at a time after the first paint, with rows coming in between', async () => {
    const orders = await ordersOf(stored, 6);
    const pulled = Array.from({ length: 12 }, (_, i) => row({ number: 9900 + i, team: 1 }));
    const moved: CaseRow = { ...rows[7]!, version: 2, title: 'moved on', status: 'closed' };
    const expected = [...shown.map((r) => (r.id === moved.id ? moved : r)), ...pulled];
    const sliced = new DeskStore(ME);
    sliced.load(deltas, orders);
    // An order other than the one shown, asked for before the catch-up split it.
    const byAge: QueueQuery = { ...query, sort: { key: 'age', dir: 'desc' } };
    expect(sliced.queue.select(byAge, ctx)).toEqual(selectQueue(shown, byAge, ctx));
    let slices = 0;
    // A slice whose time is up at once still takes one step (one of the 64 parts by number first).
    while (!sliced.catchUpIndexes(0)) {
      slices++;
      // Half the map by number filled: these land in filled and unfilled parts alike.
      if (slices === 32) sliced.ingest({ ...emptyDelta(), rows: [...pulled, moved] });
    }
    expect(slices).toBeGreaterThanOrEqual(63);
    expect(sliced.catchUpIndexes(0)).toBe(true);
    for (const r of expected) expect(sliced.cases.byNumber(r.number)).toBe(r);
    for (const key of SORT_KEYS) {
      const q: QueueQuery = { ...query, sort: { key, dir: 'asc' } };
      expect(sliced.queue.select(q, ctx)).toEqual(selectQueue(expected, q, ctx));
    }
    expect(sliced.queue.openCounts).toEqual(countOpen(expected));
  });

  it('never lets the catch-up file a stored row over a newer one learnt between its slices', async () => {
    const many = Array.from({ length: 2500 }, (_, i) => row({ number: 20_000 + i, team: i % 2 ? 1 : 2 }));
    const store = new DeskStore(ME);
    store.load([{ ...emptyDelta(), rows: many, chunk: 1 }], await ordersOf(many, 1));
    expect(store.catchUpIndexes(0)).toBe(false); // the first thousand filed by id
    expect(store.cases.size).toBe(2500);
    const newer: CaseRow = { ...many[2000]!, version: 2, title: 'changed elsewhere' };
    store.ingest({ ...emptyDelta(), rows: [newer] });
    while (!store.catchUpIndexes(0));
    expect(store.cases.get(newer.id)).toBe(newer);
    expect(store.cases.byNumber(newer.number)).toBe(newer);
    expect(store.cases.get(many[2499]!.id)).toBe(many[2499]);
    expect(store.cases.size).toBe(2500);
  });

  it('indexes the contacts it read after the first paint, older before newer whenever they are asked for', async () => {
    const anna = { id: 'p1', customerId: 'c1', name: 'Anna', email: null, phone: '+46701234567', superUser: true, superUserSince: null, trainedModules: [], anonymisedAt: null };
    const bo = { ...anna, id: 'p2', name: 'Bo', phone: '+46709876543', superUser: false };
    const withContacts = [{ ...deltas[0]!, contacts: [anna, bo] }, deltas[1]!];
    const orders = await ordersOf(stored, 6);
    // Asked for before the catch-up: filed at once.
    const early = new DeskStore(ME);
    early.load(withContacts, orders);
    expect(early.directory.contactByPhone.get(anna.phone)?.name).toBe('Anna');
    expect(early.directory.contactsByCustomer.get('c1')?.map((c) => c.id)).toEqual(['p1', 'p2']);
    // A newer copy learnt before the catch-up filed the stored one: the newer one stays.
    const late = new DeskStore(ME);
    late.load(withContacts, orders);
    late.ingest({ ...emptyDelta(), contacts: [{ ...anna, name: 'Anna A.', phone: '+46700000000' }] });
    while (!late.catchUpIndexes(0));
    expect(late.directory.contacts.get('p1')?.name).toBe('Anna A.');
    expect(late.directory.contactByPhone.get(anna.phone)).toBeUndefined();
    expect(late.directory.contactByPhone.get('+46700000000')?.id).toBe('p1');
    expect(late.directory.contactsByCustomer.get('c1')).toHaveLength(2);
    // Filed by the catch-up alone.
    const idle = new DeskStore(ME);
    idle.load(withContacts, orders);
    while (!idle.catchUpIndexes(0));
    expect(idle.directory.contactByPhone.get(bo.phone)?.name).toBe('Bo');
  });

  it('answers lookups by number whether the index by number has caught up or not, with what came in meanwhile', async () => {
    const orders = await ordersOf(stored, 6);
    const pulled: CaseRow = row({ number: 9999, team: 2 });
    const moved: CaseRow = { ...rows[5]!, version: 2, title: 'moved on' };
    // Caught up only by the first lookup, after changes applied while it was behind.
    const lazy = new DeskStore(ME);
    lazy.load(deltas, orders);
    lazy.ingest({ ...emptyDelta(), rows: [pulled, moved] });
    expect(lazy.cases.byNumber(pulled.number)).toBe(pulled);
    expect(lazy.cases.byNumber(moved.number)).toBe(moved);
    expect(lazy.cases.byNumber(renewed.number)).toBe(renewed);
    // Caught up after the paint, then changed as usual.
    const early = new DeskStore(ME);
    early.load(deltas, orders);
    early.catchUpIndexes(Infinity);
    early.ingest({ ...emptyDelta(), rows: [pulled, moved] });
    for (const r of [...shown, pulled, moved]) expect(early.cases.byNumber(r.number)?.id).toBe(r.id);
    for (const r of [...shown, pulled]) expect(lazy.cases.byNumber(r.number)?.id).toBe(r.id);
    expect(early.cases.byNumber(12_345)).toBeUndefined();
    // A store cleared for a re-sync knows no numbers, and learns them again as rows come.
    early.clear();
    expect(early.cases.byNumber(pulled.number)).toBeUndefined();
    early.ingest({ ...emptyDelta(), rows: [pulled] });
    expect(early.cases.byNumber(pulled.number)).toBe(pulled);
  });
});

function countOpen(rows: readonly CaseRow[]): Record<1 | 2, number> {
  const counts = { 1: 0, 2: 0 };
  for (const r of rows) if (r.status !== 'closed') counts[r.team]++;
  return counts;
}
