/**
 * One sync loop per desk, however many windows or tabs show it: the tab that holds the Web
 * Lock named after the cache runs the engine; when it closes, the browser hands the lock (and
 * the loop) to the next tab. Others learn the results over a BroadcastChannel.
 */
import type { LiveMessage } from '../../../shared/index';
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
  /** A follower enqueued an edit: the leader should push. */
  | { type: 'kick' }
  /** The cache is being rebuilt: every tab reloads. */
  | { type: 'resync' };

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
  post(msg: TabMessage): void {
    if (msg.type === 'delta' || msg.type === 'text') {
      // Sent on a fresh handle: a BroadcastChannel does not deliver to itself, other tabs listen.
      const out = new BroadcastChannel(dataChannelName(this.name));
      out.postMessage(msg);
      out.close();
    } else this.channel.postMessage(msg);
  }
  close(): void {
    this.channel.close();
    this.listenToData(false);
  }
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
