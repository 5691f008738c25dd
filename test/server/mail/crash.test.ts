/**
 * Exactly once across a real crash: a server process reading Dovecot is killed with SIGKILL in
 * the middle of a message (its raw source and first file written, its transaction not begun);
 * the restarted server reads the message again and makes one case and one acknowledgement of
 * each message, never two.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { seedDemoData } from '../../../server/demo/seed';
import { dataFile, openStore } from '../../../server/store/store';
import { cleanEnv, REPO_ROOT } from '../../reliability/support/child-server';
import { SE_MAILBOX, startDovecot, startRelay, testMailSettings, type Dovecot, type Relay } from '../../support/mail';

const WAIT = { timeout: 60_000, interval: 100 };

interface Child {
  process: ChildProcess;
  output: string[];
  exited: Promise<void>;
}

describe('the mail intake across a SIGKILL', () => {
  let dovecot: Dovecot;
  let relay: Relay;
  let dir: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    [dovecot, relay] = await Promise.all([startDovecot(), startRelay()]);
    dir = mkdtempSync(join(tmpdir(), 'desk-mail-crash-'));
    const store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 10, seed: 13 });
    store.close();
  }, 60_000);

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await relay?.stop();
    await dovecot?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the server process; resolves once it says `ready`. */
  async function startChild(stallFile: string | null): Promise<Child> {
    const child = fork(join(REPO_ROOT, 'test/support/mail-intake-child.ts'), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: cleanEnv({
        DESK_TEST_DATA_DIR: dir,
        DESK_TEST_MAIL: JSON.stringify(testMailSettings(dovecot, relay, { pollSeconds: 2 })),
        ...(stallFile ? { DESK_TEST_STALL_FILE: stallFile } : {}),
      }),
    });
    children.push(child);
    const output: string[] = [];
    child.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await vi.waitFor(() => {
      if (child.exitCode !== null) throw new Error(`the server exited: ${output.join('')}`);
      expect(output.join('')).toContain('ready');
    }, WAIT);
    return { process: child, output, exited };
  }

  /** A reading of the data file by a connection of this process (the server's own is in the child). */
  function look<T>(read: (store: ReturnType<typeof openStore>) => T): T {
    const store = openStore(dataFile(dir));
    try {
      return read(store);
    } finally {
      store.close();
    }
  }

  it('one case and one acknowledgement per message after a kill -9 in the middle of one', async () => {
    const contact = look((s) =>
      s.db
        .prepare<[], { id: string; email: string }>(
          `SELECT co.id, co.email FROM contacts co JOIN customers cu ON cu.id = co.customer_id
           WHERE co.email IS NOT NULL AND co.anonymised_at IS NULL AND cu.country = 'SE'
             AND (SELECT count(*) FROM contacts o WHERE o.email = co.email COLLATE NOCASE) = 1 ORDER BY co.id LIMIT 1`,
        )
        .get(),
    );
    if (!contact) throw new Error('no Swedish contact with an address of their own');
    const email = contact.email.toLowerCase();
    const mail = (n: string, files: string[]): string =>
      [
        `From: ${contact.email}`,
        `To: ${SE_MAILBOX}`,
        `Subject: Krasch ${n}`,
        `Message-ID: <${randomUUID()}@kund.example>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Text ${n}`,
        ...files.flatMap((f) => ['--b', `Content-Type: text/plain; name="${f}"`, `Content-Disposition: attachment; filename="${f}"`, '', `bilaga ${f} ${n}`]),
        '--b--',
        '',
      ].join('\r\n');
    const acks = () => relay.received.filter((r) => r.envelopeTo.includes(email));
    const casesOf = () => look((s) => s.cases.byContact(contact.id).filter((c) => c.channel === 'email' && c.title.startsWith('Krasch ')).map((c) => c.title).sort());

    const first = await startChild('stall.txt');
    // The first message goes all the way: its case, its acknowledgement relayed and marked sent.
    await dovecot.deliver(SE_MAILBOX, mail('ett', ['ett.txt']));
    await vi.waitFor(() => expect(acks()).toHaveLength(1), WAIT);
    await vi.waitFor(() => expect(look((s) => s.db.prepare<[string], number>(`SELECT count(*) FROM mail_outbox WHERE to_address = ? AND state = 'sent'`).pluck().get(email))).toBe(1), WAIT);
    // The second stops in its middle (raw source and its first file written); the process is killed there.
    await dovecot.deliver(SE_MAILBOX, mail('två', ['två.txt', 'stall.txt']));
    await dovecot.deliver(SE_MAILBOX, mail('tre', []));
    await vi.waitFor(() => expect(first.output.join('')).toContain('stalled'), WAIT);
    first.process.kill('SIGKILL');
    await first.exited;
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(casesOf()).toEqual(['Krasch ett']);

    // Restarted: the rest is read again from the last committed UID, each message once.
    const second = await startChild(null);
    await vi.waitFor(() => expect(casesOf()).toEqual(['Krasch ett', 'Krasch tre', 'Krasch två']), WAIT);
    await vi.waitFor(() => expect(acks()).toHaveLength(3), WAIT);
    second.process.kill('SIGTERM');
    await second.exited;
    // After an orderly stop (the queue drained): three acknowledgements in all, one per case.
    expect(acks()).toHaveLength(3);
    expect(new Set(acks().map((a) => a.mail.subject?.replace(/^.*Krasch /, ''))).size).toBe(3);
    expect(look((s) => s.db.prepare<[string], number>('SELECT count(*) FROM mail_outbox WHERE to_address = ?').pluck().get(email))).toBe(3);
    expect(look((s) => s.db.prepare<[], number>(`SELECT count(*) FROM mail_messages WHERE direction = 'in' AND subject LIKE 'Krasch %'`).pluck().get())).toBe(3);
  }, 180_000);
});
