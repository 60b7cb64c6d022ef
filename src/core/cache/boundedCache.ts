/**
 * A least-recently-used cache bounded both by entry count and by total size. Values evicted or
 * replaced are handed to `release` (e.g. to close an ImageBitmap), exactly once each.
 */
export interface BoundedCacheOptions<V> {
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly sizeOf: (value: V) => number;
  readonly release?: (value: V) => void;
}

export class BoundedCache<K, V> {
  private readonly map = new Map<K, { value: V; size: number }>();
  private bytes = 0;

  constructor(private readonly options: BoundedCacheOptions<V>) {
    if (!(options.maxEntries >= 1)) throw new Error('maxEntries must be at least 1');
    if (!(options.maxBytes > 0)) throw new Error('maxBytes must be positive');
  }

  get size(): number {
    return this.map.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  /** Returns the value and marks it most recently used. */
  get(key: K): V | undefined {
    const entry = this.map.get(key);
    if (entry === undefined) return undefined;
    this.map.delete(key);
    this.map.set(key, entry);
    return entry.value;
  }

  /**
   * Stores a value. A value larger than the whole budget is released at once and not kept:
   * the cache never exceeds its bounds, even for one entry.
   */
  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.map.delete(key);
      this.bytes -= old.size;
      if (old.value !== value) this.options.release?.(old.value);
    }
    const size = this.options.sizeOf(value);
    if (size > this.options.maxBytes) {
      this.options.release?.(value);
      return;
    }
    this.map.set(key, { value, size });
    this.bytes += size;
    this.evict();
  }

  delete(key: K): boolean {
    const entry = this.map.get(key);
    if (entry === undefined) return false;
    this.map.delete(key);
    this.bytes -= entry.size;
    this.options.release?.(entry.value);
    return true;
  }

  clear(): void {
    for (const { value } of this.map.values()) this.options.release?.(value);
    this.map.clear();
    this.bytes = 0;
  }

  keys(): K[] {
    return [...this.map.keys()];
  }

  private evict(): void {
    for (const [key, entry] of this.map) {
      if (this.map.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.map.delete(key);
      this.bytes -= entry.size;
      this.options.release?.(entry.value);
    }
  }
}
