/**
 * The heavy half of sync: fetch a page, parse and validate it against the contract, write it
 * to IndexedDB in one transaction, and hand compact rows to the UI. In the browser this runs in
 * a Web Worker (sync.worker.ts) so a 100,000-case bootstrap never blocks the UI thread; the
 * same functions run in-thread where there is no Worker (vitest, Node).
 */
import {
  BootstrapPageSchema,
  ChangesPageSchema,
  ROUTES,
  TEAM_IDS,
  type BootstrapPage,
  type Case,
  type Entities,
  type Office,
  type TeamId,
} from '../../../shared/index';
import Dexie, { type Table } from 'dexie';
import { ApiClient, ApiError } from '../api/client';
import { DeskDb } from '../cache/db';
import { emptyDelta, eventCaseIds, toRow, type CaseRow, type Delta } from '../cache/rows';

export interface WorkConfig {
  baseUrl: string;
  token: string | null;
  dbName: string;
  /** Cases per bootstrap page (default BOOTSTRAP_PAGE). */
  bootstrapPageSize?: number;
}

export interface Progress {
  done: number;
  total: number;
}

export interface SyncWork {
  /** Reads the whole cache into deltas: my open cases first, then everything else. */
  load(teams: readonly TeamId[], onDelta: (delta: Delta) => void): Promise<void>;
  /** Runs (or resumes) the first sync; resolves when the snapshot is complete. */
  bootstrap(teams: readonly TeamId[], onPage: (delta: Delta, progress: Progress) => void): Promise<void>;
  /** Pulls every change after the stored cursor. */
  pull(onPage: (delta: Delta) => void): Promise<{ cursor: number; latestSeq: number }>;
  setToken(token: string | null): void;
  close(): void;
}

/** Bigger pages mean fewer round trips; the next page is fetched while this one is written. */
export const BOOTSTRAP_PAGE = 5_000;
export const PULL_PAGE = 2_000;
const LOAD_CHUNK = 10_000;


/** Customer offices, needed to compute a case's SLA deadline; filled lazily from the cache. */
class OfficeIndex {
  private readonly offices = new Map<string, Office>();
  constructor(private readonly db: DeskDb) {}

  learn(customers: readonly { id: string; country: Office }[]): void {
    for (const c of customers) this.offices.set(c.id, c.country);
  }

  async rows(cases: readonly Case[]): Promise<CaseRow[]> {
    const missing = [...new Set(cases.map((c) => c.customerId).filter((id) => !this.offices.has(id)))];
    if (missing.length > 0) {
      const found = await this.db.customers.bulkGet(missing);
      this.learn(found.filter((c) => c !== undefined));
    }
    // An unknown customer (should not happen: reference data comes first) falls back to the
    // Swedish calendar rather than dropping the case from the queue.
    return cases.map((c) => toRow(c, this.offices.get(c.customerId) ?? 'SE'));
  }
}

const PUT_SLICE = 1_000;
const SLICES_IN_FLIGHT = 2;

