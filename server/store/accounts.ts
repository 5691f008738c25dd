import type Database from 'better-sqlite3';

export interface TwoFactorRecord {
  secret: string;
  /** Null while enrolment awaits its first code. */
  enabledAt: string | null;
  /** The last TOTP time step accepted: codes of this step or earlier are refused. */
  lastTimeStep: number;
}

export interface PendingReset {
  codeHash: string;
  expiresAt: string;
}

/**
 * An account's second factor (the TOTP secret, the last step used, the recovery codes as
 * hashes) and its pending one-time reset (as a hash). `onChange` forgets the account's
 * remembered sessions, which carry whether two-factor is on.
 */
export class AccountSecurityRepo {
  private readonly getTwoFactor;
  private readonly upsertTwoFactor;
  private readonly enableRow;
  private readonly stepRow;
  private readonly deleteTwoFactor;
  private readonly deleteCodes;
  private readonly insertCode;
  private readonly useCodeRow;
  private readonly countCodes;
  private readonly upsertReset;
  private readonly getReset;
  private readonly deleteReset;

  constructor(
    private readonly db: Database.Database,
    private readonly onChange: (specialistId: string) => void = () => undefined,
  ) {
    this.getTwoFactor = db.prepare<[string], TwoFactorRecord>(
      'SELECT secret, enabled_at AS enabledAt, last_time_step AS lastTimeStep FROM two_factor WHERE specialist_id = ?',
    );
    this.upsertTwoFactor = db.prepare<[string, string, string]>(
      `INSERT INTO two_factor (specialist_id, secret, created_at) VALUES (?, ?, ?)
       ON CONFLICT (specialist_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at, enabled_at = NULL, last_time_step = 0`,
    );
    this.enableRow = db.prepare<[string, number, string]>('UPDATE two_factor SET enabled_at = ?, last_time_step = ? WHERE specialist_id = ?');
    // Only forwards: of two requests with codes of the same step, the second changes nothing.
    this.stepRow = db.prepare<[number, string, number]>(
      'UPDATE two_factor SET last_time_step = ? WHERE specialist_id = ? AND last_time_step < ?',
    );
    this.deleteTwoFactor = db.prepare<[string]>('DELETE FROM two_factor WHERE specialist_id = ?');
    this.deleteCodes = db.prepare<[string]>('DELETE FROM recovery_codes WHERE specialist_id = ?');
    this.insertCode = db.prepare<[string, string]>('INSERT INTO recovery_codes (specialist_id, code_hash) VALUES (?, ?)');
    this.useCodeRow = db.prepare<[string, string, string]>(
      'UPDATE recovery_codes SET used_at = ? WHERE specialist_id = ? AND code_hash = ? AND used_at IS NULL',
    );
    this.countCodes = db.prepare<[string], number>('SELECT count(*) FROM recovery_codes WHERE specialist_id = ? AND used_at IS NULL').pluck();
    this.upsertReset = db.prepare<[string, string, string, string, string]>(
      `INSERT INTO password_resets (specialist_id, code_hash, issued_by, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (specialist_id) DO UPDATE SET code_hash = excluded.code_hash, issued_by = excluded.issued_by,
         issued_at = excluded.issued_at, expires_at = excluded.expires_at`,
    );
    this.getReset = db.prepare<[string, string], PendingReset>(
      'SELECT code_hash AS codeHash, expires_at AS expiresAt FROM password_resets WHERE specialist_id = ? AND expires_at > ?',
    );
    this.deleteReset = db.prepare<[string, string]>('DELETE FROM password_resets WHERE specialist_id = ? AND code_hash = ?');
  }

  twoFactor(specialistId: string): TwoFactorRecord | null {
    return this.getTwoFactor.get(specialistId) ?? null;
  }

  /** A new secret awaiting its first code; replaces an unfinished (or, via disable, no) enrolment. */
  startTwoFactor(specialistId: string, secret: string, at: string): void {
    this.upsertTwoFactor.run(specialistId, secret, at);
  }

  /** Enrolment confirmed by a code of `timeStep`: two-factor on, with fresh recovery codes. */
  enableTwoFactor(specialistId: string, at: string, timeStep: number, recoveryCodeHashes: readonly string[]): void {
    this.db.transaction(() => {
      this.enableRow.run(at, timeStep, specialistId);
      this.deleteCodes.run(specialistId);
      for (const hash of recoveryCodeHashes) this.insertCode.run(specialistId, hash);
    })();
    this.onChange(specialistId);
  }

  /** Records that a code of `timeStep` was accepted; false when that step (or a later one) was used already. */
  useTimeStep(specialistId: string, timeStep: number): boolean {
    return this.stepRow.run(timeStep, specialistId, timeStep).changes === 1;
  }

  disableTwoFactor(specialistId: string): void {
    this.db.transaction(() => {
      this.deleteTwoFactor.run(specialistId);
      this.deleteCodes.run(specialistId);
    })();
    this.onChange(specialistId);
  }

  /** Uses a recovery code once: true only for an unused code of this account. */
  useRecoveryCode(specialistId: string, codeHash: string, at: string): boolean {
    return this.useCodeRow.run(at, specialistId, codeHash).changes === 1;
  }

  recoveryCodesLeft(specialistId: string): number {
    return this.countCodes.get(specialistId) ?? 0;
  }

  issueReset(specialistId: string, codeHash: string, issuedBy: string, issuedAt: string, expiresAt: string): void {
    this.upsertReset.run(specialistId, codeHash, issuedBy, issuedAt, expiresAt);
  }

  pendingReset(specialistId: string, now: string): PendingReset | null {
    return this.getReset.get(specialistId, now) ?? null;
  }

  /** Uses the reset once: true only for the one who removed it. */
  consumeReset(specialistId: string, codeHash: string): boolean {
    return this.deleteReset.run(specialistId, codeHash).changes === 1;
  }
}
