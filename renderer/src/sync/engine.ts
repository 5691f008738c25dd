/**
 * The sync loop of a desk: bootstrap once, then pull after the
 * cursor whenever the live socket pokes, and push the outbox. Exactly one engine runs per cache
 * (the tab holding the Web Lock, see leader.ts); other tabs enqueue into the shared outbox and
 * receive the leader's results over a BroadcastChannel.
 *
 * Everything runs through one serial pump, so a pull never interleaves with a push answer and
 * the cursor and the outbox always move in a defined order.
 */
import { PushResponseSchema, ROUTES, type LiveMessage, type PresenceState, type TeamId } from '../../../shared/index';
import { isAuthError, isRetryable, queuePlaceOf, type ApiClient } from '../api/client';
import type { DeskDb } from '../cache/db';
import type { OutboxEntry } from '../model/edits';
import { cacheProblemOf, type CacheProblem } from '../cache/errors';
import { emptyDelta, toRow, type Delta } from '../model/rows';
import type { DeskStore } from '../store/store';
import { LiveConnection, type LiveState, type SocketFactory } from './live';
import { ensureNumbers } from './numbers';
import type { Outbox } from './outbox';
import type { SyncWork } from './work';
import { uploadBefore } from './uploads';

export type Connection = 'online' | 'offline';

export interface SyncStatus {
  connection: Connection;
  live: LiveState;
  lastSyncedAt: string | null;
  /** The change `seq` the cache is complete up to; null until the first sync is done. */
  cursor: number | null;
  bootstrap: { done: number; total: number; complete: boolean };
  problem: CacheProblem | null;
  authExpired: boolean;
  /** An answer the desk did not expect (a server or contract bug), shown rather than swallowed. */
  serverError: string | null;
  /**
   * The server is busy with other desks' first syncs and queued this one's (DESK_BOOTSTRAP_CONCURRENCY):
   * its place in the queue. The engine asks again when the server said, a little later at random.
   */
  waiting: { place: number } | null;
}

export type CallMessage = Extract<LiveMessage, { type: 'call' }>;
/** Colleagues: who answered a call, who is where. */
export type TeamMessage = Extract<LiveMessage, { type: 'answered' | 'presence' | 'mailReview' | 'escalation' }>;

export interface EngineOptions {
  db: DeskDb;
  api: ApiClient;
  work: SyncWork;
  store: DeskStore;
  outbox: Outbox;
  clientId: string;
  teams: () => readonly TeamId[];
  token: () => string | null;
  createSocket?: SocketFactory;
  onStatus?: (status: SyncStatus) => void;
  /**
   * Server state learnt on this thread (push answers) that other tabs should ingest too. What
   * the sync worker writes (bootstrap, pull) it announces to them itself.
   */
  onDelta?: (delta: Delta) => void;
  onOutboxChanged?: () => void;
  onCall?: (msg: CallMessage) => void;
  onTeam?: (msg: TeamMessage) => void;
  /** The jitter's dice (tests); Math.random by default. */
  random?: () => number;
}

const PUSH_BATCH = 100;
const RETRY_MS = [1_000, 2_000, 5_000, 10_000, 30_000];
/** Without a live socket (blocked by a proxy, or reconnecting) pull on a timer instead. */
const POLL_MS = 30_000;
/**
 * A queued desk asks again after the server's Retry-After plus up to this share of it, at random:
 * desks told the same second do not all come back in the same millisecond.
 */
export const QUEUE_JITTER = 0.3;

/** Before the first sync: assumed online until a request says otherwise. */
export const INITIAL_SYNC_STATUS: SyncStatus = {
  connection: 'online',
  live: 'closed',
  lastSyncedAt: null,
  cursor: null,
  bootstrap: { done: 0, total: 0, complete: false },
  problem: null,
  authExpired: false,
  serverError: null,
  waiting: null,
};

export class SyncEngine {
  private statusValue: SyncStatus = INITIAL_SYNC_STATUS;
  private wantPull = false;
  private wantPush = false;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setInterval> | null = null;
  private readonly live: LiveConnection;

