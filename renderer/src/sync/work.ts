/**
 * The heavy half of sync: fetch a page, parse and validate it against the contract, store it
 * as a chunk (cache/chunks.ts), and hand it to the UI as delta texts. In the browser this runs
 * in a Web Worker (sync.worker.ts) so a 100,000-case bootstrap never blocks the UI thread; the
 * same code runs in-thread where there is no Worker (vitest, Node).
 */
import { applyCalendarExceptions, BootstrapPageSchema, ChangesPageSchema, ROUTES, type Office, type TeamId } from '../../../shared/index';
import { ApiClient, ApiError } from '../api/client';
import { prepareChunk, sentParts, writeChunk, type PageData, type PreparedChunk } from '../cache/chunks';
import { pruneCalls } from '../cache/calls';
import { pruneUploaded, storeAttachments } from '../cache/uploads';
import { storePageFiles } from '../cache/files';
import type { Attachment } from '../../../shared/index';
import { DeskDb } from '../cache/db';
import { decodeDelta, type CaseRow, type Delta } from '../model/rows';
import { compact, compactIfDue, ordersOf } from '../cache/compact';

export interface WorkConfig {
  baseUrl: string;
  token: string | null;
  dbName: string;
  /** Cases per bootstrap page after the first (default BOOTSTRAP_PAGE). */
  bootstrapPageSize?: number;
}

export interface Progress {
  done: number;
  total: number;
}

export interface SyncWork {
  /** Runs (or resumes) the first sync; resolves when the snapshot is complete. */
  bootstrap(teams: readonly TeamId[], onPage: (delta: Delta, progress: Progress) => void): Promise<void>;
  /** Pulls every change after the stored cursor. */
  pull(onPage: (delta: Delta) => void): Promise<{ cursor: number; latestSeq: number }>;
  setToken(token: string | null): void;
  close(): void;
}

/** Bigger pages mean fewer round trips; the next page is fetched while this one is written. */
export const BOOTSTRAP_PAGE = 5_000;
/** The first page is small: the queue shows it while the rest streams in. */
export const FIRST_PAGE = 1_000;
export const PULL_PAGE = 2_000;
/** How long this desk keeps the bytes of its own uploads after the server has them. */
const UPLOAD_KEEP_MS = 30 * 24 * 3_600_000;

/** Customer offices, needed to compute a case's SLA deadline; kept in the cache's meta. */
class OfficeIndex {
  private offices: Map<string, Office> | null = null;
  private dirty = false;
  constructor(private readonly db: DeskDb) {}

  private async map(): Promise<Map<string, Office>> {
    this.offices ??= new Map(Object.entries((await this.db.getMeta('offices')) ?? {}));
    return this.offices;
  }

  /** Learns the countries of a page's customers; returns the lookup for its cases. */
  async learn(customers: readonly { id: string; country: Office }[]): Promise<(customerId: string) => Office> {
    const offices = await this.map();
    for (const c of customers) {
      if (offices.get(c.id) !== c.country) this.dirty = true;
      offices.set(c.id, c.country);
    }
    // An unknown customer (should not happen: reference data comes first) falls back to the
    // Swedish calendar rather than dropping the case from the queue.
    return (customerId) => offices.get(customerId) ?? 'SE';
  }

  /** Stores what was learnt; call inside a transaction over meta. */
  async save(): Promise<void> {
    if (!this.dirty || !this.offices) return;
    await this.db.setMeta('offices', Object.fromEntries(this.offices));
    this.dirty = false;
  }
}

const isEmpty = (p: PageData): boolean =>
  p.cases.length + p.customers.length + p.contacts.length + p.specialists.length + p.grants.length + p.events.length + (p.calls?.length ?? 0) + (p.templates?.length ?? 0) + (p.articles?.length ?? 0) + (p.calendarExceptions?.length ?? 0) === 0;

export class SyncWorkInline implements SyncWork {
  private readonly db: DeskDb;
  private readonly api: ApiClient;
  private readonly offices: OfficeIndex;
  private token: string | null;
  private readonly pageSize: number;
  private compacting: Promise<void> | null = null;

