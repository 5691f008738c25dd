/**
 * WAL checkpoints in a worker thread (store/checkpointer.ts): the server's connection never
 * checkpoints in a COMMIT, the WAL is still reused under a steady stream of commits (the hold),
 * group commits wait during a hold, and without the worker SQLite's own checkpoint comes back.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushResponse } from '../../../shared/api';
import { seedDemoData } from '../../../server/demo/seed';
import { Checkpointer, type CommitGate } from '../../../server/store/checkpointer';
import { dataFile, openStore, type Store } from '../../../server/store/store';
import { PushQueue } from '../../../server/sync/push';
import { WalSync } from '../../../server/sync/wal-sync';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Checkpointer', () => {
  let dir: string;
  let store: Store;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'desk-ckpt-'));
    store = openStore(dataFile(dir));
    store.db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** About 40 pages per call: each row overflows a page of its own. */
  const write = () => {
    const insert = store.db.prepare('INSERT INTO filler (body) VALUES (?)');
    store.transaction(() => {
      for (let i = 0; i < 10; i++) insert.run('x'.repeat(16_000));
    });
  };

  it('keeps the WAL bounded under steady commits while the server connection never checkpoints', async () => {
    // A hold ends when the worker says its checkpoint is done, not when a busy machine's clock says
    // so: the safety valve of maxHoldMs is not what this test is about.
    const checkpoints = new Checkpointer(store.db, store.file, { intervalMs: 5, restartFrames: 400, maxHoldMs: 60_000 });
    try {
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      // 600 commits of ~40 pages: 24,000 frames, with no pause long enough for a PASSIVE
      // checkpoint to catch up on its own. Commits wait out holds, as the push queue does.
      for (let i = 0; i < 600; i++) {
        if (checkpoints.held) await checkpoints.released();
        write();
        await tick();
      }
      const walPages = statSync(`${store.file}-wal`).size / 4096;
      expect(walPages).toBeLessThan(4_000);
    } finally {
      await checkpoints.stop();
    }
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('hands checkpoints back to SQLite when the worker fails', async () => {
    const errors: unknown[] = [];
    const checkpoints = new Checkpointer(store.db, join(dir, 'missing.sqlite'), undefined, (error) => errors.push(error));
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    await checkpoints.stop();
    expect(errors).toHaveLength(1);
    expect(checkpoints.held).toBe(false);
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });
});

describe('PushQueue behind a commit gate', () => {
  let dir: string;
  let store: Store;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'desk-gate-'));
    store = openStore(dataFile(dir));
    await seedDemoData(store, { cases: 5, seed: 3 });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits nothing while the gate is held and the queued pushes once it is released', async () => {
    let release: () => void = () => undefined;
    let reachedGate: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (reachedGate = resolve));
    const gate: CommitGate & { held: boolean } = {
      held: true,
      released: () => {
        reachedGate();
        return new Promise<void>((resolve) => (release = resolve));
      },
    };
    const queue = new PushQueue(store, () => new Date(), () => undefined, new WalSync(async () => undefined), gate);
    const actor = store.specialists.list()[0]!;
    const target = store.cases.getByNumber(100_001)!;
    const before = store.changes.latestSeq();
    const answers: PushResponse[] = [];
    const pushes = [1, 2].map((i) =>
      queue
        .push(actor, [{ clientId: randomUUID(), mutationId: i, name: 'addNote', args: { caseId: target.id, eventId: randomUUID(), text: `Ringde ${i}.` } }])
        .then((r) => answers.push(r)),
    );
    // The queue has come to the gate and waits there: whatever it would commit early, it has by now.
    await waiting;
    expect(store.changes.latestSeq()).toBe(before);
    expect(answers).toEqual([]);
    gate.held = false;
    release();
    await Promise.all(pushes);
    expect(answers.map((a) => a.results[0]?.status)).toEqual(['applied', 'applied']);
    expect(store.changes.latestSeq()).toBeGreaterThan(before);
  });
});
