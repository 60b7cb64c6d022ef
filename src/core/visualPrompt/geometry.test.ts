import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VISUAL_PROMPT_TYPES, type VisualPromptType } from '../agent/prompts';
import { polygonArea } from '../mask/contour';
import { encodeRle, maskArea, maskFromPredicate, rleBBox, type BinaryMask } from '../mask/rle';
import { contrastingText, strokeWidthFor, VISUAL_PROMPT_COLOURS, visualPromptShapes, type VisualPromptTarget } from './geometry';
import type { VisualPromptShape } from './shapes';

type XY = { x: number; y: number };
type PathShape = Extract<VisualPromptShape, { kind: 'path' }>;
type EllipseShape = Extract<VisualPromptShape, { kind: 'ellipse' }>;
type TagShape = Extract<VisualPromptShape, { kind: 'tag' }>;

const W = 200;
const H = 120;
const STROKE = 4;
const RED = VISUAL_PROMPT_COLOURS[0]!.value;

const rectMask = (x: number, y: number, w: number, h: number, fw = W, fh = H): BinaryMask =>
  maskFromPredicate(fw, fh, (px, py) => px >= x && px < x + w && py >= y && py < y + h);
const discMask = (cx: number, cy: number, r: number, fw = W, fh = H): BinaryMask =>
  maskFromPredicate(fw, fh, (x, y) => (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r);
/** A thick ring open on the right: its centroid lies in the empty middle. */
const cMask = (cx = 100, cy = 60, r1 = 18, r2 = 35): BinaryMask =>
  maskFromPredicate(W, H, (x, y) => {
    const dx = x + 0.5 - cx;
    const dy = y + 0.5 - cy;
    const d2 = dx * dx + dy * dy;
    return d2 >= r1 * r1 && d2 <= r2 * r2 && !(dx > 0 && Math.abs(dy) < dx);
  });
const union = (...masks: BinaryMask[]): BinaryMask => maskFromPredicate(masks[0]!.width, masks[0]!.height, (x, y) => masks.some((m) => m.data[y * m.width + x] !== 0));
const EMPTY = maskFromPredicate(W, H, () => false);

const at = (m: BinaryMask, x: number, y: number): boolean => {
  const px = Math.floor(x);
  const py = Math.floor(y);
  return px >= 0 && py >= 0 && px < m.width && py < m.height && m.data[py * m.width + px] !== 0;
};
const frameOf = (m: BinaryMask) => ({ width: m.width, height: m.height });
const shapesFor = (type: VisualPromptType, masks: BinaryMask[], strokePx = STROKE): VisualPromptShape[] =>
  visualPromptShapes(
    type,
    masks.map((mask, i) => ({ mask, number: i + 1 })),
    frameOf(masks[0]!),
    { colour: RED, strokePx },
  );
const pts = (s: VisualPromptShape): XY[] => {
  if (s.kind !== 'path') throw new Error(`expected a path, got ${s.kind}`);
  const out: XY[] = [];
  for (let i = 0; i < s.points.length; i += 2) out.push({ x: s.points[i]!, y: s.points[i + 1]! });
  return out;
};
const only = <K extends VisualPromptShape['kind']>(shapes: VisualPromptShape[], kind: K): Extract<VisualPromptShape, { kind: K }>[] =>
  shapes.filter((s): s is Extract<VisualPromptShape, { kind: K }> => s.kind === kind);
const maskPixels = (m: BinaryMask): XY[] => {
  const out: XY[] = [];
  for (let i = 0; i < m.data.length; i++) if (m.data[i]) out.push({ x: (i % m.width) + 0.5, y: Math.floor(i / m.width) + 0.5 });
  return out;
};
const distanceToMask = (m: BinaryMask, p: XY): number => Math.min(...maskPixels(m).map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
/**
 * Distance from a pixel centre to the nearest background pixel centre (outside the frame counts).
 * The nearest one always touches the object, so only those are searched.
 */
const depthIn = (m: BinaryMask): ((p: XY) => number) => {
  const edge: XY[] = [];
  for (let y = -1; y <= m.height; y++) {
    for (let x = -1; x <= m.width; x++) {
      if (!at(m, x, y) && [-1, 0, 1].some((dy) => [-1, 0, 1].some((dx) => at(m, x + dx, y + dy)))) edge.push({ x: x + 0.5, y: y + 0.5 });
    }
  }
  return (p) => Math.min(...edge.map((q) => Math.hypot(q.x - p.x, q.y - p.y)));
};
/** The mask without components under 2 % of the largest (8-connected), as the geometry sees the object. */
const objectOf = (m: BinaryMask): BinaryMask => {
  const label = new Int32Array(m.data.length).fill(-1);
  const sizes: number[] = [];
  for (let s = 0; s < m.data.length; s++) {
    if (!m.data[s] || label[s] !== -1) continue;
    const queue = [s];
    label[s] = sizes.length;
    for (let k = 0; k < queue.length; k++) {
      const x = queue[k]! % m.width;
      const y = Math.floor(queue[k]! / m.width);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const j = (y + dy) * m.width + x + dx;
          if (at(m, x + dx, y + dy) && label[j] === -1) {
            label[j] = sizes.length;
            queue.push(j);
          }
        }
      }
    }
    sizes.push(queue.length);
  }
  const largest = Math.max(...sizes);
  return { ...m, data: Uint8Array.from(label, (l) => (l >= 0 && sizes[l]! >= 0.02 * largest ? 1 : 0)) };
};
const inFrame = (p: XY, m: BinaryMask, margin = 0): boolean => p.x >= margin && p.y >= margin && p.x <= m.width - margin && p.y <= m.height - margin;
/** Walks from `from` through `to` and on; the distance beyond `to` at which the mask is first met. */
const hitBeyond = (m: BinaryMask, from: XY, to: XY, max: number): number => {
  const len = Math.hypot(to.x - from.x, to.y - from.y);
  const dx = (to.x - from.x) / len;
  const dy = (to.y - from.y) / len;
  for (let t = 0; t <= max; t += 0.25) if (at(m, to.x + dx * t, to.y + dy * t)) return t;
  return Infinity;
};
const inTriangle = (p: XY, [a, b, c]: XY[]): boolean => {
  const s = (u: XY, v: XY) => (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
  const d1 = s(a!, b!);
  const d2 = s(b!, c!);
  const d3 = s(c!, a!);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
};

/** The mask flipped upside down (turn 1), transposed (2), or transposed then mirrored (3). */
const orient = (m: BinaryMask, turn: number): BinaryMask => {
  if (turn === 0) return m;
  if (turn === 1) return maskFromPredicate(m.width, m.height, (x, y) => at(m, x, m.height - 1 - y));
  return maskFromPredicate(m.height, m.width, (x, y) => at(m, y, turn === 2 ? x : m.height - 1 - x));
};

/**
 * Random blobs: unions of up to `parts` discs and rectangles in a small frame, never empty. With
 * `room`, the blob leaves a band `room` px tall free below it and `margin` px free on its left
 * and right, and the frame is then turned so that band is below, above, right or left of it.
 */
const blobOf = (parts: number, room = 0, margin = 0): fc.Arbitrary<BinaryMask> =>
  fc
    .record({ w: fc.integer({ min: 24 + 2 * margin, max: 64 }), h: fc.integer({ min: 24 + room, max: 64 + room }), turn: fc.integer({ min: 0, max: room > 0 ? 3 : 0 }) })
    .chain(({ w, h, turn }) =>
      fc
        .array(
          fc.record({
            disc: fc.boolean(),
            x: fc.integer({ min: margin, max: w - margin - 1 }),
            y: fc.integer({ min: 0, max: h - room - 1 }),
            a: fc.integer({ min: 1, max: 14 }),
            b: fc.integer({ min: 1, max: 14 }),
          }),
          { minLength: 1, maxLength: parts },
        )
        .map((ps) => {
          const inside = (x: number, y: number) => x >= margin && x < w - margin && y < h - room;
          const mask = maskFromPredicate(w, h, (x, y) =>
            inside(x, y) && ps.some((p) => (p.disc ? (x - p.x) ** 2 + (y - p.y) ** 2 <= p.a * p.a : x >= p.x && x < p.x + p.a && y >= p.y && y < p.y + p.b)),
          );
          return orient(mask, turn);
        }),
    );
const blob = blobOf(4);

describe('strokeWidthFor and colours', () => {
  it('keeps about 3 px after downscaling to 448 on the long side, never under 3 frame px', () => {
    expect(strokeWidthFor({ width: 448, height: 252 })).toBe(3);
    expect(strokeWidthFor({ width: 1920, height: 1080 })).toBe(13);
    expect(strokeWidthFor({ width: 720, height: 1280 })).toBe(9);
    expect(strokeWidthFor({ width: 64, height: 48 })).toBe(3);
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 8192 }), fc.integer({ min: 16, max: 8192 }), (width, height) => {
        const long = Math.max(width, height);
        const w = strokeWidthFor({ width, height });
        const after = (w * 448) / Math.max(long, 448);
        expect(after).toBeGreaterThanOrEqual(2.5);
        expect(after).toBeLessThanOrEqual(long >= 448 ? 3.6 : 3);
      }),
    );
  });

  it('offers bright saturated colours, red first', () => {
    expect(VISUAL_PROMPT_COLOURS[0]!.name).toBe('red');
    expect(VISUAL_PROMPT_COLOURS.map((c) => c.name)).toEqual(expect.arrayContaining(['red', 'yellow', 'green', 'orange', 'cyan']));
    for (const { value } of VISUAL_PROMPT_COLOURS) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16));
      expect(value).toMatch(/^#[0-9a-f]{6}$/);
      expect(Math.max(r!, g!, b!)).toBeGreaterThanOrEqual(240);
      expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeGreaterThanOrEqual(190);
    }
  });

  it('uses the default stroke width when none is given', () => {
    const [box] = visualPromptShapes('rectangle', [{ mask: rectMask(50, 40, 30, 20), number: 1 }], { width: W, height: H }, { colour: RED }) as PathShape[];
    expect(box!.width).toBe(strokeWidthFor({ width: W, height: H }));
  });
});

