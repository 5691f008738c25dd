import type Database from 'better-sqlite3';
import type { Specialist } from '../../shared/contract';
import { SPECIALIST_JSON, fromJson } from './json';

export interface SessionRecord {
  specialist: Specialist;
  /** The public id (listing and revoking); never the token or its hash. */
  id: string;
  createdAt: string;
  expiresAt: string;
  /** When a second factor was passed in this session (or at enrolment in it); null otherwise. */
  twoFactorAt: string | null;
  /** The account must choose a new password before anything else. */
  mustChangePassword: boolean;
  /** The account has two-factor enabled. */
  twoFactorEnabled: boolean;
}

export interface NewSession {
  tokenHash: string;
  id: string;
  specialistId: string;
  createdAt: string;
  expiresAt: string;
  address: string | null;
  userAgent: string | null;
  twoFactorAt: string | null;
}

export interface SessionRow {
  id: string;
  tokenHash: string;
  createdAt: string;
  lastSeenAt: string;
  address: string | null;
  userAgent: string | null;
}

/** More live sessions than a support organisation has: beyond it the memo starts over. */
const MAX_KNOWN_SESSIONS = 10_000;
/** last_seen_at is written at most this often per session (the memo keeps the exact time). */
export const LAST_SEEN_WRITE_MS = 60_000;

interface Known {
  record: SessionRecord;
  /** The last request, exact; `written` is what the row holds. */
  lastSeen: number;
  written: number;
}

/**
 * Sessions are keyed by a SHA-256 of the token: a copy of the database does not log anyone in.
 * Every request authenticates, so sessions found are remembered (frozen: shared by requests)
 * until they expire or this repository, or an account change, ends them; every write to
 * sessions and accounts goes through these repositories.
 */
export class SessionRepo {
  private readonly known = new Map<string, Known>();
  private readonly insertRow;
  private readonly find;
  private readonly deleteRow;
  private readonly deleteForSpecialist;
  private readonly deleteExpired;
  private readonly writeLastSeen;
  private readonly listRows;
  private readonly setTwoFactor;
  private readonly setExpiry;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare(
      `INSERT INTO sessions (token_hash, id, specialist_id, created_at, expires_at, last_seen_at, address, user_agent, two_factor_at)
       VALUES (@tokenHash, @id, @specialistId, @createdAt, @expiresAt, @createdAt, @address, @userAgent, @twoFactorAt)`,
    );
    this.find = db.prepare<
      [string, string],
      { j: string; id: string; created_at: string; expires_at: string; last_seen_at: string | null; two_factor_at: string | null; must_change: number; tf: number }
    >(
      `SELECT ${SPECIALIST_JSON} AS j, se.id, se.created_at, se.expires_at, se.last_seen_at, se.two_factor_at,
         s.must_change_password AS must_change,
         EXISTS (SELECT 1 FROM two_factor t WHERE t.specialist_id = s.id AND t.enabled_at IS NOT NULL) AS tf
       FROM sessions se JOIN specialists s ON s.id = se.specialist_id
       WHERE se.token_hash = ? AND se.expires_at > ? AND s.active = 1`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
    this.deleteForSpecialist = db.prepare<[string], string>('DELETE FROM sessions WHERE specialist_id = ? RETURNING token_hash').pluck();
    this.deleteExpired = db.prepare<[string, string]>('DELETE FROM sessions WHERE expires_at <= ? OR coalesce(last_seen_at, created_at) <= ?');
    this.writeLastSeen = db.prepare<[string, string]>('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.listRows = db.prepare<[string, string], SessionRow>(
      `SELECT id, token_hash AS tokenHash, created_at AS createdAt, coalesce(last_seen_at, created_at) AS lastSeenAt, address,
         user_agent AS userAgent
       FROM sessions WHERE specialist_id = ? AND expires_at > ? ORDER BY created_at DESC, id`,
    );
    this.setTwoFactor = db.prepare<[string, string]>('UPDATE sessions SET two_factor_at = ? WHERE token_hash = ?');
    this.setExpiry = db.prepare<[string, string]>('UPDATE sessions SET expires_at = ? WHERE token_hash = ?');
  }

  create(session: NewSession): void {
    this.insertRow.run(session);
  }

  /**
   * The live session for this token hash with when it was last used, or null when unknown,
   * expired or the account is disabled.
   */
  findActive(tokenHash: string, now: string): { record: SessionRecord; lastSeen: number } | null {
    const known = this.known.get(tokenHash);
    if (known) {
      if (known.record.expiresAt > now) return { record: known.record, lastSeen: known.lastSeen };
      this.known.delete(tokenHash);
    }
    const row = this.find.get(tokenHash, now);
    if (!row) return null;
    const specialist = fromJson<Specialist>(row.j);
    Object.freeze(specialist.teams);
    const record: SessionRecord = Object.freeze({
      specialist: Object.freeze(specialist),
      id: row.id,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      twoFactorAt: row.two_factor_at,
      mustChangePassword: row.must_change === 1,
      twoFactorEnabled: row.tf === 1,
    });
    const lastSeen = Date.parse(row.last_seen_at ?? row.created_at);
    if (this.known.size >= MAX_KNOWN_SESSIONS) this.known.clear();
    this.known.set(tokenHash, { record, lastSeen, written: lastSeen });
    return { record, lastSeen };
  }

  /** The session was used now: remembered exactly, written to its row at most once a minute. */
  touch(tokenHash: string, now: Date): void {
    const known = this.known.get(tokenHash);
    const at = now.getTime();
    if (known) {
      known.lastSeen = Math.max(known.lastSeen, at);
      if (at - known.written < LAST_SEEN_WRITE_MS) return;
      known.written = at;
    }
    this.writeLastSeen.run(now.toISOString(), tokenHash);
  }

  /** This account's sessions, newest first, with the last use the memo knows of. */
  listOf(specialistId: string, now: string): SessionRow[] {
    return this.listRows.all(specialistId, now).map((row) => {
      const known = this.known.get(row.tokenHash);
      return known ? { ...row, lastSeenAt: new Date(Math.max(known.lastSeen, Date.parse(row.lastSeenAt))).toISOString() } : row;
    });
  }

  /** A second factor was passed in this session. */
  markTwoFactor(tokenHash: string, at: string): void {
    this.known.delete(tokenHash);
    this.setTwoFactor.run(at, tokenHash);
  }

  extend(tokenHash: string, expiresAt: string): void {
    this.known.delete(tokenHash);
    this.setExpiry.run(expiresAt, tokenHash);
  }

  delete(tokenHash: string): void {
    this.known.delete(tokenHash);
    this.deleteRow.run(tokenHash);
  }

  /** Ends every session of the account; answers their token hashes (to close their sockets). */
  deleteAllOf(specialistId: string): string[] {
    this.forgetSpecialist(specialistId);
    return this.deleteForSpecialist.all(specialistId);
  }

  /** The account changed (role, teams, disabled, password, two-factor): its sessions are read afresh. */
  forgetSpecialist(specialistId: string): void {
    for (const [tokenHash, known] of this.known) if (known.record.specialist.id === specialistId) this.known.delete(tokenHash);
  }

  /** Removes sessions past their absolute expiry or unused since `idleBefore`. */
  purgeExpired(now: string, idleBefore = ''): number {
    return this.deleteExpired.run(now, idleBefore).changes;
  }
}
