import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryF, boundaryMap, boundaryScore, boundaryTolerance, dilateDisk, regionJaccard } from './metrics';
import { maskFromPredicate, type BinaryMask } from './rle';

const W = 120;
const H = 80;
const rect = (x0: number, y0: number, x1: number, y1: number, w = W, h = H): BinaryMask => maskFromPredicate(w, h, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1);
const empty = (w = W, h = H): BinaryMask => maskFromPredicate(w, h, () => false);
const sum = (a: Uint8Array): number => a.reduce((s, v) => s + v, 0);

describe('region J', () => {
  it('is 1 for identical masks, 0 for disjoint ones, 1 for two empty ones (DAVIS)', () => {
    expect(regionJaccard(rect(10, 10, 40, 40), rect(10, 10, 40, 40))).toBe(1);
    expect(regionJaccard(rect(10, 10, 40, 40), rect(50, 10, 90, 40))).toBe(0);
    expect(regionJaccard(empty(), empty())).toBe(1);
    expect(regionJaccard(rect(0, 0, 10, 10), rect(5, 0, 15, 10))).toBeCloseTo(50 / 150, 12);
    expect(() => regionJaccard(empty(10, 10), empty(10, 11))).toThrow(RangeError);
  });

  it('is symmetric and in [0, 1]', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 48, maxLength: 48, max: 1 }), fc.uint8Array({ minLength: 48, maxLength: 48, max: 1 }), (a, b) => {
        const ma = { width: 8, height: 6, data: a };
        const mb = { width: 8, height: 6, data: b };
        const j = regionJaccard(ma, mb);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(regionJaccard(mb, ma)).toBe(j);
      }),
    );
  });
});

describe('boundary F (DAVIS)', () => {
  it('marks the seg2bmap boundary of a rectangle: its right/bottom inner pixels and left/top outer ones', () => {
    const b = boundaryMap(rect(2, 2, 5, 5, 8, 8));
    const at = (x: number, y: number): number => b[y * 8 + x]!;
    expect(at(3, 3)).toBe(0); // interior
    expect(at(4, 3)).toBe(1); // last column of the object (differs from its east neighbour)
    expect(at(1, 3)).toBe(1); // background left of the object (differs from its east neighbour)
    expect(at(6, 6)).toBe(0);
    expect(sum(boundaryMap(empty(8, 8)))).toBe(0);
    // The full image has no boundary (the last row and column only compare inside the image).
    expect(sum(boundaryMap(maskFromPredicate(8, 8, () => true)))).toBe(0);
  });

  it('uses ceil(0.008 * diagonal) pixels of tolerance: 8 at 854x480', () => {
    expect(boundaryTolerance(854, 480)).toBe(8);
    expect(boundaryTolerance(W, H)).toBe(2);
    expect(boundaryTolerance(W, H, 3)).toBe(3);
  });

  it('dilates with a disk', () => {
    const map = new Uint8Array(21 * 21);
    map[10 * 21 + 10] = 1;
    const d = dilateDisk(map, 21, 21, 3);
    // skimage disk(3) has 29 pixels.
    expect(sum(d)).toBe(29);
    expect(d[10 * 21 + 13]).toBe(1);
    expect(d[13 * 21 + 13]).toBe(0);
  });

  it('is 1 for identical masks and 0 for far-apart ones; empty vs empty is 1, empty vs object 0', () => {
    expect(boundaryF(rect(10, 10, 40, 40), rect(10, 10, 40, 40))).toBe(1);
    expect(boundaryF(rect(5, 5, 20, 20), rect(70, 40, 100, 70))).toBe(0);
    expect(boundaryF(empty(), empty())).toBe(1);
    expect(boundaryScore(empty(), rect(10, 10, 20, 20))).toEqual({ precision: 1, recall: 0, f: 0 });
    expect(boundaryScore(rect(10, 10, 20, 20), empty())).toEqual({ precision: 0, recall: 1, f: 0 });
  });

  it('a 1-pixel shift keeps F = 1 (within the tolerance) while J drops below 1', () => {
    const a = rect(20, 20, 60, 50);
    const b = rect(21, 20, 61, 50);
    expect(boundaryF(a, b)).toBe(1);
    expect(regionJaccard(a, b)).toBeLessThan(1);
  });

  it('is symmetric (precision and recall swap), within [0, 1], and 1 for any mask with itself', () => {
    const box = fc.tuple(fc.integer({ min: 0, max: W - 1 }), fc.integer({ min: 0, max: H - 1 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 40 }));
    fc.assert(
      fc.property(box, box, ([x, y, w, h], [x2, y2, w2, h2]) => {
        const a = rect(x, y, x + w, y + h);
        const b = rect(x2, y2, x2 + w2, y2 + h2);
        const ab = boundaryScore(a, b);
        const ba = boundaryScore(b, a);
        expect(ab.precision).toBe(ba.recall);
        expect(ab.recall).toBe(ba.precision);
        expect(ab.f).toBeGreaterThanOrEqual(0);
        expect(ab.f).toBeLessThanOrEqual(1);
        expect(boundaryF(a, a)).toBe(1);
      }),
      { numRuns: 60 },
    );
  });
});
