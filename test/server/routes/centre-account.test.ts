/**
 * The customer centre's account page and live channel against a real server: changing the
 * password while signed in (wrong current password → field error, throttled like a login; a weak
 * new one → field error; on success the other sessions end, this one stays, a mail tells the
 * address), the own sessions list (own only, "this device" marked), ending a session (another's
 * id is 404) and every other one, token isolation both ways, and the live socket: a specialist's
 * public reply is a notice on the company's socket, another company's socket hears nothing, an
 * internal note is no notice, a support login recorded or ended on a desk is a grants notice for
 * the company only, and a specialist's token opens no centre socket.
 */
import { randomUUID } from 'node:crypto';
import { addCentreParty } from '../../support/centre';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { CentreSessionSchema } from '../../../shared/centre';
import { CentreLiveMessageSchema, CentreSessionsResponseSchema, type CentreLiveMessage } from '../../../shared/centreAccount';
import type { Contact, Customer } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { connectLive, LiveClient } from '../../support/live';
import { api, request } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';
import { freePort, startRelay, testMailSettings, type Relay } from '../../support/mail';

const PASSWORD = 'mörk blå fjällräv hoppar 7 gånger';
const NEW_PASSWORD = 'tuntureilla tanssii sininen kettu 9';
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

let clock = Date.now();
let server: TestServer;
let specialist: string;
let lead: string;
let relay: Relay;

interface Party {
  customer: Customer;
  contact: Contact;
}

function party(tag: string, over: Partial<Customer> = {}): Party {
  return addCentreParty(server.store, 'account', tag, over);
}

const post = (path: string, json: unknown, token?: string, userAgent?: string) =>
  request(server.url, 'POST', path, { json, token, headers: userAgent ? { 'user-agent': userAgent } : undefined });
const get = (path: string, token?: string) => request(server.url, 'GET', path, { token });
const del = (path: string, token?: string) => request(server.url, 'DELETE', path, { token });

