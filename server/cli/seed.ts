/**
 * `npm run seed -- --cases 100000 --seed 42 [--data-dir DIR]`: writes deterministic demo data
 * into an empty store in DESK_DATA_DIR (default ./.desk-data).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_DEMO_SEED, seedDemoData } from '../demo/seed';
import { tightenDataDir } from '../store/file-modes';
import { dataFile, openStore } from '../store/store';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '5000' },
      seed: { type: 'string', default: String(DEFAULT_DEMO_SEED) },
      'data-dir': { type: 'string' },
    },
  });
  const cases = Number(values.cases);
  const seed = Number(values.seed);
  if (!Number.isInteger(cases) || cases < 0 || cases > 1_000_000) throw new Error('--cases must be a whole number from 0 to 1000000');
  if (!Number.isInteger(seed)) throw new Error('--seed must be a whole number');
  const dataDir = resolve(values['data-dir'] ?? process.env.DESK_DATA_DIR ?? './.desk-data');
  tightenDataDir(dataDir);
  const file = dataFile(dataDir);
  const store = openStore(file);
  try {
    if (!store.isEmpty()) throw new Error(`${file} already holds data: seed into an empty data folder`);
    const started = performance.now();
    const summary = await seedDemoData(store, { cases, seed });
    const seconds = (performance.now() - started) / 1000;
    console.log(`Seeded ${file} in ${seconds.toFixed(1)} s (${Math.round(cases / seconds)} cases/s):`);
    console.log(summary);
  } finally {
    store.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
