/**
 * Server push throughput and latency with concurrent desks (push-client.ts, in its own
 * process), then the database is checked: every acknowledged mutation applied exactly once.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestServer } from '../support/server';
import { percentile } from './metrics';
import type { PushClientConfig, PushClientReport } from './push-client';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../..');

export interface PushLoadResult {
  mutationsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  lostOrDoubled: number;
  applied: number;
  replays: number;
  failedRequests: number;
}

function runClients(config: PushClientConfig): Promise<PushClientReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'push-client.ts'), JSON.stringify(config)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`push clients exited with ${code}`));
      else {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PushClientReport);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      }
    });
  });
}

/**
 * Counts what the server acknowledged but does not hold exactly once: notes missing (or stored
 * twice under another id), minutes logged a different number of times than acknowledged, and
 * recorded (clientId, mutationId) pairs that differ from the acknowledged count.
 */
function verify(server: TestServer, report: PushClientReport, minutesBefore: Map<string, number>): number {
  const db = server.store.db;
  const noteById = db.prepare<[string], number>('SELECT count(*) FROM case_events WHERE id = ?').pluck();
  const noteByText = db.prepare<[string, string], number>(`SELECT count(*) FROM case_events WHERE case_id = ? AND kind = 'note' AND text = ?`).pluck();
  const minutesOf = db.prepare<[string], number>('SELECT billable_minutes FROM cases WHERE id = ?').pluck();
  const recorded = db.prepare<[string], number>('SELECT count(*) FROM applied_mutations WHERE client_id = ?').pluck();
  let wrong = 0;
  for (const c of report.clients) {
    c.noteEventIds.forEach((id, i) => {
      if ((noteById.get(id) ?? 0) !== 1) wrong++;
      wrong += Math.max(0, (noteByText.get(c.caseId, c.noteTexts[i] ?? '') ?? 0) - 1);
    });
    wrong += Math.abs((minutesOf.get(c.caseId) ?? 0) - (minutesBefore.get(c.caseId) ?? 0) - c.minutes);
    wrong += Math.abs((recorded.get(c.clientId) ?? 0) - c.acknowledged);
  }
  return wrong;
}

export async function pushLoad(server: TestServer, options: { clients: number; seconds: number }): Promise<PushLoadResult> {
  const db = server.store.db;
  // One case per client, spread over the data; each desk works its own case, as specialists do.
  const caseIds = db
    .prepare<[number], string>('SELECT id FROM cases ORDER BY (number * 7919) % 1000003 LIMIT ?')
    .pluck()
    .all(options.clients);
  if (caseIds.length < options.clients) throw new Error('not enough cases for the push load');
  const minutesBefore = new Map(
    caseIds.map((id) => [id, db.prepare<[string], number>('SELECT billable_minutes FROM cases WHERE id = ?').pluck().get(id) ?? 0]),
  );
  const emails = [server.leadEmail, ...server.specialistEmails].slice(0, 5);
  const tokens = [];
  for (const email of emails) tokens.push(await server.login(email));
  const report = await runClients({ url: server.url, tokens, caseIds, seconds: options.seconds, replayEvery: 50 });
  return {
    mutationsPerSecond: Math.round(report.applied / (report.elapsedMs / 1000)),
    p50Ms: percentile(report.latencies, 50),
    p99Ms: percentile(report.latencies, 99),
    lostOrDoubled: verify(server, report, minutesBefore) + (report.replays - report.duplicatesAnswered),
    applied: report.applied,
    replays: report.replays,
    failedRequests: report.failedRequests,
  };
}