/** Invited by a lead, the password set from the relayed link: the first session's token. */
async function signedIn(p: Party): Promise<string> {
  const address = p.contact.email ?? '';
  const invited = await post(ROUTES.centreInvitations, { contactId: p.contact.id }, lead);
  expect(invited.status, invited.text).toBe(200);
  const mail = await relay.waitFor((m) => m.envelopeTo.includes(address) && /#\/invitation\//.test(m.mail.text ?? ''));
  const token = /#\/invitation\/([A-Za-z0-9_-]{43})/.exec(mail.mail.text ?? '')?.[1];
  const set = await post(ROUTES.centrePassword, { token, password: PASSWORD });
  expect(set.status, set.text).toBe(200);
  return CentreSessionSchema.parse(set.body).token;
}

async function login(p: Party, password = PASSWORD, userAgent?: string): Promise<string> {
  const answer = await post(ROUTES.centreLogin, { email: p.contact.email, password }, undefined, userAgent);
  expect(answer.status, answer.text).toBe(200);
  return CentreSessionSchema.parse(answer.body).token;
}

const auditRows = (contactId: string, action: string): number =>
  server.store.db.prepare<[string, string], number>('SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = ?').pluck().get(contactId, action) ?? 0;

/** A centre's live socket (the desk's test client on the centre's route and schema), authenticated by its first message. */
class CentreSocket extends LiveClient<CentreLiveMessage> {
  constructor(url: string) {
    super(url, ROUTES.centreLive, (value) => CentreLiveMessageSchema.parse(value));
  }

  async open(token: string): Promise<this> {
    await this.opened();
    this.send({ type: 'auth', token });
    await this.until(() => this.of('hello').length > 0 || this.closed !== null);
    return this;
  }

  /** Every case id heard of. */
  changed(): string[] {
    return this.messages.flatMap((m) => (m.type === 'changed' ? m.caseIds : []));
  }
}

const openSocket = (token: string): Promise<CentreSocket> => new CentreSocket(server.url).open(token);

beforeAll(async () => {
  relay = await startRelay();
  const settings = testMailSettings({ host: '127.0.0.1', port: await freePort() }, relay);
  server = await startTestServer({
    cases: 20,
    server: {
      now: () => new Date(clock),
      throttle: { freeFailures: 2, lockAfter: 4 },
      mail: { settings, reconnect: { baseMs: 60_000, maxMs: 60_000 } },
      // Short enough to wait for a socket that never sends its token, long enough for one that does.
      centreLive: { authTimeoutMs: 3_000 },
    },
  });
  specialist = await server.login(server.specialistEmails[0]);
  lead = (await leadWithTwoFactor(server)).token;
});
afterAll(async () => {
  await server.close();
  await relay.stop();
});

describe('changing the password while signed in', () => {
  it('refuses a wrong current password at its field, throttled like a login; a weak new one at its field; changes nothing', async () => {
    const p = party('wrong');
    const token = await signedIn(p);
    const change = (currentPassword: string, newPassword = NEW_PASSWORD) => post(ROUTES.centreChangePassword, { currentPassword, newPassword }, token);
    const wrong = await change('inte mitt lösenord alls');
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: { code: 'wrong_password', field: 'currentPassword' } });
    expect((await change('inte mitt lösenord alls')).status).toBe(403);
    // Slowed after two failures, as the login is: the same account's throttle.
    const slowed = await change(PASSWORD);
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get('retry-after')).not.toBeNull();
    expect((await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD })).status).toBe(429);
    clock += 60_000;
    const weak = await change(PASSWORD, 'password1234');
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { code: 'weak_password', field: 'newPassword' } });
    const short = await change(PASSWORD, 'kort');
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ error: { field: 'newPassword' } });
    const missing = await post(ROUTES.centreChangePassword, { newPassword: NEW_PASSWORD }, token);
    expect(missing.body).toMatchObject({ error: { field: 'currentPassword' } });
    // Nothing changed: the old password still logs in, the session still works.
    expect((await get(ROUTES.centreMe, token)).status).toBe(200);
    await login(p);
    expect(auditRows(p.contact.id, 'centre_password_change_failed')).toBe(2);
    expect(auditRows(p.contact.id, 'centre_password_changed')).toBe(0);
  });

  it('ends every other session (and its live socket), keeps this one, and mails the address', async () => {
    const p = party('change');
    const first = await signedIn(p);
    const second = await login(p);
    const socket = await openSocket(second);
    const sent = relay.received.length;
    const changed = await post(ROUTES.centreChangePassword, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, first);
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toEqual({ ended: 1 });
    expect((await get(ROUTES.centreMe, first)).status).toBe(200);
    expect((await get(ROUTES.centreMe, second)).status).toBe(401);
    await socket.until(() => socket.closed !== null);
    expect(socket.closed?.code).toBe(4401);
    expect((await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD })).status).toBe(401);
    await login(p, NEW_PASSWORD);
    const mail = await relay.waitFor((m) => m.envelopeTo.includes(p.contact.email ?? '') && /lösenord har ändrats/.test(m.mail.subject ?? ''));
    expect(relay.received.length).toBeGreaterThan(sent);
    expect(mail.mail.text).toContain('Dina andra inloggningar har avslutats');
    expect(mail.mail.text).not.toContain(NEW_PASSWORD);
    expect(auditRows(p.contact.id, 'centre_password_changed')).toBe(1);
  });
});

