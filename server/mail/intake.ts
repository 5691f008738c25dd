/**
 * One received message → the desk: a new case, a mail on a case's thread, or an item of the
 * office's review list; an automatic reply queued for a new case; a bounce marking our sent mail
 * failed. Exactly once: everything a message causes (the mail record, the case or thread event,
 * the review item, the automatic reply's queue row, the mailbox's UID mark) is written in ONE
 * SQLite transaction, and a Message-ID seen before changes nothing but the UID mark. A crash in
 * the middle of a fetch thus re-reads from the last committed UID and creates nothing twice.
 *
 * The work before the transaction (parsing, keeping the raw file, the attachments hook) only
 * reads the store: what the message will become is planned, then written in one go.
 */
import { randomUUID } from 'node:crypto';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Case, CaseEvent, Contact, Customer } from '../../shared/contract';
import { FLOWS } from '../../shared/categories';
import { likelyModule } from '../../shared/entitlement';
import { caseNumbersInSubject, caseSubject, MAIL_TEXT_MAX, officeLanguage, type MailEventData, type MailReviewReason } from '../../shared/mail';
import { autoReplyText, NO_SUBJECT } from '../../shared/mailTexts';
import { createCase, mutateCase } from '../../shared/mutations';
import { teamOfIndustry, type Language } from '../../shared/teams';
import type { Store } from '../store/store';
import type { MailRecord } from '../store/mail';
import type { MailboxConfig } from './config';
import { automaticKind, headerMap, LOOP_HEADER, messageIds, messageIdsInReport, normaliseAddress, recipientsInReport, titleFromSubject, type AutomaticKind, type HeaderMap } from './recognise';
import type { RawMailStore } from './raw-store';
import { mailAttachmentSink } from '../store/attachments';
import { newMessageId } from './message-id';

export interface IntakeOptions {
  store: Store;
  raw: RawMailStore;
  /** Every configured mailbox: mail from one of them is our own coming back. */
  mailboxes: readonly MailboxConfig[];
  /** Larger messages are kept as headers and a review item 'unreadable'. */
  maxBytes: number;
  /** Automatic replies per sender address per hour, at most. */
  autoRepliesPerHour: number;
  /** Failures on one message (counted across restarts) before it is set aside for review; default 3. */
  maxFailures?: number;
  now(): Date;
}

/** Where the UID mark goes: the mailbox and its UIDVALIDITY; null when read from elsewhere (tests). */
export interface UidMark {
  mailbox: string;
  uidValidity: string;
  uid: number;
}

export type IntakeOutcome =
  | { kind: 'duplicate' }
  | { kind: 'case'; caseId: string; caseNumber: number; autoReply: boolean }
  | { kind: 'thread'; caseId: string; reopened: boolean; bounced: number }
  | { kind: 'review'; reason: MailReviewReason; reviewId: string }
  | { kind: 'bounce'; bounced: number };

/** Failures of the intake on one message before it is set aside (a poison message must not hold its mailbox). */
export const MAX_FAILURES = 3;

/** Days after closing within which a customer's mail reopens a case (later: a new case). */
export const REOPEN_DAYS = 30;
const HOUR_MS = 3_600_000;

/** The parts of a message the decisions need. */
interface Received {
  messageId: string;
  from: string | null;
  fromName: string | null;
  to: string | null;
  cc: string | null;
  subject: string;
  text: string;
  html: string | null;
  inReplyTo: string | null;
  refs: string[];
  headers: HeaderMap;
  auto: AutomaticKind | null;
  /** Message-IDs a delivery report quotes. */
  reported: string[];
  /** The recipients its delivery-status part says the report is about (Final-/Original-Recipient). */
  reportedTo: string[];
  attachments: Array<{ name: string; contentType: string; content: Buffer }>;
  /** Not readable as mail (too large, no sender, broken MIME). */
  unreadable: string | null;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address: string | null; name: string | null } {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list) {
    for (const entry of group.value) {
      const address = normaliseAddress(entry.address);
      if (address) return { address, name: entry.name?.trim() || null };
    }
  }
  return { address: null, name: null };
}

function allAddresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((g) => g.value.map((e) => normaliseAddress(e.address)).filter((a): a is string => a !== null));
}

const cut = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** The header block of a raw message (up to the first empty line). */
function headerBlock(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, 256 * 1024)).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

/** Header lines of a raw header block, as mailparser gives them. */
function headerLinesOf(block: string): Array<{ key: string; line: string }> {
  const lines: Array<{ key: string; line: string }> = [];
  for (const line of block.split(/\r?\n(?![ \t])/)) {
    const colon = line.indexOf(':');
    if (colon > 0) lines.push({ key: line.slice(0, colon).trim().toLowerCase(), line });
  }
  return lines;
}

/** The message/delivery-status parts of a raw message (RFC 3464; 7-bit text), joined. */
function deliveryStatusParts(raw: Buffer): string {
  const text = raw.subarray(0, Math.min(raw.length, 1024 * 1024)).toString('latin1');
  const parts: string[] = [];
  for (const m of text.matchAll(/^content-type:[ \t]*message\/(?:global-)?delivery-status\b[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*\r?\n(?:[^\r\n]+\r?\n)*?\r?\n([\s\S]*?)(?=^--|$(?![\s\S]))/gim)) {
    parts.push(m[1] ?? '');
    if (parts.length >= 10) break;
  }
  return parts.join('\n');
}

async function read(raw: Buffer, size: number, opts: IntakeOptions, own: ReadonlySet<string>): Promise<Received> {
  const block = headerBlock(raw);
  let parsed: ParsedMail | null = null;
  let unreadable: string | null = null;
  if (size > opts.maxBytes) {
    unreadable = `larger than ${Math.round(opts.maxBytes / 1024 / 1024)} MB: only its headers are kept`;
  } else {
    try {
      parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, maxHtmlLengthToParse: 5 * 1024 * 1024 });
    } catch (error) {
      unreadable = `the MIME structure could not be read: ${String((error as Error).message ?? error).slice(0, 200)}`;
    }
  }
  const headers = headerMap(parsed?.headerLines ?? headerLinesOf(block));
  const decoded = parsed ? null : await simpleParser(Buffer.from(`${block}\r\n\r\n`, 'latin1')).catch(() => null);
  const source = parsed ?? decoded;
  const sender = firstAddress(source?.from);
  const subject = (source?.subject ?? '').replace(/\s+/g, ' ').trim();
  const text = parsed ? (parsed.text ?? '').replace(/\r\n?/g, '\n').trim() : '';
  const html = parsed && typeof parsed.html === 'string' ? parsed.html : null;
  const messageId = messageIds(source?.messageId ?? headers.get('message-id'))[0] ?? `${randomUUID()}@desk.no-message-id`;
  const inReplyTo = messageIds(source?.inReplyTo ?? headers.get('in-reply-to'))[0] ?? null;
  const refValue = source?.references;
  const refs = messageIds(Array.isArray(refValue) ? refValue.map((r) => `<${r.replace(/^<|>$/g, '')}>`).join(' ') : typeof refValue === 'string' ? refValue : headers.get('references'));
  if (unreadable === null && sender.address === null) unreadable = 'no sender address';
  const auto = automaticKind(headers, sender.address, own);
  // A delivery report quotes the returned mail's headers in a part of its own.
  const reported =
    auto === 'bounce' && parsed
      ? messageIdsInReport([text, ...parsed.attachments.filter((a) => /rfc822|delivery-status/i.test(a.contentType)).map((a) => a.content.toString('utf8'))].join('\n'))
      : [];
  // Read from the raw message: mailparser folds a message/delivery-status part into the text,
  // where a forger's plain text could say the same words.
  const reportedTo = auto === 'bounce' && parsed ? recipientsInReport(deliveryStatusParts(raw)) : [];
  const attachments =
    parsed?.attachments
      .filter((a) => a.contentDisposition !== 'inline' || !a.related)
      .filter((a) => !(auto === 'bounce' && /rfc822|delivery-status/i.test(a.contentType)))
      .map((a, i) => ({ name: (a.filename ?? `attachment-${i + 1}`).slice(0, 255), contentType: a.contentType || 'application/octet-stream', content: a.content })) ?? [];
  return {
    messageId,
    from: sender.address,
    fromName: sender.name,
    to: allAddresses(source?.to as AddressObject | AddressObject[] | undefined).join(', ') || null,
    cc: allAddresses(source?.cc as AddressObject | AddressObject[] | undefined).join(', ') || null,
    subject,
    text,
    html,
    inReplyTo,
    refs,
    headers,
    auto,
    reported,
    reportedTo,
    attachments,
    unreadable,
  };
}

