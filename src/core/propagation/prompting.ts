/**
 * What the tracker reads off a mask to prompt the decoder on the next frame: its area, box and
 * centroid, interior points (maxima of the distance to the background), and SAM low-res logits
 * rebuilt from a binary mask when the decoder's own logits are not known (after a reload).
 */
import type { BinaryMask } from '../mask/rle';
import type { BoxPrompt, PointPrompt } from '../segmentation/samDecoderIo';
import { SAM_LOW_RES, type SamGeometry } from '../segmentation/samGeometry';

export interface MaskStats {
  readonly area: number;
  /** Pixel box, x1/y1 exclusive; null when the mask is empty. */
  readonly box: BoxPrompt | null;
  /** Mean of the object pixels' centres. */
  readonly centroid: { readonly x: number; readonly y: number } | null;
}

export function maskStats(mask: BinaryMask): MaskStats {
  const { width: w, height: h, data } = mask;
  let area = 0;
  let sx = 0;
  let sy = 0;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let rowCount = 0;
    for (let x = 0; x < w; x++) {
      if (!data[row + x]) continue;
      rowCount++;
      sx += x;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
    }
    if (rowCount > 0) {
      area += rowCount;
      sy += y * rowCount;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  if (area === 0) return { area: 0, box: null, centroid: null };
  return { area, box: { x0, y0, x1: x1 + 1, y1: y1 + 1 }, centroid: { x: sx / area + 0.5, y: sy / area + 0.5 } };
}

/** The box grown by `margin` of its width and height in total (half on each side), clipped to the image. */
export function enlargeBox(box: BoxPrompt, margin: number, width: number, height: number): BoxPrompt {
  const mx = ((box.x1 - box.x0) * margin) / 2;
  const my = ((box.y1 - box.y0) * margin) / 2;
  return {
    x0: Math.max(0, box.x0 - mx),
    y0: Math.max(0, box.y0 - my),
    x1: Math.min(width, box.x1 + mx),
    y1: Math.min(height, box.y1 + my),
  };
}

export function translateBox(box: BoxPrompt, dx: number, dy: number): BoxPrompt {
  return { x0: box.x0 + dx, y0: box.y0 + dy, x1: box.x1 + dx, y1: box.y1 + dy };
}

/** Box clipped to the image; null when nothing of it is left inside. */
export function clipBox(box: BoxPrompt, width: number, height: number): BoxPrompt | null {
  const c = { x0: Math.max(0, box.x0), y0: Math.max(0, box.y0), x1: Math.min(width, box.x1), y1: Math.min(height, box.y1) };
  return c.x1 - c.x0 >= 1 && c.y1 - c.y0 >= 1 ? c : null;
}

/**
 * Chamfer (3-4) distance from each object pixel to the nearest background pixel, in units of
 * 1/3 pixel; pixels outside the image count as background.
 */
export function distanceToBackground(mask: BinaryMask): Uint32Array {
  const { width: w, height: h, data } = mask;
  const d = new Uint32Array(w * h);
  const BIG = 0x3fffffff;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!data[i]) continue;
      let v = BIG;
      v = Math.min(v, x > 0 ? d[i - 1]! + 3 : 3);
      v = Math.min(v, y > 0 ? d[i - w]! + 3 : 3);
      v = Math.min(v, x > 0 && y > 0 ? d[i - w - 1]! + 4 : 4);
      v = Math.min(v, x < w - 1 && y > 0 ? d[i - w + 1]! + 4 : 4);
      d[i] = v;
    }
  for (let y = h - 1; y >= 0; y--)
    for (let x = w - 1; x >= 0; x--) {
      const i = y * w + x;
      if (!data[i]) continue;
      let v = d[i]!;
      v = Math.min(v, x < w - 1 ? d[i + 1]! + 3 : 3);
      v = Math.min(v, y < h - 1 ? d[i + w]! + 3 : 3);
      v = Math.min(v, x < w - 1 && y < h - 1 ? d[i + w + 1]! + 4 : 4);
      v = Math.min(v, x > 0 && y < h - 1 ? d[i + w - 1]! + 4 : 4);
      d[i] = v;
    }
  return d;
}

