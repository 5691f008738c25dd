/**
 * One benchmark run: a seeded server with N cases serving the built desk, two desks in headless
 * Chromium (two profiles on disk), and the push load from another process. `npm run bench` runs
 * it with 100,000 cases (run.ts); the e2e suite runs the same code with 1,000 (bench-smoke.spec.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTES } from '../../shared/api';
import { api } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import {
  deskCursor,
  heapMb,
  measureBootstrap,
  measureCatchup,
  measureColdStart,
  measureLookups,
  measurePropagation,
  measureQueueSwitches,
  measureRevealFloor,
  openCase,
  browserVersion,
  openDesk,
  rawIdbRowsPerSecond,
  storageMb,
  submitLogin,
  untilSettled,
  type Desk,
} from './desk';
import { percentile, round, type Metrics } from './metrics';
import { pushLoad } from './push-load';
import { measureSearch } from './search';
import { measureMailToDesk } from './mail';
import { startDovecot, startRelay, testMailSettings } from '../support/mail';
import { measureReports } from './report';
import { measureStorm, medianStorm, stormLine, type StormResult } from './storm';
import { DEFAULT_BOOTSTRAP_CONCURRENCY } from '../../server/http/limits';

export interface BenchOptions {
  cases: number;
  /** Random cached numbers looked up (cache, render and server). */
  lookups: number;
  /** Rounds through the 24 queue controls. */
  switchRounds: number;
  /** Title edits propagated from one desk to the other. */
  edits: number;
  /** Changes made elsewhere while a desk is offline. */
  catchupChanges: number;
  pushClients: number;
  pushSeconds: number;
  /** Customer mails delivered to the office's mailbox, each timed to its case on a desk. */
  mails: number;
  /** The bootstrap storm: desks bootstrapping at once, desks pushing meanwhile, storms (the median is reported). */
  storm: { desks: number; pushers: number; runs: number };
  staticDir: string;
  log?: (line: string) => void;
}

export const FULL: Omit<BenchOptions, 'staticDir'> = {
  cases: 100_000,
  lookups: 200,
  switchRounds: 3,
  edits: 30,
  catchupChanges: 5_000,
  pushClients: 50,
  pushSeconds: 30,
  mails: 20,
  storm: { desks: 50, pushers: 5, runs: 3 },
};

export const SMOKE: Omit<BenchOptions, 'staticDir'> = {
  cases: 1_000,
  lookups: 20,
  switchRounds: 1,
  edits: 5,
  catchupChanges: 500,
  pushClients: 10,
  pushSeconds: 3,
  mails: 3,
  storm: { desks: 5, pushers: 2, runs: 1 },
};

export interface BenchResult {
  metrics: Metrics;
  /** Figures behind the metrics (sample counts, rates), for the log. */
  details: Record<string, number | string>;
  chromium: string;
}

/** Deterministic shuffle (a fixed LCG), so every run looks up the same numbers. */
function sample<T>(items: readonly T[], count: number): T[] {
  const copy = [...items];
  let state = 42;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, count);
}

/** Two specialists serving Team 1 only (the usual desk: one team), from the server's store. */
function teamOneSpecialists(server: TestServer): Array<{ id: string; email: string }> {
  const found = server.store.specialists.list().filter((s) => s.active && s.role === 'specialist' && s.teams.length === 1 && s.teams[0] === 1);
  if (found.length < 2) throw new Error('the demo data needs two Team 1 specialists');
  return found;
}

