/** React access to the session: one context, and subscriptions to its signals and store. */
import { createContext, startTransition, useContext, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { formatters, type Formatters, type UiLanguage } from '../i18n/format';
import { useLanguageCode } from '../i18n/typing';
import type { DeskSession } from '../session/session';
import type { Signal } from '../lib/signal';

export const SessionContext = createContext<DeskSession | null>(null);

export function useSession(): DeskSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in desk');
  return session;
}

export function useSignal<T>(signal: Signal<T>): T {
  return useSyncExternalStore(signal.subscribe, signal.get);
}

/**
 * Re-renders on every change of the in-memory cache; returns its version. What the server
 * sent (a bootstrap streaming in, pulls) renders as a transition — in slices that input and
 * painting can interrupt, not as one long task per page — and the specialist's own edits and
 * the cache loaded at a start render at once.
 */
export function useStoreVersion(): number {
  const { store } = useSession();
  const [version, setVersion] = useState(store.changes.getVersion);
  useEffect(() => {
    const update = () => {
      const next = store.changes.getVersion();
      if (store.changes.inBackground) startTransition(() => setVersion(next));
      else setVersion(next);
    };
    // A change between this render and the subscription is not missed.
    update();
    return store.changes.subscribe(update);
  }, [store]);
  return version;
}

/**
 * The current time, updated on each minute boundary: SLA remaining times and ages tick with
 * it, and everything that does not show time never re-renders for it.
 */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      timer = setTimeout(() => {
        setNow(Date.now());
        schedule();
      }, 60_000 - (Date.now() % 60_000) + 50);
    };
    schedule();
    return () => clearTimeout(timer);
  }, []);
  return now;
}

/** setTimeout's longest delay (about 24.8 days); a later instant is reached in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Re-renders at `at` (epoch ms), once, with one timer for that instant: for a view whose words
 * change at a known moment (a support login's start or end, the office opening or closing),
 * so it is right at that moment without polling. null: nothing to wait for. The component reads
 * the clock itself (Date.now()) on every render, so a change in its data shows at once too.
 */
export function useRenderAt(at: number | null): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (at === null) return;
    let timer: ReturnType<typeof setTimeout>;
    const schedule = () => {
      const wait = at - Date.now();
      // A timer may fire a little early: a render before the instant would show the old words.
      if (wait < 0) {
        setTick((n) => n + 1);
        return;
      }
      timer = setTimeout(schedule, Math.min(wait + 1, MAX_TIMER_MS));
    };
    schedule();
    return () => clearTimeout(timer);
  }, [at]);
}

export function useLanguage(): UiLanguage {
  return useLanguageCode() === 'fi' ? 'fi' : 'sv';
}

/** Dates, times and durations in my language and my office's time zone. */
export function useFormat(): Formatters {
  const lang = useLanguage();
  const session = useContext(SessionContext);
  const office = session?.me.office ?? (lang === 'fi' ? 'FI' : 'SE');
  return useMemo(() => formatters(lang, office), [lang, office]);
}
