/**
 * How many desks bootstrap at once (DESK_BOOTSTRAP_CONCURRENCY): after an update that wipes the
 * caches, every desk of the office asks for the whole snapshot at the same moment. Each page is
 * rendered on the one thread that also answers pushes, lookups and the live socket, and each page
 * in flight is held in memory until the socket has taken it; so only `limit` bootstraps run at a
 * time and the others wait in a FIFO queue, told their place and when to ask again (a 503 with
 * Retry-After, answered at once without touching the database).
 *
 * Fairness: a bootstrap that has been let in keeps its slot between its pages (a slot belongs to
 * a session, renewed by each page), so a storm of new desks never starves one half way through;
 * it gives the slot back with its last page, or after `idleMs` without a page (a desk that closed
 * or went offline). A freed slot goes to the head of the queue, never to a newcomer who happened
 * to ask first; a waiting desk that stops asking loses its place after `staleMs`.
 *
 * Only bootstraps wait: the change feed, pushes and everything else are never queued.
 */

export interface BootstrapGateOptions {
  /** Bootstraps at once; 0 turns the limit off. Read on every request, so it can be changed live. */
  limit: () => number;
  /** A slot unused this long is given back (default 30 s: a desk asks for its next page within a second or two). */
  idleMs?: number;
  /** A waiting desk that has not asked again for this long loses its place (default 60 s). */
  staleMs?: number;
  now?: () => number;
}

export type Admission = { admitted: true } | { admitted: false; place: number; retryAfterSeconds: number };

/** Retry-After: 1 s at the head of the queue, growing by a second per round of `limit` desks ahead, at most this. */
const MAX_RETRY_AFTER_S = 10;

export class BootstrapGate {
  /** Sessions with a slot → when they last asked. */
  private readonly active = new Map<string, number>();
  /** Sessions waiting, first come first; each with when it last asked. */
  private readonly waiting = new Map<string, number>();
  private readonly idleMs: number;
  private readonly staleMs: number;
  private readonly now: () => number;

  constructor(private readonly o: BootstrapGateOptions) {
    this.idleMs = o.idleMs ?? 30_000;
    this.staleMs = o.staleMs ?? 60_000;
    this.now = o.now ?? (() => Date.now());
  }

  /** Asks for a page of a bootstrap of `key` (a session): let in, or told its place and when to ask again. */
  admit(key: string): Admission {
    const limit = this.o.limit();
    const now = this.now();
    if (limit <= 0) return { admitted: true };
    this.expire(now);
    if (this.active.has(key)) {
      this.active.set(key, now);
      return { admitted: true };
    }
    // Map keeps insertion order: a newcomer goes to the end, a returning waiter keeps its place.
    this.waiting.set(key, now);
    const free = limit - this.active.size;
    let index = 0;
    for (const waiter of this.waiting.keys()) {
      if (waiter === key) break;
      index++;
    }
    if (index < free) {
      this.waiting.delete(key);
      this.active.set(key, now);
      return { admitted: true };
    }
    const place = index + 1;
    return { admitted: false, place, retryAfterSeconds: Math.min(MAX_RETRY_AFTER_S, 1 + Math.floor((place - 1) / limit)) };
  }

  /** The bootstrap of `key` has had its last page (or ended otherwise): its slot is free. */
  release(key: string): void {
    this.active.delete(key);
    this.waiting.delete(key);
  }

  /** For the log and tests: bootstraps running and desks waiting. */
  get counts(): { active: number; waiting: number } {
    this.expire(this.now());
    return { active: this.active.size, waiting: this.waiting.size };
  }

  private expire(now: number): void {
    for (const [key, at] of this.active) if (now - at > this.idleMs) this.active.delete(key);
    for (const [key, at] of this.waiting) if (now - at > this.staleMs) this.waiting.delete(key);
  }
}
