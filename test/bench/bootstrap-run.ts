/**
 * Only the bootstrap, at 100,000 cases unless told (--cases N, --runs R, --static DIR
 * for another build of the desk):
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
import './probe';
import { startTestServer } from '../support/server';
import { openDesk, rawIdbRowsPerSecond, storageMb, submitLogin, untilSettled } from './desk';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '2' }, static: { type: 'string' } } });

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-boot-bench-'));
  const server = await startTestServer({ cases, seed: 42, staticDir: values.static ?? join(root, 'renderer/dist') });
  try {
    const specialist = server.store.specialists.list().find((s) => s.active && s.role === 'specialist' && s.teams.length === 1 && s.teams[0] === 1);
    if (!specialist) throw new Error('no Team 1 specialist');
    const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
    for (let run = 0; run < Number(values.runs); run++) {
      const desk = await openDesk(join(profiles, `run-${run}`));
      try {
        let pages = 0;
        let lastPageAt = 0;
        const started = Date.now();
        desk.page.on('response', (r) => {
          if (new URL(r.url()).pathname !== ROUTES.bootstrap) return;
          pages++;
          lastPageAt = Date.now() - started;
          if (r.status() !== 200 || process.env.BOOT_LOG) console.log(`  page ${pages}: ${r.status()} at ${lastPageAt} ms`);
        });
        if (process.env.BOOT_LOG) {
          desk.page.on('console', (m) => console.log(`  console.${m.type()}: ${m.text().slice(0, 300)}`));
          desk.page.on('pageerror', (e) => console.log(`  pageerror: ${e.message.slice(0, 300)}`));
        }
        await submitLogin(desk.page, server.url, specialist.email, server.password);
        // Not measureBootstrap: it waits for the first queue row first (see the report of issue 20).
        const boot = await desk.page.evaluate(async (timeout) => {
          const probe = window.__deskBench;
          const synced = await probe.until('synced', timeout);
          const start = probe.submitAt ?? 0;
          const during = probe.longTasks.filter((t) => t.start + t.duration >= start && t.start <= synced.paintedAt);
          return { firstPageMs: probe.seen.firstRow ? probe.seen.firstRow.paintedAt - start : NaN, totalMs: synced.paintedAt - start, longestTaskMs: Math.max(0, ...during.map((t) => t.duration)) };
        }, 600_000);
        await untilSettled(desk.page, dbName, 120_000);
        const storage = await storageMb(desk.page);
        const raw = await rawIdbRowsPerSecond(desk.page, dbName);
        const ours = raw.rows / (boot.totalMs / 1000);
        console.log(
          JSON.stringify({
            run,
            cases,
            pages,
            last_page_at_ms: lastPageAt,
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
