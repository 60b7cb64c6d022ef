import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compressRle,
  decodeRle,
  decompressRle,
  encodeRle,
  isValidRle,
  maskArea,
  maskFromPredicate,
  normalizeRle,
  rleArea,
  rleBBox,
  rleFromString,
  rleIntersectionUnion,
  rleIou,
  rleMerge,
  rleToString,
  type BinaryMask,
  type Rle,
} from './rle';

const size = fc.record({ width: fc.integer({ min: 1, max: 40 }), height: fc.integer({ min: 1, max: 40 }) });

/** Masks of a given size: empty, full, random pixels at a random density, or a union of rectangles. */
function maskOf(width: number, height: number): fc.Arbitrary<BinaryMask> {
  const n = width * height;
  const rect = fc.record({
    x: fc.integer({ min: 0, max: width - 1 }),
    y: fc.integer({ min: 0, max: height - 1 }),
    w: fc.integer({ min: 1, max: width }),
    h: fc.integer({ min: 1, max: height }),
  });
  return fc.oneof(
    fc.constant(maskFromPredicate(width, height, () => false)),
    fc.constant(maskFromPredicate(width, height, () => true)),
    fc
      .tuple(fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 0, max: 99 }), { minLength: n, maxLength: n }))
      .map(([density, cells]) => ({ width, height, data: Uint8Array.from(cells, (c) => (c < density ? 1 : 0)) })),
    fc
      .array(rect, { maxLength: 4 })
      .map((rects) => maskFromPredicate(width, height, (x, y) => rects.some((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h))),
  );
}

const anyMask = size.chain(({ width, height }) => maskOf(width, height));
const maskPair = size.chain(({ width, height }) => fc.tuple(maskOf(width, height), maskOf(width, height)));
const maskList = size.chain(({ width, height }) => fc.array(maskOf(width, height), { minLength: 1, maxLength: 4 }));

function pixelBBox(mask: BinaryMask): [number, number, number, number] | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.data[y * mask.width + x]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x1 < 0 ? null : [x0, y0, x1 - x0 + 1, y1 - y0 + 1];
}

function combine(masks: readonly BinaryMask[], op: (a: boolean, b: boolean) => boolean): BinaryMask {
  const first = masks[0]!;
  const data = Uint8Array.from(first.data, (v) => (v ? 1 : 0));
  for (const m of masks.slice(1)) for (let i = 0; i < data.length; i++) data[i] = op(data[i] === 1, m.data[i] === 1) ? 1 : 0;
  return { width: first.width, height: first.height, data };
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function binary(mask: BinaryMask): number[] {
  return Array.from(mask.data, (v) => (v ? 1 : 0));
}

describe('encodeRle / decodeRle', () => {
  it('runs down the columns (column-major) and starts with background', () => {
    // 3 wide, 2 high:   row 0: 0 1 1      column-major: col 0 = 0,1  col 1 = 1,1  col 2 = 1,0
    //                   row 1: 1 1 0      -> 0 | 1 1 1 1 | 0 -> counts [1, 4, 1]
    const mask: BinaryMask = { width: 3, height: 2, data: Uint8Array.from([0, 1, 1, 1, 1, 0]) };
    expect(encodeRle(mask)).toEqual({ size: [2, 3], counts: [1, 4, 1] });
    expect(encodeRle(maskFromPredicate(2, 2, () => true))).toEqual({ size: [2, 2], counts: [0, 4] });
    expect(encodeRle(maskFromPredicate(2, 2, () => false))).toEqual({ size: [2, 2], counts: [4] });
    // A single pixel at (x=2, y=1) of a 4x3 mask is column-major index 2 * 3 + 1 = 7.
    expect(encodeRle(maskFromPredicate(4, 3, (x, y) => x === 2 && y === 1)).counts).toEqual([7, 1, 4]);
  });

  it('treats any non-zero value as foreground', () => {
    const mask: BinaryMask = { width: 2, height: 2, data: Uint8Array.from([0, 255, 7, 1]) };
    expect(encodeRle(mask).counts).toEqual([1, 3]);
    expect(Array.from(decodeRle(encodeRle(mask)).data)).toEqual([0, 1, 1, 1]);
    expect(maskArea(mask)).toBe(3);
  });

  it('handles an empty (0-pixel) mask as pycocotools does', () => {
    const rle = encodeRle({ width: 0, height: 5, data: new Uint8Array(0) });
    expect(rle).toEqual({ size: [5, 0], counts: [0] });
    expect(decodeRle(rle)).toEqual({ width: 0, height: 5, data: new Uint8Array(0) });
  });

  it('round-trips any mask exactly, with canonical counts', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const rle = encodeRle(mask);
        expect(rle.size).toEqual([mask.height, mask.width]);
        expect(isValidRle(rle)).toBe(true);
        rle.counts.forEach((c, i) => expect(c).toBeGreaterThanOrEqual(i === 0 ? 0 : 1));
        expect(normalizeRle(rle)).toEqual(rle);
        const back = decodeRle(rle);
        expect(back.width).toBe(mask.width);
        expect(back.height).toBe(mask.height);
        expect(Array.from(back.data)).toEqual(binary(mask));
      }),
    );
  });

  it('decodes non-canonical counts (empty runs inside) to the same mask', () => {
    // [1, 0, 2, 3] is 1 background, 0 foreground, 2 background, 3 foreground = [3, 3].
    const a: Rle = { size: [2, 3], counts: [1, 0, 2, 3] };
    expect(decodeRle(a)).toEqual(decodeRle({ size: [2, 3], counts: [3, 3] }));
    expect(normalizeRle(a).counts).toEqual([3, 3]);
  });

  it('rejects counts that do not cover the size exactly', () => {
    expect(isValidRle({ size: [2, 2], counts: [1, 2] })).toBe(false);
    expect(isValidRle({ size: [2, 2], counts: [1, 2, 2] })).toBe(false);
    expect(isValidRle({ size: [2, 2], counts: [5, -1] })).toBe(false);
    expect(isValidRle({ size: [2, 2], counts: [1.5, 2.5] })).toBe(false);
    expect(() => decodeRle({ size: [2, 2], counts: [1, 2] })).toThrow(RangeError);
    expect(() => encodeRle({ width: 3, height: 3, data: new Uint8Array(4) })).toThrow(RangeError);
  });

  it('encodes and decodes a full-HD frame', () => {
    const width = 1920;
    const height = 1080;
    const mask = maskFromPredicate(width, height, (x, y) => (x - 900) ** 2 + (y - 500) ** 2 < 300 ** 2 || (x > 1700 && y > 1000));
    const rle = encodeRle(mask);
    expect(rleArea(rle)).toBe(maskArea(mask));
    expect(rleBBox(rle)).toEqual(pixelBBox(mask));
    // (A plain loop: deep equality of two 2-megabyte arrays is very slow in expect.)
    expect(firstDifference(decodeRle(rle).data, mask.data)).toBe(-1);
    expect(firstDifference(decodeRle(decompressRle(compressRle(rle))).data, mask.data)).toBe(-1);
  });
});

