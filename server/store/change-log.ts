import type Database from 'better-sqlite3';
import type { Entities } from '../../shared/api';
import type { NumberBlock } from '../../shared/api';

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

/** (clientId, mutationId) of every applied mutation: a replay is recognised, not applied twice. */
export class MutationLog {
  private readonly exists;
  private readonly insertRow;

  constructor(db: Database.Database) {
    this.exists = db
      .prepare<[string, number], number>('SELECT count(*) FROM applied_mutations WHERE client_id = ? AND mutation_id = ?')
      .pluck();
    this.insertRow = db.prepare<[string, number, string]>(
      'INSERT INTO applied_mutations (client_id, mutation_id, applied_at) VALUES (?, ?, ?)',
    );
  }

  isApplied(clientId: string, mutationId: number): boolean {
    return (this.exists.get(clientId, mutationId) ?? 0) > 0;
  }

  record(clientId: string, mutationId: number, at: string): void {
    this.insertRow.run(clientId, mutationId, at);
  }
}

/**
 * Case numbers come from one global counter (hi/lo allocation): a desk leases a block of
 * consecutive numbers and creates cases from it offline, and server-side registration (demo
 * data, a future portal or e-mail intake) takes numbers from the same counter. A number is thus
 * handed out once, whoever uses it, and desks never collide even when they work offline.
 */
export class CaseNumbers {
  private readonly current;
  private readonly advance;
  private readonly insertBlock;
  private readonly leased;

  constructor(private readonly db: Database.Database) {
    this.current = db.prepare<[], number>(`SELECT value FROM counters WHERE name = 'case_number'`).pluck();
    this.advance = db.prepare<[number]>(`UPDATE counters SET value = ? WHERE name = 'case_number'`);
    this.insertBlock = db.prepare<[string, number, number, string]>(
      'INSERT INTO number_blocks (client_id, from_number, to_number, leased_at) VALUES (?, ?, ?, ?)',
    );
    this.leased = db
      .prepare<[string, number, number], number>(
        'SELECT count(*) FROM number_blocks WHERE client_id = ? AND from_number <= ? AND to_number >= ?',
      )
      .pluck();
  }

  /** Takes `count` numbers off the counter; the first of them is returned. */
  take(count: number): number {
    return this.db.transaction(() => {
      const first = this.current.get() ?? 1;
      this.advance.run(first + count);
      return first;
    })();
  }

  lease(clientId: string, size: number, at: string): NumberBlock {
    return this.db.transaction(() => {
      const from = this.take(size);
      const block = { from, to: from + size - 1 };
      this.insertBlock.run(clientId, block.from, block.to, at);
      return block;
    })();
  }

  isLeasedTo(clientId: string, n: number): boolean {
    return (this.leased.get(clientId, n, n) ?? 0) > 0;
  }
}
