/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that
 * pushes the WAL past 1000 pages: it copies those pages into the database file and fsyncs the
 * WAL and the database, on the one thread that also answers every request. Under a push load
 * that is a stall of 10–90 ms every few dozen commits, and a sixth of the event loop's time.
 *
 * So the running server turns the automatic checkpoint off and a worker thread with its own
 * connection checkpoints instead, PASSIVE (it never waits for, nor blocks, the server's readers
 * and writer). Durability is SQLite's own: a checkpoint syncs the WAL before it copies and the
 * database before it records the copy as done, and only a fully copied WAL is ever reused.
 *
 * One thing a PASSIVE checkpoint cannot do under a steady stream of commits is finish: frames
 * committed while it copies are left for the next, and SQLite reuses the WAL from its start
 * only when a writer finds every frame copied. So once the WAL is past `restartFrames`, the
 * worker asks for a short hold of the group commits (`CommitGate`): requests are still parsed
 * and queued meanwhile, the worker copies the last frames, and the next commit restarts the
 * WAL. Without that the WAL would grow for as long as the load lasts.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** While `held`, group commits wait: the checkpointer is finishing the WAL. */
export interface CommitGate {
  readonly held: boolean;
  released(): Promise<void>;
}

export interface CheckpointerOptions {
  /** How often the worker checkpoints what has been committed since. */
  intervalMs: number;
  /** WAL length (frames, one page each) from which the worker holds commits to restart the WAL. */
  restartFrames: number;
  /** A hold is released after this long even if the worker has not answered. */
  maxHoldMs: number;
}

export const DEFAULT_CHECKPOINTS: CheckpointerOptions = { intervalMs: 500, restartFrames: 65_536, maxHoldMs: 250 };

/** A checkpoint this short (ms) copied about all there was: the held one will be as short. */
const CATCH_UP_MS = 10;

type ToWorker = 'held' | 'stop';
type FromWorker = 'hold' | 'release';

// Plain CommonJS evaluated in the worker: it runs the same way from source (tsx), under the
// test runner and from the packaged bundle, with no second entry file to build or ship.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// A checkpoint syncs the WAL and the database unless synchronous is OFF.
db.pragma('synchronous = FULL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
let holding = false;
const timer = setInterval(() => {
  if (holding) return;
  // Even when this copied every frame, commits made meanwhile keep the WAL from restarting.
  let { busy, log } = checkpoint.get();
  if (busy !== 0 || log < workerData.restartFrames) return;
  // Catch up while commits go on, so that the held checkpoint has only a few frames to copy.
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    ({ busy } = checkpoint.get());
    if (busy !== 0) return;
    if (performance.now() - started < workerData.catchUpMs) break;
  }
  holding = true;
  parentPort.postMessage('hold');
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'held') {
    try {
      checkpoint.get();
    } finally {
      holding = false;
      parentPort.postMessage('release');
    }
  } else if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export class Checkpointer implements CommitGate {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private waiting: Array<() => void> = [];
  private holdTimer: NodeJS.Timeout | null = null;
  private running = true;
  held = false;

  constructor(
    private readonly db: Database.Database,
    file: string,
    private readonly options: CheckpointerOptions = DEFAULT_CHECKPOINTS,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    db.pragma('wal_autocheckpoint = 0');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, file, intervalMs: options.intervalMs, restartFrames: options.restartFrames, catchUpMs: CATCH_UP_MS },
    });
    // The server's close stops it; an abrupt exit without that is a crash SQLite recovers from.
    this.worker.unref();
    this.worker.on('message', (message: FromWorker) => {
      if (message === 'hold') this.hold();
      else this.release();
    });
    this.worker.on('error', (error) => {
      this.fallBack();
      this.onError(error);
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    void this.exited.then(() => this.fallBack());
  }

  released(): Promise<void> {
    return this.held ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve();
  }

  /** Stops the worker; the server's connection checkpoints by itself again (and when it closes). */
  async stop(): Promise<void> {
    if (this.running) {
      // Waited for: the process must not end (unref'd worker) before the worker has closed.
      this.worker.ref();
      this.worker.postMessage('stop' satisfies ToWorker);
    }
    await this.exited;
  }

  private hold(): void {
    // Commits are synchronous on this thread, so here none is under way: the worker may finish.
    this.held = true;
    this.holdTimer = setTimeout(() => this.release(), this.options.maxHoldMs);
    this.worker.postMessage('held' satisfies ToWorker);
  }

  private release(): void {
    if (this.holdTimer) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    this.held = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** Without the worker, SQLite's automatic checkpoint takes over again. */
  private fallBack(): void {
    if (!this.running) return;
    this.running = false;
    this.release();
    if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
  }
}

/**
 * Copies the whole WAL into the database and truncates it to nothing, so no older copy of a page
 * stays in the WAL (after an anonymisation). Never waits on the event loop: when a reader or the
 * checkpointer's worker is in the way it tries again a little later, up to `tries` times.
 * Resolves whether the WAL was emptied.
 */
export async function truncateWal(db: Database.Database, tries = 50, waitMs = 100): Promise<boolean> {
  for (let attempt = 0; attempt < tries && db.open; attempt++) {
    const timeout = db.pragma('busy_timeout', { simple: true }) as number;
    db.pragma('busy_timeout = 0');
    let busy = 1;
    try {
      busy = (db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number }>)[0]?.busy ?? 1;
    } catch {
      busy = 1;
    } finally {
      db.pragma(`busy_timeout = ${timeout}`);
    }
    if (busy === 0) return true;
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  return false;
}
