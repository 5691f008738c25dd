import Database from 'better-sqlite3';
import { createPrivateFile, secureDatabaseFiles } from './file-modes';
import { migrate } from './migrations';

/**
 * Opens (or creates) the database file and brings its schema up to date.
 *
 * Durability: `synchronous = FULL`. In WAL mode NORMAL only syncs the WAL at checkpoints, so a
 * power cut can lose the last transactions after the client was told "applied"; the desk then
 * drops that mutation from its outbox and the edit is gone. FULL fsyncs the WAL on every
 * commit, so an acknowledged mutation survives a crash of the process and of the machine.
 * The cost is one fsync per commit, which is why a push applies its whole batch in one
 * transaction (a savepoint per mutation) and answers only after that commit.
 *
 * The file is created 0600 before SQLite opens it (SQLite gives -wal and -shm the database's
 * mode), and an existing one is tightened to 0600: the database holds every customer contact.
 */
export function openDatabase(file: string): Database.Database {
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) createPrivateFile(file);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed in the file, not left in free space: an
    // anonymised contact's old row (and its index entries) cannot be read back from the file.
    db.pragma('secure_delete = ON');
    // Readers in other processes (the backup tool, sqlite3 CLI) may briefly hold locks.
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -65536');
    migrate(db);
    if (onDisk) secureDatabaseFiles(file);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
