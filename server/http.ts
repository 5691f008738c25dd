/**
 * Errors as the contract's JSON (`{"error":{"code","message","field"}}`), input parsing with the
 * schemas of shared/, and the handlers that make sure bad input is a 4xx, never a 5xx.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { ApiError } from '../shared/api';

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
    code: 'too_many_attempts' | 'locked',
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
  if (result.success) return result.data;
  const { message, field } = firstIssue(result.error, options.prefix);
  throw new HttpError(options.status ?? 400, 'invalid', message, field);
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
