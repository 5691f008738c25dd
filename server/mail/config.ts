/**
 * The mail channel's settings: which IMAP mailbox serves which office (`DESK_MAILBOXES`), the
 * outgoing relay (`DESK_SMTP_URL`), how often a mailbox without IDLE is polled and how large a
 * message may be. Parsed once at start; an error names the variable and the part that is wrong,
 * never the password.
 */
import { z } from 'zod';
import { EmailSchema } from '../../shared/contract';
import { OFFICES, type Office } from '../../shared/teams';

export interface MailboxConfig {
  office: Office;
  /** The mailbox's user, which is also the address replies and automatic replies come from. */
  address: string;
  host: string;
  port: number;
  /** imaps:// (TLS from the start); imap:// upgrades with STARTTLS where the server offers it. */
  secure: boolean;
  user: string;
  pass: string;
  /** The folder read, default INBOX. */
  path: string;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** smtps:// (TLS from the start); smtp:// uses STARTTLS where offered. */
  secure: boolean;
  auth: { user: string; pass: string } | null;
}

export interface MailSettings {
  mailboxes: MailboxConfig[];
  smtp: SmtpConfig | null;
  /** How often a mailbox whose server lacks IDLE is polled (DESK_MAIL_POLL_SECONDS). */
  pollSeconds: number;
  /** Larger messages are kept as headers and a review item (DESK_MAIL_MAX_MB). */
  maxBytes: number;
}

export const DEFAULT_POLL_SECONDS = 60;
export const DEFAULT_MAIL_MAX_MB = 35;

export class MailConfigError extends Error {
  override name = 'MailConfigError';
}

const decode = (part: string, what: string, variable: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    throw new MailConfigError(`${variable}: the ${what} is not valid percent-encoding`);
  }
};

function parseUrl(text: string, variable: string, where: string): URL {
  try {
    return new URL(text);
  } catch {
    // The text may hold a password: say where, not what.
    throw new MailConfigError(`${variable}: ${where} is not a URL (scheme://user:password@host:port/…)`);
  }
}

function portOf(url: URL, fallback: number, variable: string, where: string): number {
  if (url.port === '') return fallback;
  const port = Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new MailConfigError(`${variable}: ${where}: the port must be 1–65535`);
  return port;
}

/**
 * `SE=imap://support%40softone.se:PASS@host:143/INBOX;FI=imaps://…`: one mailbox per office; the
 * user (percent-encoded) is the mailbox's address.
 */
export function parseMailboxes(value: string, variable = 'DESK_MAILBOXES'): MailboxConfig[] {
  const entries = value
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const where = `entry ${i + 1}`;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new MailConfigError(`${variable}: ${where} must be OFFICE=imap://… (OFFICE is SE or FI)`);
    const office = entry.slice(0, eq).trim().toUpperCase();
    if (!(OFFICES as readonly string[]).includes(office)) {
      throw new MailConfigError(`${variable}: ${where}: the office "${entry.slice(0, eq).trim().slice(0, 10)}" is not SE or FI`);
    }
    const at = `${where} (${office})`;
    if (seen.has(office)) throw new MailConfigError(`${variable}: ${at}: the office has a mailbox already`);
    seen.add(office);
    const url = parseUrl(entry.slice(eq + 1).trim(), variable, at);
    if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') throw new MailConfigError(`${variable}: ${at}: the scheme must be imap:// or imaps://`);
    if (url.hostname === '') throw new MailConfigError(`${variable}: ${at}: the host is missing`);
    const user = decode(url.username, 'user', variable);
    if (user === '') throw new MailConfigError(`${variable}: ${at}: the user (the mailbox's address, %40 for @) is missing`);
    const address = EmailSchema.safeParse(user);
    if (!address.success) throw new MailConfigError(`${variable}: ${at}: the user "${user}" is not an e-mail address (write @ as %40)`);
    if (url.password === '') throw new MailConfigError(`${variable}: ${at}: the password is missing`);
    const secure = url.protocol === 'imaps:';
    const path = decode(url.pathname.replace(/^\//, ''), 'folder', variable) || 'INBOX';
    return {
      office: office as Office,
      address: address.data.toLowerCase(),
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: portOf(url, secure ? 993 : 143, variable, at),
      secure,
      user,
      pass: decode(url.password, 'password', variable),
      path,
    };
  });
}

/** `smtp://host:587` or `smtps://user:pass@host:465`. */
export function parseSmtpUrl(value: string, variable = 'DESK_SMTP_URL'): SmtpConfig {
  const url = parseUrl(value.trim(), variable, 'the value');
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new MailConfigError(`${variable}: the scheme must be smtp:// or smtps://`);
  if (url.hostname === '') throw new MailConfigError(`${variable}: the host is missing`);
  const secure = url.protocol === 'smtps:';
  const user = decode(url.username, 'user', variable);
  if (user !== '' && url.password === '') throw new MailConfigError(`${variable}: a user needs a password (user:password@)`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: portOf(url, secure ? 465 : 587, variable, 'the value'),
    secure,
    auth: user === '' ? null : { user, pass: decode(url.password, 'password', variable) },
  };
}

const positive = (variable: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, `${variable}: a number`)
    .transform(Number)
    .pipe(z.number().min(1, `${variable}: at least 1`).max(max, `${variable}: at most ${max}`));

/** The mail channel's settings from the environment; null when no mailbox is configured (the channel is off). */
export function mailSettingsFromEnv(env: NodeJS.ProcessEnv): MailSettings | null {
  const mailboxes = (env.DESK_MAILBOXES ?? '').trim();
  const smtpUrl = (env.DESK_SMTP_URL ?? '').trim();
  const number = (variable: string, fallback: number, max: number): number => {
    const raw = (env[variable] ?? '').trim();
    if (raw === '') return fallback;
    const parsed = positive(variable, max).safeParse(raw);
    if (!parsed.success) throw new MailConfigError(parsed.error.issues[0]?.message ?? `${variable}: invalid`);
    return parsed.data;
  };
  const pollSeconds = number('DESK_MAIL_POLL_SECONDS', DEFAULT_POLL_SECONDS, 3600);
  const maxMb = number('DESK_MAIL_MAX_MB', DEFAULT_MAIL_MAX_MB, 1024);
  const smtp = smtpUrl === '' ? null : parseSmtpUrl(smtpUrl);
  if (mailboxes === '') return null;
  if (smtp === null) throw new MailConfigError('DESK_SMTP_URL: required when DESK_MAILBOXES is set (automatic replies and replies are sent through it)');
  return { mailboxes: parseMailboxes(mailboxes), smtp, pollSeconds, maxBytes: Math.round(maxMb * 1024 * 1024) };
}
