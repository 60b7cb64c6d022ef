import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRle, encodeRle, maskFromPredicate, normalizeRle, type Rle } from '../mask/rle';
import { DAVIS_MAX_INSTANCES, DAVIS_PALETTE, davisIndexOfColour, davisPaletteRgb, indexMapFor, masksFromIndexMap, rlesFromIndexMap } from './davisIndex';
import { sizedMasks } from '../../testing/maskArbitraries';

describe('DAVIS palette', () => {
  it('is the standard VOC / DAVIS colour map', () => {
    expect(DAVIS_PALETTE).toHaveLength(256);
    expect(DAVIS_PALETTE.slice(0, 10)).toEqual([
      [0, 0, 0],
      [128, 0, 0],
      [0, 128, 0],
      [128, 128, 0],
      [0, 0, 128],
      [128, 0, 128],
      [0, 128, 128],
      [128, 128, 128],
      [64, 0, 0],
      [192, 0, 0],
    ]);
    expect(DAVIS_PALETTE[255]).toEqual([224, 224, 192]);
    expect(new Set(DAVIS_PALETTE.map((c) => c.join())).size).toBe(256);
  });

  it('maps colours back to indices, and copies for fast-png', () => {
    for (let i = 0; i < 256; i++) expect(davisIndexOfColour(...DAVIS_PALETTE[i]!)).toBe(i);
    expect(davisIndexOfColour(1, 2, 3)).toBe(-1);
    const rgb = davisPaletteRgb();
    rgb[1]![0] = 0;
    expect(DAVIS_PALETTE[1]).toEqual([128, 0, 0]);
  });
});

describe('index maps', () => {
  const size = { width: 4, height: 3 };
  const left = encodeRle(maskFromPredicate(4, 3, (x) => x < 2));
  const right = encodeRle(maskFromPredicate(4, 3, (x) => x >= 1));

  it('paints instance numbers, later instances over earlier ones', () => {
    const masks: Record<string, Rle> = { a: left, b: right };
    const map = indexMapFor(0, ['a', 'b', 'c'], (id) => masks[id] ?? null, size);
    expect([...map]).toEqual([1, 2, 2, 2, 1, 2, 2, 2, 1, 2, 2, 2]);
    const back = rlesFromIndexMap(map, 4, 3);
    expect([...back.keys()]).toEqual([1, 2]);
    expect(back.get(2)).toEqual(normalizeRle(right));
    expect(decodeRle(back.get(1)!).data).toEqual(maskFromPredicate(4, 3, (x) => x === 0).data);
  });

  it('refuses too many instances and masks of another size', () => {
    expect(() => indexMapFor(0, Array.from({ length: DAVIS_MAX_INSTANCES + 1 }, (_, i) => `i${i}`), () => null, size)).toThrow(RangeError);
    expect(() => indexMapFor(3, ['a'], () => encodeRle(maskFromPredicate(3, 4, () => true)), size)).toThrow('The mask of instance 1 on frame 3 is [4, 3], not [3, 4]');
    expect(() => rlesFromIndexMap(new Uint8Array(5), 2, 2)).toThrow(RangeError);
  });

  it('RLE → index map → RLE is exact without overlaps, and "later wins" with them (property)', () => {
    fc.assert(
      fc.property(sizedMasks(5, 1), ({ width, height, frames, masks }) => {
        if (frames === 0) return;
        const ids = masks.map((_, i) => `i${i}`);
        const map = indexMapFor(0, ids, (id) => masks[Number(id.slice(1))]![0]!, { width, height });
        const back = rlesFromIndexMap(map, width, height);
        const binary = masksFromIndexMap(map, width, height);
        expect([...binary.keys()]).toEqual([...back.keys()]);
        // Expected owner of each pixel: the last instance covering it.
        const owner = new Uint8Array(width * height);
        masks.forEach((m, k) => {
          const rle = m[0];
          if (rle) decodeRle(rle).data.forEach((v, i) => v && (owner[i] = k + 1));
        });
        expect(map).toEqual(owner);
        for (const [v, rle] of back) {
          const expected = encodeRle({ width, height, data: owner.map((o) => (o === v ? 1 : 0)) });
          expect(rle).toEqual(expected);
          expect(binary.get(v)!.data).toEqual(decodeRle(expected).data);
          // Without a later overlap the instance's own mask comes back exactly.
          const own = masks[v - 1]![0]!;
          const overlapped = masks.slice(v).some((m) => m[0] && decodeRle(m[0]).data.some((p, i) => p && decodeRle(own).data[i]));
          if (!overlapped) expect(rle).toEqual(normalizeRle(own));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rlesFromIndexMap agrees with encodeRle on any map (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((w) => fc.integer({ min: 1, max: 8 }).chain((h) => fc.tuple(fc.constant(w), fc.constant(h), fc.uint8Array({ minLength: w * h, maxLength: w * h, max: 4 })))),
        fc.constantFrom(0, 1, 2, 255),
        ([w, h, map], high) => {
          const m = map.map((v) => (v === 4 ? high : v));
          const back = rlesFromIndexMap(m, w, h);
          const values = [...new Set(m)].filter((v) => v !== 0).sort((a, b) => a - b);
          expect([...back.keys()]).toEqual(values);
          for (const v of values) expect(back.get(v)).toEqual(encodeRle({ width: w, height: h, data: m.map((p) => (p === v ? 1 : 0)) }));
        },
      ),
      { numRuns: 300 },
    );
  });
});
