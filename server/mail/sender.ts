/**
 * The outgoing queue's sender: sends due rows of `mail_outbox` through the SMTP relay
 * (nodemailer), retries temporary failures (4xx, no connection) with exponential backoff and
 * gives up at once on permanent ones (5xx). Each move of a reply (queued → sent or failed) updates
 * its case event and re-records it in the change feed, so every desk sees it.
 *
 * Never sent twice by this server: a row is claimed (state 'sending', one more attempt) in its
 * own commit, and that commit is on disk (`durable`: the WAL fsynced, which also covers the push
 * that queued the reply) before the relay is asked; an fsync that fails sends nothing and the row
 * waits for its next try. A crash or power loss while the relay has it leaves the row claimed;
 * the next start puts it back in the queue, so delivery is at least once at the SMTP level (the
 * window: from the relay's "250 OK" to the commit of "sent"). The mail keeps its one Message-ID,
 * so the customer's mail program shows a repeat once.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Store } from '../store/store';
import type { OutboxRow } from '../store/mail';
import type { SmtpConfig } from './config';
import { setMailStatus } from './intake';
import { WalFile } from '../sync/wal-sync';


export interface RetryPolicy {
  /** The first retry's delay; each further one doubles, up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** Attempts in all before a temporary failure counts as final. */
  tries: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 60_000, maxMs: 3_600_000, tries: 8 };

export interface SenderOptions {
  store: Store;
  smtp: SmtpConfig;
  now(): Date;
  retry?: Partial<RetryPolicy>;
  /** Called after a commit that changed the change feed (the live poke). */
  onChange?: () => void;
  /** A row's sending failed (`row`), or the queue itself could not be read or claimed (`row` null). */
  onError?: (error: unknown, row: OutboxRow | null) => void;
  /**
   * Makes every commit so far durable (fsyncs the database's WAL). Awaited after a row's claim and
   * before the relay hears of it. Default: the store's WAL file, fsynced.
   */
  durable?: () => Promise<void>;
}

/** Whether the relay's answer is final: a 5xx reply. No answer at all (a connection) or 4xx is worth a retry. */
export function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** The delay before attempt `attempt + 1` after `attempt` failed ones. */
export function retryDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}

const angle = (id: string): string => `<${id}>`;
const BATCH = 10;

export class MailSender {
  private readonly transport: Transporter;
  private readonly retry: RetryPolicy;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly wal: WalFile | null;
  private readonly durable: () => Promise<void>;

  constructor(private readonly opts: SenderOptions) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.wal = opts.durable ? null : new WalFile(opts.store.file);
    this.durable = opts.durable ?? (this.wal as WalFile).datasync;
    this.transport = nodemailer.createTransport({
      host: opts.smtp.host,
      port: opts.smtp.port,
      secure: opts.smtp.secure,
      ...(opts.smtp.auth ? { auth: opts.smtp.auth } : {}),
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 60_000,
    });
  }

  /** Puts rows a crash left claimed back in the queue, then sends what is due. */
  start(): void {
    if (this.opts.store.mail.unclaimAll() > 0) this.opts.onChange?.();
    this.kick();
  }

  /** Something was queued: send soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // A failure of the store (reading the queue, a claim) is reported and retried at the next
    // kick or timer; never an unhandled rejection, which would end the server's process.
    this.running = this.drain()
      .catch((error: unknown) => this.opts.onError?.(error, null))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        } else {
          this.schedule();
        }
      });
  }

  /** Waits until the queue has nothing due now (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.idle();
    this.transport.close();
    await this.wal?.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.opts.store.mail.nextDueAt();
    if (next === null) return;
    const delay = Math.max(0, Math.min(Date.parse(next) - this.opts.now().getTime(), 60_000));
    this.timer = setTimeout(() => this.kick(), delay);
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const due = this.opts.store.mail.dueOutbox(this.opts.now().toISOString(), BATCH);
      if (due.length === 0) return;
      for (const row of due) {
        if (this.stopped) return;
        await this.sendOne(row);
      }
    }
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    const { store } = this.opts;
    // Claimed in its own commit before the relay hears of it.
    if (!store.transaction(() => store.mail.claim(row.id))) return;
    const attempt = row.attempts + 1;
    let relayed = false;
    try {
      // The claim (and the push that queued the row) on disk before the relay is asked: a power
      // loss after this point finds the row claimed, never unknown or merely queued.
      await this.durable();
      const files = store.attachments.attachmentFiles(row.attachmentIds);
      await this.transport.sendMail({
        from: row.fromAddress,
        to: row.toAddress,
        subject: row.subject,
        text: row.text,
        messageId: angle(row.messageId),
        ...(row.inReplyTo ? { inReplyTo: angle(row.inReplyTo) } : {}),
        ...(row.refs.length > 0 ? { references: row.refs.map(angle).join(' ') } : {}),
        headers: row.headers,
        attachments: files.map((f) => ({ filename: f.name, contentType: f.contentType, path: f.path })),
      });
      relayed = true;
      const at = this.opts.now().toISOString();
      store.transaction(() => {
        store.mail.markSent(row.id, at);
        if (row.eventId) setMailStatus(store, row.eventId, { status: 'sent', sentAt: at, error: null });
      });
      this.opts.onChange?.();
    } catch (error) {
      // The relay has it: never queue it again for a failure of our own bookkeeping. The row stays
      // "sending" (a restart queues it again, with the same Message-ID).
      if (relayed) {
        this.opts.onError?.(error, row);
        return;
      }
      this.opts.onError?.(error, row);
      const reason = String((error as { response?: unknown }).response ?? (error as Error).message ?? error).slice(0, 1000);
      if (isPermanent(error) || attempt >= this.retry.tries) {
        store.transaction(() => {
          store.mail.markFailed(row.id, reason);
          if (row.eventId) setMailStatus(store, row.eventId, { status: 'failed', error: reason });
        });
        this.opts.onChange?.();
      } else {
        const nextAt = new Date(this.opts.now().getTime() + retryDelay(attempt, this.retry)).toISOString();
        store.transaction(() => store.mail.markRetry(row.id, nextAt, reason));
      }
    }
  }
}
