/**
 * Motion of a tracked object between two frames, for prompting the decoder on the next frame:
 * a downscaled grey image of each frame, and the object's translation found by block matching
 * (sum of absolute differences over the object's own pixels in the previous frame, searched in a
 * window around a predicted displacement, refined to sub-pixel by a parabola through the best
 * cost and its neighbours). Plus the shifts that move the previous frame's mask and low-res
 * logits by that translation. Pure: typed arrays in, typed arrays out.
 */
import type { BinaryMask } from '../mask/rle';
import { SAM_LOW_RES, type SamGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';

/** A grey image downscaled by an integer factor (box average). */
export interface GreyImage {
  readonly width: number;
  readonly height: number;
  /** Size of one grey pixel in original pixels. */
  readonly factor: number;
  readonly data: Float32Array;
}

export interface Translation {
  readonly dx: number;
  readonly dy: number;
}

/** Box-averaged grey (Rec. 601 luma) at 1/factor of the size; edge pixels that do not fill a cell are dropped. */
export function toGrey(image: RgbaImage, factor: number): GreyImage {
  const f = Math.max(1, Math.floor(factor));
  const w = Math.max(1, Math.floor(image.width / f));
  const h = Math.max(1, Math.floor(image.height / f));
  const data = new Float32Array(w * h);
  const src = image.data;
  const rowSum = new Float32Array(w);
  for (let y = 0; y < h; y++) {
    rowSum.fill(0);
    for (let yy = y * f; yy < Math.min(image.height, (y + 1) * f); yy++) {
      let i = yy * image.width * 4;
      for (let x = 0; x < w; x++) {
        let s = 0;
        for (let k = 0; k < f && x * f + k < image.width; k++, i += 4) s += 0.299 * src[i]! + 0.587 * src[i + 1]! + 0.114 * src[i + 2]!;
        rowSum[x]! += s;
      }
    }
    const inv = 1 / (f * f);
    for (let x = 0; x < w; x++) data[y * w + x] = rowSum[x]! * inv;
  }
  return { width: w, height: h, factor: f, data };
}

/** The mask at grey resolution: a cell is set when at least half of its pixels are. */
export function downscaleMask(mask: BinaryMask, factor: number): Uint8Array {
  const f = Math.max(1, Math.floor(factor));
  const w = Math.max(1, Math.floor(mask.width / f));
  const h = Math.max(1, Math.floor(mask.height / f));
  const counts = new Uint16Array(w * h);
  for (let y = 0; y < h * f && y < mask.height; y++) {
    const cy = Math.floor(y / f);
    const row = y * mask.width;
    for (let x = 0; x < w * f && x < mask.width; x++) if (mask.data[row + x]) counts[cy * w + Math.floor(x / f)]!++;
  }
  const out = new Uint8Array(w * h);
  const half = (f * f) / 2;
  for (let i = 0; i < out.length; i++) if (counts[i]! >= half) out[i] = 1;
  return out;
}

export interface MatchOptions {
  /** Search radius in grey pixels around the predicted displacement. */
  readonly radius: number;
  /** Predicted displacement in original pixels (e.g. the last velocity), the window's centre. */
  readonly predicted?: Translation;
  /** At most this many template pixels are compared (a regular subsample beyond it). */
  readonly maxSamples?: number;
  /** Also use this many grey pixels of context around the mask (a ring dilated from it). */
  readonly context?: number;
}

export interface MatchResult extends Translation {
  /** Mean absolute difference at the best displacement (grey levels, 0..255). */
  readonly cost: number;
  /** How much better the best displacement is than no motion (cost at zero / best cost, >= 1). */
  readonly gain: number;
}

/** Cells of `cells` dilated by `r` (square), as a list of indices. */
function templateIndices(cells: Uint8Array, w: number, h: number, r: number, maxSamples: number): number[] {
  let mark = cells;
  if (r > 0) {
    mark = new Uint8Array(cells.length);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        if (!cells[y * w + x]) continue;
        for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) mark.fill(1, yy * w + Math.max(0, x - r), yy * w + Math.min(w - 1, x + r) + 1);
      }
  }
  const all: number[] = [];
  for (let i = 0; i < mark.length; i++) if (mark[i]) all.push(i);
  if (all.length <= maxSamples) return all;
  const step = all.length / maxSamples;
  const out: number[] = [];
  for (let k = 0; k < maxSamples; k++) out.push(all[Math.floor(k * step)]!);
  return out;
}

