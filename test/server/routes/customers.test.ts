import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangesPageSchema, ROUTES } from '../../../shared/api';
import type { Contact, Customer } from '../../../shared/contract';
import { entitlement } from '../../../shared/entitlement';
import { CONTACT, CUSTOMER, CUSTOMER_CONTACTS, CUSTOMERS } from '../../../server/routes/customers';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';
import { connectLive } from '../../support/live';
import { leadWithTwoFactor } from '../../support/two-factor';

describe("the lead's customer register", () => {
  let server: TestServer;
  let lead: Api;
  let leadId: string;
  let specialist: Api;
  let customer: Customer;
  let serial = 0;

  const newCustomer = async (overrides: Record<string, unknown> = {}): Promise<Customer> => {
    serial += 1;
    const reply = await lead.post(ROUTES.customers, { name: `Testbolaget ${serial} AB`, orgNumber: `559900-${String(1000 + serial)}`, country: 'SE', language: 'sv', industry: 'construction', licensedModules: ['payroll', 'finance'], ...overrides });
    expect(reply.status, reply.text).toBe(201);
    return reply.body.customer as Customer;
  };
  const addContact = async (customerId: string, body: Record<string, unknown>) => lead.post(ROUTES.customerContacts(customerId), body);
  const auditRows = (action: string, route: string) =>
    server.store.db.prepare<[string, string], { specialist_id: string; target_id: string | null; contact_id: string | null; detail: string | null }>(
      'SELECT specialist_id, target_id, contact_id, detail FROM audit_log WHERE action = ? AND route = ? ORDER BY id',
    ).all(action, route);

  beforeAll(async () => {
    server = await startTestServer({ cases: 20 });
    const enrolled = await leadWithTwoFactor(server);
    lead = api(server, enrolled.token);
    leadId = enrolled.id;
    specialist = api(server, await server.login(server.specialistEmails[0]));
    customer = await newCustomer();
  }, 120_000);
  afterAll(() => server.close());

  it('creates a customer with the defaults, audited and in the change feed', async () => {
    const seq = server.store.changes.latestSeq();
    const created = await newCustomer({ licensedModules: undefined });
    expect(created).toMatchObject({ paymentStatus: 'ok', superUserQuota: 2, licensedModules: [] });
    expect(server.store.customers.get(created.id)).toEqual(created);
    const changes = ChangesPageSchema.parse((await specialist.get(`${ROUTES.changes}?after=${seq}`)).body);
    expect(changes.customers.map((c) => c.id)).toEqual([created.id]);
    expect(auditRows('customer_create', CUSTOMERS).at(-1)).toMatchObject({ specialist_id: leadId, target_id: created.id });
    // The modules are kept in the catalogue's order: the import compares them as sets.
    expect(customer.licensedModules).toEqual(['finance', 'payroll']);
  });

  it('refuses a second customer with the same organisation number (dashes ignored), and bad fields by name', async () => {
    const dup = await lead.post(ROUTES.customers, { name: 'Kopia AB', orgNumber: customer.orgNumber.replace('-', ''), country: 'SE', language: 'sv', industry: 'construction' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'exists', field: 'orgNumber' });
    const bad = await lead.post(ROUTES.customers, { name: 'Fel AB', orgNumber: '1', country: 'NO', language: 'sv', industry: 'construction' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('country');
    const quota = await lead.patch(ROUTES.customer(customer.id), { superUserQuota: 5 });
    expect(quota.status).toBe(400);
    expect(quota.body.error.field).toBe('superUserQuota');
    expect((await lead.patch(ROUTES.customer(customer.id), {})).status).toBe(400);
    expect((await lead.patch(ROUTES.customer('no-such-customer'), { name: 'X' })).status).toBe(404);
  });

  it('edits a customer: every field, audited with from and to', async () => {
    const target = await newCustomer();
    const patch = { name: 'Omdöpt Oy', orgNumber: '1234567-8', country: 'FI', language: 'fi', industry: 'retail', licensedModules: ['time'], paymentStatus: 'overdue', superUserQuota: 4 };
    const reply = await lead.patch(ROUTES.customer(target.id), patch);
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.customer).toEqual({ ...target, ...patch });
    expect(server.store.customers.get(target.id)).toEqual({ ...target, ...patch });
    const row = auditRows('customer_update', CUSTOMER).at(-1);
    expect(row?.target_id).toBe(target.id);
    expect(JSON.parse(row?.detail ?? '{}')).toMatchObject({ paymentStatus: { from: 'ok', to: 'overdue' }, superUserQuota: { from: 2, to: 4 } });
  });

  it("refuses to move a customer with open cases to the other office, by the route and by the import, and changes nothing", async () => {
    const open = server.store.db.prepare<[], string>(`SELECT customer_id FROM cases WHERE status <> 'closed' LIMIT 1`).pluck().get();
    if (open === undefined) throw new Error('the seed has no open case');
    const owner = server.store.customers.get(open);
    if (!owner) throw new Error('no customer');
    const other = owner.country === 'SE' ? 'FI' : 'SE';
    const moved = await lead.patch(ROUTES.customer(owner.id), { country: other });
    expect(moved.status).toBe(409);
    expect(moved.body.error).toMatchObject({ code: 'country_open_cases', field: 'country' });
    const imported = await lead.raw('POST', ROUTES.customerImport, `org_number,country\n${owner.orgNumber},${other}`, 'text/csv');
    expect(imported.status, imported.text).toBe(200);
    expect(imported.body.rejected).toEqual([expect.objectContaining({ line: 2, field: 'country', code: 'country_open_cases' })]);
    expect(server.store.customers.get(owner.id)?.country).toBe(owner.country);
    // With no open case the country may change (the edit test above moves a new customer).
    expect((await lead.patch(ROUTES.customer(owner.id), { country: owner.country, name: owner.name })).status).toBe(200);
  });

  it('adds contacts with phones normalised in the customer country, and edits them', async () => {
    const added = await addContact(customer.id, { name: 'Anna Andersson', email: 'anna@testbolaget.se', phone: '070-123 45 67', trainedModules: ['payroll'] });
    expect(added.status, added.text).toBe(201);
    const contact = added.body.contact as Contact;
    expect(contact).toMatchObject({ customerId: customer.id, phone: '+46701234567', superUser: false, superUserSince: null, trainedModules: ['payroll'] });
    expect(server.store.contacts.get(contact.id)).toEqual(contact);
    const badPhone = await addContact(customer.id, { name: 'Fel Nummer', phone: '12' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error.field).toBe('phone');
    const edited = await lead.patch(ROUTES.contact(contact.id), { name: 'Anna Berg', phone: '+358 40 123 4567', trainedModules: ['finance', 'payroll'] });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.contact).toMatchObject({ name: 'Anna Berg', phone: '+358401234567', trainedModules: ['finance', 'payroll'] });
    const row = auditRows('contact_update', CONTACT).at(-1);
    expect(row).toMatchObject({ specialist_id: leadId, contact_id: contact.id });
    // Which fields changed, never their values (the person's data).
    expect(JSON.parse(row?.detail ?? '{}')).toEqual({ fields: ['name', 'phone', 'trainedModules'] });
    expect(row?.detail).not.toContain('Berg');
    expect(auditRows('contact_create', CUSTOMER_CONTACTS).at(-1)).toMatchObject({ contact_id: contact.id, target_id: customer.id });
  });

  it('names SuperUsers up to the quota, refuses the one over it, and refuses lowering the quota below the count', async () => {
    const target = await newCustomer();
    const first = await addContact(target.id, { name: 'Första Superanvändaren', superUser: true });
    expect(first.status).toBe(201);
    expect(first.body.contact.superUserSince).not.toBeNull();
    const second = (await addContact(target.id, { name: 'Andra Kontakten' })).body.contact as Contact;
    expect((await lead.patch(ROUTES.contact(second.id), { superUser: true })).status).toBe(200);
    const third = (await addContact(target.id, { name: 'Tredje Kontakten' })).body.contact as Contact;
    const refused = await lead.patch(ROUTES.contact(third.id), { superUser: true });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'superuser_quota', field: 'superUser' });
    expect(refused.body.error.message).toContain('2');
    expect(server.store.contacts.get(third.id)?.superUser).toBe(false);
    // A new contact named SuperUser at once is refused the same way, and not stored.
    const before = server.store.contacts.ofCustomerList(target.id).length;
    const over = await addContact(target.id, { name: 'Fjärde Kontakten', superUser: true });
    expect(over.body.error).toMatchObject({ code: 'superuser_quota', field: 'superUser' });
    expect(server.store.contacts.ofCustomerList(target.id)).toHaveLength(before);
    // A larger quota admits the third; lowering it again below three is refused.
    expect((await lead.patch(ROUTES.customer(target.id), { superUserQuota: 3 })).status).toBe(200);
    expect((await lead.patch(ROUTES.contact(third.id), { superUser: true })).status).toBe(200);
    const lower = await lead.patch(ROUTES.customer(target.id), { superUserQuota: 2 });
    expect(lower.status).toBe(409);
    expect(lower.body.error).toMatchObject({ code: 'superuser_quota', field: 'superUserQuota' });
    expect(server.store.customers.get(target.id)?.superUserQuota).toBe(3);
    // Taking SuperUser away clears when, and the quota can then go down.
    const off = await lead.patch(ROUTES.contact(third.id), { superUser: false });
    expect(off.body.contact).toMatchObject({ superUser: false, superUserSince: null });
    expect((await lead.patch(ROUTES.customer(target.id), { superUserQuota: 2 })).status).toBe(200);
  });

  it('does not change an anonymised contact', async () => {
    const contact = (await addContact(customer.id, { name: 'Glömd Person', email: 'glomd@testbolaget.se' })).body.contact as Contact;
    expect((await lead.post(ROUTES.gdprAnonymise(contact.id))).status).toBe(200);
    const reply = await lead.patch(ROUTES.contact(contact.id), { name: 'Tillbaka' });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe('anonymised');
  });

  it("reaches every desk at once: a specialist's desk is poked and its pull makes the caller entitled", async () => {
    const target = await newCustomer();
    const caller = (await addContact(target.id, { name: 'Ringande Kund', phone: '070-765 43 21', trainedModules: ['finance'] })).body.contact as Contact;
    const token = await server.login(server.specialistEmails[1]);
    const desk = api(server, token);
    const socket = await connectLive(server.url, token);
    try {
      const seq = server.store.changes.latestSeq();
      expect((await lead.patch(ROUTES.contact(caller.id), { superUser: true })).status).toBe(200);
      await socket.until(() => socket.of('poke').some((p) => p.seq > seq));
      const page = ChangesPageSchema.parse((await desk.get(`${ROUTES.changes}?after=${seq}`)).body);
      const pulled = page.contacts.find((c) => c.id === caller.id);
      expect(pulled?.superUser).toBe(true);
      const known = page.customers.find((c) => c.id === target.id) ?? target;
      expect(entitlement(known, pulled ?? null, null, [pulled as Contact]).entitled).toBe(true);
    } finally {
      socket.close();
    }
  });

  it.each([
    ['POST', 'customers', (): string => ROUTES.customers, { name: 'Spec AB', orgNumber: '559911-0000', country: 'SE', language: 'sv', industry: 'construction' }],
    ['PATCH', 'customer', (): string => ROUTES.customer(customer.id), { name: 'Spec AB' }],
    ['POST', 'customerContacts', (): string => ROUTES.customerContacts(customer.id), { name: 'Spec Kontakt' }],
    ['PATCH', 'contact', (): string => ROUTES.contact(server.store.contacts.ofCustomerList(customer.id)[0]?.id ?? 'x'), { name: 'Spec Kontakt' }],
    ['POST', 'customerImport', (): string => `${ROUTES.customerImport}?dryRun=1`, [{ org_number: '559911-0001', name: 'Spec AB' }]],
  ] as const)('refuses a specialist: %s %s', async (method, _name, path, body) => {
    const seq = server.store.changes.latestSeq();
    const reply = method === 'POST' ? await specialist.post(path(), body) : await specialist.patch(path(), body);
    expect(reply.status).toBe(403);
    expect(server.store.changes.latestSeq()).toBe(seq);
  });
});
