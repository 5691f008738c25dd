/**
 * Push acknowledgement after the WAL is synced off the event loop (sync/wal-sync.ts, push.ts):
 * batching of syncs, and a group that is committed but not yet synced is neither answered nor
 * in the change feed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushResponse } from '../../../shared/api';
import { seedDemoData } from '../../../server/demo/seed';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { changesPage } from '../../../server/sync/pull';
import { PushQueue } from '../../../server/sync/push';
import { WalFile, WalSync } from '../../../server/sync/wal-sync';
import { startTestServer } from '../../support/server';
import { Desk } from '../../support/cases';
import { api } from '../../support/http';

/** An fsync the test finishes by hand. */
function gatedFsync() {
  const gates: Array<() => void> = [];
  return {
    started: () => gates.length,
    finish: () => gates.shift()?.(),
    fsync: () => new Promise<void>((resolve) => gates.push(resolve)),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WalSync', () => {
  it('covers every call with an fsync that started after it, two at once, the rest batched', async () => {
    const gate = gatedFsync();
    const wal = new WalSync(gate.fsync);
    const done: string[] = [];
    void wal.sync().then(() => done.push('a'));
    await tick();
    expect(gate.started()).toBe(1);
    // Made while the first runs: its own fsync starts at once instead of after the first.
    void wal.sync().then(() => done.push('b'));
    await tick();
    expect(gate.started()).toBe(2);
    // With two under way, later calls wait, and share the next.
    void wal.sync().then(() => done.push('c'));
    void wal.sync().then(() => done.push('d'));
    await tick();
    expect(gate.started()).toBe(2);
    gate.finish();
    await tick();
    expect(done).toEqual(['a']);
    expect(gate.started()).toBe(2);
    gate.finish();
    await tick();
    expect(done).toEqual(['a', 'b']);
    gate.finish();
    await tick();
    expect(done).toEqual(['a', 'b', 'c', 'd']);
  });

  it('answers earlier calls when a later fsync returns first, in call order', async () => {
    const finishers: Array<() => void> = [];
    const wal = new WalSync(() => new Promise<void>((resolve) => finishers.push(resolve)));
    const done: string[] = [];
    void wal.sync().then(() => done.push('a'));
    void wal.sync().then(() => done.push('b'));
    await tick();
    // The second fsync started after the first call's commit, so it covers that commit too.
    finishers[1]?.();
    await tick();
    expect(done).toEqual(['a', 'b']);
    finishers[0]?.();
    await tick();
    expect(done).toEqual(['a', 'b']);
    await expect(wal.idle()).resolves.toBeUndefined();
  });

  it('fails the callers of a failed fsync, and goes on with the next', async () => {
    let fail = true;
    const wal = new WalSync(async () => {
      if (fail) throw new Error('EIO');
    });
    await expect(wal.sync()).rejects.toThrow('EIO');
    fail = false;
    await expect(wal.sync()).resolves.toBeUndefined();
  });

  it('is idle once every sync asked for has finished', async () => {
    const gate = gatedFsync();
    const wal = new WalSync(gate.fsync);
    void wal.sync();
    let idle = false;
    void wal.idle().then(() => (idle = true));
    await tick();
    expect(idle).toBe(false);
    gate.finish();
    await tick();
    expect(idle).toBe(true);
  });
});

/** Open file descriptors of this process on `path`, deleted or not (Linux: /proc/self/fd). */
function descriptorsOn(path: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target === path || target === `${path} (deleted)`;
    } catch {
      return false;
    }
  }).length;
}

