/**
 * The customer centre's support logins against a real server on a fixed clock: a Swedish
 * weekday's 8 working hours, a Swedish Friday's 24 or 72 hours, a Finnish SuperUser's hours,
 * refusals naming the field and changing nothing, another company's grant (404), ending a grant
 * early (once), the sessions kept apart both ways, and the desk's side: the grant and its end on
 * a specialist's feed, with a live poke, as if a desk had recorded it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { addCentreParty } from '../../support/centre';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { CENTRE_TOKEN_PREFIX } from '../../../shared/centre';
import { CentreGrantResponseSchema, CentreGrantsResponseSchema, type CentreGrant } from '../../../shared/centreGrants';
import type { AccessGrant, Contact, Customer } from '../../../shared/contract';
import { grantExpiry } from '../../../shared/grants';
import { startTestServer, type TestServer } from '../../support/server';
import { connectLive } from '../../support/live';
import { api, isErrorBody, request } from '../../support/http';

let clock = Date.parse('2026-03-10T08:00:00.000Z');
let server: TestServer;
let specialist: string;

interface Party {
  customer: Customer;
  contact: Contact;
}

function party(tag: string, over: Partial<Customer> = {}): Party {
  return addCentreParty(server.store, 'grant', tag, over);
}

/**
 * A customer's session opened at the server's current clock (the login itself is tested in
 * centre.test.ts): an account and a session row, as the centre's login writes them.
 */
function sessionOf(p: Party): string {
  const token = CENTRE_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const at = new Date(clock).toISOString();
  server.store.centre.ensure(p.contact.id, p.contact.email ?? '', null, at);
  server.store.centre.createSession({
    tokenHash: createHash('sha256').update(token).digest('hex'),
    id: randomBytes(16).toString('hex'),
    contactId: p.contact.id,
    createdAt: at,
    expiresAt: new Date(clock + 3_600_000).toISOString(),
    address: '127.0.0.1',
    userAgent: null,
  });
  return token;
}

const grant = (token: string, body: unknown) => request(server.url, 'POST', ROUTES.centreGrants, { json: body, token });
const list = (token: string) => request(server.url, 'GET', ROUTES.centreGrants, { token });
const end = (token: string, id: string) => request(server.url, 'DELETE', ROUTES.centreGrant(id), { token });

async function granted(token: string, body: unknown): Promise<CentreGrant> {
  const answer = await grant(token, body);
  expect(answer.status, answer.text).toBe(201);
  return CentreGrantResponseSchema.parse(answer.body).grant;
}

const auditRows = (contactId: string, action: string): number =>
  server.store.db.prepare<[string, string], number>('SELECT count(*) FROM audit_log WHERE contact_id = ? AND action = ?').pluck().get(contactId, action) ?? 0;

beforeAll(async () => {
  server = await startTestServer({ cases: 20, server: { now: () => new Date(clock) } });
  specialist = await server.login(server.specialistEmails[0]);
});
afterAll(async () => {
  await server.close();
});

