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
});
