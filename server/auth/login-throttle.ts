/**
 * Failed logins slow and then lock guessing, without handing anyone a way to lock a colleague out.
 *
 * Three keys, kept in SQLite so a restart forgets nothing (store/login-attempts.ts):
 * - the pair (account, address): one address guessing one account. Slowed after `freeFailures`,
 *   locked after `lockAfter`. Someone else's failures from elsewhere never touch it, so 20
 *   failures from an attacker do not lock the colleague out.
 * - the address: one address guessing many accounts. The same rule with limits `addressFactor`
 *   times higher, because a whole office may share one address.
 * - the account, from anywhere: only when `accountAddresses` distinct addresses have failed on it
 *   within `accountWindowMs` (a spread-out guess at one account), and only for `accountLockMs`,
 *   which is short: an attacker can make it cost the owner a minute, never a day. At most one
 *   such lock per `accountWindowMs`, and only addresses that failed after the last one ended
 *   count towards the next: the owner gets at least `accountWindowMs - accountLockMs` of every
 *   window, however many addresses an attacker rotates.
 *
 * Wrong second-factor codes are counted the same way per account (key `code`, by account id), and
 * only a right code clears them: a right password does not.
 *
 * The address is `request.ip`: the socket's address, or the client address a trusted proxy
 * reports (`DESK_TRUSTED_PROXIES`), never what an untrusted client claims.
 *
 * A success clears only that account's own failures (its pair and its share of the address's
 * count; the account key keeps the time of its last lock), never what the address did to other accounts. A key's count starts over
 * when its lock has run out or its last failure is `forgetAfterMs` old; such rows are purged.
 */
import { ThrottledError } from '../http/errors';
import type { AttemptKey, AttemptRecord, LoginAttemptRepo } from '../store/login-attempts';

export interface ThrottleOptions {
  /** Failures of a pair allowed before attempts are slowed down. */
  freeFailures: number;
  /** Wait after the first slowed failure; doubles with every further failure, up to `lockMs`. */
  baseDelayMs: number;
  /** Failures after which a pair is locked. */
  lockAfter: number;
  lockMs: number;
  /** A whole office may share one address, so per-address limits are this many times higher. */
  addressFactor: number;
  /** Distinct addresses failing on one account within `accountWindowMs` that lock it from everywhere… */
  accountAddresses: number;
  accountWindowMs: number;
  /** …for this long only. */
  accountLockMs: number;
  /** A key whose last failure is this old starts over (and its row is purged). */
  forgetAfterMs: number;
  /** Wrong second-factor codes of one account (over every challenge) that lock its second step… */
  codeLockAfter: number;
  /** …for this long, from the wrong code that locks it. */
  codeLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  freeFailures: 5,
  baseDelayMs: 1000,
  lockAfter: 10,
  lockMs: 15 * 60_000,
  addressFactor: 4,
  accountAddresses: 10,
  accountWindowMs: 15 * 60_000,
  accountLockMs: 60_000,
  forgetAfterMs: 24 * 3_600_000,
  codeLockAfter: 10,
  codeLockMs: 15 * 60_000,
};

