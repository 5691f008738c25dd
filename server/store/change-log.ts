import type Database from 'better-sqlite3';
import type { Entities } from '../../shared/api';

export type EntityName = keyof Entities;
export type ChangeRow = [seq: number, entity: EntityName, entityId: string];

/**
 * The global change sequence. A row is written in the same transaction as the change it
 * records; better-sqlite3 runs one transaction at a time on one connection, so commit order is
 * seq order and a reader never sees seq N+1 without seq N.
 */
export class ChangeLog {
  private readonly insertRow;
  private readonly latest;
  private readonly rangeRows;

  constructor(db: Database.Database) {
    this.insertRow = db.prepare<[string, string]>('INSERT INTO change_log (entity, entity_id) VALUES (?, ?)');
    // sqlite_sequence keeps the high-water mark even if old rows are ever pruned.
    this.latest = db.prepare<[], number>(`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`).pluck();
    this.rangeRows = db
      .prepare<[number, number], ChangeRow>('SELECT seq, entity, entity_id FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?')
      .raw();
  }

  record(entity: EntityName, entityId: string): number {
    return Number(this.insertRow.run(entity, entityId).lastInsertRowid);
  }

  latestSeq(): number {
    return this.latest.get() ?? 0;
  }

  after(seq: number, limit: number): ChangeRow[] {
    return this.rangeRows.all(seq, limit);
  }
}
