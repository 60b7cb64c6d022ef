import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedCache } from './boundedCache';

interface Item {
  id: number;
  size: number;
}

function make(maxEntries: number, maxBytes: number) {
  const released: Item[] = [];
  const cache = new BoundedCache<number, Item>({ maxEntries, maxBytes, sizeOf: (v) => v.size, release: (v) => released.push(v) });
  return { cache, released };
}

describe('BoundedCache', () => {
  it('evicts the least recently used entry first', () => {
    const { cache, released } = make(2, 1000);
    cache.set(1, { id: 1, size: 1 });
    cache.set(2, { id: 2, size: 1 });
    cache.get(1);
    cache.set(3, { id: 3, size: 1 });
    expect(cache.keys()).toEqual([1, 3]);
    expect(released.map((r) => r.id)).toEqual([2]);
  });

  it('evicts by bytes as well as count', () => {
    const { cache } = make(100, 10);
    cache.set(1, { id: 1, size: 6 });
    cache.set(2, { id: 2, size: 6 });
    expect(cache.keys()).toEqual([2]);
    expect(cache.totalBytes).toBe(6);
  });

  it('releases a value too large to keep at all', () => {
    const { cache, released } = make(5, 10);
    cache.set(1, { id: 1, size: 11 });
    expect(cache.size).toBe(0);
    expect(released.map((r) => r.id)).toEqual([1]);
  });

  it('releases a replaced value, but not when the same value is set again', () => {
    const { cache, released } = make(5, 100);
    const a = { id: 1, size: 1 };
    cache.set(1, a);
    cache.set(1, a);
    expect(released).toEqual([]);
    cache.set(1, { id: 2, size: 1 });
    expect(released).toEqual([a]);
  });

  it('stays within bounds and releases every value exactly once, for any operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 20 }), size: fc.integer({ min: 0, max: 40 }) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 20 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 100 }), fc.array(op, { maxLength: 200 }), (maxEntries, maxBytes, ops) => {
        const { cache, released } = make(maxEntries, maxBytes);
        const created: Item[] = [];
        let id = 0;
        for (const o of ops) {
          if (o.kind === 'set') {
            const item = { id: id++, size: o.size };
            created.push(item);
            cache.set(o.key, item);
          } else if (o.kind === 'get') cache.get(o.key);
          else cache.delete(o.key);
          expect(cache.size).toBeLessThanOrEqual(maxEntries);
          expect(cache.totalBytes).toBeLessThanOrEqual(maxBytes);
        }
        cache.clear();
        expect(cache.totalBytes).toBe(0);
        expect(new Set(released).size).toBe(released.length);
        expect(released.length).toBe(created.length);
      }),
    );
  });

  it('rejects impossible bounds', () => {
    expect(() => make(0, 10)).toThrow();
    expect(() => make(1, 0)).toThrow();
  });
});