/** A plan: what the message becomes, decided on a read of the store. */
type Plan =
  | { kind: 'duplicate' }
  | { kind: 'new_case'; customer: Customer; contact: Contact }
  | { kind: 'thread'; target: Case; reopen: boolean }
  | { kind: 'review'; reason: MailReviewReason; caseNumber: number | null }
  | { kind: 'bounce_only' };

/** The sender's contact: the only one with the address, or among several the one whose customer has an open case from it. */
function senderContact(store: Store, address: string | null): { contact: Contact | null; candidates: Contact[] } {
  if (address === null) return { contact: null, candidates: [] };
  const candidates = store.contacts.byEmail(address);
  if (candidates.length <= 1) return { contact: candidates[0] ?? null, candidates };
  const withOpen = candidates.filter((c) => store.cases.byContact(c.id).some((k) => k.status !== 'closed'));
  return { contact: withOpen.length === 1 ? (withOpen[0] ?? null) : null, candidates };
}

/** The case a mail names: one of our Message-IDs in In-Reply-To/References first, then a subject tag. */
function namedCase(store: Store, m: Received): { target: Case | null; byReference: boolean; ours: boolean; number: number | null } {
  const ids = [...(m.inReplyTo ? [m.inReplyTo] : []), ...[...m.refs].reverse(), ...m.reported];
  for (const record of store.mail.byMessageIds(ids)) {
    if (record.caseId === null) continue;
    const target = store.cases.get(record.caseId);
    // `ours`: the reference is a mail WE sent (a customer's own Message-ID is known to others too).
    if (target) return { target, byReference: true, ours: record.direction === 'out', number: target.number };
  }
  for (const n of caseNumbersInSubject(m.subject)) {
    const target = store.cases.getByNumber(n);
    if (target) return { target, byReference: false, ours: false, number: n };
  }
  return { target: null, byReference: false, ours: false, number: caseNumbersInSubject(m.subject)[0] ?? null };
}

function plan(store: Store, m: Received, now: Date): Plan {
  if (store.mail.hasMessageId(m.messageId)) return { kind: 'duplicate' };
  const named = namedCase(store, m);
  if (m.unreadable !== null) return { kind: 'review', reason: 'unreadable', caseNumber: named.number };
  const { contact, candidates } = senderContact(store, m.from);
  if (named.target) {
    const target = named.target;
    const sameCustomer = candidates.some((c) => c.customerId === target.customerId);
    if (!sameCustomer) {
      if (candidates.length > 0) return { kind: 'review', reason: 'foreign_thread', caseNumber: target.number };
      // A machine's mail (a bounce, a vacation notice) in reply to a mail WE sent: its reference is
      // ours. Machine headers are easy to fake, so a reference to the customer's own mail (which a
      // CC'd outsider also knows) never threads an unknown sender's mail.
      if (m.auto !== null && named.byReference && named.ours) return { kind: 'thread', target, reopen: false };
      return { kind: 'review', reason: m.auto !== null ? 'automatic' : 'unknown_sender', caseNumber: target.number };
    }
    if (target.status !== 'closed') return { kind: 'thread', target, reopen: false };
    const closedMs = target.resolvedAt === null ? 0 : Date.parse(target.resolvedAt);
    if (m.auto !== null) return { kind: 'thread', target, reopen: false };
    if (now.getTime() - closedMs <= REOPEN_DAYS * 24 * HOUR_MS) return { kind: 'thread', target, reopen: true };
    // Closed long ago: the customer's mail starts a new case (below).
  }
  if (m.auto !== null) return m.auto === 'bounce' && m.reported.length > 0 ? { kind: 'bounce_only' } : { kind: 'review', reason: 'automatic', caseNumber: named.number };
  if (contact === null) return { kind: 'review', reason: 'unknown_sender', caseNumber: named.number };
  const customer = store.customers.get(contact.customerId);
  if (!customer) return { kind: 'review', reason: 'unknown_sender', caseNumber: named.number };
  return { kind: 'new_case', customer, contact };
}

