import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DisplayRow } from '../../renderer/src/model/rows';
import {
  COMPARATORS,
  compareUrgency,
  DEFAULT_FILTERS,
  DEFAULT_SORT,
  mergeInto,
  QueueIndex,
  selectQueue,
  SORT_KEYS,
  type QueueQuery,
  type SortKey,
} from '../../renderer/src/model/queue';
import { row } from './rows';

const NOW = Date.UTC(2026, 2, 10, 10, 0);
const ctx = { meId: 'me', now: NOW };
const query = (overrides: Partial<QueueQuery> = {}): QueueQuery => ({
  teams: [1, 2],
  view: 'all',
  filters: DEFAULT_FILTERS,
  sort: DEFAULT_SORT,
  ...overrides,
});
const numbers = (rows: { number: number }[]) => rows.map((r) => r.number);

describe('queue order by urgency', () => {
  const breachedLong = row({ number: 1, category: 'bug', serviceLevel: 2, deadlineAt: NOW - 5 * 3_600_000 });
  const breachedShort = row({ number: 2, category: 'bug', serviceLevel: 1, deadlineAt: NOW - 60_000 });
  const dueSoon = row({ number: 3, category: 'bug', serviceLevel: 3, deadlineAt: NOW + 30 * 60_000 });
  const dueLater = row({ number: 4, category: 'bug', serviceLevel: 4, deadlineAt: NOW + 48 * 3_600_000 });
  const oldSupport = row({ number: 5, registeredAt: Date.UTC(2026, 0, 1) });
  const newSupport = row({ number: 6, registeredAt: Date.UTC(2026, 2, 9) });

  it('puts breached cases first, then the soonest deadline, then age', () => {
    const rows = [newSupport, dueLater, oldSupport, breachedShort, dueSoon, breachedLong];
    expect(numbers(selectQueue(rows, query(), ctx))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reverses on a descending sort', () => {
    const rows = [newSupport, dueLater, oldSupport, breachedShort, dueSoon, breachedLong];
    expect(numbers(selectQueue(rows, query({ sort: { key: 'urgency', dir: 'desc' } }), ctx))).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('breaks ties by registration time and then number', () => {
    const a = row({ number: 20, registeredAt: 1000 });
    const b = row({ number: 10, registeredAt: 1000 });
    expect(compareUrgency(a, b)).toBeGreaterThan(0);
    expect(compareUrgency(b, a)).toBeLessThan(0);
  });

  it('sorts by number, age and last update', () => {
    const a = row({ number: 30, registeredAt: 3, updatedAt: 1 });
    const b = row({ number: 10, registeredAt: 2, updatedAt: 3 });
    const c = row({ number: 20, registeredAt: 1, updatedAt: 2 });
    expect(numbers(selectQueue([a, b, c], query({ sort: { key: 'number', dir: 'asc' } }), ctx))).toEqual([10, 20, 30]);
    expect(numbers(selectQueue([a, b, c], query({ sort: { key: 'age', dir: 'asc' } }), ctx))).toEqual([20, 10, 30]);
    expect(numbers(selectQueue([a, b, c], query({ sort: { key: 'updated', dir: 'desc' } }), ctx))).toEqual([10, 20, 30]);
  });
});

describe('queue filters and views', () => {
  const mine = row({ number: 1, assigneeId: 'me', team: 1 });
  const colleague = row({ number: 2, assigneeId: 'other', team: 2 });
  const unassignedBug1 = row({ number: 3, category: 'bug', serviceLevel: 1, team: 1, module: 'payroll', office: 'FI', deadlineAt: NOW - 1 });
  const bug4 = row({ number: 4, category: 'bug', serviceLevel: 4, team: 2, deadlineAt: NOW + 1 });
  const closed = row({ number: 5, status: 'closed', team: 1 });
  const order = row({ number: 6, category: 'order', status: 'cost_proposal', team: 2 });
  const all = [mine, colleague, unassignedBug1, bug4, closed, order];
  const pick = (q: Partial<QueueQuery>) => numbers(selectQueue(all, query({ sort: { key: 'number', dir: 'asc' }, ...q }), ctx));

  it('shows open cases of the chosen teams', () => {
    expect(pick({ teams: [1] })).toEqual([1, 3]);
    expect(pick({ teams: [2] })).toEqual([2, 4, 6]);
    expect(pick({ teams: [1, 2] })).toEqual([1, 2, 3, 4, 6]);
  });

  it('filters by status: open, closed, all, one status', () => {
    expect(pick({ filters: { ...DEFAULT_FILTERS, status: 'closed' } })).toEqual([5]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, status: 'all' } })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, status: 'cost_proposal' } })).toEqual([6]);
  });

  it('filters by category, level, module, office and assignee', () => {
    expect(pick({ filters: { ...DEFAULT_FILTERS, category: 'bug' } })).toEqual([3, 4]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, level: 4 } })).toEqual([4]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, module: 'payroll' } })).toEqual([3]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, office: 'FI' } })).toEqual([3]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, assignee: 'me' } })).toEqual([1]);
    expect(pick({ filters: { ...DEFAULT_FILTERS, assignee: 'unassigned' } })).toEqual([3, 4, 6]);
  });

  it('has the ready views', () => {
    expect(pick({ view: 'mine' })).toEqual([1]);
    expect(pick({ view: 'unassigned' })).toEqual([3, 4, 6]);
    expect(pick({ view: 'bugs12' })).toEqual([3]);
    expect(pick({ view: 'breached' })).toEqual([3]);
  });

  it('combines a view with filters', () => {
    expect(pick({ view: 'unassigned', filters: { ...DEFAULT_FILTERS, category: 'order' } })).toEqual([6]);
    expect(pick({ view: 'unassigned', teams: [1] })).toEqual([3]);
  });

  it('counts open cases per team for the team switch', () => {
    expect(new QueueIndex(all).openCounts).toEqual({ 1: 2, 2: 3 });
  });

  it('caches sorted lists per key without changing the rows', () => {
    const index = new QueueIndex(all);
    const first = index.rows('open', DEFAULT_SORT);
    expect(index.rows('open', DEFAULT_SORT)).toBe(first);
    const reversed = index.rows('open', { key: 'urgency', dir: 'desc' });
    expect([...reversed].reverse()).toEqual(first);
  });
});

