/**
 * Rate limits besides the login throttle: what one caller may ask of the server per minute, and
 * how much it may hold. Counted in memory (@fastify/rate-limit's store): a restart resets them,
 * which costs nothing here, unlike failed logins (auth/login-throttle.ts, kept in SQLite).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ThrottledError } from './errors';

export interface ServerLimits {
  /** Phone-switch webhook requests per client address per minute (a busy switch posts a few a second). */
  ctiPerMinute: number;
  /** Case-number blocks one specialist may lease per minute (a desk leases one when it runs low; tools, one per case). */
  leasesPerMinute: number;
  /** Leased but unused case numbers one desk (clientId) may hold. A desk holds at most about 25. */
  outstandingNumbers: number;
  /**
   * Desks bootstrapping at once (DESK_BOOTSTRAP_CONCURRENCY); the others wait in a queue
   * (sync/bootstrap-gate.ts). 0: no limit. Read on every request.
   */
  bootstrapConcurrency: number;
}

export const DEFAULT_BOOTSTRAP_CONCURRENCY = 4;

export const DEFAULT_LIMITS: ServerLimits = { ctiPerMinute: 1200, leasesPerMinute: 120, outstandingNumbers: 200, bootstrapConcurrency: DEFAULT_BOOTSTRAP_CONCURRENCY };

export const MINUTE = 60_000;

/** The 429 of a rate limit, in the contract's shape, with Retry-After. */
export function rateLimited(what: string, retryAfterMs: number): ThrottledError {
  return new ThrottledError('too_many_requests', `too many ${what}: try again later`, Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/**
 * A limiter to call inside a handler, after the input is validated, so only real work counts:
 * resolves when the caller may go on, throws a 429 otherwise.
 */
export function limiter(
  app: FastifyInstance,
  what: string,
  max: number,
  keyOf: (request: FastifyRequest) => string,
): (request: FastifyRequest) => Promise<void> {
  const check = app.createRateLimit({ max, timeWindow: MINUTE, keyGenerator: keyOf });
  return async (request) => {
    const result = await check(request);
    if (!result.isAllowed && result.isExceeded) throw rateLimited(what, result.ttl);
  };
}
