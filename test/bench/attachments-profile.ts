/**
 * Where the files' share of the first sync goes, step by step, side by side: two servers seeded
 * alike, one with a file on every note of the open cases (see files.ts).
 * - server: each bootstrap page rendered as the route does (bootstrapPage), its time and size by
 *   phase;
 * - contract: the same pages parsed and validated against BootstrapPageSchema (the worker's
 *   step), and the file records alone;
 * - desk (--desk): fresh Team 1 desks, alternating, with a CPU profile of the sync worker (CDP)
 *   and the times the bootstrap pages were asked for and arrived.
 * `npx tsx test/bench/attachments-profile.ts [--cases 30000] [--runs 3] [--desk] [--static renderer/dist]
 *   [--old <another build of the desk>] [--out <folder for the worker's .cpuprofile files>]`
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import './probe';
import { BootstrapPageSchema } from '../../shared/api';
import { AttachmentSchema } from '../../shared/mail';
import { BootstrapQueries } from '../../server/sync/bootstrap-queries';
import { bootstrapPage } from '../../server/sync/pull';
import type { TeamId } from '../../shared/teams';
import { startTestServer, type TestServer } from '../support/server';
import { openDesk, storageMb, submitLogin, untilSettled } from './desk';
import { addFiles, team1Specialist } from './files';
import { percentile } from './metrics';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '30000' },
    runs: { type: 'string', default: '3' },
    desk: { type: 'boolean', default: false },
    static: { type: 'string', default: 'renderer/dist' },
    out: { type: 'string', default: '' },
    /** A build of the desk before a change: a third server with the files serves it (old/new side by side). */
    old: { type: 'string', default: '' },
  },
});
const PHASES = ['firstOpen', 'reference', 'openCases', 'otherCases', 'openEvents'];
const median = (xs: number[]): number => Math.round(percentile(xs, 50) * 10) / 10;
const now = (): number => performance.now();

interface PhaseFigures {
  pages: number;
  serverMs: number;
  bytes: number;
  parseMs: number;
  validateMs: number;
  filesValidateMs: number;
  events: number;
  files: number;
}

