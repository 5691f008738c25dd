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
import { dirname, join } from 'node:path';
import { RawMailStore } from '../mail/raw-store';
import type Database from 'better-sqlite3';
import { CaseEventSchema, CaseSchema, type Case, type Contact, type Customer } from '../../shared/contract';
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
  /** Files that came in the person's mail, removed. */
  attachments: number;
  /** Stored mails (mail_messages rows) whose address or text changed; their events are in `events`. */
  mails: number;
  /** The content hashes of those files: `store.attachments.sweep` them once the transaction has committed. */
  attachmentHashes: string[];
  /** The raw sources of the mail they sent: `sweepAnonymised` deletes them once the transaction has committed. */
  rawMailHashes: string[];
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

/** The contract's longest texts: a redacted text stays within them, or every desk's change page would fail. */
const limitOf = (schema: { maxLength: number | null }): number => schema.maxLength ?? Number.POSITIVE_INFINITY;
export const TEXT_LIMITS = {
  title: limitOf(CaseSchema.shape.title),
  description: limitOf(CaseSchema.shape.description),
  eventText: limitOf(CaseEventSchema.shape.text.unwrap()),
} as const;

interface Matcher {
  pattern: RegExp;
  placeholder: string;
  mayMatch(text: string): boolean;
}

/** The matchers of the scans under way, by the key their SQL passes to the functions below. */
const matchers = new Map<string, Matcher>();
let nextKey = 0;

function redactText(text: unknown, key: unknown, max?: unknown): unknown {
  const matcher = typeof key === 'string' ? matchers.get(key) : undefined;
  if (typeof text !== 'string' || !matcher || !matcher.mayMatch(text)) return text;
  return redact(text, matcher.pattern, matcher.placeholder, typeof max === 'number' ? max : undefined);
}

const registered = new WeakSet<Database.Database>();

/** `desk_redact(text, key[, max])` and `desk_redact_json(json, key)` for the scans. */
function registerFunctions(db: Database.Database): void {
  if (registered.has(db)) return;
  db.function('desk_redact', { deterministic: true, varargs: true }, (text: unknown, key: unknown, max?: unknown) => redactText(text, key, max));
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

/** A call, or the call of a call event, as far as it names the other party. */
export interface CallParty {
  /** The contact the call is linked to, if any. */
  contactId: string | null;
  /** The number as written ('' when none). */
  number: string;
  /** The caller's E.164 number, when known. */
  e164: string | null;
}

/** Whose call it is among the people being forgotten (a key of the caller's choosing), or null. */
export type CallOwner = (party: CallParty) => string | null;

export interface Forgotten {
  /** Calls whose number was removed. */
  calls: number;
  /** Ids of the call events whose caller was removed. */
  events: Set<string>;
}

/**
 * Removes the other party's number from the calls `owner` says are of someone being forgotten,
 * and the caller's name and number from such call events in every case history, in one pass over
 * the calls and one over the call events however many people are forgotten. Returns, by owner,
 * the count of calls and the ids of the events changed.
 */
export function forgetCalls(store: Store, owner: CallOwner): Map<string, Forgotten> {
  const { db } = store;
  const forgotten = new Map<string, Forgotten>();
  const of = (key: string): Forgotten => {
    let entry = forgotten.get(key);
    if (!entry) forgotten.set(key, (entry = { calls: 0, events: new Set() }));
    return entry;
  };
  // Calls in both directions: the party outside SoftOne is the caller (in) or the callee (out).
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
    const e164 = call.direction === 'in' ? call.from_e164 : null;
    if (external === '' && e164 === null) continue;
    const key = owner({ contactId: call.contact_id, number: external, e164 });
    if (key === null) continue;
    blankCall.run(call.id);
    // Desks keep calls in their caller log: the feed replaces their copy.
    store.changes.record('calls', call.id);
    of(key).calls++;
  }

  // Call events: the caller's name and number, wherever the call was logged.
  const blankCaller = db.prepare<[string]>(`UPDATE case_events SET data = json_set(data, '$.name', NULL, '$.number', NULL) WHERE id = ?`);
  const callEvents = db.prepare<[], { id: string; data: string }>(`SELECT id, data FROM case_events WHERE kind = 'call'`).all();
  for (const event of callEvents) {
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (data.name == null && data.number == null) continue;
    const contactId = typeof data.contactId === 'string' ? data.contactId : null;
    const key = owner({ contactId, number: typeof data.number === 'string' ? data.number : '', e164: null });
    if (key === null) continue;
    blankCaller.run(event.id);
    of(key).events.add(event.id);
  }
  return forgotten;
}

