/**
 * The outgoing queue's durability: a reply's claim is on disk (the WAL fsynced) before the relay
 * hears of it, and a failed fsync sends nothing — the row waits for its next try and goes once.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import { queueMail } from '../../../server/mail/intake';
import { MailSender } from '../../../server/mail/sender';
import { WalFile } from '../../../server/sync/wal-sync';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { SE_MAILBOX, startRelay, type Relay } from '../../support/mail';

describe('the outgoing queue, durably', () => {
  let dir: string;
  let store: Store;
  let relay: Relay;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-sender-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 3, seed: 5 });
    relay = await startRelay();
  });
  afterEach(async () => {
    await relay.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const queue = (to: string): string => {
    const caseId = store.db.prepare<[], string>('SELECT id FROM cases LIMIT 1').pluck().get() ?? '';
    const at = new Date().toISOString();
    const { mailId } = store.transaction(() =>
      queueMail(store, {
        office: 'SE', from: SE_MAILBOX, to, subject: 'Svar [Ärende #1]', text: 'Hej', caseId,
        event: { id: randomUUID(), actorId: null, data: {} }, inReplyTo: null, refs: [], auto: false, attachmentIds: [], at,
      }),
    );
    return store.mail.outboxOfMail(mailId)?.id ?? '';
  };

  it("syncs the claim to disk before the relay is asked, and sends nothing when the sync fails", async () => {
    const seen: Array<{ state: string | undefined; relayed: number }> = [];
    let failNext = false;
    const wal = new WalFile(store.file);
    const sender = new MailSender({
      store,
      smtp: { host: '127.0.0.1', port: relay.port, secure: false, auth: null },
      now: () => new Date(),
      retry: { baseMs: 1, maxMs: 1, tries: 5 },
      durable: async () => {
        seen.push({ state: store.mail.outboxRow(current)?.state, relayed: relay.received.length });
        if (failNext) {
          failNext = false;
          throw new Error('fsync: input/output error');
        }
        await wal.datasync();
      },
    });
    let current = queue('anna@kund.example');
    sender.start();
    await relay.waitFor((m) => m.envelopeTo.includes('anna@kund.example'));
    await sender.idle();
    expect(seen).toEqual([{ state: 'sending', relayed: 0 }]);
    expect(store.mail.outboxRow(current)?.state).toBe('sent');

    // The sync fails: the relay hears nothing, the row waits; the next try sends it once.
    failNext = true;
    current = queue('bertil@kund.example');
    sender.kick();
    await relay.waitFor((m) => m.envelopeTo.includes('bertil@kund.example'));
    await sender.idle();
    expect(seen.slice(1)).toEqual([
      { state: 'sending', relayed: 1 },
      { state: 'sending', relayed: 1 },
    ]);
    expect(relay.received.filter((m) => m.envelopeTo.includes('bertil@kund.example'))).toHaveLength(1);
    expect(store.mail.outboxRow(current)).toMatchObject({ state: 'sent', attempts: 2 });
    await sender.stop();
    await wal.close();
  });

  it('reports a failure of the store while reading the queue and goes on at the next kick, instead of an unhandled rejection', async () => {
    const errors: Array<{ message: string; row: unknown }> = [];
    const sender = new MailSender({
      store,
      smtp: { host: '127.0.0.1', port: relay.port, secure: false, auth: null },
      now: () => new Date(),
      onError: (error, row) => errors.push({ message: (error as Error).message, row }),
    });
    const id = queue('cecilia@kund.example');
    const claim = store.mail.claim.bind(store.mail);
    let broken = true;
    store.mail.claim = (rowId: string) => {
      if (broken) throw new Error('SQLITE_IOERR: disk I/O error');
      return claim(rowId);
    };
    sender.start();
    await sender.idle();
    expect(errors).toEqual([{ message: 'SQLITE_IOERR: disk I/O error', row: null }]);
    expect(relay.received).toHaveLength(0);
    broken = false;
    sender.kick();
    await relay.waitFor((m) => m.envelopeTo.includes('cecilia@kund.example'));
    await sender.idle();
    expect(store.mail.outboxRow(id)?.state).toBe('sent');
    await sender.stop();
  });
});
