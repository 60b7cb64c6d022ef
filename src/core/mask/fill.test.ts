import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskFillRgba } from './fill';

describe('maskFillRgba', () => {
  it('is the colour at alpha exactly where the mask is, transparent black elsewhere (property)', () => {
    const masks = fc
      .record({ width: fc.integer({ min: 1, max: 16 }), height: fc.integer({ min: 1, max: 16 }) })
      .chain(({ width, height }) => fc.record({ width: fc.constant(width), height: fc.constant(height), data: fc.uint8Array({ min: 0, max: 1, minLength: width * height, maxLength: width * height }) }));
    fc.assert(
      fc.property(masks, fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), fc.nat(255), (mask, rgb, alpha) => {
        const rgba = maskFillRgba(mask, rgb, alpha);
        expect(rgba.length).toBe(mask.width * mask.height * 4);
        for (let i = 0; i < mask.data.length; i++) {
          expect([...rgba.subarray(i * 4, i * 4 + 4)]).toEqual(mask.data[i] ? [...rgb, alpha] : [0, 0, 0, 0]);
        }
      }),
    );
  });
});
