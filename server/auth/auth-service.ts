/**
 * Accounts and sessions. A session is a random 256-bit bearer token of which the store keeps
 * only a SHA-256. Besides the login: the second factor (TOTP or a recovery code), changing a
 * password, a lead's one-time reset, and the idle timeout beside the absolute one.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { ROUTES, type AccountState, type LoginAnswer, type LoginResponse } from '../../shared/api';
import type { AuditActionName } from '../../shared/admin';
import type { Specialist } from '../../shared/contract';
import { HttpError, ThrottledError } from '../http/errors';
import type { SessionRecord } from '../store/sessions';
import { LAST_SEEN_WRITE_MS } from '../store/sessions';
import type { Store } from '../store/store';
import { dummyPasswordHash, hashPassword, needsRehash, safeEqual, sha256, verifyPassword } from './passwords';
import { LoginThrottle, type ThrottleOptions } from './login-throttle';
import { assertStrongPassword } from './password-rules';
import {
  RECOVERY_CODE_COUNT,
  asTotpCode,
  newRecoveryCode,
  newResetCode,
  newTotpSecret,
  oneTimeCodeHash,
  qrDataUrl,
  totpUri,
  verifyTotp,
} from './two-factor';

export interface AuthSession extends SessionRecord {
  tokenHash: string;
}

export interface AuthServiceOptions {
  sessionTtlMs: number;
  /** A session unused this long ends (DESK_SESSION_IDLE_MINUTES). */
  idleMs: number;
  throttle: ThrottleOptions;
  now: () => Date;
}

/** Where a request came from, kept with the session it opens (shown in "your sessions"). */
export interface ClientInfo {
  address: string;
  userAgent: string | null;
}

/** How a login proved itself: the password, or a lead's one-time reset code. */
type Proof = 'password' | 'reset';

interface Challenge {
  specialistId: string;
  mustChangePassword: boolean;
  expiresAt: number;
  attempts: number;
}

/** The second step must follow the password within this time, in at most this many tries. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
const CHALLENGE_ATTEMPTS = 5;
/**
 * Logins of one address being checked at once (each waits for scrypt): more are refused with a
 * 429 at once, so one client cannot fill the hashing queue ahead of everyone else.
 */
export const LOGINS_IN_FLIGHT_PER_ADDRESS = 4;
/** A one-time reset code is valid this long, once. */
export const RESET_TTL_MS = 30 * 60_000;
/** A session that must choose a password first lasts only this long. */
const RESTRICTED_SESSION_MS = 15 * 60_000;

/** The audit log's names for account events. */
export const ACCOUNT_AUDIT = {
  login: 'login',
  loginFailed: 'login_failed',
  twoFactorFailed: 'login_code_failed',
  loginThrottled: 'login_throttled',
  passwordChanged: 'password_changed',
  passwordChangeFailed: 'password_change_failed',
  resetIssued: 'password_reset_issued',
  resetUsed: 'password_reset_used',
  twoFactorEnrolled: 'two_factor_enrolled',
  twoFactorDisabled: 'two_factor_disabled',
  recoveryCodeUsed: 'recovery_code_used',
  sessionRevoked: 'session_revoked',
} as const satisfies Record<string, AuditActionName>;

export class AuthService {
  private readonly throttle: LoginThrottle;
  private readonly challenges = new Map<string, Challenge>();
  /** Logins being checked now, per address. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly store: Store,
    private readonly options: AuthServiceOptions,
  ) {
    this.throttle = new LoginThrottle(store, options.throttle);
  }

  /** Checks e-mail and password (or a one-time reset code), throttled; answers the account and the proof. */
  async login(
    email: string,
    password: string,
    address: string,
  ): Promise<{ account: NonNullable<ReturnType<Store['specialists']['findForLogin']>>; proof: Proof }> {
    this.throttle.check(email, address, this.options.now());
    const running = this.inFlight.get(address) ?? 0;
    if (running >= LOGINS_IN_FLIGHT_PER_ADDRESS) {
      throw new ThrottledError('too_many_requests', 'too many logins at once from this address: wait for the others', 1);
    }
    this.inFlight.set(address, running + 1);
    try {
      return await this.loginChecked(email, password, address);
    } finally {
      const left = (this.inFlight.get(address) ?? 1) - 1;
      if (left > 0) this.inFlight.set(address, left);
      else this.inFlight.delete(address);
    }
  }

