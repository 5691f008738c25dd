/**
 * The intake's rules, called directly on a store (no IMAP): a bounce marks a reply failed only
 * when it really is a delivery report for that mail to that recipient, arriving at the mailbox
 * the mail left from; a message the intake fails on every time is set aside for review after
 * three failures counted across restarts, with its raw bytes, and its mailbox's mark moves on.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Contact } from '../../../shared/contract';
import { mailData } from '../../../shared/mail';
import { seedDemoData } from '../../../server/demo/seed';
import { MailIntake, MAX_FAILURES, setMailStatus, type UidMark } from '../../../server/mail/intake';
import { RawMailStore } from '../../../server/mail/raw-store';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { customerMail, FI_MAILBOX, SE_MAILBOX, testMailSettings } from '../../support/mail';

const MAILBOXES = testMailSettings({ host: '127.0.0.1', port: 1 }, { port: 1 }).mailboxes;
const SE = MAILBOXES.find((m) => m.office === 'SE') ?? MAILBOXES[0]!;
const FI = MAILBOXES.find((m) => m.office === 'FI') ?? MAILBOXES[1]!;

describe('the intake, directly', () => {
  let dir: string;
  let store: Store;
  let raw: RawMailStore;
  const intake = (): MailIntake =>
    new MailIntake({ store, raw, mailboxes: MAILBOXES, maxBytes: 5 * 1024 * 1024, autoRepliesPerHour: 3, now: () => new Date() });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-intake-rules-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 5, seed: 11 });
    raw = new RawMailStore(join(dir, 'mail'));
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function swedishContact(): Contact {
    const row = store.db
      .prepare<[], { id: string }>(
        `SELECT co.id FROM contacts co JOIN customers cu ON cu.id = co.customer_id WHERE co.email IS NOT NULL AND cu.country = 'SE'
           AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1 ORDER BY co.id LIMIT 1`,
      )
      .get();
    return store.contacts.get(row?.id ?? '') as Contact;
  }

  function report(o: { messageId: string; recipient: string | null; from?: string; to?: string }): string {
    return [
      `From: Mail Delivery System <${o.from ?? 'MAILER-DAEMON@mx.kund.example'}>`,
      `To: ${o.to ?? SE_MAILBOX}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.kund.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      ...(o.recipient === null
        ? []
        : ['--b1', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.kund.example', '', `Original-Recipient: rfc822;${o.recipient}`, `Final-Recipient: rfc822; ${o.recipient}`, 'Action: failed', 'Status: 5.1.1']),
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${SE_MAILBOX}`,
      `Message-ID: <${o.messageId}>`,
      '--b1--',
      '',
    ].join('\r\n');
  }

  it('a bounce marks our acknowledgement failed only when it is a delivery report for its recipient that came to the mailbox it left from', async () => {
    const contact = swedishContact();
    const email = contact.email as string;
    const i = intake();
    const created = await i.accept(SE, Buffer.from(customerMail({ from: email, to: SE_MAILBOX, subject: 'Fakturan', text: 'Hej' })), null);
    expect(created.kind).toBe('case');
    const caseId = created.kind === 'case' ? created.caseId : '';
    const out = store.db.prepare<[string], { id: string; message_id: string; event_id: string }>(`SELECT id, message_id, event_id FROM mail_messages WHERE case_id = ? AND direction = 'out'`).get(caseId);
    if (!out) throw new Error('no acknowledgement queued');
    const outbox = store.mail.outboxOfMail(out.id);
    // The relay took it.
    store.transaction(() => store.mail.claim(outbox?.id ?? ''));
    store.transaction(() => {
      store.mail.markSent(outbox?.id ?? '', new Date().toISOString());
      setMailStatus(store, out.event_id, { status: 'sent' });
    });
    const status = () => mailData(store.events.get(out.event_id)?.data ?? {})?.status;

    // Faked: a "bounce" quoting our Message-ID with no delivery-status part; one naming someone
    // else as the recipient; a real-looking one sent to the other office's mailbox.
    await i.accept(SE, Buffer.from(report({ messageId: out.message_id, recipient: null })), null);
    await i.accept(SE, Buffer.from(report({ messageId: out.message_id, recipient: 'someone.else@kund.example' })), null);
    await i.accept(FI, Buffer.from(report({ messageId: out.message_id, recipient: email, to: FI_MAILBOX })), null);
    expect(status()).toBe('sent');
    expect(store.mail.outboxRow(outbox?.id ?? '')?.state).toBe('sent');

    // The real one: failed, in the queue too.
    const real = await i.accept(SE, Buffer.from(report({ messageId: out.message_id, recipient: email.toUpperCase() })), null);
    expect(real).toMatchObject({ bounced: 1 });
    expect(status()).toBe('failed');
    expect(store.mail.outboxRow(outbox?.id ?? '')?.state).toBe('failed');
  });

  it('keeps the Cc of a received mail', async () => {
    const contact = swedishContact();
    const mail = customerMail({ from: contact.email as string, to: SE_MAILBOX, subject: 'Kopia', text: 'Hej', headers: { Cc: 'Chef <chef@kund.example>, ekonomi@kund.example' } });
    const outcome = await intake().accept(SE, Buffer.from(mail), null);
    const id = outcome.kind === 'case' ? outcome.caseId : '';
    const record = store.db.prepare<[string], { cc_address: string | null }>(`SELECT cc_address FROM mail_messages WHERE case_id = ? AND direction = 'in'`).get(id);
    expect(record?.cc_address).toBe('chef@kund.example, ekonomi@kund.example');
  });

  it('a message the intake fails on every time is set aside for review after three failures counted across restarts, with its raw bytes, and the mark moves on', async () => {
    const contact = swedishContact();
    const poison = Buffer.from(customerMail({ from: contact.email as string, to: SE_MAILBOX, subject: 'Giftigt', text: 'Hej' }));
    const mark: UidMark = { mailbox: `${SE_MAILBOX}/INBOX`, uidValidity: '7', uid: 42 };
    store.mail.setCursor(mark.mailbox, mark.uidValidity, 41);
    const boom = new Error('the parser died');
    // Each failure on a fresh intake: a restart in between forgets nothing.
    for (let n = 1; n < MAX_FAILURES; n++) {
      expect(intake().failed(SE, poison, mark, boom)).toMatchObject({ verdict: 'retry', failures: n });
      expect(store.mail.cursor(mark.mailbox)?.lastUid).toBe(41);
    }
    const last = intake().failed(SE, poison, mark, boom);
    expect(last).toMatchObject({ verdict: 'set_aside', failures: MAX_FAILURES, outcome: { kind: 'review', reason: 'unreadable' } });
    expect(store.mail.cursor(mark.mailbox)?.lastUid).toBe(42);
    const [item] = store.mail.openReview('SE', 10).filter((r) => r.item.subject === 'Giftigt');
    expect(item?.item).toMatchObject({ reason: 'unreadable', from: (contact.email as string).toLowerCase() });
    expect(item?.mail.rawHash).not.toBeNull();
    expect(existsSync(raw.pathOf(item?.mail.rawHash ?? ''))).toBe(true);
    // Its failures are forgotten once the mark has passed it.
    expect(store.db.prepare<[], number>('SELECT count(*) FROM mail_failures').pluck().get()).toBe(0);
  });
});