/** A customer's language, or the office's when the customer is not known. */
export function replyLanguage(customer: Pick<Customer, 'language'> | null, mailbox: MailboxConfig): Language {
  return customer?.language ?? officeLanguage(mailbox.office);
}

export class MailIntake {
  private readonly own: ReadonlySet<string>;

  private readonly sink: ReturnType<typeof mailAttachmentSink>;

  constructor(private readonly opts: IntakeOptions) {
    this.own = new Set(opts.mailboxes.map((m) => m.address.toLowerCase()));
    this.sink = mailAttachmentSink(opts.store, opts.now);
  }

  /** Processes one message of `mailbox` (exactly once by Message-ID and, given `mark`, by UID). */
  async accept(mailbox: MailboxConfig, rawMessage: Buffer, mark: UidMark | null, size = rawMessage.length): Promise<IntakeOutcome> {
    const { store } = this.opts;
    const m = await read(rawMessage, size, this.opts, this.own);
    const first = plan(store, m, this.opts.now());
    if (first.kind === 'duplicate') {
      if (mark) store.transaction(() => this.advance(mark));
      return { kind: 'duplicate' };
    }
    // Kept before the transaction (by content hash, so a re-read finds the same file): too large
    // a message keeps its headers only.
    const kept = size > this.opts.maxBytes ? Buffer.from(headerBlock(rawMessage), 'latin1') : rawMessage;
    const rawHash = this.opts.raw.put(kept);
    const ids = { mailId: randomUUID(), eventId: randomUUID() };
    // The files' bytes are written (by content hash) before the transaction, which cannot wait
    // for them; their rows are written inside it, with the mail, and put on the case event the
    // mail becomes (`attachToCase`). A crash in between leaves at most a blob no row names.
    const files = this.sink;
    const prepared = m.attachments.length > 0 ? await files.prepare(m.attachments) : [];
    return store.transaction(() => {
      // Planned again inside the transaction: the store may have changed during the awaits.
      const now = this.opts.now();
      const p = plan(store, m, now);
      if (p.kind === 'duplicate') {
        if (mark) this.advance(mark);
        return { kind: 'duplicate' } as const;
      }
      const at = now.toISOString();
      const record: MailRecord = {
        id: ids.mailId,
        messageId: m.messageId,
        direction: 'in',
        office: mailbox.office,
        mailbox: mailbox.address,
        caseId: null,
        eventId: null,
        fromAddress: m.from,
        fromName: m.fromName ? cut(m.fromName, 200) : null,
        toAddress: m.to ? cut(m.to, 2000) : null,
        ccAddress: m.cc ? cut(m.cc, 2000) : null,
        subject: cut(m.subject, 1000),
        text: cut(m.text, MAIL_TEXT_MAX),
        html: m.html,
        inReplyTo: m.inReplyTo,
        refs: m.refs.slice(-50),
        autoKind: m.auto,
        rawHash,
        size,
        attachmentCount: m.attachments.length,
        at,
      };
      store.mail.insertMessage(record);
      files.insert(prepared, { mailId: record.id, caseId: null, eventId: null, contactId: null });
      const bounced = this.markBounced(m, mailbox);
      let outcome: IntakeOutcome;
      if (p.kind === 'review') {
        const reviewId = randomUUID();
        store.mail.insertReview({ id: reviewId, mailId: record.id, office: mailbox.office, reason: p.reason, caseNumber: p.caseNumber, receivedAt: at });
        outcome = { kind: 'review', reason: p.reason, reviewId };
      } else if (p.kind === 'bounce_only') {
        outcome = { kind: 'bounce', bounced };
      } else if (p.kind === 'thread') {
        const reopened = this.thread(p.target, p.reopen, record, ids.eventId, at);
        outcome = { kind: 'thread', caseId: p.target.id, reopened, bounced };
      } else {
        // A new id whatever the first plan said (it may have said "thread" before the reopen window closed).
        const created = this.newCase(mailbox, p.customer, p.contact, record, randomUUID(), ids.eventId, at);
        outcome = { kind: 'case', caseId: created.caseId, caseNumber: created.number, autoReply: created.autoReply };
      }
      if (mark) this.advance(mark);
      return outcome;
    });
  }

