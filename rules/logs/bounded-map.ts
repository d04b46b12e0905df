/**
 * A Map that forgets its oldest entries past a size, with O(1) eviction. (Evicting through
 * `map.keys().next()` after many deletes walks V8's deleted-entry holes: quadratic on big logs.)
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  private order: K[] = [];
  private head = 0;

  constructor(
    private readonly limit: number,
    private readonly onEvict: (key: K, value: V) => void = () => undefined,
  ) {}

  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  /** Adds a new key (callers set each key once until it is deleted or evicted). */
  add(key: K, value: V): void {
    this.map.set(key, value);
    this.order.push(key);
    while (this.map.size > this.limit && this.head < this.order.length) {
      const oldest = this.order[this.head++] as K;
      const evicted = this.map.get(oldest);
      if (evicted !== undefined) {
        this.map.delete(oldest);
        this.onEvict(oldest, evicted);
      }
    }
    if (this.head > 65_536 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }
  delete(key: K): void {
    // The key stays in `order`; eviction skips keys that are gone.
    this.map.delete(key);
  }
  values(): IterableIterator<V> {
    return this.map.values();
  }
  clear(): void {
    this.map.clear();
    this.order = [];
    this.head = 0;
  }
}
