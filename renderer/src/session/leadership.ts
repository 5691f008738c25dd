/**
 * Which tab syncs: the one holding the cache's Web Lock runs the sync engine, the others hear
 * its results over the tab channel and ask it to push what they enqueue (see sync/leader.ts).
 */
import type { PresenceState, TeamId } from '../../../shared/index';
import type { ApiClient } from '../api/client';
import type { DeskDb } from '../cache/db';
import type { Signal } from '../lib/signal';
import { decodeDelta, type Delta } from '../model/rows';
import { host } from '../platform/index';
import type { DeskStore } from '../store/store';
import { SyncEngine, type CallMessage, type SyncStatus, type TeamMessage } from '../sync/engine';
import { mergePresence } from './presence';
import { contendForLeadership, TabChannel, type TabMessage } from '../sync/leader';
import type { Outbox } from '../sync/outbox';
import type { SyncWorkWorker } from '../sync/workerClient';

export interface LeadershipOptions {
  db: DeskDb;
  api: ApiClient;
  work: SyncWorkWorker;
  store: DeskStore;
  outbox: Outbox;
  clientId: string;
  teams: () => readonly TeamId[];
  token: () => string;
  status: Signal<SyncStatus>;
  /** This tab runs the sync loop (and so raises notifications). */
  leading: Signal<boolean>;
  /** A call for this desk; `notify` in the leading tab only. */
  onCall: (msg: CallMessage, notify: boolean) => void;
  /** The specialist logged out in another tab: this one stops. */
  onLogoutElsewhere: () => void;
  /** Colleagues' presence, or who answered a call; every tab. */
  onTeam: (msg: TeamMessage) => void;
  /** The live link went down: colleagues' presence is no longer known. */
  onPresenceReset: () => void;
  /** This tab's own presence (a new leader asks every tab). */
  myPresence: () => PresenceState;
}

const TAB_ID = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : String(Math.random());

export class Leadership {
  private readonly channel: TabChannel;
  private engine: SyncEngine | null = null;
  private resignLeadership: (() => void) | null = null;
  /** The leader's view of the other tabs' presence. */
  private readonly tabPresence = new Map<string, PresenceState>();
  private liveOpen = false;

  constructor(private readonly o: LeadershipOptions) {
    this.channel = new TabChannel(o.db.name, (msg) => this.onTabMessage(msg));
  }

  contend(): void {
    this.resignLeadership = contendForLeadership(
      this.o.db.name,
      () => this.lead(),
      () => this.resign(),
    );
  }

  /** Lets go of the lock, if held, and stops syncing here. */
  stop(): void {
    this.resignLeadership?.();
    this.resignLeadership = null;
    this.resign();
  }

  /** With a new token: let go and contend again, so the engine starts afresh with it. */
  restart(): void {
    this.stop();
    this.contend();
  }

  /** The browser's online/offline events; false when no engine runs in this tab to hear them. */
  setBrowserOnline(online: boolean): boolean {
    this.engine?.setBrowserOnline(online);
    return this.engine !== null;
  }

  /** Until the leading tab says more, this tab shows what the cache knows: ask the leader. */
  askStatus(): void {
    this.channel.post({ type: 'ask-status' });
  }

  /** Server state learnt in this tab, for the other tabs to ingest too. */
  share(delta: Delta): void {
    this.channel.post({ type: 'delta', delta });
  }

  /** Every tab reloads (the cache is being rebuilt). */
  announceResync(): void {
    this.channel.post({ type: 'resync' });
  }

  /** Every other tab stops: the specialist logs out. */
  announceLogout(): void {
    this.channel.post({ type: 'logout' });
  }

  /** The outbox changed here: the leader pushes, and the other tabs show the change. */
  outboxChanged(): void {
    if (this.engine) this.engine.requestPush();
    else this.channel.post({ type: 'kick' });
    this.channel.post({ type: 'outbox' });
  }

  /** This tab's presence changed: the leader sends the desk's, a follower tells the leader. */
  presenceChanged(state: PresenceState | null): void {
    if (this.engine) this.engine.setPresence(this.deskPresence());
    else this.channel.post({ type: 'my-presence', tab: TAB_ID, state });
  }

  private deskPresence(): PresenceState {
    return mergePresence([this.o.myPresence(), ...this.tabPresence.values()]);
  }

  close(): void {
    this.channel.close();
  }

  private resign(): void {
    this.engine?.stop();
    this.engine = null;
    this.tabPresence.clear();
    this.o.leading.set(false);
    this.channel.listenToData(true);
  }

  private lead(): void {
    const o = this.o;
    o.leading.set(true);
    this.channel.listenToData(false);
    this.engine = new SyncEngine({
      db: o.db,
      api: o.api,
      work: o.work,
      store: o.store,
      outbox: o.outbox,
      clientId: o.clientId,
      teams: o.teams,
      token: o.token,
      onStatus: (status) => {
        o.status.set(status);
        const open = status.live === 'open';
        if (this.liveOpen && !open) {
          o.onPresenceReset();
          this.channel.post({ type: 'presence-reset' });
        }
        this.liveOpen = open;
        this.channel.post({ type: 'status', status });
        const b = status.bootstrap;
        void host.setProgress(b.complete || b.total === 0 ? null : b.done / b.total);
      },
      onDelta: (delta) => this.share(delta),
      onOutboxChanged: () => this.channel.post({ type: 'outbox' }),
      onCall: (msg) => {
        this.channel.post({ type: 'call', msg });
        o.onCall(msg, true);
      },
      onTeam: (msg) => {
        this.channel.post({ type: 'team', msg });
        o.onTeam(msg);
      },
    });
    this.engine.setPresence(this.deskPresence());
    this.channel.post({ type: 'ask-presence' });
    void this.engine.start();
  }

  private onTabMessage(msg: TabMessage): void {
    switch (msg.type) {
      case 'delta':
        this.o.store.ingest(msg.delta);
        break;
      case 'text':
        this.o.store.ingest(decodeDelta(msg.text));
        break;
      case 'outbox':
        void this.o.outbox.reload();
        break;
      case 'status':
        if (!this.engine) this.o.status.set(msg.status);
        break;
      case 'ask-status':
        if (this.engine) this.channel.post({ type: 'status', status: this.engine.status });
        break;
      case 'call':
        this.o.onCall(msg.msg, false);
        break;
      case 'team':
        this.o.onTeam(msg.msg);
        break;
      case 'presence-reset':
        this.o.onPresenceReset();
        break;
      case 'my-presence':
        if (!this.engine) break;
        if (msg.state) this.tabPresence.set(msg.tab, msg.state);
        else this.tabPresence.delete(msg.tab);
        this.engine.setPresence(this.deskPresence());
        break;
      case 'ask-presence':
        if (!this.engine) this.channel.post({ type: 'my-presence', tab: TAB_ID, state: this.o.myPresence() });
        break;
      case 'kick':
        this.engine?.requestPush();
        break;
      case 'resync':
        window.location.reload();
        break;
      case 'logout':
        this.o.onLogoutElsewhere();
        break;
      case 'logged-out':
        break;
    }
  }
}
