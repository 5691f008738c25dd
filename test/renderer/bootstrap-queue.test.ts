/**
 * A desk whose first sync the server queues behind other desks' (DESK_BOOTSTRAP_CONCURRENCY):
 * it shows its place, is neither offline nor in error, asks again when the server said (never
 * in a busy loop), and syncs completely once its turn comes. Real server, fake-indexeddb.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, ROUTES, type BootstrapPage } from '../../shared/index';
import { QUEUE_JITTER } from '../../renderer/src/sync/engine';
import { api } from '../support/http';
import { startTestServer, type TestServer } from '../support/server';
import { cachedCases, openDesk, until, type TestDesk } from './desk';

let server: TestServer;
const open: TestDesk[] = [];
const realFetch = globalThis.fetch;

beforeAll(async () => {
  server = await startTestServer({ cases: 300 });
}, 120_000);
afterEach(() => {
  globalThis.fetch = realFetch;
  for (const d of open.splice(0)) d.close();
});
afterAll(() => server.close());

describe('the bootstrap queue on the desk', () => {
  it('waits its turn with its place shown, asks again by Retry-After with jitter, then syncs everything', async () => {
    server.limits.bootstrapConcurrency = 1;
    // Another desk holds the only slot, half way through its first sync.
    const holder = api(server, await server.login());
    const firstPage = await holder.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=40`);
    expect(firstPage.status).toBe(200);
    let next = BootstrapPageSchema.parse(firstPage.body).next;

    // Every bootstrap request of the desk, when it was sent and what it was answered.
    const asked: Array<{ at: number; status: number }> = [];
    globalThis.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      if (new URL(String(input instanceof Request ? input.url : input)).pathname === ROUTES.bootstrap) asked.push({ at: performance.now(), status: res.status });
      return res;
    };
    const d = await openDesk(server.url, await server.login(server.specialistEmails[0]), { live: false, pageSize: 100 });
    open.push(d);
    await d.engine.start();
    await until(() => asked.filter((a) => a.status === 503).length >= 3, 'the desk to be queued and ask again twice', 15_000);

    expect(d.engine.status.waiting).toEqual({ place: 1 });
    // The server answered: neither offline nor an error, and the first sync not done.
    expect(d.engine.status.connection).toBe('online');
    expect(d.engine.status.serverError).toBeNull();
    expect(d.engine.status.bootstrap.complete).toBe(false);
    // Asked again after the server's 1 s, plus at most the jitter: never a busy loop.
    const gaps = asked.slice(1).map((a, i) => a.at - (asked[i]?.at ?? 0));
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(990);
      expect(gap).toBeLessThan(1000 * (1 + QUEUE_JITTER) + 500);
    }

    // The holder's last page frees the slot: the desk's turn comes, and it syncs every case.
    while (next) {
      const reply = await holder.get<BootstrapPage>(`${ROUTES.bootstrap}?teams=1&limit=40&page=${encodeURIComponent(next)}`);
      expect(reply.status).toBe(200);
      next = BootstrapPageSchema.parse(reply.body).next;
    }
    await until(() => d.engine.status.bootstrap.complete, 'the queued bootstrap to finish', 20_000);
    expect(d.engine.status.waiting).toBeNull();
    expect(d.statuses.some((s) => s.waiting?.place === 1)).toBe(true);
    expect(d.statuses.every((s) => s.connection === 'online')).toBe(true);
    expect((await cachedCases(d.db)).size).toBe(server.store.cases.count());
  });
});
