/**
 * HTTP to the Desk server: every answer parsed with the contract's zod schema, every failure
 * turned into one of two errors the UI can explain — the server said no (ApiError, with its
 * code and field) or the server could not be reached (NetworkError, i.e. offline).
 */
import type { z } from 'zod';
import { ApiErrorSchema, BootstrapQueuedSchema } from '../../../shared/index';

/** The server's bootstrap queue (a 503 `bootstrap_queued`): this desk's place and when to ask again. */
export interface QueuePlace {
  place: number;
  retryAfterSeconds: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Set when the server queued this desk's first sync behind other desks'. */
    readonly queue?: QueuePlace,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('the server could not be reached', { cause });
    this.name = 'NetworkError';
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  baseUrl: string;
  token: () => string | null;
  fetch?: FetchLike;
  /** A request that hangs longer than this is treated as offline. */
  timeoutMs?: number;
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: FetchLike;
  private readonly token: () => string | null;
  private readonly timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    // Bound: a detached `fetch` throws "Illegal invocation" in browsers.
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  get<S extends z.ZodType>(path: string, schema: S, query?: Record<string, string | number | undefined>): Promise<z.infer<S>> {
    return this.request(this.url(path, query), { method: 'GET' }, schema);
  }

  post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.request(this.url(path), { method: 'POST', body: JSON.stringify(body) }, schema);
  }

  patch<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.request(this.url(path), { method: 'PATCH', body: JSON.stringify(body) }, schema);
  }

  /** Any other method with a JSON body (or none): PUT, PATCH, DELETE. */
  sendJson<S extends z.ZodType>(method: 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.infer<S>> {
    return this.request(this.url(path), body === undefined ? { method } : { method, body: JSON.stringify(body) }, schema);
  }

  /**
   * Sends raw bytes (a file) with the given headers; the answer is JSON, parsed like any other.
   * The wait grows with the file (a second per 64 kB on top of the usual), so a large file on a
   * slow line is not given up on, and retried from the start, forever.
   */
  postBytes<S extends z.ZodType>(path: string, body: Blob, headers: Record<string, string>, schema: S): Promise<z.infer<S>> {
    const timeoutMs = this.timeoutMs + Math.ceil(body.size / 65_536) * 1000;
    return this.request(this.url(path), { method: 'POST', body, headers: { 'content-type': 'application/octet-stream', ...headers } }, schema, timeoutMs);
  }

  /** Sends text (a file's content) with its content type; the answer is JSON, parsed like any other. */
  postText<S extends z.ZodType>(path: string, text: string, contentType: string, schema: S, query?: Record<string, string | number | undefined>): Promise<z.infer<S>> {
    return this.request(this.url(path, query), { method: 'POST', body: text, headers: { 'content-type': contentType } }, schema);
  }

  /** Fetches bytes (a file) as a Blob. */
  async getBlob(path: string, query?: Record<string, string | number | undefined>): Promise<Blob> {
    return (await this.send(this.url(path, query), { method: 'GET' })).blob();
  }

  private async request<S extends z.ZodType>(url: string, init: RequestInit, schema: S, timeoutMs = this.timeoutMs): Promise<z.infer<S>> {
    const res = await this.send(url, init, timeoutMs);
    const body: unknown = res.status === 204 ? undefined : await res.json();
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ApiError(res.status, 'bad_response', `unexpected answer from ${new URL(url).pathname}: ${parsed.error.message}`);
    }
    return parsed.data;
  }

  private async send(url: string, init: RequestInit, timeoutMs = this.timeoutMs): Promise<Response> {
    const headers = new Headers(init.headers);
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const token = this.token();
    if (token) headers.set('authorization', `Bearer ${token}`);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let res: Response;
    try {
      res = await this.fetchImpl(url, { ...init, headers, signal: controller.signal });
    } catch (e) {
      throw new NetworkError(e);
    } finally {
      clearTimeout(timer);
    }
    if (!res.ok) throw await toApiError(res);
    return res;
  }
}

async function toApiError(res: Response): Promise<ApiError> {
  // A proxy or a server that is starting may answer without our JSON error shape; the server's
  // own 503 of a queued bootstrap carries the place and the wait.
  if (res.status === 503) {
    const queued = BootstrapQueuedSchema.safeParse(await res.json().catch(() => null));
    if (queued.success) return new ApiError(503, queued.data.error.code, queued.data.error.message, undefined, queued.data.queue);
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) return new ApiError(res.status, 'unavailable', res.statusText);
  try {
    const parsed = ApiErrorSchema.safeParse(await res.json());
    if (parsed.success) {
      const { code, message, field } = parsed.data.error;
      return new ApiError(res.status, code, message, field);
    }
  } catch {
    // not JSON
  }
  return new ApiError(res.status, `http_${res.status}`, res.statusText);
}

/** Offline, or a server that is down: worth retrying later. */
export function isRetryable(e: unknown): boolean {
  return e instanceof NetworkError || (e instanceof ApiError && (e.code === 'unavailable' || e.status >= 500 || e.status === 429));
}

/** The server queued this desk's first sync: where in the queue, and when to ask again. */
export function queuePlaceOf(e: unknown): QueuePlace | null {
  return e instanceof ApiError && e.queue ? e.queue : null;
}

export function isAuthError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 401;
}
