/**
 * One IMAP mailbox, watched: connects with imapflow, reads every message after the last UID
 * processed (kept in SQLite with the mailbox's UIDVALIDITY), hands each to the intake, marks it
 * \Seen, and then waits for the server to announce new mail (IDLE where offered; imapflow polls
 * otherwise) or for the poll interval. A lost connection is retried with growing pauses.
 */
import { ImapFlow } from 'imapflow';
import type { MailboxConfig } from './config';
import type { IntakeOutcome, MailIntake } from './intake';

export interface WatcherOptions {
  /** Seconds between checks when the server announces nothing (no IDLE, or a quiet link). */
  pollSeconds: number;
  /** Pauses between reconnects: base, doubling up to max. */
  reconnect?: { baseMs: number; maxMs: number };
  /** Larger messages are fetched as headers only. */
  maxBytes: number;
  onProcessed?: (outcome: IntakeOutcome) => void;
  log?: (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

/** The cursor's key: the mailbox's address and folder. */
export function mailboxKey(mailbox: MailboxConfig): string {
  return `${mailbox.address}/${mailbox.path}`;
}

export class MailboxWatcher {
  private stopped = false;
  private client: ImapFlow | null = null;
  private wake: (() => void) | null = null;
  /** The server announced mail while no pause was waiting for it: read again at once. */
  private announced = false;
  private loop: Promise<void> | null = null;
  private connectedOnce: (() => void) | null = null;
  /** Resolves once the first read of the mailbox is done. */
  readonly ready: Promise<void>;

  constructor(
    private readonly mailbox: MailboxConfig,
    private readonly intake: MailIntake,
    private readonly opts: WatcherOptions,
  ) {
    this.ready = new Promise((resolve) => (this.connectedOnce = resolve));
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Check the mailbox now (a test, or a hint that mail arrived). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    if (client) {
      await client.logout().catch(() => client.close());
    }
    await this.loop;
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
    this.opts.log?.(level, msg, { mailbox: this.mailbox.address, office: this.mailbox.office, ...fields });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async run(): Promise<void> {
    const reconnect = this.opts.reconnect ?? { baseMs: 1_000, maxMs: 300_000 };
    let failures = 0;
    while (!this.stopped) {
      const client = new ImapFlow({
        host: this.mailbox.host,
        port: this.mailbox.port,
        secure: this.mailbox.secure,
        auth: { user: this.mailbox.user, pass: this.mailbox.pass },
        logger: false,
        autoIdleDelay: 500,
        maxIdleTime: Math.max(1, this.opts.pollSeconds) * 1000,
        missingIdleCommand: 'NOOP',
      });
      this.client = client;
      let closed = false;
      client.on('error', (error: Error) => this.log('warn', 'mailbox connection error', { error: error.message }));
      client.on('close', () => {
        closed = true;
        this.wake?.();
      });
      client.on('exists', () => {
        this.announced = true;
        this.wake?.();
      });
      try {
        await client.connect();
        await client.mailboxOpen(this.mailbox.path);
        failures = 0;
        while (!this.stopped && !closed) {
          this.announced = false;
          // Locked while reading only: between reads imapflow IDLEs on the open mailbox (or polls it).
          const lock = await client.getMailboxLock(this.mailbox.path);
          try {
            await this.readNew(client);
          } finally {
            lock.release();
          }
          this.connectedOnce?.();
          if (this.stopped || closed) break;
          if (!this.announced) await this.pause(this.opts.pollSeconds * 1000);
        }
      } catch (error) {
        if (!this.stopped) this.log('warn', 'mailbox read failed; reconnecting', { error: (error as Error).message, failures });
      } finally {
        this.client = null;
        if (client.usable) await client.logout().catch(() => client.close());
        else client.close();
      }
      if (this.stopped) break;
      failures += 1;
      await this.pause(Math.min(reconnect.maxMs, reconnect.baseMs * 2 ** Math.min(failures - 1, 20)));
    }
  }

  /** Every message after the last one processed, in UID order, each exactly once. */
  private async readNew(client: ImapFlow): Promise<void> {
    const box = client.mailbox;
    if (!box) throw new Error('no mailbox open');
    const uidValidity = String(box.uidValidity);
    const key = mailboxKey(this.mailbox);
    const cursor = this.intake.cursor(key);
    // A new UIDVALIDITY renumbered the mailbox: read it all again; Message-IDs keep it once.
    const after = cursor && cursor.uidValidity === uidValidity ? cursor.lastUid : 0;
    const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
    const uids = (found || []).filter((u) => u > after).sort((a, b) => a - b);
    for (const uid of uids) {
      if (this.stopped) return;
      const meta = await client.fetchOne(String(uid), { uid: true, size: true }, { uid: true });
      if (!meta) continue;
      const large = (meta.size ?? 0) > this.opts.maxBytes;
      const message = await client.fetchOne(String(uid), large ? { uid: true, headers: true } : { uid: true, source: true }, { uid: true });
      if (!message) continue;
      const raw = large ? Buffer.concat([message.headers ?? Buffer.alloc(0), Buffer.from('\r\n')]) : (message.source ?? Buffer.alloc(0));
      const mark = { mailbox: key, uidValidity, uid };
      const size = large ? (meta.size ?? raw.length) : raw.length;
      let outcome: IntakeOutcome;
      try {
        outcome = await this.intake.accept(this.mailbox, raw, mark, size);
      } catch (error) {
        // Counted across restarts: a message the intake fails on every time is set aside for the
        // office's review after a few tries, and the mailbox goes on with the next one.
        const failed = this.intake.failed(this.mailbox, raw, mark, error, size);
        if (failed.verdict === 'retry') {
          this.log('warn', 'reading a mail failed; it is read again', { uid, failures: failed.failures, error: (error as Error)?.message ?? String(error) });
          throw error;
        }
        this.log('error', 'a mail failed every time it was read: set aside for the review list with its raw source kept', {
          uid,
          failures: failed.failures,
          error: (error as Error)?.message ?? String(error),
        });
        outcome = failed.outcome;
      }
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      this.opts.onProcessed?.(outcome);
    }
  }
}
