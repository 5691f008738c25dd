/**
 * A logged-in desk: the cache of this specialist on this server, the in-memory store built from
 * it and the outbox, with one part per concern — which tab syncs (`Leadership`), calls
 * (`calls`), case details (`details`) and new cases (`newCases`). The React tree reads it
 * through hooks (ui/hooks.ts); nothing here renders.
 */
import { z } from 'zod';
import { ROUTES, TEAM_IDS, type MutationBody, type Specialist, type TeamId } from '../../../shared/index';
import { ApiClient } from '../api/client';
import { cacheName, deleteCache, DeskDb } from '../cache/db';
import { cacheProblemOf, type CacheProblem } from '../cache/errors';
import type { StoredCache } from '../cache/storedCache';
import { afterPaint } from '../lib/afterPaint';
import { Signal } from '../lib/signal';
import type { OutboxEntry } from '../model/edits';
import { host, prefs } from '../platform/index';
import { DeskStore } from '../store/store';
import { INITIAL_SYNC_STATUS, type SyncStatus } from '../sync/engine';
import { Outbox } from '../sync/outbox';
import { SyncWorkWorker } from '../sync/workerClient';
import { readCache, takePreloaded } from './cachePreload';
import { Calls } from './calls';
import { CaseDetails } from './details';
import { Leadership } from './leadership';
import { NewCases } from './newCases';
import { carryOver, rebuildCache } from './rebuild';
import { Account } from './account';

export type { CacheProblem };

/** How long logging out waits for this computer's copy of the cache to be deleted. */
const DELETE_WAIT_MS = 5_000;

export interface SessionParams {
  me: Specialist;
  token: string;
  serverUrl: string;
}

function savedTeams(me: Specialist): TeamId[] {
  const raw = prefs.get(`teams.${me.id}`);
  const teams = (raw ?? '').split(',').map(Number).filter((n): n is TeamId => (TEAM_IDS as readonly number[]).includes(n));
  return teams.length > 0 ? teams : [...me.teams];
}

export class DeskSession {
  readonly store: DeskStore;
  readonly status = new Signal<SyncStatus>(INITIAL_SYNC_STATUS);
  readonly teams: Signal<TeamId[]>;
  /** The cache has been read into memory (the queue can render). */
  readonly loaded = new Signal(false);
  /** This tab runs the sync loop (and so raises notifications). */
  readonly leading = new Signal(false);
  private readonly api: ApiClient;
  readonly outbox: Outbox;
  readonly calls: Calls;
  readonly details: CaseDetails;
  readonly newCases: NewCases;
  /** Password, two-factor and sessions of the account (online only). */
  readonly account: Account;
  private readonly work: SyncWorkWorker;
  private readonly leadership: Leadership;
  /** The cache being read for the start; dropped once loaded (it holds every decoded row). */
  private cache: Promise<StoredCache> | null;
  private readonly cleanups: Array<() => void> = [];

  private constructor(
    readonly me: Specialist,
    private token: string,
    readonly serverUrl: string,
    private readonly db: DeskDb,
    private readonly clientId: string,
  ) {
    this.store = new DeskStore({ id: me.id, role: me.role });
    this.teams = new Signal(savedTeams(me));
    this.api = new ApiClient({ baseUrl: serverUrl, token: () => this.token });
    this.work = new SyncWorkWorker({ baseUrl: serverUrl, token, dbName: db.name });
    this.cache = takePreloaded(db.name) ?? readCache(db.name);
    this.cache.catch(() => undefined); // reported by start()
    this.calls = new Calls(this.store, this.api, this.teams);
    this.outbox = new Outbox(db, this.store, clientId, () => this.leadership.outboxChanged());
    this.leadership = new Leadership({
      db,
      api: this.api,
      work: this.work,
      store: this.store,
      outbox: this.outbox,
      clientId,
      teams: () => this.teams.get(),
      token: () => this.token,
      status: this.status,
      leading: this.leading,
      onCall: (msg, notify) => this.calls.receive(msg, notify),
    });
    this.details = new CaseDetails(db, this.api, this.store, (delta) => this.leadership.share(delta));
    this.newCases = new NewCases(db, this.api, this.store, clientId);
    this.account = new Account(this.api);
  }

  /** Opens (or creates) the cache; a cache problem comes back as its kind, for the re-sync screen. */
  static async open(params: SessionParams): Promise<DeskSession | CacheProblem> {
    const db = new DeskDb(cacheName(params.serverUrl, params.me.id));
    let blocked = false;
    // Opening waits as long as an older Desk in another window holds the database open.
    const blockedSignal = new Promise<void>((resolve) =>
      db.on('blocked', () => {
        blocked = true;
        resolve();
      }),
    );
    try {
      await Promise.race([db.open(), blockedSignal]);
      if (blocked) throw new Error('blocked');
      // Read first, written only when new: a cold start's cache read (session/cachePreload.ts) holds
      // the meta store for reading until it is done, and a write would wait for all of it.
      const [knownId, knownMe] = await db.transaction('r', db.meta, () => Promise.all([db.getMeta('clientId'), db.getMeta('me')]));
      const clientId =
        knownId ??
        (await db.transaction('rw', db.meta, async () => {
          const known = await db.getMeta('clientId');
          if (known) return known;
          const fresh = crypto.randomUUID();
          await db.setMeta('clientId', fresh);
          return fresh;
        }));
      // (Same fields in another order only costs a write.)
      if (JSON.stringify(knownMe) !== JSON.stringify(params.me)) await db.setMeta('me', params.me);
      return new DeskSession(params.me, params.token, params.serverUrl, db, clientId);
    } catch (e) {
      db.close();
      return blocked ? 'blocked' : (cacheProblemOf(e) ?? 'corrupt');
    }
  }

