/**
 * A logged-in desk: the cache of this specialist on this server, the in-memory store built from
 * it, the outbox, and — in the one tab that leads — the sync engine. The React tree reads it
 * through hooks (ui/hooks.ts); nothing here renders.
 */
import Dexie from 'dexie';
import { z } from 'zod';
import {
  CallerInfoSchema,
  CaseDetailSchema,
  ROUTES,
  type CaseDetail,
  TEAM_IDS,
  type MutationBody,
  type Specialist,
  type TeamId,
} from '../../../shared/index';
import { ApiClient, ApiError } from '../api/client';
import { prepareChunk, writeChunk } from '../cache/chunks';
import { cacheName, DeskDb, type MetaValues } from '../cache/db';
import type { OutboxEntry } from '../model/edits';
import { cacheProblemOf, type CacheProblem } from '../cache/errors';
import { decodeDelta } from '../model/rows';
import { DeskStore } from '../store/store';
import type { DisplayRow } from '../model/rows';
import { callerFromCache, callerFromServer, teamOfCall, type IncomingCall } from '../model/caller';
import { host, prefs } from '../platform/index';
import { INITIAL_SYNC_STATUS, SyncEngine, type CallMessage, type SyncStatus } from '../sync/engine';
import { contendForLeadership, TabChannel, type TabMessage } from '../sync/leader';
import { editsToKeep, Outbox, restoreEdits } from '../sync/outbox';
import { SyncWorkWorker } from '../sync/workerClient';
import { afterPaint } from '../lib/afterPaint';
import type { StoredCache } from '../cache/storedCache';
import { readCache, takePreloaded } from './cachePreload';
import { Signal } from '../lib/signal';

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
  readonly store = new DeskStore();
  readonly status = new Signal<SyncStatus>(INITIAL_SYNC_STATUS);
  readonly teams: Signal<TeamId[]>;
  readonly call = new Signal<IncomingCall | null>(null);
  /** The cache has been read into memory (the queue can render). */
  readonly loaded = new Signal(false);
  /** This tab runs the sync loop (and so raises notifications). */
  readonly leading = new Signal(false);
  readonly api: ApiClient;
  readonly outbox: Outbox;
  private readonly work: SyncWorkWorker;
  /** The cache being read for the start; dropped once loaded (it holds every decoded row). */
  private cache: Promise<StoredCache> | null;
  private readonly channel: TabChannel;
  private engine: SyncEngine | null = null;
  private resignLeadership: (() => void) | null = null;
  private readonly cleanups: Array<() => void> = [];

  private constructor(
    readonly me: Specialist,
    private token: string,
    readonly serverUrl: string,
    readonly db: DeskDb,
    readonly clientId: string,
  ) {
    this.teams = new Signal(savedTeams(me));
    this.api = new ApiClient({ baseUrl: serverUrl, token: () => this.token });
    this.work = new SyncWorkWorker({ baseUrl: serverUrl, token, dbName: db.name });
    this.cache = takePreloaded(db.name) ?? readCache(db.name);
    this.cache.catch(() => undefined); // reported by start()
    this.channel = new TabChannel(db.name, (msg) => this.onTabMessage(msg));
    this.outbox = new Outbox(db, this.store, clientId, () => this.outboxChanged());
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
      // Read first, written only when new: a cold start's cache read (cachePreload.ts) holds
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
    const onOnline = () => this.engine?.setBrowserOnline(true);
    const onOffline = () => {
      this.engine?.setBrowserOnline(false);
      if (!this.engine) this.status.set({ ...this.status.get(), connection: 'offline' });
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });
    if (!navigator.onLine) onOffline();
    this.resignLeadership = contendForLeadership(
      this.db.name,
      () => this.lead(),
      () => this.resign(),
    );
  }

  /**
   * The desk calls this once it has rendered the loaded cache: after that frame, the store
   * fills the maps its first paint did without (DeskStore.catchUpAfter). Returns a cancel.
   */
  queuePainted(): () => void {
    return this.store.catchUpAfter(afterPaint);
  }

  private resign(): void {
    this.engine?.stop();
    this.engine = null;
    this.leading.set(false);
    this.channel.listenToData(true);
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
    this.channel.post({ type: 'ask-status' });
  }

  private lead(): void {
    this.leading.set(true);
    this.channel.listenToData(false);
    this.engine = new SyncEngine({
      db: this.db,
      api: this.api,
      work: this.work,
      store: this.store,
      outbox: this.outbox,
      clientId: this.clientId,
      teams: () => this.teams.get(),
      token: () => this.token,
      onStatus: (status) => {
        this.status.set(status);
        this.channel.post({ type: 'status', status });
        const b = status.bootstrap;
        void host.setProgress(b.complete || b.total === 0 ? null : b.done / b.total);
      },
      onDelta: (delta) => this.channel.post({ type: 'delta', delta }),
      onOutboxChanged: () => this.channel.post({ type: 'outbox' }),
      onCall: (msg) => {
        this.channel.post({ type: 'call', msg });
        this.receiveCall(msg, true);
      },
    });
    void this.engine.start();
  }

  private onTabMessage(msg: TabMessage): void {
    switch (msg.type) {
      case 'delta':
        this.store.ingest(msg.delta);
        break;
      case 'text':
        this.store.ingest(decodeDelta(msg.text));
        break;
      case 'outbox':
        void this.outbox.reload();
        break;
      case 'status':
        if (!this.engine) this.status.set(msg.status);
        break;
      case 'ask-status':
        if (this.engine) this.channel.post({ type: 'status', status: this.engine.status });
        break;
      case 'call':
        this.receiveCall(msg.msg, false);
        break;
      case 'kick':
        this.engine?.requestPush();
        break;
      case 'resync':
        window.location.reload();
        break;
    }
  }

  private outboxChanged(): void {
    if (this.engine) this.engine.requestPush();
    else this.channel.post({ type: 'kick' });
    this.channel.post({ type: 'outbox' });
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

  /**
   * A call event for my team (the server routes calls by team; the desk additionally hides a
   * call for a team I have switched away from). Only the leading tab raises a notification.
   */
  private receiveCall(msg: CallMessage, notify: boolean): void {
    const incoming: IncomingCall = {
      callId: msg.call.id,
      key: msg.call.id,
      from: msg.call.from ?? msg.call.fromRaw,
      option: msg.call.option,
      state: msg.call.state,
      caller: callerFromServer(msg.caller),
    };
    const team = msg.call.team ?? teamOfCall(incoming);
    if (team !== null && !this.teams.get().includes(team)) return;
    const shown = this.call.get();
    if (msg.call.state === 'ringing' || shown?.key === incoming.key) this.call.set(incoming);
    if (notify && msg.call.state === 'ringing') {
      const who = incoming.caller.contact?.name ?? incoming.from;
      void host.notify({ title: who, body: incoming.caller.customer?.name ?? '', tag: `call:${incoming.key}` });
    }
  }

  /** A softphone link (`?call=` / softone-desk://call): identify from the cache, then ask the server. */
  showCallFromLink(from: string, option: 1 | 2 | null): void {
    const key = `link:${from}:${Date.now()}`;
    const call: IncomingCall = { callId: null, key, from, option, state: 'ringing', caller: callerFromCache(this.store, from, this.me.office) };
    this.call.set(call);
    this.api.get(ROUTES.phoneLookup, CallerInfoSchema, { number: from }).then(
      (info) => {
        if (this.call.get()?.key === key) this.call.set({ ...call, caller: callerFromServer(info) });
      },
      () => undefined, // offline: the cache's answer stands
    );
  }

  /**
   * A case not in the cache (or not yet): ask the server, keep the answer in the cache, and
   * return it. Null when the server does not know the number.
   */
  async fetchCaseByNumber(n: number): Promise<DisplayRow | null> {
    let detail: CaseDetail;
    try {
      detail = await this.api.get(ROUTES.caseByNumber(n), CaseDetailSchema);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return null;
      throw e;
    }
    await this.storeDetail(detail);
    return this.store.cases.get(detail.case.id) ?? null;
  }

  /** Writes a case's detail (from a lookup or a timeline fetch) into the cache and the store. */
  async storeDetail(detail: Pick<CaseDetail, 'case'> & Partial<CaseDetail>): Promise<void> {
    const db = this.db;
    const page = {
      cases: [detail.case],
      customers: detail.customer ? [detail.customer] : [],
      contacts: detail.contact ? [detail.contact] : [],
      specialists: [],
      grants: detail.grants ?? [],
      events: detail.events ?? [],
    };
    // The row's office (its SLA calendar) is its customer's country.
    const prepared = await prepareChunk(db, page, (id) => (detail.customer?.id === id ? detail.customer.country : this.store.directory.officeOf(id)));
    await db.transaction('rw', [db.rowChunks, db.caseSlices], () => writeChunk(db, prepared));
    this.store.ingest(prepared.delta);
    this.channel.post({ type: 'delta', delta: prepared.delta });
  }

  dismissCall(): void {
    this.call.set(null);
  }

  setToken(token: string): void {
    this.token = token;
    this.work.setToken(token);
    this.status.set({ ...this.status.get(), authExpired: false });
    this.resignLeadership?.();
    this.resign();
    this.resignLeadership = contendForLeadership(this.db.name, () => this.lead(), () => this.resign());
  }

  /**
   * Deletes and rebuilds the cache, carrying over what must not be lost: edits not yet pushed,
   * this desk's client id and mutation counter (so the server still deduplicates replays) and
   * its leased case numbers. Then every tab reloads and bootstraps afresh.
   */
  async resync(): Promise<{ keptEdits: number; lostEdits: boolean }> {
    let keep: { outbox: OutboxEntry[]; lastMutationId: number; numberBlocks: MetaValues['numberBlocks'] } | null = null;
    try {
      if (!this.db.isOpen()) await this.db.open();
      keep = {
        outbox: await editsToKeep(this.db),
        lastMutationId: (await this.db.getMeta('lastMutationId')) ?? 0,
        numberBlocks: (await this.db.getMeta('numberBlocks')) ?? [],
      };
    } catch {
      keep = null;
    }
    this.stop();
    this.channel.post({ type: 'resync' });
    this.db.close();
    await Dexie.delete(this.db.name);
    const fresh = new DeskDb(this.db.name);
    await fresh.open();
    await fresh.setMeta('clientId', this.clientId);
    await fresh.setMeta('me', this.me);
    if (keep) {
      await restoreEdits(fresh, keep.outbox);
      await fresh.setMeta('lastMutationId', keep.lastMutationId);
      await fresh.setMeta('numberBlocks', keep.numberBlocks);
    }
    fresh.close();
    return { keptEdits: keep?.outbox.length ?? 0, lostEdits: keep === null };
  }

  stop(): void {
    this.resignLeadership?.();
    this.resignLeadership = null;
    this.resign();
    for (const c of this.cleanups.splice(0)) c();
    this.work.close();
    this.channel.close();
  }

  /** Logout: stop syncing and forget the token; the cache and outbox stay for next time. */
  async logout(): Promise<void> {
    try {
      await this.api.post(ROUTES.logout, {}, z.unknown());
    } catch {
      // offline or already expired: forgetting the token locally is what matters
    }
    this.stop();
    this.db.close();
    await host.saveToken(null);
  }
}