  private async loginChecked(
    email: string,
    password: string,
    address: string,
  ): Promise<{ account: NonNullable<ReturnType<Store['specialists']['findForLogin']>>; proof: Proof }> {
    const account = this.store.specialists.findForLogin(email);
    const proof = await this.checkPassword(account, password);
    const ok = proof !== null;
    // Checked again: other attempts may have locked the key while scrypt ran.
    const now = this.options.now();
    this.throttle.check(email, address, now);
    if (!account || !ok || !account.specialist.active) {
      this.throttle.fail(email, address, now);
      throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
    }
    this.throttle.succeed(email, address, now);
    return { account, proof };
  }

  /** The password (scrypt, also for unknown e-mails), else a pending one-time reset code. */
  private async checkPassword(account: ReturnType<Store['specialists']['findForLogin']>, password: string): Promise<Proof | null> {
    const ok = await verifyPassword(password, account?.passwordHash ?? (await dummyPasswordHash()));
    if (ok) return 'password';
    if (!account) return null;
    const reset = this.store.accounts.pendingReset(account.specialist.id, this.options.now().toISOString());
    return reset && safeEqual(oneTimeCodeHash(password), reset.codeHash) ? 'reset' : null;
  }

  /**
   * The login route: the password step, then a session, or (with two-factor on) a challenge
   * for the second step. Audited either way.
   */
  async signIn(email: string, password: string, client: ClientInfo): Promise<LoginAnswer> {
    let verified;
    try {
      verified = await this.login(email, password, client.address);
    } catch (error) {
      if (error instanceof ThrottledError) {
        this.audit(this.store.specialists.findForLogin(email)?.specialist.id ?? null, ACCOUNT_AUDIT.loginThrottled, ROUTES.login);
      } else if (error instanceof HttpError && error.statusCode === 401) {
        this.audit(this.store.specialists.findForLogin(email)?.specialist.id ?? null, ACCOUNT_AUDIT.loginFailed, ROUTES.login);
      }
      throw error;
    }
    const { account, proof } = verified;
    const id = account.specialist.id;
    const now = this.options.now();
    if (proof === 'reset') {
      // Single use: of two logins with the same code, only the one that removes it goes on.
      if (!this.store.accounts.consumeReset(id, oneTimeCodeHash(password))) {
        throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
      }
      this.audit(id, ACCOUNT_AUDIT.resetUsed, ROUTES.login);
    } else if (needsRehash(account.passwordHash)) {
      // Only over the hash that was verified: a reset or a change that committed meanwhile stays.
      this.store.specialists.rehashPassword(id, account.passwordHash, await hashPassword(password));
    }
    const mustChangePassword = proof === 'reset' || account.mustChangePassword;
    if (this.store.accounts.twoFactor(id)?.enabledAt) {
      const challenge = randomBytes(32).toString('base64url');
      const expiresAt = now.getTime() + CHALLENGE_TTL_MS;
      this.forgetOldChallenges(now.getTime());
      this.challenges.set(sha256(challenge), { specialistId: id, mustChangePassword, expiresAt, attempts: 0 });
      return { twoFactor: 'required', challenge, expiresAt: new Date(expiresAt).toISOString() };
    }
    this.audit(id, ACCOUNT_AUDIT.login, ROUTES.login);
    return this.openSession(account.specialist, { mustChangePassword, twoFactorAt: null, client, now });
  }

