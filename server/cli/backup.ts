/**
 * `npm run backup` — the database of DESK_DATA_DIR (as `npm run server` reads it):
 *
 *   npm run backup                          online backup to <data dir>/backups/desk-<time>.sqlite
 *   npm run backup -- <file or folder>      …to that file (never overwritten) or into that folder
 *   npm run backup -- --restore <backup>    restore a backup as the data folder's database
 *     [--list-from <data folder>]           …into a new folder, with that folder's anonymisation list
 *     [--no-anonymisation-list]             …into a new folder whose list is lost
 *
 * A backup is safe while the server runs and serves writes. A restore is refused while the
 * server (or anything else) has the database open: stop the server, restore, start it again.
 * The replaced database is kept beside the new one as desk.sqlite.before-restore-<time>, with the
 * anonymisation list applied; the newest DESK_BACKUP_KEEP such copies are kept, and none older
 * than the oldest backup once the backups folder holds that many.
 * To try a backup without touching production, restore it into another folder with the
 * production folder's anonymisation list
 * (`DESK_DATA_DIR=/tmp/check npm run backup -- --restore <backup> --list-from <data dir>`) and
 * start a server there. A restore into a folder that has neither a database nor the list is
 * refused without one of the two options: people anonymised since the backup would come back.
 * The backup is the database only: a generated phone-switch token (`cti-token` in the data
 * folder) is a secret kept apart; set DESK_CTI_TOKEN, or keep that file, on a restored server.
 * So are the anonymisation list and its key (`anonymised.jsonl`, `anonymisation-key`): a restore
 * anonymises again every contact on it, so a backup from before an anonymisation does not bring
 * the person back. A backup keeps the newest DESK_BACKUP_KEEP (default 14) generated backups of
 * its folder and deletes older ones.
 *
 * Prints one JSON line (as the server's log); exit code 0 on success, 1 on failure, 2 on misuse.
 */
import { parseArgs } from 'node:util';
import { backupDataDir, restoreDataDir } from '../store/backup';
import { ConfigError, loadConfig } from './config';

function log(msg: string, fields: Record<string, unknown>, level: 'info' | 'error' = 'info'): void {
  process.stdout.write(`${JSON.stringify({ level: level === 'info' ? 30 : 50, time: Date.now(), msg, ...fields })}\n`);
}

const USAGE = 'usage: npm run backup [-- <file or folder>] | npm run backup -- --restore <backup file> [--list-from <data folder> | --no-anonymisation-list]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: {
        restore: { type: 'string' },
        'list-from': { type: 'string' },
        'no-anonymisation-list': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      }, allowPositionals: true });
  } catch (error) {
    log('bad arguments', { error: (error as Error).message, usage: USAGE }, 'error');
    return 2;
  }
  if (args.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const listOptions = args.values['list-from'] !== undefined || args.values['no-anonymisation-list'] === true;
  if (
    args.positionals.length > 1 ||
    (args.values.restore !== undefined && args.positionals.length > 0) ||
    (args.values.restore === undefined && listOptions) ||
    (args.values['list-from'] !== undefined && args.values['no-anonymisation-list'] === true)
  ) {
    log('bad arguments', { usage: USAGE }, 'error');
    return 2;
  }
  // Backups and restored databases are for the server's user only (0600 files, 0700 folders).
  process.umask(0o077);
  const { dataDir, backupKeep } = loadConfig();
  if (args.values.restore !== undefined) {
    const restored = await restoreDataDir(args.values.restore, dataDir, new Date(), {
      keep: backupKeep,
      listFrom: args.values['list-from'],
      withoutList: args.values['no-anonymisation-list'] === true,
    });
    log('backup restored', { from: args.values.restore, ...restored, note: 'start the server to serve the restored data' });
  } else {
    const written = await backupDataDir(dataDir, args.positionals[0], new Date(), backupKeep);
    log('backup written', { dataDir, ...written });
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof ConfigError ? `configuration: ${error.message}` : error instanceof Error ? error.message : String(error);
    log('backup failed', { error: message }, 'error');
    process.exitCode = 1;
  },
);
