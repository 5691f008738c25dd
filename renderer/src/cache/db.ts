/**
 * The local cache: every read of the desk is served from here (and from the in-memory store
 * built from it), so a case is found during a call online or not.
 *
 * The server's truth is stored in large records, not one record per case (cache/chunks.ts):
 * IndexedDB costs about the same per record whatever its size, so 100,000 cases written one by
 * one take a minute, in chunks a few seconds. Local edits live in `outbox` until the server
 * answers, and the UI shows case + pending edits (rebased, as in Replicache), so a pull can
 * never overwrite an edit that is still on its way and nothing is lost on reload.
 */
import Dexie, { type EntityTable, type Transaction } from 'dexie';
import type { Article, Attachment, CalendarException, Call, Case, CaseEvent, NumberBlock, Office, Specialist, Template } from '../../../shared/index';
import type { NewCaseDraft, OutboxEntry } from '../model/edits';
import type { SortKey } from '../model/queue';

/** Everything the sync client remembers between runs, one record per key. */
export interface MetaValues {
  clientId: string;
  me: Specialist;
  /** Pull changes after this `seq`. */
  cursor: number;
  snapshotSeq: number;
  /** The bootstrap page to fetch next (resume after a restart); null when none started. */
  bootstrapNext: string | null;
  bootstrapDone: boolean;
  bootstrapProgress: { done: number; total: number };
  lastSyncedAt: string;
  lastMutationId: number;
  /** Leased case numbers not used yet, lowest first (see sync/numbers.ts). */
  numberBlocks: NumberBlock[];
  newCaseDraft: NewCaseDraft;
  /** The next id for a row chunk or case slice: ids increase in the order data was learnt. */
  nextChunkId: number;
  /** The queue's sort orders over the stored rows (see cache/compact.ts). */
  orders: StoredOrders;
  /** Rows stored by pulls since the last compaction. */
  uncompactedRows: number;
  /** Each customer's country (its SLA calendar), for the rows the sync worker builds. */
  offices: Record<string, Office>;
}

/**
 * For every sort key, the rows of the chunks with ids up to `through` (in id order, part
 * order, row order; each case once, its newest version) as positions in that sequence.
 */
export interface StoredOrders {
  through: number;
  positions: Record<SortKey, Uint32Array>;
}

/** Rows and reference data as the store ingests them: texts of deltas (`encodeDelta`, model/rowCodec.ts). */
export interface RowChunk {
  id: number;
  parts: string[];
}

/** Full case records of one chunk, a few hundred per slice so a detail view reads little; or its events. */
export interface CaseSlice {
  id: number;
  cases: Case[];
  events: CaseEvent[];
}
/** The file records on the events of one event slice (`id` is that CaseSlice's id). */
export interface FileSlice {
  id: number;
  files: Attachment[];
}
/** Why the server refused a file (shown on its chip in the specialist's language). */
export interface UploadRefusal {
  code: string;
  message: string;
  /** The server's size limit, for "too large". */
  limitMb?: number;
}

/**
 * A file waiting to be uploaded, kept with its bytes from the moment the note naming it is saved
 * (offline included) until the server has it (cache/uploads.ts, sync/uploads.ts).
 */
export interface StoredUpload {
  /** The attachment's id, chosen here: the upload is idempotent by it. */
  id: string;
  caseId: string;
  /** The note (or reply) naming it. */
  eventId: string | null;
  name: string;
  type: string;
  size: number;
  blob: Blob;
  state: 'waiting' | 'uploaded' | 'refused';
  refusal?: UploadRefusal;
  createdAt: string;
}
export type MetaKey = keyof MetaValues;
interface MetaRecord {
  key: MetaKey;
  value: unknown;
}

/** What a cache synced again from scratch forgets: the sync's cursor and progress, and the row slices' bookkeeping. */
const SYNC_META_KEYS = ['cursor', 'snapshotSeq', 'bootstrapNext', 'bootstrapDone', 'bootstrapProgress', 'lastSyncedAt', 'orders', 'uncompactedRows', 'nextChunkId'];

/**
 * A schema upgrade after which the cache is synced again from scratch: the synced tables given
 * are emptied and the sync's place forgotten; the outbox, client id, counter and leased numbers stay.
 */
async function syncAgain(tx: Transaction, tables: readonly string[]): Promise<void> {
  for (const table of tables) await tx.table(table).clear();
  await tx.table('meta').bulkDelete(SYNC_META_KEYS);
}

export class DeskDb extends Dexie {
  /** Full cases stored one by one: push answers and cases fetched by number. */
  cases!: EntityTable<Case, 'id'>;
  rowChunks!: EntityTable<RowChunk, 'id'>;
  caseSlices!: EntityTable<CaseSlice, 'id'>;
  /** Timelines fetched for a case. */
  events!: EntityTable<CaseEvent, 'id'>;
  outbox!: EntityTable<OutboxEntry, 'mutationId'>;
  meta!: EntityTable<MetaRecord, 'key'>;
  /** The caller log: the teams' calls of the last 30 days and every open missed call (cache/calls.ts). */
  calls!: EntityTable<Call, 'id'>;
  /** Records of the files on events (metadata only; the bytes are fetched when shown). */
  attachments!: EntityTable<Attachment, 'id'>;
  /** Files of notes saved here, with their bytes, until the server has them. */
  uploads!: EntityTable<StoredUpload, 'id'>;
  /**
   * The file records a bootstrap page brought, by the event slice of their case (the slice's id,
   * see cache/files.ts): a few hundred files a record instead of a record and two index entries
   * each, which cost the first sync about a tenth at 100,000 cases.
   */
  fileSlices!: EntityTable<FileSlice, 'id'>;
  /** Reply templates (every team's and the specialist's own) and knowledge-base articles, tombstones included. */
  templates!: EntityTable<Template, 'id'>;
  articles!: EntityTable<Article, 'id'>;
  /** Offices' calendar exceptions, tombstones included (a handful a year). */
  calendarExceptions!: EntityTable<CalendarException, 'id'>;

