/**
 * Only the reports' metric, at 100,000 cases unless told (--cases N): `npx tsx test/bench/report-run.ts`.
 * A seeded server (no desk), then measureReports (report.ts) as the full benchmark does.
 */
import { parseArgs } from 'node:util';
import { startTestServer } from '../support/server';
import { measureReports } from './report';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' } } });

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const started = performance.now();
  const server = await startTestServer({ cases, seed: 42 });
  console.log(`seeded ${cases} cases in ${Math.round(performance.now() - started)} ms`);
  try {
    const r = await measureReports(server);
    console.log(JSON.stringify({ report_year_ms: r.slowestMs, ...r }, null, 2));
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
