/**
 * Accounts, passwords and sessions. Passwords are stored only as scrypt hashes; a session is a
 * random 256-bit bearer token of which the store keeps only a SHA-256; login attempts are
 * slowed and then locked per e-mail and per client address.
 */
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { LoginResponse } from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import { HttpError, ThrottledError } from '../http/errors';
import type { Store } from '../store/store';

// ---- Passwords ------------------------------------------------------------------------------

/**
 * scrypt N=2^15, r=8, p=1 (32 MiB, ~150 ms on the 2-core reference machine): above Node's
 * default cost, yet a burst of logins cannot starve the server. The parameters travel inside
 * each hash, so they can be raised later without breaking existing passwords.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 64 };
const SCRYPT_MAXMEM = 128 * 1024 * 1024;

function scryptAsync(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: SCRYPT_MAXMEM });
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT_MAXMEM,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Unknown e-mails are checked against this, so a login takes as long whether the account exists or not. */
let dummyHash: Promise<string> | null = null;
const dummyPasswordHash = (): Promise<string> => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Compares two secrets in constant time (the phone switch's token). Both sides are hashed first
 * so the comparison takes as long whatever the lengths.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

// ---- Login throttling -----------------------------------------------------------------------

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

// ---- Sessions -------------------------------------------------------------------------------

export interface AuthSession {
  specialist: Specialist;
  tokenHash: string;
  expiresAt: string;
}

export interface AuthServiceOptions {
  sessionTtlMs: number;
  throttle: ThrottleOptions;
  now: () => Date;
}

export class AuthService {
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly store: Store,
    private readonly options: AuthServiceOptions,
  ) {
    this.throttle = new LoginThrottle(options.throttle);
  }

  async login(email: string, password: string, address: string): Promise<LoginResponse> {
    const keys = [`email:${email.toLowerCase()}`, `ip:${address}`];
    this.throttle.check(keys, this.options.now().getTime());
    const account = this.store.specialists.findForLogin(email);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
    // Checked again: other attempts may have locked the key while scrypt ran.
    const now = this.options.now();
    this.throttle.check(keys, now.getTime());
    if (!account || !ok || !account.specialist.active) {
      this.throttle.fail(keys, now.getTime());
      throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
    }
    this.throttle.succeed(keys);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs).toISOString();
    this.store.sessions.purgeExpired(now.toISOString());
    this.store.sessions.create(sha256(token), account.specialist.id, now.toISOString(), expiresAt);
    return { token, expiresAt, specialist: account.specialist };
  }

  /** The session of a bearer token, or null when it is unknown, expired or its account disabled. */
  authenticate(token: string): AuthSession | null {
    const tokenHash = sha256(token);
    const found = this.store.sessions.findActive(tokenHash, this.options.now().toISOString());
    return found ? { ...found, tokenHash } : null;
  }

  logout(session: AuthSession): void {
    this.store.sessions.delete(session.tokenHash);
  }
}

/** Creates the first lead on an empty store, so a fresh server can be administered. */
export async function ensureFirstLead(
  store: Store,
  account: { email: string; password: string; name?: string },
  now: Date,
): Promise<Specialist | null> {
  if (store.specialists.count() > 0) return null;
  const specialist: Specialist = {
    id: randomUUID(),
    email: account.email,
    name: account.name ?? 'Desk admin',
    role: 'lead',
    teams: [1, 2],
    office: 'SE',
    language: 'sv',
    active: true,
  };
  store.specialists.insert(specialist, await hashPassword(account.password), now.toISOString());
  return specialist;
}

// ---- The hook ---------------------------------------------------------------------------------

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthSession | null;
  }
  interface FastifyContextConfig {
    /** Who may call the route: anyone ('public'), any specialist (default), or leads only. */
    access?: 'public' | 'lead';
  }
}

/** Every route needs a bearer token unless it is declared public; lead routes also need the role. */
export function installAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const access = request.routeOptions.config.access;
    if (access === 'public') return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{1,200})$/.exec(header);
    const session = match?.[1] ? auth.authenticate(match[1]) : null;
    if (!session) throw new HttpError(401, 'unauthorized', 'log in first: a valid bearer token is required');
    if (access === 'lead' && session.specialist.role !== 'lead') {
      throw new HttpError(403, 'forbidden', 'this needs the lead role');
    }
    request.auth = session;
  });
}

/** The session of an authenticated route (the hook guarantees it). */
export function sessionOf(request: FastifyRequest): AuthSession {
  if (!request.auth) throw new HttpError(401, 'unauthorized', 'log in first: a valid bearer token is required');
  return request.auth;
}
