/**
 * The e-mail channel's rules, shared by the server (intake, sending) and the desk (the thread in
 * the timeline, the reply box): how a case number travels in a subject, what a mail event on a
 * case holds, and the limits of what a reply may carry.
 *
 * A mail is a case event of kind `mail` (the case's history is the thread): `text` is the mail's
 * plain text (at most `MAIL_TEXT_MAX` characters, the rest cut with a mark), `data` the
 * `MailEventData` below. An outgoing mail's `status` moves queued → sent (or failed, with the
 * reason) as the server's outgoing queue works; the event is re-recorded in the change feed on
 * each move, so every desk sees it.
 */
import { z } from 'zod';
import { Id, Instant } from './contract';
import { CASE_NUMBER_MAX } from './numbers';
import type { Language, Office } from './teams';
import { quoteIntro } from './mailTexts';

export const MAIL_STATUSES = ['received', 'queued', 'sent', 'failed'] as const;
export const MailStatusSchema = z.enum(MAIL_STATUSES);
export type MailStatus = z.infer<typeof MailStatusSchema>;

/** How much of a mail's text a case event keeps (the event's `text` limit). */
export const MAIL_TEXT_MAX = 20_000;
/** Files on one note or reply. */
export const ATTACHMENTS_PER_EVENT_MAX = 20;

/**
 * The `data` of a `mail` event. Flat (event data holds plain values only):
 * - `direction`: 'in' from the customer, 'out' from the desk (a specialist's reply, or the
 *   automatic acknowledgement, `auto: true`, whose actor is null).
 * - `status`: 'received' for 'in'; 'queued' | 'sent' | 'failed' for 'out'.
 * - `mailId`: the server's mail record (the stored message, its HTML, its headers).
 * - `from`, `to`: addresses; `fromName`: the sender's display name when the mail gave one.
 * - `subject`; `html`: whether the mail has an HTML part (fetched on demand, shown sanitised).
 * - `quote`: (out) whether the reply quotes the customer's last mail.
 * - `error`: (failed) why the relay refused or gave up, as the relay said it.
 * - `autoKind`: (in) 'auto_reply' | 'bounce' when the mail was machine-made (never answered).
 */
export const MailEventDataSchema = z.object({
  direction: z.enum(['in', 'out']),
  status: MailStatusSchema,
  mailId: Id.nullable(),
  from: z.string().max(320).nullable(),
  fromName: z.string().max(200).nullable().optional(),
  to: z.string().max(2000).nullable(),
  subject: z.string().max(1000).nullable(),
  html: z.boolean().optional(),
  quote: z.boolean().optional(),
  auto: z.boolean().optional(),
  autoKind: z.enum(['auto_reply', 'bounce']).nullable().optional(),
  error: z.string().max(1000).nullable().optional(),
  sentAt: Instant.nullable().optional(),
  /** How many files the mail or note carries (the attachments themselves are records of their own). */
  attachments: z.number().int().min(0).optional(),
});
export type MailEventData = z.infer<typeof MailEventDataSchema>;

/** A reply's data as the desk sees it until the server has filled in the addresses and queued it. */
export function queuedReply(quote: boolean): MailEventData & Record<string, string | boolean | null> {
  return { direction: 'out', status: 'queued', mailId: null, from: null, to: null, subject: null, quote };
}

/** Where a reply to a case goes: the case's contact's address; null when there is none to write to. */
export function replyAddress(contact: { email: string | null; anonymisedAt: string | null } | null | undefined): string | null {
  if (!contact || contact.anonymisedAt !== null) return null;
  return contact.email;
}

/**
 * Of two copies of one event, the one to keep: a mail's status only moves forward (queued →
 * sent or failed), so a copy still saying "queued" never replaces one that has moved on (an
 * answer fetched before the change can arrive after it); otherwise the newer copy.
 */
export function keptCopy<E extends { kind: string; data: Record<string, unknown> }>(stored: E | undefined, incoming: E): E {
  if (stored && stored.kind === 'mail' && incoming.kind === 'mail' && incoming.data.status === 'queued' && (stored.data.status === 'sent' || stored.data.status === 'failed')) return stored;
  return incoming;
}