describe('granting a support login', () => {
  it('gives a Swedish support login 8 working hours of the Swedish calendar on a weekday, granted by the session\'s SuperUser', async () => {
    // Tuesday 10 March 2026, 09:00 in Stockholm: 3 h before lunch, 3 h after, 2 h on Wednesday morning.
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const se = party('se-weekday');
    const token = sessionOf(se);
    const g = await granted(token, { kind: 'support' });
    expect(g.expiresAt).toBe('2026-03-11T09:00:00.000Z');
    expect(g.expiresAt).toBe(grantExpiry({ office: 'SE', kind: 'support', grantedAt: new Date(clock) }).toISOString());
    expect(g).toMatchObject({ kind: 'support', grantedAt: new Date(clock).toISOString(), revokedAt: null, state: 'active', grantedBy: se.contact.name, fromCentre: true });
    const stored = server.store.grants.get(g.id);
    expect(stored).toMatchObject({ customerId: se.customer.id, grantedByContactId: se.contact.id, recordedBy: null, expiresAt: g.expiresAt });
    expect(auditRows(se.contact.id, 'centre_grant_create')).toBe(1);
  });

  it('lets a Swedish SuperUser choose 24 or 72 hours on a Friday (24 when not chosen)', async () => {
    // Friday 13 March 2026, 10:00 in Stockholm.
    clock = Date.parse('2026-03-13T09:00:00.000Z');
    const se = party('se-friday');
    const token = sessionOf(se);
    expect((await granted(token, { kind: 'support' })).expiresAt).toBe('2026-03-14T09:00:00.000Z');
    expect((await granted(token, { kind: 'support', fridayHours: 24 })).expiresAt).toBe('2026-03-14T09:00:00.000Z');
    expect((await granted(token, { kind: 'support', fridayHours: 72 })).expiresAt).toBe('2026-03-16T09:00:00.000Z');
    const refused = await grant(token, { kind: 'support', fridayHours: 48 });
    expect(refused.status).toBe(400);
    expect(isErrorBody(refused.body) && refused.body.error.field).toBe('fridayHours');
  });

  it('gives a Finnish support login the hours the SuperUser chooses, and requires the choice', async () => {
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const fi = party('fi', { country: 'FI', language: 'fi', industry: 'retail' });
    const token = sessionOf(fi);
    const g = await granted(token, { kind: 'support', durationHours: 5 });
    expect(g.expiresAt).toBe('2026-03-10T13:00:00.000Z');
    const missing = await grant(token, { kind: 'support' });
    expect(missing.status).toBe(400);
    expect(isErrorBody(missing.body) && missing.body.error.field).toBe('durationHours');
  });

  it('refuses what does not apply, naming the field, and changes nothing', async () => {
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const se = party('se-bad');
    const fi = party('fi-bad', { country: 'FI', language: 'fi', industry: 'retail' });
    const seToken = sessionOf(se);
    const fiToken = sessionOf(fi);
    const seqBefore = server.store.changes.latestSeq();
    const cases: Array<[string, unknown, string | undefined]> = [
      [seToken, { kind: 'consultant' }, 'kind'],
      [seToken, {}, 'kind'],
      [seToken, { kind: 'support', fridayHours: 24 }, 'fridayHours'], // a Tuesday
      [seToken, { kind: 'support', durationHours: 8 }, 'durationHours'], // Sweden: derived, not chosen
      [fiToken, { kind: 'support', durationHours: 0 }, 'durationHours'],
      [fiToken, { kind: 'support', durationHours: 1.5 }, 'durationHours'],
      [fiToken, { kind: 'support', durationHours: 721 }, 'durationHours'],
      [fiToken, { kind: 'support', durationHours: '8' }, 'durationHours'],
      [fiToken, { kind: 'support', durationHours: 8, fridayHours: 24 }, 'fridayHours'],
      [fiToken, { kind: 'support', durationHours: 8, grantedByContactId: se.contact.id }, undefined],
    ];
    for (const [token, body, field] of cases) {
      const answer = await grant(token, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(isErrorBody(answer.body), answer.text).toBe(true);
      if (isErrorBody(answer.body)) expect(answer.body.error.field, JSON.stringify(body)).toBe(field);
    }
    // Not JSON: refused before it is read.
    const form = await request(server.url, 'POST', ROUTES.centreGrants, { token: seToken, raw: 'kind=support', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(server.store.grants.forCustomer(se.customer.id)).toEqual([]);
    expect(server.store.grants.forCustomer(fi.customer.id)).toEqual([]);
    expect(server.store.changes.latestSeq()).toBe(seqBefore);
    expect(auditRows(se.contact.id, 'centre_grant_create') + auditRows(fi.contact.id, 'centre_grant_create')).toBe(0);
  });
});

describe('the company\'s grants and ending one early', () => {
  it('lists only the company\'s own grants, newest first, with their state and who granted them', async () => {
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const a = party('list-a');
    const b = party('list-b');
    const tokenA = sessionOf(a);
    const first = await granted(tokenA, { kind: 'support' });
    clock += 60_000;
    const tokenA2 = sessionOf(a);
    const second = await granted(tokenA2, { kind: 'support' });
    await granted(sessionOf(b), { kind: 'support' });
    // A grant a specialist recorded from a phone call, already over.
    const byPhone: AccessGrant = {
      id: randomUUID(),
      customerId: a.customer.id,
      kind: 'consultant',
      grantedByContactId: a.contact.id,
      recordedBy: server.store.db.prepare<[], string>('SELECT id FROM specialists LIMIT 1').pluck().get() ?? null,
      grantedAt: '2026-03-01T08:00:00.000Z',
      expiresAt: '2026-03-02T08:00:00.000Z',
      revokedAt: null,
    };
    server.store.grants.insert(byPhone);
    const answer = await list(tokenA2);
    expect(answer.status).toBe(200);
    const { grants } = CentreGrantsResponseSchema.parse(answer.body);
    expect(grants.map((g) => g.id)).toEqual([second.id, first.id, byPhone.id]);
    expect(grants.map((g) => g.state)).toEqual(['active', 'active', 'ended']);
    expect(grants[2]).toMatchObject({ kind: 'consultant', fromCentre: false, grantedBy: a.contact.name });
    // Never the specialist who recorded it.
    expect(answer.text).not.toContain('recordedBy');
    expect(auditRows(a.contact.id, 'centre_grants')).toBe(1);
  });

  it('ends a grant early once (the first end stays on record), and never another company\'s grant', async () => {
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const a = party('end-a');
    const b = party('end-b');
    const tokenA = sessionOf(a);
    const tokenB = sessionOf(b);
    const g = await granted(tokenA, { kind: 'support' });

    // Another company's grant, or a forged id, is not there for them.
    for (const id of [g.id, randomUUID(), 'x'.repeat(65)]) {
      const forged = await end(tokenB, id);
      expect(forged.status, id).toBe(404);
    }
    expect(server.store.grants.get(g.id)?.revokedAt).toBeNull();
    expect(CentreGrantsResponseSchema.parse((await list(tokenB)).body).grants).toEqual([]);

    clock += 30 * 60_000;
    const ended = await end(tokenA, g.id);
    expect(ended.status, ended.text).toBe(200);
    const revokedAt = new Date(clock).toISOString();
    expect(CentreGrantResponseSchema.parse(ended.body).grant).toMatchObject({ id: g.id, state: 'revoked', revokedAt });
    expect(server.store.grants.get(g.id)?.revokedAt).toBe(revokedAt);

    clock += 30 * 60_000;
    const seq = server.store.changes.latestSeq();
    const again = await end(sessionOf(a), g.id);
    expect(again.status).toBe(200);
    expect(CentreGrantResponseSchema.parse(again.body).grant.revokedAt).toBe(revokedAt);
    expect(server.store.changes.latestSeq()).toBe(seq);
    expect(auditRows(a.contact.id, 'centre_grant_revoke')).toBe(2);
  });
});

describe('sessions kept apart', () => {
  it('refuses a specialist\'s token on the centre\'s grant routes and a customer\'s token on the desk\'s', async () => {
    const p = party('apart');
    const customer = sessionOf(p);
    const g = await granted(customer, { kind: 'support' });
    for (const token of [specialist, await server.login()]) {
      expect((await list(token)).status).toBe(401);
      expect((await grant(token, { kind: 'support' })).status).toBe(401);
      expect((await end(token, g.id)).status).toBe(401);
    }
    // The desk's way of recording or revoking a grant is the specialists' only.
    const push = await request(server.url, 'POST', ROUTES.push, {
      token: customer,
      json: { mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'revokeGrant', args: { grantId: g.id } }] },
    });
    expect(push.status).toBe(401);
    expect((await request(server.url, 'GET', `${ROUTES.changes}?after=0&limit=10`, { token: customer })).status).toBe(401);
    expect(server.store.grants.get(g.id)?.revokedAt).toBeNull();
  });
});

describe('the desk\'s side', () => {
  it('puts a centre grant and its early end on a specialist\'s feed with a live poke, as a desk\'s recorded grant', async () => {
    clock = Date.parse('2026-03-10T08:00:00.000Z');
    const p = party('desk');
    const token = sessionOf(p);
    const socket = await connectLive(server.url, specialist);
    const desk = api(server, specialist);
    try {
      const before = server.store.changes.latestSeq();
      const g = await granted(token, { kind: 'support' });
      await socket.until(() => socket.of('poke').some((m) => m.seq > before));
      const feed = await desk.get<{ grants: AccessGrant[] }>(`${ROUTES.changes}?after=${before}&limit=1000`);
      expect(feed.status).toBe(200);
      expect(feed.body.grants).toContainEqual({
        id: g.id,
        customerId: p.customer.id,
        kind: 'support',
        grantedByContactId: p.contact.id,
        recordedBy: null,
        grantedAt: g.grantedAt,
        expiresAt: g.expiresAt,
        revokedAt: null,
      });

      const afterGrant = server.store.changes.latestSeq();
      clock += 60_000;
      expect((await end(sessionOf(p), g.id)).status).toBe(200);
      await socket.until(() => socket.of('poke').some((m) => m.seq > afterGrant));
      const later = await desk.get<{ grants: AccessGrant[] }>(`${ROUTES.changes}?after=${afterGrant}&limit=1000`);
      expect(later.body.grants.find((x) => x.id === g.id)?.revokedAt).toBe(new Date(clock).toISOString());
    } finally {
      socket.close();
    }
  });
});
