/**
 * Binary masks and their COCO-compatible run-length encoding (RLE).
 *
 * Masks are kept row-major (index y * width + x), the natural order for canvases and model
 * outputs. RLEs follow COCO (pycocotools' maskApi.c) exactly, so they can be written to and read
 * from COCO annotation files unchanged: runs are taken over the COLUMN-MAJOR (Fortran order)
 * flattening, i.e. down each column then on to the next column, alternate background/foreground
 * and always start with a background run (which may be 0). `size` is [height, width].
 *
 * The compressed string form is pycocotools' `rleToString` / `rleFrString`. Area, bounding box,
 * IoU and union/intersection are computed from the runs without decoding.
 */

/** A binary mask: `data[y * width + x]` is 0 (background) or 1 (foreground); any non-zero reads as 1. */
export interface BinaryMask {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Uncompressed COCO RLE: `size` is [height, width]; `counts` are column-major runs, background first. */
export interface Rle {
  readonly size: readonly [number, number];
  readonly counts: readonly number[];
}

/** COCO RLE with `counts` in pycocotools' compressed string form. */
export interface CompressedRle {
  readonly size: readonly [number, number];
  readonly counts: string;
}

/** COCO bounding box in pixels: [x, y, width, height]. */
export type BBox = [x: number, y: number, w: number, h: number];

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`Invalid mask size ${width}x${height}`);
  }
}

/** A width x height mask whose pixel (x, y) is set when `inside(x, y)` holds. */
export function maskFromPredicate(width: number, height: number, inside: (x: number, y: number) => boolean): BinaryMask {
  checkSize(width, height);
  const data = new Uint8Array(width * height);
  let i = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      if (inside(x, y)) data[i] = 1;
    }
  }
  return { width, height, data };
}

/** Number of foreground (non-zero) pixels. */
export function maskArea(mask: BinaryMask): number {
  const { data } = mask;
  const n = mask.width * mask.height;
  let area = 0;
  for (let i = 0; i < n; i++) if (data[i] !== 0) area++;
  return area;
}

/** Encodes a mask as COCO RLE (column-major runs, starting with a possibly empty background run). */
export function encodeRle(mask: BinaryMask): Rle {
  const { width, height, data } = mask;
  checkSize(width, height);
  if (data.length < width * height) throw new RangeError(`Mask data has ${data.length} values, needs ${width * height}`);
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, y = 0; y < height; y++, i += width) {
      const v = data[i] !== 0 ? 1 : 0;
      if (v !== value) {
        counts.push(run);
        run = 0;
        value = v;
      }
      run++;
    }
  }
  counts.push(run);
  return { size: [height, width], counts };
}

/** True when `rle` has a valid size and non-negative integer counts that add up to height * width. */
export function isValidRle(rle: Rle): boolean {
  const [height, width] = rle.size;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) return false;
  let total = 0;
  for (const c of rle.counts) {
    if (!Number.isInteger(c) || c < 0) return false;
    total += c;
  }
  return total === width * height;
}

function assertValid(rle: Rle): void {
  if (!isValidRle(rle)) {
    throw new RangeError(`Invalid RLE: size [${rle.size.join(', ')}] with ${rle.counts.length} counts that do not cover it exactly`);
  }
}

/** Decodes a COCO RLE into a row-major mask. Throws a RangeError when the counts do not cover the size exactly. */
export function decodeRle(rle: Rle): BinaryMask {
  assertValid(rle);
  const [height, width] = rle.size;
  const data = new Uint8Array(width * height);
  const { counts } = rle;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j]!;
    if (j & 1 && c > 0) {
      let x = Math.floor(pos / height);
      let y = pos - x * height;
      let i = y * width + x;
      for (let k = 0; k < c; k++) {
        data[i] = 1;
        if (++y === height) {
          y = 0;
          x++;
          i = x;
        } else {
          i += width;
        }
      }
    }
    pos += c;
  }
  return { width, height, data };
}

/** Foreground area: the sum of the foreground (odd-index) runs. */
export function rleArea(rle: Rle): number {
  const { counts } = rle;
  let area = 0;
  for (let j = 1; j < counts.length; j += 2) area += counts[j]!;
  return area;
}

/** COCO bounding box [x, y, w, h] of the foreground, from the runs; null when the mask is empty. */
export function rleBBox(rle: Rle): BBox | null {
  const [height] = rle.size;
  const { counts } = rle;
  let xMin = Infinity;
  let xMax = -1;
  let yMin = Infinity;
  let yMax = -1;
  let pos = 0;
  for (let j = 0; j < counts.length; j++) {
    const c = counts[j]!;
    if (j & 1 && c > 0) {
      const first = pos;
      const last = pos + c - 1;
      const x0 = Math.floor(first / height);
      const x1 = Math.floor(last / height);
      if (x0 < xMin) xMin = x0;
      if (x1 > xMax) xMax = x1;
      if (x0 !== x1) {
        // The run wraps from the bottom of one column to the top of the next: every row is covered.
        yMin = 0;
        yMax = height - 1;
      } else {
        const y0 = first - x0 * height;
        const y1 = last - x1 * height;
        if (y0 < yMin) yMin = y0;
        if (y1 > yMax) yMax = y1;
      }
    }
    pos += c;
  }
  if (xMax < 0) return null;
  return [xMin, yMin, xMax - xMin + 1, yMax - yMin + 1];
}

function assertSameSize(a: Rle, b: Rle): void {
  assertValid(a);
  assertValid(b);
  if (a.size[0] !== b.size[0] || a.size[1] !== b.size[1]) {
    throw new RangeError(`RLE sizes differ: [${a.size.join(', ')}] vs [${b.size.join(', ')}]`);
  }
}

