/**
 * Push acknowledgement after the WAL is synced off the event loop (sync/wal-sync.ts, push.ts):
 * batching of syncs, and a group that is committed but not yet synced is neither answered nor
 * in the change feed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../shared/api';
import { seedDemoData } from '../../server/seed';
import { dataFile, openStore, type Store } from '../../server/store/store';
import { changesPage } from '../../server/sync/pull';
import { PushQueue } from '../../server/sync/push';
import { walFsync, WalSync } from '../../server/sync/wal-sync';

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
  it('covers every call with an fsync that started after it, one fsync per batch', async () => {
    const gate = gatedFsync();
    const wal = new WalSync(gate.fsync);
    const done: string[] = [];
    void wal.sync().then(() => done.push('a'));
    await tick();
    expect(gate.started()).toBe(1);
    // Arrive while the first runs: they need the next fsync, and share it.
    void wal.sync().then(() => done.push('b'));
    void wal.sync().then(() => done.push('c'));
    await tick();
    expect(gate.started()).toBe(1);
    gate.finish();
    await tick();
    expect(done).toEqual(['a']);
    expect(gate.started()).toBe(1);
    gate.finish();
    await tick();
    expect(done).toEqual(['a', 'b', 'c']);
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

  it('syncs the database\'s WAL file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'desk-wal-'));
    try {
      const store = openStore(dataFile(dir));
      store.db.prepare(`INSERT INTO counters (name, value) VALUES ('wal-test', 1)`).run();
      expect(existsSync(`${store.file}-wal`)).toBe(true);
      await expect(walFsync(store.file)()).resolves.toBeUndefined();
      store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
});
