/**
 * The one HTTP client of the tests, the e2e checks and the benchmark: every answer parsed, every
 * status a value (a test asserts on a 4xx rather than catching it), and the one login.
 */
import { ROUTES } from '../../shared/api';
import { LOGINS_IN_FLIGHT_PER_ADDRESS } from '../../server/auth/auth-service';

export interface Reply<T = unknown> {
  status: number;
  /** The JSON answer parsed, or the text when it is not JSON, or null when empty. */
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string | undefined;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType`. */
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Aborts the request after this long (a dropped connection, seen from the client). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function request<T = unknown>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  const signals = [AbortSignal.timeout(options.timeoutMs ?? 30_000), ...(options.signal ? [options.signal] : [])];
  const response = await fetch(`${base}${path}`, { method, headers, body, signal: AbortSignal.any(signals) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // Not JSON: the text stays.
  }
  return { status: response.status, body: parsed as T, text, headers: response.headers };
}

/**
 * Logins to one server in flight at once: every test client comes from 127.0.0.1, and the server
 * refuses more than this many logins at once from one address (a 429). Tests that log many
 * desks in at once wait their turn here, as a well-behaved client from one address would.
 */
const loginSlots = new Map<string, { running: number; waiting: Array<() => void> }>();

/** Logs in and returns the bearer token; anything but a 200 is an error naming the account. */
export async function login(base: string, email: string, password: string): Promise<string> {
  const slots = loginSlots.get(base) ?? { running: 0, waiting: [] };
  loginSlots.set(base, slots);
  if (slots.running >= LOGINS_IN_FLIGHT_PER_ADDRESS) await new Promise<void>((resolve) => slots.waiting.push(resolve));
  slots.running += 1;
  try {
    const reply = await request<{ token: string }>(base, 'POST', ROUTES.login, { json: { email, password } });
    if (reply.status !== 200) throw new Error(`login as ${email}: ${reply.status} ${reply.text}`);
    return reply.body.token;
  } finally {
    slots.running -= 1;
    slots.waiting.shift()?.();
  }
}

/* eslint-disable @typescript-eslint/no-explicit-any -- replies are asserted field by field in the tests */
/** `request` bound to one server and one token (or none). */
export interface Api {
  get<T = any>(path: string): Promise<Reply<T>>;
  post<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<Reply<T>>;
  /** Sends a raw body with the given content type. */
  raw<T = any>(method: string, path: string, body: string, contentType: string): Promise<Reply<T>>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function api(server: { url: string }, token?: string): Api {
  const send = <T>(method: string, path: string, options: RequestOptions = {}) => request<T>(server.url, method, path, { token, ...options });
  return {
    get: (path) => send('GET', path),
    post: (path, body) => send('POST', path, body === undefined ? {} : { json: body }),
    patch: (path, body) => send('PATCH', path, body === undefined ? { contentType: 'application/json' } : { json: body }),
    raw: (method, path, body, contentType) => send(method, path, { raw: body, contentType }),
  };
}

/** The contract's error shape: `{"error":{"code","message"}}`, with `field` a string when present. */
export function isErrorBody(body: unknown): body is { error: { code: string; message: string; field?: string } } {
  if (body === null || typeof body !== 'object' || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  if (error === null || typeof error !== 'object') return false;
  const e = error as Record<string, unknown>;
  return (
    typeof e.code === 'string' &&
    e.code !== '' &&
    typeof e.message === 'string' &&
    e.message !== '' &&
    (e.field === undefined || typeof e.field === 'string') &&
    Object.keys(e).every((k) => k === 'code' || k === 'message' || k === 'field')
  );
}
