/**
 * The customer centre's routes against a real server: invitations and password links (single
 * use, expiring, hashed), logins throttled like the desk's, sessions that open customer routes
 * only (route by route over the whole ROUTES table, both ways), registering a case (entitlement
 * refusals, validation per field, the new case on a desk's feed and live poke, the
 * acknowledgement), following cases (two customers, forged ids, public replies but never notes)
 * and replying on one, every action with its audit row.
 */
import { createHash, randomUUID } from 'node:crypto';
import { addCentreParty } from '../../support/centre';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { GdprOverviewSchema, ROUTES } from '../../../shared/api';
import {
  CENTRE_TOKEN_PREFIX,
  CentreCaseResponseSchema,
  CentreCasesResponseSchema,
  CentreSessionSchema,
  type CentreCaseResponse,
} from '../../../shared/centre';
import type { Contact, Customer } from '../../../shared/contract';
import { CENTRE_CASE, CENTRE_REPLIES } from '../../../server/routes/centre';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { connectLive } from '../../support/live';
import { api, isErrorBody, request } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';
import { fixturesOf, ROUTE_SPECS } from '../../reliability/support/routes';
import { FI_MAILBOX, freePort, startRelay, testMailSettings, type Relay } from '../../support/mail';

const PASSWORD = 'mörk blå fjällräv hoppar 7 gånger';
const NEW_PASSWORD = 'tuntureilla tanssii sininen kettu 9';

let clock = Date.now();
let server: TestServer;
let lead: string;
let leadId: string;
let specialist: string;
let relay: Relay;

interface Party {
  customer: Customer;
  contact: Contact;
}

function party(tag: string, over: Partial<Customer>, contactOver: Partial<Contact> = {}): Party {
  return addCentreParty(server.store, 'centre', tag, over, contactOver);
}

/** The links of a kind the relay has received for an address, in the order sent. */
function linksTo(address: string, kind: 'invitation' | 'reset'): string[] {
  const pattern = new RegExp(`#/${kind}/([A-Za-z0-9_-]{43})`);
  return relay.received
    .filter((m) => m.envelopeTo.includes(address))
    .map((m) => pattern.exec(m.mail.text ?? '')?.[1])
    .filter((t): t is string => t !== undefined);
}

/** The `nth` link of a kind sent to an address, once the relay has it (the queue keeps no token). */
async function linkTo(address: string, kind: 'invitation' | 'reset', nth: number): Promise<string> {
  await relay.waitFor(() => linksTo(address, kind).length >= nth);
  return linksTo(address, kind)[nth - 1] ?? '';
}

