/**
 * Only the bootstrap, at 100,000 cases unless told (--cases N, --runs R):
 * `npx tsx test/bench/bootstrap-run.ts`. A seeded server, then R Team 1 desks (fresh profiles)
 * bootstrapped one after the other into headless Chromium, each measured as the full benchmark
 * does (measureBootstrap, then raw IndexedDB over the same rows and the storage used), with the
 * bootstrap pages the desk asked for. Build the desk first (npm run build:web).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROUTES } from '../../shared/api';
import { startTestServer } from '../support/server';
import { measureBootstrap, openDesk, rawIdbRowsPerSecond, storageMb, submitLogin, untilSettled } from './desk';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '2' } } });

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-boot-bench-'));
  const server = await startTestServer({ cases, seed: 42, staticDir: join(root, 'renderer/dist') });
  try {
    const specialist = server.store.specialists.list().find((s) => s.active && s.role === 'specialist' && s.teams.length === 1 && s.teams[0] === 1);
    if (!specialist) throw new Error('no Team 1 specialist');
    const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
    for (let run = 0; run < Number(values.runs); run++) {
      const desk = await openDesk(join(profiles, `run-${run}`));
      try {
        let pages = 0;
        desk.page.on('request', (r) => {
          if (new URL(r.url()).pathname === ROUTES.bootstrap) pages++;
        });
        await submitLogin(desk.page, server.url, specialist.email, server.password);
        const boot = await measureBootstrap(desk.page, 600_000);
        await untilSettled(desk.page, dbName, 120_000);
        const storage = await storageMb(desk.page);
        const raw = await rawIdbRowsPerSecond(desk.page, dbName);
        const ours = raw.rows / (boot.totalMs / 1000);
        console.log(
          JSON.stringify({
            run,
            cases,
            pages,
            first_page_ms: Math.round(boot.firstPageMs),
            total_ms: Math.round(boot.totalMs),
            longest_task_ms: Math.round(boot.longestTaskMs),
            vs_raw_idb: Number((ours / raw.rowsPerSecond).toFixed(2)),
            raw_rows_per_s: Math.round(raw.rowsPerSecond),
            storage_mb: Number(storage.toFixed(1)),
          }),
        );
      } finally {
        await desk.close();
      }
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
