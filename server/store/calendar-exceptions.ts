import type Database from 'better-sqlite3';
import type { CalendarException } from '../../shared/calendarExceptions';
import { fromJsonOrNull, idList } from './json';

const EXCEPTION_JSON = `json_object(
  'id', x.id, 'office', x.office, 'date', x.date, 'kind', x.kind, 'closesAt', x.closes_at, 'note', x.note,
  'createdAt', x.created_at, 'createdBy', x.created_by, 'deletedAt', x.deleted_at)`;

/** Offices' calendar exceptions; a removed one stays as a tombstone so every desk drops it too. */
export class CalendarExceptionRepo {
  private readonly insertRow;
  private readonly deleteRow;
  private readonly byId;
  private readonly allRows;
  private readonly byIds;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare(
      `INSERT INTO calendar_exceptions (id, office, date, kind, closes_at, note, created_at, created_by)
       VALUES (@id, @office, @date, @kind, @closesAt, @note, @createdAt, @createdBy)`,
    );
    this.deleteRow = db.prepare<[string, string, string]>('UPDATE calendar_exceptions SET deleted_at = ?, deleted_by = ? WHERE id = ? AND deleted_at IS NULL');
    this.byId = db.prepare<[string], string>(`SELECT ${EXCEPTION_JSON} FROM calendar_exceptions x WHERE x.id = ?`).pluck();
    this.allRows = db.prepare<[], string>(`SELECT ${EXCEPTION_JSON} FROM calendar_exceptions x ORDER BY x.date, x.created_at`).pluck();
    this.byIds = db.prepare<[string], string>(`SELECT ${EXCEPTION_JSON} FROM calendar_exceptions x WHERE x.id IN (SELECT value FROM json_each(?))`).pluck();
  }

  insert(e: CalendarException): void {
    this.insertRow.run({ id: e.id, office: e.office, date: e.date, kind: e.kind, closesAt: e.closesAt, note: e.note, createdAt: e.createdAt, createdBy: e.createdBy });
  }

  get(id: string): CalendarException | null {
    return fromJsonOrNull<CalendarException>(this.byId.get(id));
  }

  /** Marks it removed; false when it was removed already. */
  remove(id: string, at: string, by: string): boolean {
    return this.deleteRow.run(at, by, id).changes === 1;
  }

  /** Every exception, removed ones included (few: a handful a year per office). */
  all(): CalendarException[] {
    return this.allRows.all().map((j) => JSON.parse(j) as CalendarException);
  }

  allJson(): string[] {
    return this.allRows.all();
  }

  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.byIds.all(idList(ids));
  }
}
