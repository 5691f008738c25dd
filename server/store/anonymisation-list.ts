/**
 * The anonymisation list: so a restored backup cannot bring a person back. Backups keep a
 * contact's data until they age out (DESK_BACKUP_KEEP), so every anonymisation is also written
 * to `anonymised.jsonl` in the data folder, beside the database and never inside it (nor in its
 * backups): one JSON line per anonymisation, appended and synced to disk before the database is
 * changed. A line holds the contact's id, when, and keyed hashes (HMAC-SHA256, the key in
 * `anonymisation-key`, mode 0600) of the phone numbers they had, to find their calls when the
 * restored contact had another number then. No name, number or address in clear.
 *
 * After a restore (`npm run backup -- --restore`) and at every start of the server, each listed
 * contact that is not anonymised in the database is anonymised again, with an audit row
 * (action `anonymise`, route `restore`, no specialist).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Contact } from '../../shared/contract';
import { phoneCandidates } from '../../shared/numbers';
import { anonymiseContact, forgetCalls, sweepAnonymised } from './anonymise';
import type { Store } from './store';

export const LIST_FILE = 'anonymised.jsonl';
export const KEY_FILE = 'anonymisation-key';
/** The route of the audit rows written when the list is re-applied. */
export const REAPPLY_ROUTE = 'restore';

export interface ListedAnonymisation {
  contactId: string;
  at: string;
  /** HMAC-SHA256 (base64url) of each E.164 number the contact had. */
  phones: string[];
}

export class AnonymisationList {
  readonly file: string;
  private readonly keyFile: string;
  private key: Buffer | null = null;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, LIST_FILE);
    this.keyFile = join(dataDir, KEY_FILE);
  }

  /** The list of the data folder a store's database is in. */
  static of(store: Store): AnonymisationList {
    return new AnonymisationList(dirname(store.file));
  }

  private secret(): Buffer {
    if (this.key) return this.key;
    if (existsSync(this.keyFile)) {
      this.key = Buffer.from(readFileSync(this.keyFile, 'utf8').trim(), 'base64url');
    } else {
      this.key = randomBytes(32);
      writeFileSync(this.keyFile, `${this.key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    }
    return this.key;
  }

  hash(e164: string): string {
    return createHmac('sha256', this.secret()).update(e164).digest('base64url');
  }

  /** Appends the contact (before anonymisation) and syncs the file: call before changing the database. */
  append(contact: Contact, at: string): void {
    const entry: ListedAnonymisation = { contactId: contact.id, at, phones: contact.phone ? [this.hash(contact.phone)] : [] };
    const fd = openSync(this.file, 'a', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(entry)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /** Every listed anonymisation, the first of each contact; a torn last line (a crash mid-append) is skipped. */
  entries(): ListedAnonymisation[] {
    if (!existsSync(this.file)) return [];
    const byContact = new Map<string, ListedAnonymisation>();
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let entry: ListedAnonymisation;
      try {
        entry = JSON.parse(line) as ListedAnonymisation;
      } catch {
        continue;
      }
      if (typeof entry.contactId !== 'string' || typeof entry.at !== 'string' || !Array.isArray(entry.phones)) continue;
      if (!byContact.has(entry.contactId)) byContact.set(entry.contactId, entry);
    }
    return [...byContact.values()];
  }
}

export interface Reapplied {
  contactId: string;
  calls: number;
  events: number;
  cases: number;
}

/**
 * Anonymises again every listed contact the database holds un-anonymised (a restored backup,
 * a copied file), in one transaction, with an audit row each. A listed contact the database
 * does not hold (a backup from before they were a contact) may still be in its calls, by
 * number: those are found by the hashes and lose the number. That check runs at every start, so
 * it is one pass over the calls for all such contacts, hashing each distinct number once.
 * Returns what it re-applied.
 */
export function reapplyAnonymisations(store: Store, now: Date, list: AnonymisationList = AnonymisationList.of(store)): Reapplied[] {
  const entries = list.entries();
  if (entries.length === 0) return [];
  const pending = entries.flatMap((entry): Array<{ entry: ListedAnonymisation; contact: Contact | null }> => {
    const contact = store.contacts.get(entry.contactId);
    if (contact) return contact.anonymisedAt === null ? [{ entry, contact }] : [];
    return entry.phones.length > 0 ? [{ entry, contact: null }] : [];
  });
  if (pending.length === 0) return [];
  const at = now.toISOString();
  // The hashes of the numbers a number as written may be, each distinct number hashed once.
  const hashed = new Map<string, string[]>();
  const hashesOf = (raw: string): string[] => {
    let hashes = hashed.get(raw);
    if (!hashes) hashed.set(raw, (hashes = phoneCandidates(raw).map((p) => list.hash(p))));
    return hashes;
  };
  const blobs: string[] = [];
  const raw: string[] = [];
  const reapplied = store.transaction(() => {
    const done: Reapplied[] = [];
    const absent = pending.flatMap(({ entry, contact }) => (contact === null ? [entry] : []));
    if (absent.length > 0) {
      const byHash = new Map<string, string>();
      for (const entry of absent) for (const hash of entry.phones) if (!byHash.has(hash)) byHash.set(hash, entry.contactId);
      const absentIds = new Set(absent.map((e) => e.contactId));
      const forgotten = forgetCalls(store, ({ contactId: linked, number }) => {
        if (linked !== null) return absentIds.has(linked) ? linked : null;
        if (number === '') return null;
        for (const hash of hashesOf(number)) {
          const owner = byHash.get(hash);
          if (owner !== undefined) return owner;
        }
        return null;
      });
      for (const entry of absent) {
        const { calls = 0, events = new Set<string>() } = forgotten.get(entry.contactId) ?? {};
        if (calls === 0 && events.size === 0) continue;
        for (const id of events) store.changes.record('events', id);
        const detail = { reapplied: true, anonymisedAt: entry.at, contactId: entry.contactId, calls, events: events.size, cases: 0 };
        store.audit.recordAction({ at, specialistId: null, action: 'anonymise', route: REAPPLY_ROUTE, detail });
        done.push({ contactId: entry.contactId, calls, events: events.size, cases: 0 });
      }
    }
    for (const { entry, contact } of pending) {
      if (contact === null) continue;
      const hashes = new Set(entry.phones);
      const isTheirNumber = (raw: string): boolean => hashes.size > 0 && hashesOf(raw).some((h) => hashes.has(h));
      const outcome = anonymiseContact(store, contact, now, { anonymisedAt: entry.at, isTheirNumber });
      blobs.push(...outcome.attachmentHashes);
      raw.push(...outcome.rawMailHashes);
      const detail = { reapplied: true, anonymisedAt: entry.at, calls: outcome.calls, events: outcome.events, cases: outcome.cases };
      store.audit.recordAction({ at, specialistId: null, contactId: contact.id, action: 'anonymise', route: REAPPLY_ROUTE, detail });
      done.push({ contactId: contact.id, calls: outcome.calls, events: outcome.events, cases: outcome.cases });
    }
    return done;
  });
  // The files of the person that came back with the restore, once their rows are gone.
  sweepAnonymised(store, { attachmentHashes: blobs, rawMailHashes: raw });
  return reapplied;
}