  /** The login's second step: a TOTP code or a recovery code for the challenge the password step gave. */
  async completeTwoFactor(challenge: string, code: string, client: ClientInfo): Promise<LoginResponse> {
    const key = sha256(challenge);
    const now = this.options.now();
    const entry = this.challenges.get(key);
    if (!entry || entry.expiresAt <= now.getTime()) {
      this.challenges.delete(key);
      throw new HttpError(401, 'challenge_expired', 'the login took too long or was tried too often: log in again');
    }
    const id = entry.specialistId;
    try {
      this.throttle.checkCode(id, now);
    } catch (error) {
      this.audit(id, ACCOUNT_AUDIT.loginThrottled, ROUTES.loginCode);
      throw error;
    }
    const used = await this.checkSecondFactor(id, code, now);
    if (!used) {
      entry.attempts += 1;
      if (entry.attempts >= CHALLENGE_ATTEMPTS) this.challenges.delete(key);
      this.throttle.failCode(id, this.options.now());
      this.audit(id, ACCOUNT_AUDIT.twoFactorFailed, ROUTES.loginCode);
      throw new HttpError(401, 'invalid_code', 'the code is wrong, expired or already used', 'code');
    }
    this.challenges.delete(key);
    this.throttle.succeedCode(id);
    const specialist = this.store.specialists.get(id);
    if (!specialist?.active) throw new HttpError(401, 'invalid_credentials', 'wrong e-mail or password');
    if (used === 'recovery') this.audit(id, ACCOUNT_AUDIT.recoveryCodeUsed, ROUTES.loginCode);
    this.audit(id, ACCOUNT_AUDIT.login, ROUTES.loginCode);
    return this.openSession(specialist, { mustChangePassword: entry.mustChangePassword, twoFactorAt: now.toISOString(), client, now });
  }

  private openSession(
    specialist: Specialist,
    opts: { mustChangePassword: boolean; twoFactorAt: string | null; client: ClientInfo; now: Date },
  ): LoginResponse {
    const { now } = opts;
    const token = randomBytes(32).toString('base64url');
    const ttl = opts.mustChangePassword ? Math.min(RESTRICTED_SESSION_MS, this.options.sessionTtlMs) : this.options.sessionTtlMs;
    const expiresAt = new Date(now.getTime() + ttl).toISOString();
    this.store.sessions.purgeExpired(now.toISOString(), this.idleCutoff(now));
    this.store.sessions.create({
      tokenHash: sha256(token),
      id: randomBytes(16).toString('hex'),
      specialistId: specialist.id,
      createdAt: now.toISOString(),
      expiresAt,
      address: opts.client.address,
      userAgent: opts.client.userAgent?.slice(0, 300) ?? null,
      twoFactorAt: opts.twoFactorAt,
    });
    const twoFactorEnabled = opts.twoFactorAt !== null;
    return {
      token,
      expiresAt,
      specialist,
      account: accountState({ specialist, mustChangePassword: opts.mustChangePassword, twoFactorEnabled, twoFactorAt: opts.twoFactorAt }),
    };
  }

  /** Sessions unused since this instant are purged (with a margin: last_seen_at is written once a minute). */
  private idleCutoff(now: Date): string {
    return new Date(now.getTime() - this.options.idleMs - LAST_SEEN_WRITE_MS).toISOString();
  }

  /**
   * The session of a bearer token, or null when it is unknown, expired, idle too long or its
   * account disabled. A request with it counts as use (see `SessionRepo.touch`).
   */
  authenticate(token: string): AuthSession | null {
    const found = this.peek(token);
    if (found) this.store.sessions.touch(found.tokenHash, this.options.now());
    return found;
  }

  /** As `authenticate`, without counting as use (the live socket's periodic check). */
  peek(token: string): AuthSession | null {
    return this.sessionOf(sha256(token));
  }

  /** The session of a token hash if it is still valid (not expired, not idle, account active). */
  sessionOf(tokenHash: string): AuthSession | null {
    const now = this.options.now();
    const found = this.store.sessions.findActive(tokenHash, now.toISOString());
    if (!found) return null;
    if (now.getTime() - found.lastSeen >= this.options.idleMs) {
      this.store.sessions.delete(tokenHash);
      return null;
    }
    return { ...found.record, tokenHash };
  }

