/**
 * A cold start reads the desk's cache while the app starts: main.tsx starts the read first
 * thing, and the session takes it over (session.ts) — instead of asking only once the login
 * is resumed and the session opened.
 */
import { cacheName, DeskDb, readStoredParts, type StoredParts } from '../cache/db';
import { lastDesk } from '../platform/early';

let preloaded: { dbName: string; parts: Promise<StoredParts> } | null = null;
const FORGET_AFTER_MS = 60_000;

/** Reads a cache on a connection of its own (so that closing it never touches the session's). */
export async function readParts(dbName: string): Promise<StoredParts> {
  const db = new DeskDb(dbName);
  try {
    return await readStoredParts(db);
  } finally {
    db.close();
  }
}

/** The desk a stored session reopens: start reading its cache. Call first thing. */
export function preloadLastDesk(): void {
  lastDesk().then(
    (desk) => {
      if (!desk) return;
      const dbName = cacheName(desk.serverUrl, desk.specialistId);
      const parts = readParts(dbName);
      parts.catch(() => undefined); // reported by the session that takes it
      preloaded = { dbName, parts };
      // Not taken (the session had expired, someone else logs in): let the texts go.
      setTimeout(() => {
        if (preloaded?.parts === parts) preloaded = null;
      }, FORGET_AFTER_MS);
    },
    () => undefined, // only a head start: the session reads the cache itself
  );
}

/** The read started for this cache, if any (once). */
export function takePreloaded(dbName: string): Promise<StoredParts> | null {
  const found = preloaded?.dbName === dbName ? preloaded.parts : null;
  preloaded = null;
  return found;
}
