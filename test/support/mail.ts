/**
 * Real mail servers for tests: Debian's Dovecot as an ordinary process with its own configuration
 * in a temporary folder on a free loopback port (IMAP, plain login, the mailboxes of our two
 * offices), and an SMTP relay (the `smtp-server` package) on a free port that records what it
 * receives, parsed, and refuses temporarily or permanently on demand.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as crypto from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { MailSettings } from '../../server/mail/config';
import type { Store } from '../../server/store/store';
import type { MailReviewReason } from '../../shared/mail';

const run = promisify(execFile);

export const DOVECOT = '/usr/sbin/dovecot';
export const MAIL_PASSWORD = 'secret';
export const SE_MAILBOX = 'support@softone.se';
export const FI_MAILBOX = 'tuki@softone.fi';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (tries again on each refusal). */
export async function portAccepts(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing accepts connections on port ${port}`);
    // Wait for the next tick of the event loop's timers only: a refused connect returns at once.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

export interface Dovecot {
  host: string;
  port: number;
  /** Puts a message into a user's INBOX (as a mail server's delivery would). */
  deliver(user: string, raw: string | Buffer): Promise<number | undefined>;
  /** The flags of a user's INBOX messages by UID. */
  flags(user: string): Promise<Map<number, Set<string>>>;
  stop(): Promise<void>;
}

async function imapClient(host: string, port: number, user: string): Promise<ImapFlow> {
  const c = new ImapFlow({ host, port, secure: false, auth: { user, pass: MAIL_PASSWORD }, logger: false, disableAutoIdle: true });
  await c.connect();
  return c;
}

/** Puts a message into a test mailbox's INBOX, as a mail server's delivery would; its UID. */
export async function deliverMail(host: string, port: number, user: string, raw: string | Buffer): Promise<number | undefined> {
  const c = await imapClient(host, port, user);
  try {
    const appended = await c.append('INBOX', typeof raw === 'string' ? Buffer.from(raw.replace(/\r?\n/g, '\r\n')) : raw);
    return appended ? appended.uid : undefined;
  } finally {
    await c.logout();
  }
}

export async function startDovecot(users: readonly string[] = [SE_MAILBOX, FI_MAILBOX]): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-dovecot-'));
  chmodSync(dir, 0o755);
  const uid = Number(execFileSync('id', ['-u', 'dovecot']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'dovecot']).toString().trim());
  const mailDir = join(dir, 'mail');
  mkdirSync(mailDir);
  chownSync(mailDir, uid, gid);
  writeFileSync(join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${MAIL_PASSWORD}\n`).join(''));
  const port = await freePort();
  const conf = join(dir, 'dovecot.conf');
  writeFileSync(
    conf,
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
default_internal_group = dovecot
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=${mailDir}/%u
}
mail_location = maildir:${mailDir}/%u
service imap-login {
  inet_listener imap {
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
`,
  );
  // Dovecot forks its master into the background and keeps no pipe of ours open.
  await new Promise<void>((resolve, reject) => {
    const child = spawn(DOVECOT, ['-c', conf], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dovecot exited with ${code}`))));
  });
  await portAccepts(port);

  const client = (user: string): Promise<ImapFlow> => imapClient('127.0.0.1', port, user);
  return {
    host: '127.0.0.1',
    port,
    deliver: (user, raw) => deliverMail('127.0.0.1', port, user, raw),
    async flags(user) {
      const c = await client(user);
      try {
        await c.mailboxOpen('INBOX');
        const out = new Map<number, Set<string>>();
        for (const m of await c.fetchAll('1:*', { uid: true, flags: true })) out.set(m.uid, m.flags ?? new Set());
        return out;
      } finally {
        await c.logout();
      }
    },
    async stop() {
      await run(DOVECOT, ['-c', conf, 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The DESK_MAILBOXES value for the test Dovecot's two mailboxes. */
export function mailboxesValue(dovecot: Pick<Dovecot, 'host' | 'port'>): string {
  const url = (address: string): string => `imap://${encodeURIComponent(address)}:${MAIL_PASSWORD}@${dovecot.host}:${dovecot.port}/INBOX`;
  return `SE=${url(SE_MAILBOX)};FI=${url(FI_MAILBOX)}`;
}

export interface RelayedMail {
  envelopeFrom: string | false;
  envelopeTo: string[];
  mail: ParsedMail;
  raw: Buffer;
}

export type Refusal = { code: number; message: string } | null;

export interface Relay {
  port: number;
  received: RelayedMail[];
  /** How the next messages are answered: null accepts; a 4xx or 5xx code refuses them. */
  refuse(refusal: Refusal): void;
  /** Told of every mail received (the e2e setup writes them down for the tests' processes). */
  onReceived: ((m: RelayedMail) => void) | null;
  /** Resolves with the first received mail (already or later) that matches. */
  waitFor(match: (m: RelayedMail) => boolean, timeoutMs?: number): Promise<RelayedMail>;
  stop(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  const received: RelayedMail[] = [];
  const waiters: Array<{ match: (m: RelayedMail) => boolean; resolve: (m: RelayedMail) => void }> = [];
  let refusal: Refusal = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusal) {
          const error = new Error(refusal.message) as Error & { responseCode: number };
          error.responseCode = refusal.code;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (mail) => {
            const item: RelayedMail = {
              envelopeFrom: session.envelope.mailFrom === false ? false : session.envelope.mailFrom.address,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              mail,
              raw,
            };
            received.push(item);
            relay.onReceived?.(item);
            for (const w of [...waiters]) {
              if (w.match(item)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(item);
              }
            }
            callback();
          },
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const relay: Relay = {
    port,
    received,
    onReceived: null,
    refuse(r) {
      refusal = r;
    },
    waitFor(match, timeoutMs = 20_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the relay received no such mail')), timeoutMs);
        waiters.push({
          match,
          resolve: (m) => {
            clearTimeout(timer);
            resolve(m);
          },
        });
      });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return relay;
}

/** Mail settings for a test server reading the test Dovecot and sending to the relay. */
export function testMailSettings(dovecot: Pick<Dovecot, 'host' | 'port'>, relay: Pick<Relay, 'port'>, overrides: Partial<MailSettings> = {}): MailSettings {
  return {
    mailboxes: [
      { office: 'SE', address: SE_MAILBOX, host: dovecot.host, port: dovecot.port, secure: false, user: SE_MAILBOX, pass: MAIL_PASSWORD, path: 'INBOX' },
      { office: 'FI', address: FI_MAILBOX, host: dovecot.host, port: dovecot.port, secure: false, user: FI_MAILBOX, pass: MAIL_PASSWORD, path: 'INBOX' },
    ],
    smtp: { host: '127.0.0.1', port: relay.port, secure: false, auth: null },
    pollSeconds: 60,
    maxBytes: 35 * 1024 * 1024,
    ...overrides,
  };
}

/** A plain mail as a customer's mail program writes it. */
export function customerMail(m: { from: string; to: string; subject: string; text: string; messageId?: string; inReplyTo?: string; headers?: Record<string, string> }): string {
  const lines = [
    `From: ${m.from}`,
    `To: ${m.to}`,
    `Subject: ${m.subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${m.messageId ?? `${Math.random().toString(36).slice(2)}.${Date.now()}@kund.example`}>`,
    ...(m.inReplyTo ? [`In-Reply-To: <${m.inReplyTo}>`, `References: <${m.inReplyTo}>`] : []),
    ...Object.entries(m.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    m.text,
    '',
  ];
  return lines.join('\r\n');
}

/** Puts a received mail straight into the store (no IMAP): on a case as its event, or as an open review item. */
export function seedMail(
  store: Store,
  m: { from: string; subject: string; text?: string; html?: string | null; caseId?: string; reason?: MailReviewReason; office?: 'SE' | 'FI'; to?: string; cc?: string; rawHash?: string },
): { mailId: string; eventId: string | null; reviewId: string | null } {
  const mailId = crypto.randomUUID();
  const at = new Date().toISOString();
  const office = m.office ?? 'SE';
  const eventId = m.caseId ? crypto.randomUUID() : null;
  const reviewId = m.caseId ? null : crypto.randomUUID();
  store.transaction(() => {
    store.mail.insertMessage({
      id: mailId,
      messageId: `${mailId}@seed.example`,
      direction: 'in',
      office,
      mailbox: office === 'SE' ? SE_MAILBOX : FI_MAILBOX,
      caseId: m.caseId ?? null,
      eventId,
      fromAddress: m.from.toLowerCase(),
      fromName: null,
      toAddress: m.to ?? (office === 'SE' ? SE_MAILBOX : FI_MAILBOX),
      ccAddress: m.cc ?? null,
      subject: m.subject,
      text: m.text ?? 'Hej',
      html: m.html ?? null,
      inReplyTo: null,
      refs: [],
      autoKind: null,
      rawHash: m.rawHash ?? null,
      size: 100,
      attachmentCount: 0,
      at,
    });
    if (m.caseId && eventId) {
      store.events.insert({
        id: eventId,
        caseId: m.caseId,
        at,
        receivedAt: at,
        actorId: null,
        kind: 'mail',
        text: m.text ?? 'Hej',
        data: { direction: 'in', status: 'received', mailId, from: m.from.toLowerCase(), to: m.to ?? SE_MAILBOX, subject: m.subject, html: m.html != null },
      });
      store.changes.record('events', eventId);
    }
    if (reviewId) store.mail.insertReview({ id: reviewId, mailId, office, reason: m.reason ?? 'unknown_sender', caseNumber: null, receivedAt: at });
  });
  return { mailId, eventId, reviewId };
}