describe('the own sessions', () => {
  it('lists the account\'s own sessions only, this one marked, with the browser\'s agent; ends one, another\'s id is 404', async () => {
    const p = party('sessions');
    const other = party('stranger');
    const mine = await signedIn(p);
    const phone = await login(p, PASSWORD, BROWSER);
    const stranger = await signedIn(other);
    const listed = CentreSessionsResponseSchema.parse((await get(ROUTES.centreSessions, mine)).body).sessions;
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed.find((s) => !s.current)?.userAgent).toBe(BROWSER);
    expect(JSON.stringify(listed)).not.toMatch(/token|hash/i);
    const strangers = CentreSessionsResponseSchema.parse((await get(ROUTES.centreSessions, stranger)).body).sessions;
    expect(strangers.map((s) => s.id)).not.toContain(listed[0]?.id);
    // Another account's session (a real id) and a forged one: not there for this account.
    const strangerId = strangers[0]?.id ?? '';
    expect((await del(ROUTES.centreSession(strangerId), mine)).status).toBe(404);
    expect((await del(ROUTES.centreSession('f'.repeat(32)), mine)).status).toBe(404);
    expect((await del(ROUTES.centreSession('../../cases'), mine)).status).toBe(404);
    expect((await get(ROUTES.centreMe, stranger)).status).toBe(200);
    const phoneId = listed.find((s) => !s.current)?.id ?? '';
    expect((await del(ROUTES.centreSession(phoneId), mine)).status).toBe(204);
    expect((await get(ROUTES.centreMe, phone)).status).toBe(401);
    expect((await get(ROUTES.centreMe, mine)).status).toBe(200);
    expect(auditRows(p.contact.id, 'centre_session_end')).toBe(1);
    expect(auditRows(p.contact.id, 'centre_sessions')).toBe(1);
  });

  it('signs out everywhere else: every other session ends, this one stays', async () => {
    const p = party('elsewhere');
    const mine = await signedIn(p);
    const a = await login(p);
    const b = await login(p);
    const ended = await del(ROUTES.centreSessions, mine);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ ended: 2 });
    expect((await get(ROUTES.centreMe, a)).status).toBe(401);
    expect((await get(ROUTES.centreMe, b)).status).toBe(401);
    expect((await get(ROUTES.centreMe, mine)).status).toBe(200);
    expect(auditRows(p.contact.id, 'centre_sessions_end_others')).toBe(1);
  });

  it('opens none of these with a specialist\'s token, and no specialist route with a customer\'s', async () => {
    const p = party('isolation');
    const customer = await signedIn(p);
    expect((await get(ROUTES.centreSessions, specialist)).status).toBe(401);
    expect((await del(ROUTES.centreSessions, specialist)).status).toBe(401);
    expect((await del(ROUTES.centreSession('0'.repeat(32)), specialist)).status).toBe(401);
    expect((await post(ROUTES.centreChangePassword, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, specialist)).status).toBe(401);
    expect((await get(ROUTES.sessions, customer)).status).toBe(401);
    expect((await post(ROUTES.password, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, customer)).status).toBe(401);
    // Sockets: the centre's refuses a specialist's token, the desks' refuses a customer's.
    const refused = await openSocket(specialist);
    expect(refused.closed?.code).toBe(4401);
    await expect(connectLive(server.url, customer)).rejects.toThrow(/4401/);
  });
});

