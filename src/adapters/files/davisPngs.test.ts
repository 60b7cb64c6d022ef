import fc from 'fast-check';
import { decode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { DAVIS_PALETTE } from '../../core/formats/davisIndex';
import { decodeRle, encodeRle, maskFromPredicate, type Rle } from '../../core/mask/rle';
import { encodeDavisPngs } from './davisPngs';

const W = 12;
const H = 9;
const rect = (x0: number, y0: number, x1: number, y1: number): Rle => encodeRle(maskFromPredicate(W, H, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1));

describe('DAVIS PNGs of an export', () => {
  it('give each pixel the number of the last object covering it, with the DAVIS palette (property)', () => {
    const box = fc.tuple(fc.nat(W), fc.nat(H), fc.nat(W), fc.nat(H)).map(([a, b, c, d]) => rect(Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)));
    const frames = fc.array(fc.record({ frame: fc.nat(10_000), masks: fc.array(fc.option(box, { nil: null }), { minLength: 1, maxLength: 4 }) }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(frames, (request) => {
        const pngs = encodeDavisPngs({ width: W, height: H, frames: request });
        expect(pngs.map((p) => p.frame)).toEqual(request.map((f) => f.frame));
        for (const [k, { masks }] of request.entries()) {
          const png = decode(pngs[k]!.png);
          expect([png.width, png.height, png.channels, png.depth]).toEqual([W, H, 1, 8]);
          expect(png.palette?.slice(0, 5)).toEqual(DAVIS_PALETTE.slice(0, 5).map((c) => [...c]));
          const decoded = masks.map((m) => (m === null ? null : decodeRle(m).data));
          for (let p = 0; p < W * H; p++) {
            let want = 0;
            decoded.forEach((d, i) => {
              if (d !== null && d[p] === 1) want = i + 1;
            });
            expect(png.data[p]).toBe(want);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuse a mask of another size, naming the object and the frame', () => {
    expect(() => encodeDavisPngs({ width: W, height: H, frames: [{ frame: 7, masks: [null, encodeRle(maskFromPredicate(4, 4, () => true))] }] })).toThrow('The mask of instance 2 on frame 7 is [4, 4], not [9, 12]');
  });
});