/**
 * The owner test of one contact's calls: the calls linked to them, and the unlinked calls from
 * or to their number (their E.164 number, or as `theirs` reads the number as written). A call
 * linked to another contact is that contact's, even from a number they share (a switchboard).
 */
export function callsOf(contactId: string, e164: string | null, theirs: (raw: string) => boolean): CallOwner {
  return ({ contactId: linked, number, e164: callerE164 }) => {
    if (linked !== null) return linked === contactId ? contactId : null;
    const mine = (e164 !== null && (callerE164 === e164 || number === e164)) || (number !== '' && theirs(number));
    return mine ? contactId : null;
  };
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
  // Their customer-centre account (the address, the password's hash), links and sessions.
  store.centre.forget(contact.id);

  const forgotten = forgetCalls(store, callsOf(contact.id, contact.phone, theirs)).get(contact.id);
  const calls = forgotten?.calls ?? 0;
  const changedEvents = forgotten?.events ?? new Set<string>();
  // Their address in stored mail and in the mail events; mail still waiting for them is not sent.
  // Not while another contact (of another customer, say) still has the address: that mail is theirs too.
  let sent: { mailIds: string[]; rawHashes: string[] } = { mailIds: [], rawHashes: [] };
  // The stored mails (mail_messages rows) whose address or text changed; their events are in `events`.
  const changedMails = new Set<string>();
  if (contact.email !== null && store.contacts.byEmail(contact.email).length === 0) {
    sent = store.mail.sentBy(contact.email);
    const own = store.mail.forgetAddress(contact.email);
    for (const id of own.events) changedEvents.add(id);
    for (const id of own.mails) changedMails.add(id);
    // Mail others sent that names them (To, Cc, subject, text): the address goes from the
    // records and the events' recipients, and the raw sources of those mails go too.
    const others = store.mail.forgetInOthersMail(contact.email, placeholder);
    for (const id of others.events) changedEvents.add(id);
    for (const id of others.mails) changedMails.add(id);
    sent = { ...sent, rawHashes: [...new Set([...sent.rawHashes, ...others.rawHashes])] };
  }

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
      // The call event of another contact's call is theirs, also from a number the two share.
      const data = `CASE WHEN kind = 'call' AND coalesce(json_extract(data, '$.contactId'), @contact) != @contact THEN data ELSE desk_redact_json(data, @key) END`;
      const params = { key, contact: contact.id, textMax: TEXT_LIMITS.eventText, titleMax: TEXT_LIMITS.title, descriptionMax: TEXT_LIMITS.description };
      const events = db
        .prepare<typeof params, string>(
          `UPDATE case_events SET text = desk_redact(text, @key, @textMax), data = ${data}
           WHERE ${scope} (desk_redact(text, @key, @textMax) IS NOT text OR ${data} IS NOT data)
           RETURNING id`,
        )
        .pluck()
        .all(params);
      for (const id of events) changedEvents.add(id);
      const caseScope = nameParts ? 'contact_id = @contact AND' : '';
      const cases = db
        .prepare<typeof params, string>(
          `SELECT id FROM cases WHERE ${caseScope} (desk_redact(title, @key, @titleMax) IS NOT title OR desk_redact(description, @key, @descriptionMax) IS NOT description)`,
        )
        .pluck()
        .all(params);
      for (const id of cases) {
        const c = store.cases.get(id);
        if (!c) continue;
        const version = c.version + 1;
        const title = redact(c.title, pattern, placeholder, TEXT_LIMITS.title);
        const description = redact(c.description, pattern, placeholder, TEXT_LIMITS.description);
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
  // The files the person sent: the rows now, the bytes after the commit (nothing else may name them).
  const files = store.attachments.removeOfContact(contact.id);
  // And the files of their mail that is on no case of theirs (waiting in the review list, say).
  const mailed = store.attachments.removeOfMails(sent.mailIds);
  return {
    contact: anonymised,
    calls,
    events: changedEvents.size,
    cases: changedCases.size,
    attachments: files.ids.length + mailed.ids.length,
    mails: changedMails.size,
    attachmentHashes: [...new Set([...files.hashes, ...mailed.hashes])],
    rawMailHashes: sent.rawHashes,
  };
}

/**
 * After an anonymisation has committed: the person's files and the raw sources of their mail
 * (`<data>/mail/`) that no row names any more are deleted from the disk.
 */
export function sweepAnonymised(store: Store, outcome: Pick<AnonymiseOutcome, 'attachmentHashes' | 'rawMailHashes'>): void {
  store.attachments.sweep(outcome.attachmentHashes);
  const raw = new RawMailStore(join(dirname(store.file), 'mail'));
  for (const hash of outcome.rawMailHashes) if (!store.mail.rawInUse(hash)) raw.remove(hash);
}
