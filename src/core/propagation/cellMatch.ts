/**
 * Which embedding cells of a frame look like the object rather than like its surroundings: every
 * cell is compared with a few prototype cells of the object (cells its mask covered on the anchor
 * and on a recent confident frame) and of the background (the anchor frame's uncovered cells,
 * those near the object first), and called object when its best object match beats its best
 * background match (nearest-neighbour matching of SAM features, the idea of memory-based video
 * segmentation at the embedding's 16-pixel resolution). A decoder mask is then scored by how well it
 * agrees with that map near it: a mask spilling onto the background or missing part of the object
 * scores lower, which a mask-pooled mean feature hardly shows. Pure: typed arrays in and out.
 */
import { EMBEDDING_CHANNELS as K, type CellGrid } from './appearance';

/** Unit-length prototype features, cell-major (i·256). */
export interface Prototypes {
  readonly object: Float32Array;
  readonly background: Float32Array;
}

export interface PrototypeOptions {
  /** At most this many object cells (strided over the covered cells). */
  readonly maxObject: number;
  /** At most this many background cells: half from the ring near the object, half from the rest. */
  readonly maxBackground: number;
  /** Cells within this many cells of the object are the near background. */
  readonly ring: number;
}

/** Up to `max` of the indices, evenly strided. */
function strided(indices: readonly number[], max: number): number[] {
  if (indices.length <= max) return [...indices];
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(indices[Math.floor((k * indices.length) / max)]!);
  return out;
}

function gather(cells: Float32Array, indices: readonly number[]): Float32Array {
  const out = new Float32Array(indices.length * K);
  indices.forEach((c, k) => out.set(cells.subarray(c * K, c * K + K), k * K));
  return out;
}

/** Prototypes from a frame's cell features and a mask's coverage of its cells (appearance.maskCoverage). */
export function prototypesOf(cells: Float32Array, coverage: Float32Array, grid: CellGrid, o: PrototypeOptions): Prototypes {
  const { cols, rows } = grid;
  const object: number[] = [];
  const near: number[] = [];
  const far: number[] = [];
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const i = y * cols + x;
      if (coverage[i]! >= 0.5) object.push(i);
      else if (coverage[i]! > 0) continue; // a boundary cell is neither
      else {
        let close = false;
        for (let yy = Math.max(0, y - o.ring); yy <= Math.min(rows - 1, y + o.ring) && !close; yy++)
          for (let xx = Math.max(0, x - o.ring); xx <= Math.min(cols - 1, x + o.ring); xx++)
            if (coverage[yy * cols + xx]! > 0) {
              close = true;
              break;
            }
        (close ? near : far).push(i);
      }
    }
  const nearCount = Math.min(near.length, Math.ceil(o.maxBackground / 2));
  return { object: gather(cells, strided(object, o.maxObject)), background: gather(cells, [...strided(near, nearCount), ...strided(far, o.maxBackground - nearCount)]) };
}

/** The prototypes of several frames together (the anchor's and a recent frame's). */
export function mergePrototypes(list: readonly Prototypes[]): Prototypes {
  const cat = (parts: Float32Array[]): Float32Array => {
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };
  return { object: cat(list.map((p) => p.object)), background: cat(list.map((p) => p.background)) };
}

/** The cell's dot product with one prototype (summed in channel order, 8 at a time). */
function dot(cells: Float32Array, base: number, protos: Float32Array, p: number): number {
  let s = 0;
  for (let c = 0; c < K; c += 8) {
    s += cells[base + c]! * protos[p + c]!;
    s += cells[base + c + 1]! * protos[p + c + 1]!;
    s += cells[base + c + 2]! * protos[p + c + 2]!;
    s += cells[base + c + 3]! * protos[p + c + 3]!;
    s += cells[base + c + 4]! * protos[p + c + 4]!;
    s += cells[base + c + 5]! * protos[p + c + 5]!;
    s += cells[base + c + 6]! * protos[p + c + 6]!;
    s += cells[base + c + 7]! * protos[p + c + 7]!;
  }
  return s;
}

/** The cell's best similarity to the prototypes. */
function bestMatch(cells: Float32Array, cell: number, protos: Float32Array): number {
  let best = -1;
  const base = cell * K;
  for (let p = 0; p < protos.length; p += K) best = Math.max(best, dot(cells, base, protos, p));
  return best;
}

/** Whether some prototype is at least as similar to the cell as `level` (stops at the first). */
function anyAtLeast(cells: Float32Array, cell: number, protos: Float32Array, level: number): boolean {
  const base = cell * K;
  for (let p = 0; p < protos.length; p += K) if (dot(cells, base, protos, p) >= level) return true;
  return false;
}

