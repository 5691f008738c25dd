/**
 * Server configuration from the environment. Only the command-line entries (server.ts,
 * backup.ts) read it; the server itself takes options (see `startServer`).
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { EmailSchema } from '../../shared/contract';
import { NewPasswordSchema } from '../../shared/api';
import { isStrongPassword } from '../auth/password-rules';
import { parseCtiOptions } from '../calls/phone-switch';

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
  /** DESK_SESSION_IDLE_MINUTES: a session unused this long ends (default 60). */
  sessionIdleMinutes: number;
}

const optional = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

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
  DESK_ALLOWED_ORIGINS: optional.pipe(z.string().default('app://desk')),
  DESK_DEMO: optional.pipe(z.enum(['0', '1', 'true', 'false']).default('0')),
  DESK_DEMO_CASES: numberOr(5000).pipe(z.number().int().min(0).max(1_000_000)),
  DESK_SESSION_HOURS: numberOr(12).pipe(z.number().min(0.01).max(24 * 30)),
  DESK_SESSION_IDLE_MINUTES: numberOr(60).pipe(z.number().min(1).max(24 * 60)),
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
  try {
    parseCtiOptions(e.DESK_CTI_OPTIONS);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
  return {
    port: e.DESK_PORT,
    host: e.DESK_HOST,
    dataDir: resolve(e.DESK_DATA_DIR),
    ctiToken: e.DESK_CTI_TOKEN ?? null,
    adminEmail: e.DESK_ADMIN_EMAIL,
    adminPassword: e.DESK_ADMIN_PASSWORD ?? null,
    ctiOptions: e.DESK_CTI_OPTIONS,
    staticDir: e.DESK_STATIC_DIR ? resolve(e.DESK_STATIC_DIR) : null,
    allowedOrigins: e.DESK_ALLOWED_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    demo: e.DESK_DEMO === '1' || e.DESK_DEMO === 'true',
    demoCases: e.DESK_DEMO_CASES,
    sessionHours: e.DESK_SESSION_HOURS,
    sessionIdleMinutes: e.DESK_SESSION_IDLE_MINUTES,
  };
}
