/**
 * Accounts and sessions. A session is a random 256-bit bearer token of which the store keeps
 * only a SHA-256.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { LoginResponse } from '../../shared/api';
import type { Specialist } from '../../shared/contract';
import { HttpError } from '../http/errors';
import type { Store } from '../store/store';
import { dummyPasswordHash, hashPassword, sha256, verifyPassword } from './passwords';
import { LoginThrottle, type ThrottleOptions } from './login-throttle';

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
    this.throttle = new LoginThrottle(store, options.throttle);
  }

  async login(email: string, password: string, address: string): Promise<LoginResponse> {
    this.throttle.check(email, address, this.options.now());
    const account = this.store.specialists.findForLogin(email);
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
    // Checked again: other attempts may have locked the key while scrypt ran.
    const now = this.options.now();
    this.throttle.check(email, address, now);
    if (!account || !ok || !account.specialist.active) {
      this.throttle.fail(email, address, now);
      throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
    }
    this.throttle.succeed(email, address, now);
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
