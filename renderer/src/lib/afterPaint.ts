/**
 * "After the next paint": what a view needs at once paints first, and the rest (reads from
 * IndexedDB, calendar walks, the less urgent panels) follows in the task after that frame —
 * so a number typed during a call shows its case in the very next frame.
 */
import { useEffect, useState } from 'react';

/** Runs `fn` in the first task after the next frame; returns a cancel function. */
export function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const frame = requestAnimationFrame(() => {
    // A task queued from a frame callback runs once that frame is rendered.
    timer = setTimeout(fn, 0);
  });
  return () => {
    cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}

/**
 * False for the render that mounts the component, true from the first paint after it — or,
 * with `from`, from the first paint after `from` became true (a view prepared out of sight).
 */
export function usePainted(from = true): boolean {
  const [painted, setPainted] = useState(false);
  useEffect(() => (from ? afterPaint(() => setPainted(true)) : undefined), [from]);
  return painted;
}
