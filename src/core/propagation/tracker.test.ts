import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFromPredicate, type BinaryMask } from '../mask/rle';
import type { Prediction } from '../segmentation/samDecoderIo';
import { SAM_LOW_RES, samGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';
import { downscaleMask, estimateTranslation, shiftLogits, shiftMask, toGrey } from './motion';
import { enlargeBox, interiorPoints, logitsFromMask, maskStats, outsidePoints } from './prompting';
import type { SamPrompt } from '../segmentation/samDecoderIo';
import { BASELINE_TRACKER_OPTIONS, LOW_CONFIDENCE, confidenceOf, createTracker, judge, maskIou, type TrackRequest, type TrackStep, type Tracker } from './tracker';

const W = 200;
const H = 120;

/** Smooth random texture (deterministic), with a brighter textured square at (ox, oy). */
function scene(ox: number, oy: number, size = 40): RgbaImage {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const bg = 60 + 30 * Math.sin(x * 0.11) * Math.cos(y * 0.07);
      const inside = x >= ox && x < ox + size && y >= oy && y < oy + size;
      const v = inside ? 170 + 60 * Math.sin((x - ox) * 0.5) * Math.cos((y - oy) * 0.4) : bg;
      const i = (y * W + x) * 4;
      data[i] = v;
      data[i + 1] = v;
      data[i + 2] = v;
      data[i + 3] = 255;
    }
  return { width: W, height: H, data };
}
const square = (ox: number, oy: number, size = 40): BinaryMask => maskFromPredicate(W, H, (x, y) => x >= ox && x < ox + size && y >= oy && y < oy + size);
const prediction = (mask: BinaryMask, score = 0.95): Prediction => ({ mask, score, index: 0, lowRes: logitsFromMask(mask, samGeometry(W, H), 10) });
/** Begins a frame (no embedding) and returns the decoder prompt the tracker asks for. */
function promptOn(t: Tracker, image: RgbaImage): SamPrompt {
  const r = t.begin({ image, embedding: null });
  if (r.kind !== 'decode') throw new Error(`expected a decoder request, got ${JSON.stringify(r)}`);
  return r.prompt;
}
function stepOf(r: TrackRequest): TrackStep {
  if (r.kind !== 'done') throw new Error('expected the frame to be done');
  return r.step;
}

describe('motion estimation', () => {
  it('finds the translation of a textured object on synthetic frames', () => {
    for (const [dx, dy] of [
      [0, 0],
      [8, 4],
      [-12, 8],
      [24, -16],
    ] as const) {
      const a = toGrey(scene(60, 40), 4);
      const b = toGrey(scene(60 + dx, 40 + dy), 4);
      const m = estimateTranslation(a, b, downscaleMask(square(60, 40), 4), { radius: 8 });
      expect(m).not.toBeNull();
      expect(Math.abs(m!.dx - dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(m!.dy - dy)).toBeLessThanOrEqual(2);
    }
  });

  it('searches around the predicted displacement (constant velocity)', () => {
    const a = toGrey(scene(20, 40), 4);
    const b = toGrey(scene(76, 40), 4);
    const mask = downscaleMask(square(20, 40), 4);
    const m = estimateTranslation(a, b, mask, { radius: 3, predicted: { dx: 52, dy: 0 } });
    expect(Math.abs(m!.dx - 56)).toBeLessThanOrEqual(2);
    expect(estimateTranslation(a, b, new Uint8Array(mask.length), { radius: 3 })).toBeNull();
  });

  it('downscales to grey by box averaging', () => {
    const img = { width: 4, height: 2, data: new Uint8Array([...Array(8)].flatMap((_, i) => (i % 4 < 2 ? [0, 0, 0, 255] : [200, 200, 200, 255]))) };
    const g = toGrey(img, 2);
    expect(g.width).toBe(2);
    expect(g.height).toBe(1);
    expect(g.data[0]).toBeCloseTo(0, 5);
    expect(g.data[1]).toBeCloseTo(200, 3);
  });
});

describe('shifting masks and logits', () => {
  const g = samGeometry(W, H);
  it('shifts a mask by whole pixels, losing what leaves the frame', () => {
    const m = shiftMask(square(10, 10, 20), { dx: 5, dy: -3 });
    expect(maskIou(m, square(15, 7, 20))).toBe(1);
    expect(maskStats(shiftMask(square(0, 0, 20), { dx: -10, dy: 0 })).area).toBe(200);
  });

  it('shifts logits by the translation in low-res cells, filling from outside the image', () => {
    // 200 px wide -> 1024 frame -> 256 cells: one cell = 200/256 px; 7.8125 px = 10 cells.
    const cell = W / SAM_LOW_RES;
    const logits = logitsFromMask(square(50, 30, 40), g, 10);
    const shifted = shiftLogits(logits, g, { dx: 10 * cell, dy: -4 * cell });
    for (const [x, y] of [
      [80, 60],
      [100, 40],
      [70, 50],
    ] as const)
      expect(shifted[y * SAM_LOW_RES + x]).toBeCloseTo(logits[(y + 4) * SAM_LOW_RES + x - 10]!, 4);
    expect(shifted[0]).toBe(-20);
    expect(Array.from(shiftLogits(logits, g, { dx: 0, dy: 0 }))).toEqual(Array.from(logits));
  });

  it('interpolates sub-cell shifts bilinearly (a shift by half a cell averages neighbours)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 200 }), fc.integer({ min: 20, max: 100 }), (x, y) => {
        const logits = new Float32Array(SAM_LOW_RES * SAM_LOW_RES).map((_, i) => (i % SAM_LOW_RES) * 0.5);
        const half = W / SAM_LOW_RES / 2;
        const s = shiftLogits(logits, g, { dx: half, dy: 0 });
        expect(s[y * SAM_LOW_RES + x]).toBeCloseTo((x - 0.5) * 0.5, 4);
      }),
      { numRuns: 30 },
    );
  });

  it('rebuilds logits from a binary mask: +k inside, -k outside and in the padding', () => {
    const l = logitsFromMask(square(50, 30, 40), g, 10);
    const cellsPerPx = SAM_LOW_RES / W;
    expect(l[Math.floor(50 * cellsPerPx) * SAM_LOW_RES + Math.floor(70 * cellsPerPx)]).toBe(10);
    expect(l[5 * SAM_LOW_RES + 5]).toBe(-10);
    expect(l[250 * SAM_LOW_RES + 5]).toBe(-10); // padding below the image
  });
});

