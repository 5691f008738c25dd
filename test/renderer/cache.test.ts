/**
 * The cache layout (cache/chunks.ts) and its compaction (cache/compact.ts) on fake-indexeddb:
 * what a cold start reads back, full records and timelines found from a row, each case once
 * after compaction with the queue's orders matching a sort.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case, CaseEvent, Customer } from '../../shared/index';
import { prepareChunk, readFullCase, readTimeline, SLICE_EVENT_CASES, writeChunk, type PageData } from '../../renderer/src/cache/chunks';
import { readStoredCache } from '../../renderer/src/cache/storedCache';
import { DeskDb } from '../../renderer/src/cache/db';
import { decodeDelta, type CaseRow } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { COMPARATORS, SORT_KEYS } from '../../renderer/src/model/queue';
import { compact } from '../../renderer/src/cache/compact';

/** The specialist signed in: the outbox's edits are theirs. */
const ME = { id: 'me', role: 'specialist' as const };

let counter = 0;
const open: DeskDb[] = [];
async function freshDb(): Promise<DeskDb> {
  const db = new DeskDb(`cache-test-${process.pid}-${++counter}`);
  await db.open();
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function aCase(n: number, overrides: Partial<Case> = {}): Case {
  return {
    id: `case-${n}`,
    number: 200_000 + n,
    customerId: 'cust-1',
    contactId: null,
    product: 'go',
    module: 'finance',
    category: 'support',
    serviceLevel: null,
    status: n % 3 === 0 ? 'closed' : 'new',
    team: 1,
    assigneeId: null,
    title: `Ärende ${n}`,
    description: `Beskrivning ${n}`,
    channel: 'phone',
    billableMinutes: 0,
    billingInformed: false,
    registeredAt: new Date(Date.UTC(2026, 0, 1) + ((n * 7919) % 500) * 3_600_000).toISOString(),
    handlingStartedAt: null,
    resolvedAt: null,
    updatedAt: new Date(Date.UTC(2026, 1, 1) + ((n * 104729) % 700) * 60_000).toISOString(),
    version: 1,
    fieldVersions: {},
    ...overrides,
  };
}

const customer = { id: 'cust-1', name: 'Bygg AB', country: 'FI' } as Customer;
const page = (cases: Case[], extra: Partial<PageData> = {}): PageData => ({ cases, customers: [], contacts: [], specialists: [], grants: [], events: [], ...extra });

async function store(db: DeskDb, data: PageData): Promise<CaseRow[]> {
  const prepared = await prepareChunk(db, data, () => 'FI');
  await db.transaction('rw', [db.rowChunks, db.caseSlices, db.events], () => writeChunk(db, prepared));
  return prepared.delta.rows;
}

describe('cache chunks', () => {
  it('reads back every delta in the order it was stored, rows pointing at their full records', async () => {
    const db = await freshDb();
    await store(db, page(Array.from({ length: 600 }, (_, i) => aCase(i)), { customers: [customer] }));
    await store(db, page([aCase(5, { title: 'Ny rubrik', version: 2 })]));
    const { deltas, orders } = await readStoredCache(db);
    expect(orders).toBeNull();
    const s = new DeskStore(ME);
    s.load(deltas);
    expect(s.cases.size).toBe(600);
    expect(s.directory.customers.get('cust-1')?.name).toBe('Bygg AB');
    const row = s.cases.byNumber(200_005)!;
    expect(row).toMatchObject({ title: 'Ny rubrik', version: 2, office: 'FI' });
    expect((await readFullCase(db, row))?.description).toBe('Beskrivning 5');
    // Slices of a few hundred cases: case 400 is not in case 5's slice.
    expect(s.cases.byNumber(200_400)?.slice).not.toBe(s.cases.byNumber(200_001)?.slice);
    expect((await readFullCase(db, s.cases.byNumber(200_400)!))?.title).toBe('Ärende 400');
  });

  it('prefers a full record stored on its own when it is the version the row shows', async () => {
    const db = await freshDb();
    const [row] = await store(db, page([aCase(1)]));
    await db.cases.put(aCase(1, { version: 3, description: 'från ett push-svar' }));
    expect((await readFullCase(db, { ...row!, version: 3 }))?.description).toBe('från ett push-svar');
    await db.cases.put(aCase(1, { version: 1, description: 'äldre' }));
    const [newer] = await store(db, page([aCase(1, { version: 4, description: 'från en pull' })]));
    expect((await readFullCase(db, newer!))?.description).toBe('från en pull');
  });

  it('finds a timeline in the slices a pull stored and among the events fetched for the case', async () => {
    const db = await freshDb();
    const event = (id: string, at: string): CaseEvent => ({ id, caseId: 'case-1', at, receivedAt: at, actorId: 's1', kind: 'note', text: id, data: {} });
    await store(db, page([aCase(1)], { events: [event('b', '2026-03-02T10:00:00.000Z'), { ...event('x', '2026-03-01T10:00:00.000Z'), caseId: 'case-2' }] }));
    await db.events.put(event('a', '2026-03-01T09:00:00.000Z'));
    const s = new DeskStore(ME);
    s.load((await readStoredCache(db)).deltas);
    expect((await readTimeline(db, 'case-1', s.timelines.slicesOf('case-1'))).map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('replaces a fetched event by the newer copy a later page brings (an anonymised note never comes back)', async () => {
    const db = await freshDb();
    const note: CaseEvent = { id: 'n1', caseId: 'case-1', at: '2026-03-01T09:00:00.000Z', receivedAt: '2026-03-01T09:00:00.000Z', actorId: 's1', kind: 'note', text: 'Ring Anna Svensson på 070-123 45 67', data: {} };
    // The timeline was fetched when the case was opened online.
    await db.events.put(note);
    // Later the change feed brings the redacted copy, and an event of another case.
    const other: CaseEvent = { ...note, id: 'n2', caseId: 'case-2', text: 'Annat' };
    await store(db, page([aCase(1)], { events: [{ ...note, text: '[anonymiserad]' }, other] }));
    expect((await db.events.get('n1'))?.text).toBe('[anonymiserad]');
    // Only copies of what was fetched are kept there: the table does not grow with the feed.
    expect(await db.events.get('n2')).toBeUndefined();
    const s = new DeskStore(ME);
    s.load((await readStoredCache(db)).deltas);
    expect((await readTimeline(db, 'case-1', s.timelines.slicesOf('case-1'))).map((e) => e.text)).toEqual(['[anonymiserad]']);
  });

  it('splits a page with many cases\' events into slices of a few hundred cases, each case in one, and finds every timeline', async () => {
    const db = await freshDb();
    const count = SLICE_EVENT_CASES * 2 + 10;
    const at = (i: number): string => new Date(Date.UTC(2026, 2, 1) + i * 60_000).toISOString();
    // Interleaved, as the server sends them (by case, but a case's events need not be together).
    const events: CaseEvent[] = [0, 1, 2].flatMap((k) =>
      Array.from({ length: count }, (_, n) => ({ id: `e${n}-${k}`, caseId: `case-${n}`, at: at(k), receivedAt: at(k), actorId: 's1', kind: 'note' as const, text: `${n}/${k}`, data: {} })),
    );
    const prepared = await prepareChunk(db, page([], { events }), () => 'FI');
    await db.transaction('rw', [db.rowChunks, db.caseSlices, db.events], () => writeChunk(db, prepared));
    const eventSlices = prepared.slices.filter((slice) => slice.events.length > 0);
    expect(eventSlices).toHaveLength(3);
    for (const slice of eventSlices) expect(new Set(slice.events.map((e) => e.caseId)).size).toBeLessThanOrEqual(SLICE_EVENT_CASES);
    // The UI thread learns it from the texts, a cold start from the cache: the same slices.
    const live = new DeskStore(ME);
    for (const text of prepared.parts) live.ingest(decodeDelta(text));
    const cold = new DeskStore(ME);
    cold.load((await readStoredCache(db)).deltas);
    for (const n of [0, SLICE_EVENT_CASES - 1, SLICE_EVENT_CASES, count - 1]) {
      const id = `case-${n}`;
      expect(live.timelines.slicesOf(id)).toHaveLength(1);
      expect(cold.timelines.slicesOf(id)).toEqual(live.timelines.slicesOf(id));
      expect((await readTimeline(db, id, cold.timelines.slicesOf(id))).map((e) => e.text)).toEqual([`${n}/0`, `${n}/1`, `${n}/2`]);
    }
    // Compaction keeps which slice holds whose events.
    await compact(db);
    const compacted = new DeskStore(ME);
    compacted.load((await readStoredCache(db)).deltas);
    expect(compacted.timelines.slicesOf(`case-${count - 1}`)).toEqual(live.timelines.slicesOf(`case-${count - 1}`));
  });
});

describe('compaction', () => {
  it('keeps each case once, its newest version, and stores the queue orders over them', async () => {
    const db = await freshDb();
    await store(db, page(Array.from({ length: 5_000 }, (_, i) => aCase(i)), { customers: [customer] }));
    // Pulls supersede most of them: enough for a rewrite.
    for (let start = 0; start < 4_000; start += 1_000) {
      await store(db, page(Array.from({ length: 1_000 }, (_, i) => aCase(start + i, { version: 2, status: 'line1' }))));
    }
    const before = await db.rowChunks.toArray();
    await compact(db);
    const after = await db.rowChunks.orderBy('id').toArray();
    expect(after.length).toBeLessThanOrEqual(before.length);
    expect(after.every((c) => before.some((b) => b.id === c.id))).toBe(true);
    const { deltas, orders } = await readStoredCache(db);
    const rows = deltas.flatMap((d) => d.rows);
    expect(rows).toHaveLength(5_000);
    expect(rows.filter((r) => r.version === 2)).toHaveLength(4_000);
    expect(deltas.flatMap((d) => d.customers).map((c) => c.id)).toEqual(['cust-1']);
    expect(orders).not.toBeNull();
    for (const key of SORT_KEYS) {
      const inOrder = [...orders!.positions[key]].map((p) => rows[p]!);
      expect(inOrder.map((r) => r.id)).toEqual([...rows].sort(COMPARATORS[key]).map((r) => r.id));
    }
    // A cold start with the orders shows the same queue as one that sorts.
    const seeded = new DeskStore(ME);
    seeded.load(deltas, orders!);
    const sorted = new DeskStore(ME);
    sorted.load(deltas);
    const q = { teams: [1 as const], view: 'all' as const, filters: { category: null, status: 'all' as const, level: null, assignee: 'anyone' as const, module: null, office: null }, sort: { key: 'age' as const, dir: 'desc' as const } };
    expect(seeded.queue.select(q, { meId: 'me', now: 0 })).toEqual(sorted.queue.select(q, { meId: 'me', now: 0 }));
  });

  it('leaves chunks learnt meanwhile alone: they still come after the compacted ones', async () => {
    const db = await freshDb();
    await store(db, page([aCase(1), aCase(2)]));
    await compact(db);
    await store(db, page([aCase(1, { version: 5, title: 'Senast' })]));
    const s = new DeskStore(ME);
    const { deltas, orders } = await readStoredCache(db);
    s.load(deltas, orders ?? undefined);
    expect(s.cases.byNumber(200_001)?.title).toBe('Senast');
  });
});