  logout(session: AuthSession): void {
    this.store.sessions.delete(session.tokenHash);
  }

  accountOf(session: AuthSession): { account: AccountState; recoveryCodesLeft: number } {
    return { account: accountState(session), recoveryCodesLeft: this.store.accounts.recoveryCodesLeft(session.specialist.id) };
  }

  /**
   * Checks the current password, throttled like a login (the same keys: guessing here counts
   * against the account and the address as guessing at the login does).
   */
  private async checkCurrentPassword(session: AuthSession, password: string, address: string, field: string, route: string): Promise<void> {
    const email = session.specialist.email;
    this.throttle.check(email, address, this.options.now());
    const ok = await verifyPassword(password, this.store.specialists.passwordHashOf(session.specialist.id) ?? (await dummyPasswordHash()));
    const now = this.options.now();
    this.throttle.check(email, address, now);
    if (!ok) {
      this.throttle.fail(email, address, now);
      this.audit(session.specialist.id, ACCOUNT_AUDIT.passwordChangeFailed, route);
      // 403, not 401: the session is fine, the password typed is not.
      throw new HttpError(403, 'wrong_password', 'the current password is wrong', field);
    }
    this.throttle.succeed(email, address, now);
  }

  /**
   * Sets a new password. The current one is needed, except in a session opened by a one-time
   * reset (or the first admin's generated password), which exists to choose one. The account's
   * other sessions end; the token hashes of those are answered so their sockets can be closed.
   */
  async changePassword(session: AuthSession, input: { currentPassword?: string | undefined; newPassword: string }, address: string): Promise<string[]> {
    const id = session.specialist.id;
    if (input.currentPassword === undefined && !session.mustChangePassword) {
      throw new HttpError(400, 'invalid', 'enter the current password', 'currentPassword');
    }
    if (input.currentPassword !== undefined) await this.checkCurrentPassword(session, input.currentPassword, address, 'currentPassword', ROUTES.password);
    assertStrongPassword(input.newPassword, 'newPassword', [session.specialist.email, session.specialist.name]);
    const hash = await hashPassword(input.newPassword);
    const now = this.options.now();
    const revoked = this.store.transaction(() => {
      this.store.specialists.setPassword(id, hash, { mustChange: false, changedAt: now.toISOString() });
      const others = this.store.sessions.listOf(id, '').filter((s) => s.tokenHash !== session.tokenHash);
      for (const other of others) this.store.sessions.delete(other.tokenHash);
      // A session opened to choose a password lasts a full session once it has.
      if (session.mustChangePassword) this.store.sessions.extend(session.tokenHash, new Date(now.getTime() + this.options.sessionTtlMs).toISOString());
      this.audit(id, ACCOUNT_AUDIT.passwordChanged, ROUTES.password);
      return others.map((s) => s.tokenHash);
    });
    return revoked;
  }

  /**
   * A lead's one-time reset of another account: the old password stops working, every session
   * of the account ends, and a code valid once for `RESET_TTL_MS` logs in to choose a new one.
   */
  async issueReset(lead: AuthSession, targetId: string, route: string): Promise<{ code: string; expiresAt: string }> {
    const target = this.store.specialists.get(targetId);
    if (!target) throw new HttpError(404, 'not_found', 'specialist not found', 'id');
    if (target.id === lead.specialist.id) throw new HttpError(409, 'own_account', 'change your own password in your account instead', 'id');
    if (!target.active) throw new HttpError(409, 'inactive', 'the account is disabled', 'id');
    const code = newResetCode();
    // An unknown random password: the old one no longer logs in (it may be known to someone else).
    const unusable = await hashPassword(randomBytes(32).toString('hex'));
    const now = this.options.now();
    const expiresAt = new Date(now.getTime() + RESET_TTL_MS).toISOString();
    this.store.transaction(() => {
      this.store.specialists.setPassword(target.id, unusable, { mustChange: true, changedAt: null });
      this.store.accounts.issueReset(target.id, oneTimeCodeHash(code), lead.specialist.id, now.toISOString(), expiresAt);
      this.store.sessions.deleteAllOf(target.id);
      // The account reset is named, so the audit view can say whose password it was.
      this.store.audit.recordAction({ at: now.toISOString(), specialistId: lead.specialist.id, action: ACCOUNT_AUDIT.resetIssued, route, targetId: target.id });
    });
    return { code, expiresAt };
  }