/** Cell index range [x0, x1) × [y0, y1) of the grid. */
export interface CellRegion {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/**
 * For each cell of the region (row-major within it), 1 when it looks like the object (its best
 * object prototype is more similar than its best background prototype), else 0. No object
 * prototypes: nothing looks like the object.
 */
export function objectCells(cells: Float32Array, protos: Prototypes, grid: CellGrid, region: CellRegion): Uint8Array {
  const w = region.x1 - region.x0;
  const out = new Uint8Array(Math.max(0, w * (region.y1 - region.y0)));
  if (protos.object.length === 0) return out;
  for (let y = region.y0; y < region.y1; y++)
    for (let x = region.x0; x < region.x1; x++) {
      const i = y * grid.cols + x;
      // Object when its best object match beats every background prototype: the first background
      // prototype as close settles it (most cells of a region are background: this is most of the speed).
      const obj = bestMatch(cells, i, protos.object);
      out[(y - region.y0) * w + (x - region.x0)] = obj > -1 && !anyAtLeast(cells, i, protos.background, obj) ? 1 : 0;
    }
  return out;
}

/**
 * How well a mask agrees with the object map: the IoU of its cell coverage (a fraction per cell)
 * with the region's cells that look like the object; coverage outside the region counts as not the
 * object. 0 when neither has anything.
 */
export function agreement(coverage: Float32Array, objectMap: Uint8Array, grid: CellGrid, region: CellRegion): number {
  const w = region.x1 - region.x0;
  let inter = 0;
  let union = 0;
  for (let y = 0; y < grid.rows; y++)
    for (let x = 0; x < grid.cols; x++) {
      const c = coverage[y * grid.cols + x]!;
      const p = x >= region.x0 && x < region.x1 && y >= region.y0 && y < region.y1 ? objectMap[(y - region.y0) * w + (x - region.x0)]! : 0;
      inter += Math.min(c, p);
      union += Math.max(c, p);
    }
  return union === 0 ? 0 : inter / union;
}

/**
 * The pixel box of the object-like cells of the region that are connected to a seed cell (a cell
 * the seed coverage covers by at least half and that looks like the object); null when no seed
 * cell looks like the object. Connected: 4-neighbours, or with `gap` > 0 any cell within gap + 1
 * cells (across a thin occluder, a pole or a branch, that splits the object).
 */
export function objectBox(objectMap: Uint8Array, seed: Float32Array, grid: CellGrid, region: CellRegion, gap = 0): { x0: number; y0: number; x1: number; y1: number } | null {
  const w = region.x1 - region.x0;
  const h = region.y1 - region.y0;
  const seen = new Uint8Array(w * h);
  const queue: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      if (objectMap[k] && seed[(y + region.y0) * grid.cols + x + region.x0]! >= 0.5) {
        seen[k] = 1;
        queue.push(k);
      }
    }
  if (queue.length === 0) return null;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let q = 0; q < queue.length; q++) {
    const k = queue[q]!;
    const x = k % w;
    const y = (k - x) / w;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
    const r = gap + 1;
    for (let ny = Math.max(0, y - r); ny <= Math.min(h - 1, y + r); ny++)
      for (let nx = Math.max(0, x - r); nx <= Math.min(w - 1, x + r); nx++) {
        if (gap === 0 && Math.abs(nx - x) + Math.abs(ny - y) !== 1) continue;
        const j = ny * w + nx;
        if (seen[j] || !objectMap[j]) continue;
        seen[j] = 1;
        queue.push(j);
      }
  }
  return { x0: (x0 + region.x0) * grid.cellWidth, y0: (y0 + region.y0) * grid.cellHeight, x1: (x1 + 1 + region.x0) * grid.cellWidth, y1: (y1 + 1 + region.y0) * grid.cellHeight };
}

/** The cells under a pixel box, grown by `pad` cells on each side, clipped to the grid. */
export function regionOf(box: { x0: number; y0: number; x1: number; y1: number }, grid: CellGrid, pad: number): CellRegion {
  return {
    x0: Math.max(0, Math.floor(box.x0 / grid.cellWidth) - pad),
    y0: Math.max(0, Math.floor(box.y0 / grid.cellHeight) - pad),
    x1: Math.min(grid.cols, Math.ceil(box.x1 / grid.cellWidth) + pad),
    y1: Math.min(grid.rows, Math.ceil(box.y1 / grid.cellHeight) + pad),
  };
}