interface Template {
  readonly xs: Int32Array;
  readonly ys: Int32Array;
  readonly vs: Float32Array;
}

function makeTemplate(prev: Float32Array, w: number, idx: readonly number[]): Template {
  const xs = new Int32Array(idx.length);
  const ys = new Int32Array(idx.length);
  const vs = new Float32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    xs[k] = i % w;
    ys[k] = Math.floor(i / w);
    vs[k] = prev[i]!;
  }
  return { xs, ys, vs };
}

/** Mean absolute difference of the template moved by (dx, dy); Infinity when too little of it stays inside. */
function sad(t: Template, next: Float32Array, w: number, h: number, dx: number, dy: number): number {
  const { xs, ys, vs } = t;
  let sum = 0;
  let n = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]! + dx;
    const y = ys[k]! + dy;
    if (x < 0 || y < 0 || x >= w || y >= h) continue;
    sum += Math.abs(next[y * w + x]! - vs[k]!);
    n++;
  }
  return n < Math.max(4, xs.length * 0.25) ? Infinity : sum / n;
}

interface Search {
  readonly bx: number;
  readonly by: number;
  readonly ox: number;
  readonly oy: number;
  readonly cost: number;
}

/** Exhaustive search of displacements (cx ± r, cy ± r), with a sub-pixel parabola fit per axis. */
function search(t: Template, next: Float32Array, w: number, h: number, cx: number, cy: number, r: number): Search | null {
  const side = 2 * r + 1;
  const costs = new Float64Array(side * side);
  let best = 0;
  for (let j = 0; j < side; j++)
    for (let i = 0; i < side; i++) {
      const c = sad(t, next, w, h, cx + i - r, cy + j - r);
      costs[j * side + i] = c;
      if (c < costs[best]!) best = j * side + i;
    }
  const c0 = costs[best]!;
  if (!Number.isFinite(c0)) return null;
  const bi = best % side;
  const bj = Math.floor(best / side);
  const sub = (a: number, b: number, c: number): number => {
    if (!Number.isFinite(a) || !Number.isFinite(c)) return 0;
    const d = a - 2 * b + c;
    return d > 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / d)) : 0;
  };
  return {
    bx: cx + bi - r,
    by: cy + bj - r,
    ox: bi > 0 && bi < side - 1 ? sub(costs[best - 1]!, c0, costs[best + 1]!) : 0,
    oy: bj > 0 && bj < side - 1 ? sub(costs[best - side]!, c0, costs[best + side]!) : 0,
    cost: c0,
  };
}

/** Half-size grey (2x2 average) and mask (a cell is set when at least 2 of its 4 are). */
function halve(data: Float32Array, mask: Uint8Array, w: number, h: number): { data: Float32Array; mask: Uint8Array; w: number; h: number } {
  const hw = Math.max(1, w >> 1);
  const hh = Math.max(1, h >> 1);
  const d = new Float32Array(hw * hh);
  const m = new Uint8Array(hw * hh);
  for (let y = 0; y < hh; y++)
    for (let x = 0; x < hw; x++) {
      const i = 2 * y * w + 2 * x;
      const x1 = Math.min(w - 1, 2 * x + 1) - 2 * x;
      const y1 = Math.min(h - 1, 2 * y + 1) === 2 * y ? 0 : w;
      d[y * hw + x] = (data[i]! + data[i + x1]! + data[i + y1]! + data[i + y1 + x1]!) / 4;
      m[y * hw + x] = mask[i]! + mask[i + x1]! + mask[i + y1]! + mask[i + y1 + x1]! >= 2 ? 1 : 0;
    }
  return { data: d, mask: m, w: hw, h: hh };
}

/**
 * The translation (in original pixels) that best moves the object's pixels of `prev` (where
 * `mask`, at grey resolution, is set) onto `next`. Radii above 4 are searched coarse to fine
 * (half resolution first, then ±2 around it). Null when the mask is empty.
 */
