import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type PresenceEntry } from '../../../shared/api';
import type { Contact } from '../../../shared/contract';
import { INDUSTRY_IDS, teamOfIndustry } from '../../../shared/teams';
import { api } from '../../support/http';
import { connectLive, type LiveClient } from '../../support/live';
import { startTestServer, type TestServer } from '../../support/server';
import { leadWithTwoFactor } from '../../support/two-factor';

// Demo extensions: Erik 102, Maria 103 (team 1), Sara 106 (team 2), Oskar 110 (both teams).
const ERIK = 'erik.johansson@softone.se';
const MARIA = 'maria.karlsson@softone.se';
const SARA = 'sara.eriksson@softone.se';
const OSKAR = 'oskar.svensson@softone.se';

describe('who answered, who is on a call, who has which case open', () => {
  let server: TestServer;
  let contact: Contact;
  const sockets: LiveClient[] = [];
  const idOf = (email: string): string => server.store.specialists.findForLogin(email)?.specialist.id ?? '';
  const live = async (email: string): Promise<LiveClient> => {
    const client = await connectLive(server.url, await server.login(email));
    sockets.push(client);
    return client;
  };
  const cti = (body: Record<string, unknown>) => api(server).post(ROUTES.cti(server.ctiToken), { from: contact.phone, to: '+46812345001', direction: 'in', ...body });
  const callAudits = (email: string): number =>
    server.store.db.prepare(`SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = 'call' AND specialist_id = ?`).pluck().get(contact.id, idOf(email)) as number;
  const presenceOf = (client: LiveClient, email: string): PresenceEntry | undefined =>
    client
      .of('presence')
      .flatMap((m) => m.entries)
      .filter((e) => e.specialistId === idOf(email))
      .at(-1);

  beforeAll(async () => {
    server = await startTestServer({ cases: 60, server: { ctiOptions: '1=hantverk,+46812345001;2=handel,+46812345002', live: { presenceIntervalMs: 20 } } });
    const team1 = INDUSTRY_IDS.filter((i) => teamOfIndustry(i) === 1);
    const id = server.store.db
      .prepare(`SELECT co.id FROM contacts co JOIN customers cu ON cu.id = co.customer_id WHERE co.phone IS NOT NULL AND cu.industry IN (SELECT value FROM json_each(?)) LIMIT 1`)
      .pluck()
      .get(JSON.stringify(team1)) as string;
    contact = server.store.contacts.get(id) as Contact;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await server.close();
  });

  it('keeps an extension on the profile: set by the specialist, unique among active specialists, validated', async () => {
    const maria = api(server, await server.login(MARIA));
    expect((await maria.get(ROUTES.me)).body.specialist.extension).toBe('103');
    const set = await maria.post(ROUTES.profile, { extension: '4321' });
    expect(set.status).toBe(200);
    expect(set.body.specialist.extension).toBe('4321');
    expect(server.store.specialists.get(idOf(MARIA))?.extension).toBe('4321');
    const taken = await maria.post(ROUTES.profile, { extension: '102' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'extension_taken', field: 'extension' });
    const bad = await maria.post(ROUTES.profile, { extension: '12ab' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('extension');
    expect(server.store.specialists.get(idOf(MARIA))?.extension).toBe('4321');
    // A lead may set it too (the accounts screen comes later), under the same rule.
    const lead = api(server, (await leadWithTwoFactor(server)).token);
    expect((await lead.patch(ROUTES.specialist(idOf(MARIA)), { extension: '106' })).status).toBe(409);
    expect((await lead.patch(ROUTES.specialist(idOf(MARIA)), { extension: '103' })).body.specialist.extension).toBe('103');
    expect((await maria.post(ROUTES.profile, { extension: null })).body.specialist.extension).toBeNull();
    expect((await maria.post(ROUTES.profile, { extension: '103' })).status).toBe(200);
    // Who set which extension, and when, is in the audit log (it decides whose desk gets a pop).
    const audited = server.store.db
      .prepare(`SELECT detail FROM audit_log WHERE action = 'account_update' AND route = ? AND target_id = ? ORDER BY rowid`)
      .pluck()
      .all(ROUTES.profile, idOf(MARIA)) as string[];
    expect(audited.map((d) => JSON.parse(d))).toEqual([
      { extension: { from: '103', to: '4321' } },
      { extension: { from: '103', to: null } },
      { extension: { from: null, to: '103' } },
    ]);
    // A new account cannot take an extension in use either: a clear 409, nothing created.
    const before = server.store.specialists.list().length;
    const created = await lead.post(ROUTES.specialists, {
      email: 'ny.specialist@softone.se',
      name: 'Ny Specialist',
      role: 'specialist',
      teams: [1],
      office: 'SE',
      language: 'sv',
      extension: '102',
      password: 'a-long-and-unusual-passphrase-7',
    });
    expect(created.status).toBe(409);
    expect(created.body.error).toMatchObject({ code: 'extension_taken', field: 'extension' });
    expect(server.store.specialists.list()).toHaveLength(before);
  });

  it('pops an answered call on the answering extension alone; the team hears who answered; only the answerer is audited', async () => {
    const [erik, maria, oskar] = [await live(ERIK), await live(MARIA), await live(OSKAR)];
    const callId = randomUUID();
    await cti({ event: 'newCall', callId, queue: 'hantverk' });
    for (const c of [erik, maria, oskar]) await c.until(() => c.of('call').some((m) => m.call.callId === callId && m.call.state === 'ringing'));
    const mariaBefore = callAudits(MARIA);
    const oskarBefore = callAudits(OSKAR);
    const erikBefore = callAudits(ERIK);
    await cti({ event: 'answer', callId, user: 'someone', answeringNumber: '102' });
    await erik.until(() => erik.of('call').some((m) => m.call.callId === callId && m.call.state === 'answered'));
    const pop = erik.of('call').find((m) => m.call.callId === callId && m.call.state === 'answered');
    expect(pop?.yours).toBe(true);
    expect(pop?.caller.contact?.id).toBe(contact.id);
    const dbId = pop?.call.id;
    for (const c of [maria, oskar]) await c.until(() => c.of('answered').some((m) => m.callId === dbId));
    expect(maria.of('answered').find((m) => m.callId === dbId)).toEqual({ type: 'answered', callId: dbId, by: { id: idOf(ERIK), name: 'Erik Johansson' }, ended: false });
    // Erik is on the call now: his colleagues see it.
    await maria.until(() => presenceOf(maria, ERIK)?.onCall === true);
    expect(erik.of('answered').some((m) => m.callId === dbId)).toBe(false);
    // Hang up: the end reaches Erik in full, the rest as "answered by Erik, ended", and he is off the call.
    await cti({ event: 'hangup', callId, cause: 'normalClearing' });
    await erik.until(() => erik.of('call').some((m) => m.call.callId === callId && m.call.state === 'ended'));
    await maria.until(() => maria.of('answered').some((m) => m.callId === dbId && m.ended));
    await maria.until(() => presenceOf(maria, ERIK)?.onCall === false);
    for (const c of [maria, oskar]) expect(c.of('call').filter((m) => m.call.callId === callId).map((m) => m.call.state)).toEqual(['ringing']);
    expect(callAudits(ERIK)).toBe(erikBefore + 2);
    expect(callAudits(MARIA)).toBe(mariaBefore);
    expect(callAudits(OSKAR)).toBe(oskarBefore);
  });

  it('finds the answerer by the e-mail or name Zammad sends as user', async () => {
    const [erik, maria] = [await live(ERIK), await live(MARIA)];
    const callId = randomUUID();
    await cti({ event: 'newCall', callId, queue: 'hantverk' });
    await cti({ event: 'answer', callId, user: ['Maria Karlsson'] });
    await maria.until(() => maria.of('call').some((m) => m.call.callId === callId && m.call.state === 'answered' && m.yours === true));
    await erik.until(() => erik.of('answered').some((m) => m.by.id === idOf(MARIA)));
    const callId2 = randomUUID();
    await cti({ event: 'newCall', callId: callId2, queue: 'hantverk' });
    await cti({ event: 'answer', callId: callId2, user: MARIA.toUpperCase() });
    await maria.until(() => maria.of('call').some((m) => m.call.callId === callId2 && m.yours === true));
  });

  it('gives everyone the pop, as before, when the switch names nobody Desk knows', async () => {
    const [erik, maria] = [await live(ERIK), await live(MARIA)];
    const callId = randomUUID();
    const before = [callAudits(ERIK), callAudits(MARIA)];
    await cti({ event: 'newCall', callId, queue: 'hantverk' });
    await cti({ event: 'answer', callId, user: 'Extern Agent', answeringNumber: '999' });
    for (const c of [erik, maria]) await c.until(() => c.of('call').some((m) => m.call.callId === callId && m.call.state === 'answered' && m.yours === undefined));
    expect([callAudits(ERIK), callAudits(MARIA)]).toEqual([before[0]! + 2, before[1]! + 2]);
    expect([...erik.of('answered'), ...maria.of('answered')].some((m) => m.callId === erik.of('call').find((c) => c.call.callId === callId)?.call.id)).toBe(false);
  });

  it('fans presence out to the teams of the specialist only, takes it only for the socket\'s own specialist, and drops it on close', async () => {
    const caseA = randomUUID();
    const caseB = randomUUID();
    const [erik, maria, sara, oskar] = [await live(ERIK), await live(MARIA), await live(SARA), await live(OSKAR)];
    erik.send({ type: 'presence', state: { viewing: [caseA], editing: [] } });
    await maria.until(() => presenceOf(maria, ERIK)?.viewing.includes(caseA) === true);
    await oskar.until(() => presenceOf(oskar, ERIK)?.viewing.includes(caseA) === true);
    erik.send({ type: 'presence', state: { viewing: [caseA], editing: [caseA] } });
    await maria.until(() => presenceOf(maria, ERIK)?.editing.includes(caseA) === true);
    // A forged message naming Maria is Erik's own presence: the session says who, never the message.
    erik.send({ type: 'presence', specialistId: idOf(MARIA), state: { viewing: [caseB], editing: [caseB] } });
    await oskar.until(() => presenceOf(oskar, ERIK)?.viewing.includes(caseB) === true);
    expect(presenceOf(oskar, MARIA)?.viewing ?? []).not.toContain(caseB);
    // The server's own message shape from a desk is refused, and so is a malformed state.
    const forger = await live(ERIK);
    forger.send({ type: 'presence', entries: [{ specialistId: idOf(MARIA), name: 'Maria Karlsson', viewing: [caseB], editing: [], onCall: true }] });
    await forger.until(() => forger.closed !== null);
    expect(forger.closed?.code).toBe(4400);
    const tooMany = await live(ERIK);
    tooMany.send({ type: 'presence', state: { viewing: Array.from({ length: 11 }, () => randomUUID()), editing: [] } });
    await tooMany.until(() => tooMany.closed !== null);
    expect(tooMany.closed?.code).toBe(4400);
    // Sara (team 2) shares no team with Erik (team 1): she hears Oskar (both teams), never Erik.
    oskar.send({ type: 'presence', state: { viewing: [caseB], editing: [] } });
    await sara.until(() => presenceOf(sara, OSKAR)?.viewing.includes(caseB) === true);
    expect(presenceOf(sara, ERIK)).toBeUndefined();
    // A desk that connects now is told who is where at once.
    const late = await live(MARIA);
    await late.until(() => presenceOf(late, ERIK)?.editing.includes(caseB) === true);
    expect(presenceOf(late, MARIA)).toBeUndefined();
    // Erik leaves the case (an empty state), then Oskar's socket closes: both are gone.
    erik.send({ type: 'presence', state: { viewing: [], editing: [] } });
    await maria.until(() => presenceOf(maria, ERIK)?.viewing.length === 0);
    oskar.close();
    await sara.until(() => presenceOf(sara, OSKAR)?.viewing.length === 0);
    expect(presenceOf(sara, OSKAR)).toMatchObject({ editing: [], onCall: false });
  });
});
