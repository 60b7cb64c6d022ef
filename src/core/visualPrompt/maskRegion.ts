/**
 * The measurements the visual prompt geometry needs from a mask, computed on a crop around it
 * rather than on the whole frame (an object is usually a small part of a large frame).
 *
 * Pixel (x, y) is the unit square [x, x + 1] x [y, y + 1], as in ../mask/contour; a pixel's
 * centre is (x + 0.5, y + 0.5). All coordinates here are the frame's.
 */
import type { BinaryMask } from '../mask/rle';

/**
 * The mask's bounding box grown by one background pixel on every side, so that anything
 * outside the crop (the rest of the frame, and beyond its edges) reads as background. A
 * `BinaryMask` itself, so ../mask/contour traces it; (x0, y0) is its top-left pixel in the frame
 * (-1 when the object touches the frame's left or top edge).
 */
export interface Region extends BinaryMask {
  readonly x0: number;
  readonly y0: number;
}

export interface XY {
  readonly x: number;
  readonly y: number;
}

/** The crop around the mask's foreground; null when the mask is empty. */
export function cropMask(mask: BinaryMask): Region | null {
  const { width, height, data } = mask;
  let xMin = width;
  let xMax = -1;
  let yMin = height;
  let yMax = -1;
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (data[i] === 0) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      yMax = y;
    }
  }
  if (xMax < 0) return null;
  const x0 = xMin - 1;
  const y0 = yMin - 1;
  const w = xMax - xMin + 3;
  const h = yMax - yMin + 3;
  const out = new Uint8Array(w * h);
  for (let y = yMin; y <= yMax; y++) {
    for (let x = xMin; x <= xMax; x++) if (data[y * width + x] !== 0) out[(y - y0) * w + (x - x0)] = 1;
  }
  return { x0, y0, width: w, height: h, data: out };
}

/** Whether the frame pixel containing (x, y) is in the region. */
export function inRegion(r: Region, x: number, y: number): boolean {
  const lx = Math.floor(x) - r.x0;
  const ly = Math.floor(y) - r.y0;
  return lx >= 0 && ly >= 0 && lx < r.width && ly < r.height && r.data[ly * r.width + lx] !== 0;
}

function labelComponents(r: Region): { label: Int32Array; areas: number[] } {
  const { width: w, height: h, data } = r;
  const label = new Int32Array(w * h).fill(-1);
  const areas: number[] = [];
  const stack: number[] = [];
  const around = [-w - 1, -w, -w + 1, -1, 1, w - 1, w, w + 1];
  for (let start = 0; start < w * h; start++) {
    if (data[start] === 0 || label[start] !== -1) continue;
    const id = areas.length;
    let area = 0;
    label[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      area++;
      // Foreground never touches the crop's edge (its one-pixel background frame), so all eight
      // neighbours of a foreground pixel are inside the crop.
      for (let o = 0; o < 8; o++) {
        const j = i + around[o]!;
        if (data[j] !== 0 && label[j] === -1) {
          label[j] = id;
          stack.push(j);
        }
      }
    }
    areas.push(area);
  }
  return { label, areas };
}

function keepComponents(r: Region, label: Int32Array, keep: readonly boolean[]): Region {
  if (keep.every(Boolean)) return r;
  const out = new Uint8Array(label.length);
  for (let i = 0; i < label.length; i++) if (label[i]! >= 0 && keep[label[i]!]) out[i] = 1;
  return { ...r, data: out };
}

/**
 * The region with only its larger 8-connected components (as ../mask/contour counts them): those
 * of at least `fraction` of the largest one's area. Segmentation masks carry stray specks; a box
 * or ellipse stretched to reach one would mostly frame background.
 */
export function majorComponents(r: Region, fraction: number): Region {
  const { label, areas } = labelComponents(r);
  const largest = areas.reduce((a, b) => Math.max(a, b), 0);
  return keepComponents(r, label, areas.map((a) => a >= largest * fraction));
}

/** The largest 8-connected component (the first in raster order among equals). */
export function largestComponent(r: Region): Region {
  const { label, areas } = labelComponents(r);
  const best = areas.indexOf(areas.reduce((a, b) => Math.max(a, b), 0));
  return keepComponents(r, label, areas.map((_, i) => i === best));
}

