import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Mutation, type MutationResult } from '../../../shared/api';
import type { Case } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';

type Rejected = Extract<MutationResult, { status: 'rejected' }>;

/**
 * The replay key: (specialist, clientId, mutationId) plus the digest of the edit. A replay of
 * the same edit is `duplicate`; another edit under a used key is refused, never swallowed.
 */
describe('sync: the replay key', () => {
  let server: TestServer;
  let specialist: Api;
  let colleague: Api;
  let customerId: string;

  const notes = (caseId: string): Array<string | null> => server.store.events.forCase(caseId).filter((e) => e.kind === 'note').map((e) => e.text);

  async function newCase(desk: Desk): Promise<Case> {
    return desk.createCase({ customerId });
  }

  beforeAll(async () => {
    server = await startTestServer({ cases: 0 });
    specialist = api(server, await server.login(server.specialistEmails[0]));
    colleague = api(server, await server.login(server.specialistEmails[1]));
    customerId = server.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
  });
  afterAll(() => server.close());

  it('refuses another edit under a used mutation id as idempotency_mismatch and applies nothing', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk);
    const first = desk.mutation('addNote', { caseId: c.id, eventId: randomUUID(), text: 'Första anteckningen' }, c.version, '2026-12-07T09:00:00.000Z');
    expect((await desk.push(first)).results[0]?.status).toBe('applied');
    // A desk that lost its counter numbers its next edit as the first again.
    const reused: Mutation = { ...first, args: { caseId: c.id, eventId: randomUUID(), text: 'Ensimmäinen muistiinpano' }, occurredAt: '2026-12-07T10:00:00.000Z' } as Mutation;
    const answer = (await desk.push(reused)).results[0] as Rejected;
    expect(answer).toMatchObject({ mutationId: first.mutationId, status: 'rejected', error: { code: 'idempotency_mismatch', field: 'mutationId' } });
    expect(notes(c.id)).toEqual(['Första anteckningen']);
    // The same edit again is still a replay.
    expect((await desk.push(first)).results[0]).toEqual({ mutationId: first.mutationId, status: 'duplicate' });
  });

  it('tells edits apart by any argument, by the name and by when they were made', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk);
    const minutes = desk.mutation('logMinutes', { caseId: c.id, minutes: 15 }, undefined, '2026-12-07T09:00:00.000Z');
    expect((await desk.push(minutes)).results[0]?.status).toBe('applied');
    const variants = [
      { ...minutes, args: { caseId: c.id, minutes: 16 } },
      { ...minutes, occurredAt: '2026-12-07T09:00:01.000Z' },
      { ...minutes, name: 'markBillingInformed', args: { caseId: c.id } },
    ] as Mutation[];
    const { results } = await desk.push(...variants);
    expect(results.map((r) => (r.status === 'rejected' ? r.error.code : r.status))).toEqual(['idempotency_mismatch', 'idempotency_mismatch', 'idempotency_mismatch']);
    expect(server.store.cases.get(c.id)).toMatchObject({ billableMinutes: 15, billingInformed: false });
  });

  it('keeps a retry whose base version the desk rebased, or whose keys came in another order, a duplicate', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(desk);
    const edit = desk.mutation('editFields', { caseId: c.id, fields: { title: 'Lönen', description: 'Juni' } }, c.version, '2026-12-07T09:00:00.000Z');
    expect((await desk.push(edit)).results[0]?.status).toBe('applied');
    // The desk rebases waiting edits onto the version an earlier one made (sync/outbox.ts), and
    // fills the base in once a case created offline is acknowledged: not a different edit.
    const rebased = { ...edit, baseVersion: c.version + 1 } as Mutation;
    const noBase = { ...edit } as Mutation & { baseVersion?: number };
    delete noBase.baseVersion;
    const reordered = { ...edit, args: { fields: { description: 'Juni', title: 'Lönen' }, caseId: c.id } } as Mutation;
    const { results } = await desk.push(rebased, noBase, reordered);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(server.store.cases.get(c.id)?.version).toBe(c.version + 1);
  });

  it("refuses a colleague's desk id: pushes per edit, number leases with 403, and nothing is applied", async () => {
    const mine = new Desk(specialist);
    const c = await newCase(mine);
    // The colleague sends edits under my desk id, with ids I have not used yet and one I have.
    const theirs = new Desk(colleague);
    const forged = (mutationId: number, text: string): Mutation => ({ clientId: mine.clientId, mutationId, name: 'addNote', args: { caseId: c.id, eventId: randomUUID(), text } });
    const { results } = await theirs.push(forged(1, 'replay of the creation'), forged(50, 'a new id'));
    expect(results.map((r) => (r as Rejected).error)).toEqual([
      expect.objectContaining({ code: 'client_not_yours', field: 'clientId' }),
      expect.objectContaining({ code: 'client_not_yours', field: 'clientId' }),
    ]);
    expect(notes(c.id)).toEqual([]);
    const lease = await colleague.post(ROUTES.numbers, { clientId: mine.clientId, size: 5 });
    expect(lease.status).toBe(403);
    expect(lease.body).toMatchObject({ error: { code: 'client_not_yours', field: 'clientId' } });
    // And my desk goes on as before.
    expect((await mine.push(mine.mutation('addNote', { caseId: c.id, eventId: randomUUID(), text: 'Min anteckning' }))).results[0]?.status).toBe('applied');
  });

  it('gives a desk id to whoever uses it first, by a lease or by a push', async () => {
    const leased = new Desk(colleague);
    await leased.leaseNumbers(1);
    expect((await specialist.post(ROUTES.numbers, { clientId: leased.clientId, size: 1 })).status).toBe(403);
    const pushed = new Desk(specialist);
    const c = await newCase(new Desk(specialist));
    await pushed.push(pushed.mutation('logMinutes', { caseId: c.id, minutes: 5 }));
    expect((await colleague.post(ROUTES.numbers, { clientId: pushed.clientId, size: 1 })).status).toBe(403);
  });

  it('treats rows from before the key named the specialist and the edit as replays, and an unowned old desk id as its first user\'s', async () => {
    const desk = new Desk(specialist);
    const c = await newCase(new Desk(specialist));
    // As migration 5 leaves a log row written before it: no specialist, no digest, no owner.
    server.store.db
      .prepare("INSERT INTO applied_mutations (client_id, mutation_id, applied_at) VALUES (?, 1, '2026-01-01T00:00:00.000Z')")
      .run(desk.clientId);
    const old = desk.mutation('logMinutes', { caseId: c.id, minutes: 30 });
    expect((await desk.push(old)).results[0]).toEqual({ mutationId: 1, status: 'duplicate' });
    expect(server.store.cases.get(c.id)?.billableMinutes).toBe(0);
    const next = await desk.push(desk.mutation('logMinutes', { caseId: c.id, minutes: 10 }));
    expect(next.results[0]?.status).toBe('applied');
    const theirs = new Desk(colleague);
    const forged: Mutation = { clientId: desk.clientId, mutationId: 9, name: 'logMinutes', args: { caseId: c.id, minutes: 99 } };
    expect(((await theirs.push(forged)).results[0] as Rejected).error.code).toBe('client_not_yours');
    expect(server.store.cases.get(c.id)?.billableMinutes).toBe(10);
  });
});
