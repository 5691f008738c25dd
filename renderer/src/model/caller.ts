/**
 * Who is calling: from the server's lookup when it pushes a call, or from the cache alone (a
 * softphone link while offline). Both give the same view, so the banner does not care.
 */
import {
  entitlement,
  findByPhone,
  switchMismatch,
  teamOfIndustry,
  teamOfSwitchOption,
  type CallerInfo,
  type Contact,
  type Customer,
  type Entitlement,
  type MutationBody,
  type TeamId,
  type TeamMismatch,
} from '../../../shared/index';
import type { DisplayRow } from './rows';

export interface CallerView {
  phone: string | null;
  contact: Contact | null;
  customer: Customer | null;
  /** The team the customer's industry belongs to. */
  team: TeamId | null;
  entitlement: Entitlement | null;
  openCaseNumbers: number[];
}

export interface IncomingCall {
  /** The server's call id (links a case registered from it), null for a softphone link. */
  callId: string | null;
  key: string;
  from: string;
  option: 1 | 2 | null;
  state: 'ringing' | 'answered' | 'ended';
  caller: CallerView;
}

/** What the cache knows of callers: the in-memory store's directory and its cases. */
export interface CallerSources {
  customers: ReadonlyMap<string, Customer>;
  contactByPhone: ReadonlyMap<string, Contact>;
  contactsByCustomer: ReadonlyMap<string, readonly Contact[]>;
  rows(): readonly DisplayRow[];
}

/** A national number is read in both offices' countries, as the server reads it. */
export function callerFromCache(store: CallerSources, from: string): CallerView {
  const { phone, found: contact } = findByPhone(from, (e164) => store.contactByPhone.get(e164));
  const customer = contact ? (store.customers.get(contact.customerId) ?? null) : null;
  const openCaseNumbers = customer
    ? store
        .rows()
        .filter((r) => r.customerId === customer.id && r.status !== 'closed')
        .sort((a, b) => b.registeredAt - a.registeredAt)
        .map((r) => r.number)
    : [];
  return {
    phone,
    contact,
    customer,
    team: customer ? teamOfIndustry(customer.industry) : null,
    entitlement: customer ? entitlement(customer, contact, null, store.contactsByCustomer.get(customer.id) ?? []) : null,
    openCaseNumbers,
  };
}

export function callerFromServer(info: CallerInfo): CallerView {
  return {
    phone: info.phone,
    contact: info.contact,
    customer: info.customer,
    team: info.team,
    entitlement: info.entitlement,
    openCaseNumbers: [...info.openCases].sort((a, b) => b.registeredAt.localeCompare(a.registeredAt)).map((c) => c.number),
  };
}

/** Whether the caller chose the option of the customer's team; null when either is unknown. */
export function callMismatch(call: Pick<IncomingCall, 'option' | 'caller'>): TeamMismatch | null {
  if (call.option === null || call.caller.customer === null) return null;
  return switchMismatch(call.option, call.caller.customer.industry);
}

/**
 * The team a call is for: the one the caller chose on the switch (that is where the call
 * rings; a customer of the other team is flagged for transfer), else the customer's team.
 */
export function teamOfCall(call: Pick<IncomingCall, 'option' | 'caller'>): TeamId | null {
  return call.option !== null ? teamOfSwitchOption(call.option) : call.caller.team;
}

/**
 * The edit that puts the call in the history of a case opened from its banner; null for a call
 * the server has no record of (a softphone link), which there is nothing to link to.
 */
export function callLog(call: Pick<IncomingCall, 'callId'>, caseId: string): MutationBody | null {
  return call.callId === null ? null : { name: 'logCall', args: { caseId, callId: call.callId, eventId: crypto.randomUUID() } };
}
