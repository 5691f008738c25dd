import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesPageSchema, ROUTES, type MutationResult } from '../../../shared/api';
import type { Call, Case, Contact } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

type Applied = Extract<MutationResult, { status: 'applied' }>;
type Rejected = Extract<MutationResult, { status: 'rejected' }>;

describe('sync: logging a call on a case', () => {
  let server: TestServer;
  let specialist: Api;
  let specialistId: string;
  let caller: Contact;
  let openCases: Case[];

  /** A call announced by the phone switch, as the server recorded it. */
  async function switchCall(event: Record<string, string>): Promise<Call> {
    const callId = randomUUID();
    const reply = await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', to: '+46812345001', ...event, callId });
    expect(reply.status).toBe(200);
    return server.store.calls.getBySwitchId(callId) as Call;
  }

  beforeAll(async () => {
    server = await startTestServer({ cases: 300 });
    specialist = api(server, await server.login(server.specialistEmails[0]));
    specialistId = (await specialist.get(ROUTES.me)).body.specialist.id;
    // A SuperUser with a phone whose customer has at least two open cases.
    const id = server.store.db
      .prepare(
        `SELECT co.id FROM contacts co JOIN cases c ON c.customer_id = co.customer_id
         WHERE co.phone IS NOT NULL AND c.status <> 'closed' GROUP BY co.id HAVING count(*) >= 2 LIMIT 1`,
      )
      .pluck()
      .get() as string;
    caller = server.store.contacts.get(id) as Contact;
    const caseIds = server.store.db
      .prepare(`SELECT id FROM cases WHERE customer_id = ? AND status <> 'closed' ORDER BY number LIMIT 2`)
      .pluck()
      .all(caller.customerId) as string[];
    openCases = caseIds.map((c) => server.store.cases.get(c) as Case);
  });
  afterAll(() => server.close());

  it('puts the call in the case history with who logged it and who called, without touching tracked fields', async () => {
    const target = openCases[0] as Case;
    const call = await switchCall({ from: caller.phone as string, direction: 'in' });
    const desk = new Desk(specialist);
    const before = server.store.changes.latestSeq();
    const eventId = randomUUID();
    // A stale base version does not matter: the call changes no field anyone could have edited.
    const result = (await desk.push(desk.mutation('logCall', { caseId: target.id, callId: call.id, eventId }, 1))).results[0] as Applied;
    expect(result.status).toBe('applied');
    expect(result.case?.version).toBe(target.version + 1);
    expect(result.case?.fieldVersions).toEqual(target.fieldVersions);

    const logged = server.store.events.forCase(target.id).filter((e) => e.kind === 'call');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      id: eventId,
      actorId: specialistId,
      text: null,
      data: { callId: call.id, direction: 'in', number: caller.phone, contactId: caller.id, name: caller.name, startedAt: call.startedAt },
    });
    // Desks learn of it through the change log.
    const changes = ChangesPageSchema.parse((await specialist.get(`${ROUTES.changes}?after=${before}`)).body);
    expect(changes.events.map((e) => e.id)).toContain(eventId);
  });

  it('names the other party of an outgoing call, and only the number of an unknown caller', async () => {
    const target = openCases[1] as Case;
    const out = await switchCall({ from: '201', to: caller.phone as string, direction: 'out' });
    const unknown = await switchCall({ from: '+46705550199', direction: 'in' });
    const desk = new Desk(specialist);
    const { results } = await desk.push(
      desk.mutation('logCall', { caseId: target.id, callId: out.id, eventId: randomUUID() }),
      desk.mutation('logCall', { caseId: target.id, callId: unknown.id, eventId: randomUUID() }),
    );
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const data = server.store.events.forCase(target.id).filter((e) => e.kind === 'call').map((e) => e.data);
    expect(data).toEqual([
      expect.objectContaining({ callId: out.id, direction: 'out', number: caller.phone, contactId: caller.id, name: caller.name }),
      expect.objectContaining({ callId: unknown.id, direction: 'in', number: '+46705550199', contactId: null, name: null }),
    ]);
  });

  it('logs one call once per case: a replay is a duplicate, opening the case again changes nothing', async () => {
    const [first, second] = openCases as [Case, Case];
    const call = await switchCall({ from: caller.phone as string, direction: 'in' });
    const desk = new Desk(specialist);
    const log = desk.mutation('logCall', { caseId: first.id, callId: call.id, eventId: randomUUID() });
    expect((await desk.push(log)).results[0]?.status).toBe('applied');
    expect((await desk.push(log)).results[0]).toEqual({ mutationId: log.mutationId, status: 'duplicate' });
    // Another tab or a colleague opens the same case during the same call.
    const colleague = new Desk(api(server, await server.login()));
    const again = (await colleague.push(colleague.mutation('logCall', { caseId: first.id, callId: call.id, eventId: randomUUID() }))).results[0] as Applied;
    expect(again.status).toBe('applied');
    const versionAfterFirst = server.store.cases.get(first.id)?.version;
    expect(again.case?.version).toBe(versionAfterFirst);
    const ofCall = (c: Case) => server.store.events.forCase(c.id).filter((e) => e.kind === 'call' && e.data.callId === call.id);
    expect(ofCall(first)).toHaveLength(1);
    expect(ofCall(first)[0]?.actorId).toBe(specialistId);
    // The same call is in the history of each case it was about.
    expect((await desk.push(desk.mutation('logCall', { caseId: second.id, callId: call.id, eventId: randomUUID() }))).results[0]?.status).toBe('applied');
    expect(ofCall(second)).toHaveLength(1);
  });

  it('refuses an unknown case, an unknown call and a used event id, naming the field, and writes nothing', async () => {
    const target = openCases[0] as Case;
    const call = await switchCall({ from: caller.phone as string, direction: 'in' });
    const desk = new Desk(specialist);
    const note = randomUUID();
    await desk.push(desk.mutation('addNote', { caseId: target.id, eventId: note, text: 'Ringde.' }));
    const eventsBefore = server.store.events.forCase(target.id).length;
    const { results } = await desk.push(
      desk.mutation('logCall', { caseId: 'no-such-case', callId: call.id, eventId: randomUUID() }),
      desk.mutation('logCall', { caseId: target.id, callId: 'no-such-call', eventId: randomUUID() }),
      // The switch's own id is not the call record's id.
      desk.mutation('logCall', { caseId: target.id, callId: call.callId, eventId: randomUUID() }),
      desk.mutation('logCall', { caseId: target.id, callId: call.id, eventId: note }),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(results.map((r) => (r as Rejected).error)).toEqual([
      expect.objectContaining({ code: 'not_found', field: 'args.caseId' }),
      expect.objectContaining({ code: 'not_found', field: 'args.callId' }),
      expect.objectContaining({ code: 'not_found', field: 'args.callId' }),
      expect.objectContaining({ code: 'exists', field: 'args.eventId' }),
    ]);
    expect(server.store.events.forCase(target.id)).toHaveLength(eventsBefore);

    for (const [args, field] of [
      [{ caseId: target.id, eventId: randomUUID() }, 'mutations.0.args.callId'],
      [{ caseId: target.id, callId: 42, eventId: randomUUID() }, 'mutations.0.args.callId'],
      [{ caseId: target.id, callId: call.id }, 'mutations.0.args.eventId'],
      [{ callId: call.id, eventId: randomUUID() }, 'mutations.0.args.caseId'],
    ] as const) {
      const reply = await specialist.post(ROUTES.push, { mutations: [desk.mutation('logCall', args)] });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'invalid', field });
    }
  });

  it("forgets the caller's name and number in logged calls when the contact is anonymised", async () => {
    const target = openCases[1] as Case;
    const call = await switchCall({ from: caller.phone as string, direction: 'in' });
    const desk = new Desk(specialist);
    const eventId = randomUUID();
    await desk.push(desk.mutation('logCall', { caseId: target.id, callId: call.id, eventId }));
    const before = server.store.changes.latestSeq();
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    expect((await lead.post(ROUTES.gdprAnonymise(caller.id))).status).toBe(200);

    const calls = server.store.events.forCase(target.id).filter((e) => e.kind === 'call');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const e of calls.filter((c) => c.data.contactId === caller.id)) {
      expect(e.data).toMatchObject({ name: null, number: null, contactId: caller.id });
    }
    expect(JSON.stringify(server.store.events.forCase(target.id))).not.toContain(caller.phone as string);
    // Desks holding the event get the blanked one.
    const changes = ChangesPageSchema.parse((await lead.get(`${ROUTES.changes}?after=${before}`)).body);
    expect(changes.events.find((e) => e.id === eventId)?.data).toMatchObject({ name: null, number: null });
  });
});
