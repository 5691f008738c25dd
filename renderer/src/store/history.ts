/**
 * The store's index of cases by customer and by contact, so a customer's history is a few map
 * reads at 100,000 cases, not a scan. It lists candidates: a case is noted under every customer
 * and contact it has been shown with, and the reader keeps those that still belong
 * (model/history.ts `inHistory`), so a case moved to another customer never needs removing.
 */
export class HistoryIndex {
  private readonly byCustomer = new Map<string, string[]>();
  private readonly byContact = new Map<string, string[]>();

  /** Notes a case under its customer and contact; `before`: how it was noted already, if at all. */
  note(row: { id: string; customerId: string; contactId: string | null }, before?: { customerId: string; contactId: string | null }): void {
    if (before?.customerId !== row.customerId) add(this.byCustomer, row.customerId, row.id);
    if (row.contactId !== null && before?.contactId !== row.contactId) add(this.byContact, row.contactId, row.id);
  }

  /** The ids of the cases noted under the customer or the contact, each once. */
  candidates(customerId: string | null, contactId: string | null): Set<string> {
    const ids = new Set<string>();
    if (customerId !== null) for (const id of this.byCustomer.get(customerId) ?? []) ids.add(id);
    if (contactId !== null) for (const id of this.byContact.get(contactId) ?? []) ids.add(id);
    return ids;
  }

  clear(): void {
    this.byCustomer.clear();
    this.byContact.clear();
  }
}

function add(map: Map<string, string[]>, key: string, id: string): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
