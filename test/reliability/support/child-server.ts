/**
 * The real server (`server/cli/server.ts`, what `npm run server` runs) as a separate OS process on a
 * data folder, so a test can kill -9 it and start it again on the same file. It runs as
 * `node --import tsx server/cli/server.ts` — node itself, not the `tsx` wrapper, whose child would
 * survive a SIGKILL of the wrapper.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../../server/demo/seed';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const ADMIN_EMAIL = 'admin@reliability.test';
export const ADMIN_PASSWORD = 'reliability-admin-password';
export { DEMO_PASSWORD };

/** A free port on 127.0.0.1, kept for the server's whole life so desks reach it after a restart. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The environment of the test process without vitest's own variables. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('VITEST') && key !== 'NODE_OPTIONS') env[key] = value;
  return { ...env, ...extra };
}

export interface ChildServerOptions {
  dataDir: string;
  port: number;
  /** Demo cases seeded on the first start (DESK_DEMO=1). */
  demoCases: number;
  ctiToken: string;
}

export class ChildServer {
  private child: ChildProcess | null = null;
  private output: string[] = [];
  readonly url: string;

  constructor(readonly options: ChildServerOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  get dataFile(): string {
    return join(this.options.dataDir, 'desk.sqlite');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the server wrote, for failure messages. */
  logs(): string {
    return this.output.slice(-30).join('');
  }

  /** Starts the process and resolves once it reports that it listens. */
  start(): Promise<void> {
    if (this.child) throw new Error('already running');
    const child = fork(join(REPO_ROOT, 'server/cli/server.ts'), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: cleanEnv({
        DESK_DATA_DIR: this.options.dataDir,
        DESK_PORT: String(this.options.port),
        DESK_HOST: '127.0.0.1',
        DESK_DEMO: '1',
        DESK_DEMO_CASES: String(this.options.demoCases),
        DESK_CTI_TOKEN: this.options.ctiToken,
        DESK_ADMIN_EMAIL: ADMIN_EMAIL,
        DESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      }),
    });
    this.child = child;
    // If the test process ends without stopping it (a failed hook, a timeout), the server goes too.
    const orphanGuard = (): void => void child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.removeListener('exit', orphanGuard));
    const keep = (chunk: Buffer): void => {
      this.output.push(chunk.toString());
      if (this.output.length > 200) this.output.splice(0, 100);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    return new Promise((resolveStart, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        fail(new Error('the server did not start within 60 s'));
      }, 60_000);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        reject(new Error(`${error.message}\n${this.logs()}`));
      };
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        fail(new Error(`the server exited during startup (${code ?? signal})`));
      });
      child.on('message', (message: { type?: string }) => {
        if (message.type !== 'listening') return;
        clearTimeout(timer);
        resolveStart();
      });
    });
  }

  /**
   * kill -9: no shutdown code runs, as in a crash of the process. (Not of the machine: what the
   * process handed to the OS still reaches the disk, so this proves transactions, not fsyncs.)
   */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  /** A graceful stop (SIGTERM): in-flight requests finish, then the database closes. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  private end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return Promise.resolve();
    this.child = null;
    return new Promise((resolveEnd) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolveEnd();
        return;
      }
      // A server stuck in a busy loop never runs its SIGTERM handler: it is killed after a grace period.
      const grace = signal === 'SIGKILL' ? null : setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        if (grace) clearTimeout(grace);
        resolveEnd();
      });
      child.kill(signal);
    });
  }
}
