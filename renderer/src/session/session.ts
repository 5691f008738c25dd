/**
 * A logged-in desk: the cache of this specialist on this server, the in-memory store built from
 * it and the outbox, with one part per concern — which tab syncs (`Leadership`), calls
 * (`calls`), case details (`details`) and new cases (`newCases`). The React tree reads it
 * through hooks (ui/hooks.ts); nothing here renders.
 */
import { Escalations } from './escalations';
import { EscalationAdmin } from './escalationAdmin';
import { z } from 'zod';
import { MeResponseSchema, ROUTES, TEAM_IDS, type MutationBody, type Specialist, type TeamId } from '../../../shared/index';
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
import { holdCache, nextLogoutOutcome, postToTabs, takeCache, type CacheOutcome } from '../sync/leader';
import { Outbox } from '../sync/outbox';
import { SyncWorkWorker } from '../sync/workerClient';
import { startTextSearch, type TextSearch } from '../sync/searchClient';
import { readCache, takePreloaded } from './cachePreload';
import { Calls } from './calls';
import { CaseDetails } from './details';
import { Leadership } from './leadership';
import { MyPresence } from './presence';
import { MailDesk } from './mail';
import { CustomersAdmin } from './customersAdmin';
import { Reports } from './reports';
import { NewCases } from './newCases';
import { resyncCache } from './rebuild';
import { Account } from './account';
import { LeadAdmin } from './admin';
import { SessionAttachments } from './attachments';

export type { CacheProblem };

