/** A value React can subscribe to with useSyncExternalStore. */
export class Signal<T> {
  private readonly listeners = new Set<() => void>();
  constructor(private current: T) {}

  readonly get = (): T => this.current;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(value: T): void {
    if (Object.is(value, this.current)) return;
    this.current = value;
    for (const l of this.listeners) l();
  }
}
