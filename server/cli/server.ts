/**
 * `npm run server`: the standalone server of a team, and the desktop's embedded default (the
 * shell starts it as its own process). Reads the environment (see config.ts), opens the store,
 * creates the first lead on an empty store, seeds demo data when DESK_DEMO=1, and serves until
 * SIGINT/SIGTERM.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../http/app';
import { ensureFirstLead } from '../auth/auth-service';
import { ConfigError, loadConfig, type DeskConfig } from './config';
import { seedDemoData } from '../demo/seed';
import { PRIVATE_FILE_MODE, securePrivateFile, tightenDataDir } from '../store/file-modes';
import { dataFile, openStore, type Store } from '../store/store';

/** Startup lines in the same JSON-lines shape as the request logs. */
function log(msg: string, fields: Record<string, unknown> = {}, level: 'info' | 'warn' | 'error' = 'info'): void {
  const levels = { info: 30, warn: 40, error: 50 };
  process.stdout.write(`${JSON.stringify({ level: levels[level], time: Date.now(), msg, ...fields })}\n`);
}

/** The phone switch's secret: DESK_CTI_TOKEN, or one generated once and kept (mode 0600) in the data folder. */
function ctiToken(config: DeskConfig): string {
  if (config.ctiToken) return config.ctiToken;
  const file = join(config.dataDir, 'cti-token');
  if (existsSync(file)) {
    securePrivateFile(file);
    log('phone-switch token read from the data folder', { file });
    return readFileSync(file, 'utf8').trim();
  }
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  log('generated a phone-switch token (shown once; also kept in the data folder)', { ctiToken: token, file });
  return token;
}

async function prepareStore(config: DeskConfig, store: Store): Promise<void> {
  const password = config.adminPassword ?? randomBytes(18).toString('base64url');
  // A generated password is temporary: the first login must choose a new one before anything else.
  const lead = await ensureFirstLead(store, { email: config.adminEmail, password, mustChangePassword: !config.adminPassword }, new Date());
  if (lead) {
    log('created the first lead account', {
      email: lead.email,
      ...(config.adminPassword
        ? {}
        : { password, note: 'generated password, shown once: the first login asks for a new one (or set DESK_ADMIN_PASSWORD)' }),
    });
  }
  if (config.demo && store.isEmpty()) {
    const started = Date.now();
    const summary = await seedDemoData(store, { cases: config.demoCases });
    log('seeded demo data', { ...summary, password: undefined, ms: Date.now() - started });
  }
  if (config.demo && store.specialists.findForLogin('anna.lindqvist@softone.se')) {
    log('demo mode: every demo account has the password "demo-password-1"', {
      lead: 'anna.lindqvist@softone.se',
      specialists: ['erik.johansson@softone.se (team 1)', 'sara.eriksson@softone.se (team 2)', 'laura.virtanen@softone.fi (team 1)', 'juha.nieminen@softone.fi (team 2)'],
    });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Whatever the server writes is for its own user only (0700 folders, 0600 files), and a data
  // folder an older version left readable is tightened now.
  process.umask(0o077);
  tightenDataDir(config.dataDir);
  const file = dataFile(config.dataDir);
  const store = openStore(file);
  let server;
  try {
    await prepareStore(config, store);
    server = await startServer({
      store,
      host: config.host,
      port: config.port,
      ctiToken: ctiToken(config),
      ctiOptions: config.ctiOptions,
      softphoneUrl: config.softphoneUrl,
      attachmentMaxMb: config.attachmentMaxMb,
      staticDir: config.staticDir,
      centreDir: config.centreDir,
      centreUrl: config.centreUrl,
      allowedOrigins: config.allowedOrigins,
      sessionHours: config.sessionHours,
      trustedProxies: config.trustedProxies,
      sessionIdleMinutes: config.sessionIdleMinutes,
      mail: config.mail ? { settings: config.mail, dataDir: config.dataDir } : null,
      limits: { bootstrapConcurrency: config.bootstrapConcurrency },
      logger: true,
    });
  } catch (error) {
    store.close();
    throw error;
  }
  log('desk server listening', {
    url: server.url,
    port: server.port,
    dataFile: file,
    ctiWebhook: `${server.url}/api/v1/cti/<token>`,
    mail: config.mail ? config.mail.mailboxes.map((m) => `${m.office}: ${m.address} (${m.host}:${m.port}/${m.path})`) : 'off (DESK_MAILBOXES not set)',
    ...(config.staticDir ? { staticDir: config.staticDir } : {}),
    ...(config.centreDir ? { customerCentre: `${server.url}/centre/` } : {}),
  });
  // A parent that forked this process (the desktop shell) learns the address without parsing logs.
  process.send?.({ type: 'listening', url: server.url, port: server.port });

  const running = server;
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log('second signal: exiting now', { signal }, 'warn');
      process.exit(1);
    }
    stopping = true;
    log('shutting down', { signal });
    running.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log('shutdown failed', { error: String(error) }, 'error');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? `configuration: ${error.message}` : error instanceof Error ? error.message : String(error);
  log('could not start', { error: message }, 'error');
  process.exitCode = 1;
});
