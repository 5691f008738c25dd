/**
 * Attachments: files on notes and mails. The bytes are kept once per content, as a file named by
 * its SHA-256 under `<data>/attachments/<first two hex>/<hash>` (folders 0700, files 0600, like
 * the rest of the data folder: store/file-modes.ts), written once and never changed; the same
 * bytes uploaded twice (a screenshot pasted on two cases, one PDF in ten mails) are one file.
 * Each upload or mail part is a row of its own (migration 13), which says what the file is: its
 * type as read from the bytes with `file-type` (the declared type counts only for plain text, and
 * the name never), its cleaned name, its case and event, and for inbound mail the person who sent
 * it (GDPR export and anonymisation).
 *
 * The API is split for the mail intake, which stores a mail and its files in one SQLite
 * transaction: `prepare` (async: read the type, hash, write the blob if absent) before it, and
 * `insert` (synchronous) inside it. A blob no row names (a failed intake, a removed row) is
 * harmless and is deleted by `sweep` when rows go.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { fileTypeFromBuffer } from 'file-type';
import { ATTACHMENT_MAX_MB_DEFAULT, cleanFileName, type Attachment } from '../../shared/mail';
import type { ChangeLog } from './change-log';
import { PRIVATE_FILE_MODE, securePrivateDir } from './file-modes';

/** A file ready to be recorded: its blob is on disk. */
export interface PreparedFile {
  sha256: string;
  size: number;
  contentType: string;
  name: string;
  /**
   * The bytes, kept until the row is written: an anonymisation may sweep the blob of the same
   * content between `prepare` and `insert`, and `insert` then writes it again.
   */
  bytes?: Uint8Array;
}

export interface AttachmentMeta {
  id?: string;
  /** Null for a file of a mail in the review list: it gets its case when the mail does (`linkMail`). */
  caseId: string | null;
  eventId?: string | null;
  mailId?: string | null;
  contactId?: string | null;
  uploadedBy?: string | null;
  createdAt: string;
}

/** An attachment as the server keeps it (the contract's record and what only the server needs). */
export interface AttachmentRow extends Omit<Attachment, 'caseId'> {
  /** Null only while the mail it came with waits in the review list. */
  caseId: string | null;
  sha256: string;
  mailId: string | null;
  contactId: string | null;
  uploadedBy: string | null;
}

/** A file refused by a rule (size, emptiness); the route answers with `status`. */
export class AttachmentRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: 'too_large' | 'empty' | 'type_not_allowed',
    message: string,
  ) {
    super(message);
  }
}

/** Why a list of ids cannot go on an event; null when they can. */
export type LinkProblem = { code: 'not_found' | 'case_mismatch' | 'forbidden' | 'already_linked'; message: string; id: string };

/** Declared types believed for bytes `file-type` does not recognise, when the bytes are text. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/calendar', 'text/markdown', 'application/json', 'text/tab-separated-values']);

const isUtf8Text = (bytes: Uint8Array): boolean => {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/** The type of the bytes: what they are, whatever they are called or said to be. */
export async function sniffType(bytes: Uint8Array, declaredType: string | null | undefined): Promise<string> {
  const found = await fileTypeFromBuffer(bytes);
  if (found) return found.mime;
  const declared = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!isUtf8Text(bytes)) return 'application/octet-stream';
  return TEXT_TYPES.has(declared) ? declared : 'text/plain';
}

const ROW = `id, sha256, size, content_type AS contentType, name, case_id AS caseId, event_id AS eventId,
  mail_id AS mailId, contact_id AS contactId, uploaded_by AS uploadedBy, created_at AS createdAt`;
/** A record leaves the server only once its file is on a case (the queries below see to it). */
function caseOf(row: AttachmentRow): string {
  if (row.caseId === null) throw new Error(`attachment ${row.id} is on no case yet`);
  return row.caseId;
}

/** The contract's record as JSON text, for the feed pages (store/json.ts style). */
const RECORD_JSON = `json_object('id', a.id, 'caseId', a.case_id, 'eventId', a.event_id, 'name', a.name,
  'size', a.size, 'contentType', a.content_type, 'createdAt', a.created_at)`;

