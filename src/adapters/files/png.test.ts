import fc from 'fast-check';
import { encode } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeBinaryPng, decodeIndexPng, encodeIndexedPng } from './png.ts';

/** The DAVIS palette's first colours. */
const DAVIS: [number, number, number][] = [
  [0, 0, 0],
  [128, 0, 0],
  [0, 128, 0],
  [128, 128, 0],
  [0, 0, 128],
];

describe('indexed PNG', () => {
  it('round-trips any label map (property)', () => {
    const labelMap = fc
      .record({ width: fc.integer({ min: 1, max: 24 }), height: fc.integer({ min: 1, max: 24 }), colours: fc.integer({ min: 1, max: 256 }) })
      .chain(({ width, height, colours }) =>
        fc.record({
          width: fc.constant(width),
          height: fc.constant(height),
          palette: fc.array(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), { minLength: colours, maxLength: colours }),
          index: fc.uint8Array({ min: 0, max: colours - 1, minLength: width * height, maxLength: width * height }),
        }),
      );
    fc.assert(
      fc.property(labelMap, ({ width, height, palette, index }) => {
        const decoded = decodeIndexPng(encodeIndexedPng(index, width, height, palette));
        expect(decoded).toEqual({ width, height, index });
      }),
      { numRuns: 200 },
    );
  });

  it('writes the palette, as DAVIS annotations have it', () => {
    const png = encodeIndexedPng(new Uint8Array([0, 1, 2, 0]), 2, 2, DAVIS);
    expect(Buffer.from(png).includes(Buffer.from([0x50, 0x4c, 0x54, 0x45, 0, 0, 0, 128, 0, 0, 0, 128, 0]))).toBe(true); // "PLTE" …
  });

  it('reads 1-, 2- and 4-bit indexed PNGs', () => {
    // 3×2 at 2 bits: rows are packed into one byte each, high bits first.
    const png = encode({ width: 3, height: 2, depth: 2, channels: 1, palette: DAVIS.slice(0, 4), data: new Uint8Array([0b00011000, 0b11100100]) });
    expect(decodeIndexPng(png).index).toEqual(new Uint8Array([0, 1, 2, 3, 2, 1]));
  });

  it('refuses labels outside the palette and wrong sizes', () => {
    expect(() => encodeIndexedPng(new Uint8Array([0, 5]), 2, 1, DAVIS)).toThrow('Label 5 has no colour in the 5-colour palette.');
    expect(() => encodeIndexedPng(new Uint8Array(3), 2, 2, DAVIS)).toThrow('The label map has 3 pixels, not 2×2.');
  });
});

describe('grey and RGB label maps', () => {
  it('maps colours to indices in order of first appearance, black = 0', () => {
    const red = [200, 0, 0];
    const green = [0, 200, 0];
    const black = [0, 0, 0];
    const rgb = new Uint8Array([...red, ...black, ...green, ...red, ...green, ...black]);
    const png = encode({ width: 3, height: 2, channels: 3, depth: 8, data: rgb });
    expect(decodeIndexPng(png)).toEqual({ width: 3, height: 2, index: new Uint8Array([1, 0, 2, 1, 2, 0]) });
  });

  it('treats fully transparent pixels as background and reads grey', () => {
    const rgba = new Uint8Array([255, 255, 255, 0, 255, 255, 255, 255, 9, 9, 9, 255]);
    expect(decodeIndexPng(encode({ width: 3, height: 1, channels: 4, depth: 8, data: rgba })).index).toEqual(new Uint8Array([0, 1, 2]));
    const grey = new Uint8Array([0, 255, 128, 255]);
    expect(decodeIndexPng(encode({ width: 2, height: 2, channels: 1, depth: 8, data: grey })).index).toEqual(new Uint8Array([0, 1, 2, 1]));
  });

  it('refuses a picture with more than 256 colours', () => {
    const rgb = new Uint8Array(300 * 3).map((_, i) => (i % 3 === 0 ? Math.floor(i / 3) % 256 : Math.floor(i / 768)));
    expect(() => decodeIndexPng(encode({ width: 300, height: 1, channels: 3, depth: 8, data: rgb }))).toThrow(/more than 256 colours/);
  });
});

describe('binary PNG (DAVIS 2016)', () => {
  it('thresholds the first channel at 127', () => {
    const grey = new Uint8Array([0, 255, 127, 128]);
    expect(decodeBinaryPng(encode({ width: 2, height: 2, channels: 1, depth: 8, data: grey }))).toEqual({ width: 2, height: 2, data: new Uint8Array([0, 1, 0, 1]) });
    const grey16 = new Uint16Array([0, 65535, 1000, 40000]);
    expect(decodeBinaryPng(encode({ width: 4, height: 1, channels: 1, depth: 16, data: grey16 })).data).toEqual(new Uint8Array([0, 1, 0, 1]));
  });

  it('reads 1-bit grey and indexed masks (non-zero index = 1)', () => {
    expect(decodeBinaryPng(encode({ width: 3, height: 1, channels: 1, depth: 1, data: new Uint8Array([0b10100000]) })).data).toEqual(new Uint8Array([1, 0, 1]));
    expect(decodeBinaryPng(encodeIndexedPng(new Uint8Array([0, 2, 1]), 3, 1, DAVIS)).data).toEqual(new Uint8Array([0, 1, 1]));
  });
});

describe('errors', () => {
  it('says what is wrong', () => {
    expect(() => decodeIndexPng(new TextEncoder().encode('GIF89a not a png at all'))).toThrow('The file is not a PNG.');
    const png = encodeIndexedPng(new Uint8Array(64), 8, 8, DAVIS);
    expect(() => decodeIndexPng(png.subarray(0, png.length - 20))).toThrow(/^The PNG could not be decoded: /);
    const huge = png.slice();
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(() => decodeBinaryPng(huge)).toThrow('The PNG is 100000×100000, too large for a mask.');
  });
});
