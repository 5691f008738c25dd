/**
 * Online backup and a safe restore of the server's database (`npm run backup`, see cli/backup.ts).
 *
 * Backup uses SQLite's online backup API (better-sqlite3's `db.backup()`) from a connection of
 * its own, so it runs while the server serves writes: WAL lets the copy read a consistent
 * snapshot while writers go on. All pages are copied in one step, which reads one snapshot; a
 * copy that a concurrent commit interrupts is restarted by SQLite itself. The copy is written to
 * a temporary name, checked (`PRAGMA integrity_check`), made a single self-contained file,
 * synced to disk, and only then renamed to its final name: a backup file that exists is whole.
 *
 * Restore never writes over a database in use. SQLite is asked for an exclusive lock on the
 * current file with no waiting: any other connection (a running server, a backup in progress,
 * the sqlite3 shell) makes it fail, and the restore is refused. Otherwise the current database
 * is checkpointed and kept beside the new one as `desk.sqlite.before-restore-<time>`, and the
 * backup is copied in under a temporary name and renamed into place. Stop the server first;
 * start it again afterwards. (A server started in the milliseconds between the check and the
 * rename would keep the old file open: restore is an operator's action on a stopped service.)
 *
 * Retention: a backup written under its generated name (into `<data dir>/backups` or a given
 * folder) deletes the oldest generated backups of that folder beyond `keep` (DESK_BACKUP_KEEP),
 * so a person's data does not outlive their anonymisation in old copies for ever.
 *
 * A restored database may hold contacts anonymised since the backup was taken: the restore
 * re-applies the data folder's anonymisation list (store/anonymisation-list.ts) before it
 * returns, and the server does so again at every start. A folder with no database and no list (a
 * test restore, a new machine) gets the list of the data folder named by `listFrom`; without
 * one the restore is refused unless `withoutList` says the list is lost. The replaced database
 * kept beside (`before-restore`) gets the list applied too, and such copies follow the backups'
 * retention: the newest `keep`, and none older than the oldest backup of a full keep window.
 */
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createPrivateFile, PRIVATE_DIR_MODE, securePrivateDir, securePrivateFile } from './file-modes';
import { AnonymisationList, KEY_FILE, LIST_FILE, reapplyAnonymisations } from './anonymisation-list';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { dataFile, openStore } from './store';

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface DatabaseFacts {
  file: string;
  bytes: number;
  schemaVersion: number;
  /** The newest change `seq` in the file: the point in history the copy holds. */
  latestSeq: number;
  cases: number;
}

export interface BackupResult extends DatabaseFacts {
  ms: number;
  /** Older backups deleted to keep `keep`. */
  pruned: string[];
}

/** How many generated backups a folder keeps when DESK_BACKUP_KEEP is not set. */
export const DEFAULT_BACKUP_KEEP = 14;

export interface RestoreResult extends DatabaseFacts {
  /** Where the database that was replaced now is (null when the folder had none). */
  previous: string | null;
  /** Contacts anonymised after the backup was taken, anonymised again from the anonymisation list. */
  reapplied: number;
}

/** "2026-03-02T07-00-00-000Z": sortable, and valid in file names on every system. */
const stamp = (now: Date): string => now.toISOString().replace(/[:.]/g, '-');
/** A backup's generated name (see `backupTarget`). */
const GENERATED = /^desk-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sqlite$/;

/** A database kept aside by a restore: `desk.sqlite.before-restore-<time>`. */
const RESTORE_COPY = /\.before-restore-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/;

/**
 * Deletes the data folder's before-restore copies beyond the newest `keep`, and those older
 * than `olderThan` (a time stamp); returns the deleted files.
 */
export function pruneRestoreCopies(dataDir: string, keep: number, olderThan?: string): string[] {
  const base = basename(dataFile(dataDir));
  const copies = readdirSync(dataDir)
    .filter((name) => name.startsWith(`${base}.`) && RESTORE_COPY.test(name))
    .sort((a, b) => (RESTORE_COPY.exec(a)?.[1] ?? '').localeCompare(RESTORE_COPY.exec(b)?.[1] ?? ''));
  const old = copies.filter((name, i) => i < copies.length - keep || (olderThan !== undefined && (RESTORE_COPY.exec(name)?.[1] ?? '') < olderThan));
  const files = old.map((name) => join(dataDir, name));
  for (const file of files) for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  return files;
}

