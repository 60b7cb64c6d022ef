/**
 * The object's appearance in the SAM image embedding the encoder computes for every frame anyway
 * (256 channels on a 64×64 grid over the padded 1024 frame, one cell = 16 frame pixels): a
 * mask-pooled feature (the mean of the unit-length cell features under the mask, made unit
 * length), a small memory of such features (the anchor's and the last few confident frames'),
 * and the cosine similarity of every cell of a frame to that memory, where a lost object is
 * searched for. Pure: typed arrays in and out.
 */
import type { BinaryMask } from '../mask/rle';
import type { SamGeometry } from '../segmentation/samGeometry';

export const EMBEDDING_CHANNELS = 256;
export const EMBEDDING_SIDE = 64;
/** Frame pixels (of the 1024 frame) per embedding cell. */
const CELL = 1024 / EMBEDDING_SIDE;

/** The cells of the 64×64 grid that hold the image (the rest is the frame's padding). */
export interface CellGrid {
  readonly cols: number;
  readonly rows: number;
  /** Original image pixels per cell, along x and y. */
  readonly cellWidth: number;
  readonly cellHeight: number;
}

export function cellGrid(g: SamGeometry): CellGrid {
  return {
    cols: Math.min(EMBEDDING_SIDE, Math.ceil(g.width / CELL)),
    rows: Math.min(EMBEDDING_SIDE, Math.ceil(g.height / CELL)),
    cellWidth: (CELL * g.origWidth) / g.width,
    cellHeight: (CELL * g.origHeight) / g.height,
  };
}

/** The fraction of each image cell (cols × rows, row-major) covered by the mask, by pixel centres. */
export function maskCoverage(mask: BinaryMask, grid: CellGrid): Float32Array {
  const { cols, rows } = grid;
  const fg = new Float32Array(cols * rows);
  const all = new Float32Array(cols * rows);
  const cellX = new Int32Array(mask.width);
  for (let x = 0; x < mask.width; x++) cellX[x] = Math.min(cols - 1, Math.floor((x + 0.5) / grid.cellWidth));
  for (let y = 0; y < mask.height; y++) {
    const row = Math.min(rows - 1, Math.floor((y + 0.5) / grid.cellHeight)) * cols;
    const m = y * mask.width;
    for (let x = 0; x < mask.width; x++) {
      const c = row + cellX[x]!;
      all[c]!++;
      if (mask.data[m + x]) fg[c]!++;
    }
  }
  for (let i = 0; i < fg.length; i++) fg[i] = all[i]! > 0 ? fg[i]! / all[i]! : 0;
  return fg;
}

/**
 * The image cells' features, cell-major (cell i's 256 values at i·256), each of unit length (an
 * all-zero cell stays zero): the dot product of two of them is their cosine similarity.
 */
