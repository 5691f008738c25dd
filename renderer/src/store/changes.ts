/**
 * How the UI hears that the store changed: a version React subscribes to through
 * `subscribe`/`getVersion` (see useStoreVersion).
 */
const NOTIFY_INTERVAL_MS = 250;

export class Changes {
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private notifyTimer: ReturnType<typeof setTimeout> | null = null;
  private lastNotified = 0;
  private backgroundOnly = false;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getVersion = (): number => this.version;

  /**
   * The changes being announced all came from the server (a bootstrap streaming in, pulls,
   * timelines), not from the specialist's own edits nor the cache loaded at a start: nobody
   * waits on them, so the UI renders them in interruptible slices (see useStoreVersion).
   */
  get inBackground(): boolean {
    return this.backgroundOnly;
  }

  /**
   * The data changes at once; the UI hears of it in the next task, and during a burst (a
   * bootstrap streaming pages) at most every NOTIFY_INTERVAL_MS, so the queue is not filtered
   * and rendered again for every message.
   */
  changed(inBackground = false): void {
    this.version++;
    this.backgroundOnly = (this.notifyTimer ? this.backgroundOnly : true) && inBackground;
    if (this.notifyTimer) return;
    const wait = Math.max(0, this.lastNotified + NOTIFY_INTERVAL_MS - Date.now());
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      this.lastNotified = Date.now();
      for (const l of this.listeners) l();
    }, wait);
  }
}
