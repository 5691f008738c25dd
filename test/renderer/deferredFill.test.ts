/** DeferredFill: the cold start's put-off work, a step at a time between looks at the clock. */
import { describe, expect, it, vi } from 'vitest';
import { DeferredFill, fillInSlices, inTurn } from '../../renderer/src/lib/deferredFill';

describe('DeferredFill', () => {
  it('puts items away a step at a time, going on where the clock stopped it, until none waits', () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ id: `row-${i}`, n: i }));
    const map = new Map<string, { id: string; n: number }>();
    const later = new DeferredFill((r: { id: string; n: number }) => map.set(r.id, r), 1_000);
    expect(later.run(0)).toBe(true);
    later.start(rows);
    expect(later.waiting).toBe(2_500);
    // The time is up at once: one step of a thousand each call.
    expect(later.run(0)).toBe(false);
    expect(later.waiting).toBe(1_500);
    expect(later.position).toBe(1_000);
    expect(later.run()).toBe(true);
    expect(later.waiting).toBe(0);
    expect(map.size).toBe(2_500);
    expect(map.get('row-1999')?.n).toBe(1_999);
    later.start(rows.slice(0, 10));
    later.clear();
    expect(later.run(0)).toBe(true);
  });

  it('runs fills in turn, the next only once the one before is done', () => {
    const done: string[] = [];
    const a = new DeferredFill((x: string) => done.push(x));
    const b = new DeferredFill((x: string) => done.push(x));
    a.start(['a1', 'a2']);
    b.start(['b1']);
    const both = inTurn(a.run, b.run);
    expect(both(0)).toBe(false);
    expect(done).toEqual(['a1']);
    // Each fill takes at least one step, so a slice past its deadline still moves on to the next.
    expect(both(0)).toBe(true);
    expect(done).toEqual(['a1', 'a2', 'b1']);
  });

  it('runs in slices from the first task on until done, and stops when cancelled', () => {
    vi.useFakeTimers();
    try {
      const done: number[] = [];
      const later = new DeferredFill((n: number) => done.push(n));
      later.start([1, 2, 3]);
      // A deadline already passed: one item per slice.
      const oneAtATime = (until: number) => later.run(until - 1e9);
      let first: () => void = () => undefined;
      fillInSlices(oneAtATime, 8, (task) => {
        first = task;
        return () => undefined;
      });
      expect(done).toEqual([]);
      first();
      expect(done).toEqual([1]);
      vi.runAllTimers();
      expect(done).toEqual([1, 2, 3]);
      later.start([4, 5]);
      const cancel = fillInSlices(oneAtATime, 8, (task) => {
        task();
        return () => undefined;
      });
      cancel();
      vi.runAllTimers();
      expect(done).toEqual([1, 2, 3, 4]);
    } finally {
      vi.useRealTimers();
    }
  });
});