/** Another desk's edits through the API: titles of `count` cases, 500 per push; returns the seq after. */
async function changeElsewhere(server: TestServer, caseIds: readonly string[], count: number): Promise<number> {
  const token = await server.login();
  const clientId = crypto.randomUUID();
  let seq = 0;
  for (let done = 0; done < count; ) {
    const batch = Array.from({ length: Math.min(500, count - done) }, (_, i) => ({
      clientId,
      mutationId: done + i + 1,
      name: 'editFields',
      args: { caseId: caseIds[(done + i) % caseIds.length], fields: { title: `Changed elsewhere ${done + i}` } },
    }));
    const reply = await api(server, token).post<{ seq: number; results: Array<{ status: string }> }>(ROUTES.push, { mutations: batch });
    const body = reply.body;
    if (reply.status !== 200 || body.results.some((r) => r.status !== 'applied')) throw new Error(`catch-up changes refused: ${reply.text.slice(0, 300)}`);
    seq = body.seq;
    done += batch.length;
  }
  return seq;
}

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const log = o.log ?? (() => undefined);
  const profiles = mkdtempSync(join(tmpdir(), 'desk-bench-'));
  let started = performance.now();
  // The mail channel reads Debian's Dovecot (IDLE) and sends to a relay, as in production.
  const [dovecot, relay] = await Promise.all([startDovecot(), startRelay()]);
  const server = await startTestServer({
    cases: o.cases,
    seed: 42,
    staticDir: o.staticDir,
    server: { mail: { settings: testMailSettings(dovecot, relay, { pollSeconds: 60 }) } },
  }).catch(async (error: unknown) => {
    await Promise.all([relay.stop(), dovecot.stop()]);
    throw error;
  });
  log(`seeded ${o.cases} cases in ${Math.round(performance.now() - started)} ms`);
  const desks: Desk[] = [];
  try {
    const db = server.store.db;
    const numbers = db.prepare<[], number>('SELECT number FROM cases').pluck().all();
    const caseIds = db.prepare<[], string>('SELECT id FROM cases').pluck().all();
    const openTeamOne = db.prepare<[], number>(`SELECT number FROM cases WHERE team = 1 AND status <> 'closed' ORDER BY number LIMIT 1`).pluck().get();
    if (openTeamOne === undefined) throw new Error('no open Team 1 case to edit');
    const [specialistA, specialistB] = teamOneSpecialists(server);
    const host = new URL(server.url).host;
    const dbName = `desk:${host}:${specialistA?.id ?? ''}`;

    const a = await openDesk(join(profiles, 'a'));
    desks.push(a);
    const chromium = await browserVersion(a.page);
    await submitLogin(a.page, server.url, specialistA?.email ?? '', server.password);
    const boot = await measureBootstrap(a.page, 600_000);
    log(`bootstrap: first page ${Math.round(boot.firstPageMs)} ms, total ${Math.round(boot.totalMs)} ms, longest task ${Math.round(boot.longestTaskMs)} ms`);
    await untilSettled(a.page, dbName, 120_000);
    const storage = await storageMb(a.page);
    // Right after the bootstrap: exactly the rows it wrote.
    const raw = await rawIdbRowsPerSecond(a.page, dbName);
    const rows = raw.rows;
    const oursRowsPerSecond = rows / (boot.totalMs / 1000);
    log(`raw IndexedDB: ${raw.rows} rows at ${Math.round(raw.rowsPerSecond)} rows/s; ours ${Math.round(oursRowsPerSecond)} rows/s`);
    const heapAfterBootstrap = await heapMb(a.page);

    const looked = sample(numbers, o.lookups);
    const lookups = await measureLookups(a.page, looked);
    log(`lookups: ${o.lookups} (cache p95 ${percentile(lookups.cache, 95).toFixed(2)} ms, render p95 ${percentile(lookups.render, 95).toFixed(1)} ms)`);
    const switches = await measureQueueSwitches(a.page, o.switchRounds);
    log(`queue switches: ${switches.length} (p95 ${percentile(switches, 95).toFixed(1)} ms)`);
    const coldStart = await measureColdStart(a.page, 120_000);
    const heapAfterColdStart = await heapMb(a.page);
    log(`cold start ${Math.round(coldStart)} ms; heap ${heapAfterBootstrap.toFixed(0)} MB after bootstrap, ${heapAfterColdStart.toFixed(0)} MB after a cold start`);
    // In a tab of its own, after the desk's own measurements, so that it cannot touch them.
    const revealFloor = await measureRevealFloor(a.context, looked);
    log(`an empty page's reveal, the same ${o.lookups} numbers: p95 ${percentile(revealFloor, 95).toFixed(1)} ms`);

    const b = await openDesk(join(profiles, 'b'));
    desks.push(b);
    await submitLogin(b.page, server.url, specialistB?.email ?? '', server.password);
    const bootB = await measureBootstrap(b.page, 600_000);
    await untilSettled(b.page, `desk:${host}:${specialistB?.id ?? ''}`, 120_000);
    // Mail to case on this desk's queue, before it opens a case: its office's mailbox, its team's customers.
    const officeB = server.store.specialists.get(specialistB?.id ?? '')?.office ?? 'SE';
    const mail = await measureMailToDesk(b.page, server.store, dovecot, { mails: o.mails, office: officeB, team: 1 });
    log(`mail to desk: ${o.mails} mails to the ${officeB} mailbox, p50 ${Math.round(mail.p50Ms)} ms, p95 ${Math.round(mail.p95Ms)} ms`);
    await openCase(a.page, openTeamOne);
    await openCase(b.page, openTeamOne);
    const propagation = await measurePropagation(a.page, b.page, o.edits);
    log(`propagation: ${o.edits} edits, p50 ${percentile(propagation, 50).toFixed(0)} ms, p95 ${percentile(propagation, 95).toFixed(0)} ms`);
    // Last on this desk: it puts the notes into the cache and reloads offline.
    const search = await measureSearch(a.context, a.page, db, dbName);
    log(
      `search: ${search.documents} documents (${search.notes} notes) indexed in ${Math.round(search.buildMs)} ms, worker heap ${search.workerHeapMb.toFixed(0)} MB; ` +
        `p95 per run ${search.runsP95.map((v) => v.toFixed(1)).join(' / ')} ms, p50 ${search.p50Ms.toFixed(1)} ms`,
    );
    // The other desk is done; it would otherwise pull the same changes on the same two cores.
    await a.close();
    desks.splice(desks.indexOf(a), 1);
    const editable = sample(caseIds, Math.min(caseIds.length, o.catchupChanges));
    const cursorBefore = await deskCursor(b.page);
    const catchup = await measureCatchup(b, () => changeElsewhere(server, editable, o.catchupChanges), 120_000);
    log(`catch-up: ${o.catchupChanges} changes (cursor ${cursorBefore} → ${await deskCursor(b.page)}) in ${Math.round(catchup)} ms`);
    await b.close();
    desks.splice(0);

    started = performance.now();
    const push = await pushLoad(server, { clients: o.pushClients, seconds: o.pushSeconds });
    log(`push: ${push.applied} mutations by ${o.pushClients} clients, ${push.mutationsPerSecond}/s, p50 ${push.p50Ms.toFixed(1)} ms, p99 ${push.p99Ms.toFixed(1)} ms, ${push.failedRequests} failed requests retried`);

    const reports = await measureReports(server);
    log(`reports over ${reports.cases} cases (${reports.days}): ${JSON.stringify(reports.perReport)} ms; the last 12 months: ${JSON.stringify(reports.defaultPeriod)} ms`);

    // Last: 50 desks' first syncs at once, at the server's default limit, with pushes meanwhile.
    const storms: StormResult[] = [];
    for (let run = 0; run < o.storm.runs; run++) {
      storms.push(await measureStorm(server, { desks: o.storm.desks, pushers: o.storm.pushers, limit: DEFAULT_BOOTSTRAP_CONCURRENCY }));
      log(`storm ${run + 1}: ${stormLine(storms[storms.length - 1] as StormResult)}`);
    }
    const storm = medianStorm(storms);

    const metrics: Metrics = {
      lookup_cache_p95_ms: round(percentile(lookups.cache, 95), 2),
      lookup_render_p95_ms: round(percentile(lookups.render, 95)),
      lookup_server_p95_ms: round(percentile(lookups.server, 95)),
      bootstrap_first_page_ms: Math.round(boot.firstPageMs),
      bootstrap_total_ms: Math.round(boot.totalMs),
      bootstrap_vs_raw_idb: round(oursRowsPerSecond / raw.rowsPerSecond, 2),
      bootstrap_longest_task_ms: Math.round(boot.longestTaskMs),
      queue_switch_p95_ms: round(percentile(switches, 95)),
      propagation_p50_ms: Math.round(percentile(propagation, 50)),
      propagation_p95_ms: Math.round(percentile(propagation, 95)),
      catchup_5k_ms: Math.round(catchup),
      server_mutations_per_s: push.mutationsPerSecond,
      server_mutation_p99_ms: round(push.p99Ms),
      server_lost_or_doubled: push.lostOrDoubled,
      cold_start_ms: Math.round(coldStart),
      storage_mb_100k: round(storage),
      renderer_heap_mb: round(Math.max(heapAfterBootstrap, heapAfterColdStart)),
      search_p95_ms: round(search.p95Ms),
      mail_to_desk_p50_ms: Math.round(mail.p50Ms),
      mail_to_desk_p95_ms: Math.round(mail.p95Ms),
      report_year_ms: reports.slowestMs,
      storm_50_bootstraps_s: round(storm.allDoneS),
      storm_push_p99_ms: round(storm.pushP99Ms),
      server_rss_mb: Math.round(storm.rssPeakMb),
    };
    const details = {
      cachedRows: rows,
      oursRowsPerSecond: Math.round(oursRowsPerSecond),
      rawRowsPerSecond: Math.round(raw.rowsPerSecond),
      secondDeskBootstrapMs: Math.round(bootB.totalMs),
      lookupCacheP50Ms: round(percentile(lookups.cache, 50), 3),
      lookupRenderP50Ms: round(percentile(lookups.render, 50)),
      lookupRenderWorkP50Ms: round(percentile(lookups.work, 50)),
      lookupRenderWorkP95Ms: round(percentile(lookups.work, 95)),
      revealFloorP50Ms: round(percentile(revealFloor, 50)),
      revealFloorP95Ms: round(percentile(revealFloor, 95)),
      lookupServerP50Ms: round(percentile(lookups.server, 50)),
      queueSwitchP50Ms: round(percentile(switches, 50)),
      queueSwitchSamples: switches.length,
      pushP50Ms: round(push.p50Ms),
      pushApplied: push.applied,
      pushReplays: push.replays,
      pushFailedRequests: push.failedRequests,
      searchP50Ms: round(search.p50Ms),
      searchIndexBuildMs: Math.round(search.buildMs),
      searchIndexDocuments: search.documents,
      searchNotes: search.notes,
      searchWorkerHeapMb: round(search.workerHeapMb),
      mailToDeskSamples: mail.samples.map(Math.round).join(' '),
      reportsPerReportMs: JSON.stringify(reports.perReport),
      reportsLast12MonthsMs: JSON.stringify(reports.defaultPeriod),
      stormDesks: o.storm.desks,
      stormLimit: DEFAULT_BOOTSTRAP_CONCURRENCY,
      stormPushP50Ms: round(storm.pushP50Ms),
      stormSlowestDeskS: round(storm.slowestDeskS),
      stormMedianDeskS: round(storm.medianDeskS),
      stormQueuedAnswers: storm.queued,
      stormRssBeforeMb: Math.round(storm.rssBeforeMb),
    };
    return { metrics, details, chromium };
  } finally {
    for (const desk of desks) await desk.close().catch(() => undefined);
    await server.close();
    await Promise.all([relay.stop(), dovecot.stop()]);
    rmSync(profiles, { recursive: true, force: true });
  }
}
