/**
 * Instrumentation injected into every page before the desk's own scripts (addInitScript):
 * long tasks from the start, input timestamps, and "watches" that record when something first
 * appears in the DOM and when the frame showing it was painted. All times are the page's
 * `performance.now()`; `timeOrigin` converts them between pages.
 *
 * Runs in the browser: `installProbe` must not use anything from this module's scope.
 */
export interface Seen {
  /** The DOM change was observed (the end of the task that made it). */
  at: number;
  /** The next frame began (its requestAnimationFrame callbacks ran). */
  frameAt: number;
  /** That frame was painted (the first task after the frame). */
  paintedAt: number;
}

/** Matches when an element matches the selector and, optionally, contains text / has attr ≥ atLeast. */
export interface WatchSpec {
  selector: string;
  text?: string;
  attr?: string;
  atLeast?: number;
}

export interface Probe {
  longTasks: Array<{ start: number; duration: number }>;
  submitAt: number | null;
  onlineAt: number | null;
  keyAt: Record<string, number>;
  seen: Record<string, Seen>;
  watch(name: string, spec: WatchSpec): void;
  until(name: string, timeoutMs: number): Promise<Seen>;
  nextPaint(): Promise<{ frameAt: number; paintedAt: number }>;
}

declare global {
  interface Window {
    __deskBench: Probe;
  }
}

/** Watches every page starts with: the first queue row, the first sync done, and a cold start done. */
export const BUILT_IN_WATCHES: Record<string, WatchSpec> = {
  firstRow: { selector: '[data-testid=queue-row]' },
  synced: { selector: '[data-testid=connection][data-cursor]:not([data-cursor=""])' },
  ready: { selector: 'body:has([data-testid=queue-row]):has([data-testid=connection][data-cache=ready])' },
};

/**
 * esbuild (tsx) keeps function names with a `__name` helper that a function serialised into
 * the page does not have; this defines it there first.
 */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

export function installProbe(builtIn: Record<string, WatchSpec>): void {
  const pending = new Map<string, WatchSpec>();
  const waiters = new Map<string, Array<(s: Seen) => void>>();
  const nextPaint = (): Promise<{ frameAt: number; paintedAt: number }> =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const frameAt = performance.now();
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve({ frameAt, paintedAt: performance.now() });
        channel.port2.postMessage(null);
      }),
    );
  const matches = (spec: WatchSpec): boolean => {
    for (const el of document.querySelectorAll(spec.selector)) {
      if (spec.text !== undefined && !(el.textContent ?? '').includes(spec.text)) continue;
      if (spec.attr !== undefined && !(Number(el.getAttribute(spec.attr)) >= (spec.atLeast ?? 0))) continue;
      return true;
    }
    return false;
  };
  const observer = new MutationObserver(() => check());
  let observing = false;
  const check = (): void => {
    for (const [name, spec] of pending) {
      if (!matches(spec)) continue;
      pending.delete(name);
      const at = performance.now();
      void nextPaint().then(({ frameAt, paintedAt }) => {
        const seen = { at, frameAt, paintedAt };
        probe.seen[name] = seen;
        for (const resolve of waiters.get(name) ?? []) resolve(seen);
        waiters.delete(name);
      });
    }
    // Observing costs a little on every DOM change: only while something is watched.
    if (pending.size === 0 && observing) {
      observer.disconnect();
      observing = false;
    } else if (pending.size > 0 && !observing) {
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      observing = true;
    }
  };
  const probe: Probe = {
    longTasks: [],
    submitAt: null,
    onlineAt: null,
    keyAt: {},
    seen: {},
    watch(name, spec) {
      delete probe.seen[name];
      pending.set(name, spec);
      check();
    },
    until(name, timeoutMs) {
      const known = probe.seen[name];
      if (known) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: not seen within ${timeoutMs} ms`)), timeoutMs);
        const list = waiters.get(name) ?? [];
        list.push((seen) => {
          clearTimeout(timer);
          resolve(seen);
        });
        waiters.set(name, list);
      });
    },
    nextPaint,
  };
  window.__deskBench = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  addEventListener('submit', (e) => (probe.submitAt = e.timeStamp), true);
  addEventListener('online', (e) => (probe.onlineAt = e.timeStamp), true);
  addEventListener('keydown', (e) => (probe.keyAt[e.key] = e.timeStamp), true);
  for (const [name, spec] of Object.entries(builtIn)) probe.watch(name, spec);
}
