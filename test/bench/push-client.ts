/**
 * The push load: N desks, each pushing one mutation per request as fast as the server answers,
 * for a fixed time. Runs as its own process (push-load.ts starts it) so that the clients'
 * HTTP and JSON work does not share the server's event loop. Every mutation is sent until it is
 * acknowledged (a failed request is retried with the same mutationId, as a desk's outbox does),
 * and every `replayEvery`-th is deliberately sent twice, to exercise the idempotency the
 * lost-or-doubled check then verifies in the database.
 *
 * argv[2]: JSON PushClientConfig; stdout: one JSON PushClientReport.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ROUTES } from '../../shared/api';

export interface PushClientConfig {
  url: string;
  tokens: string[];
  /** One case per client: its notes and minutes are checked afterwards. */
  caseIds: string[];
  seconds: number;
  replayEvery: number;
}

export interface ClientAcks {
  clientId: string;
  caseId: string;
  noteEventIds: string[];
  noteTexts: string[];
  minutes: number;
  acknowledged: number;
}

export interface PushClientReport {
  /** Mutations applied for the first time (replays not counted). */
  applied: number;
  replays: number;
  duplicatesAnswered: number;
  failedRequests: number;
  elapsedMs: number;
  /** Round trip of every request, ms. */
  latencies: number[];
  clients: ClientAcks[];
}

function post(agent: http.Agent, base: URL, token: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: ROUTES.push,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function runPushClients(config: PushClientConfig): Promise<PushClientReport> {
  const base = new URL(config.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.caseIds.length });
  const report: PushClientReport = { applied: 0, replays: 0, duplicatesAnswered: 0, failedRequests: 0, elapsedMs: 0, latencies: [], clients: [] };
  const started = performance.now();
  const until = started + config.seconds * 1000;
  let lastAnswer = started;

  const send = async (token: string, body: string): Promise<string> => {
    for (;;) {
      const t0 = performance.now();
      try {
        const res = await post(agent, base, token, body);
        const now = performance.now();
        report.latencies.push(now - t0);
        lastAnswer = now;
        if (res.status === 200) {
          const parsed = JSON.parse(res.text) as { results: Array<{ status: string }> };
          const status = parsed.results[0]?.status ?? 'missing';
          if (status === 'applied' || status === 'duplicate') return status;
          throw new Error(`push answered ${status}: ${res.text.slice(0, 300)}`);
        }
        if (res.status < 500) throw new Error(`push answered HTTP ${res.status}: ${res.text.slice(0, 300)}`);
        report.failedRequests++;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('push answered')) throw error;
        report.failedRequests++;
      }
    }
  };

  await Promise.all(
    config.caseIds.map(async (caseId, i) => {
      const token = config.tokens[i % config.tokens.length] ?? '';
      const acks: ClientAcks = { clientId: randomUUID(), caseId, noteEventIds: [], noteTexts: [], minutes: 0, acknowledged: 0 };
      report.clients.push(acks);
      for (let mutationId = 1; performance.now() < until; mutationId++) {
        const note = mutationId % 2 === 1;
        const eventId = randomUUID();
        const text = `bench ${acks.clientId} ${mutationId}`;
        const mutation = note
          ? { clientId: acks.clientId, mutationId, name: 'addNote', args: { caseId, eventId, text } }
          : { clientId: acks.clientId, mutationId, name: 'logMinutes', args: { caseId, minutes: 1 } };
        const body = JSON.stringify({ mutations: [mutation] });
        const status = await send(token, body);
        if (status === 'applied') report.applied++;
        acks.acknowledged++;
        if (note) {
          acks.noteEventIds.push(eventId);
          acks.noteTexts.push(text);
        } else acks.minutes++;
        if (mutationId % config.replayEvery === 0) {
          report.replays++;
          if ((await send(token, body)) === 'duplicate') report.duplicatesAnswered++;
        }
      }
    }),
  );
  report.elapsedMs = lastAnswer - started;
  agent.destroy();
  return report;
}

// This module is the process's entry point: push-load.ts imports only its types.
runPushClients(JSON.parse(process.argv[2] ?? '{}') as PushClientConfig).then(
  (report) => process.stdout.write(JSON.stringify(report)),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
