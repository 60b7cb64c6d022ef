/**
 * Two decoder answers per followed frame: an object split by a thin occluder (a pole in front of
 * it). A decoder that inherits the previous logits keeps only the part under its points; the
 * second prompt, the box of the cells that look like the object (across the pole), gets both parts,
 * and the tracker keeps that one. Synthetic frames whose SAM embedding marks what is where.
 */
import { describe, expect, it } from 'vitest';
import { maskFromPredicate, type BinaryMask } from '../mask/rle';
import type { Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import { samGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';
import { EMBEDDING_CHANNELS, EMBEDDING_SIDE } from './appearance';
import { logitsFromMask } from './prompting';
import { createTracker, maskIou, type TrackFrame, type TrackerOptions } from './tracker';
import { runTrackStep } from './trackStep';

const W = 320;
const H = 180; // 64 x 36 embedding cells of 5 px
const PLANE = EMBEDDING_SIDE * EMBEDDING_SIDE;
const OBJECT = { x0: 60, y0: 40, x1: 110, y1: 80 };
/** The pole in front of the object: x 90..95 (one embedding cell), the whole height. */
const POLE = { x0: 90, x1: 95 };
const inObject = (x: number, y: number): boolean => x >= OBJECT.x0 && x < OBJECT.x1 && y >= OBJECT.y0 && y < OBJECT.y1;
const inPole = (x: number, pole: boolean): boolean => pole && x >= POLE.x0 && x < POLE.x1;
const visible = (x: number, y: number, pole: boolean): boolean => inObject(x, y) && !inPole(x, pole);

function frame(pole: boolean): TrackFrame {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const v = inPole(x, pole) ? 20 : inObject(x, y) ? 170 + 60 * Math.sin((x - OBJECT.x0) * 0.5) * Math.cos((y - OBJECT.y0) * 0.4) : 60 + 30 * Math.sin(x * 0.11) * Math.cos(y * 0.07);
      data.fill(v, (y * W + x) * 4, (y * W + x) * 4 + 3);
      data[(y * W + x) * 4 + 3] = 255;
    }
  const embedding = new Float32Array(EMBEDDING_CHANNELS * PLANE);
  for (let cy = 0; cy < EMBEDDING_SIDE; cy++)
    for (let cx = 0; cx < EMBEDDING_SIDE; cx++) {
      const x = cx * 5 + 2.5;
      const y = cy * 5 + 2.5;
      const channel = inPole(x, pole) ? 12 : inObject(x, y) ? 3 : 9;
      embedding[channel * PLANE + cy * EMBEDDING_SIDE + cx] = 1;
    }
  return { image: { width: W, height: H, data } satisfies RgbaImage, embedding };
}

/**
 * SAM stand-in: the visible object pixels inside the prompt's box; with previous logits as
 * mask_input it keeps only the visible part that holds the first positive point (it inherits the
 * previous mask's extent instead of looking again).
 */
function decoder(pole: boolean, calls: SamPrompt[]): (p: SamPrompt) => Promise<Prediction> {
  return async (p) => {
    calls.push(p);
    const b = p.box!;
    const point = p.points.find((q) => q.positive);
    const side = point ? point.x < POLE.x0 : true;
    const mask = maskFromPredicate(W, H, (x, y) => x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 && visible(x, y, pole) && (!p.maskInput || !pole || x < POLE.x0 === side));
    return { mask, score: 0.9, index: 0, lowRes: logitsFromMask(mask, samGeometry(W, H), 10) };
  };
}

async function trackBehindPole(options: TrackerOptions, pole = true): Promise<{ mask: BinaryMask | null; second: boolean; calls: number }> {
  const first = frame(false);
  const anchor = maskFromPredicate(W, H, (x, y) => inObject(x, y));
  const tracker = createTracker({ mask: anchor, lowRes: null, image: first.image, embedding: first.embedding }, options);
  const calls: SamPrompt[] = [];
  const { step } = await runTrackStep(tracker, frame(pole), decoder(pole, calls));
  return { mask: step.mask, second: step.second === true, calls: calls.length };
}

describe('several decoder answers per frame', () => {
  const whole = maskFromPredicate(W, H, (x, y) => visible(x, y, true));

  it('keeps the answer on the box of the object-like cells when the followed one lost the part behind a pole', async () => {
    const r = await trackBehindPole({});
    expect(r.calls).toBe(2);
    expect(r.second).toBe(true);
    expect(maskIou(r.mask!, whole)).toBe(1);
  });

  it('with the followed prompt only, the part beyond the pole is lost', async () => {
    const r = await trackBehindPole({ hypotheses: 'single' });
    expect(r.calls).toBe(1);
    expect(maskIou(r.mask!, whole)).toBeLessThan(0.7);
  });

  it('a sure first answer is kept without a second prompt; a doubtful one still gets it (secondBelow)', async () => {
    // Nothing in front of the object: the followed answer is the whole object (confidence 0.9).
    const clear = await trackBehindPole({ secondBelow: 0.85 }, false);
    expect(clear.calls).toBe(1);
    expect(maskIou(clear.mask!, maskFromPredicate(W, H, (x, y) => inObject(x, y)))).toBe(1);
    // Behind the pole the followed answer lost 40 % of the object (confidence ≈ 0.77): in doubt.
    const split = await trackBehindPole({ secondBelow: 0.85 });
    expect(split.calls).toBe(2);
    expect(split.second).toBe(true);
    expect(maskIou(split.mask!, whole)).toBe(1);
    // A gate above every confidence asks the second prompt on the clear frame too.
    expect((await trackBehindPole({ secondBelow: 2 }, false)).calls).toBe(2);
  });
});
