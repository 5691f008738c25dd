/**
 * A customer's history: every case of the customer and of the contact, open and closed, newest
 * first. The store finds the candidates through its index by customer and by contact
 * (store/history.ts); this says which of them belong and in what order.
 */
import type { DisplayRow } from './rows';

export interface HistoryOf {
  customerId: string | null;
  contactId: string | null;
}

/** Whether a case is the customer's or the contact's. */
export function inHistory(row: Pick<DisplayRow, 'customerId' | 'contactId'>, of: HistoryOf): boolean {
  return (of.customerId !== null && row.customerId === of.customerId) || (of.contactId !== null && row.contactId === of.contactId);
}

/** Newest first: by registration, then by number (a case registered offline keeps its time). */
export function newestFirst(a: Pick<DisplayRow, 'registeredAt' | 'number'>, b: Pick<DisplayRow, 'registeredAt' | 'number'>): number {
  return b.registeredAt - a.registeredAt || b.number - a.number;
}