describe('prompt construction', () => {
  it('reads the box, centroid and interior points off a mask', () => {
    const m = square(40, 20, 30);
    const s = maskStats(m);
    expect(s.box).toEqual({ x0: 40, y0: 20, x1: 70, y1: 50 });
    expect(s.centroid).toEqual({ x: 55, y: 35 });
    const [p] = interiorPoints(m, 1);
    expect(Math.abs(p!.x - 55)).toBeLessThanOrEqual(1);
    expect(Math.abs(p!.y - 35)).toBeLessThanOrEqual(1);
    // Two blobs: three points land in both blobs and inside the mask.
    const two = maskFromPredicate(W, H, (x, y) => (x >= 10 && x < 50 && y >= 10 && y < 50) || (x >= 120 && x < 180 && y >= 40 && y < 100));
    const pts = interiorPoints(two, 3);
    expect(pts.length).toBeGreaterThanOrEqual(2);
    for (const q of pts) expect(two.data[Math.floor(q.y) * W + Math.floor(q.x)]).toBe(1);
    expect(pts.some((q) => q.x < 60) && pts.some((q) => q.x > 110)).toBe(true);
    expect(maskStats(square(0, 0, 0)).box).toBeNull();
  });

  it('enlarges the box by the margin in total, clipped to the image', () => {
    expect(enlargeBox({ x0: 40, y0: 20, x1: 140, y1: 70 }, 0.1, W, H)).toEqual({ x0: 35, y0: 17.5, x1: 145, y1: 72.5 });
    expect(enlargeBox({ x0: 0, y0: 0, x1: 100, y1: 100 }, 0.2, W, H)).toEqual({ x0: 0, y0: 0, x1: 110, y1: 110 });
  });

  it('puts negative points outside the object only', () => {
    const m = square(40, 20, 30);
    const pts = outsidePoints(m, enlargeBox(maskStats(m).box!, 0.3, W, H));
    expect(pts.length).toBe(4);
    for (const p of pts) {
      expect(p.positive).toBe(false);
      expect(m.data[Math.floor(p.y) * W + Math.floor(p.x)]).toBe(0);
    }
  });

  it('moves the box, the points and the logits with the object', () => {
    const t = createTracker({ mask: square(60, 40), lowRes: null, image: scene(60, 40) });
    const p = promptOn(t, scene(72, 44));
    expect(p.box).toBeDefined();
    const box = p.box!;
    // The object is at x 72..112, y 44..84; the box is that, enlarged 10 %, within ±2 px.
    expect(Math.abs(box.x0 - 70)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(box.x1 - 114)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(box.y0 - 42)).toBeLessThanOrEqual(2.5);
    expect(Math.abs(box.y1 - 86)).toBeLessThanOrEqual(2.5);
    expect(p.points.length).toBeGreaterThanOrEqual(1);
    for (const q of p.points) {
      expect(q.positive).toBe(true);
      expect(square(72, 44).data[Math.floor(q.y) * W + Math.floor(q.x)]).toBe(1);
    }
    expect(p.maskInput).toHaveLength(SAM_LOW_RES * SAM_LOW_RES);
    // The rebuilt, shifted logits are positive at the object's new centre.
    const c = (92 * SAM_LOW_RES) / W;
    expect(p.maskInput![Math.floor((64 * SAM_LOW_RES) / W) * SAM_LOW_RES + Math.floor(c)]).toBeGreaterThan(0);
  });

  it('the baseline prompts with the unmoved box enlarged 10 %, the centroid and the logits as given', () => {
    const lowRes = new Float32Array(SAM_LOW_RES * SAM_LOW_RES).fill(1);
    const t = createTracker({ mask: square(60, 40), lowRes, image: scene(60, 40) }, BASELINE_TRACKER_OPTIONS);
    const p = promptOn(t, scene(72, 44));
    expect(p.box).toEqual({ x0: 58, y0: 38, x1: 102, y1: 82 });
    expect(p.points).toEqual([{ x: 80, y: 60, positive: true }]);
    expect(p.maskInput).toBe(lowRes);
  });

  it('rejects a frame of another size', () => {
    const t = createTracker({ mask: square(60, 40), lowRes: null, image: scene(60, 40) });
    expect(() => promptOn(t, { width: 10, height: 10, data: new Uint8Array(400) })).toThrow(RangeError);
    expect(() => createTracker({ mask: maskFromPredicate(10, 10, () => true), lowRes: null, image: scene(0, 0) })).toThrow(RangeError);
  });
});

