import * as childProcess from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  findFreePort,
  launchSpec,
  resolveServer,
  startEmbeddedServer,
  stopServerOnQuit,
  type DeskServer,
  type LaunchSpec,
} from '../../electron/main/server';
import { request } from '../support/http';
import { app, resetFakes, utilityProcess } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));
// The pid of what was spawned is known the moment it is spawned, however slowly it then starts.
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof childProcess>();
  return { ...actual, default: actual, spawn: vi.fn(actual.spawn) };
});
const spawn = vi.mocked(childProcess.spawn);

const FIXTURE = fileURLToPath(new URL('./fixtures/fake-server.mjs', import.meta.url));
const nodeSpec: LaunchSpec = { kind: 'node', command: process.execPath, args: [FIXTURE], cwd: process.cwd() };
const ORIGINS = ['app://desk'];

let dir: string;
let started: DeskServer[] = [];

beforeEach(() => {
  resetFakes();
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  dir = mkdtempSync(join(tmpdir(), 'desk-server-'));
  started = [];
});
afterEach(async () => {
  await Promise.all(started.map((s) => s.stop()));
  delete process.env.FIXTURE_MODE;
  delete process.env.FIXTURE_DELAY_MS;
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function start(spec: LaunchSpec = nodeSpec, extra: { healthTimeoutMs?: number; stopTimeoutMs?: number } = {}): Promise<DeskServer> {
  const server = await startEmbeddedServer(spec, { dataDir: join(dir, 'data'), allowedOrigins: ORIGINS, ...extra });
  started.push(server);
  return server;
}

async function fixtureEnv(server: DeskServer): Promise<{ pid: number; env: Record<string, string> }> {
  return (await request<{ pid: number; env: Record<string, string> }>(server.url, 'GET', '/fixture/env')).body;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('launchSpec', () => {
  it('from source: the Node that runs npm, with tsx, on server/cli/server.ts', () => {
    expect(launchSpec(false, '/repo', { npm_node_execpath: '/usr/bin/node20' })).toEqual({
      kind: 'node',
      command: '/usr/bin/node20',
      args: ['--import', 'tsx', join('/repo', 'server', 'cli', 'server.ts')],
      cwd: '/repo',
    });
    expect(launchSpec(false, '/repo', {})).toMatchObject({ command: 'node' });
  });
  it('packaged: the bundled server entry in a utility process', () => {
    expect(launchSpec(true, '/opt/desk/resources/app.asar')).toEqual({
      kind: 'utility',
      modulePath: join('/opt/desk/resources/app.asar', 'out', 'main', 'server.js'),
      cwd: '/opt/desk/resources',
    });
  });
});

describe('findFreePort', () => {
  it('returns a port that can be listened on at 127.0.0.1', async () => {
    const port = await findFreePort();
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
  });
});

describe('embedded server', () => {
  it('starts on a free loopback port, waits for /health and passes its environment', async () => {
    process.env.FIXTURE_DELAY_MS = '400';
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await request(server.url, 'GET', '/health')).status).toBe(200);
    const { env } = await fixtureEnv(server);
    expect(env).toMatchObject({
      DESK_HOST: '127.0.0.1',
      DESK_PORT: new URL(server.url).port,
      DESK_DATA_DIR: join(dir, 'data'),
      DESK_ALLOWED_ORIGINS: 'app://desk',
      DESK_DEMO: '1',
    });
  });

  it('seeds demo data on the first run only', async () => {
    const first = await start();
    await first.stop();
    const second = await start();
    expect((await fixtureEnv(second)).env.DESK_DEMO).toBeUndefined();
  });

  it('stops the process', async () => {
    const server = await start();
    const { pid } = await fixtureEnv(server);
    expect(isAlive(pid)).toBe(true);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
    await expect(request(server.url, 'GET', '/health')).rejects.toThrow();
  });

  it('kills a server that ignores SIGTERM', async () => {
    process.env.FIXTURE_MODE = 'stubborn';
    const server = await start(nodeSpec, { stopTimeoutMs: 300 });
    const { pid } = await fixtureEnv(server);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
  });

  it('fails with the server’s own error when it exits during start', async () => {
    process.env.FIXTURE_MODE = 'crash';
    await expect(start()).rejects.toThrow(/exited \(code 3\)[\s\S]*cannot open database/);
  });

  it('fails and stops the process when /health never turns healthy', async () => {
    process.env.FIXTURE_MODE = 'unhealthy';
    spawn.mockClear();
    await expect(start(nodeSpec, { healthTimeoutMs: 600 })).rejects.toThrow(/not healthy within 600 ms/);
    expect(spawn).toHaveBeenCalledTimes(1);
    const pid = spawn.mock.results[0]?.value.pid as number | undefined;
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid ?? 0)).toBe(false);
  });

  it('fails when the command does not exist', async () => {
    await expect(start({ kind: 'node', command: join(dir, 'no-such-node'), args: [], cwd: dir })).rejects.toThrow(/exited/);
  });

  it('runs the packaged entry through utilityProcess.fork', async () => {
    const server = await start({ kind: 'utility', modulePath: FIXTURE, cwd: process.cwd() });
    expect(utilityProcess.fork).toHaveBeenCalledWith(FIXTURE, [], expect.objectContaining({ stdio: 'pipe' }));
    const { pid } = await fixtureEnv(server);
    await server.stop();
    expect(isAlive(pid)).toBe(false);
  });
});

describe('stopServerOnQuit', () => {
  it('holds the quit until the server has stopped, then quits', async () => {
    const server = await start();
    const { pid } = await fixtureEnv(server);
    stopServerOnQuit(server);

    const firstQuit = { preventDefault: vi.fn() };
    app.emit('will-quit', firstQuit);
    expect(firstQuit.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(isAlive(pid)).toBe(false);

    // The quit that follows goes through.
    const secondQuit = { preventDefault: vi.fn() };
    app.emit('will-quit', secondQuit);
    expect(secondQuit.preventDefault).not.toHaveBeenCalled();
  });
});

describe('resolveServer', () => {
  it('connects to a configured server without starting one', async () => {
    const server = await resolveServer('https://desk.softone.se', ORIGINS);
    expect(server.url).toBe('https://desk.softone.se');
    expect(utilityProcess.fork).not.toHaveBeenCalled();
    await expect(server.stop()).resolves.toBeUndefined();
  });
});
