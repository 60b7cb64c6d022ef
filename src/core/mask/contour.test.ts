import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contoursArea, polygonArea, traceContours, type Contour, type Point } from './contour';
import { encodeRle, maskArea, maskFromPredicate, rleBBox, type BinaryMask } from './rle';

/** Random masks up to 20x20: random pixels at a random density, or a union of rectangles. */
const anyMask: fc.Arbitrary<BinaryMask> = fc
  .record({ width: fc.integer({ min: 1, max: 20 }), height: fc.integer({ min: 1, max: 20 }) })
  .chain(({ width, height }) => {
    const n = width * height;
    const rect = fc.record({
      x: fc.integer({ min: 0, max: width - 1 }),
      y: fc.integer({ min: 0, max: height - 1 }),
      w: fc.integer({ min: 1, max: width }),
      h: fc.integer({ min: 1, max: height }),
    });
    return fc.oneof(
      fc
        .tuple(fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: n, maxLength: n }))
        .map(([density, cells]) => ({ width, height, data: Uint8Array.from(cells, (c) => (c < density ? 1 : 0)) })),
      fc
        .array(rect, { maxLength: 5 })
        .map((rects) => maskFromPredicate(width, height, (x, y) => rects.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h))),
    );
  });

function fromRows(rows: readonly string[]): BinaryMask {
  return maskFromPredicate(rows[0]!.length, rows.length, (x, y) => rows[y]![x] === '#');
}

/** Connected components of pixels with value `value`, by flood fill; 8- or 4-connected. */
function components(mask: BinaryMask, value: 0 | 1, eight: boolean): { count: number; touchingBorder: number } {
  const { width: w, height: h } = mask;
  const label = new Int32Array(w * h).fill(-1);
  const steps = eight ? [-1, 0, 1].flatMap((dy) => [-1, 0, 1].map((dx) => [dx, dy] as const)) : ([[1, 0], [-1, 0], [0, 1], [0, -1]] as const);
  let count = 0;
  let touchingBorder = 0;
  for (let start = 0; start < w * h; start++) {
    if (label[start] !== -1 || (mask.data[start] ? 1 : 0) !== value) continue;
    let border = false;
    const stack = [start];
    label[start] = count;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      const y = (i - x) / w;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1) border = true;
      for (const [dx, dy] of steps) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
        const j = ny * w + nx;
        if (label[j] === -1 && (mask.data[j] ? 1 : 0) === value) {
          label[j] = count;
          stack.push(j);
        }
      }
    }
    count++;
    if (border) touchingBorder++;
  }
  return { count, touchingBorder };
}

/** Sum over contours of the winding number around (px, py), by crossings of vertical edges to its left. */
function winding(contours: readonly Contour[], px: number, py: number): number {
  let wn = 0;
  for (const { points } of contours) {
    for (let i = 0; i < points.length; i++) {
      const a = points[i]!;
      const b = points[(i + 1) % points.length]!;
      if (a.x === b.x && a.x < px && Math.min(a.y, b.y) < py && py < Math.max(a.y, b.y)) wn += b.y < a.y ? 1 : -1;
    }
  }
  return wn;
}

function pts(...xy: number[]): Point[] {
  const out: Point[] = [];
  for (let i = 0; i < xy.length; i += 2) out.push({ x: xy[i]!, y: xy[i + 1]! });
  return out;
}