/**
 * Squared Euclidean distance from each pixel centre to the nearest background pixel centre (0 on
 * background), by Felzenszwalb and Huttenlocher's separable lower-envelope algorithm: exact, and
 * linear in the crop's size.
 */
export function squaredDistanceTransform(r: Region): Float64Array {
  const { width: w, height: h, data } = r;
  const BIG = 1e20;
  const d = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) d[i] = data[i] === 0 ? 0 : BIG;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const meet = (q: number, p: number): number => (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
  // One 1-D transform over d[start], d[start + stride], ... (a column or a row), in place.
  const pass = (start: number, stride: number, len: number): void => {
    for (let q = 0, i = start; q < len; q++, i += stride) f[q] = d[i]!;
    let k = 0;
    v[0] = 0;
    z[0] = -Infinity;
    z[1] = Infinity;
    for (let q = 1; q < len; q++) {
      // z[0] = -Infinity stops this at k = 0: BIG stands for "no background" without being
      // infinite, so `meet` never computes Infinity - Infinity.
      let s = meet(q, v[k]!);
      while (s <= z[k]!) s = meet(q, v[--k]!);
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = Infinity;
    }
    k = 0;
    for (let q = 0, i = start; q < len; q++, i += stride) {
      while (z[k + 1]! < q) k++;
      const p = v[k]!;
      d[i] = (q - p) * (q - p) + f[p]!;
    }
  };
  for (let x = 0; x < w; x++) pass(x, w, h);
  for (let y = 0; y < h; y++) pass(y * w, 1, w);
  return d;
}

export interface Moments {
  readonly n: number;
  /** Centroid. */
  readonly cx: number;
  readonly cy: number;
  /** Covariance of the region as a union of unit squares (each square adds 1/12 per axis). */
  readonly sxx: number;
  readonly sxy: number;
  readonly syy: number;
}

/** Area, centroid and covariance of the region's pixels, optionally only those where `keep(i)`. */
export function moments(r: Region, keep?: (i: number) => boolean): Moments {
  const { width: w, height: h, data } = r;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  // Sums relative to the crop keep the numbers small; the centroid is shifted back at the end.
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      if (data[i] === 0 || (keep && !keep(i))) continue;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
      syy += y * y;
    }
  }
  if (n === 0) return { n, cx: 0, cy: 0, sxx: 0, sxy: 0, syy: 0 };
  const mx = sx / n;
  const my = sy / n;
  return {
    n,
    cx: r.x0 + mx + 0.5,
    cy: r.y0 + my + 0.5,
    sxx: sxx / n - mx * mx + 1 / 12,
    sxy: sxy / n - mx * my,
    syy: syy / n - my * my + 1 / 12,
  };
}

/** Eigen-decomposition of the symmetric [[a, b], [b, c]]: l1 >= l2, `angle` the l1 axis's direction. */
export function symmetricEigen(a: number, b: number, c: number): { l1: number; l2: number; angle: number } {
  const mean = (a + c) / 2;
  const diff = (a - c) / 2;
  const root = Math.hypot(diff, b);
  return { l1: mean + root, l2: Math.max(0, mean - root), angle: 0.5 * Math.atan2(2 * b, a - c) };
}

/**
 * A pixel centre well inside the region: among the pixels whose distance to the background is at
 * least 80 % of the largest, the one nearest the centroid. Not the centroid itself, which lies
 * outside a C- or ring-shaped object; not simply the farthest pixel, which on an elongated
 * object can sit at an end. `distance` is that pixel's distance to the background.
 */
export function interiorPoint(r: Region, dist2: Float64Array = squaredDistanceTransform(r)): XY & { distance: number } {
  const { width: w } = r;
  let max = 0;
  for (const d of dist2) if (d > max) max = d;
  const threshold = 0.64 * max; // (0.8 max distance)^2
  const { cx, cy } = moments(r);
  let best = -1;
  let bestScore = Infinity;
  for (let i = 0; i < dist2.length; i++) {
    if (dist2[i]! < threshold || dist2[i] === 0) continue;
    const x = r.x0 + (i % w) + 0.5;
    const y = r.y0 + Math.floor(i / w) + 0.5;
    const score = (x - cx) ** 2 + (y - cy) ** 2;
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return { x: r.x0 + (best % w) + 0.5, y: r.y0 + Math.floor(best / w) + 0.5, distance: Math.sqrt(dist2[best]!) };
}
