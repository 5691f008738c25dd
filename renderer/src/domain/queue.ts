/**
 * The queue: which cases, in which order. Pure functions over the in-memory rows, so switching
 * team, filter or sort is a pass over arrays (no IndexedDB, no parsing), well inside 50 ms at
 * 100,000 cases. Sorted arrays are cached per cache version and sort key; a filter change only
 * re-filters an already sorted array.
 */
import type { CategoryId, ModuleId, Office, StatusId, TeamId } from '../../../shared/index';
import type { DisplayRow } from '../cache/store';

export type AssigneeFilter = 'anyone' | 'me' | 'unassigned';
export type StatusFilter = 'open' | 'closed' | 'all' | StatusId;
export type Level = 1 | 2 | 3 | 4 | 5;

export interface QueueFilters {
  category: CategoryId | null;
  status: StatusFilter;
  level: Level | null;
  assignee: AssigneeFilter;
  module: ModuleId | null;
  office: Office | null;
}

export const DEFAULT_FILTERS: QueueFilters = { category: null, status: 'open', level: null, assignee: 'anyone', module: null, office: null };

export const READY_VIEWS = ['all', 'mine', 'unassigned', 'bugs12', 'breached'] as const;
export type ReadyView = (typeof READY_VIEWS)[number];

export const SORT_KEYS = ['urgency', 'number', 'age', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  /** 'asc' is the natural order of the key: most urgent, lowest number, oldest, least recently updated. */
  dir: 'asc' | 'desc';
}
export const DEFAULT_SORT: Sort = { key: 'urgency', dir: 'asc' };

export interface QueueQuery {
  teams: readonly TeamId[];
  view: ReadyView;
  filters: QueueFilters;
  sort: Sort;
}

export interface QueueContext {
  meId: string;
  now: number;
}

type Cmp = (a: DisplayRow, b: DisplayRow) => number;

/**
 * Urgency: the SLA deadline of the current phase, soonest first — so breached cases (deadline
 * passed) come first without a separate pass and the order does not change as time goes by —
 * then cases without an SLA clock by age, oldest first.
 */
export const compareUrgency: Cmp = (a, b) => {
  const da = a.deadlineAt ?? Number.POSITIVE_INFINITY;
  const db = b.deadlineAt ?? Number.POSITIVE_INFINITY;
  if (da !== db) return da < db ? -1 : 1;
  return a.registeredAt - b.registeredAt || a.number - b.number;
};

const COMPARATORS: Record<SortKey, Cmp> = {
  urgency: compareUrgency,
  number: (a, b) => a.number - b.number,
  age: (a, b) => a.registeredAt - b.registeredAt || a.number - b.number,
  updated: (a, b) => a.updatedAt - b.updatedAt || a.number - b.number,
};

export function isBreached(row: Pick<DisplayRow, 'deadlineAt'>, now: number): boolean {
  return row.deadlineAt !== null && row.deadlineAt < now;
}

function statusScope(status: StatusFilter): 'open' | 'closed' | 'all' {
  if (status === 'open' || status === 'all') return status;
  return status === 'closed' ? 'closed' : 'open';
}

export function matches(row: DisplayRow, q: QueueQuery, ctx: QueueContext): boolean {
  const f = q.filters;
  if (!q.teams.includes(row.team)) return false;
  if (f.status !== 'open' && f.status !== 'closed' && f.status !== 'all' && row.status !== f.status) return false;
  if (f.category !== null && row.category !== f.category) return false;
  if (f.level !== null && row.serviceLevel !== f.level) return false;
  if (f.module !== null && row.module !== f.module) return false;
  if (f.office !== null && row.office !== f.office) return false;
  if (f.assignee === 'me' && row.assigneeId !== ctx.meId) return false;
  if (f.assignee === 'unassigned' && row.assigneeId !== null) return false;
  switch (q.view) {
    case 'mine':
      return row.assigneeId === ctx.meId;
    case 'unassigned':
      return row.assigneeId === null;
    case 'bugs12':
      return row.category === 'bug' && (row.serviceLevel === 1 || row.serviceLevel === 2);
    case 'breached':
      return isBreached(row, ctx.now);
    case 'all':
      return true;
  }
}

/** The rows of one cache version, split by open/closed and sorted on demand, once per key. */
export class QueueIndex {
  private readonly open: DisplayRow[] = [];
  private readonly closed: DisplayRow[] = [];
  private readonly sorted = new Map<string, DisplayRow[]>();
  /** Open cases per team, for the team switch. */
  readonly openCounts: Record<TeamId, number> = { 1: 0, 2: 0 };

  constructor(rows: readonly DisplayRow[]) {
    for (const r of rows) {
      if (r.status === 'closed') this.closed.push(r);
      else {
        this.open.push(r);
        this.openCounts[r.team]++;
      }
    }
  }

  rows(scope: 'open' | 'closed' | 'all', sort: Sort): readonly DisplayRow[] {
    const key = `${scope}:${sort.key}:${sort.dir}`;
    let list = this.sorted.get(key);
    if (!list) {
      const reverse = this.sorted.get(`${scope}:${sort.key}:${sort.dir === 'asc' ? 'desc' : 'asc'}`);
      if (reverse) list = [...reverse].reverse();
      else {
        const source = scope === 'open' ? this.open : scope === 'closed' ? this.closed : [...this.open, ...this.closed];
        const cmp = COMPARATORS[sort.key];
        list = [...source].sort(sort.dir === 'asc' ? cmp : (a, b) => cmp(b, a));
      }
      this.sorted.set(key, list);
    }
    return list;
  }

  select(q: QueueQuery, ctx: QueueContext): DisplayRow[] {
    return this.rows(statusScope(q.filters.status), q.sort).filter((r) => matches(r, q, ctx));
  }
}

export function selectQueue(rows: readonly DisplayRow[], q: QueueQuery, ctx: QueueContext): DisplayRow[] {
  return new QueueIndex(rows).select(q, ctx);
}