describe('rleArea / rleBBox', () => {
  it('gives COCO boxes in pixels, null when empty', () => {
    expect(rleBBox(encodeRle(maskFromPredicate(5, 4, () => false)))).toBeNull();
    expect(rleBBox(encodeRle(maskFromPredicate(5, 4, (x, y) => x === 3 && y === 2)))).toEqual([3, 2, 1, 1]);
    expect(rleBBox(encodeRle(maskFromPredicate(5, 4, (x, y) => x >= 1 && x <= 3 && y >= 1 && y <= 2)))).toEqual([1, 1, 3, 2]);
    // One run wrapping from the bottom of column 0 into the top of column 1 covers every row.
    expect(rleBBox({ size: [4, 2], counts: [3, 2, 3] })).toEqual([0, 0, 2, 4]);
  });

  it('match the decoded mask, for any mask', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const rle = encodeRle(mask);
        expect(rleArea(rle)).toBe(maskArea(mask));
        expect(rleBBox(rle)).toEqual(pixelBBox(mask));
      }),
    );
  });
});

describe('rleIou / rleMerge', () => {
  it('follows pycocotools for empty masks: IoU 0', () => {
    const empty = encodeRle(maskFromPredicate(3, 3, () => false));
    const full = encodeRle(maskFromPredicate(3, 3, () => true));
    expect(rleIou(empty, empty)).toBe(0);
    expect(rleIou(empty, full)).toBe(0);
    expect(rleIou(full, full)).toBe(1);
  });

  it('matches the pixel-wise IoU, for any two masks', () => {
    fc.assert(
      fc.property(maskPair, ([a, b]) => {
        const inter = maskArea(combine([a, b], (p, q) => p && q));
        const union = maskArea(combine([a, b], (p, q) => p || q));
        const ra = encodeRle(a);
        const rb = encodeRle(b);
        expect(rleIntersectionUnion(ra, rb)).toEqual({ intersection: inter, union });
        expect(rleIou(ra, rb)).toBe(inter === 0 ? 0 : inter / union);
        expect(rleIou(rb, ra)).toBe(rleIou(ra, rb));
      }),
    );
  });

  it('merges to exactly the encoding of the pixel-wise union and intersection', () => {
    fc.assert(
      fc.property(maskList, (masks) => {
        const rles = masks.map(encodeRle);
        expect(rleMerge(rles)).toEqual(encodeRle(combine(masks, (p, q) => p || q)));
        expect(rleMerge(rles, true)).toEqual(encodeRle(combine(masks, (p, q) => p && q)));
      }),
    );
  });

  it('refuses masks of different sizes and an empty list', () => {
    const a = encodeRle(maskFromPredicate(2, 3, () => true));
    const b = encodeRle(maskFromPredicate(3, 2, () => true));
    expect(() => rleIou(a, b)).toThrow(RangeError);
    expect(() => rleMerge([a, b])).toThrow(RangeError);
    expect(() => rleMerge([])).toThrow(RangeError);
  });
});

