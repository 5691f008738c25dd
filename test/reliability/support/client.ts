/** A small HTTP client for the reliability tests: every answer parsed, every failure a value. */
import { ROUTES } from '../../../shared/api';

export interface Answer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface RequestOptions {
  token?: string | undefined;
  /** A JS value is sent as JSON; a string is sent as is (with `contentType`). */
  json?: unknown;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Aborts the request after this long (a dropped connection, seen from the client). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export async function request<T = unknown>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] = 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
    if (options.contentType !== undefined) headers['content-type'] = options.contentType;
  }
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

export async function login(base: string, email: string, password: string): Promise<string> {
  const answer = await request<{ token: string }>(base, 'POST', ROUTES.login, { json: { email, password } });
  if (answer.status !== 200) throw new Error(`login as ${email}: ${answer.status} ${answer.text}`);
  return answer.body.token;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

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
