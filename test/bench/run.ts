/**
 * `npm run bench`: the benchmark at 100,000 cases (docs/performance.md). Prints the table and writes
 * test/bench/results/latest.json. Options for exploring: --cases N, --push-seconds S.
 * Missed targets are reported (MISSED), not turned into an exit code; a metric that could not
 * be measured is an error.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FULL, runBench } from './bench';
import { describeMachine } from './machine';
import { formatTable, METRICS } from './metrics';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const staticDir = join(root, 'renderer/dist');

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: String(FULL.cases) },
    'push-seconds': { type: 'string', default: String(FULL.pushSeconds) },
  },
});

async function main(): Promise<void> {
  // Always built from the source at hand: a build left over from older code would be measured
  // in its place without a word.
  console.log('building the desk (renderer/dist)…');
  const built = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('the desk did not build');
  const result = await runBench({
    ...FULL,
    cases: Number(values.cases),
    pushSeconds: Number(values['push-seconds']),
    staticDir,
    log: (line) => console.log(`  ${line}`),
  });
  const unmeasured = METRICS.filter((m) => !Number.isFinite(result.metrics[m.name])).map((m) => m.name);
  const machine = describeMachine(result.chromium);
  console.log(`\n${machine}\n\n${formatTable(result.metrics)}\n`);
  console.log(JSON.stringify(result.details));
  // Only a run at the size is "the" result; a smaller exploratory run gets its own file.
  const out = join(root, 'test/bench/results', Number(values.cases) === FULL.cases ? 'latest.json' : `cases-${values.cases}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ machine, date: new Date().toISOString(), metrics: result.metrics }, null, 2)}\n`);
  console.log(`written ${out}`);
  if (unmeasured.length > 0) throw new Error(`not measured: ${unmeasured.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