/**
 * Walks the runs of `a` and `b` together, calling `segment(length, inA, inB)` for each stretch
 * over which neither changes. Both must cover the same number of pixels.
 */
function sweep(a: readonly number[], b: readonly number[], segment: (length: number, inA: boolean, inB: boolean) => void): void {
  let ia = 0;
  let ib = 0;
  let ra = a[0] ?? 0;
  let rb = b[0] ?? 0;
  while (ia < a.length && ib < b.length) {
    const step = ra < rb ? ra : rb;
    if (step > 0) segment(step, (ia & 1) === 1, (ib & 1) === 1);
    ra -= step;
    rb -= step;
    if (ra === 0) ra = a[++ia] ?? 0;
    if (rb === 0) rb = b[++ib] ?? 0;
  }
}

/** Intersection and union areas of two same-size RLEs, from the runs. Throws a RangeError for invalid or differing RLEs. */
export function rleIntersectionUnion(a: Rle, b: Rle): { intersection: number; union: number } {
  assertSameSize(a, b);
  let intersection = 0;
  let union = 0;
  sweep(a.counts, b.counts, (length, inA, inB) => {
    if (inA || inB) {
      union += length;
      if (inA && inB) intersection += length;
    }
  });
  return { intersection, union };
}

/**
 * Intersection over union of two same-size RLEs, from the runs. As in pycocotools, it is 0 when
 * the masks do not overlap, including when both are empty.
 */
export function rleIou(a: Rle, b: Rle): number {
  const { intersection, union } = rleIntersectionUnion(a, b);
  return intersection === 0 ? 0 : intersection / union;
}

function mergeTwo(a: Rle, b: Rle, intersect: boolean): Rle {
  assertSameSize(a, b);
  const counts: number[] = [];
  let value = false;
  let run = 0;
  sweep(a.counts, b.counts, (length, inA, inB) => {
    const v = intersect ? inA && inB : inA || inB;
    if (v !== value) {
      counts.push(run);
      run = 0;
      value = v;
    }
    run += length;
  });
  counts.push(run);
  return { size: [a.size[0], a.size[1]], counts };
}

/** Removes empty runs after the first, joining their neighbours (the form `encodeRle` produces). */
export function normalizeRle(rle: Rle): Rle {
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  const src = rle.counts;
  for (let j = 0; j < src.length; j++) {
    const c = src[j]!;
    if (c === 0) continue;
    const v = j & 1;
    if (v !== value) {
      counts.push(run);
      run = 0;
      value = v;
    }
    run += c;
  }
  counts.push(run);
  return { size: [rle.size[0], rle.size[1]], counts };
}

/**
 * Union (or, with `intersect`, intersection) of same-size RLEs, from the runs, in normalized form.
 * Throws a RangeError for an empty list or differing sizes.
 */
export function rleMerge(rles: readonly Rle[], intersect = false): Rle {
  const first = rles[0];
  if (first === undefined) throw new RangeError('rleMerge needs at least one RLE');
  let result = normalizeRle(first);
  for (let i = 1; i < rles.length; i++) result = mergeTwo(result, rles[i]!, intersect);
  return result;
}

/**
 * pycocotools' `rleToString`: each count (for i > 2, its difference from counts[i - 2]) is written
 * as little-endian groups of 5 bits, one character per group, value + 48; bit 0x20 marks "more
 * groups follow" and bit 0x10 of the last group is the sign. Counts must be non-negative
 * integers (a RangeError otherwise). Arithmetic (not 32-bit bitwise)
 * operations keep counts beyond 2^31 exact.
 */
export function rleToString(counts: readonly number[]): string {
  const chars: number[] = [];
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i]!;
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`RLE count ${i} is ${x}, not a non-negative integer`);
    if (i > 2) x -= counts[i - 2]!;
    let more = true;
    while (more) {
      let c = x - Math.floor(x / 32) * 32; // x & 0x1f, for any sign
      x = Math.floor(x / 32); // x >>= 5 (arithmetic)
      more = c & 0x10 ? x !== -1 : x !== 0;
      if (more) c |= 0x20;
      chars.push(c + 48);
    }
  }
  let s = '';
  // Chunked to stay clear of argument-count limits on long strings.
  for (let i = 0; i < chars.length; i += 4096) s += String.fromCharCode(...chars.slice(i, i + 4096));
  return s;
}

/** pycocotools' `rleFrString`, the inverse of `rleToString`. Throws a SyntaxError on a malformed string. */
export function rleFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let scale = 1;
    let more = true;
    while (more) {
      if (p >= s.length) throw new SyntaxError('COCO RLE string ends inside a count');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new SyntaxError(`Invalid character ${JSON.stringify(s[p])} in COCO RLE string at ${p}`);
      x += (c & 0x1f) * scale;
      scale *= 32;
      more = (c & 0x20) !== 0;
      p++;
      if (!more && c & 0x10) x -= scale; // sign-extend
    }
    const m = counts.length;
    if (m > 2) x += counts[m - 2]!;
    if (x < 0) throw new SyntaxError(`COCO RLE string decodes to a negative count at ${m}`);
    counts.push(x);
  }
  return counts;
}

/** The RLE with its counts in COCO's compressed string form. */
export function compressRle(rle: Rle): CompressedRle {
  return { size: [rle.size[0], rle.size[1]], counts: rleToString(rle.counts) };
}

/** The RLE with its compressed counts expanded. */
export function decompressRle(rle: CompressedRle): Rle {
  return { size: [rle.size[0], rle.size[1]], counts: rleFromString(rle.counts) };
}
