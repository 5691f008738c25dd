import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPageSchema, ChangesPageSchema, GdprOverviewSchema, ROUTES } from '../../../shared/api';
import type { Contact } from '../../../shared/contract';
import { auditCtiToken } from '../../../server/calls/cti-token';
import { startTestServer, type TestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api, type Api } from '../../support/http';
import { leadWithTwoFactor } from '../../support/two-factor';

describe('GDPR, accounts and the audit log', () => {
  let server: TestServer;
  let lead: Api;
  let specialist: Api;
  let specialistId: string;
  let person: Contact;

  beforeAll(async () => {
    server = await startTestServer({ cases: 200 });
    lead = api(server, (await leadWithTwoFactor(server)).token);
    specialist = api(server, await server.login(server.specialistEmails[0]));
    specialistId = (await specialist.get(ROUTES.me)).body.specialist.id;
    // The contact with the most cases, so the overview has something to show.
    const id = server.store.db
      .prepare('SELECT contact_id FROM cases WHERE contact_id IS NOT NULL GROUP BY contact_id ORDER BY count(*) DESC LIMIT 1')
      .pluck()
      .get() as string;
    person = server.store.contacts.get(id) as Contact;
  });
  afterAll(() => server.close());

  it('shows everything about a person in one overview and audits it', async () => {
    const callId = randomUUID();
    await api(server).post(ROUTES.cti(server.ctiToken), { event: 'newCall', from: person.phone, to: '+46812345000', direction: 'in', callId });
    const reply = await specialist.get(ROUTES.gdprContact(person.id));
    expect(reply.status).toBe(200);
    const overview = GdprOverviewSchema.parse(reply.body);
    expect(overview.contact.id).toBe(person.id);
    expect(overview.customer.id).toBe(person.customerId);
    expect(overview.cases.length).toBeGreaterThan(0);
    expect(overview.cases.every((c) => c.contactId === person.id)).toBe(true);
    expect(overview.events.every((e) => overview.cases.some((c) => c.id === e.caseId))).toBe(true);
    expect(overview.calls.map((c) => c.callId)).toContain(callId);
    const rows = server.store.audit.query({ contactId: person.id, specialistId, action: 'gdpr_overview', limit: 10 });
    expect(rows).toHaveLength(1);
    expect((await specialist.get(ROUTES.gdprContact('nobody'))).status).toBe(404);
  });

  it('exports the same as a JSON download', async () => {
    const reply = await specialist.get(ROUTES.gdprExport(person.id));
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="contact-${person.id}.json"`);
    expect(reply.headers.get('content-type')).toContain('application/json');
    const exported = GdprOverviewSchema.parse(reply.body);
    expect(exported.contact).toEqual(person);
    expect(server.store.audit.query({ contactId: person.id, action: 'gdpr_export', limit: 10 })).toHaveLength(1);
  });

  it('rectifies a contact and feeds the change to desks', async () => {
    const seq = server.store.changes.latestSeq();
    const other = server.store.db.prepare('SELECT id FROM contacts WHERE superuser = 0 LIMIT 1').pluck().get() as string;
    const reply = await specialist.patch(ROUTES.gdprContact(other), { email: 'ny.adress@example.se', superUser: true });
    expect(reply.status).toBe(200);
    expect(reply.body.contact).toMatchObject({ email: 'ny.adress@example.se', superUser: true });
    expect(reply.body.contact.superUserSince).not.toBeNull();
    const changes = ChangesPageSchema.parse((await specialist.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.contacts.map((c) => c.id)).toEqual([other]);
    // The audit row names the fields rectified, not their values.
    const audited = server.store.audit.query({ contactId: other, action: 'update', limit: 1 })[0];
    expect(audited?.detail).toEqual({ fields: ['email', 'superUser'] });
    expect(JSON.stringify(audited)).not.toContain('ny.adress');
    const bad = await specialist.patch(ROUTES.gdprContact(other), { phone: '0701234567' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('phone');
    expect((await specialist.patch(ROUTES.gdprContact(other), {})).status).toBe(400);
  });

  it('anonymises a contact: identity gone, cases kept, calls without the number, desks told', async () => {
    const casesBefore = server.store.cases.byContact(person.id).length;
    const seq = server.store.changes.latestSeq();
    const reply = await lead.post(ROUTES.gdprAnonymise(person.id));
    expect(reply.status).toBe(200);
    const anonymised = reply.body.contact as Contact;
    expect(anonymised).toMatchObject({ email: null, phone: null, superUser: false, trainedModules: [] });
    expect(['Anonymiserad', 'Anonymisoitu']).toContain(anonymised.name);
    expect(anonymised.anonymisedAt).not.toBeNull();
    expect(server.store.cases.byContact(person.id)).toHaveLength(casesBefore);
    const calls = server.store.calls.ofContact(person.id, null);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.fromRaw === '' && c.from === null)).toBe(true);
    const changes = ChangesPageSchema.parse((await specialist.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.contacts).toEqual([anonymised]);
    // The number no longer finds the person, nor does the name.
    const lookup = await specialist.get(`${ROUTES.phoneLookup}?number=${encodeURIComponent(person.phone ?? '')}`);
    expect(lookup.body.contact).toBeNull();
    const search = await specialist.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(person.name)}`);
    expect(search.body.contacts.map((c: Contact) => c.id)).not.toContain(person.id);
    // An anonymised contact is not edited back to life.
    expect((await specialist.patch(ROUTES.gdprContact(person.id), { name: 'Back' })).status).toBe(409);
  });

  it('tells a lead who saw the person\'s data, and when', async () => {
    const reply = await lead.get(ROUTES.gdprAccessLog(person.id));
    expect(reply.status).toBe(200);
    const entries = AuditPageSchema.shape.entries.parse(reply.body.entries);
    const actions = new Set(entries.map((e) => e.action));
    for (const action of ['gdpr_overview', 'gdpr_export', 'anonymise']) expect(actions.has(action)).toBe(true);
    expect(entries.every((e) => e.contactId === person.id)).toBe(true);
    expect(entries.some((e) => e.specialistId === specialistId)).toBe(true);
    // Newest first.
    expect(entries.map((e) => e.id)).toEqual([...entries.map((e) => e.id)].sort((a, b) => b - a));
  });

  it('audits every contact a sync page carries', async () => {
    const before = server.store.db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;
    const page = await specialist.get(`${ROUTES.bootstrap}?limit=10000`);
    const carried = (page.body.contacts as Contact[]).map((c) => c.id).sort();
    const audited = server.store.db
      .prepare(`SELECT contact_id FROM audit_log WHERE id > ? AND specialist_id = ? AND action = 'sync' ORDER BY contact_id`)
      .pluck()
      .all(before, specialistId);
    expect(audited).toEqual(carried);
  });

  it('filters and pages the audit log for leads', async () => {
    const first = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?specialistId=${specialistId}&limit=5`)).body);
    expect(first.entries).toHaveLength(5);
    expect(first.entries.every((e) => e.specialistId === specialistId)).toBe(true);
    const second = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?specialistId=${specialistId}&limit=5&before=${first.next}`)).body);
    expect(second.entries.every((e) => e.id < (first.next ?? 0))).toBe(true);
    const byAction = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?action=anonymise`)).body);
    expect(byAction.entries.map((e) => e.contactId)).toEqual([person.id]);
    expect((await lead.get(`${ROUTES.audit}?from=yesterday`)).body.error.field).toBe('from');
  });

  it('lists specialists for everyone and lets leads create and change accounts', async () => {
    const list = await specialist.get(ROUTES.specialists);
    expect(list.body.specialists.length).toBeGreaterThanOrEqual(16);
    const created = await lead.post(ROUTES.specialists, {
      email: 'ny.specialist@softone.se',
      name: 'Ny Specialist',
      role: 'specialist',
      teams: [2],
      office: 'SE',
      language: 'sv',
      password: 'a-long-enough-password',
    });
    expect(created.status).toBe(201);
    expect(created.body.specialist).toMatchObject({ email: 'ny.specialist@softone.se', active: true });
    expect(await server.login('ny.specialist@softone.se', 'a-long-enough-password')).toMatch(/.{43}/);
    const duplicate = await lead.post(ROUTES.specialists, { ...created.body.specialist, password: 'a-long-enough-password' });
    expect(duplicate.status).toBe(409);
    const weak = await lead.post(ROUTES.specialists, { ...created.body.specialist, email: 'x@softone.se', password: 'short' });
    expect(weak.body.error.field).toBe('password');
    const changed = await lead.patch(ROUTES.specialist(created.body.specialist.id), { teams: [1, 2], role: 'lead' });
    expect(changed.body.specialist).toMatchObject({ teams: [1, 2], role: 'lead' });
    expect((await lead.patch(ROUTES.specialist('nobody'), { name: 'X' })).status).toBe(404);
    expect((await lead.patch(ROUTES.specialist(created.body.specialist.id), { teams: [3] })).body.error.field).toBe('teams.0');
  });

  it('audits account creation, role and team changes and disabling: who, which account, what changed', async () => {
    const leadId = (await lead.get(ROUTES.me)).body.specialist.id as string;
    const created = await lead.post(ROUTES.specialists, {
      email: 'granskad.konto@softone.se',
      name: 'Granskad Konto',
      role: 'specialist',
      teams: [1],
      office: 'SE',
      language: 'sv',
      password: 'a-long-enough-password',
    });
    const id = created.body.specialist.id as string;
    await lead.patch(ROUTES.specialist(id), { role: 'lead', teams: [1, 2] });
    await lead.patch(ROUTES.specialist(id), { active: false });
    await lead.patch(ROUTES.specialist(id), { active: true });
    // A patch that changes nothing is not an action.
    await lead.patch(ROUTES.specialist(id), { name: 'Granskad Konto' });
    const page = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?targetId=${id}`)).body);
    expect(page.entries.map((e) => [e.action, e.specialistId, e.targetId])).toEqual([
      ['account_enable', leadId, id],
      ['account_disable', leadId, id],
      ['account_update', leadId, id],
      ['account_create', leadId, id],
    ]);
    expect(page.entries[2]?.detail).toEqual({ role: { from: 'specialist', to: 'lead' }, teams: { from: [1], to: [1, 2] } });
    expect(page.entries[1]?.detail).toEqual({ active: { from: true, to: false } });
    expect(page.entries[3]?.detail).toMatchObject({ email: 'granskad.konto@softone.se', role: 'specialist', teams: [1] });
    expect(JSON.stringify(page.entries)).not.toContain('a-long-enough-password');
    // Read rows keep their shape: no target, no detail.
    const reads = AuditPageSchema.parse((await lead.get(`${ROUTES.audit}?action=gdpr_overview`)).body);
    expect(reads.entries[0]).toMatchObject({ targetId: null, detail: null });
  });

  it('audits the phone-switch token the server starts with when it differs from the last one', async () => {
    const store = server.store;
    const rows = (): number => store.audit.query({ action: 'cti_token_change', limit: 100 }).length;
    // The test server's start recorded its (first) token.
    expect(rows()).toBe(1);
    expect(auditCtiToken(store, server.ctiToken, new Date())).toBe('unchanged');
    expect(auditCtiToken(store, 'another-token-of-enough-length', new Date())).toBe('changed');
    expect(auditCtiToken(store, 'another-token-of-enough-length', new Date())).toBe('unchanged');
    expect(rows()).toBe(2);
    expect(store.audit.query({ action: 'cti_token_change', limit: 1 })[0]).toMatchObject({ specialistId: null, detail: { previous: 'another token' } });
    const stored = store.db.prepare(`SELECT value FROM server_state WHERE name = 'cti_token_hash'`).pluck().get() as string;
    expect(stored).not.toContain('another-token');
    auditCtiToken(store, server.ctiToken, new Date());
  });

  it('never demotes or disables the last active lead', async () => {
    // The lead acting keeps the role longest: it is the last.
    const acting = (await leadWithTwoFactor(server)).id;
    const leads = server.store.specialists.list().filter((s) => s.role === 'lead' && s.active && s.id !== acting);
    for (const extra of leads) await lead.patch(ROUTES.specialist(extra.id), { role: 'specialist' });
    const last = server.store.specialists.get(acting);
    const refused = await lead.patch(ROUTES.specialist(last?.id ?? ''), { active: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('last_lead');
  });

  it('answers the push of a recorded grant with the change feed carrying it', async () => {
    const seq = server.store.changes.latestSeq();
    const desk = new Desk(specialist);
    const customer = server.store.db.prepare(`SELECT id FROM customers WHERE country = 'SE' LIMIT 1`).pluck().get() as string;
    const superUser = server.store.contacts.ofCustomerList(customer).find((c) => c.superUser && c.anonymisedAt === null) as Contact;
    const grantId = randomUUID();
    await desk.push(desk.mutation('recordGrant', { grantId, customerId: customer, kind: 'consultant', grantedByContactId: superUser.id, grantedAt: new Date().toISOString() }));
    const changes = ChangesPageSchema.parse((await specialist.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.grants.map((g) => g.id)).toEqual([grantId]);
    expect(Date.parse(changes.grants[0]?.expiresAt ?? '') - Date.parse(changes.grants[0]?.grantedAt ?? '')).toBe(24 * 3_600_000);
  });
});