export function estimateTranslation(prev: GreyImage, next: GreyImage, mask: Uint8Array, options: MatchOptions): MatchResult | null {
  const { width: w, height: h, factor } = prev;
  if (next.width !== w || next.height !== h) throw new RangeError('The two grey images differ in size');
  const maxSamples = options.maxSamples ?? 3000;
  const idx = templateIndices(mask, w, h, options.context ?? 0, maxSamples);
  if (idx.length === 0) return null;
  const t = makeTemplate(prev.data, w, idx);
  const r = Math.max(1, Math.round(options.radius));
  const cx = Math.round((options.predicted?.dx ?? 0) / factor);
  const cy = Math.round((options.predicted?.dy ?? 0) / factor);
  let found: Search | null;
  if (r <= 4) {
    found = search(t, next.data, w, h, cx, cy, r);
  } else {
    const p2 = halve(prev.data, mask, w, h);
    const n2 = halve(next.data, new Uint8Array(w * h), w, h);
    const idx2 = templateIndices(p2.mask, p2.w, p2.h, Math.ceil((options.context ?? 0) / 2), maxSamples);
    const coarse = idx2.length > 0 ? search(makeTemplate(p2.data, p2.w, idx2), n2.data, p2.w, p2.h, Math.round(cx / 2), Math.round(cy / 2), Math.ceil(r / 2)) : null;
    found = search(t, next.data, w, h, coarse ? 2 * coarse.bx : cx, coarse ? 2 * coarse.by : cy, 2);
  }
  if (!found) return null;
  const zero = sad(t, next.data, w, h, 0, 0);
  return {
    dx: (found.bx + found.ox) * factor,
    dy: (found.by + found.oy) * factor,
    cost: found.cost,
    gain: Number.isFinite(zero) ? (zero + 1) / (found.cost + 1) : Infinity,
  };
}

/**
 * Low-res logits (SAM's padded 256x256 frame) moved by a translation in original pixels,
 * bilinearly; cells that come from outside the image get `fill`.
 */
export function shiftLogits(logits: Float32Array, g: SamGeometry, t: Translation, fill = -20): Float32Array {
  const n = SAM_LOW_RES;
  if (logits.length !== n * n) throw new RangeError(`Logits must be ${n}x${n}`);
  if (t.dx === 0 && t.dy === 0) return logits.slice();
  const sx = (t.dx * g.width) / g.origWidth / 4;
  const sy = (t.dy * g.height) / g.origHeight / 4;
  // Cells that hold the image (the rest is padding).
  const w = Math.min(n, Math.ceil(g.width / 4));
  const h = Math.min(n, Math.ceil(g.height / 4));
  // Source of each output cell: x - sx, split into a whole cell and a weight (same for every cell).
  const ix = Math.floor(-sx);
  const wx = -sx - ix;
  const iy = Math.floor(-sy);
  const wy = -sy - iy;
  const padded = new Float32Array((w + 2) * (h + 2)).fill(fill);
  for (let y = 0; y < h; y++) padded.set(logits.subarray(y * n, y * n + w), (y + 1) * (w + 2) + 1);
  const pw = w + 2;
  // Source cell (x, y) sits at (x + 1, y + 1) in `padded`; beyond it, `fill`.
  const at = (x: number, y: number): number => (x < -1 || y < -1 || x > w || y > h ? fill : padded[(y + 1) * pw + x + 1]!);
  const out = new Float32Array(n * n).fill(fill);
  for (let y = 0; y < h; y++) {
    const y0 = y + iy;
    const inY = y0 >= -1 && y0 + 1 <= h;
    for (let x = 0; x < w; x++) {
      const x0 = x + ix;
      let a: number, b: number, c: number, d: number;
      if (inY && x0 >= -1 && x0 + 1 <= w) {
        const i = (y0 + 1) * pw + x0 + 1;
        a = padded[i]!;
        b = padded[i + 1]!;
        c = padded[i + pw]!;
        d = padded[i + pw + 1]!;
      } else {
        a = at(x0, y0);
        b = at(x0 + 1, y0);
        c = at(x0, y0 + 1);
        d = at(x0 + 1, y0 + 1);
      }
      const top = a + (b - a) * wx;
      const bottom = c + (d - c) * wx;
      out[y * n + x] = top + (bottom - top) * wy;
    }
  }
  return out;
}

/** The mask moved by a translation rounded to whole pixels (what leaves the frame is lost). */
export function shiftMask(mask: BinaryMask, t: Translation): BinaryMask {
  const dx = Math.round(t.dx);
  const dy = Math.round(t.dy);
  const { width: w, height: h } = mask;
  if (dx === 0 && dy === 0) return mask;
  const data = new Uint8Array(w * h);
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    const src = (y - dy) * w;
    const dst = y * w;
    const x0 = Math.max(0, dx);
    const x1 = Math.min(w, w + dx);
    if (x1 > x0) data.set(mask.data.subarray(src + x0 - dx, src + x1 - dx), dst + x0);
  }
  return { width: w, height: h, data };
}