/** Every row of every table of the database, as text. */
function everyRow(): string {
  const tables = server.store.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  return tables.map((t) => JSON.stringify(server.store.db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
}

const post = (path: string, json: unknown, token?: string) => request(server.url, 'POST', path, { json, token });
const get = (path: string, token?: string) => request(server.url, 'GET', path, { token });

async function invite(p: Party): Promise<string> {
  const address = p.contact.email ?? '';
  const before = linksTo(address, 'invitation').length;
  const answer = await post(ROUTES.centreInvitations, { contactId: p.contact.id }, lead);
  expect(answer.status, answer.text).toBe(200);
  return linkTo(address, 'invitation', before + 1);
}

/** Invited, password set: the customer's session token. */
async function signedIn(p: Party): Promise<string> {
  const set = await post(ROUTES.centrePassword, { token: await invite(p), password: PASSWORD });
  expect(set.status, set.text).toBe(200);
  return CentreSessionSchema.parse(set.body).token;
}

const auditRows = (contactId: string, action: string): number =>
  server.store.db.prepare<[string, string], number>('SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = ?').pluck().get(contactId, action) ?? 0;

beforeAll(async () => {
  // The mail channel on: an unreachable IMAP server, and a real SMTP relay that records what the queue sends.
  relay = await startRelay();
  const settings = testMailSettings({ host: '127.0.0.1', port: await freePort() }, relay);
  server = await startTestServer({
    cases: 60,
    server: { now: () => new Date(clock), throttle: { freeFailures: 2, lockAfter: 4 }, mail: { settings, reconnect: { baseMs: 60_000, maxMs: 60_000 } } },
  });
  const enrolled = await leadWithTwoFactor(server);
  lead = enrolled.token;
  leadId = enrolled.id;
  specialist = await server.login(server.specialistEmails[0]);
});
afterAll(async () => {
  await server.close();
  await relay.stop();
});

describe('invitations and password links', () => {
  it('lets a lead invite a SuperUser by e-mail in the customer\'s language, with a single-use link stored only as a hash', async () => {
    const fi = party('fi', { country: 'FI', language: 'fi', industry: 'retail' });
    const answer = await post(ROUTES.centreInvitations, { contactId: fi.contact.id }, lead);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ contactId: fi.contact.id, email: fi.contact.email });
    const outbox = server.store.db
      .prepare<[string], { subject: string; text: string; from_address: string }>('SELECT subject, text, from_address FROM mail_outbox WHERE to_address = ?')
      .get(fi.contact.email ?? '');
    expect(outbox?.subject).toBe('Kutsu Digitaaliseen asiakaskeskukseen');
    expect(outbox?.from_address).toBe(FI_MAILBOX);
    // Sent through the outgoing queue to the relay.
    const sent = await relay.waitFor((m) => m.envelopeTo.includes(fi.contact.email ?? ''));
    const token = await linkTo(fi.contact.email ?? '', 'invitation', 1);
    expect(sent.mail.subject).toBe('Kutsu Digitaaliseen asiakaskeskukseen');
    expect(sent.mail.text).toContain(`${server.url}/centre/#/invitation/${token}`);
    // Only the queue row (until sent) carries the link: once sent, no row of the database has it.
    await vi.waitFor(() => {
      expect(server.store.db.prepare<[string], string>('SELECT state FROM mail_outbox WHERE to_address = ?').pluck().get(fi.contact.email ?? '')).toBe('sent');
    });
    expect(everyRow()).not.toContain(token);
    expect(everyRow()).toContain(fi.contact.email);
    const kept = server.store.db.prepare<[string], string>('SELECT text FROM mail_messages WHERE to_address = ?').pluck().get(fi.contact.email ?? '');
    expect(kept).not.toContain(token);
    const hashes = server.store.db.prepare<[string], string>('SELECT token_hash FROM centre_tokens WHERE contact_id = ?').pluck().all(fi.contact.id);
    expect(hashes).toEqual([createHash('sha256').update(token).digest('hex')]);
    expect(auditRows(fi.contact.id, 'centre_invite')).toBe(1);
  });

  it('refuses the invitation to a specialist (403), of a contact who is not a SuperUser, and of an unknown contact', async () => {
    const p = party('refused', {}, { superUser: false, superUserSince: null });
    expect((await post(ROUTES.centreInvitations, { contactId: p.contact.id }, specialist)).status).toBe(403);
    const notSuper = await post(ROUTES.centreInvitations, { contactId: p.contact.id }, lead);
    expect(notSuper.status).toBe(400);
    expect(notSuper.body).toMatchObject({ error: { code: 'not_superuser', field: 'contactId' } });
    expect((await post(ROUTES.centreInvitations, { contactId: 'no-such-contact' }, lead)).status).toBe(404);
    expect(server.store.centre.get(p.contact.id)).toBeNull();
  });

  it('sets the password once per link, by the desk\'s password rules; a weak password does not use the link up', async () => {
    const p = party('once', {});
    const token = await invite(p);
    const weak = await post(ROUTES.centrePassword, { token, password: 'password1234' });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { code: 'weak_password', field: 'password' } });
    const short = await post(ROUTES.centrePassword, { token, password: 'kort' });
    expect(short.body).toMatchObject({ error: { code: 'invalid', field: 'password' } });
    const set = await post(ROUTES.centrePassword, { token, password: PASSWORD });
    expect(set.status).toBe(200);
    const session = CentreSessionSchema.parse(set.body);
    expect(session.token.startsWith(CENTRE_TOKEN_PREFIX)).toBe(true);
    expect(session.me.contact.id).toBe(p.contact.id);
    const again = await post(ROUTES.centrePassword, { token, password: NEW_PASSWORD });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: 'link_invalid', field: 'token' } });
    expect(auditRows(p.contact.id, 'centre_password_set')).toBe(1);
  });

  it('lets a link expire, and a new invitation end the earlier link', async () => {
    const p = party('expire', {});
    const first = await invite(p);
    const second = await invite(p);
    expect((await post(ROUTES.centrePassword, { token: first, password: PASSWORD })).body).toMatchObject({ error: { code: 'link_invalid' } });
    clock += 73 * 3_600_000;
    try {
      expect((await post(ROUTES.centrePassword, { token: second, password: PASSWORD })).body).toMatchObject({ error: { code: 'link_invalid' } });
    } finally {
      clock -= 73 * 3_600_000;
    }
    // Refused while expired, it was not used up: back within its time, it still works.
    expect((await post(ROUTES.centrePassword, { token: second, password: PASSWORD })).status).toBe(200);
  });

  it('resets a forgotten password by a mailed link: the same answer for unknown addresses, a few mails an hour at most, old sessions end', async () => {
    const p = party('reset', {});
    const oldSession = await signedIn(p);
    const before = server.store.db.prepare<[], number>('SELECT count(*) FROM mail_outbox').pluck().get() ?? 0;
    const unknown = await post(ROUTES.centreReset, { email: 'nobody@nowhere.example' });
    expect(unknown.status).toBe(202);
    expect(server.store.db.prepare<[], number>('SELECT count(*) FROM mail_outbox').pluck().get()).toBe(before);
    for (let i = 0; i < 5; i++) expect((await post(ROUTES.centreReset, { email: p.contact.email })).status).toBe(202);
    expect(server.store.db.prepare<[string], number>("SELECT count(*) FROM mail_outbox WHERE to_address = ? AND subject LIKE 'Nytt lösenord%'").pluck().get(p.contact.email ?? '')).toBe(3);
    const token = await linkTo(p.contact.email ?? '', 'reset', 3);
    expect((await post(ROUTES.centrePassword, { token, password: NEW_PASSWORD })).status).toBe(200);
    expect((await get(ROUTES.centreMe, oldSession)).status).toBe(401);
    expect((await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD })).status).toBe(401);
    const fresh = await post(ROUTES.centreLogin, { email: p.contact.email, password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
    // The reset link is single use too.
    expect((await post(ROUTES.centrePassword, { token, password: PASSWORD })).status).toBe(400);
  });
});

