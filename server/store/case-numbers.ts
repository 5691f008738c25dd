import type Database from 'better-sqlite3';
import type { NumberBlock } from '../../shared/api';

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
  private readonly unused;

  constructor(private readonly db: Database.Database) {
    this.current = db.prepare<[], number>(`SELECT value FROM counters WHERE name = 'case_number'`).pluck();
    this.advance = db.prepare<[number]>(`UPDATE counters SET value = ? WHERE name = 'case_number'`);
    this.insertBlock = db.prepare<[string, number, number, string]>(
      'INSERT INTO number_blocks (client_id, from_number, to_number, leased_at) VALUES (?, ?, ?, ?)',
    );
    this.leased = db
      .prepare<[string, number, number], string>(
        'SELECT leased_at FROM number_blocks WHERE client_id = ? AND from_number <= ? AND to_number >= ?',
      )
      .pluck();
    // Numbers in this desk's blocks that no case took: the blocks' sizes less the cases numbered from them.
    this.unused = db
      .prepare<[string, string], number>(
        `SELECT coalesce(sum(b.to_number - b.from_number + 1), 0)
           - (SELECT count(*) FROM number_blocks b2 JOIN cases c ON c.number BETWEEN b2.from_number AND b2.to_number WHERE b2.client_id = ?)
         FROM number_blocks b WHERE b.client_id = ?`,
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

  /** How many numbers leased to this desk no case has taken yet. */
  outstanding(clientId: string): number {
    return this.unused.get(clientId, clientId) ?? 0;
  }

  /** When the block holding number `n` was leased to this desk; null when it was not. */
  leasedAt(clientId: string, n: number): string | null {
    return this.leased.get(clientId, n, n) ?? null;
  }
}
