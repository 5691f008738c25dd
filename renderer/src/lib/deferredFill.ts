/**
 * The one way a cold start puts work off until the queue is on screen. What the first paint
 * does without (the maps by id and by number, the contacts, the queue's other orders) is set
 * aside as a list of items; after the paint they are put away a step at a time between looks
 * at the clock, a few milliseconds per task (`fillInSlices`), so a click right after the queue
 * appears is answered at once. Whatever reads a map before that fills the rest at once (`run`
 * with no deadline), so no reader ever sees it half filled.
 */

/** Items put between two looks at the clock when putting one is a Map set (a look costs more). */
export const MAP_SET_STEP = 1000;

/** Does work until `until` (a `performance.now()` time; at least one step) and says whether all is done. */
export type Fill = (until: number) => boolean;

export class DeferredFill<T> {
  private items: readonly T[] = [];
  private at = 0;

  /**
   * `put` puts one item away; `step` items are put between two looks at the clock (see
   * MAP_SET_STEP for a cheap `put`).
   */
  constructor(
    private readonly put: (item: T) => void,
    private readonly step = 1,
  ) {}

  /** Items not put away yet. */
  get waiting(): number {
    return this.items.length - this.at;
  }

  /** How many of the items set aside are put away (they go in order). */
  get position(): number {
    return this.at;
  }

  /** These items wait now (instead of any before). */
  start(items: readonly T[]): void {
    this.items = items;
    this.at = 0;
  }

  /** Puts items away until `until` (at least one step; none: all of them); true when none waits. */
  readonly run = (until = Infinity): boolean => {
    while (this.at < this.items.length) {
      const end = Math.min(this.items.length, this.at + this.step);
      for (; this.at < end; this.at++) this.put(this.items[this.at] as T);
      if (performance.now() >= until) break;
    }
    if (this.waiting > 0) return false;
    this.clear();
    return true;
  };

  clear(): void {
    this.start([]);
  }
}

/** Several fills as one, each done before the next starts. */
export function inTurn(...fills: readonly Fill[]): Fill {
  return (until) => fills.every((fill) => fill(until));
}

/**
 * Runs `fill` in tasks of `sliceMs` each until it is done, the first when `first` calls it
 * (e.g. `afterPaint`). Returns a cancel.
 */
export function fillInSlices(fill: Fill, sliceMs: number, first: (task: () => void) => () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const slice = () => {
    if (!fill(performance.now() + sliceMs)) timer = setTimeout(slice, 0);
  };
  const cancelFirst = first(slice);
  return () => {
    cancelFirst();
    clearTimeout(timer);
  };
}
