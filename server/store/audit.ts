import type Database from 'better-sqlite3';
import type { AuditActionName } from '../../shared/admin';
import type { AuditEntry } from '../../shared/api';

export interface AuditFilter {
  specialistId?: string;
  contactId?: string;
  /** Admin actions about this account. */
  targetId?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Entries with a smaller id than this (paging backwards in time). */
  before?: number;
  limit: number;
  /** Leave these actions out (the admin view leaves out plain reads). */
  excludeActions?: readonly string[];
}

/** One audited action that is not (only) a read of contacts' data: an admin action, a restore. */
export interface AuditActionRow {
  at: string;
  /** Who did it; null for the server itself (a start, a restore). */
  specialistId: string | null;
  /** One of shared/admin.ts' lists (READ_AUDIT_ACTIONS, ADMIN_AUDIT_ACTIONS), never a free string. */
  action: AuditActionName;
  route: string;
  /** Whose personal data it processed, if anyone's. */
  contactId?: string | null;
  /** The account it was about, if any. */
  targetId?: string | null;
  /** What it changed or did (stored as JSON). */
  detail?: Record<string, unknown> | null;
}

interface AuditRow {
  id: number;
  at: string;
  specialist_id: string | null;
  contact_id: string | null;
  action: string;
  route: string;
  target_id: string | null;
  detail: string | null;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  specialistId: r.specialist_id,
  contactId: r.contact_id,
  action: r.action,
  route: r.route,
  targetId: r.target_id,
  detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
});

/** Who processed whose personal data, when, and how: the answer to "who saw this person's data". */
export class AuditRepo {
  private readonly insertRow;
  private readonly insertAction;

  constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare<[string, string | null, string | null, string, string]>(
      'INSERT INTO audit_log (at, specialist_id, contact_id, action, route) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertAction = db.prepare<[string, string | null, string | null, string, string, string | null, string | null]>(
      'INSERT INTO audit_log (at, specialist_id, contact_id, action, route, target_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** One row per contact, all in one transaction (joins the caller's transaction if there is one). */
  record(at: string, specialistId: string | null, contactIds: Iterable<string | null>, action: AuditActionName, route: string): void {
    this.db.transaction(() => {
      for (const contactId of contactIds) this.insertRow.run(at, specialistId, contactId, action, route);
    })();
  }

  /** One row for an action, with the account it was about and what it changed. */
  recordAction(entry: AuditActionRow): void {
    this.insertAction.run(
      entry.at,
      entry.specialistId,
      entry.contactId ?? null,
      entry.action,
      entry.route,
      entry.targetId ?? null,
      entry.detail === undefined || entry.detail === null ? null : JSON.stringify(entry.detail),
    );
  }

  query(filter: AuditFilter): AuditEntry[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const add = (clause: string, value: string | number | undefined): void => {
      if (value === undefined) return;
      where.push(clause);
      params.push(value);
    };
    add('specialist_id = ?', filter.specialistId);
    add('contact_id = ?', filter.contactId);
    add('target_id = ?', filter.targetId);
    add('action = ?', filter.action);
    add('at >= ?', filter.from);
    add('at < ?', filter.to);
    add('id < ?', filter.before);
    if (filter.excludeActions && filter.excludeActions.length > 0) {
      where.push('action NOT IN (SELECT value FROM json_each(?))');
      params.push(JSON.stringify(filter.excludeActions));
    }
    const sql = `SELECT id, at, specialist_id, contact_id, action, route, target_id, detail FROM audit_log
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db
      .prepare<Array<string | number>, AuditRow>(sql)
      .all(...params, filter.limit)
      .map(toEntry);
  }
}
