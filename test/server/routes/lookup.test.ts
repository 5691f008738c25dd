import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallerInfoSchema, CaseDetailSchema, CustomerSearchResultSchema, ROUTES } from '../../../shared/api';
import type { Case, Contact, Customer } from '../../../shared/contract';
import { startTestServer, type TestServer } from '../../support/server';
import { api, type Api } from '../../support/http';

/** Audit rows of one specialist and route since a row id. */
function auditRows(server: TestServer, specialistId: string, route: string, afterId: number): Array<{ contact_id: string; action: string }> {
  return server.store.db
    .prepare('SELECT contact_id, action FROM audit_log WHERE specialist_id = ? AND route = ? AND id > ? ORDER BY id')
    .all(specialistId, route, afterId) as Array<{ contact_id: string; action: string }>;
}
const lastAuditId = (server: TestServer): number => server.store.db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;

describe('lookup', () => {
  let server: TestServer;
  let http: Api;
  let me: string;
  let withContact: Case;
  let contact: Contact;
  let customer: Customer;

  beforeAll(async () => {
    server = await startTestServer({ cases: 150 });
    const token = await server.login(server.specialistEmails[0]);
    http = api(server, token);
    me = (await http.get(ROUTES.me)).body.specialist.id;
    const id = server.store.db
      .prepare(`SELECT c.id FROM cases c JOIN contacts co ON co.id = c.contact_id WHERE c.status <> 'closed' AND co.superuser = 1 LIMIT 1`)
      .pluck()
      .get() as string;
    withContact = server.store.cases.get(id) as Case;
    contact = server.store.contacts.get(withContact.contactId ?? '') as Contact;
    customer = server.store.customers.get(withContact.customerId) as Customer;
  });
  afterAll(() => server.close());

  it('finds a case by number with its customer, contact, events and grants, and audits the contact', async () => {
    const before = lastAuditId(server);
    const reply = await http.get(ROUTES.caseByNumber(withContact.number));
    expect(reply.status).toBe(200);
    const detail = CaseDetailSchema.parse(reply.body);
    expect(detail.case.id).toBe(withContact.id);
    expect(detail.customer.id).toBe(customer.id);
    expect(detail.contact?.id).toBe(contact.id);
    expect(detail.events[0]?.kind).toBe('created');
    expect(auditRows(server, me, '/api/cases/by-number/:n', before)).toEqual([{ contact_id: contact.id, action: 'view' }]);
  });

  it('reads the number the way a caller says it', async () => {
    const spaced = `${String(withContact.number).slice(0, 3)} ${String(withContact.number).slice(3)}`;
    const reply = await http.get(`/api/cases/by-number/${encodeURIComponent(`#${spaced}`)}`);
    expect(reply.status).toBe(200);
    expect(reply.body.case.number).toBe(withContact.number);
  });

  it('answers unknown and malformed numbers with 404 and 400', async () => {
    const missing = await http.get(ROUTES.caseByNumber(999_999_999));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'not_found', field: 'n' });
    const malformed = await http.get('/api/cases/by-number/12ab34');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.field).toBe('n');
  });

  it('lists a case\'s events, and 404s for an unknown case', async () => {
    const reply = await http.get(ROUTES.caseEvents(withContact.id));
    expect(reply.status).toBe(200);
    expect(reply.body.events.length).toBeGreaterThan(0);
    expect(reply.body.events.every((e: { caseId: string }) => e.caseId === withContact.id)).toBe(true);
    expect((await http.get(ROUTES.caseEvents('no-such-case'))).status).toBe(404);
  });

  it('identifies a caller from any local or international form of the number', async () => {
    const phone = contact.phone ?? '';
    const national = customer.country === 'SE' ? `0${phone.slice(3)}` : `0${phone.slice(4)}`;
    const spaced = `${national.slice(0, 3)}-${national.slice(3, 6)} ${national.slice(6)}`;
    const forms = [phone, `00${phone.slice(1)}`, spaced];
    for (const number of forms) {
      const before = lastAuditId(server);
      const reply = await http.get(`${ROUTES.phoneLookup}?number=${encodeURIComponent(number)}`);
      expect(reply.status).toBe(200);
      const info = CallerInfoSchema.parse(reply.body);
      expect(info.phone).toBe(phone);
      expect(info.contact?.id).toBe(contact.id);
      expect(info.customer?.id).toBe(customer.id);
      expect(info.entitlement).not.toBeNull();
      expect(info.openCases.map((c) => c.id)).toContain(withContact.id);
      expect(info.openCases.every((c) => c.status !== 'closed' && c.customerId === customer.id)).toBe(true);
      expect(auditRows(server, me, ROUTES.phoneLookup, before)).toEqual([{ contact_id: contact.id, action: 'view' }]);
    }
  });

  it('says so when a number is unknown or not a number', async () => {
    const unknown = CallerInfoSchema.parse((await http.get(`${ROUTES.phoneLookup}?number=%2B46812345678`)).body);
    expect(unknown).toMatchObject({ phone: '+46812345678', contact: null, customer: null, team: null, openCases: [] });
    const garbage = CallerInfoSchema.parse((await http.get(`${ROUTES.phoneLookup}?number=hello`)).body);
    expect(garbage.phone).toBeNull();
    const empty = await http.get(`${ROUTES.phoneLookup}?number=`);
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('number');
  });

  it('searches customers by name and organisation number and contacts by name and phone', async () => {
    const word = customer.name.split(' ')[0] ?? '';
    const byName = CustomerSearchResultSchema.parse((await http.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(word.toLowerCase())}`)).body);
    expect(byName.customers.map((c) => c.id)).toContain(customer.id);
    const org = customer.orgNumber.replace('-', '').slice(0, 7);
    const byOrg = CustomerSearchResultSchema.parse((await http.get(`${ROUTES.customerSearch}?q=${org}`)).body);
    expect(byOrg.customers.map((c) => c.id)).toContain(customer.id);
    const before = lastAuditId(server);
    const byContact = CustomerSearchResultSchema.parse((await http.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(contact.name)}`)).body);
    expect(byContact.contacts.map((c) => c.id)).toContain(contact.id);
    const audited = auditRows(server, me, ROUTES.customerSearch, before);
    expect(audited.map((r) => r.contact_id).sort()).toEqual(byContact.contacts.map((c) => c.id).sort());
    const phone = contact.phone ?? '';
    const byPhone = CustomerSearchResultSchema.parse((await http.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(phone.slice(0, 9))}`)).body);
    expect(byPhone.contacts.every((c) => c.phone?.startsWith(phone.slice(0, 9)))).toBe(true);
    expect(byPhone.contacts.length).toBeGreaterThan(0);
    // Diacritics and case do not matter.
    const folded = contact.name.normalize('NFKD').replace(/\p{M}/gu, '').toUpperCase();
    const foldedReply = CustomerSearchResultSchema.parse((await http.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(folded)}`)).body);
    expect(foldedReply.contacts.map((c) => c.id)).toContain(contact.id);
    expect((await http.get(`${ROUTES.customerSearch}?q=%20`)).status).toBe(400);
  });

  it('treats search text as text, not as SQL or LIKE patterns', async () => {
    for (const q of ["' OR 1=1 --", '%', '_', '\\']) {
      const reply = await http.get(`${ROUTES.customerSearch}?q=${encodeURIComponent(q)}`);
      expect(reply.status).toBe(200);
      expect(reply.body.customers).toEqual([]);
    }
  });
});
