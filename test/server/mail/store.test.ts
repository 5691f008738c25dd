import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { seedMail } from '../../support/mail';

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
    expect(changed).toEqual([onCase.eventId]);
    expect(store.events.get(onCase.eventId ?? '')?.data).toMatchObject({ from: null, fromName: null });
    expect(store.events.get(other.eventId ?? '')?.data).toMatchObject({ from: 'someone.else@kund.example' });
    expect(store.db.prepare<[], number>(`SELECT count(*) FROM mail_messages WHERE from_address LIKE 'anna%'`).pluck().get()).toBe(0);
    expect(store.mail.outboxRow('o1')).toMatchObject({ state: 'failed', toAddress: '' });
  });

  it('keeps a Message-ID once', () => {
    const first = seedMail(store, { from: 'a@b.example', subject: 'x' });
    const record = store.mail.message(first.mailId);
    expect(record).not.toBeNull();
    expect(() => store.mail.insertMessage({ ...(record as NonNullable<typeof record>), id: 'another' })).toThrow(/UNIQUE/);
  });
});