  constructor(private readonly o: EngineOptions) {
    this.live = new LiveConnection({
      baseUrl: o.api.baseUrl,
      token: o.token,
      createSocket: o.createSocket,
      onState: (state) => this.onLiveState(state),
      onMessage: (msg) => this.onLiveMessage(msg),
    });
  }

  get status(): SyncStatus {
    return this.statusValue;
  }

  private setStatus(patch: Partial<SyncStatus>): void {
    this.statusValue = { ...this.statusValue, ...patch };
    this.o.onStatus?.(this.statusValue);
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const db = this.o.db;
    const [lastSyncedAt, done, progress, cursor] = await Promise.all([
      db.getMeta('lastSyncedAt'),
      db.getMeta('bootstrapDone'),
      db.getMeta('bootstrapProgress'),
      db.getMeta('cursor'),
    ]);
    this.setStatus({
      lastSyncedAt: lastSyncedAt ?? null,
      cursor: done === true ? (cursor ?? null) : null,
      bootstrap: { done: progress?.done ?? 0, total: progress?.total ?? 0, complete: done === true },
    });
    this.live.start();
    this.pollTimer = setInterval(() => {
      if (this.statusValue.live !== 'open') this.requestSync();
    }, POLL_MS);
    this.requestSync();
  }

  /** Resolves once the loop is idle (tests, and the orderly stop on logout). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.live.stop();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retryTimer = this.pollTimer = null;
  }

  requestPull(): void {
    this.wantPull = true;
    this.pump();
  }

  requestPush(): void {
    this.wantPush = true;
    this.pump();
  }

  requestSync(): void {
    this.wantPull = this.wantPush = true;
    this.pump();
  }

  /** The browser's online/offline events: offline at once, and retry at once when back. */
  setBrowserOnline(online: boolean): void {
    if (!online) {
      this.setStatus({ connection: 'offline' });
      return;
    }
    this.failures = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.live.retryNow();
    this.requestSync();
  }

  private pump(): void {
    if (this.running || this.stopped || this.retryTimer || this.statusValue.authExpired || this.statusValue.problem) return;
    this.running = this.loop().finally(() => {
      this.running = null;
      if ((this.wantPull || this.wantPush) && !this.stopped) this.pump();
    });
  }

