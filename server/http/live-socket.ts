/**
 * The live channel: desks keep one WebSocket open and hear "poke" (a new change sequence: pull)
 * and incoming calls. Data never travels only over the socket — a poke just says "pull", so a
 * desk that missed pokes loses nothing (reconnect-safe by design).
 *
 * The token arrives as the first message, not in the URL, so it never lands in access logs.
 * No Origin check is needed: without a cookie a page on another origin has nothing to
 * authenticate with.
 */
import type { WebSocket } from 'ws';
import { LiveClientMessageSchema, type LiveMessage } from '../../shared/api';
import type { TeamId } from '../../shared/teams';
import type { AuthSession } from '../auth/auth-service';

export interface LiveOptions {
  authenticate(token: string): AuthSession | null;
  /**
   * Whether a connected socket's session is still valid (not idle too long, not revoked):
   * asked at every heartbeat, without counting as use. Default: always.
   */
  stillValid?(session: AuthSession): boolean;
  latestSeq(): number;
  now(): Date;
  /** How long a new socket may take to authenticate. */
  authTimeoutMs: number;
  /** Heartbeat period; a socket that misses two is dropped. */
  pingIntervalMs: number;
  /** Pokes are coalesced to at most one per this period. */
  pokeIntervalMs: number;
  /**
   * Open sockets one session may hold. A desk keeps one per tab at most; a stolen or scripted
   * token cannot make the server hold thousands.
   */
  socketsPerSession: number;
}

export const DEFAULT_LIVE = { authTimeoutMs: 5_000, pingIntervalMs: 25_000, pokeIntervalMs: 50, socketsPerSession: 8 };

/**
 * WebSocket close codes: 4401 not (or no longer) authenticated, 4400 a malformed message, 4429
 * this session already has `socketsPerSession` sockets open.
 */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_BAD_MESSAGE = 4400;
export const CLOSE_TOO_MANY_SOCKETS = 4429;
const CLOSE_GOING_AWAY = 1001;

interface LiveClient {
  socket: WebSocket;
  session: AuthSession;
  missedBeats: number;
  expiryTimer: NodeJS.Timeout;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly pending = new Set<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private pokeTimer: NodeJS.Timeout | null = null;
  private lastPokeAt = 0;
  private pendingSeq = 0;

  constructor(private readonly options: LiveOptions) {
    this.heartbeat = setInterval(() => this.beat(), options.pingIntervalMs);
    this.heartbeat.unref();
  }

  /** A new socket: it must authenticate with its first message within the timeout. */
  accept(socket: WebSocket): void {
    this.pending.add(socket);
    const timeout = setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'authenticate first'), this.options.authTimeoutMs);
    socket.once('close', () => {
      clearTimeout(timeout);
      this.pending.delete(socket);
    });
    socket.once('message', (data, isBinary) => {
      clearTimeout(timeout);
      this.pending.delete(socket);
      const message = isBinary ? null : LiveClientMessageSchema.safeParse(safeJson(data.toString()));
      if (!message?.success || message.data.type !== 'auth') {
        socket.close(CLOSE_UNAUTHORIZED, 'the first message must be {"type":"auth","token":…}');
        return;
      }
      const session = this.options.authenticate(message.data.token);
      if (!session) {
        socket.close(CLOSE_UNAUTHORIZED, 'invalid or expired session');
        return;
      }
      this.register(socket, session);
    });
  }

  private register(socket: WebSocket, session: AuthSession): void {
    if (socket.readyState !== socket.OPEN) return;
    let open = 0;
    for (const client of this.clients) if (client.session.tokenHash === session.tokenHash) open += 1;
    if (open >= this.options.socketsPerSession) {
      socket.close(CLOSE_TOO_MANY_SOCKETS, `this session already has ${open} live sockets open: close one first`);
      return;
    }
    const untilExpiry = Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(session.expiresAt) - this.options.now().getTime()));
    const client: LiveClient = {
      socket,
      session,
      missedBeats: 0,
      expiryTimer: setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'session expired'), untilExpiry),
    };
    this.clients.add(client);
    const alive = (): void => {
      client.missedBeats = 0;
    };
    socket.on('pong', alive);
    socket.on('message', (data, isBinary) => {
      alive();
      const message = isBinary ? null : LiveClientMessageSchema.safeParse(safeJson(data.toString()));
      if (!message?.success) socket.close(CLOSE_BAD_MESSAGE, 'unknown message');
    });
    socket.on('close', () => {
      clearTimeout(client.expiryTimer);
      this.clients.delete(client);
    });
    this.send(socket, { type: 'hello', seq: this.options.latestSeq() });
  }

  /** Tells every desk that changes up to `seq` exist, at most once per poke interval. */
  poke(seq: number): void {
    this.pendingSeq = Math.max(this.pendingSeq, seq);
    if (this.pokeTimer) return;
    const wait = Math.max(0, this.lastPokeAt + this.options.pokeIntervalMs - Date.now());
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = null;
      this.lastPokeAt = Date.now();
      for (const client of this.clients) this.send(client.socket, { type: 'poke', seq: this.pendingSeq });
    }, wait);
  }

  /**
   * Sends a call to the specialists serving `team` (everyone when the team is unknown) and
   * returns who received it, for the audit log. `message` is built per recipient.
   */
  sendCall(team: TeamId | null, message: Extract<LiveMessage, { type: 'call' }>): string[] {
    const recipients = new Set<string>();
    for (const client of this.clients) {
      const { specialist } = client.session;
      if (team !== null && !specialist.teams.includes(team)) continue;
      if (this.send(client.socket, message)) recipients.add(specialist.id);
    }
    return [...recipients];
  }

  /** Logout or a disabled account: its sockets go at once. */
  closeSession(tokenHash: string): void {
    for (const client of this.clients) {
      if (client.session.tokenHash === tokenHash) client.socket.close(CLOSE_UNAUTHORIZED, 'logged out');
    }
  }

  closeSpecialist(specialistId: string): void {
    for (const client of this.clients) {
      if (client.session.specialist.id === specialistId) client.socket.close(CLOSE_UNAUTHORIZED, 'account changed');
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    if (this.pokeTimer) clearTimeout(this.pokeTimer);
    for (const socket of this.pending) socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    for (const client of this.clients) {
      clearTimeout(client.expiryTimer);
      client.socket.close(CLOSE_GOING_AWAY, 'server shutting down');
    }
  }

  private beat(): void {
    const ping: LiveMessage = { type: 'ping', at: this.options.now().toISOString() };
    for (const client of this.clients) {
      if (client.missedBeats >= 2) {
        client.socket.terminate();
        continue;
      }
      if (this.options.stillValid && !this.options.stillValid(client.session)) {
        client.socket.close(CLOSE_UNAUTHORIZED, 'session ended');
        continue;
      }
      client.missedBeats += 1;
      // A protocol ping (browsers answer it themselves) and an app-level one for clients that cannot see those.
      client.socket.ping();
      this.send(client.socket, ping);
    }
  }

  private send(socket: WebSocket, message: LiveMessage): boolean {
    if (socket.readyState !== socket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
