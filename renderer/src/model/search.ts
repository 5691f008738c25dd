/** Customer and contact search over the cache, reading the query as the server does; e-mail too. */
import { foldText, orgNumberPrefix, phonePrefixes, type Contact, type Customer } from '../../../shared/index';

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
  const q = foldText(query.trim());
  if (q.length < 2) return [];
  const org = orgNumberPrefix(query);
  const phones = phonePrefixes(query);
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
    if (foldText(c.name).includes(q) || (org !== null && c.orgNumber.replace(/-/g, '').startsWith(org))) add(c, null);
  }
  for (const p of store.contacts.values()) {
    if (hits.length >= limit) break;
    if (p.anonymisedAt !== null) continue;
    const phone = p.phone;
    if (
      foldText(p.name).includes(q) ||
      (p.email !== null && foldText(p.email).includes(q)) ||
      (phone !== null && phones.some((prefix) => phone.startsWith(prefix)))
    ) {
      add(store.customers.get(p.customerId), p);
    }
  }
  return hits;
}