describe('rleToString / rleFromString (pycocotools compressed counts)', () => {
  // rleToString, per count: x = counts[i], minus counts[i - 2] when i > 2. Then repeatedly:
  // c = x & 0x1f; x >>= 5 (arithmetic); more = (c & 0x10) ? x != -1 : x != 0; if more, c |= 0x20;
  // emit char(c + 48).
  it('encodes small counts, no deltas: [0, 1] -> "01"', () => {
    // i=0: x=0 -> c=0, x=0, more = (0 & 0x10 = 0) ? : 0 != 0 = false -> '0' (48)
    // i=1: x=1 -> c=1, x=0, more = false -> '1' (49)
    expect(rleToString([0, 1])).toBe('01');
    expect(rleFromString('01')).toEqual([0, 1]);
  });

  it('delta-codes from i = 3, with a negative delta: [3, 5, 2, 1, 4] -> "352L2"', () => {
    // i=0: 3 -> '3'; i=1: 5 -> '5'; i=2: 2 (no delta: i > 2 is false) -> '2'
    // i=3: x = 1 - counts[1] = 1 - 5 = -4 = ...11100b -> c = 28, x >>= 5 -> -1,
    //      more = (28 & 0x10) ? -1 != -1 : ... = false -> char(28 + 48) = 76 = 'L'
    // i=4: x = 4 - counts[2] = 4 - 2 = 2 -> '2'
    expect(rleToString([3, 5, 2, 1, 4])).toBe('352L2');
    expect(rleFromString('352L2')).toEqual([3, 5, 2, 1, 4]);
  });

  it('uses several characters per count: [100, 50, 30, 200] -> "T3b1n0f4"', () => {
    // i=0: x=100 -> c = 100 & 31 = 4, x = 3, more = (4 & 0x10 = 0) ? : 3 != 0 = true -> c = 36 -> 'T' (84)
    //             c = 3, x = 0, more = false -> '3'
    // i=1: x=50  -> c = 18, x = 1, more = (18 & 0x10) ? 1 != -1 = true -> c = 50 -> 'b' (98)
    //             c = 1, x = 0 -> '1'      (bit 0x10 is the sign bit, so 50 needs two characters)
    // i=2: x=30  -> c = 30, x = 0, more = (30 & 0x10) ? 0 != -1 = true -> c = 62 -> 'n' (110)
    //             c = 0, x = 0, more = false -> '0'
    // i=3: x = 200 - counts[1] = 150 -> c = 150 & 31 = 22, x = 4, more = true -> c = 54 -> 'f' (102)
    //             c = 4, x = 0 -> '4'
    expect(rleToString([100, 50, 30, 200])).toBe('T3b1n0f4');
    expect(rleFromString('T3b1n0f4')).toEqual([100, 50, 30, 200]);
  });

  it('encodes a multi-character negative delta: [0, 100, 5, 1] -> "0T35mL"', () => {
    // i=0: '0'; i=1: 100 -> 'T3' (as above); i=2: '5'
    // i=3: x = 1 - 100 = -99 = ...10011101b -> c = 29, x = floor(-99 / 32) = -4,
    //      more = (29 & 0x10) ? -4 != -1 = true -> c = 61 -> 'm' (109)
    //      x = -4 -> c = 28, x = -1, more = (28 & 0x10) ? -1 != -1 = false -> 'L' (76)
    // Decoding 'mL': 29 | 28 << 5 = 925; last char has 0x10 set -> x |= -1 << 10 -> 925 - 1024 = -99; + 100 = 1.
    expect(rleToString([0, 100, 5, 1])).toBe('0T35mL');
    expect(rleFromString('0T35mL')).toEqual([0, 100, 5, 1]);
  });

  it('round-trips any counts (first may be 0, the rest >= 1), including large ones', () => {
    const count = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 2_073_600 }), fc.integer({ min: 1, max: 2 ** 40 }));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.array(count, { maxLength: 60 }), (first, rest) => {
        const counts = [first, ...rest];
        const s = rleToString(counts);
        expect(s).toMatch(/^[0-o]*$/);
        expect(rleFromString(s)).toEqual(counts);
      }),
    );
  });

  it('round-trips the RLE of any mask through its compressed form', () => {
    fc.assert(
      fc.property(anyMask, (mask) => {
        const rle = encodeRle(mask);
        const compressed = compressRle(rle);
        expect(compressed.size).toEqual(rle.size);
        expect(decompressRle(compressed)).toEqual(rle);
      }),
    );
  });

  it('rejects malformed strings and invalid counts', () => {
    expect(() => rleFromString('0 1')).toThrow(SyntaxError); // space is below '0'
    expect(() => rleFromString('p')).toThrow(SyntaxError); // 'p' = 48 + 64, beyond 6 bits
    expect(() => rleFromString('T')).toThrow(SyntaxError); // continuation bit set on the last char
    expect(() => rleFromString('O')).toThrow(SyntaxError); // -1 as the first count
    expect(() => rleToString([1, -2])).toThrow(RangeError);
    expect(() => rleToString([Number.NaN])).toThrow(RangeError);
    expect(rleToString([])).toBe('');
    expect(rleFromString('')).toEqual([]);
  });
});
