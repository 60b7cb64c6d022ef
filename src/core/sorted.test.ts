import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastAtOrBefore, nearestIndex } from './sorted';

const sortedArray = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 60 }).map((a) => [...a].sort((x, y) => x - y));

describe('sorted searches', () => {
  it('nearestIndex finds an element at minimal distance, the earliest of equals', () => {
    fc.assert(
      fc.property(sortedArray, fc.integer({ min: -1200, max: 1200 }), (a, v) => {
        const i = nearestIndex(a, v);
        const best = Math.min(...a.map((x) => Math.abs(x - v)));
        expect(Math.abs(a[i]! - v)).toBe(best);
        expect(a.findIndex((x) => Math.abs(x - v) === best && x === a[i])).toBeLessThanOrEqual(i);
      }),
    );
  });

  it('lastAtOrBefore agrees with a linear scan', () => {
    fc.assert(
      fc.property(sortedArray, fc.integer({ min: -1200, max: 1200 }), (a, v) => {
        let expected = -1;
        a.forEach((x, i) => {
          if (x <= v) expected = i;
        });
        expect(lastAtOrBefore(a, v)).toBe(expected);
      }),
    );
  });
});