describe('rectangle', () => {
  it('strokes the bounding box with the stroke just outside the object', () => {
    const shapes = shapesFor('rectangle', [rectMask(20, 30, 40, 25)]);
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ kind: 'path', closed: true, fill: null, width: STROKE, stroke: RED });
    expect(pts(shapes[0]!)).toEqual([
      { x: 18, y: 28 },
      { x: 62, y: 28 },
      { x: 62, y: 57 },
      { x: 18, y: 57 },
    ]);
  });

  it('equals the bounding box of any one-part blob away from the frame edge', () => {
    fc.assert(
      fc.property(blobOf(1), (mask) => {
        const [x, y, w, h] = rleBBox(encodeRle(mask))!;
        fc.pre(x >= STROKE && y >= STROKE && x + w <= mask.width - STROKE && y + h <= mask.height - STROKE);
        const [box] = shapesFor('rectangle', [mask]);
        const p = pts(box!);
        expect([p[0]!.x + STROKE / 2, p[0]!.y + STROKE / 2, p[2]!.x - STROKE / 2, p[2]!.y - STROKE / 2]).toEqual([x, y, x + w, y + h]);
      }),
    );
  });

  it('is pulled inside the frame when the object touches its edge', () => {
    const p = pts(shapesFor('rectangle', [rectMask(0, 0, 30, H)])[0]!);
    expect(p).toEqual([
      { x: 2, y: 2 },
      { x: 32, y: 2 },
      { x: 32, y: H - 2 },
      { x: 2, y: H - 2 },
    ]);
  });

  it('ignores a stray speck far from the object', () => {
    const mask = union(rectMask(20, 30, 40, 25), rectMask(180, 100, 2, 2));
    expect(pts(shapesFor('rectangle', [mask])[0]!)[2]).toEqual({ x: 62, y: 57 });
  });
});

