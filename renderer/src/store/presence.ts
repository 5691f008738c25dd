/**
 * Colleagues' presence as the live socket reports it: who is on a call, who is viewing or
 * writing in which case. Ephemeral (never cached), and cheap to show in a queue of 100,000 rows:
 * a row subscribes to its own case (and its assignee) only, so a message re-renders the few rows
 * it is about, and a burst of messages is announced once per NOTIFY_MS.
 */
import type { PresenceEntry } from '../../../shared/index';

/** One colleague in one case. */
export interface CasePresence {
  specialistId: string;
  name: string;
  /** Typing in a note, field or flow panel of the case (else viewing it). */
  editing: boolean;
  onCall: boolean;
}

const NOTIFY_MS = 100;
const NONE: readonly CasePresence[] = Object.freeze([]);
const caseKey = (id: string) => `c:${id}`;
const specialistKey = (id: string) => `s:${id}`;

export class PresenceBoard {
  private readonly entries = new Map<string, PresenceEntry>();
  private readonly byCase = new Map<string, readonly CasePresence[]>();
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly dirty = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  /** Who is in this case, writers first; the same array until it changes (for useSyncExternalStore). */
  readonly ofCase = (caseId: string): readonly CasePresence[] => this.byCase.get(caseId) ?? NONE;

  /** Whether this colleague is on a call now. */
  readonly onCall = (specialistId: string): boolean => this.entries.get(specialistId)?.onCall === true;

  /** Listens to one case's presence. */
  subscribeCase(caseId: string, listener: () => void): () => void {
    return this.listen(caseKey(caseId), listener);
  }

  /** Listens to one colleague's call state. */
  subscribeSpecialist(specialistId: string, listener: () => void): () => void {
    return this.listen(specialistKey(specialistId), listener);
  }

  /** Each entry replaces that colleague's presence; an empty one means gone. */
  apply(entries: readonly PresenceEntry[]): void {
    const cases = new Set<string>();
    for (const entry of entries) {
      const before = this.entries.get(entry.specialistId);
      for (const c of [...(before?.viewing ?? []), ...(before?.editing ?? []), ...entry.viewing, ...entry.editing]) cases.add(c);
      const gone = !entry.onCall && entry.viewing.length === 0 && entry.editing.length === 0;
      if (gone) this.entries.delete(entry.specialistId);
      else this.entries.set(entry.specialistId, entry);
      if ((before?.onCall ?? false) !== entry.onCall) this.dirty.add(specialistKey(entry.specialistId));
    }
    for (const c of cases) this.rebuild(c);
    this.schedule();
  }

  /** The link is gone: what we knew of others is no longer known. */
  reset(): void {
    if (this.entries.size === 0) return;
    const ids = [...this.entries.keys()];
    this.apply(ids.map((specialistId) => ({ specialistId, name: '', viewing: [], editing: [], onCall: false })));
  }

  private rebuild(caseId: string): void {
    const found: CasePresence[] = [];
    for (const e of this.entries.values()) {
      const editing = e.editing.includes(caseId);
      if (editing || e.viewing.includes(caseId)) found.push({ specialistId: e.specialistId, name: e.name, editing, onCall: e.onCall });
    }
    found.sort((a, b) => Number(b.editing) - Number(a.editing) || a.name.localeCompare(b.name));
    const before = this.byCase.get(caseId) ?? NONE;
    const same =
      before.length === found.length &&
      before.every((p, i) => {
        const f = found[i];
        return f !== undefined && p.specialistId === f.specialistId && p.editing === f.editing && p.onCall === f.onCall && p.name === f.name;
      });
    if (same) return;
    if (found.length === 0) this.byCase.delete(caseId);
    else this.byCase.set(caseId, found);
    this.dirty.add(caseKey(caseId));
  }

  private listen(key: string, listener: () => void): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  private schedule(): void {
    if (this.timer || this.dirty.size === 0) return;
    this.timer = setTimeout(() => this.flush(), NOTIFY_MS);
  }

  /** Tells the listeners of what changed since the last time (tests call it to skip the wait). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) for (const l of this.listeners.get(key) ?? []) l();
  }
}

/** "Anna Lindqvist" → "AL". */
export function initialsOf(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? '?';
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '';
  return (first + last).toUpperCase();
}
