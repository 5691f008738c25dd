/**
 * Attacks on the replay key and on who holds a case, against a real server over HTTP:
 * - an edit sent under a mutation id already used (a desk whose counter restarted) was answered
 *   `duplicate` and silently dropped;
 * - a specialist could push edits and lease case numbers under a colleague's desk id;
 * - a specialist could take a colleague's case: assign is refused, but transfer → transfer back
 *   → assign in one push got through.
 * Each must now fail to get through.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type Mutation, type MutationResult, type Specialist } from '../../shared/index';
import { startTestServer, type TestServer } from '../support/server';
import { Desk } from '../support/cases';
import { api, type Api } from '../support/http';
import { reliabilityTally } from './support/summary';

const tally = reliabilityTally(import.meta.url);
afterAll(() => tally.finish());

const codeOf = (r: MutationResult | undefined): string | undefined => (r?.status === 'rejected' ? r.error.code : r?.status);

describe('attacks on idempotency and on who holds a case', () => {
  let server: TestServer;
  let attacker: Api;
  let victim: Api;
  let attackerMe: Specialist;
  let victimMe: Specialist;
  let customerId: string;

  const notesOf = (caseId: string): Array<string | null> => server.store.events.forCase(caseId).filter((e) => e.kind === 'note').map((e) => e.text);

  beforeAll(async () => {
    server = await startTestServer({ cases: 0 });
    // Erik serves team 1 only, the victim team 2 only: a transfer to team 1 releases the victim.
    const everyone = server.store.specialists.list().filter((s) => s.role === 'specialist');
    attackerMe = everyone.find((s) => s.teams.join() === '1')!;
    victimMe = everyone.find((s) => s.teams.join() === '2')!;
    attacker = api(server, await server.login(attackerMe.email));
    victim = api(server, await server.login(victimMe.email));
    customerId = server.store.db.prepare('SELECT id FROM customers ORDER BY id LIMIT 1').pluck().get() as string;
  });
  afterAll(() => server.close());

  it('a new edit under a used mutation id (a restarted counter) is refused, not swallowed as a duplicate', async () => {
    const desk = new Desk(victim);
    const c = await desk.createCase({ customerId });
    const first = desk.mutation('addNote', { caseId: c.id, eventId: randomUUID(), text: 'Kunden ringer tillbaka i morgon' });
    await desk.push(first);
    // The rebuilt cache kept the desk id and numbered its next edits from 1 again.
    const reused = [1, first.mutationId].map(
      (mutationId, i): Mutation => ({ clientId: desk.clientId, mutationId, occurredAt: new Date().toISOString(), name: 'addNote', args: { caseId: c.id, eventId: randomUUID(), text: `Uusi muistiinpano ${i}` } }),
    );
    const { results } = await desk.push(...reused);
    const swallowed = results.some((r) => r.status === 'duplicate' || r.status === 'applied');
    const succeeded = swallowed || notesOf(c.id).length !== 1;
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(results.map(codeOf)).toEqual(['idempotency_mismatch', 'idempotency_mismatch']);
    expect(succeeded).toBe(false);
  });

  it("edits under a colleague's desk id are refused, replays of theirs included", async () => {
    const victimsDesk = new Desk(victim);
    const c = await victimsDesk.createCase({ customerId });
    const forged = (mutationId: number): Mutation => ({ clientId: victimsDesk.clientId, mutationId, name: 'logMinutes', args: { caseId: c.id, minutes: 60 } });
    const { results } = await new Desk(attacker).push(forged(1), forged(2), forged(1000));
    const succeeded = results.some((r) => r.status !== 'rejected') || (server.store.cases.get(c.id)?.billableMinutes ?? 0) !== 0;
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(results.map(codeOf)).toEqual(['client_not_yours', 'client_not_yours', 'client_not_yours']);
    expect(succeeded).toBe(false);
  });

  it("case numbers cannot be leased under a colleague's desk id", async () => {
    const victimsDesk = new Desk(victim);
    await victimsDesk.leaseNumbers(1);
    const lease = await attacker.post(ROUTES.numbers, { clientId: victimsDesk.clientId, size: 10 });
    const succeeded = lease.status === 200;
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(lease.status).toBe(403);
    expect(succeeded).toBe(false);
  });

  it("transfer, transfer back and assign in one push does not hand a specialist a colleague's case", async () => {
    const victimsDesk = new Desk(victim);
    const c = await victimsDesk.createCase({ customerId, team: 2 });
    await victimsDesk.push(victimsDesk.mutation('assign', { caseId: c.id, assigneeId: victimMe.id }));
    const desk = new Desk(attacker);
    const { results } = await desk.push(
      desk.mutation('transfer', { caseId: c.id, toTeam: 1, reason: 'Fel team' }),
      desk.mutation('transfer', { caseId: c.id, toTeam: 2, reason: 'Tillbaka' }),
      desk.mutation('assign', { caseId: c.id, assigneeId: attackerMe.id }),
    );
    const stored = server.store.cases.get(c.id);
    const succeeded = stored?.assigneeId === attackerMe.id;
    tally.add({ attacks: 1, gotThrough: succeeded ? 1 : 0 });
    expect(results.map(codeOf)).toEqual(['forbidden', 'same_team', 'forbidden']);
    expect(stored).toMatchObject({ assigneeId: victimMe.id, team: 2 });
    expect(succeeded).toBe(false);
  });
});