  /**
   * A review item's mail, linked by a specialist to a contact (in the caller's transaction): onto
   * the case it named when that case is the contact's customer's (reopened when closed
   * recently), else a new case of the contact, acknowledged like any new case unless the mail was
   * machine-made.
   */
  link(record: MailRecord, named: Case | null, contact: Contact, customer: Customer, now: Date): { caseId: string; caseNumber: number; autoReply: boolean } {
    const at = now.toISOString();
    const eventId = randomUUID();
    const mailbox = this.opts.mailboxes.find((m) => m.address === record.mailbox) ?? { office: record.office, address: record.mailbox } as MailboxConfig;
    if (named && named.customerId === contact.customerId) {
      const recent = named.status === 'closed' && named.resolvedAt !== null && now.getTime() - Date.parse(named.resolvedAt) <= REOPEN_DAYS * 24 * HOUR_MS;
      if (named.status !== 'closed' || recent) {
        this.thread(named, recent && record.autoKind === null, record, eventId, at);
        return { caseId: named.id, caseNumber: named.number, autoReply: false };
      }
    }
    const created = this.newCase(mailbox, customer, contact, record, randomUUID(), eventId, at);
    return { caseId: created.caseId, caseNumber: created.number, autoReply: created.autoReply };
  }

  /**
   * The intake failed on a message (`accept` threw). The failure is counted in its own commit,
   * per mailbox, UIDVALIDITY and UID, so across restarts too. Below the limit the caller lets the
   * message be read again ('retry'); at the limit the message is set aside: its raw bytes are kept,
   * a mail record made of what its headers say and a review item 'unreadable' are written, and the
   * UID mark moves past it, in one transaction. The office's review list shows it ("could not be
   * read"); a specialist links or dismisses it as any other item.
   */
  failed(mailbox: MailboxConfig, rawMessage: Buffer, mark: UidMark, error: unknown, size = rawMessage.length): { verdict: 'retry'; failures: number } | { verdict: 'set_aside'; failures: number; outcome: IntakeOutcome } {
    const { store } = this.opts;
    const message = String((error as Error)?.message ?? error).slice(0, 500);
    const now = this.opts.now();
    const failures = store.transaction(() => store.mail.countFailure(mark.mailbox, mark.uidValidity, mark.uid, message, now.toISOString()));
    if (failures < (this.opts.maxFailures ?? MAX_FAILURES)) return { verdict: 'retry', failures };
    const kept = size > this.opts.maxBytes ? Buffer.from(headerBlock(rawMessage), 'latin1') : rawMessage;
    const rawHash = this.opts.raw.put(kept);
    // Only the plainest reading of the headers: the full reading is what failed.
    let headers: HeaderMap = new Map();
    try {
      headers = headerMap(headerLinesOf(headerBlock(rawMessage)));
    } catch {
      // No headers to show: the raw bytes are kept all the same.
    }
    const fromHeader = headers.get('from') ?? '';
    const from = normaliseAddress(/<([^<>]+)>/.exec(fromHeader)?.[1] ?? fromHeader);
    const headerId = messageIds(headers.get('message-id'))[0];
    const outcome = store.transaction((): IntakeOutcome => {
      if (headerId !== undefined && store.mail.hasMessageId(headerId)) {
        this.advance(mark);
        return { kind: 'duplicate' };
      }
      const at = now.toISOString();
      const record: MailRecord = {
        id: randomUUID(),
        messageId: headerId ?? `${randomUUID()}@desk.set-aside`,
        direction: 'in',
        office: mailbox.office,
        mailbox: mailbox.address,
        caseId: null,
        eventId: null,
        fromAddress: from,
        fromName: null,
        toAddress: null,
        subject: cut((headers.get('subject') ?? '').replace(/\s+/g, ' ').trim(), 1000),
        text: '',
        html: null,
        inReplyTo: null,
        refs: [],
        autoKind: null,
        rawHash,
        size,
        attachmentCount: 0,
        at,
      };
      store.mail.insertMessage(record);
      const reviewId = randomUUID();
      store.mail.insertReview({ id: reviewId, mailId: record.id, office: mailbox.office, reason: 'unreadable', caseNumber: null, receivedAt: at });
      this.advance(mark);
      return { kind: 'review', reason: 'unreadable', reviewId };
    });
    return { verdict: 'set_aside', failures, outcome };
  }

