/** Looking at the SQLite file itself: checksums of the data, integrity, the change log. */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

/**
 * Tables left out of the data checksum, and why:
 * - audit_log: every successful read of personal data appends a row by design (that is the
 *   GDPR promise), so even a harmless, valid read changes it; refused requests are checked not
 *   to write it by the audit tests instead;
 * - sessions: a login adds a row and purges expired ones; it is credentials bookkeeping, not
 *   data a request could corrupt. (Login throttling lives in memory, not in a table.)
 * - server_state: facts the server compares at its start (the phone-switch token's hash), written
 *   by a start with another token.
 */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set(['audit_log', 'sessions', 'server_state']);

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function tables(db: Database.Database): string[] {
  return db
    .prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
    .pluck()
    .all()
    .filter((name) => !BOOKKEEPING_TABLES.has(name));
}

/**
 * A SHA-256 over every row of every data table (sqlite_sequence included: it holds the change
 * log's high-water mark), rows in a total order: by every column, so WITHOUT ROWID tables work too.
 */
export function dataChecksum(db: Database.Database): string {
  const hash = createHash('sha256');
  for (const table of tables(db)) {
    const columns = db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info(${`'${table.replace(/'/g, "''")}'`})`).all();
    const order = columns.map((_c, i) => String(i + 1)).join(', ');
    hash.update(`\u0000table ${table}\u0000`);
    for (const row of db.prepare(`SELECT * FROM ${quote(table)} ORDER BY ${order}`).raw().iterate()) {
      hash.update(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
      hash.update('\n');
    }
  }
  return hash.digest('hex');
}

export function integrityCheck(db: Database.Database): string {
  return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
}

export function foreignKeyProblems(db: Database.Database): number {
  return (db.pragma('foreign_key_check') as unknown[]).length;
}

/** The change log: how many rows, the highest seq, and the high-water mark SQLite keeps. */
export function changeLogShape(db: Database.Database): { rows: number; maxSeq: number; highWater: number } {
  const row = db.prepare<[], { rows: number; maxSeq: number | null }>('SELECT count(*) AS rows, max(seq) AS maxSeq FROM change_log').get();
  const highWater = db.prepare<[], number>(`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`).pluck().get() ?? 0;
  return { rows: row?.rows ?? 0, maxSeq: row?.maxSeq ?? 0, highWater };
}

/**
 * Opens the file with a connection of its own (the server may be running in another process:
 * WAL lets a reader in). Read-write, because after a crash the first connection replays the WAL.
 */
export function openFile(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true, timeout: 10_000 });
  db.pragma('foreign_keys = ON');
  return db;
}
