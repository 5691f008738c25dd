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
 * Every `sync()` is covered by an fsync that starts after the call, and the calls that arrive
 * while one runs share the next: one fsync per batch of commits, like a group commit.
 */
import { open } from 'node:fs/promises';

export type Fsync = () => Promise<void>;

/** fdatasync of the database's WAL, opened per sync so that a WAL replaced meanwhile is the one synced. */
export function walFsync(databaseFile: string): Fsync {
  return async () => {
    // r+: Windows flushes only a handle opened for writing.
    const handle = await open(`${databaseFile}-wal`, 'r+');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
  };
}

export class WalSync {
  private waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  private running = false;

  constructor(private readonly fsync: Fsync) {}

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await this.fsync();
        for (const w of batch) w.resolve();
      } catch (error) {
        for (const w of batch) w.reject(error);
      }
    }
    this.running = false;
  }
}
