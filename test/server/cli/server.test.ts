import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { ROUTES } from '../../../shared/api';
import { api } from '../../support/http';
import { loadConfig } from '../../../server/cli/config';
import { parseCtiOptions, switchOptionOf } from '../../../server/calls/phone-switch';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      ctiToken: null,
      adminEmail: 'admin@desk.local',
      adminPassword: null,
      staticDir: null,
      allowedOrigins: ['app://desk'],
      demo: false,
      demoCases: 5000,
      sessionHours: 12,
      trustedProxies: [],
      backupKeep: 14,
      sessionIdleMinutes: 60,
    });
    expect(config.dataDir.endsWith('.desk-data')).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ DESK_PORT: 'eighty' })).toThrow(/DESK_PORT/);
    expect(() => loadConfig({ DESK_ADMIN_PASSWORD: 'short' })).toThrow(/DESK_ADMIN_PASSWORD/);
    expect(() => loadConfig({ DESK_ADMIN_PASSWORD: 'password1234' })).toThrow(/DESK_ADMIN_PASSWORD: too common/);
    expect(() => loadConfig({ DESK_SESSION_IDLE_MINUTES: '0' })).toThrow(/DESK_SESSION_IDLE_MINUTES/);
    expect(() => loadConfig({ DESK_ADMIN_EMAIL: 'not-an-email' })).toThrow(/DESK_ADMIN_EMAIL/);
    expect(() => loadConfig({ DESK_CTI_OPTIONS: '3=elsewhere' })).toThrow(/DESK_CTI_OPTIONS/);
    expect(() => loadConfig({ DESK_BACKUP_KEEP: '0' })).toThrow(/DESK_BACKUP_KEEP: keep at least 1/);
    expect(() => loadConfig({ DESK_BACKUP_KEEP: '2.5' })).toThrow(/DESK_BACKUP_KEEP/);
    expect(() => loadConfig({ DESK_BACKUP_KEEP: 'all' })).toThrow(/DESK_BACKUP_KEEP/);
    expect(loadConfig({ DESK_BACKUP_KEEP: '3' }).backupKeep).toBe(3);
    // Desks bootstrapping at once: 4 unless told, 0 is no limit, anything else a whole number of desks.
    expect(loadConfig({}).bootstrapConcurrency).toBe(4);
    expect(loadConfig({ DESK_BOOTSTRAP_CONCURRENCY: '0' }).bootstrapConcurrency).toBe(0);
    expect(loadConfig({ DESK_BOOTSTRAP_CONCURRENCY: '12' }).bootstrapConcurrency).toBe(12);
    expect(() => loadConfig({ DESK_BOOTSTRAP_CONCURRENCY: '-1' })).toThrow(/DESK_BOOTSTRAP_CONCURRENCY/);
    expect(() => loadConfig({ DESK_BOOTSTRAP_CONCURRENCY: '2.5' })).toThrow(/DESK_BOOTSTRAP_CONCURRENCY: a whole number of desks/);
    expect(() => loadConfig({ DESK_BOOTSTRAP_CONCURRENCY: 'many' })).toThrow(/DESK_BOOTSTRAP_CONCURRENCY/);
  });

  it('reads the trusted proxies as addresses and CIDRs, and names a bad entry', () => {
    expect(loadConfig({ DESK_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8,loopback' }).trustedProxies).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
    expect(loadConfig({ DESK_TRUSTED_PROXIES: '' }).trustedProxies).toEqual([]);
    for (const bad of ['proxy.example.com', '10.0.0.0/33', '::1/129', '10.0.0.1/', '10.0.0.1/8/8', '300.1.1.1', '*']) {
      expect(() => loadConfig({ DESK_TRUSTED_PROXIES: `127.0.0.1,${bad}` }), bad).toThrow(/DESK_TRUSTED_PROXIES\.1: .*not an address or CIDR/);
    }
  });

  it('keeps demo mode, whose passwords are published, on loopback', () => {
    expect(() => loadConfig({ DESK_DEMO: '1', DESK_HOST: '0.0.0.0' })).toThrow(/DESK_DEMO: .*DESK_HOST "0\.0\.0\.0" is not a loopback address/);
    expect(() => loadConfig({ DESK_DEMO: 'true', DESK_HOST: '10.1.2.3' })).toThrow(/loopback/);
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(loadConfig({ DESK_DEMO: '1', DESK_HOST: host }).demo, host).toBe(true);
    }
    expect(loadConfig({ DESK_DEMO: '0', DESK_HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('reads which queues and dialled numbers mean switch option 1 or 2', () => {
    const options = parseCtiOptions('1=hantverk,+46812345001; 2=Handel,08-123 450 02');
    expect(switchOptionOf(options, 'HANTVERK', '')).toBe(1);
    expect(switchOptionOf(options, 'handel', '')).toBe(2);
    expect(switchOptionOf(options, undefined, '0812345002')).toBe(2);
    expect(switchOptionOf(options, undefined, '+46 8 123 450 01')).toBe(1);
    expect(switchOptionOf(options, 'other', '+46899999999')).toBeNull();
  });
  it('reads the softphone link template, tel: when absent, and refuses one that cannot place a call', () => {
    expect(loadConfig({}).softphoneUrl).toBeNull();
    expect(loadConfig({ DESK_SOFTPHONE_URL: 'sip:{number}' }).softphoneUrl).toBe('sip:{number}');
    expect(() => loadConfig({ DESK_SOFTPHONE_URL: 'sip:0701234567' })).toThrow(/DESK_SOFTPHONE_URL: .*\{number\}/);
    expect(() => loadConfig({ DESK_SOFTPHONE_URL: 'javascript:{number}' })).toThrow(/DESK_SOFTPHONE_URL/);
  });
});

describe('npm run server (server/cli/server.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'desk-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on an empty data folder, logs address, data file and credentials, serves, and stops on SIGTERM', async () => {
    // As an older version left the folder: readable by everyone, with a readable file in it.
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'backups'), { mode: 0o755 });
    writeFileSync(join(dir, 'backups', 'old.sqlite'), 'x', { mode: 0o644 });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/cli/server.ts'], {
      env: { ...process.env, DESK_DATA_DIR: dir, DESK_PORT: '0', DESK_DEMO: '1', DESK_DEMO_CASES: '50' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // A failed or timed-out test must not leave the server running; after a clean exit this does nothing.
    onTestFinished(() => void child.kill('SIGKILL'));
    const lines: Array<Record<string, unknown>> = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // The line itself is the event: however long a busy machine takes to get there.
    const listening = await new Promise<Record<string, unknown>>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const parts = buffer.split('\n');
        buffer = parts.pop() ?? '';
        for (const line of parts) {
          if (!line.trim()) continue;
          const parsed = JSON.parse(line) as Record<string, unknown>;
          lines.push(parsed);
          if (parsed.msg === 'desk server listening') resolve(parsed);
        }
      });
      void exited.then((code) => reject(new Error(`the server exited (${code}) before it listened: ${stderr}`)));
    });
    expect(listening).toMatchObject({ dataFile: join(dir, 'desk.sqlite') });
    const url = String(listening?.url);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The generated admin password and CTI token are printed once, the demo logins in demo mode.
    const admin = lines.find((l) => l.msg === 'created the first lead account');
    expect(admin).toMatchObject({ email: 'admin@desk.local' });
    expect(String(admin?.password)).toHaveLength(24);
    const ctiToken = readFileSync(join(dir, 'cti-token'), 'utf8').trim();
    expect(lines.find((l) => typeof l.ctiToken === 'string')?.ctiToken).toBe(ctiToken);
    expect(lines.some((l) => String(l.msg).includes('demo-password-1'))).toBe(true);
    const login = await api({ url }).post(ROUTES.login, { email: 'admin@desk.local', password: admin?.password });
    expect(login.status).toBe(200);
    // "Change it" is enforced: the generated password opens only the password route.
    expect(login.body.account.mustChangePassword).toBe(true);
    const admin1 = api({ url }, login.body.token);
    expect((await admin1.get(ROUTES.specialists)).body.error.code).toBe('password_change_required');
    expect((await admin1.post(ROUTES.password, { newPassword: 'Ylläpitäjän-oma-salasana-9' })).status).toBe(200);
    expect((await admin1.get(ROUTES.specialists)).status).toBe(200);
    const call = await api({ url }).post(ROUTES.cti(ctiToken), { event: 'newCall', from: '0701234567', to: '0812345000', direction: 'in', callId: 'c1' });
    expect(call.body).toEqual({});
    // Only the server's user may read what it keeps: folders 0700, files 0600, the old ones tightened.
    const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);
    expect(modeOf(dir)).toBe('700');
    expect(modeOf(join(dir, 'backups'))).toBe('700');
    for (const file of [...readdirSync(dir).filter((f) => f !== 'backups'), 'backups/old.sqlite']) expect(`${file} ${modeOf(join(dir, file))}`).toBe(`${file} 600`);
    expect(readdirSync(dir)).toEqual(expect.arrayContaining(['desk.sqlite', 'desk.sqlite-wal', 'desk.sqlite-shm', 'cti-token']));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
    // The request log shows the webhook, never the phone switch's secret in its URL.
    const requestLines = lines.filter((l) => l.req !== undefined);
    expect(requestLines.some((l) => JSON.stringify(l).includes('/api/v1/cti/[redacted]'))).toBe(true);
    expect(requestLines.some((l) => JSON.stringify(l).includes(ctiToken))).toBe(false);
  }, 60_000);
});