describe('WalFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-wal-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the database\'s WAL file, and refuses once closed', async () => {
    const store = openStore(dataFile(dir));
    try {
      store.db.prepare(`INSERT INTO counters (name, value) VALUES ('wal-test', 1)`).run();
      expect(existsSync(`${store.file}-wal`)).toBe(true);
      const wal = new WalFile(store.file);
      await expect(wal.datasync()).resolves.toBeUndefined();
      await wal.close();
      await expect(wal.datasync()).rejects.toThrow('closed');
    } finally {
      store.close();
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))('keeps one handle for every sync and lets it go on close', async () => {
    const store = openStore(dataFile(dir));
    try {
      store.db.prepare(`INSERT INTO counters (name, value) VALUES ('wal-test', 1)`).run();
      const walPath = `${store.file}-wal`;
      const sqliteOwn = descriptorsOn(walPath);
      const wal = new WalFile(store.file);
      await wal.datasync();
      await wal.datasync();
      expect(descriptorsOn(walPath)).toBe(sqliteOwn + 1);
      await wal.close();
      expect(descriptorsOn(walPath)).toBe(sqliteOwn);
    } finally {
      store.close();
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))('is let go when the server closes', async () => {
    const server = await startTestServer({ cases: 5 });
    const walPath = `${server.store.file}-wal`;
    // The server's connection, and the checkpointer's, which its worker opens as it starts:
    // counted once both hold the WAL (counted before, the worker's came in later now and then).
    await vi.waitFor(() => expect(descriptorsOn(walPath)).toBe(2), { timeout: 10_000 });
    const sqliteOwn = descriptorsOn(walPath);
    const target = server.store.cases.getByNumber(100_001)!;
    const desk = new Desk(api(server, await server.login()));
    const result = await desk.push(desk.mutation('addNote', { caseId: target.id, eventId: randomUUID(), text: 'Ringde.' }));
    expect(result.results[0]?.status).toBe('applied');
    // The acknowledgement's sync opened the server's own handle on the WAL.
    expect(descriptorsOn(walPath)).toBe(sqliteOwn + 1);
    await server.close();
    expect(descriptorsOn(walPath)).toBe(0);
  });
});

describe('PushQueue', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-push-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 20, seed: 3 });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a group, pokes and shows it in the change feed only once its WAL is synced', async () => {
    const gate = gatedFsync();
    const pokes: number[] = [];
    const queue = new PushQueue(store, () => new Date(), (seq) => pokes.push(seq), new WalSync(gate.fsync));
    const actor = store.specialists.list()[0]!;
    const target = store.cases.getByNumber(100_001)!;
    const before = store.changes.latestSeq();
    let answer: PushResponse | null = null;
    void queue
      .push(actor, [{ clientId: randomUUID(), mutationId: 1, name: 'addNote', args: { caseId: target.id, eventId: randomUUID(), text: 'Ringde.' } }])
      .then((r) => (answer = r));
    await tick();
    await tick();
    // Committed (the next group could read it), not yet on disk: nobody is told.
    expect(store.changes.latestSeq()).toBeGreaterThan(before);
    expect(queue.visibleSeq()).toBe(before);
    expect(JSON.parse(changesPage(store, before, 100, queue.visibleSeq()).json)).toMatchObject({ cases: [], events: [], hasMore: false });
    expect(answer).toBeNull();
    expect(pokes).toEqual([]);
    gate.finish();
    await tick();
    expect(answer).toMatchObject({ results: [{ status: 'applied' }] });
    expect(queue.visibleSeq()).toBe(store.changes.latestSeq());
    expect(pokes).toEqual([store.changes.latestSeq()]);
    expect(JSON.parse(changesPage(store, before, 100, queue.visibleSeq()).json).cases).toHaveLength(1);
    // Every other writer keeps syncing in COMMIT.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('answers groups in commit order when the later group\'s sync returns first', async () => {
    const finishers: Array<() => void> = [];
    const pokes: number[] = [];
    const queue = new PushQueue(store, () => new Date(), (seq) => pokes.push(seq), new WalSync(() => new Promise<void>((resolve) => finishers.push(resolve))));
    const actor = store.specialists.list()[0]!;
    const target = store.cases.getByNumber(100_001)!;
    const before = store.changes.latestSeq();
    const answered: number[] = [];
    const note = (mutationId: number) =>
      queue
        .push(actor, [{ clientId: randomUUID(), mutationId, name: 'addNote', args: { caseId: target.id, eventId: randomUUID(), text: `Ringde ${mutationId}.` } }])
        .then(() => answered.push(mutationId));
    void note(1);
    await tick();
    const afterFirst = store.changes.latestSeq();
    void note(2);
    await tick();
    expect(finishers).toHaveLength(2);
    expect(queue.visibleSeq()).toBe(before);
    // The second sync started after both commits: both are on disk.
    finishers[1]?.();
    await tick();
    expect(answered).toEqual([1, 2]);
    expect(pokes).toEqual([afterFirst, store.changes.latestSeq()]);
    expect(queue.visibleSeq()).toBe(store.changes.latestSeq());
    finishers[0]?.();
    await tick();
    expect(answered).toEqual([1, 2]);
    expect(queue.visibleSeq()).toBe(store.changes.latestSeq());
  });
});
