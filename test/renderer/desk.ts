/**
 * A headless desk for sync tests: the production cache, store, outbox and engine, with
 * fake-indexeddb instead of the browser's IndexedDB and `ws` instead of the browser's
 * WebSocket. Nothing else is faked; the server is real.
 */
import WebSocket from 'ws';
import { LoginResponseSchema, ROUTES, type Specialist } from '../../shared/index';
import { ApiClient, type FetchLike } from '../../renderer/src/api/client';
import { DeskDb } from '../../renderer/src/cache/db';
import { readStoredCache } from '../../renderer/src/cache/storedCache';
import type { CaseRow } from '../../renderer/src/model/rows';
import { DeskStore } from '../../renderer/src/store/store';
import { SyncEngine, type CallMessage, type SyncStatus } from '../../renderer/src/sync/engine';
import type { SocketLike } from '../../renderer/src/sync/live';
import { Outbox } from '../../renderer/src/sync/outbox';
import { SyncWorkInline } from '../../renderer/src/sync/work';

export interface TestDesk {
  me: Specialist;
  token: string;
  db: DeskDb;
  store: DeskStore;
  outbox: Outbox;
  api: ApiClient;
  work: SyncWorkInline;
  engine: SyncEngine;
  clientId: string;
  calls: CallMessage[];
  statuses: SyncStatus[];
  close(): void;
}

let dbCounter = 0;

export async function whoAmI(url: string, token: string): Promise<Specialist> {
  const api = new ApiClient({ baseUrl: url, token: () => token });
  return (await api.get(ROUTES.me, LoginResponseSchema.omit({ token: true }))).specialist;
}

export async function openDesk(
  url: string,
  token: string,
  opts: { dbName?: string; pageSize?: number; live?: boolean; fetch?: FetchLike } = {},
): Promise<TestDesk> {
  const me = await whoAmI(url, token);
  const dbName = opts.dbName ?? `desk-test-${process.pid}-${++dbCounter}`;
  const db = new DeskDb(dbName);
  await db.open();
  let clientId = await db.getMeta('clientId');
  if (!clientId) {
    clientId = crypto.randomUUID();
    await db.setMeta('clientId', clientId);
  }
  const store = new DeskStore({ id: me.id, role: me.role });
  const api = new ApiClient({ baseUrl: url, token: () => token, ...(opts.fetch ? { fetch: opts.fetch } : {}) });
  const work = new SyncWorkInline({ baseUrl: url, token, dbName, bootstrapPageSize: opts.pageSize });
  let engine: SyncEngine | null = null;
  const outbox = new Outbox(db, store, clientId, () => engine?.requestPush());
  const calls: CallMessage[] = [];
  const statuses: SyncStatus[] = [];
  engine = new SyncEngine({
    db,
    api,
    work,
    store,
    outbox,
    clientId,
    teams: () => me.teams,
    token: () => token,
    // Without `live`, the socket never connects (a refused port) and the tests drive pulls.
    createSocket: (socketUrl) =>
      new WebSocket(opts.live === false ? 'ws://127.0.0.1:9/' : socketUrl) as unknown as SocketLike,
    onStatus: (s) => statuses.push(s),
    onCall: (m) => calls.push(m),
  });
  await outbox.reload();
  const { deltas, orders } = await readStoredCache(db);
  store.load(deltas, orders ?? undefined);
  const desk: TestDesk = {
    me,
    token,
    db,
    store,
    outbox,
    api,
    work,
    engine,
    clientId,
    calls,
    statuses,
    close() {
      engine?.stop();
      work.close();
      db.close();
    },
  };
  return desk;
}

/** Cases stored in the cache's chunks, each once (what a cold start rebuilds the store from). */
export async function cachedCases(db: DeskDb): Promise<Map<string, CaseRow>> {
  const byId = new Map<string, CaseRow>();
  for (const delta of (await readStoredCache(db)).deltas) for (const r of delta.rows) if ((byId.get(r.id)?.version ?? 0) <= r.version) byId.set(r.id, r);
  return byId;
}

/** Waits until `check` holds, polling; fails with `what` after the timeout. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Runs the engine until the outbox holds nothing live and the loop is idle. */
export async function settle(desk: TestDesk): Promise<void> {
  desk.engine.requestSync();
  await until(async () => {
    await desk.engine.idle();
    const live = (await desk.db.outbox.toArray()).filter((e) => e.state === 'pending' || e.state === 'sent');
    return live.length === 0;
  }, 'the outbox to drain');
  await desk.engine.idle();
}