describe('confidence and states', () => {
  const o = { absentAreaRatio: 0.05, absentConsistency: 0.05 };
  it('confidence grows with the decoder score and the consistency, within 0..1', () => {
    fc.assert(
      fc.property(fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (score, consistency, areaRatio) => {
        const c = confidenceOf({ score, consistency, areaRatio });
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
        expect(confidenceOf({ score: score + 0.1, consistency, areaRatio })).toBeGreaterThanOrEqual(c);
        expect(confidenceOf({ score, consistency: Math.min(1, consistency + 0.1), areaRatio })).toBeGreaterThanOrEqual(c);
      }),
    );
    expect(confidenceOf({ score: 0.97, consistency: 0.9, areaRatio: 0.95 })).toBeCloseTo(0.97, 5);
  });

  it('tracked, low and absent', () => {
    const ok = judge({ score: 0.95, consistency: 0.85, areaRatio: 0.9, area: 1000, referenceArea: 1100 }, o);
    expect(ok.state).toBe('tracked');
    expect(ok.confidence).toBeGreaterThanOrEqual(LOW_CONFIDENCE);
    expect(judge({ score: 0.5, consistency: 0.3, areaRatio: 0.4, area: 400, referenceArea: 1000 }, o).state).toBe('low');
    expect(judge({ score: 0.9, consistency: 0, areaRatio: 0, area: 0, referenceArea: 1000 }, o)).toEqual({ state: 'absent', confidence: 0 });
    expect(judge({ score: 0.9, consistency: 0.5, areaRatio: 0.03, area: 30, referenceArea: 1000 }, o).state).toBe('absent');
    expect(judge({ score: 0.9, consistency: 0.01, areaRatio: 1, area: 1000, referenceArea: 1000 }, o).state).toBe('absent');
  });

  it('a tracker follows a moving object, reports a vanished one as absent and a jump elsewhere as absent', () => {
    const t = createTracker({ mask: square(60, 40), lowRes: null, image: scene(60, 40) });
    for (let k = 1; k <= 4; k++) {
      const img = scene(60 + 6 * k, 40 + 2 * k);
      promptOn(t, img);
      const step = stepOf(t.accept(prediction(square(60 + 6 * k, 40 + 2 * k))));
      expect(step.state).toBe('tracked');
      expect(step.confidence).toBeGreaterThan(0.9);
      expect(step.mask).not.toBeNull();
    }
    const img = scene(90, 48);
    promptOn(t, img);
    expect(stepOf(t.accept(prediction(square(0, 0, 0))))).toEqual({ state: 'absent', confidence: 0, mask: null });
    const t2 = createTracker({ mask: square(20, 20), lowRes: null, image: scene(20, 20) });
    const far = scene(20, 20);
    promptOn(t2, far);
    expect(stepOf(t2.accept(prediction(square(150, 70, 40)))).state).toBe('absent');
  });

  it('a half-lost mask with a poor decoder score is low confidence', () => {
    const t = createTracker({ mask: square(60, 40), lowRes: null, image: scene(60, 40) });
    const img = scene(60, 40);
    promptOn(t, img);
    const step = stepOf(t.accept(prediction(square(60, 40, 20), 0.6)));
    expect(step.state).toBe('low');
    expect(step.confidence).toBeLessThan(LOW_CONFIDENCE);
    expect(step.mask).not.toBeNull();
  });
});
