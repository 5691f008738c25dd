/** Login attempts are slowed and then locked per e-mail and per client address. */
import { ThrottledError } from '../http/errors';

export interface ThrottleOptions {
  /** Failures allowed before attempts are slowed down. */
  freeFailures: number;
  /** Wait after the first slowed failure; doubles with every further failure. */
  baseDelayMs: number;
  /** Failures after which the key is locked. */
  lockAfter: number;
  lockMs: number;
  /** A whole office may share one address, so per-address limits are this many times higher. */
  addressFactor: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  addressFactor: 4,
};

interface Attempts {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

/** In memory on purpose: a restart forgets the counts, but never locks a specialist out for good. */
export class LoginThrottle {
  private readonly attempts = new Map<string, Attempts>();

  constructor(private readonly options: ThrottleOptions) {}

  private limits(key: string): { free: number; lockAfter: number } {
    const factor = key.startsWith('ip:') ? this.options.addressFactor : 1;
    return { free: this.options.freeFailures * factor, lockAfter: this.options.lockAfter * factor };
  }

  /** Throws a 429 when any of the keys may not try now. */
  check(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const a = this.attempts.get(key);
      if (!a) continue;
      if (a.lockedUntil > now) {
        throw new ThrottledError('locked', 'too many failed logins: locked for a while', Math.ceil((a.lockedUntil - now) / 1000));
      }
      if (a.lockedUntil > 0) {
        this.attempts.delete(key);
        continue;
      }
      const { free } = this.limits(key);
      if (a.failures < free) continue;
      const delay = this.options.baseDelayMs * 2 ** Math.min(a.failures - free, 20);
      const allowedAt = a.lastFailureAt + delay;
      if (now < allowedAt) {
        throw new ThrottledError('too_many_attempts', 'too many failed logins: wait before trying again', Math.ceil((allowedAt - now) / 1000));
      }
    }
  }

  fail(keys: readonly string[], now: number): void {
    for (const key of keys) {
      const a = this.attempts.get(key) ?? { failures: 0, lastFailureAt: 0, lockedUntil: 0 };
      a.failures += 1;
      a.lastFailureAt = now;
      if (a.failures >= this.limits(key).lockAfter) a.lockedUntil = now + this.options.lockMs;
      this.attempts.set(key, a);
    }
    if (this.attempts.size > 50_000) this.forgetOld(now);
  }

  succeed(keys: readonly string[]): void {
    for (const key of keys) this.attempts.delete(key);
  }

  private forgetOld(now: number): void {
    for (const [key, a] of this.attempts) {
      if (a.lockedUntil <= now && now - a.lastFailureAt > this.options.lockMs) this.attempts.delete(key);
    }
  }
}
