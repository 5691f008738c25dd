/**
 * The data folder holds every customer contact and the secrets of the server: only the server's
 * own user may read it. Folders are 0700, files 0600, whether the server creates them or finds
 * them from an older version (tightened at every start). Windows has no such modes: there the
 * calls change nothing and the folder's ACLs decide.
 */
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder (and missing parents) 0700, and makes an existing one 0700. */
export function securePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600; a missing one is left missing. */
export function securePrivateFile(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Creates an empty file 0600 unless it exists, so SQLite, which gives a database's -wal and -shm
 * files the mode of the database, never makes a readable one.
 */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  securePrivateFile(file);
}

/** The database file and its -wal, -shm and -journal companions, 0600. */
export function secureDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) securePrivateFile(`${file}${suffix}`);
}

/** What the server keeps in a data folder: the database and its companions and old copies, the phone-switch token. */
const SERVER_FILE = /^(desk\.sqlite.*|cti-token)$/;

/**
 * Tightens a data folder found as an older version left it: the folder and its `backups` folder
 * 0700, the server's own files in them 0600. Other entries are left alone (a data folder set to
 * a shared place must not have its neighbours' modes changed); the folder's 0700 already keeps
 * other users out of all of it. Symbolic links are not followed.
 */
export function tightenDataDir(dir: string): void {
  securePrivateDir(dir);
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const info = lstatSync(path);
    if (info.isFile() && SERVER_FILE.test(entry)) securePrivateFile(path);
    if (info.isDirectory() && entry === 'backups') {
      securePrivateDir(path);
      for (const backup of readdirSync(path)) {
        const file = join(path, backup);
        if (lstatSync(file).isFile()) securePrivateFile(file);
      }
    }
  }
}
