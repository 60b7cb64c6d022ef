import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFromPredicate } from '../mask/rle';
import { samGeometry } from '../segmentation/samGeometry';
import { EMBEDDING_CHANNELS, EMBEDDING_SIDE, backgroundFeatures, cellFeatures, cellGrid, contrast, cosine, createMemory, maskCoverage, memorySimilarity, poolFeature, remember, ringWeights, similarityMap } from './appearance';

const PLANE = EMBEDDING_SIDE * EMBEDDING_SIDE;

/** A unit vector along channel `c` (plus a little of channel `c + 1` when `tilt`). */
function basis(c: number, tilt = 0): Float32Array {
  const v = new Float32Array(EMBEDDING_CHANNELS);
  v[c] = 1;
  v[(c + 1) % EMBEDDING_CHANNELS] = tilt;
  const n = Math.hypot(1, tilt);
  return v.map((x) => x / n);
}

/** An embedding [256, 64, 64] whose cell (x, y) holds `featureAt(x, y)` scaled by `scale`. */
function embeddingOf(featureAt: (x: number, y: number) => Float32Array, scale = 1): Float32Array {
  const e = new Float32Array(EMBEDDING_CHANNELS * PLANE);
  for (let y = 0; y < EMBEDDING_SIDE; y++)
    for (let x = 0; x < EMBEDDING_SIDE; x++) {
      const f = featureAt(x, y);
      for (let c = 0; c < EMBEDDING_CHANNELS; c++) e[c * PLANE + y * EMBEDDING_SIDE + x] = f[c]! * scale;
    }
  return e;
}

// 320x180 -> the 1024 frame is 1024x576: 64 x 36 image cells of 5x5 original pixels.
const g = samGeometry(320, 180);
const grid = cellGrid(g);

describe('cell grid and mask coverage', () => {
  it('covers the image part of the 64x64 grid, each cell 16 frame pixels', () => {
    expect(grid).toEqual({ cols: 64, rows: 36, cellWidth: 5, cellHeight: 5 });
    expect(cellGrid(samGeometry(480, 854))).toMatchObject({ cols: 36, rows: 64 });
  });

  it('gives each cell the fraction of its pixels the mask covers', () => {
    // x 10..19 (cells 2 and 3 fully), y 12..14 (cell 2, 3 of its 5 rows).
    const mask = maskFromPredicate(320, 180, (x, y) => x >= 10 && x < 20 && y >= 12 && y < 15);
    const cov = maskCoverage(mask, grid);
    expect(cov[2 * 64 + 2]).toBeCloseTo(0.6, 5);
    expect(cov[2 * 64 + 3]).toBeCloseTo(0.6, 5);
    expect(cov[2 * 64 + 4]).toBe(0);
    expect(cov.reduce((a, b) => a + b, 0) * 25).toBeCloseTo(30, 3);
  });
});

describe('pooling', () => {
  it('the pooled feature under a mask is the normalised mean of its cells, whatever their scale', () => {
    // Cells x < 32 hold channel 0, the rest channel 1; the embedding's scale does not matter.
    const e = embeddingOf((x) => basis(x < 32 ? 0 : 1), 7.5);
    const cells = cellFeatures(e, grid);
    const left = maskFromPredicate(320, 180, (x) => x < 100);
    const f = poolFeature(cells, maskCoverage(left, grid))!;
    expect(cosine(f, basis(0))).toBeCloseTo(1, 5);
    // Half on each side: the mean of the two directions.
    const both = maskFromPredicate(320, 180, (x) => x >= 150 && x < 170);
    const h = poolFeature(cells, maskCoverage(both, grid))!;
    expect(h[0]).toBeCloseTo(Math.SQRT1_2, 4);
    expect(h[1]).toBeCloseTo(Math.SQRT1_2, 4);
    expect(poolFeature(cells, maskCoverage(maskFromPredicate(320, 180, () => false), grid))).toBeNull();
    // A cell counts by how much of it the mask covers: two full cells of channel 4, a fifth of one of channel 5.
    const cells2 = cellFeatures(embeddingOf((x) => basis(x < 2 ? 4 : 5)), grid);
    const p = poolFeature(cells2, maskCoverage(maskFromPredicate(320, 180, (x, y) => x < 11 && y < 5), grid))!;
    expect(p[5]! / p[4]!).toBeCloseTo(0.1, 4);
  });

  it('cell features are unit length and their dot products are cosines in [-1, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: -5, max: 5, noNaN: true }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 35 }), (values, x, y) => {
        const e = new Float32Array(EMBEDDING_CHANNELS * PLANE);
        for (let c = 0; c < EMBEDDING_CHANNELS; c++) for (let i = 0; i < PLANE; i++) e[c * PLANE + i] = values[(c + i) % 8]! + 0.01 * c;
        const cells = cellFeatures(e, grid);
        const a = cells.subarray((y * 64 + x) * EMBEDDING_CHANNELS, (y * 64 + x + 1) * EMBEDDING_CHANNELS);
        const b = cells.subarray(0, EMBEDDING_CHANNELS);
        expect(cosine(a, a)).toBeCloseTo(1, 4);
        const s = cosine(a, b);
        expect(s).toBeGreaterThanOrEqual(-1.0001);
        expect(s).toBeLessThanOrEqual(1.0001);
      }),
      { numRuns: 25 },
    );
  });

  it('the ring around a mask is the uncovered cells next to it', () => {
    const cov = maskCoverage(maskFromPredicate(320, 180, (x, y) => x >= 50 && x < 60 && y >= 50 && y < 60), grid);
    const ring = ringWeights(cov, grid, 1);
    expect(ring.reduce((a, b) => a + b, 0)).toBe(12); // a 4x4 block around a 2x2 one
    expect(ring[10 * 64 + 10]).toBe(0);
    expect(ring[9 * 64 + 9]).toBe(1);
  });
});

