/**
 * A cold start reads the desk's cache while the app starts: boot.ts starts the read first
 * thing, before the rest of the app is loaded, and the session takes it over (session.ts) —
 * instead of asking only once the login is resumed and the session opened. The records are
 * decoded one by one as IndexedDB delivers them (cache/storedCache.ts), so decoding overlaps
 * reading.
 */
import { readStoredCache, type StoredCache } from '../cache/storedCache';
import { cacheName, DeskDb } from '../cache/db';
import { lastDesk } from '../platform/early';

let preloaded: { dbName: string; parts: Promise<StoredCache> } | null = null;
const FORGET_AFTER_MS = 60_000;

/** Reads and decodes a cache on a connection of its own (so that closing it never touches the session's). */
export async function readCache(dbName: string): Promise<StoredCache> {
  const db = new DeskDb(dbName);
  const start = performance.now();
  try {
    return await readStoredCache(db);
  } finally {
    db.close();
    performance.measure('desk:cache-read', { start, end: performance.now() });
  }
}

/** The desk a stored session reopens: start reading its cache. Call first thing. */
export function preloadLastDesk(): void {
  lastDesk().then(
    (desk) => {
      if (!desk) return;
      const dbName = cacheName(desk.serverUrl, desk.specialistId);
      const parts = readCache(dbName);
      parts.catch(() => undefined); // reported by the session that takes it
      preloaded = { dbName, parts };
      // Not taken (the session had expired, someone else logs in): let the decoded cache go.
      setTimeout(() => {
        if (preloaded?.parts === parts) preloaded = null;
      }, FORGET_AFTER_MS);
    },
    () => undefined, // only a head start: the session reads the cache itself
  );
}

/** The read started for this cache, if any (once). */
export function takePreloaded(dbName: string): Promise<StoredCache> | null {
  const found = preloaded?.dbName === dbName ? preloaded.parts : null;
  preloaded = null;
  return found;
}
