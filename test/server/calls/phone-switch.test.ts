import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { CallSchema, type Contact } from '../../../shared/contract';
import { INDUSTRY_IDS, teamOfIndustry } from '../../../shared/teams';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { connectLive, LiveClient } from '../../support/live';

const TEAM1 = 'erik.johansson@softone.se';
const TEAM2 = 'sara.eriksson@softone.se';
const BOTH = 'oskar.svensson@softone.se';

describe('phone switch and live channel', () => {
  let server: TestServer;
  let cti: Api;
  let team1Contact: Contact;
  const sockets: LiveClient[] = [];

  const live = async (email: string): Promise<LiveClient> => {
    const client = await connectLive(server.url, await server.login(email));
    sockets.push(client);
    return client;
  };
  const post = (body: unknown, token = server.ctiToken) => api(server).post(ROUTES.cti(token), body);

  beforeAll(async () => {
    server = await startTestServer({
      cases: 100,
      server: { ctiOptions: '1=hantverk,+46812345001;2=handel,+46812345002', live: { pingIntervalMs: 150, authTimeoutMs: 1_000 } },
    });
    cti = api(server);
    const team1Industries = INDUSTRY_IDS.filter((i) => teamOfIndustry(i) === 1);
    const id = server.store.db
      .prepare(
        `SELECT co.id FROM contacts co JOIN customers cu ON cu.id = co.customer_id
         WHERE co.superuser = 1 AND cu.industry IN (SELECT value FROM json_each(?)) LIMIT 1`,
      )
      .pluck()
      .get(JSON.stringify(team1Industries)) as string;
    team1Contact = server.store.contacts.get(id) as Contact;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('greets an authenticated socket with the current seq and pokes it after changes', async () => {
    const client = await live(TEAM1);
    expect(client.of('hello')[0]?.seq).toBe(server.store.changes.latestSeq());
    const desk = new Desk(api(server, await server.login(TEAM2)));
    const caseId = server.store.cases.getByNumber(100001)?.id;
    const pushed = await Promise.all([1, 2, 3].map(() => desk.push(desk.mutation('addNote', { caseId, eventId: randomUUID(), text: 'n' }))));
    const newest = Math.max(...pushed.map((p) => p.seq));
    await client.until(() => client.of('poke').some((p) => p.seq === newest));
    // Bursts are coalesced: fewer pokes than pushes is allowed, none is stale after the last.
    expect(client.of('poke').length).toBeLessThanOrEqual(3);
  });

  it('closes sockets that do not authenticate in time or with a bad token', async () => {
    const silent = new LiveClient(server.url);
    await silent.opened();
    const openedAt = performance.now();
    await silent.until(() => silent.closed !== null);
    expect(silent.closed?.code).toBe(4401);
    // Closed by the authentication timer (1 s, started when the server accepted the socket,
    // a little before the client saw it open), not at once.
    expect(performance.now() - openedAt).toBeGreaterThan(500);
    const wrong = new LiveClient(server.url);
    await wrong.opened();
    wrong.send({ type: 'auth', token: 'not-a-session' });
    await wrong.until(() => wrong.closed !== null);
    expect(wrong.closed?.code).toBe(4401);
    const garbage = new LiveClient(server.url);
    await garbage.opened();
    garbage.socket.send('{not json');
    await garbage.until(() => garbage.closed !== null);
    expect(garbage.closed?.code).toBe(4401);
  });

  it('sends a Zammad newCall to the specialists of the chosen team only, with the caller identified', async () => {
    const [one, two, both] = [await live(TEAM1), await live(TEAM2), await live(BOTH)];
    const callId = randomUUID();
    const reply = await post({ event: 'newCall', from: team1Contact.phone, to: '+46812345001', direction: 'in', callId, user: [] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
    for (const client of [one, both]) await client.until(() => client.of('call').some((m) => m.call.callId === callId));
    const message = one.of('call').find((m) => m.call.callId === callId);
    expect(CallSchema.parse(message?.call)).toMatchObject({ state: 'ringing', option: 1, team: 1, contactId: team1Contact.id, missed: false });
    expect(message?.caller).toMatchObject({ phone: team1Contact.phone, contact: { id: team1Contact.id }, team: 1 });
    expect(message?.caller.entitlement).not.toBeNull();
    // The team-2 desk heard nothing (a ping or a poke at most). A socket's messages arrive in
    // order, so once it has a ping made after the call was answered, the call would be in too.
    const answered = Date.now();
    await two.until(() => two.of('ping').some((p) => Date.parse(p.at) > answered));
    expect(two.of('call').filter((m) => m.call.callId === callId)).toEqual([]);
    // Every desk that got the caller's data is in the audit log.
    const audited = server.store.db
      .prepare(`SELECT DISTINCT specialist_id FROM audit_log WHERE contact_id = ? AND action = 'call'`)
      .pluck()
      .all(team1Contact.id) as string[];
    const idOf = (email: string) => server.store.specialists.findForLogin(email)?.specialist.id;
    expect(audited.sort()).toEqual([idOf(TEAM1), idOf(BOTH)].sort());
  });

  it('takes form-encoded events with call_id and user[], and logs answer and hangup', async () => {
    const client = await live(BOTH);
    const callId = `form-${randomUUID()}`;
    const form = (fields: Record<string, string | string[]>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) params.append(k, value);
      return cti.raw('POST', ROUTES.cti(server.ctiToken), params.toString(), 'application/x-www-form-urlencoded');
    };
    const national = team1Contact.phone?.replace('+46', '0') ?? '';
    expect((await form({ event: 'newCall', from: national, to: '0812345002', direction: 'in', call_id: callId, 'user[]': ['Erik', 'Sara'], queue: 'handel' })).body).toEqual({});
    expect((await form({ event: 'answer', from: national, to: '0812345002', direction: 'in', call_id: callId, user: 'Extern Agent', answeringNumber: '201' })).body).toEqual({});
    expect((await form({ event: 'hangup', from: national, to: '0812345002', direction: 'in', call_id: callId, cause: 'normalClearing' })).body).toEqual({});
    await client.until(() => client.of('call').filter((m) => m.call.callId === callId).length === 3);
    const states = client.of('call').filter((m) => m.call.callId === callId).map((m) => m.call.state);
    expect(states).toEqual(['ringing', 'answered', 'ended']);
    const call = server.store.calls.getBySwitchId(callId);
    // The caller chose option 2 (the queue) although the customer belongs to team 1: the desk flags it.
    // The switch named nobody Desk knows, so every desk of the team heard the answer and the hangup.
    expect(call).toMatchObject({ option: 2, team: 2, state: 'ended', missed: false, user: 'Extern Agent', contactId: team1Contact.id });
    expect(call?.from).toBe(team1Contact.phone);
  });

  it('marks unanswered calls as missed and keeps them in the caller log until done', async () => {
    const http = api(server, await server.login(TEAM1));
    const callId = randomUUID();
    await post({ event: 'newCall', from: '+46701112233', to: '+46812345001', direction: 'in', callId });
    await post({ event: 'hangup', from: '+46701112233', to: '+46812345001', direction: 'in', callId, cause: 'cancel' });
    const missed = await http.get(`${ROUTES.calls}?filter=missed`);
    const call = missed.body.calls.find((c: { callId: string }) => c.callId === callId);
    expect(call).toMatchObject({ missed: true, done: false, state: 'ended', contactId: null });
    const done = await http.post(ROUTES.callDone(call.id));
    expect(done.body.call.done).toBe(true);
    const after = await http.get(`${ROUTES.calls}?filter=missed`);
    expect(after.body.calls.some((c: { callId: string }) => c.callId === callId)).toBe(false);
    expect((await http.get(`${ROUTES.calls}?filter=all`)).body.calls.some((c: { callId: string }) => c.callId === callId)).toBe(true);
    expect((await http.post(ROUTES.callDone('nope'))).status).toBe(404);
    expect((await http.get(`${ROUTES.calls}?filter=weird`)).body.error.field).toBe('filter');
  });

  it('sends a call of unknown team to every desk', async () => {
    const [one, two] = [await live(TEAM1), await live(TEAM2)];
    const callId = randomUUID();
    await post({ event: 'newCall', from: '+46812223344', to: '+46899999999', direction: 'in', callId });
    for (const client of [one, two]) await client.until(() => client.of('call').some((m) => m.call.callId === callId && m.call.team === null));
  });

  it('refuses a wrong token with 401 and invalid events with 422, changing nothing', async () => {
    const callsBefore = server.store.db.prepare('SELECT count(*) FROM calls').pluck().get();
    const wrong = await post({ event: 'newCall', from: '1', to: '2', direction: 'in', callId: 'x' }, 'wrong-token');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBeDefined();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ event: 'newCall', from: '1', to: '2', direction: 'sideways', callId: 'x' }, 'direction'],
      [{ event: 'ring', from: '1', to: '2', direction: 'in', callId: 'x' }, 'event'],
      [{ event: 'newCall', from: '1', to: '2', direction: 'in' }, 'callId'],
      [{ event: 'newCall', from: 42, to: '2', direction: 'in', callId: 'x' }, 'from'],
    ];
    for (const [body, field] of cases) {
      const reply = await post(body);
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({ field });
    }
    const garbage = await cti.raw('POST', ROUTES.cti(server.ctiToken), '{"event":', 'application/json');
    expect(garbage.status).toBe(400);
    expect(server.store.db.prepare('SELECT count(*) FROM calls').pluck().get()).toBe(callsBefore);
  });

  it('disconnects the sockets of a session that logs out', async () => {
    const token = await server.login(TEAM2);
    const client = await connectLive(server.url, token);
    sockets.push(client);
    await api(server, token).post(ROUTES.logout);
    await client.until(() => client.closed !== null);
    expect(client.closed?.code).toBe(4401);
  });

  it('pings, and drops a socket that stops answering', async () => {
    const token = await server.login(TEAM1);
    const deaf = new WebSocket(`${server.url.replace('http', 'ws')}${ROUTES.live}`, { autoPong: false });
    const messages: string[] = [];
    const closed = new Promise<number>((resolve) => deaf.on('close', (code) => resolve(code)));
    deaf.on('message', (data) => messages.push(JSON.parse(data.toString()).type));
    await new Promise((resolve) => deaf.once('open', resolve));
    deaf.send(JSON.stringify({ type: 'auth', token }));
    // Terminated after two missed heartbeats (no close frame: 1006).
    expect(await closed).toBe(1006);
    expect(messages).toContain('ping');
    // A socket that answers stays.
    const alive = await live(TEAM1);
    // A socket that missed its pongs would be gone at the third beat; this one hears a fourth.
    await alive.until(() => alive.of('ping').length >= 4 || alive.closed !== null);
    expect(alive.closed).toBeNull();
    expect(alive.of('ping').length).toBeGreaterThanOrEqual(2);
  });
});