/** Reads a `mail` event's data; null when it is not one (an older or damaged record). */
export function mailData(data: Record<string, unknown>): MailEventData | null {
  const parsed = MailEventDataSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** The word for a case in a subject line, in the customer's language. */
const CASE_WORD: Record<Language, string> = { sv: 'Ärende', fi: 'Tukipyyntö' };

/** The tag that carries a case number in every subject Desk sends: "[Ärende #123456]". */
export function subjectTag(caseNumber: number, language: Language): string {
  return `[${CASE_WORD[language]} #${caseNumber}]`;
}

/**
 * The subject of a mail about a case: the case's title (or the customer's subject) with its tag;
 * one tag only, whatever the text already carries, and at most one "Re:"/"SV:"/"VS:".
 */
export function caseSubject(caseNumber: number, text: string, language: Language): string {
  const bare = text
    .replace(TAG_PATTERN, ' ')
    .replace(/^(?:\s*(?:re|sv|vs|fw|fwd|vb|vl)\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return bare === '' ? subjectTag(caseNumber, language) : `${bare} ${subjectTag(caseNumber, language)}`;
}

// "[Ärende #123456]", "[Tukipyyntö #123456]", and what customers make of them: "[ärende 123456]",
// "[#123456]", "[Case #123456]", "[asia nr 123456]". Bracketed only: a bare number in a subject
// (an invoice number, a year) must not thread a mail onto someone's case.
const TAG_PATTERN = /\[\s*(?:(?:ärende|arende|tukipyyntö|tukipyynto|case|asia|ärendenummer|ärendenr)\.?\s*(?:nr\.?|no\.?|n:o)?\s*)?#?\s*(\d{1,9})\s*\]/giu;

/** A subject without its case tags (and what customers make of them). */
export function subjectWithoutTags(subject: string): string {
  return subject.normalize('NFC').replace(TAG_PATTERN, ' ').replace(/\s+/g, ' ').trim();
}

/** The case numbers a subject's tags carry, in order, each once. */
export function caseNumbersInSubject(subject: string): number[] {
  const found: number[] = [];
  for (const m of subject.normalize('NFC').matchAll(TAG_PATTERN)) {
    const n = Number(m[1]);
    if (n > 0 && n <= CASE_NUMBER_MAX && !found.includes(n)) found.push(n);
  }
  return found;
}

/** The office a mailbox serves decides the language of its automatic mails. */
export function officeLanguage(office: Office): Language {
  return office === 'FI' ? 'fi' : 'sv';
}

/** An item of the office's mail review: mail that did not become (part of) a case by itself. */
export const MailReviewReasonSchema = z.enum([
  /** The sender's address belongs to no contact: link it to one, or create the contact. */
  'unknown_sender',
  /** It names a case (subject tag or In-Reply-To) of another customer than the sender's. */
  'foreign_thread',
  /** Machine-made (auto-reply, bounce, list mail) and about no case: kept, never answered. */
  'automatic',
  /** No usable sender, or MIME that could not be read: kept as received, for a person to judge. */
  'unreadable',
]);
export type MailReviewReason = z.infer<typeof MailReviewReasonSchema>;

export const MailReviewItemSchema = z.object({
  id: Id,
  office: z.enum(['SE', 'FI']),
  /** The mailbox's address it came to. */
  mailbox: z.string().max(320),
  from: z.string().max(320).nullable(),
  fromName: z.string().max(200).nullable(),
  subject: z.string().max(1000),
  /** The start of the text, for the list. */
  excerpt: z.string().max(1000),
  receivedAt: Instant,
  reason: MailReviewReasonSchema,
  /** The case the mail named, when it named one (foreign_thread). */
  caseNumber: z.number().int().nullable(),
  attachmentCount: z.number().int().min(0),
});
export type MailReviewItem = z.infer<typeof MailReviewItemSchema>;

// ---- Attachments ---------------------------------------------------------------------------------

/**
 * A file on a note or a mail. The record travels in the change feed (entity `attachments`) once it
 * is on an event; the bytes never do: the desk fetches them by id (`ROUTES.attachment`).
 * `contentType` is what the server read from the bytes themselves, never the name or the sender's
 * word (declared types count only for plain text); `name` is cleaned (no folders, no control
 * characters, at most `ATTACHMENT_NAME_MAX`).
 */
export const ATTACHMENT_NAME_MAX = 200;
export const AttachmentSchema = z.object({
  id: Id,
  caseId: Id,
  /** The note or mail it is on; null until the note naming it is saved. */
  eventId: Id.nullable(),
  name: z.string().min(1).max(ATTACHMENT_NAME_MAX),
  size: z.number().int().min(0),
  contentType: z.string().min(1).max(200),
  createdAt: Instant,
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/** Raster images a desk may show inline as a preview (anything else is only ever downloaded). */
export const PREVIEW_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export const isPreviewable = (contentType: string): boolean => (PREVIEW_TYPES as readonly string[]).includes(contentType);

/** The default size limit of one file (the server's `DESK_ATTACHMENT_MAX_MB`). */
export const ATTACHMENT_MAX_MB_DEFAULT = 25;

/**
 * A file name as Desk keeps it: the last part of any path (either slash), without control or
 * bidirectional-override characters, trimmed of dots and spaces at the ends, at most
 * `ATTACHMENT_NAME_MAX` characters (the extension kept); "file" when nothing is left.
 */
export function cleanFileName(raw: string): string {
  const last = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const plain = last.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').replace(/^[\s.]+|[\s.]+$/g, '');
  if (plain === '') return 'file';
  const chars = [...plain];
  if (chars.length <= ATTACHMENT_NAME_MAX) return plain;
  const dot = plain.lastIndexOf('.');
  const ext = dot > 0 && plain.length - dot <= 16 ? [...plain.slice(dot)] : [];
  return [...chars.slice(0, ATTACHMENT_NAME_MAX - ext.length), ...ext].join('');
}

/**
 * A reply with the customer's last mail quoted below it: a line naming who wrote it and when (in
 * the customer's language and office time), then their text with "> " before each line.
 */
export function quotedReply(
  reply: string,
  quoted: { text: string; name: string | null; address: string | null; at: string },
  language: Language,
): string {
  const when = new Intl.DateTimeFormat(language === 'fi' ? 'fi-FI' : 'sv-SE', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: language === 'fi' ? 'Europe/Helsinki' : 'Europe/Stockholm',
  }).format(new Date(quoted.at));
  const who = quoted.name?.trim() || quoted.address || '';
  const lines = quoted.text.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return `${reply.replace(/\s+$/, '')}\n\n${quoteIntro(language, who, when)}\n${lines.map((l) => (l === '' ? '>' : `> ${l}`)).join('\n')}\n`;
}
