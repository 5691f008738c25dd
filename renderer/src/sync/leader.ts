/**
 * One sync loop per desk, however many windows or tabs show it: the tab that holds the Web
 * Lock named after the cache runs the engine; when it closes, the browser hands the lock (and
 * the loop) to the next tab. Others learn the results over a BroadcastChannel.
 */
import type { LiveMessage, PresenceState } from '../../../shared/index';
import type { Delta } from '../model/rows';
import type { SyncStatus } from './engine';

export type TabMessage =
  | { type: 'delta'; delta: Delta }
  /** A delta the leader's sync worker stored, as its JSON text. */
  | { type: 'text'; text: string }
  | { type: 'outbox' }
  | { type: 'status'; status: SyncStatus }
  /** A tab just opened: the leader answers with its status. */
  | { type: 'ask-status' }
  | { type: 'call'; msg: Extract<LiveMessage, { type: 'call' }> }
  /** The leader heard colleagues' presence or who answered a call. */
  | { type: 'team'; msg: Extract<LiveMessage, { type: 'answered' | 'presence' | 'mailReview' | 'escalation' }> }
  /** The leader's live link went down: colleagues' presence is unknown. */
  | { type: 'presence-reset' }
  /** A follower tab's own presence, for the leader to send (null: the tab closed). */
  | { type: 'my-presence'; tab: string; state: PresenceState | null }
  /** A new leader asks every tab for its presence. */
  | { type: 'ask-presence' }
  /** A follower enqueued an edit: the leader should push. */
  | { type: 'kick' }
  /** The cache is being rebuilt: every tab reloads. */
  | { type: 'resync' }
  /** The specialist logs out in one tab: every other tab stops and lets go of the cache (see `holdCache`). */
  | { type: 'logout' }
  /** What that logout did with this computer's copy of the cache, for the tabs that stopped. */
  | { type: 'logged-out'; outcome: CacheOutcome };

/** What logging out did with this computer's copy of the cache (the count: edits kept with it). */
export type CacheOutcome = { cache: 'removed' } | { cache: 'kept'; heldEdits: number };

/**
 * Two channels per desk: control messages for every tab, and written data for the tabs that do
 * not lead. The leading tab has the data from its own worker already and does not listen to
 * the data channel at all — deserialising its own pages a second time would cost its UI thread.
 */
export const controlChannelName = (db: string) => `desk-tabs:${db}`;
export const dataChannelName = (db: string) => `desk-data:${db}`;

export class TabChannel {
  private readonly channel: BroadcastChannel;
  private data: BroadcastChannel | null = null;
  private closed = false;
  constructor(
    private readonly name: string,
    private readonly onMessage: (msg: TabMessage) => void,
  ) {
    this.channel = new BroadcastChannel(controlChannelName(name));
    this.channel.onmessage = (e: MessageEvent<TabMessage>) => onMessage(e.data);
    this.listenToData(true);
  }

  /** Followers listen to the data the leader writes; the leader does not. */
  listenToData(on: boolean): void {
    if (on && !this.data) {
      this.data = new BroadcastChannel(dataChannelName(this.name));
      this.data.onmessage = (e: MessageEvent<TabMessage>) => this.onMessage(e.data);
    } else if (!on && this.data) {
      this.data.close();
      this.data = null;
    }
  }
  /** After close (a stopped desk, e.g. a second stop at logout) there is nothing to tell: a no-op. */
  post(msg: TabMessage): void {
    if (this.closed) return;
    if (msg.type === 'delta' || msg.type === 'text') {
      // Sent on a fresh handle: a BroadcastChannel does not deliver to itself, other tabs listen.
      const out = new BroadcastChannel(dataChannelName(this.name));
      out.postMessage(msg);
      out.close();
    } else this.channel.postMessage(msg);
  }
  close(): void {
    this.closed = true;
    this.channel.close();
    this.listenToData(false);
  }
}

/** Sends one control message to the other tabs, from a tab that has closed its own channel. */
export function postToTabs(name: string, msg: TabMessage): void {
  const out = new BroadcastChannel(controlChannelName(name));
  out.postMessage(msg);
  out.close();
}

/**
 * The next `logged-out` message of this desk, listened for from now on; null when none comes in
 * `timeoutMs` (the tab that logged out was closed before it could say).
 */
export function nextLogoutOutcome(name: string, timeoutMs: number): Promise<CacheOutcome | null> {
  const channel = new BroadcastChannel(controlChannelName(name));
  return new Promise<CacheOutcome | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    channel.onmessage = (e: MessageEvent<TabMessage>) => {
      if (e.data.type !== 'logged-out') return;
      clearTimeout(timer);
      resolve(e.data.outcome);
    };
  }).finally(() => channel.close());
}

const cacheLockName = (name: string) => `desk-cache:${name}`;

/**
 * Every tab with a desk open on the cache holds this lock, shared, from before it opens the
 * cache until it has stopped writing to it. Resolves, once held, with the function that lets go.
 * While another tab deletes or rebuilds the cache (`takeCache`), opening waits for it to finish.
 */
export function holdCache(name: string): Promise<() => void> {
  return new Promise((held) => {
    navigator.locks
      .request(cacheLockName(name), { mode: 'shared' }, () => new Promise<void>((release) => held(release)))
      .catch(() => undefined);
  });
}

/**
 * Waits until no other tab holds the cache (each let go once told to stop), for at most
 * `timeoutMs`. Resolves with the function that lets the others open it again, or null when one
 * did not let go in time. Holding it, this tab is the only one writing to the cache.
 */
export function takeCache(name: string, timeoutMs: number): Promise<(() => void) | null> {
  return new Promise((taken) => {
    navigator.locks
      .request(cacheLockName(name), { mode: 'exclusive', signal: AbortSignal.timeout(timeoutMs) }, () => new Promise<void>((release) => taken(release)))
      .catch(() => taken(null));
  });
}

/**
 * Runs `lead` while this tab holds the lock; resolves the returned release function's promise
 * when given up (logout). `lead` receives nothing and should start the engine.
 */
export function contendForLeadership(name: string, lead: () => void, resign: () => void): () => void {
  const controller = new AbortController();
  let release: (() => void) | null = null;
  navigator.locks
    .request(`desk-sync:${name}`, { signal: controller.signal }, () => {
      lead();
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    })
    .catch(() => undefined); // aborted before it was granted
  return () => {
    controller.abort();
    if (release) {
      resign();
      release();
    }
  };
}
