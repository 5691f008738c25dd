/**
 * The digital customer centre's accounts (one per invited SuperUser contact), their one-time
 * links (invitation and reset, kept as SHA-256 hashes) and their sessions, in tables of their
 * own: a customer's session never appears where a specialist's is looked up, nor the other way.
 */
import type Database from 'better-sqlite3';

export interface CentreAccount {
  contactId: string;
  email: string;
  passwordHash: string | null;
  createdAt: string;
  passwordChangedAt: string | null;
}

export interface CentreSessionRow {
  tokenHash: string;
  id: string;
  contactId: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
}

export interface CentreAccountRecord {
  email: string;
  createdAt: string;
  invitedBy: string | null;
  passwordChangedAt: string | null;
}

export interface CentreSessionRecord {
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  address: string | null;
  userAgent: string | null;
}

/** One of an account's own sessions, as the account page lists it (the hash only to end it). */
export interface CentreOwnSession {
  tokenHash: string;
  id: string;
  createdAt: string;
  lastSeenAt: string;
  address: string | null;
  userAgent: string | null;
}

type TokenKind = 'invite' | 'reset';

export class CentreAccountRepo {
  private readonly byContact;
  private readonly byEmail;
  private readonly insertAccount;
  private readonly updateEmail;
  private readonly setHash;
  private readonly insertToken;
  private readonly expireTokens;
  private readonly expireAllTokens;
  private readonly useToken;
  private readonly pendingToken;
  private readonly countTokens;
  private readonly insertSession;
  private readonly findSession;
  private readonly touchSession;
  private readonly deleteSession;
  private readonly deleteSessionsOf;
  private readonly purgeSessions;
  private readonly forgetRows;
  private readonly accountRecord;
  private readonly sessionRecords;
  private readonly sessionsOfContact;

