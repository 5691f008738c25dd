/**
 * The mail channel end to end with real parts: Debian's Dovecot holds the office mailboxes, an
 * SMTP relay records what the server sends, and a real Desk server (SQLite file, HTTP) reads the
 * mailboxes, makes cases, answers and threads.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTES } from '../../../shared/api';
import type { Case, CaseEvent, Contact, Customer } from '../../../shared/contract';
import { caseNumbersInSubject, mailData } from '../../../shared/mail';
import { startTestServer, type TestServer } from '../../support/server';
import { api } from '../../support/http';
import { customerMail, FI_MAILBOX, SE_MAILBOX, startDovecot, startRelay, testMailSettings, type Dovecot, type Relay, type RelayedMail } from '../../support/mail';

interface Person {
  contact: Contact;
  customer: Customer;
}

const WAIT = { timeout: 30_000, interval: 50 };

describe('the mail channel with Dovecot and an SMTP relay', () => {
  let dovecot: Dovecot;
  let relay: Relay;
  let server: TestServer;
  let people: Person[];
  let used = 0;

  /** A contact with an address, of a customer of the office, not used by another test. */
  function person(country: 'SE' | 'FI', exceptCustomer?: string): Person {
    const found = people.find((p, i) => i >= used && p.customer.country === country && p.customer.id !== exceptCustomer && !p.contact.email?.includes('+'));
    if (!found) throw new Error('no such contact in the demo data');
    people.splice(people.indexOf(found), 1);
    used = 0;
    return found;
  }

  const casesFromMail = (contactId: string): Case[] => server.store.cases.byContact(contactId).filter((c) => c.channel === 'email');
  const mailEvents = (caseId: string): CaseEvent[] => server.store.events.forCase(caseId).filter((e) => e.kind === 'mail');
  const reviewOf = (from: string): Array<{ reason: string; case_number: number | null }> =>
    server.store.db
      .prepare<[string], { reason: string; case_number: number | null }>('SELECT r.reason, r.case_number FROM mail_review r JOIN mail_messages m ON m.id = r.mail_id WHERE m.from_address = ?')
      .all(from.toLowerCase());
  const relayedTo = (address: string): RelayedMail[] => relay.received.filter((r) => r.envelopeTo.includes(address));

  beforeAll(async () => {
    [dovecot, relay] = await Promise.all([startDovecot(), startRelay()]);
    // Polled once an hour: every mail below arrives through IMAP IDLE.
    server = await startTestServer({
      cases: 100,
      server: {
        mail: {
          settings: testMailSettings(dovecot, relay, { pollSeconds: 3600, maxBytes: 200_000 }),
          retry: { baseMs: 1_000, maxMs: 2_000, tries: 3 },
          reconnect: { baseMs: 100, maxMs: 1_000 },
        },
      },
    });
    people = server.store.db
      .prepare<[], { contact: string; customer: string }>(
        `SELECT json_object('id', co.id) AS contact, cu.id AS customer FROM contacts co JOIN customers cu ON cu.id = co.customer_id
         WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL ORDER BY co.id`,
      )
      .all()
      .map((row) => ({ contact: server.store.contacts.get((JSON.parse(row.contact) as { id: string }).id) as Contact, customer: server.store.customers.get(row.customer) as Customer }))
      // One contact per address: a shared address is the ambiguity test's business.
      .filter((p, _i, all) => all.filter((q) => q.contact.email?.toLowerCase() === p.contact.email?.toLowerCase()).length === 1);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await relay?.stop();
    await dovecot?.stop();
  });

  /** Delivers a customer's mail and waits for its auto-reply at the relay; answers the case it made. */
  async function newCaseByMail(p: Person, mailbox: string, subject: string, text: string): Promise<{ c: Case; reply: RelayedMail; messageId: string }> {
    const messageId = `${randomUUID()}@kund.example`;
    const email = p.contact.email as string;
    await dovecot.deliver(mailbox, customerMail({ from: `${p.contact.name} <${email}>`, to: mailbox, subject, text, messageId }));
    const reply = await relay.waitFor((r) => r.envelopeTo.includes(email.toLowerCase()) && r.mail.inReplyTo === `<${messageId}>`);
    const [c] = casesFromMail(p.contact.id);
    if (!c) throw new Error('no case from the mail');
    return { c, reply, messageId };
  }

  it('a Swedish customer mail becomes a case with a number, and the automatic reply carries it', async () => {
    const p = person('SE');
    const { c, reply } = await newCaseByMail(p, SE_MAILBOX, 'Lönekörningen stannar', 'Hej!\nLönekörningen stannar på steg 3.\nMvh');
    expect(c).toMatchObject({ channel: 'email', category: 'support', serviceLevel: null, status: 'new', contactId: p.contact.id, customerId: p.customer.id, title: 'Lönekörningen stannar' });
    expect(c.description).toContain('Lönekörningen stannar på steg 3.');
    const language = p.customer.language;
    expect(caseNumbersInSubject(reply.mail.subject ?? '')).toEqual([c.number]);
    expect(reply.mail.subject).toContain(language === 'fi' ? `[Tukipyyntö #${c.number}]` : `[Ärende #${c.number}]`);
    expect(reply.mail.text).toContain(String(c.number));
    expect(reply.mail.from?.value[0]?.address).toBe(SE_MAILBOX);
    expect(reply.mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(reply.mail.headers.get('x-desk-loop')).toBe(SE_MAILBOX);
    // The case's history: registered, the mail in, the automatic reply out (sent).
    const events = server.store.events.forCase(c.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'mail', 'mail']);
    const incoming = mailData(events[1]?.data ?? {});
    expect(incoming).toMatchObject({ direction: 'in', status: 'received', from: p.contact.email?.toLowerCase(), subject: 'Lönekörningen stannar' });
    expect(events[1]?.text).toContain('steg 3');
    await vi.waitFor(() => expect(mailData(server.store.events.forCase(c.id)[2]?.data ?? {})).toMatchObject({ direction: 'out', status: 'sent', auto: true }), WAIT);
    // Marked read on the IMAP server.
    await vi.waitFor(async () => expect([...(await dovecot.flags(SE_MAILBOX)).values()].every((f) => f.has('\\Seen'))).toBe(true), WAIT);
  });

  it('a Finnish customer mail becomes a case and the automatic reply is in Finnish', async () => {
    const p = person('FI');
    const { c, reply } = await newCaseByMail(p, FI_MAILBOX, 'Palkanlaskenta ei käynnisty', 'Hei, palkanlaskenta ei käynnisty.');
    expect(c.title).toBe('Palkanlaskenta ei käynnisty');
    expect(reply.mail.subject).toContain(`[Tukipyyntö #${c.number}]`);
    expect(reply.mail.text).toContain(`numero on ${c.number}`);
    expect(reply.mail.from?.value[0]?.address).toBe(FI_MAILBOX);
  });

  it("the customer's answer threads back onto the case: by the subject's tag and by In-Reply-To", async () => {
    const p = person('SE');
    const { c, reply } = await newCaseByMail(p, SE_MAILBOX, 'Fakturan saknar moms', 'Fakturan saknar moms.');
    const email = p.contact.email as string;
    // By the tag only (a new mail program, no references).
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: `Re: Fakturan saknar moms [Ärende #${c.number}]`, text: 'Här är en skärmbild.' }));
    await vi.waitFor(() => expect(mailEvents(c.id).filter((e) => mailData(e.data)?.direction === 'in')).toHaveLength(2), WAIT);
    // By In-Reply-To only (the subject lost its tag).
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Fakturan', text: 'Och en till.', inReplyTo: reply.mail.messageId?.replace(/^<|>$/g, '') ?? '' }));
    await vi.waitFor(() => expect(mailEvents(c.id).filter((e) => mailData(e.data)?.direction === 'in')).toHaveLength(3), WAIT);
    expect(casesFromMail(p.contact.id)).toHaveLength(1);
    const updated = server.store.cases.get(c.id);
    expect(updated?.version).toBeGreaterThan(c.version);
    // Threads are not acknowledged again.
    expect(relayedTo(email.toLowerCase())).toHaveLength(1);
  });

  it("a forged In-Reply-To naming another customer's case goes to review and leaves that case untouched", async () => {
    const victim = person('SE');
    const { c, reply } = await newCaseByMail(victim, SE_MAILBOX, 'Hemligt ärende', 'Detta är vårt ärende.');
    const before = server.store.events.forCase(c.id).length;
    const forger = person('SE', victim.customer.id);
    const forgerEmail = forger.contact.email as string;
    await dovecot.deliver(
      SE_MAILBOX,
      customerMail({ from: forgerEmail, to: SE_MAILBOX, subject: `Re: Hemligt ärende [Ärende #${c.number}]`, text: 'Släpp in mig.', inReplyTo: reply.mail.messageId?.replace(/^<|>$/g, '') ?? '' }),
    );
    await vi.waitFor(() => expect(reviewOf(forgerEmail)).toEqual([{ reason: 'foreign_thread', case_number: c.number }]), WAIT);
    expect(server.store.events.forCase(c.id)).toHaveLength(before);
    expect(server.store.cases.get(c.id)?.version).toBe(server.store.cases.get(c.id)?.version);
    expect(casesFromMail(forger.contact.id)).toHaveLength(0);
    expect(relayedTo(forgerEmail.toLowerCase())).toHaveLength(0);
  });

  it("an outsider's mail made to look machine-made, in reply to the customer's own mail, goes to review and not onto the case", async () => {
    const customer = person('SE');
    const { c, messageId } = await newCaseByMail(customer, SE_MAILBOX, 'Leverantörens faktura', 'Vi har fått fel faktura (kopia till leverantören).');
    const before = server.store.events.forCase(c.id).length;
    const outsider = `leverantor.${randomUUID().slice(0, 8)}@leverantor.example`;
    // The supplier, CC'd by the customer, answers the customer's mail with a list header.
    await dovecot.deliver(
      SE_MAILBOX,
      customerMail({ from: outsider, to: SE_MAILBOX, subject: 'Re: Leverantörens faktura', text: 'Här är vår version.', inReplyTo: messageId, headers: { Precedence: 'bulk' } }),
    );
    await vi.waitFor(() => expect(reviewOf(outsider)).toEqual([{ reason: 'automatic', case_number: c.number }]), WAIT);
    expect(server.store.events.forCase(c.id)).toHaveLength(before);
    expect(relayedTo(outsider)).toHaveLength(0);
  });

  it('auto-replies and bounces are never answered, and two auto-responders stop', async () => {
    const p = person('SE');
    const email = p.contact.email as string;
    const { c, reply } = await newCaseByMail(p, SE_MAILBOX, 'Inloggning', 'Jag kommer inte in.');
    const ourId = reply.mail.messageId?.replace(/^<|>$/g, '') ?? '';
    // Their out-of-office answers our acknowledgement: threaded, marked automatic, not answered.
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: `Frånvaro: Re: Inloggning [Ärende #${c.number}]`, text: 'Jag är på semester.', inReplyTo: ourId, headers: { 'Auto-Submitted': 'auto-replied' } }));
    await vi.waitFor(() => expect(mailEvents(c.id).some((e) => mailData(e.data)?.autoKind === 'auto_reply')).toBe(true), WAIT);
    // An auto-responder that says nothing of itself and writes a new mail each time: at most three answers an hour.
    for (let i = 0; i < 5; i++) {
      await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: `Tack för ditt mejl (${i})`, text: 'Vi har tagit emot ditt mejl.' }));
    }
    await vi.waitFor(() => expect(casesFromMail(p.contact.id)).toHaveLength(6), WAIT);
    await server.store.db.prepare('SELECT 1').get();
    await vi.waitFor(() => expect(server.store.db.prepare<[string], number>(`SELECT count(*) FROM mail_outbox WHERE to_address = ? AND state = 'sent'`).pluck().get(email.toLowerCase())).toBe(3), WAIT);
    expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM mail_outbox WHERE to_address = ?').pluck().get(email.toLowerCase())).toBe(3);
    // A list mail about no case: review 'automatic', no answer.
    const lister = person('SE');
    const listerEmail = lister.contact.email as string;
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: listerEmail, to: SE_MAILBOX, subject: 'Nyhetsbrev', text: 'Nyheter', headers: { 'List-Id': '<news.kund.example>', Precedence: 'bulk' } }));
    await vi.waitFor(() => expect(reviewOf(listerEmail)).toEqual([{ reason: 'automatic', case_number: null }]), WAIT);
    // A bounce of our acknowledgement: that mail is marked failed, nothing is sent.
    const bounce = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.kund.example>',
      `To: ${SE_MAILBOX}`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <${randomUUID()}@mx.kund.example>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'The mail could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.kund.example',
      '',
      `Final-Recipient: rfc822; ${email}`,
      'Action: failed',
      'Status: 5.1.1',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `From: ${SE_MAILBOX}`,
      `Message-ID: <${ourId}>`,
      `Subject: ${reply.mail.subject ?? ''}`,
      '--b1--',
      '',
    ].join('\r\n');
    const sentBefore = relay.received.length;
    await dovecot.deliver(SE_MAILBOX, bounce);
    await vi.waitFor(() => expect(mailData(mailEvents(c.id).find((e) => mailData(e.data)?.auto === true && mailData(e.data)?.direction === 'out')?.data ?? {})?.status).toBe('failed'), WAIT);
    expect(relay.received.length).toBe(sentBefore);
  });

  it('malformed MIME, a mail without a sender and a mail over the size limit go to review as unreadable', async () => {
    const noSender = `Subject: Vem är jag\r\nTo: ${SE_MAILBOX}\r\nMessage-ID: <${randomUUID()}@nowhere>\r\n\r\nIngen avsändare.\r\n`;
    const p = person('SE');
    const email = p.contact.email as string;
    const huge = customerMail({ from: email, to: SE_MAILBOX, subject: 'Stor bilaga', text: 'x'.repeat(300_000) });
    const broken = [`From: ${email}`, `To: ${SE_MAILBOX}`, 'Subject: Trasig', `Message-ID: <${randomUUID()}@kund.example>`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="never"', '', '--never', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', '', '!!!not base64@@@', ''].join('\r\n');
    const count = (): number => server.store.db.prepare<[], number>(`SELECT count(*) FROM mail_review WHERE reason = 'unreadable'`).pluck().get() ?? 0;
    const start = count();
    await dovecot.deliver(SE_MAILBOX, noSender);
    await dovecot.deliver(SE_MAILBOX, huge);
    await vi.waitFor(() => expect(count()).toBe(start + 2), WAIT);
    const bigOne = server.store.db.prepare<[string], { size: number; text: string }>(`SELECT size, text FROM mail_messages WHERE subject = ?`).get('Stor bilaga');
    expect(bigOne?.size).toBeGreaterThan(200_000);
    expect(bigOne?.text).toBe('');
    // Broken MIME is read as far as it goes: it still becomes the customer's case, nothing is lost.
    await dovecot.deliver(SE_MAILBOX, broken);
    await vi.waitFor(() => expect(server.store.db.prepare<[string], number>('SELECT count(*) FROM mail_messages WHERE subject = ?').pluck().get('Trasig')).toBe(1), WAIT);
    expect(relayedTo(email.toLowerCase()).some((r) => r.mail.subject?.includes('Stor bilaga'))).toBe(false);
  });

  it('a reply pushed from a desk reaches the relay with the case tag, threaded, and its event moves to sent', async () => {
    const p = person('SE');
    const email = p.contact.email as string;
    const { c, messageId } = await newCaseByMail(p, SE_MAILBOX, 'Attest fungerar inte', 'Attestflödet stannar.');
    const token = await server.login(server.specialistEmails[0]);
    const eventId = randomUUID();
    const pushed = await api(server, token).post(ROUTES.push, {
      mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'sendReply', args: { caseId: c.id, eventId, text: 'Prova att starta om attestflödet.', quote: true } }],
    });
    expect(pushed.body.results[0]?.status).toBe('applied');
    const sent = await relay.waitFor((r) => r.envelopeTo.includes(email.toLowerCase()) && (r.mail.text ?? '').includes('starta om'));
    const language = p.customer.language;
    expect(sent.mail.subject).toContain(language === 'fi' ? `[Tukipyyntö #${c.number}]` : `[Ärende #${c.number}]`);
    expect(sent.mail.inReplyTo).toBe(`<${messageId}>`);
    expect(sent.mail.text).toContain('> Attestflödet stannar.');
    expect(sent.mail.headers.get('auto-submitted')).toBeUndefined();
    await vi.waitFor(() => expect(mailData(server.store.events.get(eventId)?.data ?? {})).toMatchObject({ status: 'sent', direction: 'out', to: email.toLowerCase() }), WAIT);
    // The event's move to 'sent' is in the change feed again.
    const seqs = server.store.db.prepare<[string], number>(`SELECT count(*) FROM change_log WHERE entity = 'events' AND entity_id = ?`).pluck().get(eventId);
    expect(seqs).toBeGreaterThanOrEqual(2);
  });

  it('a reply to a case without a contact address is refused, naming the case', async () => {
    // A case whose contact is gone from it (the specialist cleared the field).
    const c = server.store.db.prepare<[], string>(`SELECT id FROM cases WHERE channel <> 'email' ORDER BY number LIMIT 1`).pluck().get() ?? '';
    server.store.db.prepare('UPDATE cases SET contact_id = NULL WHERE id = ?').run(c);
    const token = await server.login(server.specialistEmails[0]);
    const pushed = await api(server, token).post(ROUTES.push, {
      mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'sendReply', args: { caseId: c, eventId: randomUUID(), text: 'Hej' } }],
    });
    expect(pushed.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'no_recipient', field: 'args.caseId' } });
  });

  it('the outgoing queue retries a temporary refusal and gives up at once on a permanent one', async () => {
    const p = person('SE');
    const email = p.contact.email as string;
    relay.refuse({ code: 451, message: 'try again later' });
    const messageId = `${randomUUID()}@kund.example`;
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: email, to: SE_MAILBOX, subject: 'Kö 1', text: 'Hej', messageId }));
    const row = (): { state: string; attempts: number; error: string | null } | undefined =>
      server.store.db.prepare<[string], { state: string; attempts: number; error: string | null }>('SELECT state, attempts, error FROM mail_outbox WHERE to_address = ?').get(email.toLowerCase());
    // The refusal is recorded and the row waits for its next try.
    await vi.waitFor(() => expect(row()).toMatchObject({ state: 'queued', attempts: 1, error: expect.stringContaining('try again later') }), WAIT);
    relay.refuse(null);
    await relay.waitFor((r) => r.mail.inReplyTo === `<${messageId}>`);
    await vi.waitFor(() => expect(row()).toMatchObject({ state: 'sent' }), WAIT);
    expect(row()?.attempts).toBeGreaterThanOrEqual(2);

    const q = person('SE');
    const qEmail = q.contact.email as string;
    relay.refuse({ code: 550, message: 'no such user' });
    await dovecot.deliver(SE_MAILBOX, customerMail({ from: qEmail, to: SE_MAILBOX, subject: 'Kö 2', text: 'Hej' }));
    const failed = (): { state: string; attempts: number; error: string | null } | undefined =>
      server.store.db.prepare<[string], { state: string; attempts: number; error: string | null }>('SELECT state, attempts, error FROM mail_outbox WHERE to_address = ?').get(qEmail.toLowerCase());
    await vi.waitFor(() => expect(failed()).toMatchObject({ state: 'failed', attempts: 1 }), WAIT);
    expect(failed()?.error).toContain('no such user');
    relay.refuse(null);
    const [c] = casesFromMail(q.contact.id);
    const out = mailEvents(c?.id ?? '').map((e) => mailData(e.data)).find((d) => d?.direction === 'out');
    expect(out).toMatchObject({ status: 'failed' });
    expect(out?.error).toContain('no such user');
  });
});

describe('replies on a server without the mail channel', () => {
  it('are refused as not configured, naming the case, and nothing is queued', async () => {
    const server = await startTestServer({ cases: 20 });
    try {
      const c = server.store.db.prepare<[], string>(`SELECT c.id FROM cases c JOIN contacts co ON co.id = c.contact_id WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL LIMIT 1`).pluck().get() ?? '';
      const token = await server.login(server.specialistEmails[0]);
      const eventId = randomUUID();
      const pushed = await api(server, token).post(ROUTES.push, {
        mutations: [{ clientId: randomUUID(), mutationId: 1, name: 'sendReply', args: { caseId: c, eventId, text: 'Hej' } }],
      });
      expect(pushed.body.results[0]).toMatchObject({ status: 'rejected', error: { code: 'mail_not_configured', field: 'args.caseId' } });
      expect(server.store.events.get(eventId)).toBeNull();
      expect(server.store.db.prepare<[], number>('SELECT count(*) FROM mail_outbox').pluck().get()).toBe(0);
      // The review list of a server without mail is empty, not an error.
      expect((await api(server, token).get(`${ROUTES.mailReview}?office=FI`)).body).toEqual({ items: [] });
    } finally {
      await server.close();
    }
  });
});
