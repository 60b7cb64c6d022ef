import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMBEDDING_CHANNELS as K, type CellGrid } from './appearance';
import { agreement, mergePrototypes, objectBox, objectCells, prototypesOf, regionOf } from './cellMatch';

const grid: CellGrid = { cols: 12, rows: 8, cellWidth: 10, cellHeight: 10 };
const N = grid.cols * grid.rows;

/** Unit cell features: channel `ch` plus a little of channel `mix` (look-alikes differ in the mix). */
function cellsWith(channelOf: (x: number, y: number) => number, mixOf: (x: number, y: number) => number = () => 0): Float32Array {
  const out = new Float32Array(N * K);
  for (let y = 0; y < grid.rows; y++)
    for (let x = 0; x < grid.cols; x++) {
      const i = y * grid.cols + x;
      const m = mixOf(x, y);
      const n = Math.sqrt(1 + m * m);
      out[i * K + channelOf(x, y)] = 1 / n;
      out[i * K + 100]! += m / n;
    }
  return out;
}
const inRect = (x: number, y: number, r: { x0: number; y0: number; x1: number; y1: number }): boolean => x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
const coverageOf = (r: { x0: number; y0: number; x1: number; y1: number }): Float32Array => Float32Array.from({ length: N }, (_, i) => (inRect(i % grid.cols, Math.floor(i / grid.cols), r) ? 1 : 0));
const whole = { x0: 0, y0: 0, x1: grid.cols, y1: grid.rows };

describe('cells that look like the object rather than its surroundings', () => {
  // Anchor: the object (channel 3) at cells x 3..5, y 2..4 on grass (5) within 2 cells of it, sky (7) farther.
  const obj = { x0: 3, y0: 2, x1: 6, y1: 5 };
  const anchorCells = cellsWith((x, y) => (inRect(x, y, obj) ? 3 : inRect(x, y, { x0: 1, y0: 0, x1: 8, y1: 7 }) ? 5 : 7));
  const protos = prototypesOf(anchorCells, coverageOf(obj), grid, { maxObject: 4, maxBackground: 6, ring: 2 });

  it('keeps a few object cells and background cells from near and far', () => {
    expect(protos.object.length).toBe(4 * K);
    expect(protos.background.length).toBe(6 * K);
    for (let p = 0; p < 4; p++) expect(protos.object[p * K + 3]).toBe(1);
    const bgChannels = [0, 1, 2, 3, 4, 5].map((p) => [5, 7].find((c) => protos.background[p * K + c] === 1));
    expect(bgChannels).toEqual([5, 5, 5, 7, 7, 7]);
  });

  it('finds the moved object on a later frame, and a mask that spills onto the grass agrees less', () => {
    const moved = { x0: 6, y0: 3, x1: 9, y1: 6 };
    const later = cellsWith((x, y) => (inRect(x, y, moved) ? 3 : x < 9 ? 5 : 7));
    const map = objectCells(later, protos, grid, whole);
    for (let i = 0; i < N; i++) expect(map[i], `cell ${i}`).toBe(inRect(i % grid.cols, Math.floor(i / grid.cols), moved) ? 1 : 0);
    expect(agreement(coverageOf(moved), map, grid, whole)).toBe(1);
    const spilled = agreement(coverageOf({ ...moved, x0: 4 }), map, grid, whole);
    const partial = agreement(coverageOf({ ...moved, x1: 7 }), map, grid, whole);
    expect(spilled).toBeCloseTo(9 / 15, 5);
    expect(partial).toBeCloseTo(3 / 9, 5);
  });

  it('a look-alike closer to the background than to the object is not the object', () => {
    // Mostly object-like channel but with a strong grass component: nearer to the grass prototype.
    const later = cellsWith((x, y) => (inRect(x, y, obj) ? 3 : 5), (x, y) => (inRect(x, y, obj) ? 0 : 0));
    const withLookAlike = cellsWith(
      (x, y) => (inRect(x, y, obj) ? 3 : 5),
      (x, y) => (x === 10 && y === 1 ? 0.5 : 0),
    );
    expect(objectCells(later, protos, grid, whole).reduce((s, v) => s + v, 0)).toBe(9);
    // The look-alike cell is channel 5 with some of channel 100: still grass.
    expect(objectCells(withLookAlike, protos, grid, { x0: 10, y0: 1, x1: 11, y1: 2 })[0]).toBe(0);
    // Without object prototypes nothing is the object.
    expect(objectCells(later, { object: new Float32Array(0), background: protos.background }, grid, whole).every((v) => v === 0)).toBe(true);
  });

  it('merges prototypes of several frames', () => {
    const m = mergePrototypes([protos, protos]);
    expect(m.object.length).toBe(2 * protos.object.length);
    expect(m.background.length).toBe(2 * protos.background.length);
  });

  it('agreement is in [0, 1] and 1 exactly when the coverage is the map', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: N, maxLength: N }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: N, maxLength: N }), (bits, cov) => {
        const map = Uint8Array.from(bits, (b) => (b ? 1 : 0));
        const a = agreement(Float32Array.from(cov), map, grid, whole);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1 + 1e-9);
        if (bits.some((b) => b)) expect(agreement(Float32Array.from(map), map, grid, whole)).toBe(1);
      }),
    );
  });

  it('a pixel box becomes its cells, padded and clipped', () => {
    expect(regionOf({ x0: 25, y0: 11, x1: 41, y1: 30 }, grid, 1)).toEqual({ x0: 1, y0: 0, x1: 6, y1: 4 });
    expect(regionOf({ x0: 0, y0: 0, x1: 120, y1: 80 }, grid, 2)).toEqual(whole);
  });

  it('the object-like cells connected to the seed make a box, across a thin gap when allowed', () => {
    // Object-like cells x 2..4 and 6..7 on row 3 (a one-cell pole at x 5), and a far look-alike at x 10.
    const map = Uint8Array.from({ length: N }, (_, i) => {
      const x = i % grid.cols;
      const y = Math.floor(i / grid.cols);
      return y === 3 && ((x >= 2 && x <= 4) || x === 6 || x === 7 || x === 10) ? 1 : 0;
    });
    const seed = coverageOf({ x0: 3, y0: 3, x1: 4, y1: 4 });
    expect(objectBox(map, seed, grid, whole, 0)).toEqual({ x0: 20, y0: 30, x1: 50, y1: 40 });
    expect(objectBox(map, seed, grid, whole, 1)).toEqual({ x0: 20, y0: 30, x1: 80, y1: 40 });
    // Not across the 2-cell gap to the look-alike unless allowed.
    expect(objectBox(map, seed, grid, whole, 2)).toEqual({ x0: 20, y0: 30, x1: 110, y1: 40 });
    // A seed on no object-like cell: nothing.
    expect(objectBox(map, coverageOf({ x0: 0, y0: 0, x1: 1, y1: 1 }), grid, whole, 2)).toBeNull();
  });
});
