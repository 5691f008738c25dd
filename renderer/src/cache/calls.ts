/**
 * The caller log in the cache: the calls of the desk's teams, as the sync brought them. Calls
 * older than the window are dropped, except missed calls still waiting for a call back.
 */
import type { DeskDb } from './db';

/** How far back the caller log keeps answered, outgoing and done calls (the server's bootstrap window). */
export const CALL_WINDOW_MS = 30 * 24 * 3_600_000;

/** Drops the calls that left the window; returns how many. */
export async function pruneCalls(db: DeskDb, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - CALL_WINDOW_MS).toISOString();
  return db.transaction('rw', db.calls, () =>
    db.calls
      .where('startedAt')
      .below(cutoff)
      .filter((c) => !(c.missed && !c.done))
      .delete(),
  );
}
