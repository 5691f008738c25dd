/**
 * Only the bootstrap storm, at 100,000 cases unless told: `npx tsx test/bench/storm-run.ts
 * [--cases N] [--desks 50] [--pushers 5] [--runs 3] [--limit 4]`. One seeded server; the storm
 * with the limit and without it, alternated (limit, none, limit, none, …) so that both see the
 * same machine, then the median of each. `--limit` is the server's DESK_BOOTSTRAP_CONCURRENCY.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_BOOTSTRAP_CONCURRENCY } from '../../server/http/limits';
import { startTestServer } from '../support/server';
import { measureStorm, medianStorm, stormLine, type StormResult } from './storm';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    desks: { type: 'string', default: '50' },
    pushers: { type: 'string', default: '5' },
    runs: { type: 'string', default: '3' },
    limit: { type: 'string', default: String(DEFAULT_BOOTSTRAP_CONCURRENCY) },
    'no-unlimited': { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const started = performance.now();
  const server = await startTestServer({ cases, seed: 42 });
  console.log(`seeded ${cases} cases in ${Math.round(performance.now() - started)} ms`);
  const limits = values['no-unlimited'] ? [Number(values.limit)] : [Number(values.limit), 0];
  const runs = new Map<number, StormResult[]>(limits.map((l) => [l, []]));
  try {
    for (let run = 0; run < Number(values.runs); run++) {
      for (const limit of limits) {
        const result = await measureStorm(server, { desks: Number(values.desks), pushers: Number(values.pushers), limit });
        runs.get(limit)?.push(result);
        console.log(`  run ${run + 1}, ${stormLine(result)}`);
      }
    }
    console.log('\nmedians:');
    for (const [, results] of runs) console.log(`  ${stormLine(medianStorm(results))}`);
    console.log(JSON.stringify(Object.fromEntries([...runs].map(([limit, results]) => [`limit_${limit}`, medianStorm(results)]))));
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