  /** Enrolment, step one: a new secret (replacing an unfinished one), its URI and QR code. */
  async startTwoFactor(session: AuthSession): Promise<{ secret: string; uri: string; qrDataUrl: string }> {
    if (session.twoFactorEnabled) throw new HttpError(409, 'two_factor_enabled', 'two-factor is already on: turn it off first');
    const secret = newTotpSecret();
    this.store.accounts.startTwoFactor(session.specialist.id, secret, this.options.now().toISOString());
    const uri = totpUri(secret, session.specialist.email);
    return { secret, uri, qrDataUrl: await qrDataUrl(uri) };
  }

  /**
   * Enrolment, step two: the current password (throttled like a login: a stolen token alone
   * cannot enrol someone else's app) and a code from the app turn two-factor on. The account's
   * other sessions end (their token hashes are answered so their sockets can be closed); the ten
   * recovery codes are answered, shown once.
   */
  async confirmTwoFactor(
    session: AuthSession,
    input: { password: string; code: string },
    address: string,
  ): Promise<{ recoveryCodes: string[]; revoked: string[] }> {
    const id = session.specialist.id;
    // The code is checked for when it was sent, not after the password's hashing.
    const now = this.options.now();
    const pending = this.store.accounts.twoFactor(id);
    if (!pending || pending.enabledAt) throw new HttpError(409, 'no_enrolment', 'start the enrolment first');
    await this.checkCurrentPassword(session, input.password, address, 'password', ROUTES.twoFactorConfirm);
    const { code } = input;
    const totp = asTotpCode(code);
    const step = totp === null ? null : await verifyTotp(pending.secret, totp, now, 0);
    if (step === null) throw new HttpError(400, 'invalid_code', 'the code is wrong or expired', 'code');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    const revoked = this.store.transaction(() => {
      // Only the secret the code was checked against: a new setup meanwhile (another session) wins.
      const current = this.store.accounts.twoFactor(id);
      if (!current || current.enabledAt || current.secret !== pending.secret) {
        throw new HttpError(409, 'no_enrolment', 'the enrolment was started again elsewhere: start it again');
      }
      this.store.accounts.enableTwoFactor(id, now.toISOString(), step, codes.map(oneTimeCodeHash));
      // This session has just shown the second factor; the others, opened without it, end.
      this.store.sessions.markTwoFactor(session.tokenHash, now.toISOString());
      const others = this.store.sessions.listOf(id, '').filter((s) => s.tokenHash !== session.tokenHash);
      for (const other of others) this.store.sessions.delete(other.tokenHash);
      this.audit(id, ACCOUNT_AUDIT.twoFactorEnrolled, ROUTES.twoFactorConfirm);
      return others.map((s) => s.tokenHash);
    });
    return { recoveryCodes: codes, revoked };
  }

  /** Turning two-factor off needs the password and a code (or a recovery code). */
  async disableTwoFactor(session: AuthSession, password: string, code: string, address: string): Promise<void> {
    const id = session.specialist.id;
    if (!session.twoFactorEnabled) throw new HttpError(409, 'two_factor_off', 'two-factor is not on');
    await this.checkCurrentPassword(session, password, address, 'password', ROUTES.twoFactorDisable);
    const now = this.options.now();
    this.throttle.checkCode(id, now);
    const used = await this.checkSecondFactor(id, code, now);
    if (!used) {
      this.throttle.failCode(id, this.options.now());
      throw new HttpError(400, 'invalid_code', 'the code is wrong, expired or already used', 'code');
    }
    this.throttle.succeedCode(id);
    this.store.transaction(() => {
      this.store.accounts.disableTwoFactor(id);
      if (used === 'recovery') this.audit(id, ACCOUNT_AUDIT.recoveryCodeUsed, ROUTES.twoFactorDisable);
      this.audit(id, ACCOUNT_AUDIT.twoFactorDisabled, ROUTES.twoFactorDisable);
    });
  }