describe('traceContours', () => {
  it('gives the same contours when told the bounding box of the mask (property)', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        expect(traceContours(mask, rleBBox(encodeRle(mask)))).toEqual(traceContours(mask));
      }),
      { numRuns: 300 },
    );
  });

  it('traces a single pixel as its unit square, clockwise on screen', () => {
    const contours = traceContours(maskFromPredicate(6, 6, (x, y) => x === 2 && y === 3));
    expect(contours).toEqual([{ points: pts(2, 3, 3, 3, 3, 4, 2, 4), hole: false }]);
    expect(polygonArea(contours[0]!.points)).toBe(1);
  });

  it('gives a filled rectangle as its 4 corners', () => {
    const contours = traceContours(maskFromPredicate(8, 6, (x, y) => x >= 2 && x <= 5 && y >= 1 && y <= 3));
    expect(contours).toEqual([{ points: pts(2, 1, 6, 1, 6, 4, 2, 4), hole: false }]);
  });

  it('gives a ring as one outer contour and one counter-clockwise hole', () => {
    const mask = fromRows(['......', '.####.', '.#..#.', '.#..#.', '.####.', '......']);
    const contours = traceContours(mask);
    expect(contours).toEqual([
      { points: pts(1, 1, 5, 1, 5, 5, 1, 5), hole: false },
      { points: pts(2, 2, 2, 4, 4, 4, 4, 2), hole: true },
    ]);
    expect(polygonArea(contours[1]!.points)).toBe(-4);
    expect(contoursArea(contours)).toBe(12);
  });

  it('gives two separate blobs as two outer contours', () => {
    const contours = traceContours(fromRows(['##...', '##..#', '....#']));
    expect(contours.map((c) => c.hole)).toEqual([false, false]);
    expect(contours[0]!.points).toEqual(pts(0, 0, 2, 0, 2, 2, 0, 2));
    expect(contours[1]!.points).toEqual(pts(4, 1, 5, 1, 5, 3, 4, 3));
  });

  it('joins pixels that touch only at a corner (8-connected foreground) through that corner', () => {
    const contours = traceContours(fromRows(['#.', '.#']));
    expect(contours).toEqual([{ points: pts(0, 0, 1, 0, 1, 1, 2, 1, 2, 2, 1, 2, 1, 1, 0, 1), hole: false }]);
    expect(contoursArea(contours)).toBe(2);
  });

  it('keeps background enclosed only diagonally as a hole (4-connected background)', () => {
    const contours = traceContours(fromRows(['.#.', '#.#', '.#.']));
    expect(contours.filter((c) => !c.hole)).toHaveLength(1);
    expect(contours.filter((c) => c.hole).map((c) => c.points)).toEqual([pts(2, 1, 1, 1, 1, 2, 2, 2)]);
    expect(contoursArea(contours)).toBe(4);
  });

  it('handles empty and full masks', () => {
    expect(traceContours(maskFromPredicate(4, 3, () => false))).toEqual([]);
    expect(traceContours(maskFromPredicate(4, 3, () => true))).toEqual([{ points: pts(0, 0, 4, 0, 4, 3, 0, 3), hole: false }]);
  });

  it('encloses exactly the mask area: outer polygons minus holes, for any mask', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const contours = traceContours(mask);
        expect(contoursArea(contours)).toBe(maskArea(mask));
        for (const c of contours) expect(polygonArea(c.points) < 0).toBe(c.hole);
      }),
      { numRuns: 300 },
    );
  });

  it('has one outer contour per 8-connected component and one hole per enclosed 4-connected background region', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const contours = traceContours(mask);
        const fg = components(mask, 1, true);
        const bg = components(mask, 0, false);
        expect(contours.filter((c) => !c.hole)).toHaveLength(fg.count);
        expect(contours.filter((c) => c.hole)).toHaveLength(bg.count - bg.touchingBorder);
      }),
      { numRuns: 300 },
    );
  });

  it('emits closed axis-aligned polygons of corners only, inside the image, whose winding reproduces the mask', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const contours = traceContours(mask);
        for (const { points } of contours) {
          expect(points.length).toBeGreaterThanOrEqual(4);
          const n = points.length;
          for (let i = 0; i < n; i++) {
            const prev = points[(i + n - 1) % n]!;
            const p = points[i]!;
            const next = points[(i + 1) % n]!;
            expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
            expect(p.x >= 0 && p.x <= mask.width && p.y >= 0 && p.y <= mask.height).toBe(true);
            // Each segment is axis-aligned and non-empty, and consecutive segments turn (a corner).
            expect((p.x === next.x) !== (p.y === next.y)).toBe(true);
            expect(prev.x === p.x).not.toBe(p.x === next.x);
          }
        }
        for (let y = 0; y < mask.height; y++) {
          for (let x = 0; x < mask.width; x++) {
            expect(winding(contours, x + 0.5, y + 0.5)).toBe(mask.data[y * mask.width + x] ? 1 : 0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('traces a full-HD mask', () => {
    const mask = maskFromPredicate(1920, 1080, (x, y) => {
      const d = (x - 960) ** 2 + (y - 540) ** 2;
      return (d < 400 ** 2 && d > 200 ** 2) || (x < 100 && y < 100);
    });
    const contours = traceContours(mask);
    expect(contours.map((c) => c.hole)).toEqual([false, false, true]);
    expect(contoursArea(contours)).toBe(maskArea(mask));
  });
});
