/** The server records an edit at the time the specialist made it, within bounds its own clock sets. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Case, type CaseDetail, type Mutation, type PushResponse } from '../../../shared/index';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';

const HOUR = 3_600_000;

describe('occurredAt', () => {
  let server: TestServer;
  let http: Api;
  let clock = Date.parse('2026-11-24T12:00:00.000Z');
  const clientId = randomUUID();
  let nextId = 1;

  const push = async (m: Omit<Mutation, 'clientId' | 'mutationId'>): Promise<PushResponse['results'][number]> => {
    const reply = await http.post<PushResponse>(ROUTES.push, { mutations: [{ clientId, mutationId: nextId++, ...m }] });
    expect(reply.status).toBe(200);
    return reply.body.results[0]!;
  };
  const detail = async (c: Case) => (await http.get<CaseDetail>(ROUTES.caseByNumber(c.number))).body;

  const lease = async (): Promise<number> => (await http.post<{ from: number }>(ROUTES.numbers, { clientId, size: 1 })).body.from;

  async function newCase(occurredAt?: string, number?: number): Promise<Case> {
    const customerId = server.store.db.prepare<[], string>('SELECT id FROM customers LIMIT 1').pluck().get()!;
    const result = await push({
      name: 'createCase',
      ...(occurredAt === undefined ? {} : { occurredAt }),
      args: { id: randomUUID(), number: number ?? (await lease()), customerId, contactId: null, product: 'go', module: 'payroll', category: 'support', serviceLevel: null, team: 1, title: 'Fråga', description: '', channel: 'phone' },
    } as Omit<Mutation, 'clientId' | 'mutationId'>);
    if (result.status !== 'applied') throw new Error(JSON.stringify(result));
    return result.case!;
  }

  beforeAll(async () => {
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock) } });
    http = api(server, await server.login());
  });

  afterAll(async () => {
    await server?.close();
  });

  it('registers a case created offline when it was created, not before its number was leased', async () => {
    const leasedAt = clock;
    const [first, second] = [await lease(), await lease()];
    clock += 2 * HOUR;
    const made = new Date(leasedAt + HOUR).toISOString();
    const c = await newCase(made, first);
    expect(c.registeredAt).toBe(made);
    expect((await detail(c)).events[0]).toMatchObject({ kind: 'created', at: made, receivedAt: new Date(clock).toISOString() });
    // A desk clock far behind: not before the lease.
    const early = await newCase(new Date(leasedAt - 24 * HOUR).toISOString(), second);
    expect(early.registeredAt).toBe(new Date(leasedAt).toISOString());
  });

  it('starts and ends the SLA clock when the specialist acted, never before registration nor after receipt', async () => {
    const c = await newCase(new Date(clock).toISOString());
    clock += 3 * HOUR;
    const moved = await push({ name: 'transition', baseVersion: c.version, occurredAt: new Date(clock - 2 * HOUR).toISOString(), args: { caseId: c.id, to: 'line1' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    expect(moved.status === 'applied' && moved.case?.handlingStartedAt).toBe(new Date(clock - 2 * HOUR).toISOString());
    // A desk clock ahead of the server's: the receipt.
    const closed = await push({ name: 'transition', occurredAt: new Date(clock + 5 * HOUR).toISOString(), args: { caseId: c.id, to: 'closed' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    expect(closed.status === 'applied' && closed.case?.resolvedAt).toBe(new Date(clock).toISOString());
    const other = await newCase(new Date(clock).toISOString());
    // A desk clock behind the registration: the registration.
    const behind = await push({ name: 'transition', occurredAt: new Date(clock - 9 * HOUR).toISOString(), args: { caseId: other.id, to: 'line1' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    expect(behind.status === 'applied' && behind.case?.handlingStartedAt).toBe(other.registeredAt);
    // A desk older than occurredAt: the receipt.
    clock += HOUR;
    const note = await push({ name: 'addNote', args: { caseId: other.id, eventId: randomUUID(), text: 'Ringde' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    expect(note.status).toBe('applied');
    expect((await detail(other)).events.find((e) => e.kind === 'note')).toMatchObject({ at: new Date(clock).toISOString(), receivedAt: new Date(clock).toISOString() });
  });

  it('orders the history by when things happened', async () => {
    const c = await newCase(new Date(clock).toISOString());
    clock += 2 * HOUR;
    await push({ name: 'addNote', occurredAt: new Date(clock).toISOString(), args: { caseId: c.id, eventId: randomUUID(), text: 'second' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    await push({ name: 'addNote', occurredAt: new Date(clock - HOUR).toISOString(), args: { caseId: c.id, eventId: randomUUID(), text: 'first, made offline' } } as Omit<Mutation, 'clientId' | 'mutationId'>);
    expect((await detail(c)).events.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['first, made offline', 'second']);
  });
});
