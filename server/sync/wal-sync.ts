/**
 * Makes committed transactions durable without blocking the event loop. With
 * `synchronous = FULL`, SQLite fsyncs the write-ahead log inside COMMIT, and better-sqlite3
 * waits for it on the one thread that also parses every request: at a few milliseconds per
 * fsync, half of a busy server's time. A push group instead commits with `synchronous =
 * NORMAL` (the WAL is written, not synced) and is acknowledged once `sync()` has fsynced the
 * WAL file on libuv's thread pool — the same guarantee (an acknowledged mutation survives a
 * power cut: the WAL frames of its commit are on disk, and recovery replays them) while the
 * event loop goes on with the next requests.
 *
 * Every `sync()` is covered by an fsync that starts after the call. Up to two fsyncs run at
 * once, so a commit made just after one started does not wait for it to end before its own
 * begins; calls that arrive while both run share the next: one fsync per batch of commits,
 * like a group commit.
 */
import { open, type FileHandle } from 'node:fs/promises';

export type Fsync = () => Promise<void>;

/**
 * The database's WAL, held open for fdatasync. Opening and closing it around every sync cost
 * two more trips through the thread pool and back through a busy event loop per
 * acknowledgement, which under load was most of the time a push waited for its sync. One
 * handle is safe: SQLite deletes or replaces the WAL only when the last connection closes,
 * and the server's connection stays open until after `close()`.
 */
export class WalFile {
  private handle: Promise<FileHandle> | null = null;
  private closed = false;

  constructor(private readonly databaseFile: string) {}

  readonly datasync: Fsync = async () => {
    if (this.closed) throw new Error('the WAL file is closed');
    // r+: Windows flushes only a handle opened for writing.
    this.handle ??= open(`${this.databaseFile}-wal`, 'r+');
    try {
      await (await this.handle).datasync();
    } catch (error) {
      // A failed open is tried again by the next sync; a handle that fails to sync is let go.
      void this.release();
      throw error;
    }
  };

  async close(): Promise<void> {
    this.closed = true;
    await this.release();
  }

  private async release(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await handle?.then(
      (h) => h.close(),
      () => undefined,
    );
  }
}

/** fsyncs under way at once. */
const MAX_IN_FLIGHT = 2;

interface Batch {
  waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
  settled: boolean;
}

export class WalSync {
  private waiting: Batch['waiters'] = [];
  /** Batches whose fsync runs, oldest first. */
  private readonly running: Batch[] = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly fsync: Fsync) {}

  /** Resolves once everything committed before the call is on disk; callers are answered in call order. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.start();
    });
  }

  /** Resolves once every sync asked for so far has finished. */
  idle(): Promise<void> {
    return this.running.length === 0 && this.waiting.length === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private start(): void {
    if (this.waiting.length === 0 || this.running.length >= MAX_IN_FLIGHT) return;
    const batch: Batch = { waiters: this.waiting, settled: false };
    this.waiting = [];
    this.running.push(batch);
    this.fsync().then(
      // An fsync covers every write made before it started, so the batches that started
      // earlier are on disk too, even if their own fsync has not returned yet.
      () => this.settle(batch, (w) => w.resolve(), true),
      (error: unknown) => this.settle(batch, (w) => w.reject(error), false),
    );
  }

  private settle(batch: Batch, answer: (w: Batch['waiters'][number]) => void, coversEarlier: boolean): void {
    const index = this.running.indexOf(batch);
    for (const b of coversEarlier ? this.running.slice(0, index + 1) : [batch]) {
      if (b.settled) continue;
      b.settled = true;
      for (const w of b.waiters) answer(w);
    }
    this.running.splice(index, 1);
    this.start();
    if (this.running.length === 0 && this.waiting.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}
