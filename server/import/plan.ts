/**
 * What an import would do, row by row, without touching the store: each valid row merges into
 * its customer (found by organisation number) and its contact (by e-mail, else by name, within
 * the customer); a row the rules refuse is rejected whole, with its line and field, and the rows
 * after it see the data as if it had not been there. The same plan is the dry run's report and
 * the real run's list of writes.
 */
import { randomUUID } from 'node:crypto';
import type { Contact, Customer } from '../../shared/contract';
import { ImportRowSchema, countryChangeRefusal, orgNumberKey, sortModules, withSuperUser, type ImportColumn, type ImportFieldChange, type ImportReport, type ImportRow } from '../../shared/customersAdmin';
import { DEFAULT_SUPERUSER_QUOTA, superUserQuotaRefusal } from '../../shared/entitlement';
import { normalizePhone } from '../../shared/numbers';
import { foldText } from '../../shared/search';
import type { RawRow } from './parse';

export interface ImportSource {
  customers: readonly Customer[];
  contactsOf(customerId: string): readonly Contact[];
  /** How many of the customer's cases are open (its country cannot change then). */
  openCasesOf(customerId: string): number;
}

export interface ImportPlan {
  report: ImportReport;
  customers: { insert: Customer[]; update: Customer[] };
  contacts: { insert: Contact[]; update: Contact[] };
  /** Existing contacts the report shows (their data is read: audited). */
  shownContactIds: string[];
}

type Rejection = ImportReport['rejected'][number];

/** A customer's columns and the record's field each one sets. */
const CUSTOMER_COLUMNS = [
  ['name', 'name'],
  ['country', 'country'],
  ['language', 'language'],
  ['industry', 'industry'],
  ['licensed_modules', 'licensedModules'],
  ['payment_status', 'paymentStatus'],
  ['superuser_quota', 'superUserQuota'],
] as const satisfies ReadonlyArray<readonly [ImportColumn, keyof Customer]>;

const CONTACT_COLUMNS = [
  ['contact_name', 'name'],
  ['contact_email', 'email'],
  ['contact_phone', 'phone'],
  ['superuser', 'superUser'],
  ['trained_modules', 'trainedModules'],
] as const satisfies ReadonlyArray<readonly [ImportColumn, keyof Contact]>;

interface Draft {
  original: Customer | null;
  current: Partial<Customer> & { id: string; orgNumber: string };
  /** The line that set each customer column in this file: a later row may not say otherwise. */
  setBy: Map<string, number>;
  lines: number[];
  contacts: Array<{ original: Contact | null; current: Contact; line: number }>;
}

const LONE_SURROGATE = /\p{Cs}/u;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

class Rejected extends Error {
  constructor(readonly rejection: Omit<Rejection, 'line'>) {
    super(rejection.message);
  }
}

export function planImport(rows: readonly RawRow[], source: ImportSource, now: Date, dryRun: boolean): ImportPlan {
  const at = now.toISOString();
  const byKey = new Map(source.customers.map((c) => [orgNumberKey(c.orgNumber), c]));
  const drafts = new Map<string, Draft>();
  const rejected: Rejection[] = [];

  const openCases = (draft: Draft): number => (draft.original === null ? 0 : source.openCasesOf(draft.original.id));
  const draftOf = (orgNumber: string): Draft => {
    const key = orgNumberKey(orgNumber);
    const known = drafts.get(key);
    if (known) return known;
    const original = byKey.get(key) ?? null;
    return {
      original,
      current: original ? { ...original } : { id: randomUUID(), orgNumber },
      setBy: new Map(),
      lines: [],
      contacts: original ? source.contactsOf(original.id).map((c) => ({ original: c, current: c, line: 0 })) : [],
    };
  };

  for (const raw of rows) {
    const parsed = ImportRowSchema.safeParse(raw.values);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({ line: raw.line, field: issue?.path[0] === undefined ? null : String(issue.path[0]), code: 'invalid', message: issue?.message ?? 'invalid' });
      continue;
    }
    // Text SQLite could not store as sent (a lone UTF-16 half) is refused, never altered.
    const illFormed = Object.entries(parsed.data).find(([, v]) => typeof v === 'string' && LONE_SURROGATE.test(v));
    if (illFormed) {
      rejected.push({ line: raw.line, field: illFormed[0], code: 'invalid', message: 'the text is not valid Unicode (a lone surrogate)' });
      continue;
    }
    const draft = draftOf(parsed.data.org_number);
    try {
      const next = applyRow(draft, parsed.data, raw.line, at);
      const countryRefusal = draft.original && countryChangeRefusal(draft.original.country, next.current.country ?? draft.original.country, next.current.country === draft.original.country ? 0 : openCases(draft));
      if (countryRefusal) throw new Rejected({ field: 'country', code: countryRefusal.code, message: countryRefusal.message });
      drafts.set(orgNumberKey(parsed.data.org_number), next);
    } catch (e) {
      if (!(e instanceof Rejected)) throw e;
      rejected.push({ line: raw.line, ...e.rejection });
    }
  }
  return summarise(rows.length, [...drafts.values()], rejected, dryRun);
}