  /**
   * @param committed called with the delta texts of a bootstrap or pull page once they are in
   *   IndexedDB (the worker tells the other tabs from there, see sync.worker.ts)
   */
  constructor(
    config: WorkConfig,
    private readonly committed: (parts: readonly string[]) => void = () => undefined,
  ) {
    this.token = config.token;
    this.pageSize = config.bootstrapPageSize ?? BOOTSTRAP_PAGE;
    this.db = new DeskDb(config.dbName);
    this.api = new ApiClient({ baseUrl: config.baseUrl, token: () => this.token });
    this.offices = new OfficeIndex(this.db);
  }

  setToken(token: string | null): void {
    this.token = token;
  }

  private calendarLoaded: Promise<void> | null = null;

  /**
   * The calendar exceptions this cache holds, installed in this thread's calendar once before
   * the first page's deadlines are computed (a page's own exceptions are added as it comes).
   */
  private calendarReady(): Promise<void> {
    this.calendarLoaded ??= this.db.calendarExceptions.toArray().then((stored) => {
      applyCalendarExceptions(stored);
    });
    return this.calendarLoaded;
  }

  close(): void {
    this.db.close();
  }

  async bootstrap(teams: readonly TeamId[], onPage: (delta: Delta, progress: Progress) => void): Promise<void> {
    await this.bootstrapParts(teams, (text, progress) => onPage(decodeDelta(text), progress));
  }

  async pull(onPage: (delta: Delta) => void): Promise<{ cursor: number; latestSeq: number }> {
    return this.pullParts((text) => onPage(decodeDelta(text)));
  }

  /**
   * Pages are handed to the UI as soon as they are parsed and validated, and written to
   * IndexedDB behind that by one writer that is at most a page behind — so the first page is on
   * screen without waiting for the disk, and fetching, parsing and writing overlap. Each write
   * stores the page together with the cursor of the next one: after a crash the bootstrap
   * resumes from the last page that reached the disk.
   */
  async bootstrapParts(teams: readonly TeamId[], onPart: (text: string, progress: Progress) => void): Promise<void> {
    const db = this.db;
    if (await db.getMeta('bootstrapDone')) return;
    let cursor = await db.getMeta('bootstrapNext');
    let snapshotSeq = await db.getMeta('snapshotSeq');
    const fetchPage = (page: string | null | undefined) =>
      this.api.get(ROUTES.bootstrap, BootstrapPageSchema, {
        teams: teams.join(','),
        page: page ?? undefined,
        limit: page ? this.pageSize : Math.min(FIRST_PAGE, this.pageSize),
      });
    let pending = fetchPage(cursor).catch(async (e: unknown) => {
      // A cursor from before a server restart may no longer be valid: start the snapshot over
      // (chunks already written are simply superseded by the new snapshot's).
      if (cursor && e instanceof ApiError && e.status === 400) {
        cursor = null;
        snapshotSeq = undefined;
        return fetchPage(null);
      }
      throw e;
    });
    let writing: Promise<void> = Promise.resolve();
    // Kept for the queue's orders at the end — unless resumed, when the rest is on disk only.
    const rows: CaseRow[] | null = cursor ? null : [];
    const chunkIds: number[] = [];
    try {
      for (;;) {
        const page = await pending;
        if (page.next !== null) pending = fetchPage(page.next);
        snapshotSeq ??= page.snapshotSeq;
        // Reference data first: a case's office (its SLA calendar) is its customer's country.
        await this.calendarReady();
        const prepared = await prepareChunk(db, page, await this.offices.learn(page.customers));
        for (const part of sentParts(prepared)) onPart(part, page.progress);
        rows?.push(...prepared.delta.rows);
        chunkIds.push(prepared.chunk.id);
        await writing;
        const seq = snapshotSeq;
        writing = this.writeBootstrapPage(prepared, page.attachments, page.next, page.progress, seq).then(() => this.committed(sentParts(prepared)));
        if (page.next === null) break;
      }
    } finally {
      await writing;
    }
    // The queue's orders, so the next start does not sort (behind the first pulls).
    this.inBackground(async () => {
      const through = chunkIds[chunkIds.length - 1] ?? 0;
      const orders = rows ? await ordersOf(rows, through) : null;
      // Only if the bootstrap's chunks are all there is up to its last one (a case fetched
      // by number meanwhile adds a chunk in between); otherwise from what is stored.
      const stored = await db.transaction('rw', db.rowChunks, db.meta, async () => {
        const ids = await db.rowChunks.where('id').belowOrEqual(through).primaryKeys();
        if (!orders || ids.length !== chunkIds.length || ids.some((id, i) => id !== chunkIds[i])) return false;
        await db.setMeta('orders', orders);
        return true;
      });
      if (!stored) await compact(db);
    });
  }

