/**
 * `npm run import -- --file export.csv [--dry-run] [--data <dir>]`: imports customers, contacts,
 * SuperUsers and payment status from an ERP/CRM export (CSV or JSON, see server/import/) into
 * the store in DESK_DATA_DIR (default ./.desk-data), and prints the report. Exit code 1 when rows
 * were rejected (the valid ones are imported), 2 when the file could not be read at all.
 * Desks see the changes at their next pull (a running server's live poke is not sent from here).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatOf, ImportFileError } from '../import/parse';
import { formatReport } from '../import/report';
import { runImport } from '../import/run';
import { tightenDataDir } from '../store/file-modes';
import { dataFile, openStore } from '../store/store';

export function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      file: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      data: { type: 'string' },
    },
  });
  if (!values.file) {
    console.error('usage: npm run import -- --file export.csv [--dry-run] [--data <dir>]');
    return 2;
  }
  const text = readFileSync(resolve(values.file), 'utf8');
  const dataDir = resolve(values.data ?? process.env.DESK_DATA_DIR ?? './.desk-data');
  tightenDataDir(dataDir);
  const store = openStore(dataFile(dataDir));
  try {
    const report = runImport(store, { text, format: formatOf(values.file, text) }, { dryRun: values['dry-run'], now: new Date(), specialistId: null, route: 'cli' });
    console.log(formatReport(report));
    return report.rejected.length > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ImportFileError)) throw e;
    console.error(`${values.file}${e.line === null ? '' : `:${e.line}`}: ${e.message}`);
    return 2;
  } finally {
    store.close();
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 2;
}