/** The draft after one row, or a Rejected naming the column. */
function applyRow(draft: Draft, row: ImportRow, line: number, at: string): Draft {
  const customer = { ...draft.current };
  const setBy = new Map(draft.setBy);
  for (const [column, field] of CUSTOMER_COLUMNS) {
    const given = row[column];
    if (given === undefined) continue;
    const value = field === 'licensedModules' ? sortModules(given as Customer['licensedModules']) : given;
    const earlier = setBy.get(column);
    if (earlier !== undefined && !same(customer[field], value)) {
      throw new Rejected({ field: column, code: 'conflict', message: `differs from line ${earlier} of the same customer` });
    }
    Object.assign(customer, { [field]: value });
    setBy.set(column, line);
  }
  if (draft.original === null) {
    for (const [column, field] of [['name', 'name'], ['country', 'country'], ['industry', 'industry']] as const) {
      if (customer[field] === undefined) throw new Rejected({ field: column, code: 'required', message: `a new customer needs ${column}` });
    }
    customer.language ??= customer.country === 'FI' ? 'fi' : 'sv';
    customer.licensedModules ??= [];
    customer.paymentStatus ??= 'ok';
    customer.superUserQuota ??= DEFAULT_SUPERUSER_QUOTA;
  }
  const complete = customer as Customer;

  const contacts = [...draft.contacts];
  const hasContact = CONTACT_COLUMNS.some(([column]) => row[column] !== undefined);
  if (hasContact) {
    const index = findContact(contacts, row);
    const found = index === -1 ? null : (contacts[index] ?? null);
    if (!found && row.contact_name === undefined) throw new Rejected({ field: 'contact_name', code: 'required', message: 'a new contact needs contact_name' });
    let contact: Contact = found
      ? { ...found.current }
      : { id: randomUUID(), customerId: complete.id, name: row.contact_name ?? '', email: null, phone: null, superUser: false, superUserSince: null, trainedModules: [], anonymisedAt: null };
    if (row.contact_name !== undefined) contact.name = row.contact_name;
    if (row.contact_email !== undefined) contact.email = row.contact_email;
    if (row.contact_phone !== undefined) {
      const phone = normalizePhone(row.contact_phone, complete.country);
      if (phone === null) throw new Rejected({ field: 'contact_phone', code: 'invalid', message: `not a phone number in ${complete.country}` });
      contact.phone = phone;
    }
    if (row.trained_modules !== undefined) contact.trainedModules = sortModules(row.trained_modules);
    if (row.superuser !== undefined) contact = withSuperUser(contact, row.superuser, at);
    const entry = { original: found?.original ?? null, current: contact, line };
    if (found) contacts[index] = entry;
    else contacts.push(entry);
  }
  const refusal = superUserQuotaRefusal(
    draft.current.superUserQuota ?? DEFAULT_SUPERUSER_QUOTA,
    complete.superUserQuota,
    draft.contacts.map((c) => c.current),
    contacts.map((c) => c.current),
  );
  if (refusal) throw new Rejected({ field: refusal.field === 'superUser' ? 'superuser' : 'superuser_quota', code: refusal.code, message: refusal.message });
  return { original: draft.original, current: complete, setBy, lines: [...draft.lines, line], contacts };
}

