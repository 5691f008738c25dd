/** The server records an edit at the time the specialist made it, within bounds its own clock sets. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Case, type CaseDetail, type Mutation } from '../../../shared/index';
import { caseArgs, Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { startTestServer, type TestServer } from '../../support/server';

const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe('occurredAt', () => {
  let server: TestServer;
  let http: Api;
  let desk: Desk;
  let customerId: string;
  let clock = Date.parse('2026-11-24T12:00:00.000Z');

  const push = async (m: Mutation) => (await desk.push(m)).results[0]!;
  const detail = async (c: Case) => (await http.get<CaseDetail>(ROUTES.caseByNumber(c.number))).body;

  async function newCase(occurredAt: string, number?: number): Promise<Case> {
    const args = caseArgs({ number: number ?? (await desk.leaseNumbers()).from, customerId, title: 'Fråga' });
    const result = await push(desk.mutation('createCase', args, undefined, occurredAt));
    if (result.status !== 'applied') throw new Error(JSON.stringify(result));
    return result.case!;
  }

  beforeAll(async () => {
    // The clock jumps hours between edits: the session's idle limit is set beyond them.
    server = await startTestServer({ cases: 0, server: { now: () => new Date(clock), sessionIdleMinutes: 24 * 60 } });
    http = api(server, await server.login());
    desk = new Desk(http);
    customerId = server.store.db.prepare<[], string>('SELECT id FROM customers LIMIT 1').pluck().get()!;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('registers a case created offline when it was created, not before its number was leased', async () => {
    const leasedAt = clock;
    const block = await desk.leaseNumbers(2);
    clock += 2 * HOUR;
    const made = iso(leasedAt + HOUR);
    const c = await newCase(made, block.from);
    expect(c.registeredAt).toBe(made);
    expect((await detail(c)).events[0]).toMatchObject({ kind: 'created', at: made, receivedAt: iso(clock) });
    // A desk clock far behind: not before the lease.
    const early = await newCase(iso(leasedAt - 24 * HOUR), block.to);
    expect(early.registeredAt).toBe(iso(leasedAt));
  });

  it('starts and ends the SLA clock when the specialist acted, never before registration nor after receipt', async () => {
    const c = await newCase(iso(clock));
    clock += 3 * HOUR;
    const moved = await push(desk.mutation('transition', { caseId: c.id, to: 'line1' }, c.version, iso(clock - 2 * HOUR)));
    expect(moved.status === 'applied' && moved.case?.handlingStartedAt).toBe(iso(clock - 2 * HOUR));
    // A desk clock ahead of the server's: the receipt.
    const closed = await push(desk.mutation('transition', { caseId: c.id, to: 'closed' }, undefined, iso(clock + 5 * HOUR)));
    expect(closed.status === 'applied' && closed.case?.resolvedAt).toBe(iso(clock));
    const other = await newCase(iso(clock));
    // A desk clock behind the registration: the registration.
    const behind = await push(desk.mutation('transition', { caseId: other.id, to: 'line1' }, undefined, iso(clock - 9 * HOUR)));
    expect(behind.status === 'applied' && behind.case?.handlingStartedAt).toBe(other.registeredAt);
    // A desk older than occurredAt: the receipt.
    clock += HOUR;
    const note = await push(desk.mutation('addNote', { caseId: other.id, eventId: randomUUID(), text: 'Ringde' }));
    expect(note.status).toBe('applied');
    expect((await detail(other)).events.find((e) => e.kind === 'note')).toMatchObject({ at: iso(clock), receivedAt: iso(clock) });
  });

  it('orders the history by when things happened', async () => {
    const c = await newCase(iso(clock));
    clock += 2 * HOUR;
    await push(desk.mutation('addNote', { caseId: c.id, eventId: randomUUID(), text: 'second' }, undefined, iso(clock)));
    await push(desk.mutation('addNote', { caseId: c.id, eventId: randomUUID(), text: 'first, made offline' }, undefined, iso(clock - HOUR)));
    expect((await detail(c)).events.filter((e) => e.kind === 'note').map((e) => e.text)).toEqual(['first, made offline', 'second']);
  });
});
