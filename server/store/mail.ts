import type Database from 'better-sqlite3';
import type { MailReviewItem, MailReviewReason } from '../../shared/mail';
import type { Office } from '../../shared/teams';
import { idList } from './json';

/** A mail received or sent (table mail_messages). */
export interface MailRecord {
  id: string;
  /** Without the angle brackets. */
  messageId: string;
  direction: 'in' | 'out';
  office: Office;
  /** The mailbox's address. */
  mailbox: string;
  caseId: string | null;
  eventId: string | null;
  fromAddress: string | null;
  fromName: string | null;
  toAddress: string | null;
  /** Received mail: its Cc addresses, ', '-separated (migration 15; older mail has none). */
  ccAddress?: string | null;
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  refs: string[];
  autoKind: string | null;
  rawHash: string | null;
  size: number;
  attachmentCount: number;
  at: string;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

/** A row of the outgoing queue. */
export interface OutboxRow {
  id: string;
  mailId: string;
  /** The case event whose status the sending moves; null for none. */
  eventId: string | null;
  auto: boolean;
  fromAddress: string;
  toAddress: string;
  subject: string;
  text: string;
  messageId: string;
  inReplyTo: string | null;
  refs: string[];
  headers: Record<string, string>;
  attachmentIds: string[];
  state: OutboxState;
  attempts: number;
  nextAt: string;
  createdAt: string;
  sentAt: string | null;
  error: string | null;
}

export interface ReviewRow {
  id: string;
  mailId: string;
  office: Office;
  reason: MailReviewReason;
  caseNumber: number | null;
  state: 'open' | 'linked' | 'dismissed';
  receivedAt: string;
}

interface MessageDbRow {
  id: string;
  message_id: string;
  direction: 'in' | 'out';
  office: Office;
  mailbox: string;
  case_id: string | null;
  event_id: string | null;
  from_address: string | null;
  from_name: string | null;
  to_address: string | null;
  cc_address: string | null;
  subject: string;
  text: string;
  html: string | null;
  in_reply_to: string | null;
  refs: string;
  auto_kind: string | null;
  raw_hash: string | null;
  size: number;
  attachment_count: number;
  at: string;
}

const toRecord = (r: MessageDbRow): MailRecord => ({
  id: r.id,
  messageId: r.message_id,
  direction: r.direction,
  office: r.office,
  mailbox: r.mailbox,
  caseId: r.case_id,
  eventId: r.event_id,
  fromAddress: r.from_address,
  fromName: r.from_name,
  toAddress: r.to_address,
  ccAddress: r.cc_address,
  subject: r.subject,
  text: r.text,
  html: r.html,
  inReplyTo: r.in_reply_to,
  refs: JSON.parse(r.refs) as string[],
  autoKind: r.auto_kind,
  rawHash: r.raw_hash,
  size: r.size,
  attachmentCount: r.attachment_count,
  at: r.at,
});

interface OutboxDbRow {
  id: string;
  mail_id: string;
  event_id: string | null;
  auto: number;
  from_address: string;
  to_address: string;
  subject: string;
  text: string;
  message_id: string;
  in_reply_to: string | null;
  refs: string;
  headers: string;
  attachment_ids: string;
  state: OutboxState;
  attempts: number;
  next_at: string;
  created_at: string;
  sent_at: string | null;
  error: string | null;
}

/** A queue row's text once it is done: its mail's stored copy (a link's token masked), or nothing. */
const KEPT_TEXT = `text = coalesce((SELECT m.text FROM mail_messages m WHERE m.id = mail_outbox.mail_id), '')`;

const toOutbox = (r: OutboxDbRow): OutboxRow => ({
  id: r.id,
  mailId: r.mail_id,
  eventId: r.event_id,
  auto: r.auto === 1,
  fromAddress: r.from_address,
  toAddress: r.to_address,
  subject: r.subject,
  text: r.text,
  messageId: r.message_id,
  inReplyTo: r.in_reply_to,
  refs: JSON.parse(r.refs) as string[],
  headers: JSON.parse(r.headers) as Record<string, string>,
  attachmentIds: JSON.parse(r.attachment_ids) as string[],
  state: r.state,
  attempts: r.attempts,
  nextAt: r.next_at,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  error: r.error,
});

/** The e-mail channel's tables: mail, mailbox cursors, the review list and the outgoing queue. */
export class MailRepo {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      cursor: db.prepare<[string], { uid_validity: string; last_uid: number }>('SELECT uid_validity, last_uid FROM mail_cursors WHERE mailbox = ?'),
      setCursor: db.prepare<[string, string, number]>(
        'INSERT INTO mail_cursors (mailbox, uid_validity, last_uid) VALUES (?, ?, ?) ON CONFLICT (mailbox) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = excluded.last_uid',
      ),
      insertMessage: db.prepare(
        `INSERT INTO mail_messages (id, message_id, direction, office, mailbox, case_id, event_id, from_address, from_name, to_address, cc_address,
           subject, text, html, in_reply_to, refs, auto_kind, raw_hash, size, attachment_count, at)
         VALUES (@id, @messageId, @direction, @office, @mailbox, @caseId, @eventId, @fromAddress, @fromName, @toAddress, @ccAddress,
           @subject, @text, @html, @inReplyTo, @refs, @autoKind, @rawHash, @size, @attachmentCount, @at)`,
      ),
      attach: db.prepare<[string | null, string | null, string]>('UPDATE mail_messages SET case_id = ?, event_id = ? WHERE id = ?'),
      messageIdUsed: db.prepare<[string], number>('SELECT count(*) FROM mail_messages WHERE message_id = ?').pluck(),
      byId: db.prepare<[string], MessageDbRow>('SELECT * FROM mail_messages WHERE id = ?'),
      byEvent: db.prepare<[string], MessageDbRow>('SELECT * FROM mail_messages WHERE event_id = ?'),
      byMessageIds: db.prepare<[string], MessageDbRow>('SELECT * FROM mail_messages WHERE message_id IN (SELECT value FROM json_each(?))'),
      ofCase: db.prepare<[string], string>('SELECT message_id FROM mail_messages WHERE case_id = ? ORDER BY at, rowid').pluck(),
      lastIn: db.prepare<[string], MessageDbRow>(`SELECT * FROM mail_messages WHERE case_id = ? AND direction = 'in' ORDER BY at DESC, rowid DESC LIMIT 1`),
      insertReview: db.prepare(
        `INSERT INTO mail_review (id, mail_id, office, reason, case_number, state, received_at) VALUES (@id, @mailId, @office, @reason, @caseNumber, 'open', @receivedAt)`,
      ),
      review: db.prepare<[string], { id: string; mail_id: string; office: Office; reason: MailReviewReason; case_number: number | null; state: ReviewRow['state']; received_at: string }>(
        'SELECT * FROM mail_review WHERE id = ?',
      ),
      openReview: db.prepare<[string, number], MessageDbRow & { review_id: string; reason: MailReviewReason; case_number: number | null; received_at: string }>(
        `SELECT m.*, r.id AS review_id, r.reason, r.case_number, r.received_at FROM mail_review r JOIN mail_messages m ON m.id = r.mail_id
         WHERE r.office = ? AND r.state = 'open' ORDER BY r.received_at, r.rowid LIMIT ?`,
      ),
      countOpen: db.prepare<[string], number>(`SELECT count(*) FROM mail_review WHERE office = ? AND state = 'open'`).pluck(),
      resolveReview: db.prepare<[string, string | null, string, string | null, string]>(
        `UPDATE mail_review SET state = ?, resolved_by = ?, resolved_at = ?, case_id = ? WHERE id = ? AND state = 'open'`,
      ),
      insertOutbox: db.prepare(
        `INSERT INTO mail_outbox (id, mail_id, event_id, auto, from_address, to_address, subject, text, message_id, in_reply_to, refs, headers,
           attachment_ids, state, attempts, next_at, created_at)
         VALUES (@id, @mailId, @eventId, @auto, @fromAddress, @toAddress, @subject, @text, @messageId, @inReplyTo, @refs, @headers,
           @attachmentIds, 'queued', 0, @nextAt, @createdAt)`,
      ),
      outbox: db.prepare<[string], OutboxDbRow>('SELECT * FROM mail_outbox WHERE id = ?'),
      outboxByMail: db.prepare<[string], OutboxDbRow>('SELECT * FROM mail_outbox WHERE mail_id = ?'),
      due: db.prepare<[string, number], OutboxDbRow>(`SELECT * FROM mail_outbox WHERE state = 'queued' AND next_at <= ? ORDER BY next_at, rowid LIMIT ?`),
      nextDue: db.prepare<[], string>(`SELECT min(next_at) FROM mail_outbox WHERE state = 'queued'`).pluck(),
      claim: db.prepare<[string]>(`UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'queued'`),
      // Only a row this sender claimed: an anonymisation may have failed it meanwhile.
      // Once sent or failed, the row keeps only the mail's own stored copy of the text: a link's
      // token (a centre invitation or reset, masked in that copy) never stays in the queue.
      sent: db.prepare<[string, string]>(
        `UPDATE mail_outbox SET state = 'sent', sent_at = ?, error = NULL, ${KEPT_TEXT} WHERE id = ? AND state = 'sending'`,
      ),
      retry: db.prepare<[string, string, string]>(`UPDATE mail_outbox SET state = 'queued', next_at = ?, error = ? WHERE id = ? AND state = 'sending'`),
      failed: db.prepare<[string, string]>(`UPDATE mail_outbox SET state = 'failed', error = ?, ${KEPT_TEXT} WHERE id = ? AND state = 'sending'`),
      // A delivery report for a mail the relay took: failed after all.
      bounced: db.prepare<[string, string]>(`UPDATE mail_outbox SET state = 'failed', error = ?, ${KEPT_TEXT} WHERE id = ? AND state IN ('sending', 'sent')`),
      unclaimAll: db.prepare(`UPDATE mail_outbox SET state = 'queued' WHERE state = 'sending'`),
      // Their mail's own copy of its text and HTML goes too (the case event keeps the text, scrubbed).
      forgetFrom: db.prepare<[string], { id: string }>(`UPDATE mail_messages SET from_address = NULL, from_name = NULL, text = '', html = NULL WHERE from_address = ? COLLATE NOCASE RETURNING id`),
      forgetTo: db.prepare<[string], { id: string }>(`UPDATE mail_messages SET to_address = NULL WHERE to_address = ? COLLATE NOCASE RETURNING id`),
      forgetQueued: db.prepare<[string]>(`UPDATE mail_outbox SET state = 'failed', error = 'the recipient was anonymised', ${KEPT_TEXT} WHERE to_address = ? COLLATE NOCASE AND state IN ('queued', 'sending')`),
      forgetOutbox: db.prepare<[string]>(`UPDATE mail_outbox SET to_address = '' WHERE to_address = ? COLLATE NOCASE`),
      forgetEvents: db.prepare<[{ a: string }]>(
        `UPDATE case_events SET data = json_set(data,
           '$.from', CASE WHEN json_extract(data, '$.from') = @a COLLATE NOCASE THEN NULL ELSE json_extract(data, '$.from') END,
           '$.fromName', CASE WHEN json_extract(data, '$.from') = @a COLLATE NOCASE THEN NULL ELSE json_extract(data, '$.fromName') END,
           '$.to', CASE WHEN json_extract(data, '$.to') = @a COLLATE NOCASE THEN NULL ELSE json_extract(data, '$.to') END)
         WHERE kind = 'mail' AND (json_extract(data, '$.from') = @a COLLATE NOCASE OR json_extract(data, '$.to') = @a COLLATE NOCASE)
         RETURNING id`,
      ),
      // The person's own mail: its id (for the files waiting with it) and its raw source's hash.
      fromAddress: db.prepare<[string], { id: string; rawHash: string | null }>(`SELECT id, raw_hash AS rawHash FROM mail_messages WHERE from_address = ? COLLATE NOCASE`),
      dropRaw: db.prepare<[string]>(`UPDATE mail_messages SET raw_hash = NULL WHERE from_address = ? COLLATE NOCASE`),
      // Mail naming an address (in To or Cc, the subject, the text or the HTML): LIKE is case-blind for ASCII.
      naming: db.prepare<[{ like: string }], { id: string; to_address: string | null; cc_address: string | null; subject: string; text: string; html: string | null; raw_hash: string | null }>(
        `SELECT id, to_address, cc_address, subject, text, html, raw_hash FROM mail_messages
         WHERE to_address LIKE @like ESCAPE '\\' OR cc_address LIKE @like ESCAPE '\\' OR subject LIKE @like ESCAPE '\\'
            OR text LIKE @like ESCAPE '\\' OR html LIKE @like ESCAPE '\\'`,
      ),
      scrubMessage: db.prepare<[{ id: string; to: string | null; cc: string | null; subject: string; text: string; html: string | null }]>(
        `UPDATE mail_messages SET to_address = @to, cc_address = @cc, subject = @subject, text = @text, html = @html, raw_hash = NULL WHERE id = @id`,
      ),
      mailEventsNaming: db.prepare<[{ like: string }], { id: string; data: string }>(
        `SELECT id, data FROM case_events WHERE kind = 'mail' AND (json_extract(data, '$.to') LIKE @like ESCAPE '\\' OR json_extract(data, '$.subject') LIKE @like ESCAPE '\\')`,
      ),
      setEventData: db.prepare<[string, string]>(`UPDATE case_events SET data = ? WHERE id = ?`),
      outboxNaming: db.prepare<[{ like: string }], { id: string; subject: string; text: string }>(
        `SELECT id, subject, text FROM mail_outbox WHERE subject LIKE @like ESCAPE '\\' OR text LIKE @like ESCAPE '\\'`,
      ),
      scrubOutbox: db.prepare<[string, string, string]>(`UPDATE mail_outbox SET subject = ?, text = ? WHERE id = ?`),
      rawUsed: db.prepare<[string], number>(`SELECT count(*) FROM mail_messages WHERE raw_hash = ?`).pluck(),
      countFailure: db.prepare<[string, string, number, string, string], number>(
        `INSERT INTO mail_failures (mailbox, uid_validity, uid, failures, last_error, last_at) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (mailbox, uid_validity, uid) DO UPDATE SET failures = failures + 1, last_error = excluded.last_error, last_at = excluded.last_at
         RETURNING failures`,
      ).pluck(),
      clearFailures: db.prepare<[string, string, number]>(`DELETE FROM mail_failures WHERE mailbox = ? AND (uid_validity != ? OR uid <= ?)`),
      autoSince: db.prepare<[string, string], number>(`SELECT count(*) FROM mail_outbox WHERE auto = 1 AND to_address = ? COLLATE NOCASE AND created_at > ?`).pluck(),
    };
  }

  cursor(mailbox: string): { uidValidity: string; lastUid: number } | null {
    const row = this.s.cursor.get(mailbox);
    return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : null;
  }

  setCursor(mailbox: string, uidValidity: string, lastUid: number): void {
    this.s.setCursor.run(mailbox, uidValidity, lastUid);
  }

  /** One more failure of the intake on a message; answers how many there were in all. */
  countFailure(mailbox: string, uidValidity: string, uid: number, error: string, at: string): number {
    return this.s.countFailure.get(mailbox, uidValidity, uid, error, at) ?? 1;
  }

  /** Forgets the failures of messages the mailbox's mark has passed. */
  clearFailures(mailbox: string, uidValidity: string, upToUid: number): void {
    this.s.clearFailures.run(mailbox, uidValidity, upToUid);
  }

  insertMessage(m: MailRecord): void {
    this.s.insertMessage.run({ ...m, ccAddress: m.ccAddress ?? null, refs: JSON.stringify(m.refs) });
  }

  attachToCase(mailId: string, caseId: string | null, eventId: string | null): void {
    this.s.attach.run(caseId, eventId, mailId);
  }

  hasMessageId(messageId: string): boolean {
    return (this.s.messageIdUsed.get(messageId) ?? 0) > 0;
  }

  message(id: string): MailRecord | null {
    const row = this.s.byId.get(id);
    return row ? toRecord(row) : null;
  }

  messageOfEvent(eventId: string): MailRecord | null {
    const row = this.s.byEvent.get(eventId);
    return row ? toRecord(row) : null;
  }

  byMessageIds(messageIds: readonly string[]): MailRecord[] {
    return messageIds.length === 0 ? [] : this.s.byMessageIds.all(idList(messageIds)).map(toRecord);
  }

  /** The Message-IDs of a case's thread, oldest first. */
  threadOf(caseId: string): string[] {
    return this.s.ofCase.all(caseId);
  }

  lastInbound(caseId: string): MailRecord | null {
    const row = this.s.lastIn.get(caseId);
    return row ? toRecord(row) : null;
  }

  insertReview(r: { id: string; mailId: string; office: Office; reason: MailReviewReason; caseNumber: number | null; receivedAt: string }): void {
    this.s.insertReview.run(r);
  }

  review(id: string): ReviewRow | null {
    const r = this.s.review.get(id);
    return r ? { id: r.id, mailId: r.mail_id, office: r.office, reason: r.reason, caseNumber: r.case_number, state: r.state, receivedAt: r.received_at } : null;
  }

  /** The office's open review items, oldest first, with what the list shows and the mail behind each. */
  openReview(office: Office, limit: number): Array<{ item: MailReviewItem; mail: MailRecord }> {
    return this.s.openReview.all(office, limit).map((row) => {
      const mail = toRecord(row);
      return {
        mail,
        item: {
          id: row.review_id,
          office,
          mailbox: mail.mailbox,
          from: mail.fromAddress,
          fromName: mail.fromName,
          subject: mail.subject.slice(0, 1000),
          excerpt: mail.text.replace(/\s+/g, ' ').trim().slice(0, 300),
          receivedAt: row.received_at,
          reason: row.reason,
          caseNumber: row.case_number,
          attachmentCount: mail.attachmentCount,
        },
      };
    });
  }

  countOpenReview(office: Office): number {
    return this.s.countOpen.get(office) ?? 0;
  }

  /** Closes an open item; false when it was not open (someone else resolved it first). */
  resolveReview(id: string, state: 'linked' | 'dismissed', by: string | null, at: string, caseId: string | null): boolean {
    return this.s.resolveReview.run(state, by, at, caseId, id).changes === 1;
  }

  insertOutbox(row: Omit<OutboxRow, 'state' | 'attempts' | 'sentAt' | 'error'>): void {
    this.s.insertOutbox.run({
      ...row,
      auto: row.auto ? 1 : 0,
      refs: JSON.stringify(row.refs),
      headers: JSON.stringify(row.headers),
      attachmentIds: JSON.stringify(row.attachmentIds),
    });
  }

  outboxRow(id: string): OutboxRow | null {
    const r = this.s.outbox.get(id);
    return r ? toOutbox(r) : null;
  }

  outboxOfMail(mailId: string): OutboxRow | null {
    const r = this.s.outboxByMail.get(mailId);
    return r ? toOutbox(r) : null;
  }

  dueOutbox(now: string, limit: number): OutboxRow[] {
    return this.s.due.all(now, limit).map(toOutbox);
  }

  /** When the earliest queued row is due; null when nothing waits. */
  nextDueAt(): string | null {
    return this.s.nextDue.get() ?? null;
  }

  /** Marks a row as being sent (and counts the attempt); false when another sender has it. */
  claim(id: string): boolean {
    return this.s.claim.run(id).changes === 1;
  }

  markSent(id: string, at: string): void {
    this.s.sent.run(at, id);
  }

  markRetry(id: string, nextAt: string, error: string): void {
    this.s.retry.run(nextAt, error, id);
  }

  markFailed(id: string, error: string): void {
    this.s.failed.run(error, id);
  }

  /** A delivery report says the mail did not arrive. */
  markBounced(id: string, error: string): void {
    this.s.bounced.run(error, id);
  }

  /** After a crash: rows claimed but never answered are sent again (at least once). */
  unclaimAll(): number {
    return this.s.unclaimAll.run().changes;
  }

  /**
   * GDPR: removes a person's address from stored mail (the records, the queue, the mail events'
   * data); a mail still waiting to go to them is not sent. Answers the events changed, which the
   * caller records in the change log. For the anonymisation (store/anonymise.ts) to call.
   */
  forgetAddress(address: string): { events: string[]; mails: string[] } {
    this.s.dropRaw.run(address);
    const mails = new Set(this.s.forgetFrom.all(address).map((r) => r.id));
    for (const r of this.s.forgetTo.all(address)) mails.add(r.id);
    this.s.forgetQueued.run(address);
    this.s.forgetOutbox.run(address);
    const events = (this.s.forgetEvents.all({ a: address }) as unknown as Array<{ id: string }>).map((r) => r.id);
    return { events, mails: [...mails] };
  }

  /**
   * GDPR, after `forgetAddress`: the address in every other stored mail that names it — taken out
   * of multi-recipient To and Cc lists (of the records and of the mail events' `to`), blanked with
   * `placeholder` in subjects, texts and HTML — and those mails' raw sources let go (the caller
   * deletes the files after the commit, `rawInUse`). Answers the events changed, the stored mails
   * whose addresses or text changed, and the hashes.
   */
  forgetInOthersMail(address: string, placeholder: string): { events: string[]; mails: string[]; rawHashes: string[] } {
    const a = address.trim().toLowerCase();
    if (a === '') return { events: [], mails: [], rawHashes: [] };
    const like = `%${a.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const pattern = new RegExp(a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    const without = (list: string | null): string | null => {
      if (list === null) return null;
      const kept = list.split(',').map((x) => x.trim()).filter((x) => x !== '' && x.toLowerCase() !== a);
      return kept.length === 0 ? null : kept.join(', ');
    };
    const blank = (text: string): string => text.replace(pattern, placeholder);
    const rawHashes = new Set<string>();
    const mails: string[] = [];
    for (const row of this.s.naming.all({ like })) {
      if (row.raw_hash !== null) rawHashes.add(row.raw_hash);
      const next = { id: row.id, to: without(row.to_address), cc: without(row.cc_address), subject: blank(row.subject), text: blank(row.text), html: row.html === null ? null : blank(row.html) };
      this.s.scrubMessage.run(next);
      if (next.to !== row.to_address || next.cc !== row.cc_address || next.subject !== row.subject || next.text !== row.text || next.html !== row.html) mails.push(row.id);
    }
    // The queue's own copy of what went out (a reply to someone else that quoted the address).
    for (const row of this.s.outboxNaming.all({ like })) this.s.scrubOutbox.run(blank(row.subject), blank(row.text), row.id);
    const events: string[] = [];
    for (const row of this.s.mailEventsNaming.all({ like })) {
      const data = JSON.parse(row.data) as { to?: string | null; subject?: string };
      const next = { ...data, ...(typeof data.to === 'string' ? { to: without(data.to) } : {}), ...(typeof data.subject === 'string' ? { subject: blank(data.subject) } : {}) };
      if (JSON.stringify(next) === row.data) continue;
      this.s.setEventData.run(JSON.stringify(next), row.id);
      events.push(row.id);
    }
    return { events, mails, rawHashes: [...rawHashes] };
  }

  /** The mail a person sent (before `forgetAddress`): ids and the hashes of their raw sources. */
  sentBy(address: string): { mailIds: string[]; rawHashes: string[] } {
    const rows = this.s.fromAddress.all(address);
    return { mailIds: rows.map((r) => r.id), rawHashes: [...new Set(rows.flatMap((r) => (r.rawHash === null ? [] : [r.rawHash])))] };
  }

  /** Whether a stored mail still names this raw source. */
  rawInUse(hash: string): boolean {
    return (this.s.rawUsed.get(hash) ?? 0) > 0;
  }

  automaticRepliesTo(address: string, since: string): number {
    return this.s.autoSince.get(address, since) ?? 0;
  }
}
