/**
 * Server configuration from the environment. Only the command-line entries (server.ts,
 * backup.ts) read it; the server itself takes options (see `startServer`).
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { EmailSchema } from '../../shared/contract';
import { NewPasswordSchema } from '../../shared/api';
import { isStrongPassword } from '../auth/password-rules';
import { parseCtiOptions } from '../calls/phone-switch';
import { DEMO_CTI_OPTIONS } from '../demo/switch';
import { parseSoftphoneTemplate } from '../../shared/calls';
import { DEFAULT_BACKUP_KEEP } from '../store/backup';
import { ATTACHMENT_MAX_MB_DEFAULT } from '../../shared/mail';
import { DEFAULT_BOOTSTRAP_CONCURRENCY } from '../http/limits';
import { MailConfigError, mailSettingsFromEnv, type MailSettings } from '../mail/config';

export interface DeskConfig {
  port: number;
  host: string;
  dataDir: string;
  /** DESK_CTI_TOKEN; when absent server.ts generates one and keeps it in the data folder. */
  ctiToken: string | null;
  adminEmail: string;
  /** DESK_ADMIN_PASSWORD; when absent a password is generated for a new store and printed once. */
  adminPassword: string | null;
  ctiOptions: string;
  staticDir: string | null;
  allowedOrigins: string[];
  demo: boolean;
  demoCases: number;
  sessionHours: number;
  /** DESK_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For/-Proto are believed; empty: none. */
  trustedProxies: string[];
  /** DESK_BACKUP_KEEP: how many generated backups `npm run backup` keeps in their folder. */
  backupKeep: number;
  /** DESK_SESSION_IDLE_MINUTES: a session unused this long ends (default 60). */
  sessionIdleMinutes: number;
  /** DESK_SOFTPHONE_URL: the softphone link to call back with (`sip:{number}`); null: `tel:` links. */
  softphoneUrl: string | null;
  /** DESK_CENTRE_DIR: the customer centre's built web app, served at `/centre/`; null: not served. */
  centreDir: string | null;
  /** DESK_CENTRE_URL: the centre's public address for links in its mails (default: this server's `/centre/`). */
  centreUrl: string | null;
  /** DESK_ATTACHMENT_MAX_MB: the largest file a note, reply or mail may carry (default 25). */
  attachmentMaxMb: number;
  /** DESK_MAILBOXES, DESK_SMTP_URL, DESK_MAIL_POLL_SECONDS, DESK_MAIL_MAX_MB; null: the mail channel is off. */
  mail: MailSettings | null;
  /** DESK_BOOTSTRAP_CONCURRENCY: desks bootstrapping at once, the others queued (default 4; 0: no limit). */
  bootstrapConcurrency: number;
}

