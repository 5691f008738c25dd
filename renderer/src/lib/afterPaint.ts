/**
 * "After the next paint": what a view needs at once paints first, and the rest (reads from
 * IndexedDB, calendar walks, the less urgent panels) follows in the task after that frame —
 * so a number typed during a call shows its case in the very next frame.
 */

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
