/**
 * By hand: `npx tsx test/bench/server-throughput.ts [--cases 100000] [--clients 50] [--seconds 10]`.
 * Measures seeding, a full bootstrap over HTTP (rows/s), and concurrent pushes (mutations/s,
 * latency percentiles). Not part of `npm test`; prints one JSON line per measurement.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ROUTES, type PushResponse } from '../../shared/api';
import { api } from '../support/http';
import { startTestServer } from '../support/server';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    limit: { type: 'string', default: '5000' },
  },
});
const cases = Number(values.cases);

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function main(): Promise<void> {
  let started = performance.now();
  const server = await startTestServer({ cases });
  console.log(JSON.stringify({ measure: 'seed', cases, ms: Math.round(performance.now() - started) }));
  try {
    const token = await server.login();
    const auth = { authorization: `Bearer ${token}` };
    const desk = api(server, token);

    started = performance.now();
    let page: string | null | undefined;
    let rows = 0;
    let pages = 0;
    let bytes = 0;
    do {
      const query = new URLSearchParams({ teams: '1', limit: values.limit });
      if (page) query.set('page', page);
      const response = await fetch(`${server.url}${ROUTES.bootstrap}?${query}`, { headers: auth });
      const text = await response.text();
      bytes += text.length;
      // The server's rate: the client here reads only the page's tail (next, progress), a desk
      // parses it all; so not the shared client, which would parse every page.
      const tail = JSON.parse(`{${text.slice(text.lastIndexOf('"next":'))}`) as { next: string | null; progress: { done: number } };
      rows = tail.progress.done;
      pages++;
      page = tail.next;
    } while (page);
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({ measure: 'bootstrap', rows, pages, mb: Math.round(bytes / 1e6), seconds: +seconds.toFixed(2), rowsPerSecond: Math.round(rows / seconds) }));

    const openCase = server.store.cases.openForCustomer(server.store.cases.getByNumber(100001)?.customerId ?? '', null, 1)[0];
    const target = openCase ?? server.store.cases.getByNumber(100001);
    if (!target) throw new Error('no case to push to');
    const clientCount = Number(values.clients);
    const until = performance.now() + Number(values.seconds) * 1000;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: clientCount }, async () => {
        const clientId = randomUUID();
        let mutationId = 0;
        while (performance.now() < until) {
          mutationId++;
          const t0 = performance.now();
          const { body } = await desk.post<PushResponse>(ROUTES.push, {
            mutations: [{ clientId, mutationId, name: 'addNote', args: { caseId: target.id, eventId: randomUUID(), text: 'bench' } }],
          });
          if (body.results[0]?.status !== 'applied') throw new Error(JSON.stringify(body));
          latencies.push(performance.now() - t0);
        }
      }),
    );
    latencies.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        measure: 'push',
        clients: clientCount,
        mutations: latencies.length,
        perSecond: Math.round(latencies.length / Number(values.seconds)),
        p50ms: +percentile(latencies, 50).toFixed(1),
        p99ms: +percentile(latencies, 99).toFixed(1),
      }),
    );
  } finally {
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