describe('logins and sessions', () => {
  it('throttles wrong passwords as the desk does, then locks; the right password is refused while locked', async () => {
    const p = party('throttle', {});
    await signedIn(p);
    const wrong = () => post(ROUTES.centreLogin, { email: p.contact.email, password: 'fel lösenord helt och hållet' });
    expect((await wrong()).status).toBe(401);
    expect((await wrong()).status).toBe(401);
    // Slowed after two failures: the next try at once is a 429.
    const slowed = await wrong();
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get('retry-after')).not.toBeNull();
    clock += 60_000;
    expect((await wrong()).status).toBe(401);
    clock += 60_000;
    expect((await wrong()).status).toBe(401);
    clock += 60_000;
    const locked = await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: { code: 'locked' } });
    clock += 16 * 60_000;
    expect((await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD })).status).toBe(200);
    expect(auditRows(p.contact.id, 'centre_login_failed')).toBe(4);
  });

  it('opens no specialist route with a customer\'s token and no customer route with a specialist\'s or a lead\'s, route by route', async () => {
    const p = party('isolation', {});
    const customer = await signedIn(p);
    const fixtures = fixturesOf(server.store.db, server.ctiToken);
    const specialistRoutes = ROUTE_SPECS.filter((s) => s.access === 'token' || s.access === 'lead');
    const customerRoutes = ROUTE_SPECS.filter((s) => s.access === 'customer');
    expect(customerRoutes.map((s) => s.key)).toEqual(expect.arrayContaining(['centreMe', 'centreCases', 'centreCase', 'centreReplies', 'centreLogout']));
    for (const spec of specialistRoutes) {
      const answer = await request(server.url, spec.method, spec.path(fixtures), { token: customer, json: spec.method === 'GET' ? undefined : {} });
      expect(answer.status, `${spec.method} ${spec.key} with a customer's token`).toBe(401);
      expect(isErrorBody(answer.body)).toBe(true);
    }
    for (const token of [specialist, lead, `${CENTRE_TOKEN_PREFIX}${randomUUID().replaceAll('-', '')}`, customer.slice(CENTRE_TOKEN_PREFIX.length)]) {
      for (const spec of customerRoutes) {
        const answer = await request(server.url, spec.method, spec.path(fixtures), { token, json: spec.method === 'GET' ? undefined : {} });
        expect(answer.status, `${spec.method} ${spec.key} with another token`).toBe(401);
      }
    }
    // The live socket is the specialists' only.
    await expect(connectLive(server.url, customer)).rejects.toThrow(/4401/);
    // And the customer's token still works where it belongs.
    expect((await get(ROUTES.centreMe, customer)).status).toBe(200);
    expect((await post(ROUTES.centreLogout, {}, customer)).status).toBe(204);
    expect((await get(ROUTES.centreMe, customer)).status).toBe(401);
  });

  it('ends a customer\'s session when the contact is no longer a SuperUser', async () => {
    const p = party('demoted', {});
    const token = await signedIn(p);
    expect((await get(ROUTES.centreMe, token)).status).toBe(200);
    server.store.contacts.update({ ...p.contact, superUser: false, superUserSince: null });
    expect((await get(ROUTES.centreMe, token)).status).toBe(401);
    expect((await post(ROUTES.centreLogin, { email: p.contact.email, password: PASSWORD })).status).toBe(401);
  });
});

