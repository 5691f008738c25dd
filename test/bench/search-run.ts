/**
 * Only the search metric, at 100,000 cases unless told (--cases N): `npx tsx test/bench/search-run.ts`.
 * A seeded server, one desk bootstrapped, then measureSearch (search.ts) as the full benchmark does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestServer } from '../support/server';
import { measureBootstrap, openDesk, submitLogin, untilSettled } from './desk';
import { measureSearch } from './search';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' } } });

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-search-bench-'));
  const server = await startTestServer({ cases, seed: 42, staticDir: join(root, 'renderer/dist') });
  try {
    const specialist = server.store.specialists.list().find((s) => s.active && s.role === 'specialist' && s.teams.length === 1 && s.teams[0] === 1);
    if (!specialist) throw new Error('no Team 1 specialist');
    const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
    const desk = await openDesk(join(profiles, 'a'));
    try {
      await submitLogin(desk.page, server.url, specialist.email, server.password);
      const boot = await measureBootstrap(desk.page, 600_000);
      await untilSettled(desk.page, dbName, 120_000);
      console.log(`${cases} cases bootstrapped in ${Math.round(boot.totalMs)} ms`);
      const s = await measureSearch(desk.context, desk.page, server.store.db, dbName);
      console.log(JSON.stringify({ search_p95_ms: Number(s.p95Ms.toFixed(1)), ...s }, null, 2));
    } finally {
      await desk.close();
    }
  } finally {
    await server.close();
    rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
