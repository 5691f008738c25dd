/**
 * Errors as the contract's JSON (`{"error":{"code","message","field"}}`), input parsing with the
 * schemas of shared/, and the handlers that make sure bad input is a 4xx, never a 5xx.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { ApiError } from '../../shared/api';

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.field === undefined ? {} : { field: this.field }) } };
  }
}

/** 429: too many attempts; the client may retry after `retryAfterSeconds`. */
export class ThrottledError extends HttpError {
  constructor(
    code: 'too_many_attempts' | 'locked' | 'too_many_requests',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, code, message);
  }
}

export const notFound = (what: string, field?: string): HttpError => new HttpError(404, 'not_found', `${what} not found`, field);

/** The first issue of a zod failure as `{ message, field }` with a dotted path ("mutations.0.args.to"). */
export function firstIssue(error: z.ZodError, prefix?: string): { message: string; field: string | undefined } {
  const issue = error.issues[0];
  const path = [...(prefix === undefined ? [] : [prefix]), ...(issue?.path ?? []).map(String)];
  return { message: issue?.message ?? 'invalid input', field: path.length > 0 ? path.join('.') : undefined };
}

/**
 * Parses untrusted input with a shared schema; a failure is a 400 (or `status`) naming the
 * first failing field, optionally under a prefix (e.g. the path parameter's name).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, options: { status?: number; prefix?: string } = {}): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const { message, field } = firstIssue(result.error, options.prefix);
    throw new HttpError(options.status ?? 400, 'invalid', message, field);
  }
  const illFormed = illFormedTextPath(result.data, []);
  if (illFormed !== null) {
    const field = [...(options.prefix === undefined ? [] : [options.prefix]), ...illFormed].join('.') || undefined;
    throw new HttpError(options.status ?? 400, 'invalid', 'the text is not valid Unicode (a lone surrogate)', field);
  }
  return result.data;
}

/** A UTF-16 half without its other half; with the `u` flag a proper pair reads as one astral code point. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The path of the first string holding a lone surrogate. JSON can carry one ("\ud800"), but
 * SQLite stores text as UTF-8, where it has no encoding: the note would be stored as something
 * other than what the desk was told was saved. So such text is refused, not silently altered.
 */
function illFormedTextPath(value: unknown, path: string[]): string[] | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const found = illFormedTextPath(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}

export function sendError(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(error.body());
}

/** Sends a JSON body the store already rendered as a string. */
export function sendJsonText(reply: FastifyReply, json: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

/** Maps fastify's own 4xx errors (body parsing, limits, media types) to the contract's shape. */
function fromFastifyError(error: FastifyError): HttpError | null {
  const status = error.statusCode ?? 500;
  if (status === 413) return new HttpError(413, 'too_large', 'the request body is too large');
  if (status === 415) return new HttpError(415, 'unsupported_media_type', 'send application/json (or a form for the phone switch)');
  if (status === 429) return new ThrottledError('too_many_requests', 'too many requests: try again later', 60);
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new HttpError(400, 'invalid_json', 'the JSON body is empty');
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new HttpError(400, 'invalid_json', 'the body is not valid JSON');
  }
  if (status >= 400 && status < 500) return new HttpError(status, 'bad_request', error.message);
  return null;
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = error instanceof HttpError ? error : fromFastifyError(error);
    if (known) {
      if (known instanceof ThrottledError) void reply.header('retry-after', String(known.retryAfterSeconds));
      return sendError(reply, known);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, new HttpError(500, 'internal', 'internal server error'));
  });
}

/** Unknown routes: a JSON 404 (the static renderer, when served, takes GETs outside /api first). */
export function apiNotFound(reply: FastifyReply, method: string, url: string): FastifyReply {
  const path = url.split('?')[0] ?? url;
  return sendError(reply, new HttpError(404, 'not_found', `no route ${method} ${path}`));
}

/**
 * What Node's HTTP parser refuses before fastify sees a request (a URL or headers over the size
 * limit, a malformed request line, a request that never finishes), answered in the contract's
 * shape like every other error instead of fastify's default body. Mirrors fastify's default.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'too_large', 'the URL or the headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'timeout', 'the request took too long']
        : [400, 'bad_request', 'the request is malformed'];
  const body = JSON.stringify(new HttpError(status, code, message).body());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
