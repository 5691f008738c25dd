/**
 * GDPR anonymisation of a contact, everywhere the store holds their data (docs/domain.md,
 * "Privacy"): the contact's identity; the calls in both directions (the caller's number of an
 * incoming call, the dialled number of an outgoing one); the caller's name and number in the
 * call events of every case history; and their name, phone number (as people write it) and
 * e-mail in the free text of notes, titles, descriptions and the before/after values of edits.
 * Cases, events and calls stay, for the statistics and the other people in them.
 *
 * Run inside one transaction by the GDPR route, and again by the anonymisation list after a
 * restore (store/anonymisation-list.ts). With `PRAGMA secure_delete` on (store/db.ts) the old
 * row images are overwritten in the file's pages, and the route's TRUNCATE checkpoint empties
 * the WAL of the older page copies.
 */
import type Database from 'better-sqlite3';
import type { Case, Contact, Customer } from '../../shared/contract';
import { personPattern, personProbe, phoneTest, redact, type PersonData } from '../../shared/privacy';
import type { Store } from './store';

type Language = Customer['language'];

/** The placeholder name of an anonymised contact, in the customer's language. */
export const ANONYMISED_NAME: Record<Language, string> = { sv: 'Anonymiserad', fi: 'Anonymisoitu' };
/** What stands in free text where the person's data was. */
export const REDACTED: Record<Language, string> = { sv: '[borttaget]', fi: '[poistettu]' };

export interface AnonymiseOutcome {
  contact: Contact;
  /** Calls whose number was removed. */
  calls: number;
  /** Case events changed (call events and free text). */
  events: number;
  /** Cases whose title or description was changed. */
  cases: number;
}

export interface AnonymiseOptions {
  /**
   * Another test for a number being the person's (the anonymisation list's hashes, after a
   * restore: the restored contact may have had another number then).
   */
  isTheirNumber?: (raw: string) => boolean;
  /** When the contact was anonymised (default: now); a re-applied anonymisation keeps its first time. */
  anonymisedAt?: string;
}

interface Matcher {
  pattern: RegExp;
  placeholder: string;
  mayMatch(text: string): boolean;
}

/** The matchers of the scans under way, by the key their SQL passes to the functions below. */
const matchers = new Map<string, Matcher>();
let nextKey = 0;

function redactText(text: unknown, key: unknown): unknown {
  const matcher = typeof key === 'string' ? matchers.get(key) : undefined;
  if (typeof text !== 'string' || !matcher || !matcher.mayMatch(text)) return text;
  return redact(text, matcher.pattern, matcher.placeholder);
}

const registered = new WeakSet<Database.Database>();

/** `desk_redact(text, key)` and `desk_redact_json(json, key)` for the scans. */
function registerFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('desk_redact', { deterministic: true }, redactText);
  db.function('desk_redact_json', { deterministic: true }, (json: unknown, key: unknown) => {
    const matcher = typeof key === 'string' ? matchers.get(key) : undefined;
    if (typeof json !== 'string' || !matcher || !matcher.mayMatch(json)) return json;
    const data = JSON.parse(json) as Record<string, unknown>;
    let changed = false;
    for (const [field, value] of Object.entries(data)) {
      const redacted = redactText(value, key);
      if (redacted !== value) [data[field], changed] = [redacted, true];
    }
    // Unchanged data keeps its exact text, so the row is not rewritten.
    return changed ? JSON.stringify(data) : json;
  });
  registered.add(db);
}

/**
 * Removes the other party's number from the person's calls (linked to the contact, from their
 * E.164 number, or whose number as written `theirs` says is theirs), and the caller's name and
 * number from the call events of every case history. Returns the count of calls and the ids
 * of the events changed.
 */
