/**
 * The tracker keeps looking for an object it lost: synthetic frames whose SAM embedding marks where
 * the object is (its cells hold one feature, the rest another), and a decoder stand-in that
 * segments the object (or a look-alike) its prompt box lands on.
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

interface Thing {
  readonly x: number;
  readonly y: number;
  readonly size: number;
  /** Its embedding feature: mostly channel 3 (the object) with `tilt` of channel 4 (a look-alike has more). */
  readonly tilt: number;
}
const object = (x: number, y: number): Thing => ({ x, y, size: 40, tilt: 0 });
const inside = (t: Thing, x: number, y: number): boolean => x >= t.x && x < t.x + t.size && y >= t.y && y < t.y + t.size;
const maskOf = (t: Thing): BinaryMask => maskFromPredicate(W, H, (x, y) => inside(t, x, y));

/** The frame's pixels (textured things on a smooth background) and an embedding that says where they are. */
function frame(things: readonly Thing[]): TrackFrame {
  const data = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const t = things.find((k) => inside(k, x, y));
      const v = t ? 170 + 60 * Math.sin((x - t.x) * 0.5) * Math.cos((y - t.y) * 0.4) : 60 + 30 * Math.sin(x * 0.11) * Math.cos(y * 0.07);
      data.fill(v, (y * W + x) * 4, (y * W + x) * 4 + 3);
      data[(y * W + x) * 4 + 3] = 255;
    }
  const embedding = new Float32Array(EMBEDDING_CHANNELS * PLANE);
  for (let cy = 0; cy < EMBEDDING_SIDE; cy++)
    for (let cx = 0; cx < EMBEDDING_SIDE; cx++) {
      const t = things.find((k) => inside(k, cx * 5 + 2.5, cy * 5 + 2.5));
      const i = cy * EMBEDDING_SIDE + cx;
      if (t) {
        embedding[3 * PLANE + i] = 1;
        embedding[4 * PLANE + i] = t.tilt;
      } else embedding[9 * PLANE + i] = 1;
    }
  const image: RgbaImage = { width: W, height: H, data };
  return { image, embedding };
}

/** SAM stand-in: the first thing the prompt's box overlaps, whole; nothing when it overlaps none. */
function decoderFor(things: readonly Thing[], calls: SamPrompt[]): (p: SamPrompt) => Promise<Prediction> {
  return async (p) => {
    calls.push(p);
    const b = p.box!;
    const t = things.find((k) => k.x < b.x1 && k.x + k.size > b.x0 && k.y < b.y1 && k.y + k.size > b.y0);
    const mask = t ? maskOf(t) : maskFromPredicate(W, H, () => false);
    return { mask, score: 0.9, index: 0, lowRes: logitsFromMask(mask, samGeometry(W, H), 10) };
  };
}

async function step(tracker: ReturnType<typeof createTracker>, things: readonly Thing[]) {
  const calls: SamPrompt[] = [];
  const driven = await runTrackStep(tracker, frame(things), decoderFor(things, calls));
  return { ...driven, calls };
}

function start(options?: TrackerOptions) {
  const first = frame([object(60, 40)]);
  return createTracker({ mask: maskOf(object(60, 40)), lowRes: null, image: first.image, embedding: first.embedding }, options);
}

describe('re-acquiring a lost object', () => {
  it('stays absent while the object is hidden, without a second decoder call, and re-finds it where it comes back', async () => {
    const t = start();
    expect((await step(t, [object(66, 42)])).step.state).toBe('tracked');
    // Hidden: the followed prompt finds nothing, the search finds nothing like it.
    const hidden = await step(t, []);
    expect(hidden.step.state).toBe('absent');
    expect(hidden.calls).toHaveLength(1);
    const still = await step(t, []);
    expect(still.step.state).toBe('absent');
    expect(still.calls).toHaveLength(0);
    // Back, far from where it was lost: found by its looks, reported as low confidence.
    const back = await step(t, [object(220, 110)]);
    expect(back.step.state).toBe('low');
    expect(back.step.reacquired).toBe(true);
    expect(maskIou(back.step.mask!, maskOf(object(220, 110)))).toBe(1);
    expect(back.calls).toHaveLength(1);
    expect(back.calls[0]!.box!.x0).toBeGreaterThanOrEqual(215);
    // And followed from there again.
    const next = await step(t, [object(224, 112)]);
    expect(next.step.state).toBe('tracked');
    expect(maskIou(next.step.mask!, maskOf(object(224, 112)))).toBe(1);
  });

  it('re-prompts on the same frame when the followed prompt loses the object', async () => {
    const t = start();
    // The object jumped beyond the motion search: the followed prompt sees nothing, the search does.
    const jumped = await step(t, [object(230, 120)]);
    expect(jumped.calls).toHaveLength(2);
    expect(jumped.step.state).toBe('low');
    expect(jumped.step.reacquired).toBe(true);
    expect(maskIou(jumped.step.mask!, maskOf(object(230, 120)))).toBe(1);
  });

  it('rejects a look-alike: searched and decoded, but its mask does not look enough like the object', async () => {
    const t = start();
    await step(t, []);
    // cos(look-alike, object) = 1 / sqrt(1 + 1.2^2) = 0.64: a candidate (>= 0.5), not accepted (< 0.75).
    const lookAlike: Thing = { x: 200, y: 100, size: 40, tilt: 1.2 };
    const r = await step(t, [lookAlike]);
    expect(r.calls).toHaveLength(1);
    expect(r.step.state).toBe('absent');
    expect(r.step.mask).toBeNull();
    expect(r.step.similarity).toBeCloseTo(0.64, 2);
  });

  it('without re-acquisition, every frame after an absent one is absent', async () => {
    const t = start({ reacquire: false });
    await step(t, []);
    const back = await step(t, [object(60, 40)]);
    expect(back.step.state).toBe('absent');
    expect(back.calls).toHaveLength(0);
  });

  it('the drift veto treats a followed mask that stopped looking like the object as lost, and searches', async () => {
    // The followed box lands on a look-alike next to where the object was; the object itself moved away.
    const lookAlike: Thing = { x: 62, y: 40, size: 40, tilt: 1.2 };
    const scene = [lookAlike, object(230, 120)];
    const vetoed = await step(start({ vetoSimilarity: 0.8 }), scene);
    // The followed prompt and the second one (the box of the object-like cells there: the look-alike) are both vetoed, then the search.
    expect(vetoed.calls).toHaveLength(3);
    expect(maskIou(vetoed.step.mask!, maskOf(object(230, 120)))).toBe(1);
    // Without the veto the tracker follows the look-alike.
    const drifted = await step(start({ vetoSimilarity: -1 }), scene);
    // The followed and the second prompt; no search.
    expect(drifted.calls).toHaveLength(2);
    expect(maskIou(drifted.step.mask!, maskOf(lookAlike))).toBe(1);
  });
});
