/**
 * The mail channel of one server: a watcher per configured mailbox (intake), the outgoing
 * queue's sender, and what desks hear of both (a poke when a case or event changed, the office's
 * review count when its review list changed). Started and stopped with the server (http/app.ts);
 * absent when no mailbox is configured.
 */
import { join } from 'node:path';
import type { Office } from '../../shared/teams';
import type { Store } from '../store/store';
import type { MailboxConfig, MailSettings } from './config';
import { MailIntake, type IntakeOutcome } from './intake';
import { RawMailStore } from './raw-store';
import { MailSender, type RetryPolicy } from './sender';
import { MailboxWatcher } from './watcher';

/** Automatic replies per sender address per hour, at most: two auto-responders stop talking quickly. */
export const AUTO_REPLIES_PER_HOUR = 3;

export interface MailChannelOptions {
  settings: MailSettings;
  /** The data folder: raw messages go under `<dataDir>/mail/`. */
  dataDir: string;
  retry?: Partial<RetryPolicy>;
  reconnect?: { baseMs: number; maxMs: number };
  autoRepliesPerHour?: number;
}

/** What the channel needs of the running server. */
export interface MailChannelHost {
  store: Store;
  now(): Date;
  /** A change in the feed: tell the desks. */
  poke(seq: number): void;
  /** The office's review list changed. */
  reviewCount(office: Office, count: number): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

export class MailChannel {
  readonly intake: MailIntake;
  readonly sender: MailSender;
  readonly watchers: MailboxWatcher[];

  constructor(
    private readonly host: MailChannelHost,
    readonly options: MailChannelOptions,
  ) {
    const { settings } = options;
    if (!settings.smtp) throw new Error('the mail channel needs DESK_SMTP_URL');
    this.intake = new MailIntake({
      store: host.store,
      raw: new RawMailStore(join(options.dataDir, 'mail')),
      mailboxes: settings.mailboxes,
      maxBytes: settings.maxBytes,
      autoRepliesPerHour: options.autoRepliesPerHour ?? AUTO_REPLIES_PER_HOUR,
      now: host.now,
    });
    this.sender = new MailSender({
      store: host.store,
      smtp: settings.smtp,
      now: host.now,
      ...(options.retry ? { retry: options.retry } : {}),
      onChange: () => this.changed(),
      onError: (error, row) =>
        row === null
          ? host.log('error', 'the outgoing mail queue could not be read', { error: (error as Error).message })
          : host.log('warn', 'sending a mail failed', { to: row.toAddress, attempt: row.attempts + 1, error: (error as Error).message }),
    });
    this.watchers = settings.mailboxes.map(
      (mailbox) =>
        new MailboxWatcher(mailbox, this.intake, {
          pollSeconds: settings.pollSeconds,
          maxBytes: settings.maxBytes,
          ...(options.reconnect ? { reconnect: options.reconnect } : {}),
          onProcessed: (outcome) => this.processed(mailbox, outcome),
          log: host.log,
        }),
    );
  }

  /** The mailbox that serves an office (replies to its customers come from its address); null: none configured. */
  mailboxOf(office: Office): MailboxConfig | null {
    return this.options.settings.mailboxes.find((m) => m.office === office) ?? null;
  }

  start(): void {
    this.sender.start();
    for (const w of this.watchers) w.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.watchers.map((w) => w.stop()));
    await this.sender.stop();
  }

  /** A reply or an automatic reply was queued (committed): send it soon. */
  queued(): void {
    this.sender.kick();
  }

  /** The change feed moved: poke the desks. */
  changed(): void {
    this.host.poke(this.host.store.changes.latestSeq());
  }

  /** The office's review list changed: its desks hear the new count. */
  reviewChanged(office: Office): void {
    this.host.reviewCount(office, this.host.store.mail.countOpenReview(office));
  }

  private processed(mailbox: MailboxConfig, outcome: IntakeOutcome): void {
    if (outcome.kind === 'duplicate') return;
    this.host.log('info', 'mail received', { office: mailbox.office, outcome: outcome.kind, ...(outcome.kind === 'review' ? { reason: outcome.reason } : {}) });
    if (outcome.kind === 'review') this.reviewChanged(mailbox.office);
    else this.changed();
    if (outcome.kind === 'case' && outcome.autoReply) this.queued();
  }
}
