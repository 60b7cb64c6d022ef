import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { samGeometry } from '../segmentation/samGeometry';
import { cellGrid } from './appearance';
import { candidatePrompt, findCandidate, judgeReacquired } from './reacquire';

const grid = cellGrid(samGeometry(320, 180)); // 64 x 36 cells of 5 px
const search = { minPeak: 0.5, regionDrop: 0.15 };

function mapWith(blobs: readonly { x0: number; y0: number; x1: number; y1: number; value: number }[], background = 0.1): Float32Array {
  const m = new Float32Array(64 * 36).fill(background);
  for (const b of blobs) for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) m[y * 64 + x] = b.value;
  return m;
}

describe('finding the best-matching region', () => {
  it('returns the region around the best cell, in original pixels', () => {
    const map = mapWith([{ x0: 20, y0: 8, x1: 26, y1: 12, value: 0.8 }]);
    map[9 * 64 + 22] = 0.9;
    const c = findCandidate(map, grid, search)!;
    expect(c.score).toBeCloseTo(0.9, 6);
    expect(c.peak).toEqual({ x: 112.5, y: 47.5 });
    expect(c.box).toEqual({ x0: 100, y0: 40, x1: 130, y1: 60 });
    expect(c.cells).toBe(24);
  });

  it('keeps to the best region when a weaker look-alike is elsewhere', () => {
    const map = mapWith([
      { x0: 2, y0: 2, x1: 6, y1: 6, value: 0.7 },
      { x0: 40, y0: 20, x1: 50, y1: 30, value: 0.85 },
    ]);
    const c = findCandidate(map, grid, search)!;
    expect(c.box).toEqual({ x0: 200, y0: 100, x1: 250, y1: 150 });
  });

  it('finds nothing when no cell is similar enough (the object is not there)', () => {
    expect(findCandidate(mapWith([{ x0: 20, y0: 8, x1: 26, y1: 12, value: 0.45 }]), grid, search)).toBeNull();
    expect(() => findCandidate(new Float32Array(10), grid, search)).toThrow(RangeError);
  });

  it('the region always holds the best cell and lies inside the image', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 64 * 36, maxLength: 64 * 36 }), (values) => {
        const map = Float32Array.from(values);
        const c = findCandidate(map, grid, search);
        const best = Math.max(...map);
        if (best < search.minPeak) {
          expect(c).toBeNull();
          return;
        }
        expect(c).not.toBeNull();
        expect(c!.score).toBe(best);
        expect(c!.peak.x).toBeGreaterThan(c!.box.x0);
        expect(c!.peak.x).toBeLessThan(c!.box.x1);
        expect(c!.peak.y).toBeGreaterThan(c!.box.y0);
        expect(c!.peak.y).toBeLessThan(c!.box.y1);
        expect(c!.box.x0).toBeGreaterThanOrEqual(0);
        expect(c!.box.y1).toBeLessThanOrEqual(180);
        expect(c!.cells).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('prompts the decoder with the region box and a positive point on the best cell', () => {
    const c = findCandidate(mapWith([{ x0: 60, y0: 30, x1: 64, y1: 36, value: 0.9 }]), grid, search)!;
    const p = candidatePrompt(c, 320, 180);
    expect(p.box).toEqual({ x0: 300, y0: 150, x1: 320, y1: 180 });
    expect(p.points).toHaveLength(1);
    expect(p.points[0]!.positive).toBe(true);
    expect(p.maskInput).toBeNull();
  });
});

describe('accepting a re-found mask', () => {
  const o = { acceptSimilarity: 0.7, maxAreaChange: 4 };
  it('found when it looks like the object and has a plausible size', () => {
    expect(judgeReacquired({ similarity: 0.82, area: 900, referenceArea: 1000 }, o)).toBe('found');
    expect(judgeReacquired({ similarity: 0.7, area: 260, referenceArea: 1000 }, o)).toBe('found');
  });

  it('rejected when it looks like something else, is empty, or is far too big or small', () => {
    expect(judgeReacquired({ similarity: 0.6, area: 1000, referenceArea: 1000 }, o)).toBe('rejected');
    expect(judgeReacquired({ similarity: null, area: 0, referenceArea: 1000 }, o)).toBe('rejected');
    expect(judgeReacquired({ similarity: 0.9, area: 4100, referenceArea: 1000 }, o)).toBe('rejected');
    expect(judgeReacquired({ similarity: 0.9, area: 240, referenceArea: 1000 }, o)).toBe('rejected');
  });

  it('never accepts below the similarity threshold, whatever the areas', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1e6 }), (similarity, area, referenceArea) => {
        const v = judgeReacquired({ similarity, area, referenceArea }, o);
        if (similarity < o.acceptSimilarity || area === 0) expect(v).toBe('rejected');
      }),
    );
  });
});
