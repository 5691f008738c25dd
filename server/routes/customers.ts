/**
 * The lead's customer register (lead only, each change audited, recorded in the change log and
 * poked to every desk, so entitlement follows at once): customers, their contacts and SuperUsers
 * within the quota (shared/entitlement.ts `superUserQuotaRefusal`), and the import of an ERP/CRM
 * export (server/import/).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ROUTES } from '../../shared/api';
import { Id, type Contact, type Customer } from '../../shared/contract';
import {
  countryChangeRefusal,
  CreateContactAdminRequestSchema,
  CreateCustomerRequestSchema,
  IMPORT_MAX_BYTES,
  ImportQuerySchema,
  orgNumberKey,
  sortModules,
  UpdateContactAdminRequestSchema,
  UpdateCustomerRequestSchema,
  withSuperUser,
} from '../../shared/customersAdmin';
import { superUserQuotaRefusal } from '../../shared/entitlement';
import { normalizePhone } from '../../shared/numbers';
import { sessionOf } from '../auth/access-hook';
import { applyContactToCentre } from '../centre/contact-change';
import { auditAdmin } from '../http/access-audit';
import type { AppContext } from '../http/context';
import { HttpError, notFound, parseInput } from '../http/errors';
import { ImportFileError } from '../import/parse';
import { runImport } from '../import/run';

export const CUSTOMERS = ROUTES.customers;
/** The customer's path as the audit log names it… */
export const CUSTOMER = '/api/customers/:id';
/** …and as registered: any id but "search", so `/api/customers/search` (GET, the lookup) has no other method. */
export const CUSTOMER_ROUTE = '/api/customers/:id(^(?!search$).+$)';
export const CUSTOMER_CONTACTS = '/api/customers/:id/contacts';
export const CONTACT = '/api/contacts/:id';
export const CUSTOMER_IMPORT = ROUTES.customerImport;

const IdParam = z.object({ id: Id });