/** The part of the store the throttle uses. */
export interface ThrottleStore {
  loginAttempts: LoginAttemptRepo;
  transaction<T>(fn: () => T): T;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const seconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export class LoginThrottle {
  constructor(
    private readonly store: ThrottleStore,
    private readonly options: ThrottleOptions,
  ) {}

  private keys(email: string, address: string): { pair: AttemptKey; address: AttemptKey; account: AttemptKey } {
    const account = email.trim().toLowerCase();
    return {
      pair: { scope: 'pair', account, address },
      address: { scope: 'address', account: '', address },
      account: { scope: 'account', account, address: '' },
    };
  }

  private limits(key: AttemptKey): { free: number; lockAfter: number } {
    const factor = key.scope === 'address' ? this.options.addressFactor : 1;
    return { free: this.options.freeFailures * factor, lockAfter: this.options.lockAfter * factor };
  }

  private codeKey(specialistId: string): AttemptKey {
    return { scope: 'code', account: specialistId, address: '' };
  }

  /** Throws a 429 while the account's second step is locked by wrong codes. */
  checkCode(specialistId: string, now: Date): void {
    const at = now.getTime();
    const record = this.current(this.codeKey(specialistId), at);
    if (record?.lockedUntil) {
      throw new ThrottledError('locked', 'too many wrong codes: locked for a while', seconds(Date.parse(record.lockedUntil) - at));
    }
  }

  /** A wrong code: the `codeLockAfter`th locks the second step for `codeLockMs` from now. */
  failCode(specialistId: string, now: Date): void {
    const at = now.getTime();
    const key = this.codeKey(specialistId);
    this.store.transaction(() => {
      const failures = (this.current(key, at)?.failures ?? 0) + 1;
      const locked = failures >= this.options.codeLockAfter;
      this.store.loginAttempts.put(key, { failures, lastFailureAt: iso(at), lockedUntil: locked ? iso(at + this.options.codeLockMs) : null });
    });
  }

  /** A right code clears the account's wrong codes (a right password does not). */
  succeedCode(specialistId: string): void {
    this.store.loginAttempts.delete(this.codeKey(specialistId));
  }

  /** The key's record as it counts now: null once its lock has run out or its failures are old. */
  private current(key: AttemptKey, now: number): AttemptRecord | null {
    const record = this.store.loginAttempts.get(key);
    if (!record) return null;
    const lockedUntil = record.lockedUntil === null ? null : Date.parse(record.lockedUntil);
    if (lockedUntil !== null && lockedUntil <= now) return null;
    if (lockedUntil === null && now - Date.parse(record.lastFailureAt) >= this.options.forgetAfterMs) return null;
    return record;
  }

  /** Throws a 429 (with the seconds to wait) when this account may not be tried from this address now. */
  check(email: string, address: string, now: Date): void {
    const at = now.getTime();
    const keys = this.keys(email, address);
    for (const key of [keys.pair, keys.address, keys.account]) {
      const record = this.current(key, at);
      if (!record) continue;
      if (record.lockedUntil !== null) {
        throw new ThrottledError('locked', 'too many failed logins: locked for a while', seconds(Date.parse(record.lockedUntil) - at));
      }
      const { free } = this.limits(key);
      if (record.failures < free) continue;
      // Doubling, but never longer than a lock: an address's many slowed failures would otherwise wait for days.
      const delay = Math.min(this.options.baseDelayMs * 2 ** Math.min(record.failures - free, 30), this.options.lockMs);
      const allowedAt = Date.parse(record.lastFailureAt) + delay;
      if (at < allowedAt) {
        throw new ThrottledError('too_many_attempts', 'too many failed logins: wait before trying again', seconds(allowedAt - at));
      }
    }
  }

  fail(email: string, address: string, now: Date): void {
    const at = now.getTime();
    const keys = this.keys(email, address);
    const { loginAttempts } = this.store;
    this.store.transaction(() => {
      for (const key of [keys.pair, keys.address]) {
        const failures = (this.current(key, at)?.failures ?? 0) + 1;
        const locked = failures >= this.limits(key).lockAfter;
        loginAttempts.put(key, { failures, lastFailureAt: iso(at), lockedUntil: locked ? iso(at + this.options.lockMs) : null });
      }
      // The account key's row remembers the last account lock (its row outlives the lock). At most
      // one lock per window, counting only addresses that failed after the last lock ended: so a
      // few rotating addresses cannot keep the account locked, and the owner always gets a turn.
      const last = loginAttempts.get(keys.account);
      const lastEnd = last?.lockedUntil ? Date.parse(last.lockedUntil) : null;
      const windowStart = at - this.options.accountWindowMs;
      const mayLock = lastEnd === null || lastEnd - this.options.accountLockMs <= windowStart;
      if (mayLock) {
        const addresses = loginAttempts.addressesFailingOn(keys.account.account, iso(Math.max(windowStart, lastEnd ?? windowStart)));
        if (addresses >= this.options.accountAddresses) {
          loginAttempts.put(keys.account, { failures: addresses, lastFailureAt: iso(at), lockedUntil: iso(at + this.options.accountLockMs) });
        }
      }
      loginAttempts.purge(iso(at - this.options.forgetAfterMs), iso(at));
    });
  }

  /** The account got in from this address: its own failures go, the address keeps the rest of its count. */
  succeed(email: string, address: string, now: Date): void {
    const at = now.getTime();
    const keys = this.keys(email, address);
    const { loginAttempts } = this.store;
    this.store.transaction(() => {
      const own = this.current(keys.pair, at)?.failures ?? 0;
      const shared = this.current(keys.address, at);
      if (own > 0 && shared) {
        loginAttempts.put(keys.address, { ...shared, failures: Math.max(0, shared.failures - own) });
      }
      loginAttempts.delete(keys.pair);
      // The account key stays: it only records when the last account lock was (a success can
      // only come when it is not locked), and forgetting it would let the next failure lock again.
    });
  }
}
