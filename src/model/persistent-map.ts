// A small immutable map with structural sharing, so that admitting one pod returns a new node
// state without copying the entries of every pod admitted before it. `set`/`delete` add a layer;
// a chain deeper than MAX_DEPTH is flattened once, which keeps both reads and writes cheap
// (amortised O(size / MAX_DEPTH) per write).

const DELETED: unique symbol = Symbol('deleted');
const MAX_DEPTH = 32;

export class PersistentMap<K, V> {
  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(null, new Map(), 0, 0);
  }

  static from<K, V>(entries: Iterable<readonly [K, V]>): PersistentMap<K, V> {
    const own = new Map<K, V | typeof DELETED>();
    for (const [k, v] of entries) own.set(k, v);
    return new PersistentMap<K, V>(null, own, 0, own.size);
  }

  private constructor(
    private readonly parent: PersistentMap<K, V> | null,
    private readonly own: ReadonlyMap<K, V | typeof DELETED>,
    private readonly depth: number,
    readonly size: number,
  ) {}

  get(key: K): V | undefined {
    if (this.own.has(key)) {
      const v = this.own.get(key);
      return v === DELETED ? undefined : v;
    }
    return this.parent === null ? undefined : this.parent.get(key);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): PersistentMap<K, V> {
    const size = this.has(key) ? this.size : this.size + 1;
    return this.layer(new Map([[key, value]]), size);
  }

  delete(key: K): PersistentMap<K, V> {
    if (!this.has(key)) return this;
    return this.layer(new Map<K, V | typeof DELETED>([[key, DELETED]]), this.size - 1);
  }

  private layer(own: Map<K, V | typeof DELETED>, size: number): PersistentMap<K, V> {
    const next = new PersistentMap<K, V>(this, own, this.depth + 1, size);
    return next.depth > MAX_DEPTH ? PersistentMap.from(next.entries()) : next;
  }

  /** This map and its ancestors, newest layer first. */
  private chain(): PersistentMap<K, V>[] {
    const out: PersistentMap<K, V>[] = [this];
    for (let m = this.parent; m !== null; m = m.parent) out.push(m);
    return out;
  }

  /** Entries in insertion order of their first appearance, oldest first. */
  *entries(): IterableIterator<[K, V]> {
    const chain = this.chain();
    const merged = new Map<K, V | typeof DELETED>();
    for (let i = chain.length - 1; i >= 0; i--) {
      for (const [k, v] of (chain[i] as PersistentMap<K, V>).own) merged.set(k, v);
    }
    for (const [k, v] of merged) if (v !== DELETED) yield [k, v];
  }

  *keys(): IterableIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): IterableIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }
}
