import type Database from 'better-sqlite3';
import type { Specialist } from '../../shared/contract';
import { SPECIALIST_JSON, fromJson } from './json';

export interface SessionRecord {
  specialist: Specialist;
  expiresAt: string;
}

/** More live sessions than a support organisation has: beyond it the memo starts over. */
const MAX_KNOWN_SESSIONS = 10_000;

/**
 * Sessions are keyed by a SHA-256 of the token: a copy of the database does not log anyone in.
 * Every request authenticates, so sessions found are remembered (frozen: shared by requests)
 * until they expire or this repository, or an account change, ends them; every write to
 * sessions and accounts goes through these repositories.
 */
export class SessionRepo {
  private readonly known = new Map<string, SessionRecord>();
  private readonly insertRow;
  private readonly find;
  private readonly deleteRow;
  private readonly deleteForSpecialist;
  private readonly deleteExpired;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare<[string, string, string, string]>(
      'INSERT INTO sessions (token_hash, specialist_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.find = db.prepare<[string, string], { j: string; expires_at: string }>(
      `SELECT ${SPECIALIST_JSON} AS j, se.expires_at FROM sessions se JOIN specialists s ON s.id = se.specialist_id
       WHERE se.token_hash = ? AND se.expires_at > ? AND s.active = 1`,
    );
    this.deleteRow = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
    this.deleteForSpecialist = db.prepare<[string]>('DELETE FROM sessions WHERE specialist_id = ?');
    this.deleteExpired = db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?');
  }

  create(tokenHash: string, specialistId: string, createdAt: string, expiresAt: string): void {
    this.insertRow.run(tokenHash, specialistId, createdAt, expiresAt);
  }

  /** The live session for this token hash, or null when unknown, expired or the account is disabled. */
  findActive(tokenHash: string, now: string): SessionRecord | null {
    const known = this.known.get(tokenHash);
    if (known) {
      if (known.expiresAt > now) return known;
      this.known.delete(tokenHash);
    }
    const row = this.find.get(tokenHash, now);
    if (!row) return null;
    const specialist = fromJson<Specialist>(row.j);
    Object.freeze(specialist.teams);
    const found: SessionRecord = Object.freeze({ specialist: Object.freeze(specialist), expiresAt: row.expires_at });
    if (this.known.size >= MAX_KNOWN_SESSIONS) this.known.clear();
    this.known.set(tokenHash, found);
    return found;
  }

  delete(tokenHash: string): void {
    this.known.delete(tokenHash);
    this.deleteRow.run(tokenHash);
  }

  deleteAllOf(specialistId: string): void {
    this.forgetSpecialist(specialistId);
    this.deleteForSpecialist.run(specialistId);
  }

  /** The account changed (role, teams, disabled): its sessions are read afresh. */
  forgetSpecialist(specialistId: string): void {
    for (const [tokenHash, session] of this.known) if (session.specialist.id === specialistId) this.known.delete(tokenHash);
  }

  purgeExpired(now: string): number {
    return this.deleteExpired.run(now).changes;
  }
}
