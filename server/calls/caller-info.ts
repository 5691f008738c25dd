import type { CallerInfo } from '../../shared/api';
import type { Contact } from '../../shared/contract';
import { entitlement } from '../../shared/entitlement';
import { findByPhone } from '../../shared/numbers';
import { teamOfIndustry } from '../../shared/teams';
import type { Store } from '../store/store';

const OPEN_CASES_SHOWN = 50;

/** The contact a number belongs to (SuperUsers first), and the reading that matched. */
export function findCaller(store: Store, raw: string): { phone: string | null; contact: Contact | null } {
  const { phone, found } = findByPhone(raw, (e164) => store.contacts.byPhone(e164)[0]);
  return { phone, contact: found };
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
