/**
 * Video object segmentation metrics, as the DAVIS benchmark defines them (Perazzi et al., CVPR
 * 2016; the davis2017-evaluation toolkit's `db_eval_iou` and `db_eval_boundary`):
 *
 * - region similarity J: intersection over union of the predicted and ground-truth masks, 1 when
 *   both are empty;
 * - contour accuracy F: the boundaries of both masks (`seg2bmap`) are matched with a tolerance of
 *   `boundThreshold` (0.008 of the image diagonal, rounded up to whole pixels) by dilating each with
 *   a disk; precision = predicted boundary pixels near the true boundary, recall = true boundary
 *   pixels near the predicted one, F = their harmonic mean.
 */
import type { BinaryMask } from './rle';

function assertSameSize(a: BinaryMask, b: BinaryMask): void {
  if (a.width !== b.width || a.height !== b.height) {
    throw new RangeError(`Mask sizes differ: ${a.width}x${a.height} vs ${b.width}x${b.height}`);
  }
}

/** Region similarity J (IoU). As in DAVIS, two empty masks score 1. */
export function regionJaccard(prediction: BinaryMask, truth: BinaryMask): number {
  assertSameSize(prediction, truth);
  const n = prediction.width * prediction.height;
  const a = prediction.data;
  const b = truth.data;
  let inter = 0;
  let union = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] !== 0;
    const y = b[i] !== 0;
    if (x || y) {
      union++;
      if (x && y) inter++;
    }
  }
  return union === 0 ? 1 : inter / union;
}

/**
 * The DAVIS `seg2bmap` boundary map at the mask's own size: a pixel is on the boundary when it
 * differs from its east, south or south-east neighbour (the last row and column compare with the
 * east and south neighbour only; the bottom-right pixel is never a boundary).
 */
export function boundaryMap(mask: BinaryMask): Uint8Array {
  const { width: w, height: h, data } = mask;
  const out = new Uint8Array(w * h);
  const at = (i: number): number => (data[i] !== 0 ? 1 : 0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const v = at(i);
      const e = x + 1 < w ? at(i + 1) : 0;
      const s = y + 1 < h ? at(i + w) : 0;
      const se = x + 1 < w && y + 1 < h ? at(i + w + 1) : 0;
      let b: boolean;
      if (y === h - 1 && x === w - 1) b = false;
      else if (y === h - 1) b = v !== e;
      else if (x === w - 1) b = v !== s;
      else b = v !== e || v !== s || v !== se;
      if (b) out[i] = 1;
    }
  }
  return out;
}

/** Tolerance in whole pixels for a width x height image: ceil(0.008 * diagonal), as in DAVIS. */
export function boundaryTolerance(width: number, height: number, boundThreshold = 0.008): number {
  return boundThreshold >= 1 ? boundThreshold : Math.ceil(boundThreshold * Math.hypot(width, height));
}

/** Binary dilation of `map` by a disk of `radius` (skimage's disk: x² + y² <= r²). */
export function dilateDisk(map: Uint8Array, width: number, height: number, radius: number): Uint8Array {
  const out = new Uint8Array(width * height);
  const r = Math.max(0, Math.floor(radius));
  const half: number[] = [];
  for (let dy = -r; dy <= r; dy++) half.push(Math.floor(Math.sqrt(r * r - dy * dy)));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (map[y * width + x] === 0) continue;
      for (let dy = -r; dy <= r; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        const hw = half[dy + r]!;
        const row = yy * width;
        const x0 = Math.max(0, x - hw);
        const x1 = Math.min(width - 1, x + hw);
        out.fill(1, row + x0, row + x1 + 1);
      }
    }
  }
  return out;
}

export interface BoundaryScore {
  readonly precision: number;
  readonly recall: number;
  readonly f: number;
}

/** DAVIS contour accuracy F with its precision and recall. */
export function boundaryScore(prediction: BinaryMask, truth: BinaryMask, boundThreshold = 0.008): BoundaryScore {
  assertSameSize(prediction, truth);
  const { width: w, height: h } = prediction;
  const r = boundaryTolerance(w, h, boundThreshold);
  const fg = boundaryMap(prediction);
  const gt = boundaryMap(truth);
  const fgDil = dilateDisk(fg, w, h, r);
  const gtDil = dilateDisk(gt, w, h, r);
  let nFg = 0;
  let nGt = 0;
  let fgMatch = 0;
  let gtMatch = 0;
  for (let i = 0; i < w * h; i++) {
    if (fg[i]) {
      nFg++;
      if (gtDil[i]) fgMatch++;
    }
    if (gt[i]) {
      nGt++;
      if (fgDil[i]) gtMatch++;
    }
  }
  let precision: number;
  let recall: number;
  if (nFg === 0 && nGt > 0) {
    precision = 1;
    recall = 0;
  } else if (nFg > 0 && nGt === 0) {
    precision = 0;
    recall = 1;
  } else if (nFg === 0 && nGt === 0) {
    precision = 1;
    recall = 1;
  } else {
    precision = fgMatch / nFg;
    recall = gtMatch / nGt;
  }
  const f = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f };
}

/** DAVIS contour accuracy F. */
export function boundaryF(prediction: BinaryMask, truth: BinaryMask, boundThreshold = 0.008): number {
  return boundaryScore(prediction, truth, boundThreshold).f;
}