/** By e-mail when the row has one (else a contact of that name without an address), else by name; anonymised contacts are no one. */
function findContact(contacts: Draft['contacts'], row: ImportRow): number {
  const live = (c: Draft['contacts'][number]): boolean => c.current.anonymisedAt === null;
  const name = row.contact_name === undefined ? null : foldText(row.contact_name);
  if (row.contact_email !== undefined) {
    const email = row.contact_email.toLowerCase();
    const byEmail = contacts.findIndex((c) => live(c) && c.current.email?.toLowerCase() === email);
    if (byEmail !== -1 || name === null) return byEmail;
    return contacts.findIndex((c) => live(c) && c.current.email === null && foldText(c.current.name) === name);
  }
  return name === null ? -1 : contacts.findIndex((c) => live(c) && foldText(c.current.name) === name);
}

function changesOf<T extends object>(before: T | null, after: T, columns: ReadonlyArray<readonly [string, keyof T]>): ImportFieldChange[] {
  const changes: ImportFieldChange[] = [];
  for (const [column, field] of columns) {
    const from = before === null ? null : before[field];
    if (before === null || !same(from, after[field])) changes.push({ field: column, from, to: after[field] });
  }
  return changes;
}

function summarise(rowCount: number, drafts: Draft[], rejected: Rejection[], dryRun: boolean): ImportPlan {
  const plan: ImportPlan = {
    report: {
      dryRun,
      rows: rowCount,
      customers: [],
      contacts: [],
      rejected: rejected.sort((a, b) => a.line - b.line),
      counts: { customersCreated: 0, customersChanged: 0, customersUnchanged: 0, contactsCreated: 0, contactsChanged: 0, contactsUnchanged: 0, rejected: rejected.length },
    },
    customers: { insert: [], update: [] },
    contacts: { insert: [], update: [] },
    shownContactIds: [],
  };
  const { report, counts } = { report: plan.report, counts: plan.report.counts };
  for (const draft of drafts) {
    const customer = draft.current as Customer;
    const changes = changesOf(draft.original, customer, [['org_number', 'orgNumber'], ...CUSTOMER_COLUMNS]).filter((c) => draft.original !== null || c.field !== 'org_number');
    const action = draft.original === null ? 'create' : changes.length > 0 ? 'update' : 'unchanged';
    report.customers.push({ orgNumber: customer.orgNumber, name: customer.name, action, changes: draft.original === null ? [] : changes, lines: draft.lines });
    if (action === 'create') {
      counts.customersCreated += 1;
      plan.customers.insert.push(customer);
    } else if (action === 'update') {
      counts.customersChanged += 1;
      plan.customers.update.push(customer);
    } else counts.customersUnchanged += 1;
    for (const entry of draft.contacts) {
      if (entry.line === 0) continue;
      const contactChanges = changesOf(entry.original, entry.current, CONTACT_COLUMNS);
      const contactAction = entry.original === null ? 'create' : contactChanges.length > 0 ? 'update' : 'unchanged';
      report.contacts.push({
        orgNumber: customer.orgNumber,
        name: entry.current.name,
        action: contactAction,
        changes: contactAction === 'create' ? [] : contactChanges,
        line: entry.line,
      });
      if (entry.original !== null) plan.shownContactIds.push(entry.original.id);
      if (contactAction === 'create') {
        counts.contactsCreated += 1;
        plan.contacts.insert.push(entry.current);
      } else if (contactAction === 'update') {
        counts.contactsChanged += 1;
        plan.contacts.update.push(entry.current);
      } else counts.contactsUnchanged += 1;
    }
  }
  report.contacts.sort((a, b) => a.line - b.line);
  return plan;
}