const optional = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** Names proxy-addr (Fastify's `trustProxy`) knows for whole address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address (10.0.0.5, ::1), a CIDR (10.0.0.0/8, fd00::/8) or one of proxy-addr's range names. */
export function isProxyAddress(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

const TrustedProxiesSchema = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((p) => p.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().refine(isProxyAddress, {
        error: (issue) => `"${String(issue.input)}" is not an address or CIDR (e.g. 127.0.0.1, 10.0.0.0/8, ::1, loopback)`,
      }),
    ),
  );

/** Loopback hosts: the only ones demo mode (known passwords) may listen on. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice('::ffff:'.length) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** A number variable with a default; "abc" fails validation instead of becoming NaN. */
const numberOr = (fallback: number) => optional.transform((s) => (s === undefined ? fallback : Number(s)));

const EnvSchema = z.object({
  DESK_PORT: numberOr(8787).pipe(z.number().int().min(0).max(65_535)),
  DESK_HOST: optional.pipe(z.string().default('127.0.0.1')),
  DESK_DATA_DIR: optional.pipe(z.string().default('./.desk-data')),
  DESK_CTI_TOKEN: optional.pipe(z.string().min(16, 'use at least 16 characters').max(200).optional()),
  DESK_ADMIN_EMAIL: optional.pipe(EmailSchema.default('admin@desk.local')),
  DESK_ADMIN_PASSWORD: optional.pipe(
    NewPasswordSchema.refine((p) => isStrongPassword(p), 'too common or too easy to guess: choose a longer or less predictable one').optional(),
  ),
  DESK_CTI_OPTIONS: optional.pipe(z.string().default('')),
  DESK_STATIC_DIR: optional.pipe(z.string().optional()),
  DESK_CENTRE_DIR: optional.pipe(z.string().optional()),
  DESK_CENTRE_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DESK_ALLOWED_ORIGINS: optional.pipe(z.string().default('app://desk')),
  DESK_DEMO: optional.pipe(z.enum(['0', '1', 'true', 'false']).default('0')),
  DESK_DEMO_CASES: numberOr(5000).pipe(z.number().int().min(0).max(1_000_000)),
  DESK_SESSION_HOURS: numberOr(12).pipe(z.number().min(0.01).max(24 * 30)),
  DESK_TRUSTED_PROXIES: optional.pipe(TrustedProxiesSchema),
  DESK_BACKUP_KEEP: numberOr(DEFAULT_BACKUP_KEEP).pipe(z.number().int('a whole number of backups').min(1, 'keep at least 1 backup').max(10_000)),
  DESK_SESSION_IDLE_MINUTES: numberOr(60).pipe(z.number().min(1).max(24 * 60)),
  DESK_SOFTPHONE_URL: optional.pipe(z.string().max(500).optional()),
  DESK_ATTACHMENT_MAX_MB: numberOr(ATTACHMENT_MAX_MB_DEFAULT).pipe(z.number().min(0.001, 'at least a few kilobytes').max(1024, 'at most 1024 MB')),
  DESK_BOOTSTRAP_CONCURRENCY: numberOr(DEFAULT_BOOTSTRAP_CONCURRENCY).pipe(
    z.number().int('a whole number of desks').min(0, '0 (no limit) or more desks').max(1000, 'at most 1000 desks'),
  ),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DeskConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`${issue?.path.join('.') ?? 'environment'}: ${issue?.message ?? 'invalid'}`);
  }
  const e = parsed.data;
  const demo = e.DESK_DEMO === '1' || e.DESK_DEMO === 'true';
  if (demo && !isLoopbackHost(e.DESK_HOST)) {
    throw new ConfigError(
      `DESK_DEMO: demo mode has accounts with a published password and listens only on this computer; DESK_HOST "${e.DESK_HOST}" is not a loopback address (use 127.0.0.1, ::1 or localhost, or turn demo mode off)`,
    );
  }
  try {
    parseCtiOptions(e.DESK_CTI_OPTIONS);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  try {
    if (e.DESK_SOFTPHONE_URL !== undefined) parseSoftphoneTemplate(e.DESK_SOFTPHONE_URL);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  let mail: MailSettings | null;
  try {
    mail = mailSettingsFromEnv(env);
  } catch (error) {
    if (error instanceof MailConfigError) throw new ConfigError(error.message);
    throw error;
  }
  return {
    port: e.DESK_PORT,
    host: e.DESK_HOST,
    dataDir: resolve(e.DESK_DATA_DIR),
    ctiToken: e.DESK_CTI_TOKEN ?? null,
    adminEmail: e.DESK_ADMIN_EMAIL,
    adminPassword: e.DESK_ADMIN_PASSWORD ?? null,
    // Demo mode without options of its own gets the demo switch's two options.
    ctiOptions: e.DESK_CTI_OPTIONS.trim() === '' && demo ? DEMO_CTI_OPTIONS : e.DESK_CTI_OPTIONS,
    staticDir: e.DESK_STATIC_DIR ? resolve(e.DESK_STATIC_DIR) : null,
    centreDir: e.DESK_CENTRE_DIR ? resolve(e.DESK_CENTRE_DIR) : null,
    centreUrl: e.DESK_CENTRE_URL ?? null,
    allowedOrigins: e.DESK_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    demo,
    demoCases: e.DESK_DEMO_CASES,
    sessionHours: e.DESK_SESSION_HOURS,
    trustedProxies: e.DESK_TRUSTED_PROXIES,
    backupKeep: e.DESK_BACKUP_KEEP,
    sessionIdleMinutes: e.DESK_SESSION_IDLE_MINUTES,
    softphoneUrl: e.DESK_SOFTPHONE_URL ?? null,
    attachmentMaxMb: e.DESK_ATTACHMENT_MAX_MB,
    mail,
    bootstrapConcurrency: e.DESK_BOOTSTRAP_CONCURRENCY,
  };
}
