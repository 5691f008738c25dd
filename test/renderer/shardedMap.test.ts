/** ShardedMap: behaves as a Map for every operation the store uses, whatever the keys. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShardedMap } from '../../renderer/src/lib/shardedMap';

type Op = { kind: 'set'; key: string | number; value: number } | { kind: 'delete'; key: string | number } | { kind: 'clear' };

const key = fc.oneof(fc.uuid(), fc.string({ minLength: 0, maxLength: 4 }), fc.integer({ min: -5, max: 1_000_000 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('ShardedMap', () => {
  it('answers get, has, size and iteration exactly as a Map does after any sequence of changes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const sharded = new ShardedMap<string | number, number>();
        const plain = new Map<string | number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            sharded.set(o.key, o.value);
            plain.set(o.key, o.value);
          } else if (o.kind === 'delete') expect(sharded.delete(o.key)).toBe(plain.delete(o.key));
          else {
            sharded.clear();
            plain.clear();
          }
          expect(sharded.size).toBe(plain.size);
        }
        for (const [k, v] of plain) {
          expect(sharded.get(k)).toBe(v);
          expect(sharded.has(k)).toBe(true);
        }
        // By text, then by type: the number 0 and the text "0" are different keys of equal text.
        const byKey = (a: [string | number, number], b: [string | number, number]) =>
          String(a[0]).localeCompare(String(b[0])) || (typeof a[0]).localeCompare(typeof b[0]) || Number(a[0]) - Number(b[0]);
        expect([...sharded].sort(byKey)).toEqual([...plain].sort(byKey));
        expect([...sharded.keys()].length).toBe(plain.size);
        expect([...sharded.values()].sort()).toEqual([...plain.values()].sort());
        const visited: Array<[string | number, number]> = [];
        sharded.forEach((v, k) => visited.push([k, v]));
        expect(visited.sort(byKey)).toEqual([...plain].sort(byKey));
      }),
      { numRuns: 300 },
    );
  });

  it('spreads case ids and case numbers over many shards', () => {
    const ids = new ShardedMap<string, number>();
    const numbers = new ShardedMap<number, number>();
    for (let i = 0; i < 6_400; i++) {
      ids.set(crypto.randomUUID(), i);
      numbers.set(100_000 + i, i);
    }
    const sizes = (m: ShardedMap<never, number>) => (m as unknown as { shards: Array<Map<unknown, unknown>> }).shards.map((s) => s.size);
    // 100 per shard on average: none empty, none holding a large part.
    for (const counts of [sizes(ids as never), sizes(numbers as never)]) {
      expect(counts).toHaveLength(64);
      expect(Math.min(...counts)).toBeGreaterThan(0);
      expect(Math.max(...counts)).toBeLessThan(400);
    }
  });

  it('walks its parts, each entry in the part of its key', () => {
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ id: `row-${i}`, n: i }));
    const map = new ShardedMap<string, { id: string; n: number }>();
    for (const r of rows) map.set(r.id, r);
    const seen: number[] = [];
    for (let part = 0; part < map.parts; part++) map.forEachIn(part, (r, id) => (expect(map.partOf(id)).toBe(part), seen.push(r.n)));
    expect(seen.sort((a, b) => a - b)).toEqual(rows.map((r) => r.n));
  });
});