/** The fields that differ, `{ from, to }` each, for the audit log. */
function changedFields<T extends object>(before: T, after: T, skip: ReadonlyArray<keyof T> = []): Record<string, { from: unknown; to: unknown }> {
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as Array<keyof T>) {
    if (skip.includes(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changed[key as string] = { from: before[key], to: after[key] };
  }
  return changed;
}

/** A typed number in E.164 (read in the customer's country), or a 400 naming `phone`. */
function phoneOf(typed: string | null | undefined, customer: Customer): string | null | undefined {
  if (typed === undefined || typed === null) return typed;
  if (typed.trim() === '') return null;
  const phone = normalizePhone(typed, customer.country);
  if (phone === null) throw new HttpError(400, 'invalid', `not a phone number in ${customer.country}`, 'phone');
  return phone;
}

function assertQuota(quotaBefore: number, quotaAfter: number, before: readonly Contact[], after: readonly Contact[]): void {
  const refusal = superUserQuotaRefusal(quotaBefore, quotaAfter, before, after);
  if (refusal) throw new HttpError(409, refusal.code, refusal.message, refusal.field);
}

export async function customerRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { store } = ctx;
  const customerOf = (id: string): Customer => {
    const customer = store.customers.get(id);
    if (!customer) throw notFound('customer', 'id');
    return customer;
  };
  const assertOrgNumberFree = (orgNumber: string, id: string | null): void => {
    const key = orgNumberKey(orgNumber);
    if (store.customers.all().some((c) => c.id !== id && orgNumberKey(c.orgNumber) === key)) {
      throw new HttpError(409, 'exists', 'a customer with this organisation number exists', 'orgNumber');
    }
  };
  const done = (): void => ctx.live.poke(store.changes.latestSeq());

  app.post(CUSTOMERS, { config: { access: 'lead' } }, async (request, reply) => {
    const fields = parseInput(CreateCustomerRequestSchema, request.body);
    assertOrgNumberFree(fields.orgNumber, null);
    const customer: Customer = { id: randomUUID(), ...fields, licensedModules: sortModules(fields.licensedModules) };
    const now = ctx.now();
    store.transaction(() => {
      store.customers.insert(customer);
      store.changes.record('customers', customer.id);
      const { id: _id, ...created } = customer;
      auditAdmin(store, now, sessionOf(request).specialist.id, 'customer_create', CUSTOMERS, { targetId: customer.id, detail: created });
    });
    done();
    return reply.code(201).send({ customer });
  });

  app.patch(CUSTOMER_ROUTE, { config: { access: 'lead' } }, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const patch = parseInput(UpdateCustomerRequestSchema, request.body);
    const current = customerOf(id);
    const updated: Customer = { ...current, ...patch, ...(patch.licensedModules ? { licensedModules: sortModules(patch.licensedModules) } : {}) };
    if (patch.orgNumber !== undefined) assertOrgNumberFree(patch.orgNumber, id);
    const countryRefusal = countryChangeRefusal(current.country, updated.country, updated.country === current.country ? 0 : store.cases.openCountOfCustomer(id));
    if (countryRefusal) throw new HttpError(409, countryRefusal.code, countryRefusal.message, countryRefusal.field);
    const contacts = store.contacts.ofCustomerList(id);
    assertQuota(current.superUserQuota, updated.superUserQuota, contacts, contacts);
    const changes = changedFields(current, updated);
    if (Object.keys(changes).length === 0) return { customer: current };
    store.transaction(() => {
      store.customers.update(updated);
      store.changes.record('customers', id);
      auditAdmin(store, ctx.now(), sessionOf(request).specialist.id, 'customer_update', CUSTOMER, { targetId: id, detail: changes });
    });
    done();
    return { customer: updated };
  });

  app.post(CUSTOMER_CONTACTS, { config: { access: 'lead' } }, async (request, reply) => {
    const { id } = parseInput(IdParam, request.params);
    const body = parseInput(CreateContactAdminRequestSchema, request.body);
    const customer = customerOf(id);
    const now = ctx.now();
    const contact: Contact = withSuperUser(
      {
        id: randomUUID(),
        customerId: id,
        name: body.name,
        email: body.email ?? null,
        phone: phoneOf(body.phone, customer) ?? null,
        superUser: false,
        superUserSince: null,
        trainedModules: sortModules(body.trainedModules),
        anonymisedAt: null,
      },
      body.superUser,
      now.toISOString(),
    );
    const colleagues = store.contacts.ofCustomerList(id);
    assertQuota(customer.superUserQuota, customer.superUserQuota, colleagues, [...colleagues, contact]);
    store.transaction(() => {
      store.contacts.insert(contact);
      store.changes.record('contacts', contact.id);
      // Which fields were given; the values are the person's data and stay out of the log.
      const fields = Object.keys(body).filter((k) => body[k as keyof typeof body] !== undefined && body[k as keyof typeof body] !== null).sort();
      auditAdmin(store, now, sessionOf(request).specialist.id, 'contact_create', CUSTOMER_CONTACTS, { targetId: id, contactId: contact.id, detail: { fields } });
    });
    done();
    return reply.code(201).send({ contact });
  });

  app.patch(CONTACT, { config: { access: 'lead' } }, async (request) => {
    const { id } = parseInput(IdParam, request.params);
    const patch = parseInput(UpdateContactAdminRequestSchema, request.body);
    const current = store.contacts.get(id);
    if (!current) throw notFound('contact', 'id');
    if (current.anonymisedAt !== null) throw new HttpError(409, 'anonymised', 'an anonymised contact cannot be changed');
    const customer = customerOf(current.customerId);
    const now = ctx.now();
    let updated: Contact = {
      ...current,
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.email === undefined ? {} : { email: patch.email }),
      ...(patch.phone === undefined ? {} : { phone: phoneOf(patch.phone, customer) ?? null }),
      ...(patch.trainedModules === undefined ? {} : { trainedModules: sortModules(patch.trainedModules) }),
    };
    if (patch.superUser !== undefined) updated = withSuperUser(updated, patch.superUser, now.toISOString());
    const colleagues = store.contacts.ofCustomerList(current.customerId);
    assertQuota(customer.superUserQuota, customer.superUserQuota, colleagues, colleagues.map((c) => (c.id === id ? updated : c)));
    const fields = Object.keys(changedFields(current, updated, ['superUserSince'])).sort();
    if (fields.length === 0) return { contact: current };
    store.transaction(() => {
      store.contacts.update(updated);
      store.changes.record('contacts', id);
      applyContactToCentre(store, updated, now.toISOString());
      auditAdmin(store, now, sessionOf(request).specialist.id, 'contact_update', CONTACT, { targetId: current.customerId, contactId: id, detail: { fields } });
    });
    done();
    return { contact: updated };
  });

  // The file as the body: CSV as text, JSON parsed by Fastify; both up to IMPORT_MAX_BYTES.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, parsed) => parsed(null, body));
  app.post(CUSTOMER_IMPORT, { config: { access: 'lead' }, bodyLimit: IMPORT_MAX_BYTES }, async (request) => {
    const query = parseInput(ImportQuerySchema, request.query);
    const dryRun = query.dryRun === '1' || query.dryRun === 'true';
    const isJson = /json/i.test(request.headers['content-type'] ?? '');
    if (!isJson && typeof request.body !== 'string') throw new HttpError(400, 'invalid', 'send the file as text/csv or application/json', 'body');
    try {
      return runImport(store, isJson ? { json: request.body } : { text: request.body as string, format: 'csv' }, { dryRun, now: ctx.now(), specialistId: sessionOf(request).specialist.id, route: CUSTOMER_IMPORT });
    } catch (e) {
      if (e instanceof ImportFileError) throw new HttpError(400, 'import_file', e.message, 'body');
      throw e;
    } finally {
      if (!dryRun) done();
    }
  });
}
