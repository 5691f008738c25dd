/**
 * The server the desk talks to. With a server URL in settings, that one. Without, the shell
 * starts Desk's own server on this machine as a separate process, SQLite file in the user-data
 * folder, demo data on the first run. A separate process because better-sqlite3 is a native
 * module built for one ABI: from source it is built for Node (so the Node that runs npm starts
 * the server with tsx), packaged it is rebuilt for Electron (so `utilityProcess` runs the bundled
 * server). Either way the desk uses one code path: HTTP and WebSocket to a URL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { app, utilityProcess } from 'electron';
import { ROUTES } from '../../shared/api';
import { centreDirOf, centreEnv, centreUrlOf } from './centre';
import { log } from './log';

export const SERVER_HOST = '127.0.0.1';
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_LINES = 20;

export type LaunchSpec =
  | { kind: 'node'; command: string; args: string[]; cwd: string }
  | { kind: 'utility'; modulePath: string; cwd: string };

/** How to start the server: from source with tsx on the npm's Node, or the packaged bundle. */
export function launchSpec(isPackaged: boolean, appPath: string, env: NodeJS.ProcessEnv = process.env): LaunchSpec {
  if (isPackaged) {
    // appPath is …/resources/app.asar, a file: the process gets the resources folder as its cwd.
    return { kind: 'utility', modulePath: join(appPath, 'out', 'main', 'server.js'), cwd: dirname(appPath) };
  }
  return {
    kind: 'node',
    // npm sets npm_node_execpath to the Node it runs on: the one better-sqlite3 was built for.
    command: env.npm_node_execpath || 'node',
    args: ['--import', 'tsx', join(appPath, 'server', 'cli', 'server.ts')],
    cwd: appPath,
  };
}

/** A free TCP port on 127.0.0.1, found by letting the OS pick one and releasing it. */
export function findFreePort(host = SERVER_HOST): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no port assigned'))));
    });
  });
}

interface ServerProcess {
  stdout: NodeJS.ReadableStream | null;
  stderr: NodeJS.ReadableStream | null;
  /** Resolves with the exit code (null after a signal or a failed start). */
  exited: Promise<number | null>;
  kill(force: boolean): void;
}

function startProcess(spec: LaunchSpec, env: NodeJS.ProcessEnv): ServerProcess {
  if (spec.kind === 'utility') {
    const child = utilityProcess.fork(spec.modulePath, [], { env, cwd: spec.cwd, stdio: 'pipe', serviceName: 'Desk server' });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      exited: new Promise((resolveExit) => child.once('exit', resolveExit)),
      kill: () => void child.kill(),
    };
  }
  const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    exited: new Promise((resolveExit) => {
      child.once('exit', (code) => resolveExit(code));
      child.once('error', (error) => {
        log('error', 'server', 'server process could not start', { command: spec.command, error: String(error) });
        resolveExit(null);
      });
    }),
    kill: (force) => void child.kill(force ? 'SIGKILL' : 'SIGTERM'),
  };
}

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Polls GET /health until it answers 200; fails when the process exits or time runs out. */
export async function waitForHealth(baseUrl: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`server exited (code ${exitCode}) before it was healthy`);
    try {
      const response = await fetch(new URL(ROUTES.health, baseUrl), { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await delay(100);
  }
  throw new Error(`server not healthy within ${timeoutMs} ms`);
}

export interface DeskServer {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedServerOptions {
  dataDir: string;
  /** Origins the server's CORS and WebSocket checks accept: the app's own. */
  allowedOrigins: readonly string[];
  healthTimeoutMs?: number;
  /** How long the server gets to close its database after SIGTERM before it is killed. */
  stopTimeoutMs?: number;
  /** The customer centre's built bundle, served at `/centre/`; null or absent: no centre. */
  centreDir?: string | null;
}

export async function startEmbeddedServer(spec: LaunchSpec, options: EmbeddedServerOptions): Promise<DeskServer> {
  const firstRun = !existsSync(options.dataDir);
  mkdirSync(options.dataDir, { recursive: true });
  const port = await findFreePort();
  const url = `http://${SERVER_HOST}:${port}`;
  const child = startProcess(spec, {
    ...process.env,
    DESK_PORT: String(port),
    // Loopback only: the embedded server is this desk's, not the office network's.
    DESK_HOST: SERVER_HOST,
    DESK_DATA_DIR: options.dataDir,
    DESK_ALLOWED_ORIGINS: options.allowedOrigins.join(','),
    ...(firstRun ? { DESK_DEMO: '1' } : {}),
    ...centreEnv(options.centreDir ?? null, url),
  });

  const stderrTail: string[] = [];
  child.stdout?.pipe(process.stdout);
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      process.stderr.write(`${line}\n`);
      stderrTail.push(line);
      if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
    });
  }
  // A main process that dies without quitting must not leave the server running.
  const killOnExit = (): void => child.kill(true);
  process.once('exit', killOnExit);

  let exited = false;
  void child.exited.then(() => {
    exited = true;
    process.removeListener('exit', killOnExit);
  });
  const stop = async (): Promise<void> => {
    if (exited) return;
    child.kill(false);
    const stopped = await Promise.race([child.exited.then(() => true), delay(options.stopTimeoutMs ?? STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      log('warn', 'server', 'server ignored SIGTERM; killing it');
      child.kill(true);
      await child.exited;
    }
  };

  try {
    await waitForHealth(url, child.exited, options.healthTimeoutMs ?? HEALTH_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderrTail.join('\n')}`.trim(), { cause: error });
  }
  log('info', 'server', 'embedded server ready', { url, dataDir: options.dataDir, demo: firstRun });
  const centreUrl = centreUrlOf(url, options.centreDir ?? null);
  if (centreUrl) log('info', 'server', `the customer centre is at ${centreUrl}`, { centreUrl, centreDir: options.centreDir });
  else log('info', 'server', 'no customer centre: its bundle is not built (npm run build:centre)');
  return { url, stop };
}

/** The configured server, or an embedded one started for this desk. */
export async function resolveServer(configuredUrl: string | null, allowedOrigins: readonly string[]): Promise<DeskServer> {
  if (configuredUrl !== null) {
    log('info', 'server', 'using the configured server', { url: configuredUrl });
    return { url: configuredUrl, stop: async () => {} };
  }
  const spec = launchSpec(app.isPackaged, app.getAppPath());
  const centreDir = centreDirOf(app.isPackaged, app.getAppPath(), process.resourcesPath);
  return startEmbeddedServer(spec, { dataDir: join(app.getPath('userData'), 'data'), allowedOrigins, centreDir });
}

/** Holds the quit until the server has stopped, so its SQLite file is closed cleanly. */
export function stopServerOnQuit(server: DeskServer): void {
  let stopped = false;
  app.on('will-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    void server
      .stop()
      .catch((error: unknown) => log('error', 'server', 'server did not stop cleanly', { error: String(error) }))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
}
