/**
 * The live socket: pokes (a new change `seq` exists — the engine then pulls through the
 * cursor; no data travels only over the socket) and call events. Authenticates with its first
 * message so the token never appears in a URL or a proxy log. Reconnects with capped,
 * jittered backoff; a silent socket (no ping for a while) counts as dead.
 */
import { LiveMessageSchema, ROUTES, type LiveClientMessage, type LiveMessage, type PresenceState } from '../../../shared/index';

export type LiveState = 'connecting' | 'open' | 'closed';

/** The subset of the WebSocket API used here (the browser's, or `ws` in Node tests). */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(): void;
  readonly readyState: number;
}
export type SocketFactory = (url: string) => SocketLike;

export interface LiveOptions {
  baseUrl: string;
  token: () => string | null;
  onMessage: (msg: LiveMessage) => void;
  onState: (state: LiveState) => void;
  createSocket?: SocketFactory;
}

const BACKOFF_MS = [500, 1_000, 2_000, 5_000, 10_000, 20_000];
/** The server pings every ~20 s; twice that without any message means the link is gone. */
const SILENCE_MS = 45_000;

export function liveUrl(baseUrl: string): string {
  const url = new URL(ROUTES.live, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export class LiveConnection {
  private socket: SocketLike | null = null;
  private attempts = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private silenceTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = true;
  private readonly createSocket: SocketFactory;
  /** This desk's presence, told to the server now and again after every reconnect. */
  private presence: PresenceState = { viewing: [], editing: [] };
  private authenticated = false;

  constructor(private readonly opts: LiveOptions) {
    this.createSocket = opts.createSocket ?? ((url) => new WebSocket(url) as unknown as SocketLike);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    this.authenticated = false;
    if (s) {
      s.onclose = null;
      s.close();
    }
    this.opts.onState('closed');
  }

  /** This desk's presence (what it has open, what it is writing in): the whole state each time. */
  setPresence(state: PresenceState): void {
    this.presence = state;
    if (this.authenticated) this.send({ type: 'presence', state });
  }

  /** Reconnect now (the browser says it is online again) instead of waiting out the backoff. */
  retryNow(): void {
    if (this.stopped || this.socket) return;
    this.attempts = 0;
    this.clearTimers();
    this.connect();
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.retryTimer = this.silenceTimer = null;
  }

  private armSilence(): void {
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = setTimeout(() => this.socket?.close(), SILENCE_MS);
  }

  private connect(): void {
    const token = this.opts.token();
    if (this.stopped || !token) return;
    this.opts.onState('connecting');
    let socket: SocketLike;
    try {
      socket = this.createSocket(liveUrl(this.opts.baseUrl));
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.send({ type: 'auth', token });
      this.armSilence();
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let parsed: ReturnType<typeof LiveMessageSchema.safeParse>;
      try {
        parsed = LiveMessageSchema.safeParse(JSON.parse(ev.data));
      } catch {
        return;
      }
      if (!parsed.success) return;
      this.armSilence();
      const msg = parsed.data;
      if (msg.type === 'hello') {
        // Authenticated: only now is the link really up.
        this.attempts = 0;
        this.authenticated = true;
        if (this.presence.viewing.length > 0 || this.presence.editing.length > 0) this.send({ type: 'presence', state: this.presence });
        this.opts.onState('open');
      }
      if (msg.type === 'ping') this.send({ type: 'pong' });
      this.opts.onMessage(msg);
    };
    socket.onerror = () => undefined;
    socket.onclose = () => {
      this.socket = null;
      this.authenticated = false;
      if (this.silenceTimer) clearTimeout(this.silenceTimer);
      this.opts.onState('closed');
      this.scheduleRetry();
    };
  }

  private send(msg: LiveClientMessage): void {
    if (this.socket && this.socket.readyState === 1) this.socket.send(JSON.stringify(msg));
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const base = BACKOFF_MS[Math.min(this.attempts, BACKOFF_MS.length - 1)] ?? 20_000;
    this.attempts++;
    this.retryTimer = setTimeout(() => this.connect(), base * (0.75 + Math.random() * 0.5));
  }
}