/** Two slices queued at a time: IndexedDB always has work, the worker thread still gets turns. */
async function putInSlices<T>(table: Table<T>, items: readonly T[]): Promise<void> {
  const inFlight: Array<Promise<unknown>> = [];
  for (let i = 0; i < items.length; i += PUT_SLICE) {
    inFlight.push(table.bulkPut(items.slice(i, i + PUT_SLICE)));
    if (inFlight.length >= SLICES_IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
}

function referenceDelta(e: Pick<Entities, 'customers' | 'contacts' | 'specialists' | 'grants' | 'events'>): Delta {
  return {
    ...emptyDelta(),
    customers: e.customers,
    contacts: e.contacts,
    specialists: e.specialists,
    grants: e.grants,
    eventCaseIds: eventCaseIds(e.events),
  };
}

export class SyncWorkInline implements SyncWork {
  private readonly db: DeskDb;
  private readonly api: ApiClient;
  private readonly offices: OfficeIndex;
  private token: string | null;
  private readonly pageSize: number;

  /**
   * @param committed called with what a bootstrap or pull page wrote, once it is in IndexedDB
   *   (the worker tells the other tabs from there, see sync.worker.ts)
   */
  constructor(
    config: WorkConfig,
    private readonly committed: (delta: Delta) => void = () => undefined,
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

  close(): void {
    this.db.close();
  }

  /**
   * A cold start: the open cases of my teams first (with the customers they need), so the
   * queue is on screen before anything else is read; then the reference data, the other team's
   * open cases, and last the closed ones (lookup by number finds those too).
   */
  async load(teams: readonly TeamId[], onDelta: (delta: Delta) => void): Promise<void> {
    const db = this.db;
    const others = TEAM_IDS.filter((t) => !teams.includes(t));
    // Specialists are few and every queue row names its assignee.
    onDelta({ ...emptyDelta(), specialists: await db.specialists.toArray() });
    for (const team of teams) await this.loadOpen(team, onDelta);
    const [customers, contacts, grants] = await Promise.all([db.customers.toArray(), db.contacts.toArray(), db.grants.toArray()]);
    this.offices.learn(customers);
    onDelta(referenceDelta({ customers, contacts, specialists: [], grants, events: [] }));
    for (const team of others) await this.loadOpen(team, onDelta);
    for (const team of TEAM_IDS) {
      for (let offset = 0; ; offset += LOAD_CHUNK) {
        const closed = await db.cases.where('[team+status]').equals([team, 'closed']).offset(offset).limit(LOAD_CHUNK).toArray();
        if (closed.length > 0) onDelta({ ...emptyDelta(), rows: await this.offices.rows(closed) });
        if (closed.length < LOAD_CHUNK) break;
      }
    }
  }

  /** Open cases of a team: two plain key ranges around "closed" (fast getAll, no cursor walk). */
  private async loadOpen(team: TeamId, onDelta: (delta: Delta) => void): Promise<void> {
    const range = this.db.cases.where('[team+status]');
    const [before, after] = await Promise.all([
      range.between([team, Dexie.minKey], [team, 'closed'], true, false).toArray(),
      range.between([team, 'closed'], [team, Dexie.maxKey], false, true).toArray(),
    ]);
    const open = before.concat(after);
    const customerIds = [...new Set(open.map((c) => c.customerId))];
    const customers = (await this.db.customers.bulkGet(customerIds)).filter((c) => c !== undefined);
    this.offices.learn(customers);
    onDelta({ ...emptyDelta(), customers, rows: await this.offices.rows(open) });
  }

  /**
   * Pages are handed to the UI as soon as they are parsed and validated, and written to
   * IndexedDB behind that by one writer that is at most a page behind — so the first page is on
   * screen without waiting for the disk, and fetching, parsing and writing overlap. Each write
   * stores the page together with the cursor of the next one: after a crash the bootstrap
   * resumes from the last page that reached the disk.
   */
  async bootstrap(teams: readonly TeamId[], onPage: (delta: Delta, progress: Progress) => void): Promise<void> {
    const db = this.db;
    if (await db.getMeta('bootstrapDone')) return;
    let cursor = await db.getMeta('bootstrapNext');
    let snapshotSeq = await db.getMeta('snapshotSeq');
    const fetchPage = (page: string | null | undefined) =>
      this.api.get(ROUTES.bootstrap, BootstrapPageSchema, { teams: teams.join(','), page: page ?? undefined, limit: this.pageSize });
    let pending = fetchPage(cursor).catch(async (e: unknown) => {
      // A cursor from before a server restart may no longer be valid: start the snapshot over
      // (rows already written are simply overwritten with the new snapshot's).
      if (cursor && e instanceof ApiError && e.status === 400) {
        cursor = null;
        snapshotSeq = undefined;
        return fetchPage(null);
      }
      throw e;
    });
    let writing: Promise<void> = Promise.resolve();
    try {
      for (;;) {
        const page = await pending;
        if (page.next !== null) pending = fetchPage(page.next);
        snapshotSeq ??= page.snapshotSeq;
        // Reference data first: a case's office (its SLA calendar) is its customer's country.
        this.offices.learn(page.customers);
        const delta: Delta = { ...referenceDelta(page), rows: await this.offices.rows(page.cases) };
        onPage(delta, page.progress);
        await writing;
        writing = this.writeBootstrapPage(page, snapshotSeq).then(() => this.committed(delta));
        if (page.next === null) return;
      }
    } finally {
      await writing;
    }
  }

  private async writeBootstrapPage(page: BootstrapPage, snapshotSeq: number): Promise<void> {
    const db = this.db;
    await db.transaction('rw', [db.cases, db.customers, db.contacts, db.specialists, db.grants, db.events, db.meta], async () => {
      // Slices inside the one transaction: between slices the worker gets to handle the next
      // page's response instead of waiting behind thousands of puts.
      await putInSlices(db.customers, page.customers);
      await putInSlices(db.contacts, page.contacts);
      await putInSlices(db.specialists, page.specialists);
      await putInSlices(db.grants, page.grants);
      await putInSlices(db.events, page.events);
      await putInSlices(db.cases, page.cases);
      await db.setMeta('snapshotSeq', snapshotSeq);
      await db.setMeta('bootstrapNext', page.next);
      await db.setMeta('bootstrapProgress', page.progress);
      if (page.next === null) {
        await db.setMeta('cursor', snapshotSeq);
        await db.setMeta('bootstrapDone', true);
        await db.setMeta('lastSyncedAt', new Date().toISOString());
      }
    });
  }

  async pull(onPage: (delta: Delta) => void): Promise<{ cursor: number; latestSeq: number }> {
    const db = this.db;
    let cursor = (await db.getMeta('cursor')) ?? 0;
    for (;;) {
      const page = await this.api.get(ROUTES.changes, ChangesPageSchema, { after: cursor, limit: PULL_PAGE });
      this.offices.learn(page.customers);
      const rows = await this.offices.rows(page.cases);
      let newer: Case[] = [];
      await db.transaction('rw', [db.cases, db.customers, db.contacts, db.specialists, db.grants, db.events, db.meta], async () => {
        // The UI thread may have stored a newer version from a push answer meanwhile.
        const existing = await db.cases.bulkGet(page.cases.map((c) => c.id));
        newer = page.cases.filter((c, i) => (existing[i]?.version ?? 0) <= c.version);
        await Promise.all([
          db.cases.bulkPut(newer),
          db.customers.bulkPut(page.customers),
          db.contacts.bulkPut(page.contacts),
          db.specialists.bulkPut(page.specialists),
          db.grants.bulkPut(page.grants),
          db.events.bulkPut(page.events),
        ]);
        await db.setMeta('cursor', page.cursor);
        await db.setMeta('lastSyncedAt', new Date().toISOString());
      });
      const written = new Set(newer.map((c) => c.id));
      const delta: Delta = { ...referenceDelta(page), rows: rows.filter((r) => written.has(r.id)) };
      onPage(delta);
      this.committed(delta);
      cursor = page.cursor;
      if (!page.hasMore) return { cursor, latestSeq: page.latestSeq };
    }
  }
}