  /** Compaction never delays a page: it runs behind, one at a time; a failure only costs speed. */
  private inBackground(task: () => Promise<void>): void {
    if (this.compacting) return;
    this.compacting = task()
      .catch(() => undefined)
      .finally(() => (this.compacting = null));
  }

  private async writeBootstrapPage(prepared: PreparedChunk, attachments: readonly Attachment[], next: string | null, progress: Progress, snapshotSeq: number): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.rowChunks, db.caseSlices, db.calls, db.templates, db.articles, db.calendarExceptions, db.events, db.meta, db.attachments, db.fileSlices], async () => {
      await writeChunk(db, prepared);
      // The files on the page's events, with their events' slices (cache/files.ts).
      await storePageFiles(db, prepared, attachments);
      await this.offices.save();
      await db.setMeta('snapshotSeq', snapshotSeq);
      await db.setMeta('bootstrapNext', next);
      await db.setMeta('bootstrapProgress', progress);
      if (next === null) {
        await db.setMeta('cursor', snapshotSeq);
        await db.setMeta('bootstrapDone', true);
        await db.setMeta('lastSyncedAt', new Date().toISOString());
      }
    });
  }

  async pullParts(onPart: (text: string) => void): Promise<{ cursor: number; latestSeq: number }> {
    const db = this.db;
    let cursor = (await db.getMeta('cursor')) ?? 0;
    for (;;) {
      const page = await this.api.get(ROUTES.changes, ChangesPageSchema, { after: cursor, limit: PULL_PAGE });
      // Versions only grow: whichever copy of a case is newer wins where it is read (the store,
      // readFullCase), so a page never needs to look at what is stored already.
      await this.calendarReady();
      const prepared = isEmpty(page) ? null : await prepareChunk(db, page, await this.offices.learn(page.customers));
      await db.transaction('rw', [db.rowChunks, db.caseSlices, db.calls, db.templates, db.articles, db.calendarExceptions, db.events, db.meta, db.attachments, db.fileSlices], async () => {
        // The files' records of the page's events (and those removed), with the events.
        await storeAttachments(db, page.attachments, page.attachmentsRemoved);
        if (prepared) {
          await writeChunk(db, prepared);
          await this.offices.save();
          await db.setMeta('uncompactedRows', ((await db.getMeta('uncompactedRows')) ?? 0) + prepared.delta.rows.length);
        }
        await db.setMeta('cursor', page.cursor);
        await db.setMeta('lastSyncedAt', new Date().toISOString());
      });
      if (prepared) {
        for (const part of sentParts(prepared)) onPart(part);
        this.committed(sentParts(prepared));
      }
      cursor = page.cursor;
      if (!page.hasMore) {
        this.inBackground(async () => {
          await compactIfDue(db);
          await pruneCalls(db, new Date());
          // The bytes of files the server has had for a month: previews fetch them from there.
          await pruneUploaded(db, new Date(Date.now() - UPLOAD_KEEP_MS));
        });
        return { cursor, latestSeq: page.latestSeq };
      }
    }
  }
}