describe('the live channel', () => {
  const register = async (token: string, title: string): Promise<string> => {
    const answer = await post(ROUTES.centreCases, { module: 'finance', category: 'support', serviceLevel: null, title, description: 'Sedan i går.' }, token);
    expect(answer.status, answer.text).toBe(201);
    return (answer.body as { case: { id: string } }).case.id;
  };

  it('tells the company\'s socket of a specialist\'s public reply, never another company\'s socket, and not of an internal note', async () => {
    const a = party('live-a');
    const b = party('live-b');
    const tokenA = await signedIn(a);
    const tokenB = await signedIn(b);
    const caseA = await register(tokenA, 'Lönekörningen stannar');
    const caseB = await register(tokenB, 'Attestflödet hänger');
    // The acknowledgements' delivery changes their events too (a notice each): let them land first.
    const acknowledged = (caseId: string) => server.store.events.forCase(caseId).some((e) => e.kind === 'mail' && e.data.status === 'sent');
    await vi.waitFor(() => expect(acknowledged(caseA) && acknowledged(caseB)).toBe(true), { timeout: 20_000, interval: 50 });
    const socketA = await openSocket(tokenA);
    const socketB = await openSocket(tokenB);
    try {
      const desk = new Desk(api(server, specialist));
      // An internal note on A's case, then a public reply on B's: B hears of its case, A of nothing yet.
      const noted = await desk.push(desk.mutation('addNote', { caseId: caseA, eventId: randomUUID(), text: 'INTERN anteckning' }));
      expect(noted.results[0]?.status).toBe('applied');
      const toB = await desk.push(desk.mutation('sendReply', { caseId: caseB, eventId: randomUUID(), text: 'Hej B!' }));
      expect(toB.results[0]?.status).toBe('applied');
      await socketB.until(() => socketB.changed().includes(caseB));
      expect(socketA.changed()).toEqual([]);
      // The public reply on A's case: A hears of it; B never hears of A's case.
      const toA = await desk.push(desk.mutation('sendReply', { caseId: caseA, eventId: randomUUID(), text: 'Hej A, vi tittar på det.' }));
      expect(toA.results[0]?.status).toBe('applied');
      await socketA.until(() => socketA.changed().includes(caseA));
      expect(socketA.changed().every((id) => id === caseA)).toBe(true);
      expect(socketB.changed().every((id) => id === caseB)).toBe(true);
      // A notice is never data: only the type and the ids.
      expect(JSON.stringify(socketA.messages)).not.toContain('vi tittar');
    } finally {
      socketA.close();
      socketB.close();
    }
  });

  it('tells the company\'s socket of a support login a desk records or ends, never another company\'s socket', async () => {
    const a = party('grant-a');
    const b = party('grant-b');
    const socketA = await openSocket(await signedIn(a));
    const socketB = await openSocket(await signedIn(b));
    try {
      const desk = new Desk(api(server, specialist));
      const grantId = randomUUID();
      const recorded = await desk.push(
        desk.mutation('recordGrant', { grantId, customerId: a.customer.id, kind: 'consultant', grantedByContactId: a.contact.id, grantedAt: new Date(clock).toISOString() }),
      );
      expect(recorded.results[0]?.status).toBe('applied');
      const grantNotices = (socket: CentreSocket): number => socket.messages.filter((m) => m.type === 'changed' && m.grants === true).length;
      await socketA.until(() => grantNotices(socketA) === 1);
      const revoked = await desk.push(desk.mutation('revokeGrant', { grantId }));
      expect(revoked.results[0]?.status).toBe('applied');
      await socketA.until(() => grantNotices(socketA) === 2);
      // Only a notice, never the grant: no id, no times.
      expect(JSON.stringify(socketA.messages)).not.toContain(grantId);
      // B hears of its own grant, and of nothing of A's before it.
      const recordedB = await desk.push(
        desk.mutation('recordGrant', { grantId: randomUUID(), customerId: b.customer.id, kind: 'consultant', grantedByContactId: b.contact.id, grantedAt: new Date(clock).toISOString() }),
      );
      expect(recordedB.results[0]?.status).toBe('applied');
      await socketB.until(() => grantNotices(socketB) === 1);
      expect(socketB.messages.filter((m) => m.type === 'changed')).toEqual([{ type: 'changed', caseIds: [], grants: true }]);
      expect(grantNotices(socketA)).toBe(2);
    } finally {
      socketA.close();
      socketB.close();
    }
  });

  it('closes a socket whose first message is not a customer\'s token, and one that talks after it', async () => {
    const p = party('live-bad');
    const token = await signedIn(p);
    const forged = await openSocket(`dcc_${'x'.repeat(43)}`);
    expect(forged.closed?.code).toBe(4401);
    const chatty = await openSocket(token);
    expect(chatty.messages[0]).toEqual({ type: 'hello' });
    chatty.send({ type: 'presence' });
    await chatty.until(() => chatty.closed !== null);
    expect(chatty.closed?.code).toBe(4400);
  });

  it('closes a socket that never sends its token with 4408 (the centre tries again), not 4401 (signed out for good)', async () => {
    const silent = new CentreSocket(server.url);
    await silent.until(() => silent.closed !== null);
    expect(silent.closed?.code).toBe(4408);
    expect(silent.messages).toEqual([]);
  });
});
