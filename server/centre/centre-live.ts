/**
 * The customer centre's live channel: each open centre keeps one WebSocket and hears which of
 * its company's cases changed ("changed", case ids only — never data: the centre asks for the
 * list or the case as always, through the routes that check and audit). A socket of its own, not
 * the desks' (server/http/live-socket.ts): a customer's socket must never hear the desks' pokes,
 * calls or presence, and a specialist's token is unknown here (customer sessions only).
 *
 * It follows the change log from the desks' poke (every committed change pokes): case rows and
 * the public part of their history (mails, status steps; never a note or a call) name a case,
 * the case names its company, and only that company's sockets hear of it. A support login's grant
 * (granted in the centre, recorded or ended on a desk) names its company too: its sockets hear
 * `grants: true` and the grants page asks again.
 *
 * The token arrives as the first message, not in the URL, so it never lands in access logs.
 */
import type { WebSocket } from 'ws';
import { publicEntries } from '../../shared/centre';
import type { Case } from '../../shared/contract';
import { CentreLiveClientMessageSchema, type CentreLiveMessage } from '../../shared/centreAccount';
import type { CentreAuthSession } from './centre-auth';
import type { Store } from '../store/store';

export interface CentreLiveOptions {
  store: Store;
  authenticate(token: string): CentreAuthSession | null;
  /** Whether the socket's session still holds (asked at every heartbeat, without counting as use). */
  stillValid(tokenHash: string): boolean;
  now(): Date;
  authTimeoutMs: number;
  /** Heartbeat period; a socket that misses two is dropped. */
  pingIntervalMs: number;
  /** Changes are looked up and sent together, at most once per this period. */
  batchMs: number;
  /** Open sockets one session may hold (a centre keeps one per tab). */
  socketsPerSession: number;
}

export const DEFAULT_CENTRE_LIVE = { authTimeoutMs: 5_000, pingIntervalMs: 25_000, batchMs: 100, socketsPerSession: 4 };

/**
 * 4401 not (or no longer) signed in (final: the centre does not reconnect), 4408 no token within
 * the auth timeout (a slow connection: the centre reconnects with backoff), 4400 a malformed
 * message, 4429 too many sockets for one session.
 */
export const CENTRE_CLOSE_UNAUTHORIZED = 4401;
export const CENTRE_CLOSE_AUTH_TIMEOUT = 4408;
export const CENTRE_CLOSE_BAD_MESSAGE = 4400;
export const CENTRE_CLOSE_TOO_MANY = 4429;
const CLOSE_GOING_AWAY = 1001;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Change-log rows read per step; a long backlog is read in steps, yielding between them. */
const STEP = 1_000;
/** A company's cases whose visible state is remembered while it listens (the centre's list shows as many). */
const CASES_KEPT = 500;

interface CentreClient {
  socket: WebSocket;
  tokenHash: string;
  customerId: string;
  /** The change sequence when it said hello: it hears of later changes only. */
  since: number;
  missedBeats: number;
  expiryTimer: NodeJS.Timeout;
}

export class CentreLiveHub {
  private readonly clients = new Set<CentreClient>();
  private readonly pending = new Set<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private cursor: number;
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private closed = false;
  /**
   * What each listening company can see of its cases (status, title, …), to tell a change it
   * can see from one it cannot: every edit bumps the case row, an internal note included, and a
   * notice for that would tell the customer when the specialists were busy with their case.
   */
  private readonly seen = new Map<string, Map<string, string>>();

  constructor(private readonly options: CentreLiveOptions) {
    this.cursor = options.store.changes.latestSeq();
    this.heartbeat = setInterval(() => this.beat(), options.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** How many sockets are signed in (tests and diagnostics). */
  get size(): number {
    return this.clients.size;
  }

  /** A new socket: it must authenticate with its first message within the timeout. */
  accept(socket: WebSocket): void {
    if (this.closed) {
      socket.close(CLOSE_GOING_AWAY, 'server shutting down');
      return;
    }
    this.pending.add(socket);
    const timeout = setTimeout(() => socket.close(CENTRE_CLOSE_AUTH_TIMEOUT, 'authenticate first'), this.options.authTimeoutMs);
    socket.once('close', () => {
      clearTimeout(timeout);
      this.pending.delete(socket);
    });
    socket.once('message', (data, isBinary) => {
      clearTimeout(timeout);
      this.pending.delete(socket);
      const message = isBinary ? null : CentreLiveClientMessageSchema.safeParse(safeJson(data.toString()));
      if (!message?.success) {
        socket.close(CENTRE_CLOSE_UNAUTHORIZED, 'the first message must be {"type":"auth","token":…}');
        return;
      }
      const session = this.options.authenticate(message.data.token);
      if (!session) {
        socket.close(CENTRE_CLOSE_UNAUTHORIZED, 'invalid or expired session');
        return;
      }
      this.register(socket, session);
    });
  }

  private register(socket: WebSocket, session: CentreAuthSession): void {
    if (socket.readyState !== socket.OPEN) return;
    let open = 0;
    for (const client of this.clients) if (client.tokenHash === session.tokenHash) open += 1;
    if (open >= this.options.socketsPerSession) {
      socket.close(CENTRE_CLOSE_TOO_MANY, `this session already has ${open} live sockets open`);
      return;
    }
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(session.expiresAt) - this.options.now().getTime()));
    const customerId = session.customer.id;
    if (!this.seen.has(customerId)) {
      this.seen.set(customerId, new Map(this.options.store.cases.ofCustomer(customerId, CASES_KEPT).map((c) => [c.id, visible(c)])));
    }
    const client: CentreClient = {
      socket,
      tokenHash: session.tokenHash,
      customerId,
      since: this.options.store.changes.latestSeq(),
      missedBeats: 0,
      expiryTimer: setTimeout(() => socket.close(CENTRE_CLOSE_UNAUTHORIZED, 'session expired'), untilExpiry),
    };
    this.clients.add(client);
    socket.on('pong', () => (client.missedBeats = 0));
    // The centre says nothing after its token: anything more is a malformed client.
    socket.on('message', () => socket.close(CENTRE_CLOSE_BAD_MESSAGE, 'nothing to say after the token'));
    socket.on('close', () => {
      clearTimeout(client.expiryTimer);
      this.clients.delete(client);
      if (![...this.clients].some((c) => c.customerId === customerId)) this.seen.delete(customerId);
    });
    this.send(socket, { type: 'hello' });
  }