  async start(): Promise<void> {
    // Another window deleting or upgrading the cache: let go of it and say so.
    this.db.on('versionchange', () => {
      this.db.close();
      this.status.set({ ...this.status.get(), problem: 'blocked' });
      return false;
    });
    try {
      await this.outbox.reload();
      await this.readStatusFromCache();
      // Taken in whole: with the stored sort orders the queue is ready without sorting.
      const { deltas, orders } = await (this.cache ?? readCache(this.db.name));
      this.cache = null;
      const start = performance.now();
      this.store.load(deltas, orders ?? undefined);
      performance.measure('desk:cache-load', { start, end: performance.now() });
    } catch (e) {
      this.status.set({ ...this.status.get(), problem: cacheProblemOf(e) ?? 'corrupt' });
      return;
    }
    // What the first paint of the queue does not need waits for it: see `queuePainted`.
    this.loaded.set(true);
    const onOnline = () => this.leadership.setBrowserOnline(true);
    const onOffline = () => {
      if (!this.leadership.setBrowserOnline(false)) this.status.set({ ...this.status.get(), connection: 'offline' });
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });
    if (!navigator.onLine) onOffline();
    this.leadership.contend();
  }

  /**
   * The desk calls this once it has rendered the loaded cache: after that frame, the store
   * fills the maps its first paint did without (DeskStore.catchUpAfter). Returns a cancel.
   */
  queuePainted(): () => void {
    return this.store.catchUpAfter(afterPaint);
  }

  /** Until the leading tab (or this tab's own engine) says more: what the cache knows. */
  private async readStatusFromCache(): Promise<void> {
    const [done, progress, lastSyncedAt] = await Promise.all([
      this.db.getMeta('bootstrapDone'),
      this.db.getMeta('bootstrapProgress'),
      this.db.getMeta('lastSyncedAt'),
    ]);
    this.status.set({
      ...this.status.get(),
      lastSyncedAt: lastSyncedAt ?? null,
      bootstrap: { done: progress?.done ?? 0, total: progress?.total ?? 0, complete: done === true },
    });
    this.leadership.askStatus();
  }

  /** Writes an edit to the outbox; a full disk or a broken cache is reported, not swallowed. */
  async enqueue(body: MutationBody): Promise<OutboxEntry> {
    try {
      return await this.outbox.enqueue(body);
    } catch (e) {
      const problem = cacheProblemOf(e);
      if (problem) this.status.set({ ...this.status.get(), problem });
      throw e;
    }
  }

  setTeams(teams: TeamId[]): void {
    prefs.set(`teams.${this.me.id}`, teams.join(','));
    this.teams.set(teams);
  }

  setToken(token: string): void {
    this.token = token;
    this.work.setToken(token);
    this.status.set({ ...this.status.get(), authExpired: false });
    this.leadership.restart();
  }

  /**
   * Deletes and rebuilds the cache, carrying over what must not be lost: edits not yet pushed,
   * this desk's client id with its mutation counter (so the server still deduplicates replays) and
   * its leased case numbers. An old cache that cannot be read hands on nothing: the rebuilt one
   * gets a new client id, never the old one with a counter started again (session/rebuild.ts).
   * Then every tab reloads and bootstraps afresh.
   */
  async resync(): Promise<{ keptEdits: number; lostEdits: boolean }> {
    const keep = await carryOver(this.db);
    this.stop();
    this.leadership.announceResync();
    this.db.close();
    await rebuildCache(this.db.name, this.me, keep);
    return { keptEdits: keep?.outbox.length ?? 0, lostEdits: keep === null };
  }

  stop(): void {
    this.leadership.stop();
    for (const c of this.cleanups.splice(0)) c();
    this.work.close();
    this.leadership.close();
  }

  /** Edits this computer still holds (see Outbox.held): logging out keeps the cache while any do. */
  heldEdits(): Promise<number> {
    return this.outbox.held();
  }

  /**
   * Logout: stop syncing and forget the token. This computer's copy of the cache is removed once
   * its outbox is empty; edits still held keep it (with them) for the same specialist's next
   * login on this computer, which sends them.
   */
  async logout(): Promise<LogoutOutcome> {
    try {
      await this.api.post(ROUTES.logout, {}, z.unknown());
    } catch {
      // offline or already expired: forgetting the token locally is what matters
    }
    this.stop();
    // Counted after the engine stopped: nothing settles an edit any more. An unreadable outbox counts as held.
    const held = await this.outbox.held().catch(() => null);
    this.db.close();
    await host.saveToken(null);
    if (held !== 0) return { cache: 'kept', heldEdits: held ?? 0 };
    // Another window that does not let go of the database holds the deletion up: the login
    // screen comes anyway, saying so (the deletion still happens once that window lets go).
    let timer: ReturnType<typeof setTimeout> | undefined;
    const heldUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DELETE_WAIT_MS);
    });
    try {
      const removed = await Promise.race([deleteCache(this.db.name).then(() => true), heldUp]);
      return removed ? { cache: 'removed' } : { cache: 'kept', heldEdits: 0 };
    } catch {
      return { cache: 'kept', heldEdits: 0 };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** What logging out did with this computer's copy of the specialist's cache. */
export type LogoutOutcome = { cache: 'removed' } | { cache: 'kept'; heldEdits: number };