  constructor(name: string) {
    super(name);
    // Version 1. A later schema adds `this.version(2).stores({...}).upgrade(...)` below; never
    // edit this line, or existing caches would not open.
    // Indexes cost bootstrap write speed (each ~10–15 % in Chromium), so cases carry only those
    // IndexedDB itself must answer: number (lookup before the store has loaded), team+status
    // (open cases first on a cold start), customer and last change. By contact or assignee is
    // answered by the in-memory store.
    this.version(1).stores({
      cases: 'id, &number, [team+status], customerId, updatedAt',
      customers: 'id',
      contacts: 'id, phone, customerId',
      specialists: 'id',
      grants: 'id, customerId',
      events: 'id, caseId',
      outbox: 'mutationId, state, caseId',
      meta: 'key',
    });
    // Version 2: the server's data in chunks (cache/chunks.ts). The in-memory store answers
    // every query, so no index is left on cases. An older cache is synced again from scratch
    // (its outbox, client id, mutation counter and leased numbers stay).
    this.version(2)
      .stores({
        cases: 'id',
        customers: null,
        contacts: null,
        specialists: null,
        grants: null,
        rowChunks: 'id',
        caseSlices: 'id',
      })
      .upgrade(async (tx) => {
        await tx.table('cases').clear();
        await tx.table('events').clear();
        await tx.table('meta').bulkDelete(['cursor', 'snapshotSeq', 'bootstrapNext', 'bootstrapDone', 'bootstrapProgress', 'lastSyncedAt']);
      });
    // Version 3: the caller log's calls, by start (to drop those older than the window). Calls
    // reach a desk only through the bootstrap's first page and the feed, so an older cache is
    // synced again from scratch to get them (its outbox, client id, counter and numbers stay).
    this.version(3)
      .stores({ calls: 'id, startedAt' })
      .upgrade((tx) => syncAgain(tx, ['cases', 'events', 'rowChunks', 'caseSlices']));
    // Version 4: attachments. The records come with the feed (no server had files before, so an
    // older cache misses none); uploads hold the bytes of files saved here until they are sent.
    this.version(4).stores({ attachments: 'id, caseId, eventId', uploads: 'id, caseId, eventId, state' });
    // Version 5: answers, reply templates and knowledge-base articles. They reach a desk through
    // the bootstrap's first page and the feed, so an older cache is synced again from scratch
    // (its outbox, client id, counter and numbers stay), as for version 3.
    this.version(5)
      .stores({ templates: 'id', articles: 'id' })
      // Files' records come back with the new sync; removals sent meanwhile would be missed.
      .upgrade((tx) => syncAgain(tx, ['cases', 'events', 'rowChunks', 'caseSlices', 'calls', 'attachments']));
    // Version 6: offices' calendar exceptions. They reach a desk through the bootstrap's first
    // page and the feed, and the stored rows' SLA deadlines were computed without them, so an
    // older cache is synced again from scratch (its outbox, client id, counter and numbers
    // stay), as for versions 3 and 5.
    this.version(6)
      .stores({ calendarExceptions: 'id' })
      .upgrade((tx) => syncAgain(tx, ['cases', 'events', 'rowChunks', 'caseSlices', 'calls', 'attachments', 'templates', 'articles']));
    // Version 7: the bootstrap's file records in slices (cache/files.ts). An older cache keeps
    // its records in `attachments`, which is still read: nothing to sync again. A later version
    // that syncs again must clear `fileSlices` too (slice ids start over with `nextChunkId`).
    this.version(7).stores({ fileSlices: 'id' });
  }

  async getMeta<K extends MetaKey>(key: K): Promise<MetaValues[K] | undefined> {
    const rec = await this.meta.get(key);
    return rec?.value as MetaValues[K] | undefined;
  }

  async setMeta<K extends MetaKey>(key: K, value: MetaValues[K]): Promise<void> {
    await this.meta.put({ key, value });
  }
}

/**
 * Reads the stored row chunks in id order, one record per request, and hands each to `onChunk`
 * (with its position) as it arrives: IndexedDB reads the next record while this one is decoded,
 * instead of delivering all of them at once after reading the last. Returns the queue's orders.
 */
export async function streamStoredChunks(db: DeskDb, onChunk: (chunk: RowChunk, position: number) => void): Promise<StoredOrders | null> {
  return db.transaction('r', db.rowChunks, db.meta, async () => {
    const ids = await db.rowChunks.orderBy('id').primaryKeys();
    const [orders] = await Promise.all([
      db.getMeta('orders'),
      ...ids.map((id, i) => db.rowChunks.get(id).then((chunk) => chunk && onChunk(chunk, i))),
    ]);
    return orders ?? null;
  });
}

/** One cache per server and specialist, so two people on one machine never share edits. */
export function cacheName(serverUrl: string, specialistId: string): string {
  const server = serverUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '');
  return `desk:${server}:${specialistId}`;
}

/** Deletes a cache (a re-sync rebuilds it from the server). */
export function deleteCache(name: string): Promise<void> {
  return Dexie.delete(name);
}