  /** A TOTP code of a step not used before, or an unused recovery code; each is then used up. */
  private async checkSecondFactor(specialistId: string, code: string, now: Date): Promise<'totp' | 'recovery' | null> {
    const record = this.store.accounts.twoFactor(specialistId);
    if (!record?.enabledAt) return null;
    const totp = asTotpCode(code);
    if (totp !== null) {
      const step = await verifyTotp(record.secret, totp, now, record.lastTimeStep);
      // Recorded atomically: of two requests with the same code, one wins.
      return step !== null && this.store.accounts.useTimeStep(specialistId, step) ? 'totp' : null;
    }
    return this.store.accounts.useRecoveryCode(specialistId, oneTimeCodeHash(code), now.toISOString()) ? 'recovery' : null;
  }

  private forgetOldChallenges(now: number): void {
    if (this.challenges.size < 1000) return;
    for (const [key, entry] of this.challenges) if (entry.expiresAt <= now) this.challenges.delete(key);
  }

  /** The account's own sessions, newest first, "this one" marked. */
  sessionsOf(session: AuthSession): Array<{ id: string; createdAt: string; lastSeenAt: string; address: string | null; userAgent: string | null; current: boolean }> {
    const now = this.options.now();
    const cutoff = now.getTime() - this.options.idleMs;
    return this.store.sessions
      .listOf(session.specialist.id, now.toISOString())
      .filter((s) => Date.parse(s.lastSeenAt) > cutoff || s.tokenHash === session.tokenHash)
      .map(({ tokenHash, ...rest }) => ({ ...rest, current: tokenHash === session.tokenHash }));
  }

  /** Ends one of the account's own sessions; answers its token hash (to close its sockets), or throws 404. */
  revokeSession(session: AuthSession, sessionId: string): string {
    const target = this.store.sessions.listOf(session.specialist.id, '').find((s) => s.id === sessionId);
    if (!target) throw new HttpError(404, 'not_found', 'session not found', 'id');
    this.store.sessions.delete(target.tokenHash);
    this.audit(session.specialist.id, ACCOUNT_AUDIT.sessionRevoked, ROUTES.sessions);
    return target.tokenHash;
  }

  private audit(specialistId: string | null, action: AuditActionName, route: string): void {
    this.store.audit.record(this.options.now().toISOString(), specialistId, [null], action, route);
  }
}

/** What the desk needs to know of a session's account. */
export function accountState(s: {
  specialist: Specialist;
  mustChangePassword: boolean;
  twoFactorEnabled: boolean;
  twoFactorAt: string | null;
}): AccountState {
  return {
    mustChangePassword: s.mustChangePassword,
    twoFactorEnabled: s.twoFactorEnabled,
    twoFactorRequired: s.specialist.role === 'lead' && !hasSecondFactor(s),
  };
}

/** The session passed a second factor, and the account still has it on. */
export const hasSecondFactor = (s: { twoFactorEnabled: boolean; twoFactorAt: string | null }): boolean =>
  s.twoFactorEnabled && s.twoFactorAt !== null;

/**
 * Creates the first lead on an empty store, so a fresh server can be administered. A generated
 * password (`mustChangePassword`) must be changed at the first login.
 */
export async function ensureFirstLead(
  store: Store,
  account: { email: string; password: string; name?: string; mustChangePassword?: boolean },
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
  const hash = await hashPassword(account.password);
  store.transaction(() => {
    store.specialists.insert(specialist, hash, now.toISOString());
    if (account.mustChangePassword) store.specialists.setPassword(specialist.id, hash, { mustChange: true, changedAt: null });
  });
  return specialist;
}