export function forgetCalls(store: Store, contactId: string | null, e164: string | null, theirs: (raw: string) => boolean): { calls: number; events: Set<string> } {
  const { db } = store;
  // Calls in both directions: the party outside SoftOne is the caller (in) or the callee (out).
  let calls = 0;
  const blankCall = db.prepare<[string]>(
    `UPDATE calls SET from_raw = CASE direction WHEN 'in' THEN '' ELSE from_raw END,
       from_e164 = CASE direction WHEN 'in' THEN NULL ELSE from_e164 END,
       to_number = CASE direction WHEN 'out' THEN '' ELSE to_number END WHERE id = ?`,
  );
  const allCalls = db
    .prepare<[], { id: string; direction: 'in' | 'out'; from_raw: string; from_e164: string | null; to_number: string; contact_id: string | null }>(
      'SELECT id, direction, from_raw, from_e164, to_number, contact_id FROM calls',
    )
    .all();
  for (const call of allCalls) {
    const external = call.direction === 'in' ? call.from_raw : call.to_number;
    if (external === '' && (call.direction === 'out' || call.from_e164 === null)) continue;
    const mine =
      (contactId !== null && call.contact_id === contactId) ||
      (call.direction === 'in' && call.from_e164 !== null && call.from_e164 === e164) ||
      theirs(external);
    if (!mine) continue;
    blankCall.run(call.id);
    calls++;
  }

  const events = new Set<string>();
  // Call events: the caller's name and number, wherever the call was logged.
  const blankCaller = db.prepare<[string]>(`UPDATE case_events SET data = json_set(data, '$.name', NULL, '$.number', NULL) WHERE id = ?`);
  const callEvents = db.prepare<[], { id: string; data: string }>(`SELECT id, data FROM case_events WHERE kind = 'call'`).all();
  for (const event of callEvents) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (data.name == null && data.number == null) continue;
    const theirCall = (contactId !== null && data.contactId === contactId) || (typeof data.number === 'string' && (data.number === e164 || theirs(data.number)));
    if (!theirCall) continue;
    blankCaller.run(event.id);
    events.add(event.id);
  }
  return { calls, events };
}

/**
 * Anonymises the contact and scrubs their data from calls, case histories and case texts.
 * Records every changed contact, event and case in the change log so desks replace their copies.
 * Call inside a transaction.
 */
export function anonymiseContact(store: Store, contact: Contact, now: Date, options: AnonymiseOptions = {}): AnonymiseOutcome {
  const { db } = store;
  registerFunctions(db);
  const language = store.customers.get(contact.customerId)?.language ?? 'sv';
  const placeholder = REDACTED[language];
  const person: PersonData = { name: contact.name, phone: contact.phone, email: contact.email };
  const isTheirPhone = contact.phone === null ? null : phoneTest(contact.phone);
  const theirs = (raw: string): boolean => (isTheirPhone?.(raw) ?? false) || (options.isTheirNumber?.(raw) ?? false);

  const anonymised: Contact = {
    ...contact,
    name: ANONYMISED_NAME[language],
    email: null,
    phone: null,
    superUser: false,
    superUserSince: null,
    trainedModules: [],
    anonymisedAt: contact.anonymisedAt ?? options.anonymisedAt ?? now.toISOString(),
  };
  store.contacts.update(anonymised);
  store.changes.record('contacts', contact.id);

  const { calls, events: changedEvents } = forgetCalls(store, contact.id, contact.phone, theirs);

  // Free text: the whole name, the e-mail and the number anywhere; in the person's own cases
  // each word of their name too.
  const changedCases = new Set<string>();
  const scrub = (nameParts: boolean): void => {
    const pattern = personPattern(person, { nameParts });
    if (pattern === null) return;
    const key = `m${nextKey++}`;
    matchers.set(key, { pattern, placeholder, mayMatch: personProbe(person, { nameParts }) });
    try {
      // The scope first: SQLite tests the conditions in order, and the pattern is the costly one.
      const scope = nameParts ? 'case_id IN (SELECT id FROM cases WHERE contact_id = @contact) AND' : '';
      const params = { key, contact: contact.id };
      const events = db
        .prepare<typeof params, string>(
          `UPDATE case_events SET text = desk_redact(text, @key), data = desk_redact_json(data, @key)
           WHERE ${scope} (desk_redact(text, @key) IS NOT text OR desk_redact_json(data, @key) IS NOT data)
           RETURNING id`,
        )
        .pluck()
        .all(params);
      for (const id of events) changedEvents.add(id);
      const caseScope = nameParts ? 'contact_id = @contact AND' : '';
      const cases = db
        .prepare<typeof params, string>(
          `SELECT id FROM cases WHERE ${caseScope} (desk_redact(title, @key) IS NOT title OR desk_redact(description, @key) IS NOT description)`,
        )
        .pluck()
        .all(params);
      for (const id of cases) {
        const c = store.cases.get(id);
        if (!c) continue;
        const version = c.version + 1;
        const title = redact(c.title, pattern, placeholder);
        const description = redact(c.description, pattern, placeholder);
        const fields = (['title', 'description'] as const).filter((f) => ({ title, description })[f] !== c[f]);
        if (fields.length === 0) continue;
        const fieldVersions = { ...c.fieldVersions };
        for (const field of fields) fieldVersions[field] = version;
        const saved: Case = { ...c, title, description, version, fieldVersions, updatedAt: now.toISOString() };
        store.cases.updateFields(saved, fields);
        changedCases.add(id);
      }
    } finally {
      matchers.delete(key);
    }
  };
  scrub(false);
  scrub(true);

  for (const id of changedEvents) store.changes.record('events', id);
  for (const id of changedCases) store.changes.record('cases', id);
  return { contact: anonymised, calls, events: changedEvents.size, cases: changedCases.size };
}