/** How long logging out waits for this computer's copy of the cache to be deleted. */
const DELETE_WAIT_MS = 5_000;
/** How long logging out or a re-sync waits for the other tabs of the desk to stop writing to the cache. */
const STOP_WAIT_MS = 5_000;
/** How long a tab stopped by a logout elsewhere waits to hear what that logout did with the cache. */
const OUTCOME_WAIT_MS = STOP_WAIT_MS + DELETE_WAIT_MS + 5_000;

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
  /**
   * The specialist logged out in another tab: this one has stopped and let go of the cache, and
   * the promise says what that logout did with it (see `logout`).
   */
  readonly loggedOutElsewhere = new Signal<Promise<LogoutOutcome> | null>(null);
  private readonly api: ApiClient;
  readonly outbox: Outbox;
  readonly calls: Calls;
  /** What this tab has open and is writing in, for colleagues (colleagues' own: store.presence). */
  readonly presence: MyPresence;
  readonly details: CaseDetails;
  readonly newCases: NewCases;
  /** Password, two-factor and sessions of the account (online only). */
  readonly account: Account;
  /** A mail's HTML and the office's mail review (online only). */
  readonly mail: MailDesk;
  /** The lead's customer register and import (online only; lead-only routes). */
  readonly customersAdmin: CustomersAdmin;
  /** The lead's reports (online only). */
  readonly reports: Reports;
  /** SLA escalations the server sent this desk (shown as notices until dismissed). */
  readonly escalations = new Escalations();
  /** The lead's escalation settings and the offices' calendar exceptions (online only). */
  readonly escalationAdmin: EscalationAdmin;
  /**
   * The server's softphone link template for calling back (`DESK_SOFTPHONE_URL`), null for
   * `tel:` links; remembered for offline starts.
   */
  readonly softphoneUrl: Signal<string | null>;
  /** Words in cases, customers and contacts: an index of the cache in a worker of its own. */
  readonly search: TextSearch;
  /** Files on notes: kept until uploaded, watched, fetched. */
  readonly attachments: SessionAttachments;
  /** The lead's accounts, GDPR and audit screens (online only, lead routes). */
  readonly admin: LeadAdmin;
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
    /** Lets go of the cache (sync/leader.ts holdCache): this tab no longer writes to it. */
    private readonly letGo: () => void,
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
      onLogoutElsewhere: () => this.stopForLogoutElsewhere(),
      onTeam: (msg) => {
        if (msg.type === 'presence') this.store.presence.apply(msg.entries);
        else if (msg.type === 'mailReview') this.mail.changed(msg);
        // The server's SLA escalation: a notice in every tab, a desktop notification from the leading one.
        else if (msg.type === 'escalation') this.escalations.receive(msg, this.leading.get());
        else this.calls.answeredElsewhere(msg);
      },
      onPresenceReset: () => this.store.presence.reset(),
      myPresence: () => this.presence.state(),
    });
    this.presence = new MyPresence(() => this.leadership.presenceChanged(this.presence.state()));
    this.search = startTextSearch(db.name);
    this.details = new CaseDetails(db, this.api, this.store, (delta) => this.leadership.share(delta), (events) => this.search.eventsStored(events));
    this.newCases = new NewCases(db, this.api, this.store, clientId);
    this.account = new Account(this.api);
    this.attachments = new SessionAttachments(db, this.api, (body) => this.enqueue(body), (caseId) => this.store.timelines.slicesOf(caseId));
    this.mail = new MailDesk(this.api, me.office);
    this.customersAdmin = new CustomersAdmin(this.api);
    this.escalationAdmin = new EscalationAdmin(this.api, this.store);
    this.softphoneUrl = new Signal(prefs.get(`softphoneUrl.${serverUrl}`));
    this.admin = new LeadAdmin(this.api);
    this.reports = new Reports(this.api);
  }

  /** Opens (or creates) the cache; a cache problem comes back as its kind, for the re-sync screen. */
  static async open(params: SessionParams): Promise<DeskSession | CacheProblem> {
    const name = cacheName(params.serverUrl, params.me.id);
    // Held until this tab stops: a logout or a re-sync in another tab waits for it, and while one
    // runs, this waits for it to finish.
    const letGo = await holdCache(name);
    const db = new DeskDb(name);
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
      return new DeskSession(params.me, params.token, params.serverUrl, db, clientId, letGo);
    } catch (e) {
      db.close();
      letGo();
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
    // A follower tab that closes takes its presence with it (the leader's goes with its socket).
    const onPageHide = () => this.leadership.presenceChanged(null);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    window.addEventListener('pagehide', onPageHide);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('pagehide', onPageHide);
    });
    if (!navigator.onLine) onOffline();
    this.leadership.contend();
    this.mail.refreshCount();
    this.api.get(ROUTES.me, MeResponseSchema).then(
      (me) => {
        const template = me.softphoneUrl ?? null;
        prefs.set(`softphoneUrl.${this.serverUrl}`, template);
        this.softphoneUrl.set(template);
      },
      () => undefined, // offline: the template remembered from the last start stands
    );
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
      const entry = await this.outbox.enqueue(body);
      // A note is searchable as soon as it is written, online or not (the synced copy, with the
      // same event id, replaces it).
      if (body.name === 'addNote') {
        const at = new Date().toISOString();
        const { caseId, eventId, text } = body.args;
        this.search.eventsStored([{ id: eventId, caseId, at, receivedAt: at, actorId: this.me.id, kind: 'note', text, data: {} }]);
      }
      return entry;
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
   * Every tab reloads and bootstraps afresh: they are told first, and what is carried over is
   * read once they have let go of the cache, so an edit one of them saved meanwhile goes along.
   */
  async resync(): Promise<{ keptEdits: number; lostEdits: boolean }> {
    const held: { release: (() => void) | null } = { release: null };
    try {
      const keep = await resyncCache(this.db, this.me, async () => {
        this.leadership.announceResync();
        this.stop();
        // The others reload (letting go as their page goes) and open the rebuilt cache once it is
        // ready. One that does not let go in time: rebuilt anyway, as before.
        held.release = await takeCache(this.db.name, STOP_WAIT_MS);
      });
      return { keptEdits: keep?.outbox.length ?? 0, lostEdits: keep === null };
    } finally {
      held.release?.();
    }
  }

  stop(): void {
    this.presence.close();
    this.leadership.presenceChanged(null);
    this.leadership.stop();
    for (const c of this.cleanups.splice(0)) c();
    this.work.close();
    this.search.close();
    this.leadership.close();
    this.letGo();
  }

  /** Stops and closes the cache: a session opened but not wanted after all. */
  close(): void {
    this.stop();
    this.db.close();
  }

  /** Another tab logs out: stop, let go of the cache, and learn what that logout did with it. */
  private stopForLogoutElsewhere(): void {
    if (this.loggedOutElsewhere.get()) return;
    // Listening from before letting go: the tab logging out says only once every tab has let go.
    const outcome = nextLogoutOutcome(this.db.name, OUTCOME_WAIT_MS).then((o): LogoutOutcome => o ?? { cache: 'kept', heldEdits: 0 });
    // An edit being written finishes first (the count in the tab logging out comes after it);
    // after this, none can start here. Then stop, letting go of the cache.
    this.db.close();
    this.stop();
    this.loggedOutElsewhere.set(outcome);
  }

  /** Edits this computer still holds (see Outbox.held): logging out keeps the cache while any do. */
  heldEdits(): Promise<number> {
    return this.outbox.held();
  }

  /**
   * Logout: stop syncing and forget the token. This computer's copy of the cache is removed once
   * its outbox is empty; edits still held keep it (with them) for the same specialist's next
   * login on this computer, which sends them. The other tabs of the desk stop first and go to the
   * login screen too, so what is counted is all there is: no edit is deleted with the cache.
   */
  async logout(): Promise<LogoutOutcome> {
    try {
      await this.api.post(ROUTES.logout, {}, z.unknown());
    } catch {
      // offline or already expired: forgetting the token locally is what matters
    }
    this.leadership.announceLogout();
    this.stop();
    await host.saveToken(null);
    const outcome = await this.forgetCache();
    postToTabs(this.db.name, { type: 'logged-out', outcome });
    return outcome;
  }

  /** Deletes the cache if, once every tab has stopped writing to it, its outbox is empty. */
  private async forgetCache(): Promise<LogoutOutcome> {
    const release = await takeCache(this.db.name, STOP_WAIT_MS);
    // Counted once every engine and tab stopped: nothing adds or settles an edit any more.
    // An unreadable outbox counts as held; so does a tab that did not stop in time.
    const held = await this.outbox.held().catch(() => null);
    this.db.close();
    if (release === null || held !== 0) {
      release?.();
      return { cache: 'kept', heldEdits: held ?? 0 };
    }
    // No desk has the cache open now; something else that does not let go of it (an old Desk)
    // holds the deletion up: the login screen comes anyway, saying so. Desks opening meanwhile
    // wait for the deletion (they hold the cache only once it is released) and start afresh.
    const deleted = deleteCache(this.db.name).then(
      () => true,
      () => false,
    );
    void deleted.finally(release);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const heldUp = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), DELETE_WAIT_MS);
    });
    const removed = await Promise.race([deleted, heldUp]);
    clearTimeout(timer);
    return removed ? { cache: 'removed' } : { cache: 'kept', heldEdits: 0 };
  }
}

/** What logging out did with this computer's copy of the specialist's cache. */
export type LogoutOutcome = CacheOutcome;