  /** Where a mailbox was read to. */
  cursor(mailbox: string): { uidValidity: string; lastUid: number } | null {
    return this.opts.store.mail.cursor(mailbox);
  }

  private advance(mark: UidMark): void {
    const current = this.opts.store.mail.cursor(mark.mailbox);
    if (current && current.uidValidity === mark.uidValidity && current.lastUid >= mark.uid) return;
    this.opts.store.mail.setCursor(mark.mailbox, mark.uidValidity, mark.uid);
    this.opts.store.mail.clearFailures(mark.mailbox, mark.uidValidity, mark.uid);
  }

  /** The mail event of a received mail. */
  private mailEvent(caseId: string, eventId: string, record: MailRecord, at: string): CaseEvent {
    const data: MailEventData = {
      direction: 'in',
      status: 'received',
      mailId: record.id,
      from: record.fromAddress,
      fromName: record.fromName,
      to: record.toAddress,
      subject: record.subject,
      html: record.html !== null,
      ...(record.autoKind === 'auto_reply' || record.autoKind === 'bounce' ? { auto: true, autoKind: record.autoKind } : {}),
      ...(record.attachmentCount > 0 ? { attachments: record.attachmentCount } : {}),
    };
    return { id: eventId, caseId, at, receivedAt: at, actorId: null, kind: 'mail', text: record.text === '' ? null : record.text, data };
  }

  /** A mail on an existing case: the event, the case's version bumped, and a recently closed case reopened one step back. */
  thread(target: Case, reopen: boolean, record: MailRecord, eventId: string, at: string): boolean {
    const { store } = this.opts;
    let saved: Case = { ...target, version: target.version + 1, updatedAt: at };
    const changedFields: Array<keyof Case> = [];
    const events: CaseEvent[] = [this.mailEvent(target.id, eventId, record, at)];
    let reopened = false;
    if (reopen) {
      const flow = FLOWS[target.category];
      const back = flow[flow.indexOf('closed') - 1];
      if (back !== undefined) {
        const outcome = mutateCase(
          target,
          { name: 'transition', args: { caseId: target.id, to: back } },
          { at, actor: { id: 'system', role: 'specialist' }, teamsOf: (id) => store.specialists.get(id)?.teams },
        );
        if (outcome.kind === 'changed') {
          saved = { ...saved, ...outcome.changes, fieldVersions: { ...saved.fieldVersions, status: saved.version } };
          changedFields.push(...(Object.keys(outcome.changes) as Array<keyof Case>));
          for (const e of outcome.events) events.push({ id: randomUUID(), caseId: target.id, at, receivedAt: at, actorId: null, kind: e.kind, text: e.text, data: e.data });
          reopened = true;
        }
      }
    }
    store.cases.updateFields(saved, changedFields);
    store.changes.record('cases', saved.id);
    for (const e of events) {
      store.events.insert(e);
      store.changes.record('events', e.id);
    }
    store.mail.attachToCase(record.id, target.id, eventId);
    // The files are the sender's (GDPR), whoever the case's contact is.
    const sender = record.fromAddress === null ? undefined : store.contacts.byEmail(record.fromAddress).find((c) => c.customerId === target.customerId);
    store.attachments.linkMail(record.id, target.id, eventId, sender?.id ?? null);
    return reopened;
  }

