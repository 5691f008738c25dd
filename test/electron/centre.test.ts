/**
 * The customer centre beside the embedded server: which bundle the shell hands the server
 * (from source: renderer/centre/dist; packaged: resources/centre; none when not built), that the
 * server's process gets DESK_CENTRE_DIR and DESK_CENTRE_URL (its own `/centre/` unless the user
 * set one), and that the shell logs where the centre is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { centreDirOf, centreEnv, centreUrlOf } from '../../electron/main/centre';
import { startEmbeddedServer, type DeskServer, type LaunchSpec } from '../../electron/main/server';
import { request } from '../support/http';
import { resetFakes } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const FIXTURE = fileURLToPath(new URL('./fixtures/fake-server.mjs', import.meta.url));
const nodeSpec: LaunchSpec = { kind: 'node', command: process.execPath, args: [FIXTURE], cwd: process.cwd() };

let dir: string;
let started: DeskServer[] = [];
beforeEach(() => {
  resetFakes();
  dir = mkdtempSync(join(tmpdir(), 'desk-centre-'));
  started = [];
});
afterEach(async () => {
  await Promise.all(started.map((s) => s.stop()));
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const only =
  (...paths: string[]) =>
  (path: string): boolean =>
    paths.includes(path);

describe('centreDirOf', () => {
  it('from source: the bundle npm start builds, when it is there', () => {
    expect(centreDirOf(false, '/src/desk', '/unused', only('/src/desk/renderer/centre/dist/index.html'))).toBe('/src/desk/renderer/centre/dist');
  });

  it('packaged: the copy in the resources folder', () => {
    expect(centreDirOf(true, '/opt/desk/resources/app.asar', '/opt/desk/resources', only('/opt/desk/resources/centre/index.html'))).toBe('/opt/desk/resources/centre');
  });

  it('no built bundle: no centre (the server runs without one)', () => {
    expect(centreDirOf(false, '/src/desk', '/unused', only())).toBeNull();
    expect(centreDirOf(true, '/opt/desk/resources/app.asar', '/opt/desk/resources', only('/src/desk/renderer/centre/dist/index.html'))).toBeNull();
  });
});

describe('centreEnv', () => {
  it('points the server at the bundle and the links at its own /centre/', () => {
    expect(centreEnv('/b', 'http://127.0.0.1:4567', {})).toEqual({ DESK_CENTRE_DIR: '/b', DESK_CENTRE_URL: 'http://127.0.0.1:4567/centre/' });
    expect(centreUrlOf('http://127.0.0.1:4567', '/b')).toBe('http://127.0.0.1:4567/centre/');
  });

  it('keeps an address the user set for the links', () => {
    expect(centreEnv('/b', 'http://127.0.0.1:4567', { DESK_CENTRE_URL: 'https://kund.softone.se/centre/' }).DESK_CENTRE_URL).toBe('https://kund.softone.se/centre/');
  });

  it('says nothing without a bundle', () => {
    expect(centreEnv(null, 'http://127.0.0.1:4567', {})).toEqual({});
    expect(centreUrlOf('http://127.0.0.1:4567', null)).toBeNull();
  });
});

describe('the embedded server with the centre', () => {
  it('gets DESK_CENTRE_DIR and DESK_CENTRE_URL, and the shell logs the centre\'s address', async () => {
    const bundle = join(dir, 'centre');
    mkdirSync(bundle);
    writeFileSync(join(bundle, 'index.html'), '<!doctype html>');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    const server = await startEmbeddedServer(nodeSpec, { dataDir: join(dir, 'data'), allowedOrigins: ['app://desk'], centreDir: bundle });
    started.push(server);
    const { env } = (await request<{ env: Record<string, string> }>(server.url, 'GET', '/fixture/env')).body;
    expect(env.DESK_CENTRE_DIR).toBe(bundle);
    expect(env.DESK_CENTRE_URL).toBe(`${server.url}/centre/`);
    expect(lines.some((l) => l.includes(`the customer centre is at ${server.url}/centre/`))).toBe(true);
  });

  it('without a bundle: no centre variables, and the log says how to build it', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    const server = await startEmbeddedServer(nodeSpec, { dataDir: join(dir, 'data'), allowedOrigins: ['app://desk'] });
    started.push(server);
    const { env } = (await request<{ env: Record<string, string> }>(server.url, 'GET', '/fixture/env')).body;
    expect(env.DESK_CENTRE_DIR).toBeUndefined();
    expect(lines.some((l) => l.includes('npm run build:centre'))).toBe(true);
  });
});