export function cellFeatures(embedding: Float32Array, grid: CellGrid): Float32Array {
  const plane = EMBEDDING_SIDE * EMBEDDING_SIDE;
  if (embedding.length !== EMBEDDING_CHANNELS * plane) throw new RangeError(`An embedding has ${EMBEDDING_CHANNELS * plane} values, got ${embedding.length}`);
  const { cols, rows } = grid;
  const n = cols * rows;
  const out = new Float32Array(n * EMBEDDING_CHANNELS);
  const norms = new Float32Array(n);
  for (let c = 0; c < EMBEDDING_CHANNELS; c++) {
    const base = c * plane;
    for (let y = 0; y < rows; y++) {
      const src = base + y * EMBEDDING_SIDE;
      for (let x = 0; x < cols; x++) {
        const v = embedding[src + x]!;
        const i = y * cols + x;
        out[i * EMBEDDING_CHANNELS + c] = v;
        norms[i]! += v * v;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const norm = Math.sqrt(norms[i]!);
    if (norm === 0) continue;
    const inv = 1 / norm;
    for (let c = i * EMBEDDING_CHANNELS, e = c + EMBEDDING_CHANNELS; c < e; c++) out[c]! *= inv;
  }
  return out;
}

/** The weighted mean of the cells' features, of unit length; null when the weights sum to (almost) nothing. */
export function poolFeature(cells: Float32Array, weights: Float32Array): Float32Array | null {
  const k = EMBEDDING_CHANNELS;
  if (cells.length !== weights.length * k) throw new RangeError('One weight per cell');
  const sum = new Float32Array(k);
  let total = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    total += w;
    for (let c = 0, j = i * k; c < k; c++, j++) sum[c]! += w * cells[j]!;
  }
  if (total < 1e-6) return null;
  return unit(sum);
}

function unit(v: Float32Array): Float32Array | null {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s === 0) return null;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
  return v;
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Cells that count as the object's surroundings: coverage 0 within `ring` cells of a covered cell. */
export function ringWeights(coverage: Float32Array, grid: CellGrid, ring: number): Float32Array {
  const { cols, rows } = grid;
  const out = new Float32Array(cols * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      if (coverage[y * cols + x]! <= 0) continue;
      for (let yy = Math.max(0, y - ring); yy <= Math.min(rows - 1, y + ring); yy++)
        for (let xx = Math.max(0, x - ring); xx <= Math.min(cols - 1, x + ring); xx++) if (coverage[yy * cols + xx] === 0) out[yy * cols + xx] = 1;
    }
  return out;
}

/**
 * The object's features: the anchor's (kept for good) and the last `capacity` confident frames';
 * plus what was around it on the anchor frame (`background`: the ring of cells next to it and the
 * rest of the frame), to tell the object from look-alike surroundings.
 */
export interface AppearanceMemory {
  readonly anchor: Float32Array;
  readonly recent: readonly Float32Array[];
  readonly capacity: number;
  readonly background: readonly Float32Array[];
}

export function createMemory(anchor: Float32Array, capacity: number, background: readonly Float32Array[] = []): AppearanceMemory {
  return { anchor, recent: [], capacity, background };
}

/** The background features of a frame around a mask: its ring of `ring` cells, and every uncovered cell. */
export function backgroundFeatures(cells: Float32Array, coverage: Float32Array, grid: CellGrid, ring: number): Float32Array[] {
  const out: Float32Array[] = [];
  const near = poolFeature(cells, ringWeights(coverage, grid, ring));
  if (near) out.push(near);
  const far = poolFeature(
    cells,
    coverage.map((c) => (c === 0 ? 1 : 0)),
  );
  if (far) out.push(far);
  return out;
}

/** The memory with a confident frame's feature added, the oldest recent one dropped beyond capacity. */
export function remember(memory: AppearanceMemory, feature: Float32Array): AppearanceMemory {
  if (memory.capacity <= 0) return memory;
  const recent = [...memory.recent, feature];
  return { ...memory, recent: recent.length > memory.capacity ? recent.slice(recent.length - memory.capacity) : recent };
}

/** How much a feature looks like the object: its best cosine similarity to any object feature in memory. */
export function memorySimilarity(memory: AppearanceMemory, feature: Float32Array): number {
  let best = cosine(memory.anchor, feature);
  for (const f of memory.recent) best = Math.max(best, cosine(f, feature));
  return best;
}

/**
 * How much more a feature looks like the object than like the anchor frame's background: its
 * memory similarity minus its best similarity to a background feature (the similarity itself when
 * there is no background). Cosines of SAM features are all high; the difference separates.
 */
export function contrast(memory: AppearanceMemory, feature: Float32Array): number {
  let bg = -Infinity;
  for (const b of memory.background) bg = Math.max(bg, cosine(b, feature));
  const s = memorySimilarity(memory, feature);
  return bg === -Infinity ? s : s - bg;
}

/** Per image cell, its best cosine similarity to the memory's object features (minus the best background one with `contrasted`). */
export function similarityMap(cells: Float32Array, memory: AppearanceMemory, contrasted = false): Float32Array {
  const k = EMBEDDING_CHANNELS;
  const n = cells.length / k;
  const best = (protos: readonly Float32Array[]): Float32Array => {
    const out = new Float32Array(n).fill(-1);
    for (const p of protos)
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0, j = i * k; c < k; c++, j++) s += cells[j]! * p[c]!;
        if (s > out[i]!) out[i] = s;
      }
    return out;
  };
  const fg = best([memory.anchor, ...memory.recent]);
  if (!contrasted || memory.background.length === 0) return fg;
  const bg = best(memory.background);
  for (let i = 0; i < n; i++) fg[i]! -= bg[i]!;
  return fg;
}