  private async loop(): Promise<void> {
    try {
      if (!this.statusValue.bootstrap.complete) await this.bootstrap();
      while ((this.wantPull || this.wantPush) && !this.stopped) {
        if (this.wantPush) {
          this.wantPush = false;
          while (await this.pushRound()) {
            // one round per case at a time, until the outbox has nothing live left
          }
        }
        if (this.wantPull) {
          this.wantPull = false;
          await this.pullAll();
        }
      }
      this.failures = 0;
      this.setStatus({ connection: 'online', serverError: null });
      await ensureNumbers(this.o.db, this.o.api, this.o.clientId);
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    const problem = cacheProblemOf(e);
    if (problem) {
      this.setStatus({ problem });
      return;
    }
    if (isAuthError(e)) {
      this.live.stop();
      this.setStatus({ authExpired: true });
      return;
    }
    this.wantPull = this.wantPush = true;
    const queued = queuePlaceOf(e);
    if (queued) {
      // Not offline and not an error: the server answered, and said when to come back.
      this.setStatus({ waiting: { place: queued.place }, connection: 'online', serverError: null });
      const delay = queued.retryAfterSeconds * 1000 * (1 + (this.o.random ?? Math.random)() * QUEUE_JITTER);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.pump();
      }, delay);
      return;
    }
    if (this.statusValue.waiting) this.setStatus({ waiting: null });
    if (isRetryable(e)) this.setStatus({ connection: 'offline' });
    else this.setStatus({ serverError: e instanceof Error ? e.message : String(e) });
    const delay = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)] ?? 30_000;
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, delay);
  }

  private async bootstrap(): Promise<void> {
    await this.o.work.bootstrap(this.o.teams(), (delta, progress) => {
      this.o.store.ingestSoon(delta);
      // A page arrives in several deltas with one progress: the UI and the other tabs hear it once.
      const shown = this.statusValue.bootstrap;
      if (shown.done !== progress.done || shown.total !== progress.total || this.statusValue.connection !== 'online' || this.statusValue.waiting) {
        this.setStatus({ bootstrap: { ...progress, complete: false }, connection: 'online', waiting: null });
      }
    });
    await this.o.store.drained();
    const total = this.statusValue.bootstrap.total;
    const cursor = (await this.o.db.getMeta('cursor')) ?? null;
    this.setStatus({ bootstrap: { done: total, total, complete: true }, cursor, lastSyncedAt: new Date().toISOString(), waiting: null });
  }

  private async pullAll(): Promise<void> {
    const { cursor } = await this.o.work.pull((delta) => this.o.store.ingest(delta));
    this.setStatus({ lastSyncedAt: new Date().toISOString(), cursor, connection: 'online' });
  }

  /**
   * Sends the oldest live edit of each case (and of each grant). One per case per round, because
   * the next edit of a case was made on top of this one: it is sent against the version this one
   * produces (see Outbox.settle), otherwise the server would see my own earlier edit as a conflict.
   */
  private async pushRound(): Promise<boolean> {
    const batch: OutboxEntry[] = [];
    const seen = new Set<string>();
    for (const e of await this.o.outbox.live()) {
      const key =
        e.caseId ??
        (e.envelope.name === 'markCallDone'
          ? `call:${e.envelope.args.callId}`
          : `grant:${e.envelope.name === 'revokeGrant' || e.envelope.name === 'recordGrant' ? e.envelope.args.grantId : e.mutationId}`);
      if (seen.has(key)) continue;
      seen.add(key);
      batch.push(e);
      if (batch.length >= PUSH_BATCH) break;
    }
    if (batch.length === 0) return false;
    // [attachments] the files a note names are on the server before the note is.
    await uploadBefore(this.o.db, this.o.api, batch, (e) => this.o.outbox.rewrite(e));
    await this.o.outbox.markSent(batch);

    const res = await this.o.api.post(ROUTES.push, { mutations: batch.map((e) => e.envelope) }, PushResponseSchema);
    const { serverCases, unknownVersion } = await this.o.outbox.settle(batch, res.results);
    if (serverCases.length > 0) {
      const delta: Delta = { ...emptyDelta(), rows: serverCases.map((c) => toRow(c, this.o.store.directory.officeOf(c.customerId))) };
      this.o.store.ingest(delta);
      this.o.onDelta?.(delta);
    }
    // The push made new changes (`res.seq`); the pull after it confirms the cursor is past them.
    this.wantPull = true;
    if (unknownVersion.length > 0) {
      // The answer carried no case: learn its version by pulling, then rebase what follows.
      await this.pullAll();
      for (const e of unknownVersion) {
        const c = e.caseId === null ? undefined : this.o.store.cases.serverRow(e.caseId);
        if (c) await this.o.outbox.rebase(e, c.version);
      }
    }
    await this.o.outbox.reload();
    this.o.onOutboxChanged?.();
    return true;
  }

  private onLiveState(state: LiveState): void {
    this.setStatus({ live: state, ...(state === 'open' ? { connection: 'online' as const } : {}) });
    // Back online: whatever was missed is behind the cursor, and the outbox may hold edits.
    if (state === 'open') {
      this.failures = 0;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      this.requestSync();
    }
  }

  private onLiveMessage(msg: LiveMessage): void {
    if (msg.type === 'poke' || msg.type === 'hello') this.requestPull();
    if (msg.type === 'call') this.o.onCall?.(msg);
    if (msg.type === 'answered' || msg.type === 'presence' || msg.type === 'mailReview' || msg.type === 'escalation') this.o.onTeam?.(msg);
  }

  /** This desk's presence, over the live socket (kept and re-sent after a reconnect). */
  setPresence(state: PresenceState): void {
    this.live.setPresence(state);
  }
}