  constructor(db: Database.Database) {
    const account = 'contact_id AS contactId, email, password_hash AS passwordHash, created_at AS createdAt, password_changed_at AS passwordChangedAt';
    this.byContact = db.prepare<[string], CentreAccount>(`SELECT ${account} FROM centre_accounts WHERE contact_id = ?`);
    this.byEmail = db.prepare<[string], CentreAccount>(`SELECT ${account} FROM centre_accounts WHERE email = ?`);
    this.insertAccount = db.prepare<[string, string, string | null, string]>(
      'INSERT INTO centre_accounts (contact_id, email, invited_by, created_at) VALUES (?, ?, ?, ?)',
    );
    this.updateEmail = db.prepare<[string, string]>('UPDATE centre_accounts SET email = ? WHERE contact_id = ?');
    this.setHash = db.prepare<[string, string, string]>('UPDATE centre_accounts SET password_hash = ?, password_changed_at = ? WHERE contact_id = ?');
    this.insertToken = db.prepare<[string, string, TokenKind, string, string]>(
      'INSERT INTO centre_tokens (token_hash, contact_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    );
    // A new link of a kind ends the earlier ones of that account.
    this.expireTokens = db.prepare<[string, string, TokenKind]>(
      'UPDATE centre_tokens SET used_at = ? WHERE contact_id = ? AND kind = ? AND used_at IS NULL',
    );
    this.expireAllTokens = db.prepare<[string, string]>('UPDATE centre_tokens SET used_at = ? WHERE contact_id = ? AND used_at IS NULL');
    // Single use: of two requests with the same link, only the one that marks it goes on.
    this.useToken = db.prepare<[string, string, string], { contactId: string; kind: TokenKind }>(
      `UPDATE centre_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
       RETURNING contact_id AS contactId, kind`,
    );
    this.pendingToken = db.prepare<[string, string], { contactId: string; kind: TokenKind }>(
      'SELECT contact_id AS contactId, kind FROM centre_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
    );
    this.countTokens = db.prepare<[string, TokenKind, string], number>(
      'SELECT count(*) FROM centre_tokens WHERE contact_id = ? AND kind = ? AND created_at > ?',
    ).pluck();
    this.insertSession = db.prepare(
      `INSERT INTO centre_sessions (token_hash, id, contact_id, created_at, expires_at, last_seen_at, address, user_agent)
       VALUES (@tokenHash, @id, @contactId, @createdAt, @expiresAt, @createdAt, @address, @userAgent)`,
    );
    this.findSession = db.prepare<[string, string], CentreSessionRow>(
      `SELECT token_hash AS tokenHash, id, contact_id AS contactId, created_at AS createdAt, expires_at AS expiresAt, last_seen_at AS lastSeenAt
       FROM centre_sessions WHERE token_hash = ? AND expires_at > ?`,
    );
    this.touchSession = db.prepare<[string, string]>('UPDATE centre_sessions SET last_seen_at = ? WHERE token_hash = ?');
    this.deleteSession = db.prepare<[string]>('DELETE FROM centre_sessions WHERE token_hash = ?');
    this.deleteSessionsOf = db.prepare<[string]>('DELETE FROM centre_sessions WHERE contact_id = ?');
    this.purgeSessions = db.prepare<[string, string]>('DELETE FROM centre_sessions WHERE expires_at <= ? OR last_seen_at <= ?');
    this.accountRecord = db.prepare<[string], CentreAccountRecord>(
      'SELECT email, created_at AS createdAt, invited_by AS invitedBy, password_changed_at AS passwordChangedAt FROM centre_accounts WHERE contact_id = ?',
    );
    this.sessionRecords = db.prepare<[string], CentreSessionRecord>(
      `SELECT created_at AS createdAt, last_seen_at AS lastSeenAt, expires_at AS expiresAt, address, user_agent AS userAgent
       FROM centre_sessions WHERE contact_id = ? ORDER BY created_at`,
    );
    this.sessionsOfContact = db.prepare<[string, string], CentreOwnSession>(
      `SELECT token_hash AS tokenHash, id, created_at AS createdAt, last_seen_at AS lastSeenAt, address, user_agent AS userAgent
       FROM centre_sessions WHERE contact_id = ? AND expires_at > ? ORDER BY created_at DESC`,
    );
    const forget = ['centre_sessions', 'centre_tokens', 'centre_accounts'].map((table) => db.prepare<[string]>(`DELETE FROM ${table} WHERE contact_id = ?`));
    this.forgetRows = (contactId: string): void => {
      for (const statement of forget) statement.run(contactId);
    };
  }

  get(contactId: string): CentreAccount | null {
    return this.byContact.get(contactId) ?? null;
  }

  byAddress(email: string): CentreAccount | null {
    return this.byEmail.get(email.trim()) ?? null;
  }

  /** The account of an invited contact, created at the first invitation; the address follows the contact's. */
  ensure(contactId: string, email: string, invitedBy: string | null, at: string): void {
    const existing = this.get(contactId);
    if (!existing) this.insertAccount.run(contactId, email, invitedBy, at);
    else if (existing.email !== email) this.updateEmail.run(email, contactId);
  }

  setPassword(contactId: string, hash: string, at: string): void {
    this.setHash.run(hash, at, contactId);
  }

  issueToken(contactId: string, kind: TokenKind, tokenHash: string, at: string, expiresAt: string): void {
    this.expireTokens.run(at, contactId, kind);
    this.insertToken.run(tokenHash, contactId, kind, at, expiresAt);
  }

  /** Uses a link: its account and kind, or null when it is unknown, used or expired. */
  useLink(tokenHash: string, at: string): { contactId: string; kind: TokenKind } | null {
    return this.useToken.get(at, tokenHash, at) ?? null;
  }

  /** A link not used yet and not expired, without using it. */
  pendingLink(tokenHash: string, now: string): { contactId: string; kind: TokenKind } | null {
    return this.pendingToken.get(tokenHash, now) ?? null;
  }

  tokensSince(contactId: string, kind: TokenKind, since: string): number {
    return this.countTokens.get(contactId, kind, since) ?? 0;
  }

  createSession(s: { tokenHash: string; id: string; contactId: string; createdAt: string; expiresAt: string; address: string | null; userAgent: string | null }): void {
    this.insertSession.run(s);
  }

  session(tokenHash: string, now: string): CentreSessionRow | null {
    return this.findSession.get(tokenHash, now) ?? null;
  }

  touch(tokenHash: string, at: string): void {
    this.touchSession.run(at, tokenHash);
  }

  endSession(tokenHash: string): void {
    this.deleteSession.run(tokenHash);
  }

  endSessionsOf(contactId: string): void {
    this.deleteSessionsOf.run(contactId);
  }

  /** Every link of the account not used yet ends (marked used at `at`). */
  expireLinksOf(contactId: string, at: string): void {
    this.expireAllTokens.run(at, contactId);
  }

  /** The account's address follows its contact's. */
  setAddress(contactId: string, email: string): void {
    this.updateEmail.run(email, contactId);
  }

  /** What the person may see of their account (a GDPR overview): never the password's hash. */
  record(contactId: string): CentreAccountRecord | null {
    return this.accountRecord.get(contactId) ?? null;
  }

  /** Their sessions as a GDPR overview shows them: never a token's hash. */
  sessionRecordsOf(contactId: string): CentreSessionRecord[] {
    return this.sessionRecords.all(contactId);
  }

  /** An anonymised person: their account, links and sessions go (the address with them). */
  forget(contactId: string): void {
    this.forgetRows(contactId);
  }

  purge(now: string, idleBefore: string): void {
    this.purgeSessions.run(now, idleBefore);
  }

  /** The account's sessions not expired at `now`, newest first (for the account page: the hash stays on the server). */
  sessionsOf(contactId: string, now: string): CentreOwnSession[] {
    return this.sessionsOfContact.all(contactId, now);
  }
}
