/**
 * An outgoing mail's status moves on the server by re-recording its event (same id, new data:
 * queued → sent). The desk must then show the new copy wherever it keeps the event: the slices
 * a pull stored, the timeline fetched when the case was opened (cache/chunks.ts
 * refreshFetchedEvents), after a cold start and after compaction, and the open timeline must be
 * told to read again (store/timelines.ts).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Case, CaseEvent } from '../../shared/index';
import { mailData } from '../../shared/index';
import { prepareChunk, readTimeline, writeChunk, type PageData } from '../../renderer/src/cache/chunks';
import { readStoredCache } from '../../renderer/src/cache/storedCache';
import { DeskDb } from '../../renderer/src/cache/db';
import { decodeDelta } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { compact } from '../../renderer/src/cache/compact';

const ME = { id: 'me', role: 'specialist' as const };
let counter = 0;
const open: DeskDb[] = [];
async function freshDb(): Promise<DeskDb> {
  const db = new DeskDb(`mail-rerecord-${process.pid}-${++counter}`);
  await db.open();
  open.push(db);
  return db;
}
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const theCase = { id: 'case-1', number: 200_001, customerId: 'cust-1', contactId: null, product: 'go', module: 'finance', category: 'support', serviceLevel: null, status: 'line1', team: 1, assigneeId: null, title: 'Fakturan', description: '', channel: 'email', billableMinutes: 0, billingInformed: false, registeredAt: '2026-12-01T08:00:00.000Z', handlingStartedAt: null, resolvedAt: null, updatedAt: '2026-12-01T08:00:00.000Z', version: 1, fieldVersions: {} } as unknown as Case;

const reply = (data: Partial<Record<string, string | boolean | null>>): CaseEvent => ({
  id: 'mail-1',
  caseId: 'case-1',
  at: '2026-12-07T10:00:00.000Z',
  receivedAt: '2026-12-07T10:00:00.000Z',
  actorId: 'me',
  kind: 'mail',
  text: 'Hej! Fakturan är nu rättad.',
  data: { direction: 'out', status: 'queued', mailId: 'm1', from: 'support@softone.se', to: 'anna@bygg.se', subject: 'Fakturan [Ärende #200001]', ...data },
});
const queued = reply({});
const sent = reply({ status: 'sent', sentAt: '2026-12-07T10:00:05.000Z' });
const page = (events: CaseEvent[], version = 1): PageData => ({ cases: [{ ...theCase, version }], customers: [], contacts: [], specialists: [], grants: [], events });

/** Stores a page as the sync does and hands its texts to the UI thread's store. */
async function pull(db: DeskDb, store: DeskStore, data: PageData): Promise<void> {
  const prepared = await prepareChunk(db, data, () => 'SE');
  await db.transaction('rw', [db.rowChunks, db.caseSlices, db.events], () => writeChunk(db, prepared));
  for (const text of prepared.parts) store.ingest(decodeDelta(text));
}
const status = async (db: DeskDb, store: DeskStore): Promise<string[]> =>
  (await readTimeline(db, 'case-1', store.timelines.slicesOf('case-1'))).map((e) => mailData(e.data)?.status ?? '?');

describe('a mail event the server records again', () => {
  it('replaces the queued copy from the pulls, in the store\'s timeline, after a cold start and after compaction', async () => {
    const db = await freshDb();
    const store = new DeskStore(ME);
    await pull(db, store, page([queued]));
    expect(await status(db, store)).toEqual(['queued']);
    const before = store.timelines.versionOf('case-1');
    await pull(db, store, page([sent], 2));
    // The open timeline reads again, and finds the one event in its new state.
    expect(store.timelines.versionOf('case-1')).toBeGreaterThan(before);
    expect(await status(db, store)).toEqual(['sent']);
    const cold = new DeskStore(ME);
    cold.load((await readStoredCache(db)).deltas);
    expect(await status(db, cold)).toEqual(['sent']);
    await compact(db);
    const compacted = new DeskStore(ME);
    compacted.load((await readStoredCache(db)).deltas);
    expect(await status(db, compacted)).toEqual(['sent']);
  });

  it('replaces the copy kept from a timeline fetched when the case was opened', async () => {
    const db = await freshDb();
    const store = new DeskStore(ME);
    // Opened online: the server's timeline is kept in `events` (session/details.ts fetchTimeline).
    await db.events.put(queued);
    expect(await status(db, store)).toEqual(['queued']);
    await pull(db, store, page([sent], 2));
    expect(mailData((await db.events.get('mail-1'))!.data)?.status).toBe('sent');
    expect(await status(db, store)).toEqual(['sent']);
  });

  it('reads the newest slice last whatever order the store learnt them in', async () => {
    const db = await freshDb();
    const store = new DeskStore(ME);
    await pull(db, store, page([queued]));
    const failed = reply({ status: 'failed', error: '550 mailbox unavailable' });
    await pull(db, store, page([failed], 2));
    await pull(db, store, page([sent], 3));
    const slices = [...store.timelines.slicesOf('case-1')];
    expect(slices).toHaveLength(3);
    expect(await readTimeline(db, 'case-1', slices.reverse()).then((l) => l.map((e) => mailData(e.data)?.status))).toEqual(['sent']);
  });
});
