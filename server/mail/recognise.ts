/**
 * Pure recognisers for incoming mail: machine-made mail (auto-replies, bounces, list mail, our own
 * mail coming back) that must never be answered, the Message-IDs a mail names, and the title a
 * subject gives a case. Table-tested in test/server/mail/recognise.test.ts.
 */
import { subjectWithoutTags } from '../../shared/mail';

/** Our own header on every mail Desk sends: a mail carrying it came from a Desk and is never answered. */
export const LOOP_HEADER = 'X-Desk-Loop';

/** The headers that matter here, by lower-case name; each value as the mail gave it (first occurrence). */
export type HeaderMap = ReadonlyMap<string, string>;

/** Header lines ("Key: value", folded lines joined) to a map of lower-case name → first value. */
export function headerMap(lines: ReadonlyArray<{ key: string; line: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, line } of lines) {
    const name = key.toLowerCase();
    if (map.has(name)) continue;
    const colon = line.indexOf(':');
    map.set(name, (colon < 0 ? '' : line.slice(colon + 1)).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
}

export type AutomaticKind = 'auto_reply' | 'bounce';

const BOUNCE_SENDER = /^(mailer-daemon|postmaster|mail-daemon|mailerdaemon)@/i;

/**
 * Whether a mail was made by a machine, and of which kind: a bounce (delivery report, the mail
 * system's own sender) or an auto-reply (Auto-Submitted other than "no", X-Autoreply,
 * X-Autorespond, Precedence bulk/junk/list, list headers, an empty Return-Path, one of our own
 * mailboxes as sender, our own loop header). Null for a mail a person wrote.
 */
export function automaticKind(headers: HeaderMap, from: string | null, ownAddresses: ReadonlySet<string>): AutomaticKind | null {
  const contentType = (headers.get('content-type') ?? '').toLowerCase();
  if (/^multipart\/report\b/.test(contentType) && /report-type\s*=\s*"?(delivery-status|disposition-notification)/.test(contentType)) return 'bounce';
  if (/^multipart\/report\b/.test(contentType)) return 'bounce';
  if (from !== null && BOUNCE_SENDER.test(from)) return 'bounce';
  const autoSubmitted = headers.get('auto-submitted');
  if (autoSubmitted !== undefined && autoSubmitted.split(';')[0]?.trim().toLowerCase() !== 'no') return 'auto_reply';
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder')) return 'auto_reply';
  if (headers.has(LOOP_HEADER.toLowerCase())) return 'auto_reply';
  const precedence = headers.get('precedence')?.trim().toLowerCase();
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list' || precedence === 'auto_reply') return 'auto_reply';
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'auto_reply';
  const returnPath = headers.get('return-path');
  if (returnPath !== undefined && /^<\s*>$/.test(returnPath.trim())) return 'auto_reply';
  if (from !== null && ownAddresses.has(from.toLowerCase())) return 'auto_reply';
  return null;
}

/** Message-IDs as written in headers ("<a@b> <c@d>") without their brackets, each once, in order. */
export function messageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const found: string[] = [];
  for (const m of value.matchAll(/<([^<>\s]{1,900})>/g)) {
    const id = m[1] ?? '';
    if (id.includes('@') && !found.includes(id)) found.push(id);
  }
  return found;
}

/**
 * The Message-IDs a delivery report quotes (the returned mail's headers): where a bounce says
 * which mail it is about. At most `limit` of them.
 */
export function messageIdsInReport(text: string, limit = 50): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(?:message-id|original-message-id|x-original-message-id)\s*:\s*<([^<>\s]{1,900})>/gim)) {
    const id = m[1] ?? '';
    if (id.includes('@') && !found.includes(id)) found.push(id);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The recipients a delivery report (RFC 3464, its message/delivery-status part) is about: the
 * addresses of its Final-Recipient and Original-Recipient fields of type rfc822, lower-cased.
 * A bounce counts for a sent mail only when it names the mail's recipient here.
 */
export function recipientsInReport(deliveryStatus: string, limit = 50): string[] {
  const found: string[] = [];
  for (const m of deliveryStatus.matchAll(/^\s*(?:final|original)-recipient\s*:\s*rfc822\s*;\s*<?([^<>\s;]+)>?\s*$/gim)) {
    const address = normaliseAddress(m[1]);
    if (address !== null && !found.includes(address)) found.push(address);
    if (found.length >= limit) break;
  }
  return found;
}

/** A case title from a mail's subject: without Re:/SV:/VS:/Fwd: prefixes and case tags; null when nothing is left. */
export function titleFromSubject(subject: string): string | null {
  const bare = subjectWithoutTags(subject)
    .replace(/^(?:\s*(?:re|sv|vs|aw|fw|fwd|vb|vl|vs)\s*(?:\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return bare === '' ? null : bare.slice(0, 300);
}

/** The address part of a mailbox string, lower-cased; null when there is none. */
export function normaliseAddress(address: string | null | undefined): string | null {
  const a = address?.trim().toLowerCase() ?? '';
  return /^[^@\s<>]+@[^@\s<>]+$/.test(a) ? a : null;
}