export const toRecord = (row: AttachmentRow): Attachment => ({
  id: row.id,
  caseId: caseOf(row),
  eventId: row.eventId,
  name: row.name,
  size: row.size,
  contentType: row.contentType,
  createdAt: row.createdAt,
});

export class AttachmentStore {
  /** The largest file accepted, in bytes (`DESK_ATTACHMENT_MAX_MB`; the server sets it at start). */
  maxBytes = ATTACHMENT_MAX_MB_DEFAULT * 1024 * 1024;
  private readonly insertRow;
  private readonly byId;
  private readonly ofEvent;
  private readonly ofCaseRows;
  private readonly ofContactRows;
  private readonly setEvent;
  private readonly jsonIds;
  private readonly jsonEvents;
  private readonly hashUsed;
  private readonly deleteOfContact;
  private readonly ofMailOpen;
  private readonly deleteOfMails;

  constructor(
    private readonly db: Database.Database,
    /** `<data>/attachments` */
    readonly dir: string,
    private readonly changes: ChangeLog,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO attachments (id, sha256, size, content_type, name, case_id, event_id, mail_id, contact_id, uploaded_by, created_at)
       VALUES (@id, @sha256, @size, @contentType, @name, @caseId, @eventId, @mailId, @contactId, @uploadedBy, @createdAt)`,
    );
    this.byId = db.prepare<[string], AttachmentRow>(`SELECT ${ROW} FROM attachments WHERE id = ?`);
    this.ofEvent = db.prepare<[string], AttachmentRow>(`SELECT ${ROW} FROM attachments WHERE event_id = ? ORDER BY created_at, rowid`);
    this.ofCaseRows = db.prepare<[string], AttachmentRow>(
      `SELECT ${ROW} FROM attachments WHERE case_id = ? AND event_id IS NOT NULL ORDER BY created_at, rowid`,
    );
    this.ofContactRows = db.prepare<[string], AttachmentRow>(
      `SELECT ${ROW} FROM attachments WHERE contact_id = ? AND case_id IS NOT NULL ORDER BY created_at, rowid`,
    );
    // `recorded`: the row had reached the feed (it was on an event), so desks must hear it went.
    this.deleteOfMails = db.prepare<[string], { id: string; sha256: string; recorded: number }>(
      `DELETE FROM attachments WHERE mail_id IN (SELECT value FROM json_each(?)) RETURNING id, sha256, event_id IS NOT NULL AS recorded`,
    );
    this.ofMailOpen = db.prepare<[string, string, string | null, string], { id: string }>(
      `UPDATE attachments SET case_id = ?, event_id = ?, contact_id = coalesce(contact_id, ?)
       WHERE mail_id = ? AND event_id IS NULL RETURNING id`,
    );
    this.setEvent = db.prepare<[string, string]>('UPDATE attachments SET event_id = ? WHERE id = ?');
    this.jsonIds = db
      .prepare<[string], string>(`SELECT ${RECORD_JSON} FROM attachments a WHERE a.id IN (SELECT value FROM json_each(?)) AND a.event_id IS NOT NULL`)
      .pluck();
    this.jsonEvents = db
      .prepare<[string], string>(`SELECT ${RECORD_JSON} FROM attachments a WHERE a.event_id IN (SELECT value FROM json_each(?)) ORDER BY a.created_at, a.rowid`)
      .pluck();
    this.hashUsed = db.prepare<[string], number>('SELECT count(*) FROM attachments WHERE sha256 = ?').pluck();
    this.deleteOfContact = db.prepare<[string], { id: string; sha256: string }>('DELETE FROM attachments WHERE contact_id = ? RETURNING id, sha256');
  }

  /** Where the bytes of a content hash are. */
  blobPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a SHA-256 hex digest');
    return join(this.dir, sha256.slice(0, 2), sha256);
  }

  /** The hex SHA-256 of some bytes. */
  static hash(bytes: Uint8Array): string {
    return createHash('sha256').update(bytes).digest('hex');
  }

  /**
   * Reads the type, hashes, and writes the blob unless the same content is there already
   * (atomically: a temporary file renamed into place, so a crash never leaves half a blob
   * under a hash). Refuses an empty file and one over the limit.
   */
  async prepare(bytes: Uint8Array, name: string, declaredType: string | null | undefined, allowed?: (contentType: string) => boolean): Promise<PreparedFile> {
    if (bytes.byteLength === 0) throw new AttachmentRefused(400, 'empty', 'the file is empty');
    if (bytes.byteLength > this.maxBytes) throw tooLarge(this.maxBytes);
    const contentType = await sniffType(bytes, declaredType);
    // A caller with a list of kinds (the customer centre) refuses the rest before anything is written.
    if (allowed && !allowed(contentType)) throw new AttachmentRefused(415, 'type_not_allowed', `files of this kind (${contentType}) cannot be attached`);
    const sha256 = AttachmentStore.hash(bytes);
    this.ensureBlob(sha256, bytes);
    return { sha256, size: bytes.byteLength, contentType, name: cleanFileName(name), bytes };
  }

  /**
   * Writes the blob of `sha256` unless it is there (atomically: a temporary file renamed into
   * place). Synchronous, so inside a transaction nothing (no sweep) runs between the check and
   * the row that names the blob.
   */
  ensureBlob(sha256: string, bytes: Uint8Array): boolean {
    const path = this.blobPath(sha256);
    if (existsSync(path)) return false;
    securePrivateDir(this.dir);
    securePrivateDir(join(this.dir, sha256.slice(0, 2)));
    const temporary = `${path}.${randomUUID()}.tmp`;
    writeFileSync(temporary, bytes, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    renameSync(temporary, path);
    return true;
  }

  /** Records a prepared file (synchronous: runs inside the caller's transaction). On an event already: in the feed. */
  insert(prepared: PreparedFile, meta: AttachmentMeta): AttachmentRow {
    const row: AttachmentRow = {
      id: meta.id ?? randomUUID(),
      sha256: prepared.sha256,
      size: prepared.size,
      contentType: prepared.contentType,
      name: prepared.name,
      caseId: meta.caseId,
      eventId: meta.eventId ?? null,
      mailId: meta.mailId ?? null,
      contactId: meta.contactId ?? null,
      uploadedBy: meta.uploadedBy ?? null,
      createdAt: meta.createdAt,
    };
    this.insertRow.run(row);
    // The blob may have been swept since `prepare` (an anonymisation of the same bytes): now that a
    // row names it, no sweep deletes it any more, so writing it again here keeps it for good.
    if (prepared.bytes !== undefined) this.ensureBlob(prepared.sha256, prepared.bytes);
    if (row.eventId !== null) this.changes.record('attachments', row.id);
    return row;
  }

  get(id: string): AttachmentRow | null {
    return this.byId.get(id) ?? null;
  }

  /**
   * Puts uploaded files on a note or reply: each must exist, be for this case, be uploaded by
   * `by`, and be on no other event (on this one already is fine: a replay). Checks all before
   * changing any; returns the problem with the first id that fails. Call inside the mutation's
   * transaction.
   */
  linkToEvent(ids: readonly string[], caseId: string, eventId: string, by: string): LinkProblem | null {
    const rows: AttachmentRow[] = [];
    for (const id of ids) {
      const row = this.get(id);
      if (!row) return { code: 'not_found', message: `attachment ${id} not found: upload it first`, id };
      if (row.caseId !== caseId) return { code: 'case_mismatch', message: `attachment ${id} was uploaded for another case`, id };
      if (row.uploadedBy !== by) return { code: 'forbidden', message: `attachment ${id} was uploaded by someone else`, id };
      if (row.eventId !== null && row.eventId !== eventId) return { code: 'already_linked', message: `attachment ${id} is on another note already`, id };
      rows.push(row);
    }
    for (const row of rows) {
      if (row.eventId === eventId) continue;
      this.setEvent.run(eventId, row.id);
      this.changes.record('attachments', row.id);
    }
    return null;
  }

  /**
   * Puts the files of a received mail on the case event the mail became (at intake, or when a
   * specialist links a mail of the review list), in the caller's transaction, and into the feed.
   */
  linkMail(mailId: string, caseId: string, eventId: string, contactId: string | null): number {
    const linked = this.ofMailOpen.all(caseId, eventId, contactId, mailId);
    for (const { id } of linked) this.changes.record('attachments', id);
    return linked.length;
  }

  forEvent(eventId: string): AttachmentRow[] {
    return this.ofEvent.all(eventId);
  }

  /** The files on the case's events (uploads not yet on a note are left out). */
  ofCase(caseId: string): AttachmentRow[] {
    return this.ofCaseRows.all(caseId);
  }

  /** The files that came in the person's mail. */
  ofContact(contactId: string): AttachmentRow[] {
    return this.ofContactRows.all(contactId);
  }

  /** Records (JSON text) of the ids that are on an event, for a change page. */
  jsonByIds(ids: readonly string[]): string[] {
    return ids.length === 0 ? [] : this.jsonIds.all(JSON.stringify(ids));
  }

  /** Records (JSON text) of the files on these events, for bootstrap pages and timelines. */
  jsonByEvents(eventIds: readonly string[]): string[] {
    return eventIds.length === 0 ? [] : this.jsonEvents.all(JSON.stringify(eventIds));
  }

  /**
   * Removes the rows of the person's files (anonymisation) and records them in the feed, which
   * tells desks to drop them; returns the hashes to `sweep` once the transaction has committed.
   */
  removeOfContact(contactId: string): { ids: string[]; hashes: string[] } {
    const removed = this.deleteOfContact.all(contactId);
    for (const { id } of removed) this.changes.record('attachments', id);
    return { ids: removed.map((r) => r.id), hashes: [...new Set(removed.map((r) => r.sha256))] };
  }

  /** Removes the rows of files that came with these mails (an anonymised person's), like `removeOfContact`. */
  removeOfMails(mailIds: readonly string[]): { ids: string[]; hashes: string[] } {
    if (mailIds.length === 0) return { ids: [], hashes: [] };
    const removed = this.deleteOfMails.all(JSON.stringify(mailIds));
    for (const { id, recorded } of removed) if (recorded) this.changes.record('attachments', id);
    return { ids: removed.map((r) => r.id), hashes: [...new Set(removed.map((r) => r.sha256))] };
  }

  /** Deletes the blobs of these hashes that no row names any more. Returns how many went. */
  sweep(hashes: Iterable<string>): number {
    let deleted = 0;
    for (const sha256 of hashes) {
      // The check and the delete in one transaction (synchronous: no upload's insert runs in
      // between); an upload that prepared these bytes before writes the blob again at its insert.
      const gone = this.db.transaction(() => {
        if ((this.hashUsed.get(sha256) ?? 0) > 0) return false;
        try {
          unlinkSync(this.blobPath(sha256));
          return true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          return false;
        }
      })();
      if (gone) deleted++;
    }
    return deleted;
  }

  /**
   * Puts a customer's uploads (rows of no case, mail or specialist, with the customer as their
   * person) on the event of the case or reply they were named in. Each must be that contact's and
   * on no event yet (on this one already is fine: a replay); anything else is `not_found`, so a
   * forged or another's id tells nothing. Checks all before changing any; call inside the
   * transaction that writes the event.
   */
  linkCentreUploads(ids: readonly string[], contactId: string, caseId: string, eventId: string): LinkProblem | null {
    const rows: AttachmentRow[] = [];
    for (const id of ids) {
      const row = this.get(id);
      const mine = row !== null && row.mailId === null && row.uploadedBy === null && row.contactId === contactId;
      const open = row !== null && ((row.caseId === null && row.eventId === null) || (row.caseId === caseId && row.eventId === eventId));
      if (!row || !mine || !open) return { code: 'not_found', message: `file ${id} not found: upload it again`, id };
      rows.push(row);
    }
    for (const row of rows) {
      if (row.eventId === eventId) continue;
      this.db.prepare('UPDATE attachments SET case_id = ?, event_id = ? WHERE id = ?').run(caseId, eventId, row.id);
      this.changes.record('attachments', row.id);
    }
    return null;
  }

  /** Customers' uploads never named in a case or reply (no case, event, mail or specialist). */
  private static readonly PENDING = 'case_id IS NULL AND event_id IS NULL AND mail_id IS NULL AND uploaded_by IS NULL';

  /**
   * Removes the rows of customers' uploads never named in a case or reply and created before
   * `before` (ISO), in the caller's transaction; returns the hashes to `sweep` once it has
   * committed (like `removeOfContact`: bytes are never deleted before the rows' removal is final).
   */
  removeStaleCentreUploads(before: string): { ids: string[]; hashes: string[] } {
    const removed = this.db
      .prepare<[string], { id: string; sha256: string }>(`DELETE FROM attachments WHERE ${AttachmentStore.PENDING} AND created_at < ? RETURNING id, sha256`)
      .all(before);
    return { ids: removed.map((r) => r.id), hashes: [...new Set(removed.map((r) => r.sha256))] };
  }

  /**
   * Deletes customers' uploads never named in a case or reply and created before `before` (ISO):
   * the rows in a transaction of their own, then the bytes no other row uses. Never inside another
   * transaction (a rollback would bring back rows whose bytes are gone). Returns how many went.
   */
  sweepCentreUploads(before: string): number {
    if (this.db.inTransaction) throw new Error('sweep the centre’s uploads outside a transaction: their bytes go after the commit');
    const removed = this.db.transaction(() => this.removeStaleCentreUploads(before))();
    this.sweep(removed.hashes);
    return removed.ids.length;
  }

  /** How many of a customer's uploads created at or after `since` (ISO) wait to be named, and their bytes. */
  pendingCentreUploads(contactId: string, since: string): { count: number; bytes: number } {
    return this.db
      .prepare<[string, string], { count: number; bytes: number }>(
        `SELECT count(*) AS count, coalesce(sum(size), 0) AS bytes FROM attachments WHERE contact_id = ? AND ${AttachmentStore.PENDING} AND created_at >= ?`,
      )
      .get(contactId, since) ?? { count: 0, bytes: 0 };
  }

  /** Files for an outgoing mail (helper A's sender): name, type and where the bytes are. */
  attachmentFiles(ids: readonly string[]): Array<{ name: string; contentType: string; path: string }> {
    return ids.flatMap((id) => {
      const row = this.get(id);
      return row ? [{ name: row.name, contentType: row.contentType, path: this.blobPath(row.sha256) }] : [];
    });
  }
}

export function tooLarge(maxBytes: number): AttachmentRefused {
  const mb = Math.round((maxBytes / (1024 * 1024)) * 100) / 100;
  return new AttachmentRefused(413, 'too_large', `the file is larger than the limit of ${mb} MB`);
}

/** One file of an inbound mail, as the mail intake hands it over. */
export interface MailFile {
  name: string;
  contentType: string;
  content: Uint8Array;
}

/**
 * The attachment side of the mail intake (helper A's hook): the files of an inbound mail on the
 * mail's event, each with the sender as its person. `onAttachments` does both halves; an intake
 * that stores the mail in one transaction calls `prepare` before it and `insert` inside it.
 * A file over the limit or empty is skipped (the mail keeps its text; the count says what came).
 */
export function mailAttachmentSink(store: { attachments: AttachmentStore; transaction<T>(fn: () => T): T }, now: () => Date = () => new Date()) {
  const files = store.attachments;
  const prepare = async (list: readonly MailFile[]): Promise<PreparedFile[]> => {
    const prepared: PreparedFile[] = [];
    for (const file of list) {
      try {
        prepared.push(await files.prepare(file.content, file.name, file.contentType));
      } catch (error) {
        if (!(error instanceof AttachmentRefused)) throw error;
      }
    }
    return prepared;
  };
  const insert = (
    prepared: readonly PreparedFile[],
    meta: { mailId: string; caseId: string | null; eventId: string | null; contactId: string | null },
  ): AttachmentRow[] => prepared.map((p) => files.insert(p, { ...meta, uploadedBy: null, createdAt: now().toISOString() }));
  return {
    prepare,
    insert,
    async onAttachments(input: { mailId: string; caseId: string | null; eventId: string | null; contactId: string | null; files: MailFile[] }): Promise<AttachmentRow[]> {
      const prepared = await prepare(input.files);
      return store.transaction(() => insert(prepared, input));
    },
    attachmentFiles: (ids: readonly string[]) => files.attachmentFiles(ids),
  };
}
