/**
 * The login under abuse, against the service and a real SQLite file: a flood of password checks,
 * many logins at once from one address, a password change racing a login's rehash, wrong
 * second-factor codes across password logins and a restart, and the audit of refused attempts.
 */
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Specialist } from '../../../shared/contract';
import { ACCOUNT_AUDIT, AuthService, LOGINS_IN_FLIGHT_PER_ADDRESS } from '../../../server/auth/auth-service';
import { DEFAULT_THROTTLE } from '../../../server/auth/login-throttle';
import { hashPassword, MAX_WAITING_CHECKS, needsRehash, verifyPassword } from '../../../server/auth/passwords';
import { HttpError, ThrottledError } from '../../../server/http/errors';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { codeAt } from '../../support/two-factor';

/** A hash made with cheap scrypt parameters (N=2^10): quick to check, and due for a rehash. */
function cheapHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 64, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

describe('the login under abuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-login-abuse-'));
  let store: Store;
  let clock = Date.parse('2026-03-02T08:00:00.000Z');
  const service = (): AuthService =>
    new AuthService(store, { sessionTtlMs: 3_600_000, idleMs: 3_600_000, throttle: DEFAULT_THROTTLE, now: () => new Date(clock) });
  const client = (address: string) => ({ address, userAgent: null });
  const audited = (action: string, specialistId: string | null): number =>
    store.db
      .prepare<[string, string | null], number>('SELECT count(*) FROM audit_log WHERE action = ? AND specialist_id IS ?')
      .pluck()
      .get(action, specialistId) ?? 0;

  function addAccount(password: string, role: Specialist['role'] = 'specialist', hash = cheapHash(password)): Specialist {
    const id = randomUUID();
    const specialist: Specialist = { id, email: `${id.slice(0, 8)}@softone.se`, name: 'Test', role, teams: [1], office: 'FI', language: 'fi', active: true };
    store.specialists.insert(specialist, hash, new Date(clock).toISOString());
    return specialist;
  }

  async function outcome<T>(work: Promise<T>): Promise<T | HttpError> {
    try {
      return await work;
    } catch (error) {
      if (error instanceof HttpError) return error;
      throw error;
    }
  }

  beforeAll(() => {
    store = openStore(dataFile(dir));
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses password checks at once when the hashing queue is full, and checks the rest', async () => {
    const stored = cheapHash('oikea salasana');
    const checks = Array.from({ length: MAX_WAITING_CHECKS + 10 }, () => verifyPassword('oikea salasana', stored));
    const settled = await Promise.allSettled(checks);
    const refused = settled.filter((s) => s.status === 'rejected').map((s) => (s as PromiseRejectedResult).reason as unknown);
    // Two run, twenty wait: the eight beyond are refused with a 429 and a time to come back.
    expect(refused).toHaveLength(8);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as ThrottledError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    expect(settled.filter((s) => s.status === 'fulfilled').map((s) => (s as PromiseFulfilledResult<boolean>).value)).toEqual(Array(MAX_WAITING_CHECKS + 2).fill(true));
    // The queue drained: a check now goes through.
    expect(await verifyPassword('oikea salasana', stored)).toBe(true);
  });

  it('lets one address have only a few logins in flight, refusing (and auditing) the rest at once', async () => {
    const victim = addAccount('oikea salasana');
    const auth = service();
    const flood = Array.from({ length: 10 }, () => outcome(auth.signIn(victim.email, 'väärä salasana', client('203.0.113.5'))));
    // Another address is not held up by the flood.
    const other = outcome(auth.signIn(victim.email, 'oikea salasana', client('198.51.100.5')));
    const results = await Promise.all(flood);
    const statuses = results.map((r) => (r instanceof HttpError ? r.statusCode : 200));
    expect(statuses.filter((s) => s === 401)).toHaveLength(LOGINS_IN_FLIGHT_PER_ADDRESS);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - LOGINS_IN_FLIGHT_PER_ADDRESS);
    expect(results.find((r) => r instanceof ThrottledError)).toMatchObject({ code: 'too_many_requests' });
    expect(await other).toMatchObject({ token: expect.any(String) });
    expect(audited(ACCOUNT_AUDIT.loginThrottled, victim.id)).toBe(10 - LOGINS_IN_FLIGHT_PER_ADDRESS);
    expect(audited(ACCOUNT_AUDIT.loginFailed, victim.id)).toBe(LOGINS_IN_FLIGHT_PER_ADDRESS);
    // Once those are done, the address logs in again.
    expect(await auth.signIn(victim.email, 'oikea salasana', client('203.0.113.5'))).toMatchObject({ token: expect.any(String) });
  });

  it('audits a login refused by the throttle, for a known account and an unknown e-mail', async () => {
    const auth = service();
    const victim = addAccount('oikea salasana');
    for (let i = 0; i < DEFAULT_THROTTLE.lockAfter; i++) {
      await outcome(auth.signIn(victim.email, `väärä ${i}`, client('203.0.113.6')));
      clock += DEFAULT_THROTTLE.lockMs / 2;
    }
    const locked = await outcome(auth.signIn(victim.email, 'oikea salasana', client('203.0.113.6')));
    expect(locked).toMatchObject({ statusCode: 429, code: 'locked' });
    expect(audited(ACCOUNT_AUDIT.loginThrottled, victim.id)).toBe(1);
    const before = audited(ACCOUNT_AUDIT.loginThrottled, null);
    const now = new Date(clock).toISOString();
    store.loginAttempts.put({ scope: 'pair', account: 'nobody@softone.se', address: '203.0.113.7' }, { failures: 10, lastFailureAt: now, lockedUntil: new Date(clock + 60_000).toISOString() });
    expect(await outcome(auth.signIn('nobody@softone.se', 'väärä', client('203.0.113.7')))).toMatchObject({ statusCode: 429 });
    expect(audited(ACCOUNT_AUDIT.loginThrottled, null)).toBe(before + 1);
  });

  it('does not write an old password back when a change commits while the login rehashes it', async () => {
    const account = addAccount('vanha salasana');
    const auth = service();
    const newHash = await hashPassword('uusi salasana joka on pitkä');
    const find = store.specialists.findForLogin.bind(store.specialists);
    // The change commits after the login read and verified the old hash, before its rehash is stored.
    store.specialists.findForLogin = (email: string) => {
      const found = find(email);
      if (found && email === account.email) store.specialists.setPassword(account.id, newHash, { mustChange: false, changedAt: new Date(clock).toISOString() });
      return found;
    };
    try {
      await auth.signIn(account.email, 'vanha salasana', client('10.0.0.8'));
    } finally {
      store.specialists.findForLogin = find;
    }
    expect(store.specialists.passwordHashOf(account.id)).toBe(newHash);
    // Without a race the login does rehash a weak hash.
    const weak = addAccount('heikko tiiviste');
    await auth.signIn(weak.email, 'heikko tiiviste', client('10.0.0.8'));
    expect(needsRehash(store.specialists.passwordHashOf(weak.id) ?? '')).toBe(false);
  });

  it('enables two-factor only with the secret the code was checked against, when a new setup comes meanwhile', async () => {
    const lead = addAccount('vetäjän salasana', 'lead');
    const auth = service();
    const answer = await auth.signIn(lead.email, 'vetäjän salasana', client('10.0.0.10'));
    const session = 'token' in answer ? auth.authenticate(answer.token) : null;
    if (!session) throw new Error('no session');
    const first = await auth.startTwoFactor(session);
    // The confirmation checks the password (a wait), while another session starts the setup over.
    const confirming = outcome(auth.confirmTwoFactor(session, { password: 'vetäjän salasana', code: await codeAt(first.secret, clock) }, '10.0.0.10'));
    const second = auth.startTwoFactor(session);
    expect(await confirming).toMatchObject({ statusCode: 409 });
    await second;
    expect(store.accounts.twoFactor(lead.id)?.enabledAt).toBeNull();
  });

  it('keeps wrong codes counted across password logins and a restart, locks from the tenth, and audits the refusal', async () => {
    const lead = addAccount('johtajan salasana', 'lead');
    store.accounts.startTwoFactor(lead.id, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', new Date(clock).toISOString());
    store.accounts.enableTwoFactor(lead.id, new Date(clock).toISOString(), 1, []);
    let auth = service();
    const challenge = async (): Promise<string> => {
      const answer = await auth.signIn(lead.email, 'johtajan salasana', client('10.0.0.9'));
      if (!('challenge' in answer)) throw new Error('no challenge');
      return answer.challenge;
    };
    let wrong = 0;
    for (let round = 0; round < 2; round++) {
      if (round === 1) auth = service(); // a restart between the challenges
      const c = await challenge();
      for (let i = 0; i < 5; i++, wrong++) {
        clock += 30_000;
        expect(await outcome(auth.completeTwoFactor(c, String(100000 + wrong), client('10.0.0.9')))).toMatchObject({ statusCode: 401, code: 'invalid_code' });
      }
    }
    const lockedAt = clock;
    auth = service();
    // The password step still succeeds (and clears only the password's failures)…
    const c = await challenge();
    clock += 1000;
    // …but the second step stays locked, for the whole lock from the tenth wrong code.
    const refused = await outcome(auth.completeTwoFactor(c, '123456', client('10.0.0.9')));
    expect(refused).toMatchObject({ statusCode: 429, code: 'locked', retryAfterSeconds: DEFAULT_THROTTLE.codeLockMs / 1000 - 1 });
    expect(store.db.prepare<[string, string, string], number>('SELECT count(*) FROM audit_log WHERE action = ? AND specialist_id = ? AND route = ?').pluck().get(ACCOUNT_AUDIT.loginThrottled, lead.id, ROUTES.loginCode)).toBe(1);
    clock = lockedAt + DEFAULT_THROTTLE.codeLockMs;
    expect(await outcome(auth.completeTwoFactor(await challenge(), '123456', client('10.0.0.9')))).toMatchObject({ statusCode: 401, code: 'invalid_code' });
  });
});
