/**
 * Deltas applied a little later and a slice at a time: a bootstrap's pages arrive faster than a
 * frame. Each task applies rows for at most SLICE_BUDGET_MS and merges them into the queue, so
 * input and painting get turns in between.
 */
import { chunkDelta, type Delta } from '../model/rows';

/** Items (rows, customers, contacts, …) applied between two looks at the clock, and the time per task. */
const SLICE_ITEMS = 100;
const SLICE_BUDGET_MS = 8;
/** The first guess of merging one row into the queue's lists (ms), before a merge was timed. */
const FIRST_MERGE_MS_PER_ROW = 0.01;

export interface IntakeTarget {
  apply(delta: Delta): void;
  /** Merges what was applied into the queue's lists. */
  merge(): void;
  changed(): void;
}

export class Intake {
  private readonly incoming: Delta[] = [];
  /** What merging one applied row into the queue cost in the last drain tasks (ms), see `drain`. */
  private mergeMsPerRow = FIRST_MERGE_MS_PER_ROW;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(private readonly target: IntakeTarget) {}

  /** Queues a delta; whatever is queued is applied in order before anything applied at once (`drainAll`). */
  add(delta: Delta): void {
    const idle = this.incoming.length === 0;
    // In slices of SLICE_ITEMS, reference data as well as rows: thousands of contacts are a long task too.
    for (const part of chunkDelta(delta, SLICE_ITEMS)) this.incoming.push(part);
    if (idle && this.incoming.length > 0) this.scheduleDrain();
  }

  /**
   * Resolves once everything queued is applied, slice by slice as usual (the end of a
   * bootstrap: applying the rest at once would be one long task).
   */
  drained(): Promise<void> {
    if (this.incoming.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  drainAll(): void {
    this.drain(Number.POSITIVE_INFINITY);
  }

  clear(): void {
    this.incoming.length = 0;
  }

  private scheduleDrain(): void {
    // A message to ourselves is a task of its own (setTimeout would add its 4 ms clamp).
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      this.drain(SLICE_BUDGET_MS);
      if (this.incoming.length > 0) this.scheduleDrain();
      else for (const resolve of this.drainWaiters.splice(0)) resolve();
    };
    channel.port2.postMessage(null);
  }

  private drain(budgetMs: number): void {
    if (this.incoming.length === 0) return;
    const started = performance.now();
    const end = started + budgetMs;
    let rows = 0;
    // Applying a row is a few Map writes; merging it into the queue's sorted lists afterwards
    // costs ten times that and more (a sort per list, then the moves). So the task stops
    // applying when what it applied would take the rest of the budget to merge, by the cost
    // per row the last merges took. At least one slice per task, however busy the thread:
    // the bootstrap always moves on.
    do {
      const next = this.incoming.shift() as Delta;
      this.target.apply(next);
      rows += next.rows.length;
    } while (this.incoming.length > 0 && performance.now() + (rows + SLICE_ITEMS) * this.mergeMsPerRow < end);
    const mergeFrom = performance.now();
    this.target.merge();
    if (rows > 0) {
      const perRow = (performance.now() - mergeFrom) / rows;
      // Smoothed: one task interrupted by a GC should not halve the next ones.
      this.mergeMsPerRow = 0.7 * this.mergeMsPerRow + 0.3 * perRow;
    }
    this.target.changed();
  }
}