  /** Something was committed (the desks' poke): the company's sockets hear of their cases soon. */
  changed(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed read (the store closing under it) loses nothing: the centre asks again on its next look.
      this.read().catch(() => undefined);
    }, this.options.batchMs);
  }

  /** Reads the change log from the cursor and tells each company's sockets which of its cases changed. */
  private async read(): Promise<void> {
    if (this.reading) return this.changed();
    this.reading = true;
    try {
      const { store } = this.options;
      for (;;) {
        if (this.clients.size === 0) {
          // Nobody listens: nothing to look up, nothing missed (a new socket asks for everything).
          this.cursor = store.changes.latestSeq();
          return;
        }
        const rows = store.changes.after(this.cursor, STEP);
        if (rows.length === 0) return;
        // Per company: each changed case with the last change's sequence.
        const byCustomer = new Map<string, Map<string, number>>();
        // Per company: the last change of one of its grants (granted, recorded on a desk, ended).
        const grantsOf = new Map<string, number>();
        for (const [seq, entity, id] of rows) {
          this.cursor = seq;
          if (entity === 'grants') {
            const customerId = store.grants.get(id)?.customerId;
            if (customerId !== undefined && this.seen.has(customerId)) grantsOf.set(customerId, seq);
            continue;
          }
          const caseId = entity === 'cases' ? id : entity === 'events' ? this.publicEventCase(id) : null;
          if (caseId === null) continue;
          const c = store.cases.get(caseId);
          const seen = c ? this.seen.get(c.customerId) : undefined;
          if (!c || !seen) continue;
          if (entity === 'cases') {
            // Only what the company can see of the case: an edit of nothing visible is no notice.
            const now = visible(c);
            if (seen.get(c.id) === now) continue;
            seen.set(c.id, now);
          }
          const ids = byCustomer.get(c.customerId) ?? new Map<string, number>();
          ids.set(caseId, seq);
          byCustomer.set(c.customerId, ids);
        }
        for (const client of this.clients) {
          const ids = [...(byCustomer.get(client.customerId) ?? [])].filter(([, seq]) => seq > client.since).map(([id]) => id);
          const grants = (grantsOf.get(client.customerId) ?? 0) > client.since;
          if (ids.length > 0 || grants) this.send(client.socket, { type: 'changed', caseIds: ids, ...(grants ? { grants: true as const } : {}) });
        }
        if (rows.length < STEP) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.reading = false;
    }
  }

  /** The case of an event the customer may see (a mail, a status step), else null: a note or a call changes nothing they see. */
  private publicEventCase(eventId: string): string | null {
    const event = this.options.store.events.get(eventId);
    return event && publicEntries([event]).length > 0 ? event.caseId : null;
  }

  /** These sessions ended (a password change, "end session"): their sockets go at once. */
  closeSessions(tokenHashes: Iterable<string>): void {
    const ended = new Set(tokenHashes);
    for (const client of this.clients) if (ended.has(client.tokenHash)) client.socket.close(CENTRE_CLOSE_UNAUTHORIZED, 'session ended');
  }

  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    if (this.timer) clearTimeout(this.timer);
    for (const socket of this.pending) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    for (const client of this.clients) {
      clearTimeout(client.expiryTimer);
      client.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    }
  }

  private beat(): void {
    const ping: CentreLiveMessage = { type: 'ping', at: this.options.now().toISOString() };
    for (const client of this.clients) {
      if (client.missedBeats >= 2) {
        client.socket.terminate();
        continue;
      }
      // A logout, a demoted SuperUser or an idle session: the socket goes with it.
      if (!this.options.stillValid(client.tokenHash)) {
        client.socket.close(CENTRE_CLOSE_UNAUTHORIZED, 'session ended');
        continue;
      }
      client.missedBeats += 1;
      client.socket.ping();
      this.send(client.socket, ping);
    }
  }

  private send(socket: WebSocket, message: CentreLiveMessage): boolean {
    if (socket.readyState !== socket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }
}

/** What a company sees of a case in the centre's list and view (shared/centre.ts CentreCaseSummary and the description). */
function visible(c: Case): string {
  return JSON.stringify([c.status, c.title, c.description, c.module, c.category, c.serviceLevel, c.registeredAt, c.resolvedAt]);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
