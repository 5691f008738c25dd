/** Customer and contact search over the cache: names, org numbers, phone digits, e-mail. */
import type { Contact, Customer } from '../../../shared/index';

const fold = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

export interface SearchHit {
  customer: Customer;
  contact: Contact | null;
}

/** What the search reads: the in-memory store's directory. */
export interface SearchSources {
  customers: ReadonlyMap<string, Customer>;
  contacts: ReadonlyMap<string, Contact>;
}

export function searchCustomers(store: SearchSources, query: string, limit = 12): SearchHit[] {
  const q = fold(query.trim());
  if (q.length < 2) return [];
  const digits = q.replace(/[\s\-+]/g, '');
  const numeric = /^\d{3,}$/.test(digits);
  const hits: SearchHit[] = [];
  const seen = new Set<string>();
  const add = (customer: Customer | undefined, contact: Contact | null) => {
    if (!customer) return;
    const key = `${customer.id}:${contact?.id ?? ''}`;
    if (seen.has(key) || hits.length >= limit) return;
    seen.add(key);
    hits.push({ customer, contact });
  };
  for (const c of store.customers.values()) {
    if (hits.length >= limit) break;
    if (fold(c.name).includes(q) || (numeric && c.orgNumber.replace(/\D/g, '').startsWith(digits))) add(c, null);
  }
  for (const p of store.contacts.values()) {
    if (hits.length >= limit) break;
    if (p.anonymisedAt !== null) continue;
    const phoneDigits = p.phone?.replace(/\D/g, '') ?? '';
    if (
      fold(p.name).includes(q) ||
      (p.email !== null && fold(p.email).includes(q)) ||
      (numeric && (phoneDigits.includes(digits) || phoneDigits.includes(digits.replace(/^0/, ''))))
    ) {
      add(store.customers.get(p.customerId), p);
    }
  }
  return hits;
}
