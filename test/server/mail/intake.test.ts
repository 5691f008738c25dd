/**
 * The intake's promises with real parts (Dovecot, an SMTP relay, a Desk server on a SQLite file):
 * exactly once across a failure in the middle of a fetch and across a restart that lost the
 * mailbox's UID mark; a closed case reopened or not; the attachments hook; the review list's
 * "create the contact" that turns an unknown sender's mail into a case.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Contact, Customer } from '../../../shared/contract';
import { mailData } from '../../../shared/mail';
import { startServer, type RunningServer, type StartServerOptions } from '../../../server/http/app';
import { DEMO_PASSWORD, seedDemoData } from '../../../server/demo/seed';
import { dataFile, openStore } from '../../../server/store/store';
import { api, login } from '../../support/http';
import { connectLive } from '../../support/live';
import { customerMail, SE_MAILBOX, startDovecot, startRelay, testMailSettings, type Dovecot, type Relay } from '../../support/mail';

const WAIT = { timeout: 30_000, interval: 50 };

describe('the mail intake, exactly once and into the right place', () => {
  let dovecot: Dovecot;
  let relay: Relay;
  let dir: string;
  let server: RunningServer | null = null;
  let people: Array<{ contact: Contact; customer: Customer }> = [];

  async function start(extra: Partial<NonNullable<StartServerOptions['mail']>> = {}): Promise<RunningServer> {
    const store = openStore(dataFile(dir));
    if (store.isEmpty()) await seedDemoData(store, { cases: 20, seed: 7 });
    server = await startServer({
      store,
      host: '127.0.0.1',
      port: 0,
      mail: { settings: testMailSettings(dovecot, relay, { pollSeconds: 2 }), reconnect: { baseMs: 100, maxMs: 500 }, ...extra },
    });
    return server;
  }

  function person(): { contact: Contact; customer: Customer } {
    const p = people.shift();
    if (!p) throw new Error('out of contacts');
    return p;
  }

  const casesOf = (s: RunningServer, contactId: string) => s.store.cases.byContact(contactId).filter((c) => c.channel === 'email');

  beforeAll(async () => {
    [dovecot, relay] = await Promise.all([startDovecot(), startRelay()]);
    dir = mkdtempSync(join(tmpdir(), 'desk-mail-intake-'));
    const s = await start();
    people = s.store.db
      .prepare<[], { id: string; customer_id: string }>(
        `SELECT co.id, co.customer_id FROM contacts co JOIN customers cu ON cu.id = co.customer_id
         WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL AND cu.country = 'SE'
           AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1 ORDER BY co.id`,
      )
      .all()
      .map((r) => ({ contact: s.store.contacts.get(r.id) as Contact, customer: s.store.customers.get(r.customer_id) as Customer }));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await relay?.stop();
    await dovecot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a failure in the middle of a fetch re-reads from the last committed UID and creates nothing twice', async () => {
    await server?.close();
    const p = person();
    const email = p.contact.email as string;
    let failures = 0;
    const seen: string[] = [];
    const s = await start();
    // The second message's processing dies before its commit, once (a crash mid-fetch): the
    // attachment store fails while the message's files are written, before its transaction.
    const files = s.store.attachments;
    const prepare = files.prepare.bind(files);
    vi.spyOn(files, 'prepare').mockImplementation(async (bytes, name, declared) => {
      seen.push(name);
      if (name === 'two.txt' && failures++ === 0) throw new Error('crash before the commit');
      return prepare(bytes, name, declared);
    });
    const withFile = (n: string): string =>
      [
        `From: ${email}`,
        `To: ${SE_MAILBOX}`,
        `Subject: Fel nummer ${n}`,
        `Message-ID: <${randomUUID()}@kund.example>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Fel ${n}`,
        '--b',
        `Content-Type: text/plain; name="${n}.txt"`,
        `Content-Disposition: attachment; filename="${n}.txt"`,
        '',
        `bilaga ${n}`,
        '--b--',
        '',
      ].join('\r\n');
    for (const n of ['one', 'two', 'three']) await dovecot.deliver(SE_MAILBOX, withFile(n));
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(3), WAIT);
    // The failed message was offered again after the reconnect; the first was not.
    expect(seen.filter((n) => n === 'one.txt')).toHaveLength(1);
    expect(seen.filter((n) => n === 'two.txt')).toHaveLength(2);
    await vi.waitFor(() => expect(relay.received.filter((r) => r.envelopeTo.includes(email.toLowerCase()))).toHaveLength(3), WAIT);
    expect(new Set(casesOf(s, p.contact.id).map((c) => c.title))).toEqual(new Set(['Fel nummer one', 'Fel nummer two', 'Fel nummer three']));
  });

  it('a message the intake fails on every time is set aside for review, and the mailbox goes on with the next one', async () => {
    await server?.close();
    const p = person();
    const email = p.contact.email as string;
    const s = await start();
    const files = s.store.attachments;
    const prepare = files.prepare.bind(files);
    let tries = 0;
    vi.spyOn(files, 'prepare').mockImplementation(async (bytes, name, declared) => {
      if (name === 'gift.txt') {
        tries += 1;
        throw new Error('this file kills the intake every time');
      }
      return prepare(bytes, name, declared);
    });
    const poison = [
      `From: ${email}`,
      `To: ${SE_MAILBOX}`,
      'Subject: Giftigt',
      `Message-ID: <${randomUUID()}@kund.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hej',
      '--b',
      'Content-Type: text/plain; name="gift.txt"',
      'Content-Disposition: attachment; filename="gift.txt"',
      '',
      'gift',
      '--b--',
      '',
    ].join('\r\n');
    await dovecot.deliver(SE_MAILBOX, poison);
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Efter giftet', text: 'Hej igen' }));
    await vi.waitFor(() => expect(casesOf(s, p.contact.id).map((c) => c.title)).toEqual(['Efter giftet']), WAIT);
    expect(tries).toBe(3);
    const item = s.store.mail.openReview('SE', 500).find((r) => r.item.subject === 'Giftigt');
    expect(item?.item.reason).toBe('unreadable');
    expect(item?.mail.rawHash).not.toBeNull();
    expect(readFileSync(join(dir, 'mail', (item?.mail.rawHash ?? '').slice(0, 2), item?.mail.rawHash ?? ''), 'latin1')).toContain('gift.txt');
    vi.restoreAllMocks();
  });

  it('a restart that lost the UID mark reads the mailbox again and creates nothing twice', async () => {
    const p = person();
    const email = p.contact.email as string;
    let s = server as RunningServer;
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Före omstart', text: 'Ett' }));
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(1), WAIT);
    const messagesBefore = s.store.db.prepare<[], number>('SELECT count(*) FROM mail_messages').pluck().get() ?? 0;
    const casesBefore = s.store.cases.count();
    const relayedBefore = relay.received.length;
    await s.close();
    server = null;
    // Mail arrives while the server is down; the restart finds a mailbox renumbered (UIDVALIDITY changed).
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Under omstart', text: 'Två' }));
    const store = openStore(dataFile(dir));
    store.db.prepare(`UPDATE mail_cursors SET uid_validity = 'renumbered', last_uid = 0`).run();
    store.close();
    s = await start();
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(2), WAIT);
    await vi.waitFor(() => expect(relay.received.length).toBe(relayedBefore + 1), WAIT);
    expect(s.store.cases.count()).toBe(casesBefore + 1);
    expect((s.store.db.prepare<[], number>('SELECT count(*) FROM mail_messages').pluck().get() ?? 0) - messagesBefore).toBe(2);
  });

  it('keeps a mail\'s attachments in the attachment store, on the case event the mail became and as the sender\'s', async () => {
    await server?.close();
    const s = await start();
    const p = person();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const raw = [
      `From: ${p.contact.email}`,
      `To: ${SE_MAILBOX}`,
      'Subject: Skärmbild',
      `Message-ID: <${randomUUID()}@kund.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Se bild.',
      '--b',
      'Content-Type: image/png; name="bild.png"',
      'Content-Disposition: attachment; filename="bild.png"',
      'Content-Transfer-Encoding: base64',
      '',
      png.toString('base64'),
      '--b',
      'Content-Type: application/pdf; name="faktura.pdf"',
      'Content-Disposition: attachment; filename="faktura.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 test').toString('base64'),
      '--b--',
      '',
    ].join('\r\n');
    await dovecot.deliver(SE_MAILBOX, raw);
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(1), WAIT);
    const [c] = casesOf(s, p.contact.id);
    const mailEvent = s.store.events.forCase(c?.id ?? '').find((e) => e.kind === 'mail' && mailData(e.data)?.direction === 'in');
    const stored = s.store.attachments.forEvent(mailEvent?.id ?? '');
    expect(stored.map((f) => [f.name, f.contentType, f.caseId, f.contactId])).toEqual([
      ['bild.png', 'image/png', c?.id, p.contact.id],
      ['faktura.pdf', 'application/pdf', c?.id, p.contact.id],
    ]);
    expect(readFileSync(s.store.attachments.blobPath(stored[0]?.sha256 ?? '')).equals(png)).toBe(true);
    // On the case's files as a desk gets them, in the feed.
    expect(s.store.attachments.ofCase(c?.id ?? '').map((f) => f.name)).toEqual(['bild.png', 'faktura.pdf']);
    expect(mailData(mailEvent?.data ?? {})?.attachments).toBe(2);
  });

  it('wakes a case closed days ago one step back, and makes a new case of one closed long ago', async () => {
    const s = server as RunningServer;
    const p = person();
    const email = p.contact.email as string;
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Stängt nyss', text: 'Första' }));
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(1), WAIT);
    const [recent] = casesOf(s, p.contact.id);
    const close = (id: string, daysAgo: number): void => {
      s.store.db.prepare(`UPDATE cases SET status = 'closed', resolved_at = ? WHERE id = ?`).run(new Date(Date.now() - daysAgo * 86_400_000).toISOString(), id);
    };
    close(recent?.id ?? '', 3);
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: `Re: Stängt nyss [Ärende #${recent?.number}]`, text: 'Det hjälpte inte.' }));
    await vi.waitFor(() => expect(s.store.cases.get(recent?.id ?? '')?.status).toBe('line3'), WAIT);
    const status = s.store.events.forCase(recent?.id ?? '').filter((e) => e.kind === 'status');
    expect(status.at(-1)).toMatchObject({ actorId: null, data: { from: 'closed', to: 'line3' } });
    expect(s.store.cases.get(recent?.id ?? '')?.resolvedAt).toBeNull();

    close(recent?.id ?? '', 40);
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: `Re: Stängt nyss [Ärende #${recent?.number}]`, text: 'Samma fel igen.' }));
    await vi.waitFor(() => expect(casesOf(s, p.contact.id)).toHaveLength(2), WAIT);
    expect(s.store.cases.get(recent?.id ?? '')?.status).toBe('closed');
  });

  it('an unknown sender waits in the review list; creating the contact makes the case and acknowledges it', async () => {
    const s = server as RunningServer;
    const seedLead = s.store.db.prepare<[], string>(`SELECT email FROM specialists WHERE office = 'SE' AND role = 'specialist' ORDER BY email LIMIT 1`).pluck().get() ?? '';
    const token = await login(s.url, seedLead, DEMO_PASSWORD);
    const live = await connectLive(s.url, token);
    try {
      const stranger = `okand.${randomUUID().slice(0, 8)}@nyfirma.example`;
      await dovecot.deliver(SE_MAILBOX, customerMail({ from: `Okänd Person <${stranger}>`, to: SE_MAILBOX, subject: 'Vill bli kund', text: 'Hej, vi har frågor.' }));
      await live.until(() => live.of('mailReview').some((m) => m.office === 'SE' && m.count > 0));
      const desk = api({ url: s.url }, token);
      const list = await desk.get(`${ROUTES.mailReview}?office=SE`);
      const item = (list.body.items as Array<{ id: string; from: string; reason: string; excerpt: string }>).find((i) => i.from === stranger);
      expect(item).toMatchObject({ reason: 'unknown_sender', excerpt: 'Hej, vi har frågor.' });
      expect(relay.received.some((r) => r.envelopeTo.includes(stranger))).toBe(false);
      const customer = people[0]?.customer as Customer;
      const created = await desk.post(ROUTES.mailReviewContact(item?.id ?? ''), { customerId: customer.id, name: 'Okänd Person' });
      expect(created.status).toBe(200);
      const c = s.store.cases.get(created.body.caseId as string);
      expect(c).toMatchObject({ number: created.body.caseNumber, customerId: customer.id, channel: 'email', title: 'Vill bli kund' });
      expect(s.store.contacts.get(c?.contactId ?? '')).toMatchObject({ email: stranger, name: 'Okänd Person', customerId: customer.id });
      const ack = await relay.waitFor((r) => r.envelopeTo.includes(stranger));
      expect(ack.mail.subject).toContain(`#${c?.number}]`);
      // Handled once: a second attempt is refused and the list is empty of it.
      expect((await desk.post(ROUTES.mailReviewDismiss(item?.id ?? ''))).status).toBe(409);
      const after = await desk.get(`${ROUTES.mailReview}?office=SE`);
      expect((after.body.items as Array<{ id: string }>).some((i) => i.id === item?.id)).toBe(false);
      // The HTML route answers JSON for a mail with HTML and 404 for one without.
      const mailEvent = s.store.events.forCase(c?.id ?? '').find((e) => e.kind === 'mail');
      expect((await desk.get(ROUTES.mailHtml(mailEvent?.id ?? ''))).body).toMatchObject({ error: { code: 'no_html' } });
    } finally {
      live.close();
    }
  });
});
