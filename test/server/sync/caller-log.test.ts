import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BootstrapPageSchema, ChangesPageSchema, MeResponseSchema, ROUTES, type MutationResult } from '../../../shared/api';
import type { Call, Case, CaseEvent } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';

type Rejected = Extract<MutationResult, { status: 'rejected' }>;

describe('sync: the caller log (calls in the feed, marking done, calling back)', () => {
  let server: TestServer;
  let specialist: Api;
  let specialistId: string;

  /** A call the switch announced and hung up without anyone answering, in queue `queue`. */
  async function missedCall(from: string, queue = 'hantverk'): Promise<Call> {
    const callId = randomUUID();
    const cti = api(server);
    for (const event of ['newCall', 'hangup']) {
      const reply = await cti.post(ROUTES.cti(server.ctiToken), { event, from, to: '+46812345000', direction: 'in', queue, callId, cause: 'cancel' });
      expect(reply.status).toBe(200);
    }
    return server.store.calls.getBySwitchId(callId) as Call;
  }

  async function changesAfter(seq: number) {
    const reply = await specialist.get(`${ROUTES.changes}?after=${seq}`);
    expect(reply.status).toBe(200);
    return ChangesPageSchema.parse(reply.body);
  }

  const auditRows = (contactId: string, route: string): number =>
    server.store.db.prepare(`SELECT count(*) FROM audit_log WHERE contact_id = ? AND route = ?`).pluck().get(contactId, route) as number;

  beforeAll(async () => {
    server = await startTestServer({ cases: 200, server: { ctiOptions: '1=hantverk;2=handel', softphoneUrl: 'sip:{number}' } });
    specialist = api(server, await server.login(server.specialistEmails[0]));
    specialistId = MeResponseSchema.parse((await specialist.get(ROUTES.me)).body).specialist.id;
  });
  afterAll(() => server.close());

  it('carries every change of a call in the feed: the new call, its hang-up, and the mark done', async () => {
    const before = server.store.changes.latestSeq();
    const call = await missedCall('+46701234567');
    const page = await changesAfter(before);
    expect(page.calls.map((c) => c.id)).toEqual([call.id]);
    expect(page.calls[0]).toMatchObject({ missed: true, done: false, team: 1, doneBy: null });

    const desk = new Desk(specialist);
    const at = new Date().toISOString();
    await desk.push(desk.mutation('markCallDone', { callId: call.id }, undefined, at));
    const after = await changesAfter(page.cursor);
    expect(after.calls).toEqual([expect.objectContaining({ id: call.id, done: true, doneBy: specialistId, doneAt: at })]);
  });

  it('marks a call done once: a second desk, a replay, and the older route change nothing more, and each is audited', async () => {
    const contact = server.store.db.prepare(`SELECT id, phone FROM contacts WHERE phone IS NOT NULL LIMIT 1`).get() as { id: string; phone: string };
    const call = await missedCall(contact.phone);
    expect(call.contactId).toBe(contact.id);
    const first = new Desk(specialist);
    const m = first.mutation('markCallDone', { callId: call.id });
    const seq0 = server.store.changes.latestSeq();
    expect((await first.push(m)).results[0]?.status).toBe('applied');
    const done = server.store.calls.get(call.id) as Call;
    expect(done).toMatchObject({ done: true, doneBy: specialistId });
    const seq1 = server.store.changes.latestSeq();
    expect(seq1).toBeGreaterThan(seq0);

    // The same edit again (a desk that did not hear the answer): a duplicate, nothing applied twice.
    expect((await first.push(m)).results[0]?.status).toBe('duplicate');
    // Another desk marking the same call: applied, but the first mark stays on record.
    const other = new Desk(api(server, await server.login(server.specialistEmails[1])));
    expect((await other.push(other.mutation('markCallDone', { callId: call.id }))).results[0]?.status).toBe('applied');
    // The older route answers the call as it is.
    const route = await specialist.post(ROUTES.callDone(call.id), {});
    expect(route.status).toBe(200);
    expect(server.store.calls.get(call.id)).toEqual(done);
    expect(server.store.changes.latestSeq()).toBe(seq1);
    // Each mark read the caller's number: audited, the duplicate (never applied) excepted.
    expect(auditRows(contact.id, ROUTES.push)).toBe(2);
  });

  it('refuses a mark done of an unknown call, and bad input, naming the field', async () => {
    const desk = new Desk(specialist);
    const unknown = (await desk.push(desk.mutation('markCallDone', { callId: randomUUID() }))).results[0] as Rejected;
    expect(unknown.status).toBe('rejected');
    expect(unknown.error).toMatchObject({ code: 'not_found', field: 'args.callId' });
    const bad = await specialist.post(ROUTES.push, { mutations: [{ ...desk.mutation('markCallDone', { callId: 42 }) }] });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { field?: string } }).error.field).toContain('callId');
  });

  it('logs a call back on the case: who called back, when, and the number from the call record', async () => {
    const contact = server.store.db
      .prepare(`SELECT co.id, co.phone, c.id AS caseId FROM contacts co JOIN cases c ON c.contact_id = co.id WHERE co.phone IS NOT NULL AND c.status <> 'closed' LIMIT 1`)
      .get() as { id: string; phone: string; caseId: string };
    const call = await missedCall(contact.phone);
    const desk = new Desk(specialist);
    const eventId = randomUUID();
    const at = new Date(Date.now() - 1000).toISOString();
    const result = (await desk.push(desk.mutation('logCallback', { caseId: contact.caseId, callId: call.id, eventId }, undefined, at))).results[0];
    expect(result?.status).toBe('applied');
    const events = (await specialist.get(ROUTES.caseEvents(contact.caseId))).body as { events: CaseEvent[] };
    const logged = events.events.find((e) => e.id === eventId);
    expect(logged).toMatchObject({ kind: 'call', actorId: specialistId, at, data: { callId: call.id, direction: 'out', callback: true, number: call.from, contactId: contact.id } });
    // A call back of a call the server does not know is refused, naming the field.
    const bad = (await desk.push(desk.mutation('logCallback', { caseId: contact.caseId, callId: randomUUID(), eventId: randomUUID() }))).results[0] as Rejected;
    expect(bad.error).toMatchObject({ code: 'not_found', field: 'args.callId' });
    expect((server.store.cases.get(contact.caseId) as Case).status).toBeDefined();
  });

  it("starts a desk with its teams' calls: the window and every open missed call, not the other team's", async () => {
    const mine = await missedCall('+46701111111', 'hantverk');
    const theirs = await missedCall('+46702222222', 'handel');
    // An open missed call from long ago stays in the window; an old done one does not.
    const old = new Date(Date.now() - 60 * 24 * 3_600_000).toISOString();
    server.store.db.prepare(`UPDATE calls SET started_at = ? WHERE id = ?`).run(old, mine.id);
    const oldDone = await missedCall('+46703333333', 'hantverk');
    server.store.db.prepare(`UPDATE calls SET started_at = ?, done = 1 WHERE id = ?`).run(old, oldDone.id);
    const reply = await specialist.get(`${ROUTES.bootstrap}?teams=1&limit=50`);
    const page = BootstrapPageSchema.parse(reply.body);
    const ids = page.calls.map((c) => c.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(oldDone.id);
    expect(page.calls.every((c) => c.team === 1 || c.team === null)).toBe(true);
  });

  it('hands the softphone link template to the desk', async () => {
    const me = MeResponseSchema.parse((await specialist.get(ROUTES.me)).body);
    expect(me.softphoneUrl).toBe('sip:{number}');
  });
});
