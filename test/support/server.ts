/**
 * A real Desk server for tests and benchmarks: a temporary data folder, seeded demo data, a free
 * port on 127.0.0.1, logging off; `close()` stops it and removes the folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type StartServerOptions } from '../../server/http/app';
import { DEMO_PASSWORD, seedDemoData, type SeedSummary } from '../../server/demo/seed';
import { dataFile, openStore, type Store } from '../../server/store/store';
import { login } from './http';

export interface TestServerOptions {
  /** Demo cases to seed (default 200); 0 seeds customers and specialists only. */
  cases?: number;
  seed?: number;
  /** The instant the demo data is generated relative to (default: now). */
  now?: Date;
  /** Serve a built renderer at `/`. */
  staticDir?: string;
  /** Further server options (throttle, session length, live timings, CTI options, …). */
  server?: Omit<StartServerOptions, 'store' | 'dataDir' | 'host' | 'port' | 'staticDir'>;
}

export interface TestServer {
  url: string;
  ctiToken: string;
  dataDir: string;
  /** Every route the server registered ("GET /api/cases/:id/events"). */
  routes: string[];
  /** The running server's store (the same SQLite file), for assertions. */
  store: Store;
  seed: SeedSummary;
  /** Logs in (default: the demo lead) and returns the bearer token. */
  login(email?: string, password?: string): Promise<string>;
  leadEmail: string;
  specialistEmails: string[];
  password: string;
  close(): Promise<void>;
  /** The SLA escalation scheduler: move the server's clock (`server.now`), then `runDue()`. */
  escalation: RunningServerEscalation;
  /** The server's limits, read on every request: change them live (bootstrapConcurrency, …). */
  limits: RunningServer['limits'];
}

type RunningServer = Awaited<ReturnType<typeof startServer>>;
type RunningServerEscalation = RunningServer['escalation'];

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-test-'));
  const store = openStore(dataFile(dataDir));
  let server;
  try {
    const seed = await seedDemoData(store, {
      cases: options.cases ?? 200,
      seed: options.seed ?? 42,
      ...(options.now ? { now: options.now } : {}),
    });
    server = await startServer({ ...options.server, store, host: '127.0.0.1', port: 0, staticDir: options.staticDir ?? null, logger: false });
    const url = server.url;
    const running = server;
    return {
      url,
      ctiToken: server.ctiToken,
      dataDir,
      routes: server.routes,
      store,
      seed,
      leadEmail: seed.leadEmail,
      specialistEmails: seed.specialistEmails,
      password: DEMO_PASSWORD,
      escalation: running.escalation,
      limits: running.limits,
      login: (email = seed.leadEmail, password = DEMO_PASSWORD) => login(url, email, password),
      async close() {
        await running.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (!server) store.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
