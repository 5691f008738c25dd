/**
 * The bootstrap storm (issue 23): N protocol-level desks bootstrapping at once (storm-client.ts,
 * in its own process) while other desks push, against a server with a given bootstrap limit
 * (DESK_BOOTSTRAP_CONCURRENCY, changed live between storms). Measured: the time until every desk
 * has its last page, the other desks' push round trips meanwhile, and the server process's
 * resident memory at its peak during the storm (the server runs in this process, as in the
 * rest of the benchmark; sampled every 100 ms).
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '../support/server';
import { percentile } from './metrics';
import type { StormClientConfig, StormClientReport } from './storm-client';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

export interface StormOptions {
  /** Desks bootstrapping at once (50 in the metric). */
  desks: number;
  /** Other desks pushing meanwhile, one note at a time each. */
  pushers: number;
  /** The server's bootstrap limit during this storm; 0: none. */
  limit: number;
}

export interface StormResult {
  limit: number;
  allDoneS: number;
  pushP50Ms: number;
  pushP99Ms: number;
  pushes: number;
  failedPushes: number;
  /** The server process's peak resident memory during the storm, and before it. */
  rssPeakMb: number;
  rssBeforeMb: number;
  /** Slowest and median single desk, s. */
  slowestDeskS: number;
  medianDeskS: number;
  pages: number;
  mb: number;
  queued: number;
  maxPlace: number;
}

/** Sessions reused by every storm against the same server (a login is a scrypt). */
const sessions = new Map<string, { boot: string[]; push: string[] }>();

async function tokensFor(server: TestServer, desks: number, pushers: number): Promise<{ boot: string[]; push: string[] }> {
  const known = sessions.get(server.url) ?? { boot: [], push: [] };
  sessions.set(server.url, known);
  const emails = [server.leadEmail, ...server.specialistEmails];
  // One session per desk: the server's queue counts sessions, as it does real desks.
  while (known.boot.length < desks) known.boot.push(await server.login(emails[known.boot.length % emails.length]));
  while (known.push.length < pushers) known.push.push(await server.login(emails[known.push.length % emails.length]));
  return known;
}

function runClients(config: StormClientConfig): Promise<StormClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'storm-client.ts'), JSON.stringify(config)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`storm clients exited with ${code}`));
      else {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as StormClientReport);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
  });
}

const mb = (bytes: number): number => bytes / 1_000_000;

export async function measureStorm(server: TestServer, o: StormOptions): Promise<StormResult> {
  const tokens = await tokensFor(server, o.desks, o.pushers);
  const pushCaseIds = server.store.db
    .prepare<[number], string>('SELECT id FROM cases ORDER BY (number * 7919) % 1000003 LIMIT ?')
    .pluck()
    .all(Math.max(1, o.pushers));
  const before = server.limits.bootstrapConcurrency;
  server.limits.bootstrapConcurrency = o.limit;
  // What the previous storm left for the collector is not this storm's.
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 100);
  try {
    const report = await runClients({
      url: server.url,
      bootTokens: tokens.boot.slice(0, o.desks),
      // Half the desks on each team, as an office's desks are.
      teams: ['1', '2'],
      pushTokens: tokens.push.slice(0, o.pushers),
      pushCaseIds,
      firstPage: 1_000,
      pageSize: 5_000,
    });
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    return {
      limit: o.limit,
      allDoneS: report.allDoneMs / 1000,
      pushP50Ms: percentile(report.pushLatencies, 50),
      pushP99Ms: percentile(report.pushLatencies, 99),
      pushes: report.pushLatencies.length,
      failedPushes: report.failedPushes,
      rssPeakMb: mb(rssPeak),
      rssBeforeMb: mb(rssBefore),
      slowestDeskS: Math.max(...report.bootMs) / 1000,
      medianDeskS: percentile(report.bootMs, 50) / 1000,
      pages: report.pages,
      mb: mb(report.bytes),
      queued: report.queued,
      maxPlace: report.maxPlace,
    };
  } finally {
    clearInterval(sampler);
    server.limits.bootstrapConcurrency = before;
  }
}

/** The median of each figure over storms of the same limit. */
export function medianStorm(runs: readonly StormResult[]): StormResult {
  const first = runs[0];
  if (!first) throw new Error('no storm to take the median of');
  const median = (key: keyof StormResult): number => percentile(runs.map((r) => r[key]), 50);
  return Object.fromEntries(Object.keys(first).map((key) => [key, median(key as keyof StormResult)])) as unknown as StormResult;
}

export const stormLine = (r: StormResult): string =>
  `limit ${r.limit || 'none'}: all done ${r.allDoneS.toFixed(1)} s (desk median ${r.medianDeskS.toFixed(1)} s, slowest ${r.slowestDeskS.toFixed(1)} s), ` +
  `${r.pages} pages, ${r.mb.toFixed(0)} MB, ${r.queued} queued answers (max place ${r.maxPlace}); ` +
  `push p50 ${r.pushP50Ms.toFixed(1)} ms, p99 ${r.pushP99Ms.toFixed(1)} ms over ${r.pushes} (${r.failedPushes} failed); ` +
  `server RSS ${r.rssBeforeMb.toFixed(0)} → peak ${r.rssPeakMb.toFixed(0)} MB`;