describe('merging into a sorted list', () => {
  it('gives what sorting everything gives, in place', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.array(fc.integer({ min: 0, max: 50 })), (base, incoming) => {
        const list = [...base].sort((a, b) => a - b);
        const sortedIncoming = [...incoming].sort((a, b) => a - b);
        const same = list;
        mergeInto(list, sortedIncoming, (a, b) => a - b);
        expect(list).toBe(same);
        expect(list).toEqual([...base, ...incoming].sort((a, b) => a - b));
      }),
    );
  });
});

/** A random case row: few distinct values, so ties on deadlines and dates are common. */
const arbitraryRow = (n: number) =>
  fc
    .record({
      team: fc.constantFrom(1 as const, 2 as const),
      status: fc.constantFrom('new' as const, 'line1' as const, 'closed' as const),
      category: fc.constantFrom('bug' as const, 'support' as const),
      deadlineAt: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
      registeredAt: fc.integer({ min: 0, max: 5 }),
      updatedAt: fc.integer({ min: 0, max: 5 }),
      assigneeId: fc.constantFrom(null, 'me', 'other'),
    })
    .map((r) => row({ ...r, id: `c${n}`, number: 1000 + n }));

const QUERIES: QueueQuery[] = SORT_KEYS.flatMap((key: SortKey) =>
  (['asc', 'desc'] as const).flatMap((dir) =>
    (['open', 'closed', 'all'] as const).flatMap((status) =>
      [[1], [1, 2]].map((teams): QueueQuery => ({ teams: teams as QueueQuery['teams'], view: 'all', filters: { ...DEFAULT_FILTERS, status }, sort: { key, dir } })),
    ),
  ),
);

describe('QueueIndex kept up to date', () => {
  it('after any sequence of changes, shows what a fresh index of the same rows shows', () => {
    const step = fc.tuple(fc.integer({ min: 0, max: 11 }), fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }));
    fc.assert(
      fc.property(fc.array(fc.array(step, { maxLength: 8 }), { maxLength: 6 }), fc.integer(), (batches, seed) => {
        const index = new QueueIndex();
        const current = new Map<string, DisplayRow>();
        let version = index.version;
        for (const batch of batches) {
          for (const [n, variant] of batch) {
            if (variant === null) {
              current.delete(`c${n}`);
              index.update(`c${n}`, undefined);
            } else {
              const r = fc.sample(arbitraryRow(n), { numRuns: 1, seed: seed + variant })[0] as DisplayRow;
              current.set(r.id, r);
              index.update(r.id, r);
            }
          }
          // Every merge is seen by readers as a new version.
          if (batch.length > 0) {
            expect(index.version).not.toBe(version);
            version = index.version;
          }
          const rows = [...current.values()];
          for (const q of QUERIES) expect(index.select(q, { meId: 'me', now: 3 }).map((r) => r.id)).toEqual(selectQueue(rows, q, { meId: 'me', now: 3 }).map((r) => r.id));
          expect(index.openCounts).toEqual(new QueueIndex(rows).openCounts);
        }
      }),
    );
  });

  it('merges a large batch of changes (a page of a pull) as a fresh index would show it', () => {
    const rows = Array.from({ length: 300 }, (_, i) => row({ number: 9000 + i, status: i % 3 ? 'new' : 'closed', deadlineAt: i % 7, registeredAt: i % 11 }));
    const index = new QueueIndex(rows);
    expect(index.version).toBeGreaterThan(0);
    const changed = rows.slice(0, 150).map((r, i) => ({ ...r, status: i % 2 ? ('closed' as const) : ('line1' as const), deadlineAt: (i * 13) % 5, version: 2 }));
    for (const r of changed) index.update(r.id, r);
    for (const r of rows.slice(280)) index.update(r.id, undefined);
    const expected = [...changed, ...rows.slice(150, 280)];
    for (const q of QUERIES) expect(index.select(q, { meId: 'me', now: 0 })).toEqual(selectQueue(expected, q, { meId: 'me', now: 0 }));
    expect(index.openCounts).toEqual(new QueueIndex(expected).openCounts);
  });

  it('takes lists sorted elsewhere (a cold start) and merges later changes into them', () => {
    const rows = Array.from({ length: 40 }, (_, i) => row({ number: 5000 + i, deadlineAt: (i * 7) % 11, registeredAt: (i * 5) % 13, updatedAt: (i * 3) % 17 }));
    const sorted = Object.fromEntries(SORT_KEYS.map((k) => [k, [...rows].sort(COMPARATORS[k])])) as Record<SortKey, DisplayRow[]>;
    const index = new QueueIndex();
    index.seed(sorted);
    const changed = { ...rows[3]!, deadlineAt: 100, version: 2 };
    index.update(changed.id, changed);
    const expected = rows.map((r) => (r.id === changed.id ? changed : r));
    for (const q of QUERIES) expect(index.select(q, { meId: 'me', now: 0 })).toEqual(selectQueue(expected, q, { meId: 'me', now: 0 }));
    expect(() => index.seed(sorted)).toThrow();
  });
});