describe('mask_contour', () => {
  /** A pixel corner with object on one side and background on another. */
  const onBoundary = (m: BinaryMask, p: XY): boolean => {
    const around = [at(m, p.x - 1, p.y - 1), at(m, p.x, p.y - 1), at(m, p.x - 1, p.y), at(m, p.x, p.y)];
    return Number.isInteger(p.x) && Number.isInteger(p.y) && around.some(Boolean) && !around.every(Boolean);
  };

  for (const [name, mask] of [
    ['disc', discMask(100, 60, 40)],
    ['C shape', cMask()],
    ['blob at the corner', discMask(0, 0, 50)],
  ] as const) {
    it(`follows the boundary of a ${name} with few points and the right area`, () => {
      const shapes = shapesFor('mask_contour', [mask]);
      expect(shapes).toHaveLength(1);
      expect(shapes[0]).toMatchObject({ closed: true, fill: null, width: STROKE });
      const p = pts(shapes[0]!);
      for (const q of p) expect(onBoundary(mask, q), `${q.x},${q.y}`).toBe(true);
      expect(Math.abs(polygonArea(p)) / maskArea(mask)).toBeCloseTo(1, 1);
      expect(Math.abs(Math.abs(polygonArea(p)) - maskArea(mask))).toBeLessThan(0.03 * maskArea(mask));
      expect(p.length).toBeLessThan(80);
      expect(p.length).toBeGreaterThanOrEqual(8);
    });
  }

  it('outlines each large part, skips specks and holes', () => {
    const ring = maskFromPredicate(W, H, (x, y) => {
      const d2 = (x + 0.5 - 50) ** 2 + (y + 0.5 - 60) ** 2;
      return d2 >= 15 * 15 && d2 <= 30 * 30;
    });
    const mask = union(ring, rectMask(120, 40, 40, 40), rectMask(190, 5, 1, 1));
    const paths = shapesFor('mask_contour', [mask]).map(pts);
    expect(paths).toHaveLength(2);
    const areas = paths.map((p) => Math.abs(polygonArea(p))).sort((a, b) => a - b);
    expect(areas[0]).toBe(1600);
    // The ring's outer outline encloses the hole too: about pi * 30^2.
    expect(areas[1]! / (Math.PI * 900)).toBeCloseTo(1, 1);
  });
});