describe('appearance memory', () => {
  it('keeps the anchor and the last `capacity` confident features', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 12 }), (capacity, added) => {
        let m = createMemory(basis(0), capacity);
        for (let k = 1; k <= added; k++) m = remember(m, basis(k));
        expect(m.anchor).toEqual(basis(0));
        expect(m.recent.length).toBe(Math.min(capacity, added));
        // The newest are kept, in order.
        m.recent.forEach((f, i) => expect(f).toEqual(basis(added - m.recent.length + 1 + i)));
      }),
    );
  });

  it('a feature is as similar as its best match in memory', () => {
    let m = createMemory(basis(0), 2);
    expect(memorySimilarity(m, basis(5))).toBeCloseTo(0, 6);
    m = remember(m, basis(5, 0.2));
    expect(memorySimilarity(m, basis(5))).toBeCloseTo(1 / Math.hypot(1, 0.2), 5);
    expect(memorySimilarity(m, basis(0))).toBeCloseTo(1, 6);
    // Dropped features no longer count.
    m = remember(remember(m, basis(7)), basis(8));
    expect(memorySimilarity(m, basis(5))).toBeCloseTo(0, 5);
  });

  it('the similarity map is high where the frame looks like the memory, low elsewhere', () => {
    // The object (channel 3) sits at cells x 40..45, y 10..14; the rest is channel 9.
    const inObject = (x: number, y: number): boolean => x >= 40 && x < 46 && y >= 10 && y < 15;
    const cells = cellFeatures(embeddingOf((x, y) => basis(inObject(x, y) ? 3 : 9, 0.1)), grid);
    const map = similarityMap(cells, createMemory(basis(3), 3));
    expect(map).toHaveLength(64 * 36);
    for (let y = 0; y < 36; y++)
      for (let x = 0; x < 64; x++) {
        if (inObject(x, y)) expect(map[y * 64 + x]).toBeGreaterThan(0.99);
        else expect(map[y * 64 + x]).toBeLessThan(0.02);
      }
  });

  it('contrast: a look-alike of the background scores below the object, though both are cosine-similar to it', () => {
    // Object cells: channel 3 with a little of 9; background: channel 9 with a little of 3 (SAM
    // features of a frame are all alike: every cosine here is high).
    const inObject = (x: number, y: number): boolean => x >= 40 && x < 46 && y >= 10 && y < 15;
    const e = embeddingOf((x, y) => (inObject(x, y) ? mix(3, 9, 0.6) : mix(9, 3, 0.6)));
    const cells = cellFeatures(e, grid);
    const cov = maskCoverage(maskFromPredicate(320, 180, (x, y) => inObject(Math.floor(x / 5), Math.floor(y / 5))), grid);
    const bg = backgroundFeatures(cells, cov, grid, 2);
    expect(bg).toHaveLength(2);
    const m = createMemory(poolFeature(cells, cov)!, 3, bg);
    const object = mix(3, 9, 0.6);
    const background = mix(9, 3, 0.6);
    expect(memorySimilarity(m, background)).toBeGreaterThan(0.85);
    expect(contrast(m, object)).toBeGreaterThan(0.1);
    expect(contrast(m, background)).toBeLessThan(-0.1);
    // The contrasted map is positive on the object's cells only.
    const map = similarityMap(cells, m, true);
    for (let y = 0; y < 36; y++) for (let x = 0; x < 64; x++) expect(map[y * 64 + x]! > 0).toBe(inObject(x, y));
    // Without a background, contrast is the similarity itself.
    expect(contrast(createMemory(object, 0), background)).toBeCloseTo(memorySimilarity(createMemory(object, 0), background), 6);
  });
});

/** A unit vector mostly along channel `a`, with `w` of channel `b`. */
function mix(a: number, b: number, w: number): Float32Array {
  const v = new Float32Array(EMBEDDING_CHANNELS);
  v[a] = 1;
  v[b] = w;
  return v.map((x) => x / Math.hypot(1, w));
}
