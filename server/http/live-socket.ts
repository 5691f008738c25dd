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
import { LiveClientMessageSchema, type LiveMessage, type PresenceEntry, type PresenceState } from '../../shared/api';
import type { Office, TeamId } from '../../shared/teams';
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
  /** Presence changes are sent out together, at most once per this period. */
  presenceIntervalMs?: number;
}

export const DEFAULT_LIVE = { authTimeoutMs: 5_000, pingIntervalMs: 25_000, pokeIntervalMs: 50, socketsPerSession: 8, presenceIntervalMs: 100 };

type CallMessage = Extract<LiveMessage, { type: 'call' }>;
type AnsweredMessage = Extract<LiveMessage, { type: 'answered' }>;
type EscalationMessage = Extract<LiveMessage, { type: 'escalation' }>;
const NO_PRESENCE: PresenceState = { viewing: [], editing: [] };

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
  /** What this socket's desk says it has open: ephemeral, never stored. */
  presence: PresenceState;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class LiveHub {
  private readonly clients = new Set<LiveClient>();
  private readonly pending = new Set<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private pokeTimer: NodeJS.Timeout | null = null;
  private lastPokeAt = 0;
  private pendingSeq = 0;
  /** Specialists on a call (answered, not hung up): specialist id → the switch's call ids. */
  private readonly onCall = new Map<string, Set<string>>();
  /** Who answered each call in progress, so its hangup reaches the same desk. */
  private readonly answeredBy = new Map<string, { id: string; name: string; teams: readonly TeamId[] }>();
  /** Specialists whose presence changed since the last fan-out, with their teams. */
  private readonly presenceDirty = new Map<string, { name: string; teams: readonly TeamId[] }>();
  private presenceTimer: NodeJS.Timeout | null = null;

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
      presence: NO_PRESENCE,
    };
    this.clients.add(client);
    const alive = (): void => {
      client.missedBeats = 0;
    };
    socket.on('pong', alive);
    socket.on('message', (data, isBinary) => {
      alive();
      const message = isBinary ? null : LiveClientMessageSchema.safeParse(safeJson(data.toString()));
      if (!message?.success) {
        socket.close(CLOSE_BAD_MESSAGE, 'unknown message');
        return;
      }
      // Only the socket's own specialist: the message names no one, the session does.
      if (message.data.type === 'presence') this.setPresence(client, message.data.state);
    });
    socket.on('close', () => {
      clearTimeout(client.expiryTimer);
      this.clients.delete(client);
      if (client.presence.viewing.length > 0 || client.presence.editing.length > 0) this.markPresence(client.session.specialist);
    });
    this.send(socket, { type: 'hello', seq: this.options.latestSeq() });
    // Who in my teams is on a call or in a case right now.
    const snapshot = this.presenceOf(session.specialist.teams, session.specialist.id);
    if (snapshot.length > 0) this.send(socket, { type: 'presence', entries: snapshot });
  }

  private setPresence(client: LiveClient, state: PresenceState): void {
    const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    if (same(client.presence.viewing, state.viewing) && same(client.presence.editing, state.editing)) return;
    client.presence = { viewing: [...new Set(state.viewing)], editing: [...new Set(state.editing)] };
    this.markPresence(client.session.specialist);
  }

  private markPresence(specialist: { id: string; name: string; teams: readonly TeamId[] }): void {
    this.presenceDirty.set(specialist.id, { name: specialist.name, teams: specialist.teams });
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => this.flushPresence(), this.options.presenceIntervalMs ?? DEFAULT_LIVE.presenceIntervalMs);
  }

  /** One specialist's presence, merged over their open sockets. */
  private entryOf(id: string, name: string): PresenceEntry {
    const viewing = new Set<string>();
    const editing = new Set<string>();
    for (const client of this.clients) {
      if (client.session.specialist.id !== id) continue;
      for (const c of client.presence.viewing) viewing.add(c);
      for (const c of client.presence.editing) editing.add(c);
    }
    return { specialistId: id, name, viewing: [...viewing], editing: [...editing], onCall: (this.onCall.get(id)?.size ?? 0) > 0 };
  }

  /** Every present specialist sharing a team with `teams`, but `except`. */
  private presenceOf(teams: readonly TeamId[], except: string): PresenceEntry[] {
    const seen = new Map<string, PresenceEntry>();
    for (const client of this.clients) {
      const { specialist } = client.session;
      if (specialist.id === except || seen.has(specialist.id) || !specialist.teams.some((t) => teams.includes(t))) continue;
      const entry = this.entryOf(specialist.id, specialist.name);
      if (entry.onCall || entry.viewing.length > 0 || entry.editing.length > 0) seen.set(specialist.id, entry);
    }
    return [...seen.values()];
  }

  /** Sends what changed, batched, to the desks of each changed specialist's teams only. */
  private flushPresence(): void {
    this.presenceTimer = null;
    const changed = [...this.presenceDirty].map(([id, { name, teams }]) => ({ entry: this.entryOf(id, name), teams }));
    this.presenceDirty.clear();
    for (const client of this.clients) {
      const { specialist } = client.session;
      const entries = changed.filter((c) => c.entry.specialistId !== specialist.id && c.teams.some((t) => specialist.teams.includes(t))).map((c) => c.entry);
      if (entries.length > 0) this.send(client.socket, { type: 'presence', entries });
    }
  }

  /**
   * A call was answered by this specialist: they are on the call until its hangup, and the
   * hangup reaches them too. Answers whoever answered it before, if anyone.
   */
  callAnswered(callId: string, specialist: { id: string; name: string; teams: readonly TeamId[] }): void {
    // Answered again (a transfer): the one who answered before is off this call.
    const before = this.answeredBy.get(callId);
    if (before && before.id !== specialist.id) {
      const calls = this.onCall.get(before.id);
      calls?.delete(callId);
      if (calls?.size === 0) this.onCall.delete(before.id);
      this.markPresence(before);
    }
    this.answeredBy.set(callId, specialist);
    const calls = this.onCall.get(specialist.id) ?? new Set<string>();
    calls.add(callId);
    this.onCall.set(specialist.id, calls);
    this.markPresence(specialist);
  }

  /** The call ended: whoever answered it is off it. Answers who that was, if known. */
  callEnded(callId: string): { id: string; name: string; teams: readonly TeamId[] } | null {
    const who = this.answeredBy.get(callId) ?? null;
    this.answeredBy.delete(callId);
    if (who) {
      const calls = this.onCall.get(who.id);
      calls?.delete(callId);
      if (calls?.size === 0) this.onCall.delete(who.id);
      this.markPresence(who);
    }
    return who;
  }

  /** Who answered this call in progress, as the hub remembers it. */
  answererOf(callId: string): { id: string; name: string; teams: readonly TeamId[] } | null {
    return this.answeredBy.get(callId) ?? null;
  }

  private readonly pokeListeners: Array<(seq: number) => void> = [];

  /** Hears every poke (the escalation index follows the change log from there). */
  onPoke(listener: (seq: number) => void): void {
    this.pokeListeners.push(listener);
  }

  /** Tells every desk that changes up to `seq` exist, at most once per poke interval. */
  poke(seq: number): void {
    for (const listener of this.pokeListeners) listener(seq);
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
  sendCall(team: TeamId | null, message: CallMessage): string[] {
    const recipients = new Set<string>();
    for (const client of this.clients) {
      const { specialist } = client.session;
      if (team !== null && !specialist.teams.includes(team)) continue;
      if (this.send(client.socket, message)) recipients.add(specialist.id);
    }
    return [...recipients];
  }

  /** The full call, to one specialist's desks only (the one who answered it). Returns who received it. */
  sendCallTo(specialistId: string, message: CallMessage): string[] {
    let sent = false;
    for (const client of this.clients) {
      if (client.session.specialist.id === specialistId && this.send(client.socket, message)) sent = true;
    }
    return sent ? [specialistId] : [];
  }

  /** "Answered by …" to the rest of the team (everyone when the team is unknown): no caller data. */
  sendAnswered(team: TeamId | null, exceptId: string, message: AnsweredMessage): void {
    for (const client of this.clients) {
      const { specialist } = client.session;
      if (specialist.id === exceptId || (team !== null && !specialist.teams.includes(team))) continue;
      this.send(client.socket, message);
    }
  }

  /** The office's mail review list changed: its desks hear how many items are open. */
  sendMailReview(office: Office, count: number): void {
    for (const client of this.clients) {
      if (client.session.specialist.office === office) this.send(client.socket, { type: 'mailReview', office, count });
    }
  }

  /** An SLA escalation, to these specialists' desks only; returns who received it. */
  sendEscalation(specialistIds: ReadonlySet<string>, message: (specialistId: string) => EscalationMessage): string[] {
    const recipients = new Set<string>();
    for (const client of this.clients) {
      const { id } = client.session.specialist;
      if (specialistIds.has(id) && this.send(client.socket, message(id))) recipients.add(id);
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
    if (this.presenceTimer) clearTimeout(this.presenceTimer);
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