  private newCase(mailbox: MailboxConfig, customer: Customer, contact: Contact, record: MailRecord, caseId: string, eventId: string, at: string): { caseId: string; number: number; autoReply: boolean } {
    const { store } = this.opts;
    const number = store.numbers.take(1);
    const language = replyLanguage(customer, mailbox);
    const outcome = createCase(
      {
        id: caseId,
        number,
        customerId: customer.id,
        contactId: contact.id,
        product: 'go',
        module: likelyModule(customer, contact) ?? customer.licensedModules[0] ?? 'finance',
        category: 'support',
        serviceLevel: null,
        team: teamOfIndustry(customer.industry),
        title: titleFromSubject(record.subject) ?? NO_SUBJECT[language],
        description: cut(record.text, 20_000),
        channel: 'email',
        callId: null,
      },
      at,
    );
    if (outcome.kind === 'rejected') throw new Error(`a case from mail was refused: ${outcome.message}`);
    store.cases.insert(outcome.case);
    store.changes.record('cases', caseId);
    for (const e of outcome.events) {
      const event: CaseEvent = { id: randomUUID(), caseId, at, receivedAt: at, actorId: null, kind: e.kind, text: e.text, data: e.data };
      store.events.insert(event);
      store.changes.record('events', event.id);
    }
    const mailEvent = this.mailEvent(caseId, eventId, record, at);
    store.events.insert(mailEvent);
    store.changes.record('events', eventId);
    store.mail.attachToCase(record.id, caseId, eventId);
    store.attachments.linkMail(record.id, caseId, eventId, contact.id);
    // Machine-made mail is never answered.
    const autoReply = record.autoKind === null && this.queueAutoReply(mailbox, outcome.case, contact, language, record, at);
    return { caseId, number, autoReply };
  }

  /** The acknowledgement with the case number, unless this address had its share of automatic replies this hour. */
  private queueAutoReply(mailbox: MailboxConfig, c: Case, contact: Contact, language: Language, received: MailRecord, at: string): boolean {
    const { store } = this.opts;
    const to = received.fromAddress;
    if (to === null) return false;
    const since = new Date(Date.parse(at) - HOUR_MS).toISOString();
    if (store.mail.automaticRepliesTo(to, since) >= this.opts.autoRepliesPerHour) return false;
    queueMail(store, {
      office: mailbox.office,
      from: mailbox.address,
      to,
      subject: caseSubject(c.number, received.subject || c.title, language),
      text: autoReplyText(language, c.number, contact.name),
      caseId: c.id,
      event: { id: randomUUID(), actorId: null, data: { auto: true } },
      inReplyTo: received.messageId,
      refs: [...received.refs, received.messageId],
      auto: true,
      attachmentIds: [],
      at,
    });
    return true;
  }

