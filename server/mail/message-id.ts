import { randomUUID } from 'node:crypto';

/**
 * Our own Message-ID for a mail we send (without angle brackets): a UUID at the mailbox's domain
 * prefixed `desk.`, so a reply's In-Reply-To names it and threads back.
 */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.split('@')[1] ?? 'localhost';
  return `${randomUUID()}@desk.${domain}`;
}
