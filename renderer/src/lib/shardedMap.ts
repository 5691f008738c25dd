/**
 * A Map split into many small ones by a hash of the key, for the maps that hold every case.
 *
 * V8 grows a Map by moving every entry into a table twice the size, in one go: at 65,536
 * entries that one insert takes about 20 ms. The store's map by id, its map by number and the
 * queue's map of what it shows hold the same cases, so during a bootstrap they all cross the
 * same size with the same page: a pause of 60 ms and more in one task. Split 64 ways by a hash
 * that scatters keys at random, each part grows on its own for a 64th of that, and the parts
 * reach their sizes a few thousand inserts apart, so the growing is spread over the
 * bootstrap's slices like any other work.
 */
const SHARDS = 64;
const MASK = SHARDS - 1;

/**
 * A mixing hash (MurmurHash3's finaliser): consecutive case numbers land on shards at random,
 * so the shards do not fill in lockstep — `n & 63` would make all 64 grow with the same 64 inserts.
 */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) & MASK;
}

/** Case ids are UUIDs: their last characters (hex digits), mixed. */
function shardOfText(key: string): number {
  const n = key.length;
  return mix((key.charCodeAt(n - 1) << 16) ^ (key.charCodeAt(n - 2) << 8) ^ key.charCodeAt(n - 3) ^ (n << 24));
}

export class ShardedMap<K extends string | number, V> implements Iterable<[K, V]> {
  private readonly shards: Array<Map<K, V>> = Array.from({ length: SHARDS }, () => new Map<K, V>());
  private count = 0;

  private shard(key: K): Map<K, V> {
    return this.shards[this.partOf(key)] as Map<K, V>;
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return this.shard(key).get(key);
  }

  has(key: K): boolean {
    return this.shard(key).has(key);
  }

  set(key: K, value: V): this {
    const shard = this.shard(key);
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  delete(key: K): boolean {
    if (!this.shard(key).delete(key)) return false;
    this.count--;
    return true;
  }

  clear(): void {
    for (const shard of this.shards) shard.clear();
    this.count = 0;
  }

  /** How many parts `forEachIn` walks: a walk of every entry can be spread over tasks part by part. */
  get parts(): number {
    return SHARDS;
  }

  /** The part `key` is (or would be) in. */
  partOf(key: K): number {
    return typeof key === 'number' ? mix(key) : shardOfText(key);
  }

  /** The entries of one part (0 ≤ part < `parts`). */
  forEachIn(part: number, visit: (value: V, key: K) => void): void {
    this.shards[part]?.forEach(visit);
  }

  /** Every entry, shard by shard (not in insertion order); the quick way through 100,000. */
  forEach(visit: (value: V, key: K) => void): void {
    for (const shard of this.shards) shard.forEach(visit);
  }

  *entries(): IterableIterator<[K, V]> {
    for (const shard of this.shards) yield* shard;
  }

  *keys(): IterableIterator<K> {
    for (const shard of this.shards) yield* shard.keys();
  }

  *values(): IterableIterator<V> {
    for (const shard of this.shards) yield* shard.values();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}