describe('a contact\'s changes reach the centre account, on every path', () => {
  const patch = (path: string, json: unknown) => request(server.url, 'PATCH', path, { json, token: lead });
  const login = (email: string | null | undefined) => post(ROUTES.centreLogin, { email, password: PASSWORD });
  const unusedLinks = (contactId: string): number =>
    server.store.db.prepare<[string], number>('SELECT count(*) FROM centre_tokens WHERE contact_id = ? AND used_at IS NULL').pluck().get(contactId) ?? 0;
  /** Signed in, and a reset link waiting unused. */
  // A reset link waiting, written straight into the store: the reset route has a limit of 10 a
  // minute per address, which these tests together would pass (the route has its own test above).
  const pendingReset = (contactId: string): void => {
    const at = new Date();
    server.store.centre.issueToken(contactId, 'reset', randomUUID(), at.toISOString(), new Date(at.getTime() + 3_600_000).toISOString());
  };

  async function withPendingLink(p: Party): Promise<string> {
    const session = await signedIn(p);
    pendingReset(p.contact.id);
    expect(unusedLinks(p.contact.id)).toBe(1);
    return session;
  }

  it('the lead\'s contact edit: a new address logs in (the old does not), no longer a SuperUser ends sessions and links', async () => {
    const p = party('edit', {});
    const session = await withPendingLink(p);
    const address = `moved-${randomUUID().slice(0, 8)}@kund.example`;
    expect((await patch(ROUTES.contact(p.contact.id), { email: address })).status).toBe(200);
    expect(server.store.centre.get(p.contact.id)?.email).toBe(address);
    expect(unusedLinks(p.contact.id)).toBe(0);
    expect((await login(p.contact.email)).status).toBe(401);
    expect((await login(address)).status).toBe(200);
    expect((await get(ROUTES.centreMe, session)).status).toBe(200);
    expect((await post(ROUTES.centreReset, { email: address })).status).toBe(202);
    expect((await patch(ROUTES.contact(p.contact.id), { superUser: false })).status).toBe(200);
    expect(unusedLinks(p.contact.id)).toBe(0);
    expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM centre_sessions WHERE contact_id = ?').pluck().get(p.contact.id)).toBe(0);
  });

  it('the lead\'s contact edit refuses an address another SuperUser\'s account logs in with, and changes nothing', async () => {
    const p = party('clash', {});
    const other = party('clash-other', {});
    await signedIn(p);
    await invite(other);
    const answer = await patch(ROUTES.contact(p.contact.id), { email: other.contact.email });
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ error: { code: 'email_in_use', field: 'email' } });
    expect(server.store.contacts.get(p.contact.id)?.email).toBe(p.contact.email);
    expect((await login(p.contact.email)).status).toBe(200);
  });

  it('the import: a SuperUser no longer one loses sessions and links', async () => {
    const p = party('import', {});
    const session = await withPendingLink(p);
    const rows = [{ org_number: p.customer.orgNumber, contact_name: p.contact.name, contact_email: p.contact.email, superuser: false }];
    const answer = await post(ROUTES.customerImport, { rows }, lead);
    expect(answer.status, answer.text).toBe(200);
    expect(server.store.contacts.get(p.contact.id)?.superUser).toBe(false);
    expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM centre_sessions WHERE contact_id = ?').pluck().get(p.contact.id)).toBe(0);
    expect(unusedLinks(p.contact.id)).toBe(0);
    expect((await get(ROUTES.centreMe, session)).status).toBe(401);
  });

  it('a GDPR rectification: a new address logs in (the old does not); no address ends sessions and links', async () => {
    const p = party('rectify', {});
    const session = await withPendingLink(p);
    const address = `rectified-${randomUUID().slice(0, 8)}@kund.example`;
    expect((await patch(ROUTES.gdprContact(p.contact.id), { email: address })).status).toBe(200);
    expect(unusedLinks(p.contact.id)).toBe(0);
    expect((await login(p.contact.email)).status).toBe(401);
    expect((await login(address)).status).toBe(200);
    pendingReset(p.contact.id);
    expect(unusedLinks(p.contact.id)).toBe(1);
    expect((await patch(ROUTES.gdprContact(p.contact.id), { email: null })).status).toBe(200);
    expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM centre_sessions WHERE contact_id = ?').pluck().get(p.contact.id)).toBe(0);
    expect(unusedLinks(p.contact.id)).toBe(0);
    expect((await get(ROUTES.centreMe, session)).status).toBe(401);
  });
});