  /**
   * Our sent mails a delivery report names: failed, with the report's reason. Only a real report
   * for that mail counts: its delivery-status part names the mail's recipient (Final-Recipient or
   * Original-Recipient), and it came to the mailbox the mail was sent from. Anyone can write a
   * "bounce" quoting one of our Message-IDs (they are in every reply the customer got).
   */
  private markBounced(m: Received, mailbox: MailboxConfig): number {
    if (m.auto !== 'bounce' || m.reported.length === 0 || m.reportedTo.length === 0) return 0;
    const { store } = this.opts;
    let count = 0;
    for (const sent of store.mail.byMessageIds(m.reported)) {
      if (sent.direction !== 'out') continue;
      if (sent.mailbox.toLowerCase() !== mailbox.address.toLowerCase()) continue;
      const recipient = normaliseAddress(sent.toAddress);
      if (recipient === null || !m.reportedTo.includes(recipient)) continue;
      const row = store.mail.outboxOfMail(sent.id);
      if (!row) continue;
      const reason = cut(`returned by the recipient's mail system: ${m.subject || 'delivery failed'}`, 1000);
      store.mail.markBounced(row.id, reason);
      if (row.eventId) setMailStatus(store, row.eventId, { status: 'failed', error: reason });
      count += 1;
    }
    return count;
  }
}

/** Moves an outgoing mail's event to a new status and re-records it in the change feed. */
export function setMailStatus(store: Store, eventId: string, change: Partial<MailEventData>): void {
  const event = store.events.get(eventId);
  if (!event || event.kind !== 'mail') return;
  store.events.updateData(eventId, { ...event.data, ...change } as CaseEvent['data']);
  store.changes.record('events', eventId);
}

export interface QueuedMail {
  office: MailboxConfig['office'];
  from: string;
  to: string;
  subject: string;
  text: string;
  caseId: string;
  /**
   * The case event that shows the mail: written here (an automatic reply, actor null), or, with
   * `byCaller`, written by the caller with the data answered (a specialist's reply: the push
   * writes the mutation's event).
   */
  event: { id: string; actorId: string | null; data: Partial<MailEventData>; byCaller?: boolean };
  inReplyTo: string | null;
  refs: string[];
  auto: boolean;
  attachmentIds: string[];
  at: string;
}

/** A mail record, its queue row and its event's data, in the caller's transaction. */
export function queueMail(store: Store, q: QueuedMail): { mailId: string; messageId: string; data: MailEventData } {
  const mailId = randomUUID();
  const messageId = newMessageId(q.from);
  const refs = [...new Set(q.refs)].slice(-20);
  store.mail.insertMessage({
    id: mailId,
    messageId,
    direction: 'out',
    office: q.office,
    mailbox: q.from,
    caseId: q.caseId,
    eventId: q.event.id,
    fromAddress: q.from,
    fromName: null,
    toAddress: q.to,
    subject: q.subject,
    text: cut(q.text, MAIL_TEXT_MAX),
    html: null,
    inReplyTo: q.inReplyTo,
    refs,
    autoKind: null,
    rawHash: null,
    size: 0,
    attachmentCount: q.attachmentIds.length,
    at: q.at,
  });
  store.mail.insertOutbox({
    id: randomUUID(),
    mailId,
    eventId: q.event.id,
    auto: q.auto,
    fromAddress: q.from,
    toAddress: q.to,
    subject: q.subject,
    text: q.text,
    messageId,
    inReplyTo: q.inReplyTo,
    refs,
    headers: q.auto ? { 'Auto-Submitted': 'auto-replied', [LOOP_HEADER]: q.from } : { [LOOP_HEADER]: q.from },
    attachmentIds: q.attachmentIds,
    nextAt: q.at,
    createdAt: q.at,
  });
  const data: MailEventData = {
    ...q.event.data,
    direction: 'out',
    status: 'queued',
    mailId,
    from: q.from,
    to: q.to,
    subject: q.subject,
  };
  if (!q.event.byCaller) {
    const event: CaseEvent = { id: q.event.id, caseId: q.caseId, at: q.at, receivedAt: q.at, actorId: q.event.actorId, kind: 'mail', text: cut(q.text, MAIL_TEXT_MAX), data };
    store.events.insert(event);
    store.changes.record('events', event.id);
  }
  return { mailId, messageId, data };
}