describe('ellipse', () => {
  const normalised = (e: EllipseShape, p: XY, shrink = 0): number => {
    const dx = p.x - e.cx;
    const dy = p.y - e.cy;
    const c = Math.cos(e.rotation);
    const s = Math.sin(e.rotation);
    return ((dx * c + dy * s) / (e.rx - shrink)) ** 2 + ((-dx * s + dy * c) / (e.ry - shrink)) ** 2;
  };
  const enclosed = (e: EllipseShape, m: BinaryMask, shrink = 0): number => {
    const px = maskPixels(m);
    return px.filter((p) => normalised(e, p, shrink) <= 1).length / px.length;
  };

  it('circles a disc closely, its stroke clear of the object', () => {
    const [e] = only(shapesFor('ellipse', [discMask(100, 60, 30)]), 'ellipse');
    expect(e).toMatchObject({ stroke: RED, width: STROKE });
    expect(e!.cx).toBeCloseTo(100, 5);
    expect(e!.cy).toBeCloseTo(60, 5);
    expect(e!.rx).toBeGreaterThan(30 + STROKE / 2);
    expect(e!.rx).toBeLessThan(33 + STROKE / 2);
    expect(e!.ry / e!.rx).toBeCloseTo(1, 1);
    expect(enclosed(e!, discMask(100, 60, 30), STROKE / 2)).toBe(1);
  });

  it('follows a tilted bar, enclosing it without being much larger', () => {
    const angle = Math.PI / 6;
    const bar = maskFromPredicate(W, H, (x, y) => {
      const dx = x + 0.5 - 100;
      const dy = y + 0.5 - 60;
      return Math.abs(dx * Math.cos(angle) + dy * Math.sin(angle)) <= 45 && Math.abs(-dx * Math.sin(angle) + dy * Math.cos(angle)) <= 8;
    });
    const [e] = only(shapesFor('ellipse', [bar]), 'ellipse');
    const tilt = ((e!.rotation % Math.PI) + Math.PI) % Math.PI;
    expect(tilt).toBeCloseTo(angle, 1);
    expect(e!.rx).toBeGreaterThan(e!.ry * 3);
    expect(enclosed(e!, bar, STROKE / 2)).toBeGreaterThanOrEqual(0.99);
    expect((Math.PI * e!.rx * e!.ry) / maskArea(bar)).toBeLessThan(2.5);
  });

  it('encloses at least 95 % of any blob away from the edge', () => {
    fc.assert(
      fc.property(blob, (mask) => {
        const [x, y, w, h] = rleBBox(encodeRle(mask))!;
        // Room for the circumscribed ellipse of the box (sqrt 2 times the box) plus the stroke.
        fc.pre(x - 0.21 * w - STROKE >= 0 && y - 0.21 * h - STROKE >= 0 && x + 1.21 * w + STROKE <= mask.width && y + 1.21 * h + STROKE <= mask.height);
        const [e] = only(shapesFor('ellipse', [mask]), 'ellipse');
        expect(enclosed(e!, mask)).toBeGreaterThanOrEqual(0.95);
      }),
    );
    const [c] = only(shapesFor('ellipse', [cMask()]), 'ellipse');
    expect(enclosed(c!, cMask(), STROKE / 2)).toBe(1);
  });

  it('stays inside the frame for an object that fills it or touches its edge', () => {
    for (const mask of [rectMask(0, 0, W, H), discMask(0, 60, 40), rectMask(150, 10, 50, 100)]) {
      const [e] = only(shapesFor('ellipse', [mask]), 'ellipse');
      const c = Math.cos(e!.rotation);
      const s = Math.sin(e!.rotation);
      const ex = Math.hypot(e!.rx * c, e!.ry * s);
      const ey = Math.hypot(e!.rx * s, e!.ry * c);
      expect(e!.cx - ex).toBeGreaterThanOrEqual(STROKE / 2 - 1e-9);
      expect(e!.cx + ex).toBeLessThanOrEqual(W - STROKE / 2 + 1e-9);
      expect(e!.cy - ey).toBeGreaterThanOrEqual(STROKE / 2 - 1e-9);
      expect(e!.cy + ey).toBeLessThanOrEqual(H - STROKE / 2 + 1e-9);
      expect(Math.min(e!.rx, e!.ry)).toBeGreaterThan(10);
    }
  });
});

