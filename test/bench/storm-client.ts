/**
 * The bootstrap storm's clients, in a process of their own (storm.ts starts it) so that their
 * HTTP work does not share the server's event loop: N protocol-level desks bootstrapping at once
 * as the desk's sync worker does (a first page of 1,000 cases, then pages of 5,000, each asked
 * for once the previous one is in; a 503 of the server's queue waited out by its Retry-After plus
 * up to 30 % at random), and meanwhile M other desks pushing one note at a time, each push timed.
 *
 * A page's body is read to its end but not kept: only its tail, where the next cursor is. A real
 * desk parses and stores every page; here the server is measured, not the desks.
 *
 * argv[2]: JSON StormClientConfig; stdout: one JSON StormClientReport.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ROUTES } from '../../shared/api';

export interface StormClientConfig {
  url: string;
  /** One token per bootstrapping desk (a session each: the queue counts sessions). */
  bootTokens: string[];
  /** The teams each bootstrapping desk asks for ("1", "2" or "1,2"), round robin. */
  teams: string[];
  pushTokens: string[];
  /** One case per pushing desk. */
  pushCaseIds: string[];
  firstPage: number;
  pageSize: number;
}

export interface StormClientReport {
  /** From the first request to the last desk's last page. */
  allDoneMs: number;
  /** Each desk's bootstrap, first request to last page. */
  bootMs: number[];
  pages: number;
  bytes: number;
  /** 503s of the queue answered, and the largest place told. */
  queued: number;
  maxPlace: number;
  /** Round trip of every push made while the storm lasted, ms. */
  pushLatencies: number[];
  failedPushes: number;
}

const NEXT = /"next":(null|"([A-Za-z0-9_-]*)")/;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body's last 2 kB (or all of it when shorter). */
  tail: string;
  bytes: number;
}

function get(agent: http.Agent, base: URL, token: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, path, method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let tail = Buffer.alloc(0);
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        tail = Buffer.concat([tail, chunk]);
        if (tail.length > 2048) tail = tail.subarray(tail.length - 2048);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, tail: tail.toString('utf8'), bytes }));
      res.on('error', reject);
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function post(agent: http.Agent, base: URL, token: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runStorm(config: StormClientConfig): Promise<StormClientReport> {
  const base = new URL(config.url);
  const bootAgent = new http.Agent({ keepAlive: true, maxSockets: config.bootTokens.length });
  const pushAgent = new http.Agent({ keepAlive: true, maxSockets: config.pushTokens.length });
  const report: StormClientReport = { allDoneMs: 0, bootMs: [], pages: 0, bytes: 0, queued: 0, maxPlace: 0, pushLatencies: [], failedPushes: 0 };
  let storming = true;

  const pushers = config.pushTokens.map(async (token, i) => {
    const clientId = randomUUID();
    const caseId = config.pushCaseIds[i % config.pushCaseIds.length];
    for (let mutationId = 1; storming; mutationId++) {
      const body = JSON.stringify({ mutations: [{ clientId, mutationId, name: 'addNote', args: { caseId, eventId: randomUUID(), text: `storm ${mutationId}` } }] });
      const t0 = performance.now();
      try {
        const status = await post(pushAgent, base, token, ROUTES.push, body);
        if (status === 200) report.pushLatencies.push(performance.now() - t0);
        else report.failedPushes++;
      } catch {
        report.failedPushes++;
      }
    }
  });

  const started = performance.now();
  await Promise.all(
    config.bootTokens.map(async (token, i) => {
      const teams = config.teams[i % config.teams.length] ?? '1';
      const t0 = performance.now();
      let next: string | null = null;
      let first = true;
      for (;;) {
        const query = new URLSearchParams({ teams, limit: String(first ? config.firstPage : config.pageSize) });
        if (next !== null) query.set('page', next);
        const answer = await get(bootAgent, base, token, `${ROUTES.bootstrap}?${query}`);
        if (answer.status === 503) {
          report.queued++;
          const place = /"place":(\d+)/.exec(answer.tail);
          report.maxPlace = Math.max(report.maxPlace, Number(place?.[1] ?? 0));
          const retryAfter = Number(answer.headers['retry-after'] ?? 1);
          await sleep(retryAfter * 1000 * (1 + Math.random() * 0.3));
          continue;
        }
        if (answer.status !== 200) throw new Error(`bootstrap page answered HTTP ${answer.status}: ${answer.tail.slice(0, 300)}`);
        report.pages++;
        report.bytes += answer.bytes;
        const found = NEXT.exec(answer.tail);
        if (!found) throw new Error(`no next cursor at the end of a page: ${answer.tail.slice(-300)}`);
        next = found[2] ?? null;
        first = false;
        if (next === null) break;
      }
      report.bootMs.push(performance.now() - t0);
    }),
  );
  report.allDoneMs = performance.now() - started;
  storming = false;
  await Promise.all(pushers);
  bootAgent.destroy();
  pushAgent.destroy();
  return report;
}

// This module is the process's entry point: storm.ts imports only its types.
runStorm(JSON.parse(process.argv[2] ?? '{}') as StormClientConfig).then(
  (report) => process.stdout.write(JSON.stringify(report)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
