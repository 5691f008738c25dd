/**
 * The caller log as the desk shows it: the teams' calls with who called (contact, customer),
 * their entitlement and open cases from the cache, ordered for call backs. No I/O.
 */
import { entitlement, isOpenMissed, type Call, type Contact, type Customer, type TeamId } from '../../../shared/index';
import type { CaseRow } from './rows';

export interface CallLogRow {
  call: Call;
  contact: Contact | null;
  customer: Customer | null;
  /** Whether the caller is entitled to free support; null for an unknown caller. */
  entitled: boolean | null;
  /** The customer's open cases, the contact's own first, newest first. */
  openCases: CaseRow[];
  /** How many of them have an SLA clock running (a bug with a service level). */
  slaCases: number;
}

/** What the log needs of the cache. */
export interface CallLogSources {
  contacts: ReadonlyMap<string, Contact>;
  customers: ReadonlyMap<string, Customer>;
  contactsByCustomer: ReadonlyMap<string, readonly Contact[]>;
  rows(): Iterable<CaseRow>;
}

/** A call of my teams' log: its team is one of mine, or no team could be told (nobody else sees it). */
export const inTeams = (call: Pick<Call, 'team'>, teams: readonly TeamId[]): boolean => call.team === null || teams.includes(call.team);

/** Open missed calls of my teams: the top bar's and the app badge's count. */
export function openMissedCount(calls: Iterable<Call>, teams: readonly TeamId[]): number {
  let n = 0;
  for (const c of calls) if (isOpenMissed(c) && inTeams(c, teams)) n++;
  return n;
}

/**
 * Who calls back first: 0 for a caller entitled to support or with an open SLA case (a promise
 * with a clock), 1 for everyone else.
 */
export const callbackTier = (row: Pick<CallLogRow, 'entitled' | 'slaCases'>): 0 | 1 => (row.entitled === true || row.slaCases > 0 ? 0 : 1);

/**
 * The caller log's order: missed calls still waiting first, entitled callers and callers with open
 * SLA cases before others, each group longest waiting first; then every other call (answered,
 * outgoing, done) newest first.
 */
export function compareCallLog(a: CallLogRow, b: CallLogRow): number {
  const aOpen = isOpenMissed(a.call);
  const bOpen = isOpenMissed(b.call);
  if (aOpen !== bOpen) return aOpen ? -1 : 1;
  if (aOpen) {
    const tier = callbackTier(a) - callbackTier(b);
    if (tier !== 0) return tier;
    return a.call.startedAt < b.call.startedAt ? -1 : a.call.startedAt > b.call.startedAt ? 1 : a.call.id < b.call.id ? -1 : 1;
  }
  return a.call.startedAt > b.call.startedAt ? -1 : a.call.startedAt < b.call.startedAt ? 1 : a.call.id < b.call.id ? -1 : 1;
}

/** The rows of my teams' caller log, in callback order. One pass over the cases, for the callers' customers only. */
export function buildCallLog(calls: Iterable<Call>, teams: readonly TeamId[], sources: CallLogSources): CallLogRow[] {
  const mine: Call[] = [];
  for (const c of calls) if (inTeams(c, teams)) mine.push(c);
  const customerIds = new Set(mine.flatMap((c) => (c.customerId === null ? [] : [c.customerId])));
  const openOf = new Map<string, CaseRow[]>();
  if (customerIds.size > 0) {
    for (const r of sources.rows()) {
      if (r.status === 'closed' || !customerIds.has(r.customerId)) continue;
      const list = openOf.get(r.customerId);
      if (list) list.push(r);
      else openOf.set(r.customerId, [r]);
    }
  }
  const rows = mine.map((call): CallLogRow => {
    const contact = call.contactId === null ? null : (sources.contacts.get(call.contactId) ?? null);
    const customer = call.customerId === null ? null : (sources.customers.get(call.customerId) ?? null);
    const open = [...(customer ? (openOf.get(customer.id) ?? []) : [])].sort(
      (a, b) => Number(b.contactId === call.contactId && call.contactId !== null) - Number(a.contactId === call.contactId && call.contactId !== null) || b.registeredAt - a.registeredAt,
    );
    return {
      call,
      contact,
      customer,
      entitled: customer && contact ? entitlement(customer, contact, null, sources.contactsByCustomer.get(customer.id) ?? []).entitled : null,
      openCases: open,
      slaCases: open.filter((r) => r.deadlineAt !== null).length,
    };
  });
  return rows.sort(compareCallLog);
}

/** The case a call back is logged on: the caller's own newest open case, else the customer's only open case. */
export function callbackCase(row: Pick<CallLogRow, 'call' | 'openCases'>): CaseRow | null {
  const own = row.openCases.find((r) => row.call.contactId !== null && r.contactId === row.call.contactId);
  if (own) return own;
  return row.openCases.length === 1 ? (row.openCases[0] ?? null) : null;
}