describe('point', () => {
  it('marks a point deep inside a C shape, where the centroid is not', () => {
    const mask = cMask();
    const [d] = only(shapesFor('point', [mask]), 'disc');
    const px = maskPixels(mask);
    const centroid = { x: px.reduce((a, p) => a + p.x, 0) / px.length, y: px.reduce((a, p) => a + p.y, 0) / px.length };
    expect(at(mask, centroid.x, centroid.y)).toBe(false);
    expect(at(mask, d!.cx, d!.cy)).toBe(true);
    // The arms are 17 px thick: the point sits near their middle.
    expect(depthIn(mask)({ x: d!.cx, y: d!.cy })).toBeGreaterThanOrEqual(7);
    expect(d).toMatchObject({ fill: RED });
    // Arms 17 px thick: the disc is as big as the arm's middle allows, not the full 2 strokes.
    expect(d!.r).toBeCloseTo(depthIn(mask)({ x: d!.cx, y: d!.cy }), 9);
    expect(d!.r).toBeLessThan(2 * STROKE);
    const [big] = only(shapesFor('point', [discMask(100, 60, 30)]), 'disc');
    expect(big!.r).toBe(2 * STROKE);
  });

  it('takes the middle of a rectangle, not an end of its ridge', () => {
    const [d] = only(shapesFor('point', [rectMask(20, 50, 100, 20)]), 'disc');
    // Pixel centres 69.5 and 70.5 are equally central.
    expect(Math.abs(d!.cx - 70)).toBe(0.5);
    expect(Math.abs(d!.cy - 60)).toBe(0.5);
  });

  it('lies inside any blob, at least 80 % as deep as its deepest pixel', () => {
    fc.assert(
      fc.property(blob, (mask) => {
        const [d] = only(shapesFor('point', [mask]), 'disc');
        expect(at(mask, d!.cx, d!.cy)).toBe(true);
        const object = objectOf(mask);
        const depth = depthIn(object);
        const deepest = Math.max(...maskPixels(object).map(depth));
        expect(depth({ x: d!.cx, y: d!.cy })).toBeGreaterThanOrEqual(0.8 * deepest - 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});

describe('scribble', () => {
  const segmentsInside = (m: BinaryMask, p: XY[]): boolean =>
    p.every((a, i) => {
      const b = p[i + 1];
      if (!b) return true;
      const n = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * 4));
      for (let k = 0; k <= n; k++) if (!at(m, a.x + ((b.x - a.x) * k) / n, a.y + ((b.y - a.y) * k) / n)) return false;
      return true;
    });

  it('zigzags along a bar, across it, covering most of its length', () => {
    const mask = rectMask(20, 50, 120, 24);
    const shapes = shapesFor('scribble', [mask]);
    expect(shapes).toHaveLength(1);
    expect(shapes[0]).toMatchObject({ closed: false, fill: null, width: STROKE });
    const p = pts(shapes[0]!);
    for (const q of p) expect(at(mask, q.x, q.y)).toBe(true);
    const xs = p.map((q) => q.x);
    const ys = p.map((q) => q.y);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThanOrEqual(0.8 * 120);
    expect(Math.max(...ys) - Math.min(...ys)).toBeGreaterThanOrEqual(0.5 * 24);
    // Back and forth: the vertical direction changes several times.
    const turns = p.slice(2).filter((q, i) => Math.sign(q.y - p[i + 1]!.y) * Math.sign(p[i + 1]!.y - p[i]!.y) < 0).length;
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('follows a C shape without crossing its gap or middle', () => {
    const mask = cMask();
    const p = pts(shapesFor('scribble', [mask])[0]!);
    expect(p.length).toBeGreaterThanOrEqual(5);
    expect(segmentsInside(mask, p)).toBe(true);
  });

  it('plans a large object on a coarser grid and still stays on it', () => {
    const ring = maskFromPredicate(480, 360, (x, y) => {
      const d2 = (x + 0.5 - 240) ** 2 + (y + 0.5 - 180) ** 2;
      return d2 >= 90 * 90 && d2 <= 170 * 170 && !(x > 240 && Math.abs(y + 0.5 - 180) < 40);
    });
    expect(maskArea(ring)).toBeGreaterThan(40_000);
    const p = pts(shapesFor('scribble', [ring], 12)[0]!);
    expect(segmentsInside(ring, p)).toBe(true);
    // Around the ring, not across its hole: from the upper arm to the lower one via the left.
    expect(Math.min(...p.map((q) => q.x))).toBeLessThan(120);
    expect(Math.min(...p.map((q) => q.y))).toBeLessThan(80);
    expect(Math.max(...p.map((q) => q.y))).toBeGreaterThan(280);
  });

  it('stays on any blob', () => {
    fc.assert(
      fc.property(blob, (mask) => {
        const p = pts(shapesFor('scribble', [mask])[0]!);
        expect(p.length).toBeGreaterThanOrEqual(1);
        for (const q of p) expect(at(mask, q.x, q.y)).toBe(true);
        expect(segmentsInside(mask, p)).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});

describe('triangle', () => {
  const triangleOf = (mask: BinaryMask, stroke = STROKE): XY[] => {
    const [t] = only(shapesFor('triangle', [mask], stroke), 'path');
    expect(t).toMatchObject({ closed: true, fill: RED, stroke: RED });
    expect(t!.points).toHaveLength(6);
    return pts(t!);
  };
  /** Outside the object, inside the frame, apex first and aimed at the object. */
  const checkTriangle = (mask: BinaryMask, tri: XY[]): void => {
    for (const p of maskPixels(mask)) expect(inTriangle(p, tri)).toBe(false);
    for (const p of tri) expect(inFrame(p, mask)).toBe(true);
    const [apex, b, c] = tri;
    const base = { x: (b!.x + c!.x) / 2, y: (b!.y + c!.y) / 2 };
    expect(hitBeyond(objectOf(mask), base, apex!, mask.width + mask.height)).toBeLessThan(Infinity);
  };

  it('sits above the object, apex down, a stroke above its top', () => {
    const mask = discMask(100, 70, 25);
    const tri = triangleOf(mask);
    checkTriangle(mask, tri);
    const [apex, b, c] = tri;
    expect(apex!.y).toBeCloseTo(45 - STROKE, 0);
    expect(Math.abs(apex!.x - 100)).toBe(0.5);
    expect(b!.y).toBeCloseTo(apex!.y - 6 * STROKE, 9);
    expect(c!.y).toBeCloseTo(apex!.y - 6 * STROKE, 9);
    expect(distanceToMask(mask, apex!)).toBeLessThanOrEqual(STROKE + 1);
  });

  it('goes elsewhere when the object touches the top, and stays in the frame', () => {
    for (const mask of [rectMask(80, 0, 40, 50), rectMask(0, 0, 60, 90), discMask(W, H, 40), cMask(100, 60, 20, 50)]) checkTriangle(mask, triangleOf(mask));
    const [apex, b] = triangleOf(rectMask(80, 0, 40, 50));
    expect(apex!.y).toBeCloseTo(50 + STROKE, 0);
    expect(b!.y).toBeGreaterThan(apex!.y);
  });

  it('stays in the frame even when the object leaves no room', () => {
    for (const p of triangleOf(rectMask(0, 0, W, H))) expect(inFrame(p, EMPTY)).toBe(true);
  });

  it('points at any blob from outside when one side has room', () => {
    // Room for the triangle (18 px tall, 22 wide) and its gap on one side, wherever the target.
    fc.assert(
      fc.property(blobOf(4, 28, 13), (mask) => checkTriangle(mask, triangleOf(mask, 3))),
      { numRuns: 60 },
    );
  });
});

describe('arrow', () => {
  const arrowOf = (mask: BinaryMask, stroke = STROKE): { tail: XY; tip: XY; shaft: XY[]; head: XY[] } => {
    const shapes = shapesFor('arrow', [mask], stroke);
    expect(shapes).toHaveLength(2);
    const [shaft, head] = shapes as [PathShape, PathShape];
    expect(shaft).toMatchObject({ closed: false, fill: null, width: stroke });
    expect(head).toMatchObject({ closed: true, fill: RED });
    return { tail: pts(shaft)[0]!, tip: pts(head)[0]!, shaft: pts(shaft), head: pts(head) };
  };
  /** Tail and tip off the object (stray specks do not count), aimed at it, in the frame. */
  const checkArrow = (full: BinaryMask, a: ReturnType<typeof arrowOf>, stroke = STROKE): void => {
    const mask = objectOf(full);
    expect(at(mask, a.tail.x, a.tail.y)).toBe(false);
    expect(at(mask, a.tip.x, a.tip.y)).toBe(false);
    for (const p of [...a.shaft, ...a.head]) expect(inFrame(p, mask)).toBe(true);
    // Aimed at the object, and ending near it.
    expect(hitBeyond(mask, a.tail, a.tip, 3 * stroke)).toBeLessThanOrEqual(stroke + 1);
    expect(distanceToMask(mask, a.tip)).toBeLessThanOrEqual(stroke + 1.5);
    expect(Math.hypot(a.tail.x - a.tip.x, a.tail.y - a.tip.y)).toBeGreaterThanOrEqual(5 * stroke);
  };

  it('comes from the upper right when there is room everywhere', () => {
    const mask = discMask(100, 60, 15);
    const a = arrowOf(mask);
    checkArrow(mask, a);
    expect(a.tail.x).toBeGreaterThan(a.tip.x);
    expect(a.tail.y).toBeLessThan(a.tip.y);
    expect(Math.hypot(a.tail.x - a.tip.x, a.tail.y - a.tip.y)).toBeCloseTo(12 * STROKE, 5);
  });

  it('comes from the side with room for an object at the edge', () => {
    const right = rectMask(140, 0, 60, 60);
    const a = arrowOf(right);
    checkArrow(right, a);
    expect(a.tail.x).toBeLessThan(140);
    const bottom = rectMask(0, 70, W, 50);
    const b = arrowOf(bottom);
    checkArrow(bottom, b);
    expect(b.tail.y).toBeLessThan(70);
  });

  it('points at a C shape from outside it', () => {
    const mask = cMask();
    checkArrow(mask, arrowOf(mask));
  });

  it('stays in the frame even when the object fills it', () => {
    const a = arrowOf(rectMask(0, 0, W, H));
    for (const p of [...a.shaft, ...a.head]) expect(inFrame(p, EMPTY)).toBe(true);
  });

  it('points at any blob from outside when one side has room', () => {
    // Room for the arrow (24 px, head 8 px wide) on one side, the head clear of the frame's corners.
    fc.assert(
      fc.property(blobOf(4, 30, 8), (mask) => checkArrow(mask, arrowOf(mask, 2), 2)),
      { numRuns: 60 },
    );
  });
});

describe('set_of_mark', () => {
  it('tags each instance with its number on the object, over thin outlines', () => {
    const a = discMask(50, 60, 25);
    const b = cMask(150, 60, 12, 30);
    const shapes = shapesFor('set_of_mark', [a, b]);
    const tags = only(shapes, 'tag');
    const outlines = only(shapes, 'path');
    expect(tags.map((t) => t.text)).toEqual(['1', '2']);
    expect(outlines).toHaveLength(2);
    for (const o of outlines) expect(o.width).toBeLessThan(STROKE);
    // Every tag after every outline: numbers are never crossed.
    expect(shapes.slice(outlines.length).every((s) => s.kind === 'tag')).toBe(true);
    for (const [tag, mask] of [
      [tags[0]!, a],
      [tags[1]!, b],
    ] as [TagShape, BinaryMask][]) {
      expect(at(mask, tag.x + tag.w / 2, tag.y + tag.h / 2)).toBe(true);
      expect(tag).toMatchObject({ fill: RED, textColour: contrastingText(RED) });
      expect(tag.fontPx).toBeGreaterThanOrEqual(12);
      expect(tag.h).toBeGreaterThan(tag.fontPx);
    }
  });

  it('uses the given numbers, widens for more digits, and stays in the frame', () => {
    const targets: VisualPromptTarget[] = [
      { mask: rectMask(0, 0, 6, 6), number: 3 },
      { mask: rectMask(W - 4, H - 4, 4, 4), number: 12 },
    ];
    const tags = only(visualPromptShapes('set_of_mark', targets, { width: W, height: H }, { colour: RED, strokePx: STROKE }), 'tag');
    expect(tags.map((t) => t.text)).toEqual(['3', '12']);
    expect(tags[1]!.w).toBeGreaterThan(tags[0]!.w);
    for (const t of tags) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.w).toBeLessThanOrEqual(W);
      expect(t.y + t.h).toBeLessThanOrEqual(H);
    }
  });

  it('writes dark text on light colours and white on dark ones', () => {
    expect(contrastingText('#ffe620')).toBe('#000000');
    expect(contrastingText('#1fe4ff')).toBe('#000000');
    expect(contrastingText('#1a3cc8')).toBe('#ffffff');
    expect(contrastingText('#ff2d2d')).toBe('#000000');
    expect(contrastingText('#000')).toBe('#ffffff');
  });
});

describe('every type', () => {
  it('draws nothing for an empty mask, and skips only the empty target', () => {
    for (const type of VISUAL_PROMPT_TYPES) {
      expect(shapesFor(type, [EMPTY])).toEqual([]);
      expect(shapesFor(type, [EMPTY, discMask(100, 60, 20)])).toEqual(shapesFor(type, [discMask(100, 60, 20)]).map((s) => (s.kind === 'tag' ? { ...s, text: '2' } : s)));
    }
  });

  it('draws each of several instances, deterministically', () => {
    const masks = [discMask(40, 60, 20), rectMask(120, 30, 50, 60)];
    for (const type of VISUAL_PROMPT_TYPES) {
      const one = [shapesFor(type, [masks[0]!]).length, shapesFor(type, [masks[1]!]).length];
      const both = shapesFor(type, masks);
      expect(both.length, type).toBe(one[0]! + one[1]!);
      expect(shapesFor(type, masks)).toEqual(both);
    }
  });

  it('keeps every point inside the frame for objects touching its edges', () => {
    for (const mask of [rectMask(0, 0, 40, 40), discMask(W, 60, 30), rectMask(0, 0, W, H), rectMask(0, H - 1, W, 1)]) {
      for (const type of VISUAL_PROMPT_TYPES) {
        for (const s of shapesFor(type, [mask])) {
          const p: XY[] = s.kind === 'path' ? pts(s) : s.kind === 'tag' ? [{ x: s.x, y: s.y }, { x: s.x + s.w, y: s.y + s.h }] : [{ x: s.cx, y: s.cy }];
          for (const q of p) expect(inFrame(q, mask), `${type} ${q.x},${q.y}`).toBe(true);
        }
      }
    }
  });

  it('keeps every point inside the frame for any blob', () => {
    fc.assert(
      fc.property(blob, fc.constantFrom(...VISUAL_PROMPT_TYPES), (mask, type) => {
        for (const s of shapesFor(type, [mask], 3)) {
          const p: XY[] = s.kind === 'path' ? pts(s) : s.kind === 'tag' ? [{ x: s.x, y: s.y }, { x: s.x + s.w, y: s.y + s.h }] : [{ x: s.cx, y: s.cy }];
          for (const q of p) expect(inFrame(q, mask), `${type} ${q.x},${q.y}`).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('rejects a mask of another size than the frame', () => {
    expect(() => visualPromptShapes('point', [{ mask: discMask(10, 10, 5, 20, 20), number: 1 }], { width: W, height: H }, { colour: RED })).toThrow(RangeError);
  });
});