/** Deletes the oldest generated backups in the folder beyond `keep`; returns the deleted files. */
export function pruneBackups(folder: string, keep: number): string[] {
  if (!Number.isInteger(keep) || keep < 1) throw new BackupError(`keep must be a whole number of at least 1, not ${keep}`);
  const generated = readdirSync(folder).filter((name) => GENERATED.test(name)).sort();
  const old = generated.slice(0, Math.max(0, generated.length - keep)).map((name) => join(folder, name));
  for (const file of old) rmSync(file, { force: true });
  return old;
}

/** The file and its folder entry on disk before anyone is told it exists. */
function syncToDisk(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    const dir = openSync(dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Folders cannot be opened for syncing on every platform (Windows); the rename is still atomic.
  }
}

/** Checks a copy and turns it into one self-contained file (no WAL beside it). */
function finishCopy(file: string): DatabaseFacts {
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    if (integrity !== 'ok') throw new BackupError(`the copy failed its integrity check: ${integrity}`);
    db.pragma('journal_mode = DELETE');
    return factsOf(db, file);
  } finally {
    db.close();
  }
}

function factsOf(db: Database.Database, file: string): DatabaseFacts {
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  const tables = new Set(db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all());
  if (!tables.has('cases') || !tables.has('change_log')) throw new BackupError(`${file} is not a Desk database`);
  return {
    file,
    bytes: statSync(file).size,
    schemaVersion,
    latestSeq: db.prepare<[], number>(`SELECT seq FROM sqlite_sequence WHERE name = 'change_log'`).pluck().get() ?? 0,
    cases: db.prepare<[], number>('SELECT count(*) FROM cases').pluck().get() ?? 0,
  };
}

/**
 * Copies `source` to `target` with the online backup API, in one step. A live database is opened
 * read-write (a read-only connection cannot open a WAL database whose server has stopped and
 * removed its shared-memory file); a backup file being restored is only read.
 */
async function copyDatabase(source: string, target: string, readonly: boolean): Promise<void> {
  const db = new Database(source, { fileMustExist: true, timeout: 10_000, readonly });
  try {
    await db.backup(target, { progress: ({ totalPages }) => Math.max(totalPages, 100) });
  } finally {
    db.close();
  }
}

/** Where a backup goes: the given file, a timestamped file in the given folder, or in `<data dir>/backups`. */
function backupTarget(dataDir: string, target: string | undefined, now: Date): string {
  const name = `desk-${stamp(now)}.sqlite`;
  if (target === undefined) return join(dataDir, 'backups', name);
  const resolved = resolve(target);
  if ((existsSync(resolved) && statSync(resolved).isDirectory()) || /[/\\]$/.test(target)) return join(resolved, name);
  if (existsSync(resolved)) throw new BackupError(`${resolved} exists: a backup never overwrites a file`);
  return resolved;
}

/**
 * An online backup of the data folder's database; safe while the server runs. Written under a
 * generated name, it then keeps the newest `keep` generated backups of its folder.
 */
