/**
 * Whether files on cases slow the first sync or the cold start, side by side in one run: two
 * servers seeded alike, one with a file on every note of the open cases (records only travel; the
 * bytes are fetched when shown), then fresh Team 1 desks bootstrapped and reloaded, alternating
 * between the two. `npx tsx test/bench/attachments-run.ts [--cases 100000] [--runs 3]`.
 * Build the desk first (npm run build:web).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import './probe';
import { startTestServer, type TestServer } from '../support/server';
import { measureColdStart, openDesk, storageMb, submitLogin, untilSettled } from './desk';
import { addFiles, team1Specialist } from './files';
import { percentile } from './metrics';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } } });

interface Figures {
  bootstrapMs: number[];
  coldStartMs: number[];
  storageMb: number[];
}

async function measure(server: TestServer, profile: string, into: Figures): Promise<void> {
  const specialist = team1Specialist(server);
  const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
  const desk = await openDesk(profile);
  try {
    await submitLogin(desk.page, server.url, specialist.email, server.password);
    const totalMs = await desk.page.evaluate(async (timeout) => {
      const probe = window.__deskBench;
      const synced = await probe.until('synced', timeout);
      return synced.paintedAt - (probe.submitAt ?? 0);
    }, 600_000);
    await untilSettled(desk.page, dbName, 120_000);
    into.bootstrapMs.push(totalMs);
    into.storageMb.push(await storageMb(desk.page));
    into.coldStartMs.push(await measureColdStart(desk.page, 120_000));
  } finally {
    await desk.close();
  }
}

const median = (xs: number[]): number => Math.round(percentile(xs, 50) * 10) / 10;

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-files-bench-'));
  const staticDir = join(root, 'renderer/dist');
  const without = await startTestServer({ cases, seed: 42, staticDir });
  const withFiles = await startTestServer({ cases, seed: 42, staticDir });
  try {
    const files = await addFiles(withFiles);
    console.log(`${cases} cases; ${files} files on the open cases' notes of the second server`);
    const a: Figures = { bootstrapMs: [], coldStartMs: [], storageMb: [] };
    const b: Figures = { bootstrapMs: [], coldStartMs: [], storageMb: [] };
    for (let run = 0; run < Number(values.runs); run++) {
      await measure(without, join(profiles, `a-${run}`), a);
      await measure(withFiles, join(profiles, `b-${run}`), b);
    }
    const summary = (f: Figures) => ({ bootstrap_total_ms: median(f.bootstrapMs), cold_start_ms: median(f.coldStartMs), storage_mb: median(f.storageMb), runs: f });
    console.log(JSON.stringify({ cases, files, without: summary(a), with_files: summary(b) }, null, 2));
  } finally {
    await without.close();
    await withFiles.close();
    rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
