import { describe, expect, it } from 'vitest';
import { maskFromPredicate } from '../mask/rle';
import type { Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import { samGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';
import { logitsFromMask } from './prompting';
import { createTracker, type Tracker } from './tracker';
import { MAX_DECODER_CALLS_PER_FRAME, runTrackStep } from './trackStep';

const W = 120;
const H = 80;
const image = (ox: number): RgbaImage => {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    const x = i % W;
    const y = Math.floor(i / W);
    const v = x >= ox && x < ox + 30 && y >= 20 && y < 50 ? 200 + 40 * Math.sin(x) : 50 + 20 * Math.cos(x * 0.3 + y * 0.2);
    data.fill(v, i * 4, i * 4 + 3);
    data[i * 4 + 3] = 255;
  }
  return { width: W, height: H, data };
};
/** A decoder stand-in that segments exactly the prompt's box (what SAM does for a box around a clear object). */
const boxDecoder = async (prompt: SamPrompt): Promise<Prediction> => {
  const b = prompt.box!;
  const mask = maskFromPredicate(W, H, (x, y) => x >= Math.round(b.x0) && x < Math.round(b.x1) && y >= Math.round(b.y0) && y < Math.round(b.y1));
  return { mask, score: 0.9, index: 0, lowRes: logitsFromMask(mask, samGeometry(W, H), 10) };
};

describe('runTrackStep', () => {
  it('calls the decoder with the tracker prompt and returns its step and score', async () => {
    const anchor = maskFromPredicate(W, H, (x, y) => x >= 40 && x < 70 && y >= 20 && y < 50);
    const tracker = createTracker({ mask: anchor, lowRes: null, image: image(40) }, { boxMargin: 0 });
    const prompts: SamPrompt[] = [];
    const driven = await runTrackStep(tracker, { image: image(44), embedding: null }, (p) => {
      prompts.push(p);
      return boxDecoder(p);
    });
    expect(prompts).toHaveLength(1);
    expect(driven.decoderCalls).toBe(1);
    expect(driven.score).toBe(0.9);
    expect(driven.step.state).toBe('tracked');
    // The box moved with the object (4 px right).
    expect(Math.abs(prompts[0]!.box!.x0 - 44)).toBeLessThanOrEqual(1.5);
  });

  it('refuses a tracker that never finishes a frame', async () => {
    const endless: Tracker = { begin: () => ({ kind: 'decode', prompt: { points: [] } }), accept: () => ({ kind: 'decode', prompt: { points: [] } }) };
    let calls = 0;
    await expect(runTrackStep(endless, { image: image(0), embedding: null }, (p) => (calls++, boxDecoder({ ...p, box: { x0: 0, y0: 0, x1: 1, y1: 1 } })))).rejects.toThrow(/more than/);
    expect(calls).toBe(MAX_DECODER_CALLS_PER_FRAME);
  });
});