export async function backupDataDir(dataDir: string, target?: string, now: Date = new Date(), keep: number = DEFAULT_BACKUP_KEEP): Promise<BackupResult> {
  const started = Date.now();
  const source = dataFile(dataDir);
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source}`);
  const file = backupTarget(dataDir, target, now);
  // A backup holds every customer contact: its folder 0700 (the data folder's own backups folder
  // is tightened if it exists; a folder the operator names is only created that way) and the file 0600.
  if (target === undefined) securePrivateDir(dirname(file));
  else mkdirSync(dirname(file), { recursive: true, mode: PRIVATE_DIR_MODE });
  const partial = `${file}.partial-${process.pid}`;
  try {
    createPrivateFile(partial);
    await copyDatabase(source, partial, false);
    const facts = finishCopy(partial);
    syncToDisk(partial);
    securePrivateFile(partial);
    renameSync(partial, file);
    syncToDisk(file);
    const pruned = GENERATED.test(basename(file)) ? pruneBackups(dirname(file), keep) : [];
    if (target === undefined) {
      // A full keep window of backups: databases kept aside by restores before it age out with them.
      const kept = readdirSync(dirname(file)).filter((name) => GENERATED.test(name)).sort();
      const oldest = kept.length >= keep ? /^desk-(.*)\.sqlite$/.exec(kept[0] ?? '')?.[1] : undefined;
      pruned.push(...pruneRestoreCopies(dataDir, keep, oldest));
    }
    return { ...facts, file, ms: Date.now() - started, pruned };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/** Refuses when any other connection has the database open, by asking SQLite for an exclusive lock without waiting. */
function assertNotInUse(file: string): void {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch (error) {
    throw new BackupError(`cannot open ${file}: ${(error as Error).message}`);
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    // Everything still in the WAL goes into the file that is kept aside.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(`${file} is in use (a running server?): stop it before restoring`);
    }
    throw error;
  } finally {
    db.close();
  }
}

/** Checks that a file is a whole Desk database this server can open. */
function checkBackup(file: string): DatabaseFacts {
  if (!existsSync(file)) throw new BackupError(`there is no backup at ${file}`);
  const db = new Database(file, { fileMustExist: true, readonly: true });
  try {
    const integrity = (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    if (integrity !== 'ok') throw new BackupError(`${file} failed its integrity check: ${integrity}`);
    const facts = factsOf(db, file);
    if (facts.schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new BackupError(`${file} has schema version ${facts.schemaVersion}; this server knows up to ${LATEST_SCHEMA_VERSION}`);
    }
    return facts;
  } finally {
    db.close();
  }
}

export interface RestoreOptions {
  /** How many before-restore copies to keep (DESK_BACKUP_KEEP). */
  keep?: number;
  /** A data folder whose anonymisation list (and key) to copy into a folder that has none. */
  listFrom?: string;
  /** Restore into a folder with no database and no list all the same (the list is lost). */
  withoutList?: boolean;
}

/**
 * Makes sure the folder has the anonymisation list a restore must apply. A folder that has held
 * a database keeps its own (none: nobody was anonymised there). A new folder gets the list of
 * `listFrom`, or the restore is refused unless `withoutList`: otherwise people anonymised
 * since the backup would come back there.
 */
function provideList(dataDir: string, options: RestoreOptions): void {
  if (existsSync(join(dataDir, LIST_FILE)) || existsSync(dataFile(dataDir))) return;
  if (options.listFrom === undefined) {
    if (options.withoutList) return;
    throw new BackupError(
      `${dataDir} has no anonymisation list (${LIST_FILE}): restored there, people anonymised since the backup would come back. ` +
        `Give the data folder the backup came from with --list-from <folder>, or --no-anonymisation-list if that list is lost`,
    );
  }
  const from = resolve(options.listFrom);
  if (!existsSync(join(from, LIST_FILE))) {
    if (existsSync(dataFile(from))) return; // A data folder where nobody was anonymised.
    throw new BackupError(`${from} is not a Desk data folder: it has neither ${LIST_FILE} nor a database`);
  }
  if (existsSync(join(dataDir, KEY_FILE))) throw new BackupError(`${dataDir} has a ${KEY_FILE} of its own: move it away to bring the list of ${from}`);
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  for (const name of [KEY_FILE, LIST_FILE]) {
    if (!existsSync(join(from, name))) continue;
    copyFileSync(join(from, name), join(dataDir, name), constants.COPYFILE_EXCL);
    securePrivateFile(join(dataDir, name));
  }
}

/** Applies the anonymisation list to a database file and leaves it one self-contained file. */
function applyList(file: string, list: AnonymisationList, now: Date): number {
  const store = openStore(file);
  try {
    const reapplied = reapplyAnonymisations(store, now, list).length;
    store.db.pragma('journal_mode = DELETE');
    return reapplied;
  } finally {
    store.close();
  }
}

/** Restores a backup as the data folder's database; refused while anything has the current one open. */
export async function restoreDataDir(backupFile: string, dataDir: string, now: Date = new Date(), options: RestoreOptions = {}): Promise<RestoreResult> {
  const source = resolve(backupFile);
  const target = dataFile(resolve(dataDir));
  if (source === target) throw new BackupError('the backup is the database it would replace');
  checkBackup(source);
  provideList(dirname(target), options);
  securePrivateDir(dirname(target));
  const partial = `${target}.restoring-${process.pid}`;
  try {
    createPrivateFile(partial);
    // Copied before the current database is touched: a failed copy leaves everything as it was.
    await copyDatabase(source, partial, true);
    const facts = finishCopy(partial);
    syncToDisk(partial);
    let previous: string | null = null;
    if (existsSync(target)) {
      assertNotInUse(target);
      previous = `${target}.before-restore-${stamp(now)}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(`${target}${suffix}`)) renameSync(`${target}${suffix}`, `${previous}${suffix}`);
      }
    }
    securePrivateFile(partial);
    renameSync(partial, target);
    syncToDisk(target);
    // One self-contained file again, as the copy was: the server turns WAL on when it starts.
    const list = new AnonymisationList(dirname(target));
    const reapplied = applyList(target, list, now);
    if (previous !== null) {
      // The database kept aside holds nobody on the list either, or it is not kept.
      try {
        applyList(previous, list, now);
      } catch {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${previous}${suffix}`, { force: true });
        previous = null;
      }
      pruneRestoreCopies(dirname(target), options.keep ?? DEFAULT_BACKUP_KEEP);
    }
    return { ...facts, file: target, previous, reapplied };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
