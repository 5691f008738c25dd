import type Database from 'better-sqlite3';
import type { AuditEntry } from '../../shared/api';

export interface AuditFilter {
  specialistId?: string;
  contactId?: string;
  action?: string;
  from?: string;
  to?: string;
  /** Entries with a smaller id than this (paging backwards in time). */
  before?: number;
  limit: number;
}

interface AuditRow {
  id: number;
  at: string;
  specialist_id: string | null;
  contact_id: string | null;
  action: string;
  route: string;
}

const toEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  specialistId: r.specialist_id,
  contactId: r.contact_id,
  action: r.action,
  route: r.route,
});

/** Who processed whose personal data, when, and how: the answer to "who saw this person's data". */
export class AuditRepo {
  private readonly insertRow;

  constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare<[string, string | null, string | null, string, string]>(
      'INSERT INTO audit_log (at, specialist_id, contact_id, action, route) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** One row per contact, all in one transaction (joins the caller's transaction if there is one). */
  record(at: string, specialistId: string | null, contactIds: Iterable<string | null>, action: string, route: string): void {
    this.db.transaction(() => {
      for (const contactId of contactIds) this.insertRow.run(at, specialistId, contactId, action, route);
    })();
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
    add('action = ?', filter.action);
    add('at >= ?', filter.from);
    add('at < ?', filter.to);
    add('id < ?', filter.before);
    const sql = `SELECT id, at, specialist_id, contact_id, action, route FROM audit_log
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.db
      .prepare<Array<string | number>, AuditRow>(sql)
      .all(...params, filter.limit)
      .map(toEntry);
  }
}