describe('the GDPR overview and export', () => {
  it('show the person\'s centre account and sessions (never a token or its hash), and nothing for a person without one', async () => {
    const p = party('gdpr', {});
    await signedIn(p);
    const login = await request(server.url, 'POST', ROUTES.centreLogin, { json: { email: p.contact.email, password: PASSWORD }, headers: { 'user-agent': 'Kundens webbläsare/1.0' } });
    expect(login.status).toBe(200);
    for (const path of [ROUTES.gdprContact(p.contact.id), ROUTES.gdprExport(p.contact.id)]) {
      const answer = await get(path, lead);
      expect(answer.status, answer.text).toBe(200);
      const overview = GdprOverviewSchema.parse(answer.body);
      expect(overview.centreAccount).toMatchObject({ email: p.contact.email, invitedBy: { id: leadId } });
      expect(overview.centreAccount?.invitedBy?.name).toEqual(expect.any(String));
      expect(overview.centreAccount?.passwordChangedAt).toEqual(expect.any(String));
      expect(overview.centreSessions).toHaveLength(2);
      expect(overview.centreSessions.map((s) => s.userAgent)).toContain('Kundens webbläsare/1.0');
      expect(overview.centreSessions[0]).toMatchObject({ address: expect.any(String), createdAt: expect.any(String), lastSeenAt: expect.any(String) });
      const hashes = server.store.db
        .prepare<[string, string], string>('SELECT token_hash FROM centre_sessions WHERE contact_id = ? UNION ALL SELECT token_hash FROM centre_tokens WHERE contact_id = ?')
        .pluck()
        .all(p.contact.id, p.contact.id);
      expect(hashes.length).toBeGreaterThan(2);
      for (const hash of hashes) expect(answer.text).not.toContain(hash);
      expect(answer.text).not.toContain(CentreSessionSchema.parse(login.body).token);
      expect(answer.text).not.toContain('password_hash');
    }
    const none = party('gdpr-none', {});
    const empty = GdprOverviewSchema.parse((await get(ROUTES.gdprContact(none.contact.id), lead)).body);
    expect(empty.centreAccount).toBeNull();
    expect(empty.centreSessions).toEqual([]);
  });
});

