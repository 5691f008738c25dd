import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { seedMail } from '../../support/mail';
import { anonymiseContact, sweepAnonymised } from '../../../server/store/anonymise';
import { RawMailStore } from '../../../server/mail/raw-store';
import type { Contact } from '../../../shared/contract';

describe('the mail tables', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-mail-store-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 5, seed: 3 });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("forgets a person's address in stored mail and its events, and stops mail still waiting for them", () => {
    const c = store.db.prepare<[], { id: string }>('SELECT id FROM cases LIMIT 1').get();
    const address = 'Anna.Person@Kund.example';
    const onCase = seedMail(store, { from: address, subject: 'Hej', caseId: c?.id ?? '' });
    const other = seedMail(store, { from: 'someone.else@kund.example', subject: 'Hej', caseId: c?.id ?? '' });
    seedMail(store, { from: address, subject: 'Okänd' });
    store.db.prepare(`INSERT INTO mail_outbox (id, mail_id, auto, from_address, to_address, subject, text, message_id, state, next_at, created_at)
      VALUES ('o1', ?, 1, 'support@softone.se', 'anna.person@kund.example', 's', 't', 'm@x', 'queued', '2026-01-01', '2026-01-01')`).run(onCase.mailId);
    const changed = store.mail.forgetAddress('anna.person@kund.example');
    expect(changed).toEqual({ events: [onCase.eventId], mails: expect.arrayContaining([onCase.mailId]) as unknown });
    expect(changed.mails).toHaveLength(2);
    expect(store.events.get(onCase.eventId ?? '')?.data).toMatchObject({ from: null, fromName: null });
    expect(store.events.get(other.eventId ?? '')?.data).toMatchObject({ from: 'someone.else@kund.example' });
    expect(store.db.prepare<[], number>(`SELECT count(*) FROM mail_messages WHERE from_address LIKE 'anna%'`).pluck().get()).toBe(0);
    expect(store.mail.outboxRow('o1')).toMatchObject({ state: 'failed', toAddress: '' });
  });

  it("anonymising a contact forgets their address and their mail's own copy of its text, and the feed carries the changed events", () => {
    const contact = store.db.prepare<[], { id: string; email: string; caseId: string }>(
      `SELECT co.id, co.email, c.id AS caseId FROM contacts co JOIN cases c ON c.contact_id = co.id WHERE co.email IS NOT NULL LIMIT 1`,
    ).get();
    if (!contact) throw new Error('the seed has no contact with an address and a case');
    const mail = seedMail(store, { from: contact.email, subject: 'Fakturan', text: `Hej, det är jag.\n${contact.email}`, html: '<p>Hej</p>', caseId: contact.caseId });
    const before = store.changes.latestSeq();
    store.transaction(() => anonymiseContact(store, store.contacts.get(contact.id) as Contact, new Date()));
    expect(store.events.get(mail.eventId ?? '')?.data).toMatchObject({ from: null });
    expect(store.events.get(mail.eventId ?? '')?.text).not.toContain(contact.email);
    expect(store.mail.message(mail.mailId)).toMatchObject({ fromAddress: null, text: '', html: null });
    expect(store.changes.after(before, 1000).filter(([, entity, id]) => entity === 'events' && id === mail.eventId)).not.toHaveLength(0);
  });

  it("anonymising deletes the raw sources of the person's mail and the files of their mail waiting in review, once nothing else names them", async () => {
    const contact = store.db.prepare<[], { id: string; email: string }>(
      `SELECT co.id, co.email FROM contacts co WHERE co.email IS NOT NULL AND (SELECT count(*) FROM contacts o WHERE o.email = co.email) = 1 LIMIT 1`,
    ).get();
    if (!contact) throw new Error('the seed has no contact with an address of their own');
    const raw = new RawMailStore(join(dir, 'mail'));
    const mine = raw.put(Buffer.from(`From: ${contact.email}\r\nSubject: Hej\r\n\r\nMitt personnummer är 19800101-1234\r\n`));
    const theirs = raw.put(Buffer.from('From: someone.else@kund.example\r\nSubject: Hej\r\n\r\nNågot annat\r\n'));
    const review = seedMail(store, { from: contact.email, subject: 'Till granskning' });
    const other = seedMail(store, { from: 'someone.else@kund.example', subject: 'Annat' });
    store.db.prepare('UPDATE mail_messages SET raw_hash = ? WHERE id = ?').run(mine, review.mailId);
    store.db.prepare('UPDATE mail_messages SET raw_hash = ? WHERE id = ?').run(theirs, other.mailId);
    const file = await store.attachments.prepare(Buffer.from('kvitto från mig'), 'kvitto.txt', 'text/plain');
    store.transaction(() => store.attachments.insert(file, { mailId: review.mailId, caseId: null, eventId: null, contactId: null, createdAt: new Date().toISOString() }));
    const outcome = store.transaction(() => anonymiseContact(store, store.contacts.get(contact.id) as Contact, new Date()));
    sweepAnonymised(store, outcome);
    expect(existsSync(raw.pathOf(mine))).toBe(false);
    expect(existsSync(raw.pathOf(theirs))).toBe(true);
    expect(store.db.prepare<[string], number>('SELECT count(*) FROM attachments WHERE mail_id = ?').pluck().get(review.mailId)).toBe(0);
    expect(existsSync(store.attachments.blobPath(file.sha256))).toBe(false);
  });

  it("anonymising takes the person's address out of other people's mail too: multi-recipient To and Cc, the text, the events' recipients, and those mails' raw sources", () => {
    const contact = store.db.prepare<[], { id: string; email: string; caseId: string }>(
      `SELECT co.id, co.email, c.id AS caseId FROM contacts co JOIN cases c ON c.contact_id = co.id
       WHERE co.email IS NOT NULL AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1 LIMIT 1`,
    ).get();
    if (!contact) throw new Error('the seed has no contact with an address of their own and a case');
    const email = contact.email;
    const raw = new RawMailStore(join(dir, 'mail'));
    const namingHash = raw.put(Buffer.from(`From: chef@kund.example\r\nTo: support@softone.se, ${email}\r\n\r\nHej\r\n`));
    const ccHash = raw.put(Buffer.from(`From: kollega@kund.example\r\nCc: ${email}\r\n\r\nHej\r\n`));
    const textHash = raw.put(Buffer.from(`From: annan@kund.example\r\n\r\nSkriv till ${email.toUpperCase()}\r\n`));
    const unrelatedHash = raw.put(Buffer.from('From: annan@kund.example\r\n\r\nInget om någon\r\n'));
    const inTo = seedMail(store, { from: 'chef@kund.example', to: `support@softone.se, ${email.toUpperCase()}, ekonomi@kund.example`, subject: 'Till flera', caseId: contact.caseId, rawHash: namingHash });
    const inCc = seedMail(store, { from: 'kollega@kund.example', cc: `${email}, ekonomi@kund.example`, subject: 'Kopia', rawHash: ccHash });
    const inText = seedMail(store, { from: 'annan@kund.example', subject: 'Om någon', text: `Skriv till ${email.toUpperCase()} direkt`, html: `<p>${email}</p>`, rawHash: textHash });
    const unrelated = seedMail(store, { from: 'annan@kund.example', subject: 'Annat', text: 'Inget om någon', rawHash: unrelatedHash });
    store.db.prepare(`INSERT INTO mail_outbox (id, mail_id, auto, from_address, to_address, subject, text, message_id, state, next_at, created_at)
      VALUES ('o2', ?, 0, 'support@softone.se', 'chef@kund.example', 's', ?, 'm2@x', 'sent', '2026-01-01', '2026-01-01')`).run(inTo.mailId, `Vi har svarat ${email}`);
    const before = store.changes.latestSeq();
    const outcome = store.transaction(() => anonymiseContact(store, store.contacts.get(contact.id) as Contact, new Date()));
    sweepAnonymised(store, outcome);
    expect(store.mail.outboxRow('o2')?.text).not.toContain(email);
    const record = (id: string) => store.mail.message(id);
    expect(record(inTo.mailId)).toMatchObject({ toAddress: 'support@softone.se, ekonomi@kund.example', rawHash: null });
    expect(record(inCc.mailId)).toMatchObject({ ccAddress: 'ekonomi@kund.example', rawHash: null });
    expect(record(inText.mailId)?.text).not.toMatch(new RegExp(email.replace(/[.+]/g, '\\$&'), 'i'));
    expect(record(inText.mailId)?.html).not.toContain(email);
    expect(record(unrelated.mailId)).toMatchObject({ rawHash: unrelatedHash, text: 'Inget om någon' });
    // The event of the mail to several: the others stay, the person goes; desks hear of it.
    expect(store.events.get(inTo.eventId ?? '')?.data).toMatchObject({ to: 'support@softone.se, ekonomi@kund.example' });
    expect(store.changes.after(before, 1000).some(([, entity, id]) => entity === 'events' && id === inTo.eventId)).toBe(true);
    for (const hash of [namingHash, ccHash, textHash]) expect(existsSync(raw.pathOf(hash))).toBe(false);
    expect(existsSync(raw.pathOf(unrelatedHash))).toBe(true);
    const left = store.db.prepare<[string], number>(
      `SELECT count(*) FROM mail_messages WHERE instr(lower(coalesce(to_address, '') || coalesce(cc_address, '') || subject || text || coalesce(html, '')), ?) > 0`,
    ).pluck().get(email.toLowerCase());
    expect(left).toBe(0);
  });

  it('keeps a Message-ID once', () => {
    const first = seedMail(store, { from: 'a@b.example', subject: 'x' });
    const record = store.mail.message(first.mailId);
    expect(record).not.toBeNull();
    expect(() => store.mail.insertMessage({ ...(record as NonNullable<typeof record>), id: 'another' })).toThrow(/UNIQUE/);
  });
});
