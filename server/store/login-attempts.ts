import type Database from 'better-sqlite3';

/**
 * What a throttled key counts: one account from one address, one address, one account from
 * anywhere, or one account's wrong second-factor codes (`code`, keyed by the account's id).
 */
export type AttemptScope = 'pair' | 'address' | 'account' | 'code';

export interface AttemptKey {
  scope: AttemptScope;
  /** The e-mail as typed, lower-cased; '' for an address; the account's id for `code`. */
  account: string;
  /** The client's address as the server believes it; '' for an account. */
  address: string;
}

export interface AttemptRecord {
  failures: number;
  lastFailureAt: string;
  /** When a lock ends; null when the key was never locked. */
  lockedUntil: string | null;
}

interface Row {
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
}

/**
 * Failed logins per key (migration 6; the `code` scope since migration 9), so a restart forgets no count and no lock. Times are ISO
 * strings like everywhere else in the store; the rules (how many failures slow, then lock, a key)
 * are the throttle's (server/auth/login-throttle.ts).
 */
export class LoginAttemptRepo {
  private readonly find;
  private readonly upsert;
  private readonly remove;
  private readonly recentPairs;
  private readonly purgeOld;

  constructor(db: Database.Database) {
    this.find = db.prepare<[string, string, string], Row>(
      'SELECT failures, last_failure_at, locked_until FROM login_attempts WHERE scope = ? AND account = ? AND address = ?',
    );
    this.upsert = db.prepare<[string, string, string, number, string, string | null]>(
      `INSERT INTO login_attempts (scope, account, address, failures, last_failure_at, locked_until) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope, account, address) DO UPDATE SET
         failures = excluded.failures, last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
    );
    this.remove = db.prepare<[string, string, string]>('DELETE FROM login_attempts WHERE scope = ? AND account = ? AND address = ?');
    this.recentPairs = db
      .prepare<[string, string], number>(`SELECT count(*) FROM login_attempts WHERE scope = 'pair' AND account = ? AND last_failure_at > ?`)
      .pluck();
    this.purgeOld = db.prepare<[string, string]>(
      'DELETE FROM login_attempts WHERE last_failure_at < ? AND (locked_until IS NULL OR locked_until <= ?)',
    );
  }

  get(key: AttemptKey): AttemptRecord | null {
    const row = this.find.get(key.scope, key.account, key.address);
    return row ? { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until } : null;
  }

  put(key: AttemptKey, record: AttemptRecord): void {
    this.upsert.run(key.scope, key.account, key.address, record.failures, record.lastFailureAt, record.lockedUntil);
  }

  delete(key: AttemptKey): void {
    this.remove.run(key.scope, key.account, key.address);
  }

  /** How many distinct addresses have failed on the account since `since`. */
  addressesFailingOn(account: string, since: string): number {
    return this.recentPairs.get(account, since) ?? 0;
  }

  /** Forgets keys whose last failure is before `before` and that are not locked at `now`. */
  purge(before: string, now: string): number {
    return this.purgeOld.run(before, now).changes;
  }
}