describe('registering and following cases', () => {
  let a: Party;
  let b: Party;
  let tokenA: string;
  let tokenB: string;

  beforeAll(async () => {
    a = party('a', { industry: 'construction' });
    b = party('b', { country: 'FI', language: 'fi', industry: 'retail', licensedModules: ['payroll'] }, { trainedModules: ['payroll'] });
    tokenA = await signedIn(a);
    tokenB = await signedIn(b);
  });

  const register = (token: string, body: Record<string, unknown>) =>
    post(ROUTES.centreCases, { module: 'finance', category: 'support', serviceLevel: null, title: 'Momsrapporten summerar fel', description: 'Sedan i går.', ...body }, token);

  it('registers a case through the server\'s path for new cases: portal, the team of the industry, on a desk\'s feed and live socket at once, acknowledged by mail', async () => {
    const socket = await connectLive(server.url, specialist);
    try {
      const before = server.store.changes.latestSeq();
      const created = await register(tokenA, { category: 'bug', serviceLevel: 2 });
      expect(created.status, created.text).toBe(201);
      const { case: summary } = created.body as { case: { id: string; number: number; sla: { handlingBy: string; resolveBy: string } | null } };
      const stored = server.store.cases.get(summary.id);
      expect(stored).toMatchObject({ channel: 'portal', team: 1, customerId: a.customer.id, contactId: a.contact.id, category: 'bug', serviceLevel: 2, status: 'new' });
      expect(summary.sla?.handlingBy).toBeDefined();
      await socket.until(() => socket.of('poke').some((m) => m.seq > before));
      const feed = await api(server, specialist).get<{ cases: Array<{ id: string }> }>(`${ROUTES.changes}?after=${before}&limit=1000`);
      expect(JSON.stringify(feed.body)).toContain(summary.id);
      const ack = server.store.db
        .prepare<[string], { subject: string; text: string }>("SELECT subject, text FROM mail_outbox WHERE to_address = ? AND subject LIKE '%#%'")
        .get(a.contact.email ?? '');
      expect(ack?.subject).toContain(`#${summary.number}`);
      expect(ack?.text).toContain(`ärendenummer ${summary.number}`);
      const sent = await relay.waitFor((m) => m.envelopeTo.includes(a.contact.email ?? '') && (m.mail.subject ?? '').includes(`#${summary.number}`));
      expect(sent.mail.text).toContain(`ärendenummer ${summary.number}`);
      expect(auditRows(a.contact.id, 'centre_case_create')).toBe(1);
    } finally {
      socket.close();
    }
    // The Finnish customer's case goes to team 2.
    const fi = await register(tokenB, { module: 'payroll', title: 'Palkka-ajo pysähtyy' });
    expect(fi.status).toBe(201);
    expect(server.store.cases.get((fi.body as { case: { id: string } }).case.id)?.team).toBe(2);
  });

  it('refuses plainly, per field: an unlicensed module, a module the SuperUser is not trained on, overdue payments, bad fields', async () => {
    const unlicensed = await register(tokenA, { module: 'inventory' });
    expect(unlicensed.body).toMatchObject({ error: { code: 'module_not_licensed', field: 'module' } });
    const untrained = await register(tokenA, { module: 'payroll' });
    expect(untrained.status).toBe(403);
    expect(untrained.body).toMatchObject({ error: { code: 'not_trained', field: 'module' } });
    expect((await register(tokenA, { title: '   ' })).body).toMatchObject({ error: { code: 'invalid', field: 'title' } });
    expect((await register(tokenA, { category: 'wish', serviceLevel: 3 })).body).toMatchObject({ error: { field: 'serviceLevel' } });
    expect((await register(tokenA, { category: 'nonsense' })).body).toMatchObject({ error: { code: 'invalid', field: 'category' } });
    const count = server.store.cases.ofCustomer(a.customer.id, 100).length;
    server.store.db.prepare("UPDATE customers SET payment_status = 'overdue' WHERE id = ?").run(a.customer.id);
    try {
      const overdue = await register(tokenA, {});
      expect(overdue.status).toBe(403);
      expect(overdue.body).toMatchObject({ error: { code: 'overdue_payment' } });
      expect((await get(ROUTES.centreMe, tokenA)).body).toMatchObject({ me: { overduePayment: true } });
    } finally {
      server.store.db.prepare("UPDATE customers SET payment_status = 'ok' WHERE id = ?").run(a.customer.id);
    }
    expect(server.store.cases.ofCustomer(a.customer.id, 100)).toHaveLength(count);
  });

  it('lists only the company\'s own cases and answers another company\'s or a forged id 404', async () => {
    const mine = await register(tokenA, { title: 'Egen fråga' });
    const id = (mine.body as { case: { id: string } }).case.id;
    const listA = CentreCasesResponseSchema.parse((await get(ROUTES.centreCases, tokenA)).body).cases;
    expect(listA.length).toBeGreaterThan(0);
    expect(listA.every((c) => server.store.cases.get(c.id)?.customerId === a.customer.id)).toBe(true);
    const listB = CentreCasesResponseSchema.parse((await get(ROUTES.centreCases, tokenB)).body).cases;
    expect(listB.map((c) => c.id)).not.toContain(id);
    expect((await get(ROUTES.centreCase(id), tokenA)).status).toBe(200);
    for (const forged of [id, 'no-such-case', fixturesOf(server.store.db, server.ctiToken).caseId, `${id}x`, '..%2F..%2Fapi']) {
      expect((await get(ROUTES.centreCase(forged), tokenB)).status, forged).toBe(404);
      expect((await post(ROUTES.centreReplies(forged), { text: 'Hej' }, tokenB)).status, forged).toBe(404);
    }
    expect(server.store.events.forCase(id).filter((e) => e.kind === 'mail' && e.data.direction === 'in')).toHaveLength(0);
  });

  it('shows the specialists\' public replies and never their internal notes; a customer\'s reply joins the case as an inbound mail', async () => {
    const created = await register(tokenA, { title: 'Fråga om attest' });
    const id = (created.body as { case: { id: string } }).case.id;
    const desk = new Desk(api(server, specialist));
    const pushed = await desk.push(
      desk.mutation('addNote', { caseId: id, eventId: randomUUID(), text: 'INTERN: kunden verkar ha fel behörighet' }),
      desk.mutation('sendReply', { caseId: id, eventId: randomUUID(), text: 'Hej! Kontrollera behörigheten under Attest.' }),
    );
    expect(pushed.results.map((r) => r.status)).toEqual(['applied', 'applied']);
    const view: CentreCaseResponse = CentreCaseResponseSchema.parse((await get(ROUTES.centreCase(id), tokenA)).body);
    const texts = view.entries.flatMap((e) => (e.kind === 'mail' ? [e.text] : []));
    expect(texts.some((t) => t.includes('Kontrollera behörigheten'))).toBe(true);
    expect(JSON.stringify(view)).not.toContain('INTERN');
    expect(view.replyable).toBe(true);

    const socket = await connectLive(server.url, specialist);
    try {
      const before = server.store.changes.latestSeq();
      const replied = await post(ROUTES.centreReplies(id), { text: 'Tack, nu fungerar det!' }, tokenA);
      expect(replied.status, replied.text).toBe(201);
      await socket.until(() => socket.of('poke').some((m) => m.seq > before));
    } finally {
      socket.close();
    }
    const inbound = server.store.events.forCase(id).filter((e) => e.kind === 'mail' && e.data.direction === 'in');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ text: 'Tack, nu fungerar det!', data: { from: a.contact.email, status: 'received' } });
    const after = CentreCaseResponseSchema.parse((await get(ROUTES.centreCase(id), tokenA)).body);
    expect(after.entries.filter((e) => e.kind === 'mail' && e.direction === 'in')).toHaveLength(1);
    expect((await post(ROUTES.centreReplies(id), { text: '  ' }, tokenA)).body).toMatchObject({ error: { field: 'text' } });
    expect(auditRows(a.contact.id, 'centre_reply')).toBe(1);
    expect(auditRows(a.contact.id, 'centre_case_view')).toBeGreaterThan(0);
    const audited = server.store.db.prepare<[string], string>("SELECT route FROM audit_log WHERE contact_id = ? AND action = 'centre_case_view'").pluck().all(a.contact.id);
    expect(new Set(audited)).toEqual(new Set([CENTRE_CASE]));
    expect(CENTRE_REPLIES).toBe('/api/centre/cases/:id/replies');
  });

  it('forgets an anonymised SuperUser\'s centre account, links and sessions', async () => {
    const p = party('anonymised', {});
    const token = await signedIn(p);
    await invite(p);
    const gone = await post(ROUTES.gdprAnonymise(p.contact.id), {}, lead);
    expect(gone.status, gone.text).toBeLessThan(300);
    for (const table of ['centre_accounts', 'centre_tokens', 'centre_sessions']) {
      expect(server.store.db.prepare<[string], number>(`SELECT count(*) FROM ${table} WHERE contact_id = ?`).pluck().get(p.contact.id), table).toBe(0);
    }
    expect((await get(ROUTES.centreMe, token)).status).toBe(401);
  });
});
