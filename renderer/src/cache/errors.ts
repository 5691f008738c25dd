/**
 * IndexedDB failures the specialist must be told about, each with the re-sync path: the disk
 * is full (quota), another window holds an old version of the database open (blocked), or the
 * database cannot be read (corrupt, or written by a newer Desk).
 */
export type CacheProblem = 'quota' | 'blocked' | 'corrupt';

const QUOTA = new Set(['QuotaExceededError']);
const BLOCKED = new Set(['BlockedError', 'DatabaseClosedError']);
const CORRUPT = new Set(['UnknownError', 'VersionError', 'DataError', 'DataCloneError', 'OpenFailedError', 'InvalidStateError', 'UpgradeError']);

function namesOf(e: unknown): string[] {
  const names: string[] = [];
  for (let cur: unknown = e, depth = 0; cur && typeof cur === 'object' && depth < 4; depth++) {
    const name = (cur as { name?: unknown }).name;
    if (typeof name === 'string') names.push(name);
    cur = (cur as { inner?: unknown }).inner;
  }
  return names;
}

export function cacheProblemOf(e: unknown): CacheProblem | null {
  const names = namesOf(e);
  if (names.some((n) => QUOTA.has(n))) return 'quota';
  if (names.some((n) => BLOCKED.has(n))) return 'blocked';
  if (names.some((n) => CORRUPT.has(n))) return 'corrupt';
  return null;
}
