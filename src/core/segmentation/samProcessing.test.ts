import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDecoderFeed, readPrediction } from './samDecoderIo';
import { SAM_SIZE, fromSamFrame, samGeometry, toSamFrame } from './samGeometry';
import { SAM_PIXEL_MEAN, SAM_PIXEL_STD, buildEncoderInput, resizeRgbaBilinear } from './samPreprocess';

describe('SAM geometry', () => {
  it('resizes the long side to 1024 with SAM rounding', () => {
    expect(samGeometry(854, 480)).toEqual({ origWidth: 854, origHeight: 480, width: 1024, height: 576 });
    expect(samGeometry(768, 576)).toEqual({ origWidth: 768, origHeight: 576, width: 1024, height: 768 });
    expect(samGeometry(480, 854)).toEqual({ origWidth: 480, origHeight: 854, width: 576, height: 1024 });
    expect(samGeometry(1920, 1080)).toEqual({ origWidth: 1920, origHeight: 1080, width: 1024, height: 576 });
    expect(() => samGeometry(0, 10)).toThrow();
  });

  it('round-trips coordinates between the image and the 1024 frame', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4096 }),
        fc.integer({ min: 1, max: 4096 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, h, fx, fy) => {
          const g = samGeometry(w, h);
          const p = { x: fx * w, y: fy * h };
          const q = toSamFrame(g, p);
          expect(q.x).toBeLessThanOrEqual(SAM_SIZE + 1e-9);
          expect(q.y).toBeLessThanOrEqual(SAM_SIZE + 1e-9);
          const back = fromSamFrame(g, q);
          expect(back.x).toBeCloseTo(p.x, 9);
          expect(back.y).toBeCloseTo(p.y, 9);
        },
      ),
    );
  });
});

describe('encoder input', () => {
  it('normalises each channel, lays out CHW, and pads with zeros', () => {
    const w = 512;
    const h = 256;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < w * h; i++) data.set([200, 100, 50, 255], i * 4);
    const { tensor, geometry } = buildEncoderInput({ width: w, height: h, data });
    expect(geometry).toMatchObject({ width: 1024, height: 512 });
    expect(tensor.length).toBe(3 * SAM_SIZE * SAM_SIZE);
    const at = (c: number, x: number, y: number) => tensor[c * SAM_SIZE * SAM_SIZE + y * SAM_SIZE + x]!;
    [200, 100, 50].forEach((v, c) => {
      expect(at(c, 10, 10)).toBeCloseTo((v - SAM_PIXEL_MEAN[c]!) / SAM_PIXEL_STD[c]!, 5);
      expect(at(c, 1023, 511)).toBeCloseTo((v - SAM_PIXEL_MEAN[c]!) / SAM_PIXEL_STD[c]!, 5);
      expect(at(c, 10, 512)).toBe(0); // padding below the image
      expect(at(c, 1023, 1023)).toBe(0);
    });
  });

  it('bilinear resize keeps constant images constant and is the identity at the same size', () => {
    const src = { width: 3, height: 2, data: Uint8ClampedArray.from([10, 20, 30, 255, 10, 20, 30, 255, 10, 20, 30, 255, 10, 20, 30, 255, 10, 20, 30, 255, 10, 20, 30, 255]) };
    const up = resizeRgbaBilinear(src, 7, 5);
    for (let i = 0; i < 35; i++) expect([...up.slice(i * 4, i * 4 + 4)]).toEqual([10, 20, 30, 255]);
    const ramp = { width: 4, height: 1, data: Uint8ClampedArray.from([0, 0, 0, 255, 80, 0, 0, 255, 160, 0, 0, 255, 240, 0, 0, 255]) };
    expect([...resizeRgbaBilinear(ramp, 4, 1)]).toEqual([...ramp.data]);
    const half = resizeRgbaBilinear(ramp, 2, 1);
    expect(half[0]).toBe(40);
    expect(half[4]).toBe(200);
  });
});

describe('decoder feed', () => {
  const g = samGeometry(854, 480);

  it('points only: labels 1/0 and a padding point labelled -1', () => {
    const feed = buildDecoderFeed(g, { points: [{ x: 427, y: 240, positive: true }, { x: 0, y: 0, positive: false }] });
    expect(feed.numPoints).toBe(3);
    expect([...feed.pointLabels]).toEqual([1, 0, -1]);
    expect(feed.pointCoords[0]).toBeCloseTo(512, 9);
    expect(feed.pointCoords[1]).toBeCloseTo(288, 9);
    expect([...feed.hasMaskInput]).toEqual([0]);
    expect([...feed.origImSize]).toEqual([480, 854]);
  });

  it('a box: corners labelled 2 and 3 (normalised to top-left/bottom-right), no padding point', () => {
    const feed = buildDecoderFeed(g, { points: [], box: { x0: 854, y0: 480, x1: 0, y1: 0 } });
    expect([...feed.pointLabels]).toEqual([2, 3]);
    expect([...feed.pointCoords]).toEqual([0, 0, 1024, 576]);
  });

  it('passes mask_input through and flags it', () => {
    const m = new Float32Array(256 * 256).fill(3);
    const feed = buildDecoderFeed(g, { points: [{ x: 1, y: 1, positive: true }], maskInput: m });
    expect(feed.maskInput).toBe(m);
    expect([...feed.hasMaskInput]).toEqual([1]);
    expect(() => buildDecoderFeed(g, { points: [], maskInput: new Float32Array(10) })).toThrow();
  });
});

describe('reading the prediction', () => {
  it('chooses the mask with the best predicted IoU and thresholds logits at 0', () => {
    const g = samGeometry(2, 2);
    const masks = Float32Array.from([1, 1, 1, 1, /* best */ 5, -1, 0.5, -0.01, -3, -3, -3, -3]);
    const lowRes = new Float32Array(3 * 256 * 256);
    lowRes.fill(7, 256 * 256, 2 * 256 * 256);
    const p = readPrediction(g, { masks, maskCount: 3, iou: Float32Array.from([0.5, 0.9, 0.1]), lowRes });
    expect(p.index).toBe(1);
    expect(p.score).toBeCloseTo(0.9, 6);
    expect([...p.mask.data]).toEqual([1, 0, 1, 0]);
    expect(p.lowRes.length).toBe(256 * 256);
    expect(p.lowRes[0]).toBe(7);
    expect(() => readPrediction(g, { masks: new Float32Array(3), maskCount: 1, iou: Float32Array.of(1), lowRes })).toThrow();
  });
});