/**
 * Up to `count` interior points: the deepest object pixel (maximum of the distance to the
 * background), then the deepest pixel farther than the first's depth from every point taken.
 */
export function interiorPoints(mask: BinaryMask, count: number): { x: number; y: number }[] {
  const { width: w } = mask;
  const d = distanceToBackground(mask);
  const points: { x: number; y: number }[] = [];
  let minSep2 = 0;
  for (let k = 0; k < count; k++) {
    let best = -1;
    let bestD = 0;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v <= bestD) continue;
      if (points.length > 0) {
        const x = i % w;
        const y = (i - x) / w;
        if (points.some((p) => (p.x - x - 0.5) ** 2 + (p.y - y - 0.5) ** 2 < minSep2)) continue;
      }
      best = i;
      bestD = v;
    }
    if (best < 0) break;
    const x = best % w;
    points.push({ x: x + 0.5, y: (best - x) / w + 0.5 });
    if (k === 0) {
      const depth = bestD / 3;
      minSep2 = (2 * depth) ** 2;
    }
  }
  return points;
}

/**
 * Negative points just outside the object: the midpoints of the enlarged box's sides, kept only
 * where the mask is not set (a side touching the object gives no point).
 */
export function outsidePoints(mask: BinaryMask, box: BoxPrompt): PointPrompt[] {
  const { width: w, height: h, data } = mask;
  const cx = (box.x0 + box.x1) / 2;
  const cy = (box.y0 + box.y1) / 2;
  const candidates = [
    { x: cx, y: box.y0 },
    { x: cx, y: box.y1 - 1 },
    { x: box.x0, y: cy },
    { x: box.x1 - 1, y: cy },
  ];
  const out: PointPrompt[] = [];
  for (const p of candidates) {
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    if (x < 0 || y < 0 || x >= w || y >= h || data[y * w + x]) continue;
    out.push({ x: x + 0.5, y: y + 0.5, positive: false });
  }
  return out;
}

/**
 * SAM low-res logits (the padded 256x256 frame) from a binary mask: the object's fraction f of
 * each cell mapped to k(2f - 1), the padding to -k.
 */
export function logitsFromMask(mask: BinaryMask, g: SamGeometry, k: number): Float32Array {
  const n = SAM_LOW_RES;
  const out = new Float32Array(n * n);
  const fg = new Float32Array(n * n);
  const all = new Float32Array(n * n);
  // Original pixel -> low-res cell: x * (width / origWidth) / 4.
  const ax = g.width / g.origWidth / 4;
  const ay = g.height / g.origHeight / 4;
  const cellX = new Int32Array(mask.width);
  for (let x = 0; x < mask.width; x++) cellX[x] = Math.min(n - 1, Math.floor((x + 0.5) * ax));
  for (let y = 0; y < mask.height; y++) {
    const cy = Math.min(n - 1, Math.floor((y + 0.5) * ay));
    const row = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      const c = cy * n + cellX[x]!;
      all[c]!++;
      if (mask.data[row + x]) fg[c]!++;
    }
  }
  // Cells of the image that no pixel centre falls in (images smaller than 256 cells) take the pixel under their centre.
  const cw = Math.min(n, Math.ceil(g.width / 4));
  const ch = Math.min(n, Math.ceil(g.height / 4));
  for (let cy = 0; cy < n; cy++)
    for (let cx = 0; cx < n; cx++) {
      const i = cy * n + cx;
      if (all[i]! > 0) out[i] = k * ((2 * fg[i]!) / all[i]! - 1);
      else if (cx < cw && cy < ch) {
        const x = Math.min(mask.width - 1, Math.floor((cx + 0.5) / ax));
        const y = Math.min(mask.height - 1, Math.floor((cy + 0.5) / ay));
        out[i] = mask.data[y * mask.width + x] ? k : -k;
      } else out[i] = -k;
    }
  return out;
}
