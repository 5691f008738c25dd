import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, BootstrapQueuedSchema, ChangesPageSchema, ROUTES, type BootstrapPage } from '../../../shared/api';
import { BootstrapGate } from '../../../server/sync/bootstrap-gate';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api, type Reply } from '../../support/http';

describe('the bootstrap gate', () => {
  const clock = { t: 0 };
  const gate = (limit: number) => new BootstrapGate({ limit: () => limit, idleMs: 30_000, staleMs: 60_000, now: () => clock.t });

  it('lets in `limit` bootstraps, queues the rest first come first, and keeps a started one in between its pages', () => {
    const g = gate(2);
    expect(g.admit('a')).toEqual({ admitted: true });
    expect(g.admit('b')).toEqual({ admitted: true });
    expect(g.admit('c')).toEqual({ admitted: false, place: 1, retryAfterSeconds: 1 });
    expect(g.admit('d')).toEqual({ admitted: false, place: 2, retryAfterSeconds: 1 });
    expect(g.admit('e')).toEqual({ admitted: false, place: 3, retryAfterSeconds: 2 });
    // The started ones go on however many wait; the waiting ones keep their places when asking again.
    expect(g.admit('a')).toEqual({ admitted: true });
    expect(g.admit('d')).toMatchObject({ admitted: false, place: 2 });
    g.release('a');
    // The freed slot is the head's: the third in line asking first is still told to wait.
    expect(g.admit('e')).toMatchObject({ admitted: false, place: 3 });
    expect(g.admit('c')).toEqual({ admitted: true });
    expect(g.admit('d')).toMatchObject({ admitted: false, place: 1 });
    expect(g.counts).toEqual({ active: 2, waiting: 2 });
  });

  it('gives back the slot of a desk that stopped asking, and the place of a waiter that went away', () => {
    clock.t = 0;
    const g = gate(1);
    expect(g.admit('a')).toEqual({ admitted: true });
    expect(g.admit('gone')).toMatchObject({ admitted: false, place: 1 });
    clock.t = 20_000;
    expect(g.admit('b')).toMatchObject({ admitted: false, place: 2 });
    // a has asked for no page for over 30 s; "gone" has not asked again for over 60 s.
    clock.t = 40_000;
    expect(g.admit('b')).toMatchObject({ admitted: false, place: 2 });
    clock.t = 61_000;
    expect(g.admit('b')).toEqual({ admitted: true });
    expect(g.counts).toEqual({ active: 1, waiting: 0 });
  });

  it('has no limit at 0', () => {
    const g = gate(0);
    for (const key of ['a', 'b', 'c', 'd']) expect(g.admit(key)).toEqual({ admitted: true });
  });
});

describe('sync: bootstraps beyond the limit wait their turn', () => {
  let server: TestServer;
  const desks: Api[] = [];

  beforeAll(async () => {
    server = await startTestServer({ cases: 300 });
    for (let i = 0; i < 4; i++) desks.push(api(server, await server.login()));
  }, 120_000);
  afterAll(() => server.close());

  const page = (http: Api, next?: string | null): Promise<Reply<BootstrapPage>> => {
    const query = new URLSearchParams({ teams: '1', limit: '40' });
    if (next) query.set('page', next);
    return http.get<BootstrapPage>(`${ROUTES.bootstrap}?${query}`);
  };
  const queued = (reply: Reply<unknown>): { place: number; retryAfterSeconds: number } => {
    expect(reply.status).toBe(503);
    const body = BootstrapQueuedSchema.parse(reply.body);
    expect(body.error.code).toBe('bootstrap_queued');
    expect(reply.headers.get('retry-after')).toBe(String(body.queue.retryAfterSeconds));
    return body.queue;
  };

  it('with the limit 1: the second desk is told to wait while the first goes on to its last page, and pushes and pulls are answered meanwhile', async () => {
    server.limits.bootstrapConcurrency = 1;
    const [first, second, third, other] = desks as [Api, Api, Api, Api];
    const firstPage = await page(first);
    expect(firstPage.status).toBe(200);
    let next = BootstrapPageSchema.parse(firstPage.body).next;
    expect(next).not.toBeNull();

    expect(queued(await page(second))).toEqual({ place: 1, retryAfterSeconds: 1 });
    expect(queued(await page(third))).toEqual({ place: 2, retryAfterSeconds: 2 });

    // Another desk's work is never queued: a push and a pull are answered while the two wait.
    const caseId = server.store.db.prepare<[], string>('SELECT id FROM cases LIMIT 1').pluck().get() ?? '';
    const push = await other.post<{ results: Array<{ status: string }> }>(ROUTES.push, {
      mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId, eventId: randomUUID(), text: 'answered during a storm' } }],
    });
    expect(push.status).toBe(200);
    expect(push.body.results[0]?.status).toBe('applied');
    const pull = await other.get(`${ROUTES.changes}?after=0&limit=10`);
    expect(pull.status).toBe(200);
    ChangesPageSchema.parse(pull.body);

    // The started bootstrap is not starved by those waiting: page after page, to its end.
    let pages = 1;
    while (next) {
      // The waiting desks keep asking between its pages, and keep their places.
      expect(queued(await page(third)).place).toBe(2);
      const reply = await page(first, next);
      expect(reply.status).toBe(200);
      next = BootstrapPageSchema.parse(reply.body).next;
      pages++;
    }
    expect(pages).toBeGreaterThan(3);

    // Its last page freed the slot for the head of the queue, not for the third asking first.
    expect(queued(await page(third)).place).toBe(2);
    expect((await page(second)).status).toBe(200);
    expect(queued(await page(third)).place).toBe(1);
  });

  it('a desk asking with a cursor it was let in for is never queued, and 0 turns the limit off', async () => {
    server.limits.bootstrapConcurrency = 0;
    const [, , third, other] = desks as [Api, Api, Api, Api];
    expect((await page(third)).status).toBe(200);
    expect((await page(other)).status).toBe(200);
  });
});
