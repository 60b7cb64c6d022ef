/**
 * The SAM decoder's feed and the reading of its output. Prompts are in original image pixels;
 * the feed is in the 1024 frame with SAM's label conventions: 1 positive point, 0 negative point,
 * 2 and 3 a box's top-left and bottom-right corners, -1 the padding point used when no box is given.
 */
import type { BinaryMask } from '../mask/rle';
import { SAM_LOW_RES, toSamFrame, type SamGeometry } from './samGeometry';

export interface PointPrompt {
  readonly x: number;
  readonly y: number;
  readonly positive: boolean;
}

export interface BoxPrompt {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface SamPrompt {
  readonly points: readonly PointPrompt[];
  readonly box?: BoxPrompt | null;
  /** Low-resolution logits [256*256] from a previous prediction, to refine it. */
  readonly maskInput?: Float32Array | null;
}

export interface DecoderFeed {
  readonly pointCoords: Float32Array;
  readonly pointLabels: Float32Array;
  readonly numPoints: number;
  readonly maskInput: Float32Array;
  readonly hasMaskInput: Float32Array;
  /** [height, width] of the original image. */
  readonly origImSize: Float32Array;
}

export const LABEL_NEGATIVE = 0;
export const LABEL_POSITIVE = 1;
export const LABEL_BOX_TOP_LEFT = 2;
export const LABEL_BOX_BOTTOM_RIGHT = 3;
export const LABEL_PADDING = -1;

export function buildDecoderFeed(g: SamGeometry, prompt: SamPrompt): DecoderFeed {
  const coords: number[] = [];
  const labels: number[] = [];
  for (const p of prompt.points) {
    const q = toSamFrame(g, p);
    coords.push(q.x, q.y);
    labels.push(p.positive ? LABEL_POSITIVE : LABEL_NEGATIVE);
  }
  const box = prompt.box;
  if (box) {
    const a = toSamFrame(g, { x: Math.min(box.x0, box.x1), y: Math.min(box.y0, box.y1) });
    const b = toSamFrame(g, { x: Math.max(box.x0, box.x1), y: Math.max(box.y0, box.y1) });
    coords.push(a.x, a.y, b.x, b.y);
    labels.push(LABEL_BOX_TOP_LEFT, LABEL_BOX_BOTTOM_RIGHT);
  } else {
    coords.push(0, 0);
    labels.push(LABEL_PADDING);
  }
  const mask = prompt.maskInput ?? null;
  if (mask !== null && mask.length !== SAM_LOW_RES * SAM_LOW_RES) throw new Error(`mask_input must be ${SAM_LOW_RES}x${SAM_LOW_RES}`);
  return {
    pointCoords: Float32Array.from(coords),
    pointLabels: Float32Array.from(labels),
    numPoints: labels.length,
    maskInput: mask ?? new Float32Array(SAM_LOW_RES * SAM_LOW_RES),
    hasMaskInput: Float32Array.of(mask === null ? 0 : 1),
    origImSize: Float32Array.of(g.origHeight, g.origWidth),
  };
}

export interface DecoderOutput {
  /** masks: [1, M, H, W] logits at the original size. */
  readonly masks: Float32Array;
  readonly maskCount: number;
  /** iou_predictions: [1, M]. */
  readonly iou: Float32Array;
  /** low_res_masks: [1, M, 256, 256]. */
  readonly lowRes: Float32Array;
}

export interface Prediction {
  readonly mask: BinaryMask;
  /** The decoder's own estimate of the mask's IoU. */
  readonly score: number;
  /** Which of the M masks was chosen. */
  readonly index: number;
  /** Logits to feed back as mask_input when the user refines. */
  readonly lowRes: Float32Array;
}

/** Picks the mask the decoder rates best and thresholds its logits at 0. */
export function readPrediction(g: SamGeometry, out: DecoderOutput): Prediction {
  const plane = g.origWidth * g.origHeight;
  if (out.masks.length !== out.maskCount * plane) {
    throw new Error(`Decoder returned ${out.masks.length} values, expected ${out.maskCount} masks of ${g.origWidth}x${g.origHeight}`);
  }
  let best = 0;
  for (let i = 1; i < out.maskCount; i++) if (out.iou[i]! > out.iou[best]!) best = i;
  const data = new Uint8Array(plane);
  const offset = best * plane;
  for (let i = 0; i < plane; i++) data[i] = out.masks[offset + i]! > 0 ? 1 : 0;
  const lowPlane = SAM_LOW_RES * SAM_LOW_RES;
  return {
    mask: { width: g.origWidth, height: g.origHeight, data },
    score: out.iou[best]!,
    index: best,
    lowRes: out.lowRes.slice(best * lowPlane, (best + 1) * lowPlane),
  };
}
