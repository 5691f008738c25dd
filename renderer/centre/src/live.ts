/**
 * The centre's live channel: one WebSocket (`/api/centre/live`) while a screen listens, carrying
 * only "your company's case X changed" or "your company's support logins changed" — the screens
 * then ask for the list, the case or the grants again, debounced. Authenticated by the session's token as the first message (never in the URL).
 * Reconnects with backoff (sooner when the browser comes back online); after a gap it tells the
 * screens to look again, since notices may have been missed. Offline it simply waits: nothing
 * is shown, the screens keep what they have.
 */
import { useEffect, useRef } from 'react';
import { ROUTES } from '../../../shared/api';
import { CentreLiveMessageSchema } from '../../../shared/centreAccount';
import { tokenStore } from './api';

/** The changed cases' ids, or 'all' after a gap in which notices may have been missed. */
export type LiveChange = readonly string[] | 'all';
/** A screen listens to the cases' notices or to the grants'. */
interface Listener {
  topic: 'cases' | 'grants';
  hear(change: LiveChange): void;
}

/** Notices within this window are handed on together: a burst of edits is one refresh. */
const DEBOUNCE_MS = 300;
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 30_000;
/** No word from the server this long (it pings every 25 s): the connection is dead, open a new one. */
const SILENCE_MS = 70_000;
/** Screens change (list → case) in one render: the socket stays open across that moment. */
const LINGER_MS = 2_000;
/** The server's close code for a session that ended (server/centre/centre-live.ts): final, no reconnecting. */
const CLOSE_SESSION_ENDED = 4401;

const listeners = new Set<Listener>();
let socket: WebSocket | null = null;
/** The token the open socket authenticated with: another sign-in means another socket. */
let socketToken: string | null = null;
let attempts = 0;
let everGreeted = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let lingerTimer: ReturnType<typeof setTimeout> | null = null;
let silenceTimer: ReturnType<typeof setTimeout> | null = null;
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let pendingIds = new Set<string>();
let pendingAll = false;
let pendingGrants = false;

function queue(change: LiveChange, grants = false): void {
  if (change === 'all') pendingAll = true;
  else for (const id of change) pendingIds.add(id);
  if (grants) pendingGrants = true;
  flushTimer ??= setTimeout(() => {
    flushTimer = null;
    const out: LiveChange = pendingAll ? 'all' : [...pendingIds];
    const toCases = pendingAll || pendingIds.size > 0;
    const toGrants = pendingAll || pendingGrants;
    pendingAll = false;
    pendingGrants = false;
    pendingIds = new Set();
    for (const listener of [...listeners]) {
      if (listener.topic === 'cases' ? toCases : toGrants) listener.hear(out);
    }
  }, DEBOUNCE_MS);
}

function heard(): void {
  if (silenceTimer) clearTimeout(silenceTimer);
  silenceTimer = setTimeout(() => socket?.close(), SILENCE_MS);
}

function connect(): void {
  const token = tokenStore.get();
  if (socket && socketToken !== token) disconnect();
  if (socket || !token || listeners.size === 0) return;
  const url = new URL(ROUTES.centreLive, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws: WebSocket;
  try {
    ws = new WebSocket(url);
  } catch {
    return retryLater();
  }
  socket = ws;
  socketToken = token;
  ws.addEventListener('open', () => {
    ws.send(JSON.stringify({ type: 'auth', token }));
    heard();
  });
  ws.addEventListener('message', (event) => {
    heard();
    const parsed = CentreLiveMessageSchema.safeParse(safeJson(event.data));
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'hello') {
      // Back after a gap: what changed meanwhile was not announced.
      if (everGreeted) queue('all');
      everGreeted = true;
      attempts = 0;
    } else if (message.type === 'changed') {
      queue(message.caseIds, message.grants === true);
    }
  });
  ws.addEventListener('close', (event) => {
    if (socket === ws) socket = null;
    if (silenceTimer) clearTimeout(silenceTimer);
    silenceTimer = null;
    if (listeners.size === 0) return;
    // The session ended (signed out elsewhere, a password change): the screens' next request
    // finds out and leads to the login; no reconnecting with a dead token. Any other close
    // (4408: the token came too late over a slow connection, a network drop) retries with backoff.
    if (event.code === CLOSE_SESSION_ENDED) return queue('all');
    retryLater();
  });
}

function retryLater(): void {
  if (retryTimer || listeners.size === 0) return;
  const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempts) * (0.5 + Math.random() / 2);
  attempts += 1;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    connect();
  }, wait);
}

function disconnect(): void {
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  const ws = socket;
  socket = null;
  ws?.close(1000, 'no screen listens');
}

// Back online: try at once rather than at the end of the backoff.
window.addEventListener('online', () => {
  if (listeners.size === 0 || socket) return;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  attempts = 0;
  connect();
});

/** Calls `onChange` (debounced) when one of the company's cases changed on the server, while the screen is shown. */
export function useCentreLive(onChange: (change: LiveChange) => void): void {
  useListener('cases', onChange);
}

/** Calls `onChange` (debounced) when one of the company's support logins was granted, recorded or ended, while the screen is shown. */
export function useCentreLiveGrants(onChange: () => void): void {
  useListener('grants', onChange);
}

function useListener(topic: Listener['topic'], onChange: (change: LiveChange) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const listener: Listener = { topic, hear: (change) => latest.current(change) };
    listeners.add(listener);
    if (lingerTimer) clearTimeout(lingerTimer);
    lingerTimer = null;
    connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) {
        lingerTimer = setTimeout(() => {
          lingerTimer = null;
          if (listeners.size === 0) disconnect();
        }, LINGER_MS);
      }
    };
  }, [topic]);
}

function safeJson(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
