import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THROTTLE, LoginThrottle } from '../../../server/auth/login-throttle';
import { ThrottledError } from '../../../server/http/errors';
import { dataFile, openStore, type Store } from '../../../server/store/store';

describe('login throttle (kept in SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-throttle-'));
  let store: Store;
  let throttle: LoginThrottle;
  const t0 = Date.parse('2026-03-02T08:00:00.000Z');
  const at = (ms: number): Date => new Date(t0 + ms);
  const rows = (): number => store.db.prepare<[], number>('SELECT count(*) FROM login_attempts').pluck().get() ?? 0;
  const refusal = (fn: () => void): ThrottledError | null => {
    try {
      fn();
      return null;
    } catch (error) {
      if (error instanceof ThrottledError) return error;
      throw error;
    }
  };

  beforeAll(() => {
    store = openStore(dataFile(dir));
    throttle = new LoginThrottle(store, DEFAULT_THROTTLE);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the e-mail case-insensitively, per address', () => {
    for (let i = 0; i < DEFAULT_THROTTLE.lockAfter; i++) throttle.fail(i % 2 ? 'Mixed@Softone.se' : 'mixed@softone.se', '10.0.0.1', at(i * DEFAULT_THROTTLE.lockMs));
    const afterLast = at((DEFAULT_THROTTLE.lockAfter - 1) * DEFAULT_THROTTLE.lockMs + 1);
    expect(refusal(() => throttle.check('MIXED@softone.se', '10.0.0.1', afterLast))?.code).toBe('locked');
    expect(refusal(() => throttle.check('mixed@softone.se', '10.0.0.2', afterLast))).toBeNull();
  });

  it('never slows an attempt for longer than a lock', () => {
    const address = '10.9.9.9';
    const free = DEFAULT_THROTTLE.freeFailures * DEFAULT_THROTTLE.addressFactor;
    for (let i = 0; i < free + 15; i++) throttle.fail(`someone-${i}@softone.se`, address, at(i * DEFAULT_THROTTLE.lockMs));
    const wait = refusal(() => throttle.check('new@softone.se', address, at((free + 14) * DEFAULT_THROTTLE.lockMs)));
    expect(wait?.code).toBe('too_many_attempts');
    expect(wait?.retryAfterSeconds).toBe(DEFAULT_THROTTLE.lockMs / 1000);
  });

  it('forgets old failures and purges their rows', () => {
    const later = 100 * DEFAULT_THROTTLE.lockMs + DEFAULT_THROTTLE.forgetAfterMs;
    expect(rows()).toBeGreaterThan(0);
    throttle.fail('fresh@softone.se', '10.1.1.1', at(later));
    // Only the pair and the address of that last failure are left.
    expect(store.db.prepare('SELECT scope, account, address, failures FROM login_attempts ORDER BY scope').all()).toEqual([
      { scope: 'address', account: '', address: '10.1.1.1', failures: 1 },
      { scope: 'pair', account: 'fresh@softone.se', address: '10.1.1.1', failures: 1 },
    ]);
  });

  it("clears the account's own failures on success and leaves the address's failures on other accounts", () => {
    const base = 200 * DEFAULT_THROTTLE.lockMs + DEFAULT_THROTTLE.forgetAfterMs;
    const address = '10.2.2.2';
    for (let i = 0; i < 3; i++) throttle.fail('me@softone.se', address, at(base + i));
    for (let i = 0; i < 4; i++) throttle.fail(`other-${i}@softone.se`, address, at(base + 10 + i));
    throttle.succeed('me@softone.se', address, at(base + 20));
    const failures = (scope: string, account: string): number | undefined =>
      store.db.prepare<[string, string, string], number>('SELECT failures FROM login_attempts WHERE scope = ? AND account = ? AND address = ?').pluck().get(scope, account, scope === 'account' ? '' : address);
    expect(failures('pair', 'me@softone.se')).toBeUndefined();
    expect(failures('address', '')).toBe(4);
    expect(failures('pair', 'other-0@softone.se')).toBe(1);
  });

  it('locks an account from many addresses at most once a window, so rotating addresses cannot keep its owner out', () => {
    const { accountAddresses, accountLockMs, accountWindowMs } = DEFAULT_THROTTLE;
    const base = 300 * DEFAULT_THROTTLE.lockMs + 2 * DEFAULT_THROTTLE.forgetAfterMs;
    const victim = 'rotated@softone.se';
    const owner = '10.3.3.3';
    const attacker = (i: number): string => `192.0.2.${i}`;
    for (let i = 0; i < accountAddresses; i++) throttle.fail(victim, attacker(i), at(base + i));
    expect(refusal(() => throttle.check(victim, owner, at(base + accountAddresses)))?.code).toBe('locked');
    // After the lock, one failure a minute from yet another address (and from the old ones):
    // never locks again within the window, and the owner always gets in (their success resets nothing).
    let t = base + accountAddresses + accountLockMs;
    for (let minute = 0; t < base + accountWindowMs; minute++, t += 60_000) {
      throttle.fail(victim, attacker(100 + minute), at(t));
      throttle.fail(victim, attacker(minute % accountAddresses), at(t + 1));
      expect(refusal(() => throttle.check(victim, owner, at(t + 2))), `minute ${minute}`).toBeNull();
      throttle.succeed(victim, owner, at(t + 3));
    }
    // A window after the last lock began, a guess spread over many addresses locks again (for a minute).
    throttle.fail(victim, attacker(200), at(t));
    expect(refusal(() => throttle.check(victim, owner, at(t + 1)))?.retryAfterSeconds).toBe(accountLockMs / 1000);
  });

  it('counts wrong codes per account in SQLite: a right password does not clear them, the lock runs from the locking failure', () => {
    const base = 400 * DEFAULT_THROTTLE.lockMs + 3 * DEFAULT_THROTTLE.forgetAfterMs;
    const id = 'specialist-with-codes';
    const { codeLockAfter, codeLockMs } = DEFAULT_THROTTLE;
    for (let i = 0; i < codeLockAfter - 1; i++) throttle.failCode(id, at(base + i * 60_000));
    throttle.succeed('codes@softone.se', '10.4.4.4', at(base + codeLockAfter * 60_000));
    expect(refusal(() => throttle.checkCode(id, at(base + codeLockAfter * 60_000)))).toBeNull();
    const locking = base + 20 * 60_000;
    throttle.failCode(id, at(locking));
    // A fresh throttle on the same file (a restart) sees the lock, for the whole lock from the tenth failure.
    const restarted = new LoginThrottle(store, DEFAULT_THROTTLE);
    const refused = refusal(() => restarted.checkCode(id, at(locking + 1000)));
    expect(refused?.code).toBe('locked');
    expect(refused?.retryAfterSeconds).toBe(codeLockMs / 1000 - 1);
    expect(refusal(() => restarted.checkCode(id, at(locking + codeLockMs)))).toBeNull();
    // A right code clears the count.
    restarted.failCode(id, at(locking + codeLockMs + 1));
    restarted.succeedCode(id);
    expect(store.loginAttempts.get({ scope: 'code', account: id, address: '' })).toBeNull();
  });
});
