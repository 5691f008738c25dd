import type { CallerInfo } from '../shared/api';
import type { Contact } from '../shared/contract';
import { entitlement } from '../shared/entitlement';
import { normalizePhone } from '../shared/numbers';
import { OFFICES, teamOfIndustry } from '../shared/teams';
import type { Store } from './store/store';

const OPEN_CASES_SHOWN = 50;

/**
 * The E.164 readings of a number as typed or sent by the switch. A national number is read in
 * both offices' countries (Sweden first): "040 123 4567" is Malmö in Sweden and a mobile in
 * Finland, and only the contacts can tell which one is meant.
 */
export function phoneCandidates(raw: string): string[] {
  const readings = OFFICES.map((office) => normalizePhone(raw, office)).filter((p): p is string => p !== null);
  return [...new Set(readings)];
}

/** The contact a number belongs to (SuperUsers first), and the reading that matched. */
export function findCaller(store: Store, raw: string): { phone: string | null; contact: Contact | null } {
  const candidates = phoneCandidates(raw);
  for (const phone of candidates) {
    const contact = store.contacts.byPhone(phone)[0];
    if (contact) return { phone, contact };
  }
  return { phone: candidates[0] ?? null, contact: null };
}

/** Who is calling: contact, customer, the team of the customer's industry, entitlement, open cases. */
export function callerInfo(store: Store, raw: string): CallerInfo {
  const { phone, contact } = findCaller(store, raw);
  const customer = contact ? store.customers.get(contact.customerId) : null;
  if (!customer) return { phone, contact: null, customer: null, team: null, entitlement: null, openCases: [] };
  const colleagues = store.contacts.ofCustomerList(customer.id);
  return {
    phone,
    contact,
    customer,
    team: teamOfIndustry(customer.industry),
    // No module yet: a call comes before its case.
    entitlement: entitlement(customer, contact, null, colleagues),
    openCases: store.cases.openForCustomer(customer.id, contact?.id ?? null, OPEN_CASES_SHOWN),
  };
}