/** Walks the bootstrap as a desk does (first page 1,000, then 5,000), by phase. */
function walkServer(server: TestServer): Record<string, PhaseFigures> {
  const specialist = team1Specialist(server);
  const queries = new BootstrapQueries(server.store.db);
  const seq = server.store.changes.latestSeq();
  const out: Record<string, PhaseFigures> = {};
  const files = z.array(AttachmentSchema);
  let page: string | undefined;
  for (;;) {
    const phase = page === undefined ? 'firstOpen' : (PHASES[(JSON.parse(Buffer.from(page, 'base64url').toString()) as { p: number }).p] ?? '?');
    const t0 = now();
    const rendered = bootstrapPage(server.store, queries, [...specialist.teams] as TeamId[], page, page === undefined ? 1_000 : 5_000, new Date(), seq, specialist.id);
    const t1 = now();
    const raw = JSON.parse(rendered.json) as { next: string | null; events: unknown[]; attachments: unknown[] };
    const t2 = now();
    BootstrapPageSchema.parse(raw);
    const t3 = now();
    files.parse(raw.attachments);
    const t4 = now();
    const f = (out[phase] ??= { pages: 0, serverMs: 0, bytes: 0, parseMs: 0, validateMs: 0, filesValidateMs: 0, events: 0, files: 0 });
    f.pages++;
    f.serverMs += t1 - t0;
    f.bytes += Buffer.byteLength(rendered.json);
    f.parseMs += t2 - t1;
    f.validateMs += t3 - t2;
    f.filesValidateMs += t4 - t3;
    f.events += raw.events.length;
    f.files += raw.attachments.length;
    if (raw.next === null) break;
    page = raw.next;
  }
  for (const f of Object.values(out)) for (const k of ['serverMs', 'parseMs', 'validateMs', 'filesValidateMs'] as const) f[k] = Math.round(f[k]);
  return out;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function (ms), the worker's busy total, and GC. */
function summarise(profile: CpuProfile): { busyMs: number; gcMs: number; top: Array<[string, number]> } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let busy = 0;
  let gc = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i] ?? -1);
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!node) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') continue;
    busy += dt;
    if (name === '(garbage collector)') gc += dt;
    const file = node.callFrame.url.split('/').pop() ?? '';
    const key = `${name} ${file}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]): [string, number] => [k, Math.round(v)]);
  return { busyMs: Math.round(busy), gcMs: Math.round(gc), top };
}

interface DeskRun {
  bootstrapMs: number;
  storageMb: number;
  workerBusyMs: number;
  workerGcMs: number;
  top: Array<[string, number]>;
  /** Per bootstrap request: asked (ms after login), arrived, bytes. */
  requests: Array<[number, number]>;
}

async function deskRun(server: TestServer, profileDir: string, label: string): Promise<DeskRun> {
  const specialist = team1Specialist(server);
  const dbName = `desk:${new URL(server.url).host}:${specialist.id}`;
  const desk = await openDesk(profileDir);
  try {
    const cdp = await desk.context.newCDPSession(desk.page);
    let nextId = 1;
    const waiting = new Map<number, (result: unknown) => void>();
    let workerSession: string | null = null;
    let profiled = false;
    const toWorker = (method: string, params: object = {}): Promise<unknown> =>
      new Promise((resolveIt) => {
        const id = nextId++;
        waiting.set(id, resolveIt);
        void cdp.send('Target.sendMessageToTarget', { sessionId: workerSession ?? '', message: JSON.stringify({ id, method, params }) });
      });
    cdp.on('Target.receivedMessageFromTarget', (e: { sessionId: string; message: string }) => {
      const msg = JSON.parse(e.message) as { id?: number; result?: unknown };
      if (msg.id !== undefined) waiting.get(msg.id)?.(msg.result);
    });
    const attached = new Promise<void>((resolveIt) => {
      cdp.on('Target.attachedToTarget', (e: { sessionId: string; targetInfo: { type: string; url: string } }) => {
        if (e.targetInfo.type !== 'worker' || !e.targetInfo.url.includes('sync') || profiled) {
          void cdp.send('Target.sendMessageToTarget', { sessionId: e.sessionId, message: JSON.stringify({ id: 0, method: 'Runtime.runIfWaitingForDebugger' }) });
          return;
        }
        profiled = true;
        workerSession = e.sessionId;
        void (async () => {
          await toWorker('Profiler.enable');
          await toWorker('Profiler.setSamplingInterval', { interval: 500 });
          await toWorker('Profiler.start');
          await toWorker('Runtime.runIfWaitingForDebugger');
          resolveIt();
        })();
      });
    });
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
    const requests: Array<[number, number]> = [];
    const asked = new Map<object, number>();
    let t0 = 0;
    desk.page.on('request', (r) => {
      if (r.url().includes('/api/sync/bootstrap')) asked.set(r, Date.now());
    });
    desk.page.on('requestfinished', (r) => {
      const at = asked.get(r);
      if (at !== undefined) requests.push([at - t0, Date.now() - t0]);
    });
    t0 = Date.now();
    await submitLogin(desk.page, server.url, specialist.email, server.password);
    await Promise.race([attached, new Promise((r) => setTimeout(r, 30_000))]);
    const totalMs = await desk.page.evaluate(async (timeout) => {
      const probe = window.__deskBench;
      const synced = await probe.until('synced', timeout);
      return synced.paintedAt - (probe.submitAt ?? 0);
    }, 600_000);
    const profile = workerSession ? ((await toWorker('Profiler.stop')) as { profile: CpuProfile }).profile : null;
    await untilSettled(desk.page, dbName, 120_000);
    if (profile && values.out) writeFileSync(resolve(values.out, `${label}.cpuprofile`), JSON.stringify(profile));
    const s = profile ? summarise(profile) : { busyMs: -1, gcMs: -1, top: [] };
    return { bootstrapMs: totalMs, storageMb: await storageMb(desk.page), workerBusyMs: s.busyMs, workerGcMs: s.gcMs, top: s.top, requests };
  } finally {
    await desk.close();
  }
}

async function main(): Promise<void> {
  const cases = Number(values.cases);
  const staticDir = resolve(root, values.static);
  const without = await startTestServer({ cases, seed: 42, staticDir });
  const withFiles = await startTestServer({ cases, seed: 42, staticDir });
  const old = values.old ? await startTestServer({ cases, seed: 42, staticDir: resolve(root, values.old) }) : null;
  const profiles = mkdtempSync(join(tmpdir(), 'desk-files-profile-'));
  try {
    const files = await addFiles(withFiles);
    if (old) await addFiles(old);
    console.log(`${cases} cases; ${files} files on the open cases' notes of the second server`);
    // The server's and the contract's steps, twice each (the first warms the statements and V8).
    walkServer(without);
    walkServer(withFiles);
    console.log(JSON.stringify({ server_without: walkServer(without), server_with_files: walkServer(withFiles) }, null, 1));
    if (!values.desk) return;
    const a: DeskRun[] = [];
    const b: DeskRun[] = [];
    const c: DeskRun[] = [];
    for (let run = 0; run < Number(values.runs); run++) {
      a.push(await deskRun(without, join(profiles, `a-${run}`), `without-${run}`));
      b.push(await deskRun(withFiles, join(profiles, `b-${run}`), `with-${run}`));
      if (old) c.push(await deskRun(old, join(profiles, `c-${run}`), `with-old-${run}`));
      console.log(JSON.stringify({ run, without: a.at(-1)?.bootstrapMs, with_files: b.at(-1)?.bootstrapMs, with_files_old: c.at(-1)?.bootstrapMs }));
    }
    const summary = (runs: DeskRun[]) => ({
      bootstrap_ms: median(runs.map((r) => r.bootstrapMs)),
      worker_busy_ms: median(runs.map((r) => r.workerBusyMs)),
      worker_gc_ms: median(runs.map((r) => r.workerGcMs)),
      storage_mb: median(runs.map((r) => r.storageMb)),
      runs: runs.map((r) => r.bootstrapMs),
    });
    console.log(JSON.stringify({ cases, files, without: summary(a), with_files: summary(b), ...(old ? { with_files_old_build: summary(c) } : {}) }, null, 1));
  } finally {
    await without.close();
    await withFiles.close();
    await old?.close();
    rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
