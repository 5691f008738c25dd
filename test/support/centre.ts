/**
 * The customer centre in server tests: a customer of its own with one SuperUser contact, written
 * to the store as the lead's register would, so each test has a company no other test touches.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, Customer } from '../../shared/index';
import type { Store } from '../../server/store/store';

export interface CentreParty {
  customer: Customer;
  contact: Contact;
}

/**
 * A Swedish construction customer licensed for finance and payroll (overridable), and its SuperUser,
 * trained on finance, with an e-mail address of their own; `prefix` keeps each file's ids apart.
 */
export function addCentreParty(store: Store, prefix: string, tag: string, over: Partial<Customer> = {}, contactOver: Partial<Contact> = {}): CentreParty {
  const customer: Customer = {
    id: `${prefix}-${tag}-${randomUUID()}`,
    name: `Kund ${prefix} ${tag}`,
    orgNumber: `55${Math.floor(Math.random() * 1e8)}`,
    country: 'SE',
    language: 'sv',
    industry: 'construction',
    licensedModules: ['finance', 'payroll'],
    paymentStatus: 'ok',
    superUserQuota: 2,
    ...over,
  };
  const contact: Contact = {
    id: `${prefix}-contact-${tag}-${randomUUID()}`,
    customerId: customer.id,
    name: `Sanna ${tag} Superuser`,
    email: `${prefix}-${tag}-${randomUUID().slice(0, 8)}@kund.example`,
    phone: null,
    superUser: true,
    superUserSince: '2025-01-01T00:00:00.000Z',
    trainedModules: ['finance'],
    anonymisedAt: null,
    ...contactOver,
  };
  store.transaction(() => {
    store.customers.insert(customer);
    store.contacts.insert(contact);
  });
  return { customer, contact };
}
