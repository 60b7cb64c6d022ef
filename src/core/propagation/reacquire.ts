/**
 * Finding a lost object again: the region of a frame whose embedding cells look most like the
 * object's appearance memory (appearance.ts) becomes a decoder prompt (a box around the region and
 * a positive point on its best cell), and the decoder's mask there is accepted only when it, too,
 * looks like the object. Pure decisions on similarity maps; the tracker runs the decoder calls.
 */
import type { BoxPrompt, PointPrompt, SamPrompt } from '../segmentation/samDecoderIo';
import type { CellGrid } from './appearance';

export interface Candidate {
  /** The best-matching cell's centre, in original pixels. */
  readonly peak: { readonly x: number; readonly y: number };
  /** The matching region's cells' extent, in original pixels. */
  readonly box: BoxPrompt;
  /** The best cell's similarity. */
  readonly score: number;
  readonly cells: number;
}

export interface SearchOptions {
  /** No candidate when the best cell's similarity is below this. */
  readonly minPeak: number;
  /** The region is the cells connected to the best one whose similarity is within this of it. */
  readonly regionDrop: number;
}

/**
 * The best-matching region of a similarity map (image cells, row-major): the best cell and the
 * 4-connected cells around it within `regionDrop` of its similarity. Null when nothing matches well
 * enough (the object is not in the frame).
 */
export function findCandidate(map: Float32Array, grid: CellGrid, o: SearchOptions): Candidate | null {
  const { cols, rows } = grid;
  if (map.length !== cols * rows) throw new RangeError(`The map has ${map.length} cells, the grid ${cols * rows}`);
  let best = -1;
  for (let i = 0; i < map.length; i++) if (best < 0 || map[i]! > map[best]!) best = i;
  if (best < 0 || !(map[best]! >= o.minPeak)) return null;
  const level = map[best]! - o.regionDrop;
  const seen = new Uint8Array(map.length);
  const queue = [best];
  seen[best] = 1;
  let x0 = cols;
  let y0 = rows;
  let x1 = -1;
  let y1 = -1;
  for (let q = 0; q < queue.length; q++) {
    const i = queue[q]!;
    const x = i % cols;
    const y = (i - x) / cols;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
    for (const [nx, ny] of [
      [x - 1, y],
      [x + 1, y],
      [x, y - 1],
      [x, y + 1],
    ] as const) {
      if (nx < 0 || ny < 0 || nx >= cols || ny >= rows) continue;
      const j = ny * cols + nx;
      if (seen[j] || map[j]! < level) continue;
      seen[j] = 1;
      queue.push(j);
    }
  }
  const bx = best % cols;
  const by = (best - bx) / cols;
  const { cellWidth: cw, cellHeight: ch } = grid;
  return {
    peak: { x: (bx + 0.5) * cw, y: (by + 0.5) * ch },
    box: { x0: x0 * cw, y0: y0 * ch, x1: (x1 + 1) * cw, y1: (y1 + 1) * ch },
    score: map[best]!,
    cells: queue.length,
  };
}

/** The decoder prompt on a candidate: its box (clipped to the image) and its best cell as a positive point. */
export function candidatePrompt(c: Candidate, width: number, height: number): SamPrompt {
  const box: BoxPrompt = { x0: Math.max(0, c.box.x0), y0: Math.max(0, c.box.y0), x1: Math.min(width, c.box.x1), y1: Math.min(height, c.box.y1) };
  const point: PointPrompt = { x: Math.min(width - 0.5, c.peak.x), y: Math.min(height - 0.5, c.peak.y), positive: true };
  return { points: [point], box, maskInput: null };
}

export interface ReacquireInput {
  /** The decoder mask's pooled feature against the memory (memorySimilarity); null for an empty mask. */
  readonly similarity: number | null;
  readonly area: number;
  /** The object's area when it was last followed with confidence. */
  readonly referenceArea: number;
}

export interface ReacquireOptions {
  /** Accept a re-found mask only when its feature is at least this similar to the memory. */
  readonly acceptSimilarity: number;
  /** And when its area is within this factor of the reference area (either way). */
  readonly maxAreaChange: number;
}

export type ReacquireVerdict = 'found' | 'rejected';

/** Whether the decoder's mask on a candidate is the object again. */
export function judgeReacquired(input: ReacquireInput, o: ReacquireOptions): ReacquireVerdict {
  if (input.similarity === null || input.area === 0) return 'rejected';
  if (input.similarity < o.acceptSimilarity) return 'rejected';
  if (input.referenceArea > 0) {
    const ratio = input.area / input.referenceArea;
    if (ratio > o.maxAreaChange || ratio < 1 / o.maxAreaChange) return 'rejected';
  }
  return 'found';
}
