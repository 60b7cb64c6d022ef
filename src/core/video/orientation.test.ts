import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyAffine, codedTargetSize, normaliseRotation, orientedSize, uprightTransform, type Affine, type Orientation, type Rotation } from './orientation';

const rotations: Rotation[] = [0, 90, 180, 270];
const orientation = fc.record({ rotation: fc.constantFrom(...rotations), flip: fc.boolean() });
const size = fc.record({ width: fc.integer({ min: 1, max: 4000 }), height: fc.integer({ min: 1, max: 4000 }) });

/** `second` after `first`; `+ 0` turns -0 into 0 so that equal maps compare equal. */
const compose = (second: Affine, first: Affine): Affine => ({
  a: second.a * first.a + second.c * first.b + 0,
  b: second.b * first.a + second.d * first.b + 0,
  c: second.a * first.c + second.c * first.d + 0,
  d: second.b * first.c + second.d * first.d + 0,
  e: second.a * first.e + second.c * first.f + second.e + 0,
  f: second.b * first.e + second.d * first.f + second.f + 0,
});
const plain = (m: Affine): Affine => compose({ a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }, m);

describe('uprightTransform', () => {
  // The e2e fixture: a 640x360 clip whose display matrix turns it 90° clockwise (a phone held upright).
  it('turns a 640x360 phone frame 90° clockwise: its top edge becomes the right edge', () => {
    const m = uprightTransform({ width: 640, height: 360 }, { rotation: 90, flip: false });
    expect(applyAffine(m, { x: 0, y: 0 })).toEqual({ x: 360, y: 0 });
    expect(applyAffine(m, { x: 640, y: 0 })).toEqual({ x: 360, y: 640 });
    expect(applyAffine(m, { x: 0, y: 360 })).toEqual({ x: 0, y: 0 });
    // The first square of the burnt-in frame code.
    expect(applyAffine(m, { x: 32, y: 32 })).toEqual({ x: 328, y: 32 });
  });

  it('turns 180° and 270° the way a player does', () => {
    const coded = { width: 640, height: 360 };
    const half = uprightTransform(coded, { rotation: 180, flip: false });
    expect(applyAffine(half, { x: 32, y: 32 })).toEqual({ x: 608, y: 328 });
    const threeQuarters = uprightTransform(coded, { rotation: 270, flip: false });
    // The top-left corner ends bottom-left; the top edge becomes the left edge, read upward.
    expect(applyAffine(threeQuarters, { x: 0, y: 0 })).toEqual({ x: 0, y: 640 });
    expect(applyAffine(threeQuarters, { x: 32, y: 32 })).toEqual({ x: 32, y: 608 });
  });

  it('flips after rotating', () => {
    const m = uprightTransform({ width: 640, height: 360 }, { rotation: 90, flip: true });
    expect(applyAffine(m, { x: 32, y: 32 })).toEqual({ x: 32, y: 32 });
    const plain = uprightTransform({ width: 640, height: 360 }, { rotation: 0, flip: true });
    expect(applyAffine(plain, { x: 32, y: 32 })).toEqual({ x: 608, y: 32 });
  });

  it('maps every pixel of the coded picture onto exactly one pixel of the upright picture', () => {
    fc.assert(
      fc.property(orientation, fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (o, w, h) => {
        const m = uprightTransform({ width: w, height: h }, o);
        const out = orientedSize({ width: w, height: h }, o.rotation);
        const seen = new Set<string>();
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const p = applyAffine(m, { x: x + 0.5, y: y + 0.5 });
            expect(p.x).toBeGreaterThan(0);
            expect(p.x).toBeLessThan(out.width);
            expect(p.y).toBeGreaterThan(0);
            expect(p.y).toBeLessThan(out.height);
            seen.add(`${p.x},${p.y}`);
          }
        }
        expect(seen.size).toBe(w * h);
      }),
    );
  });

  it('composes like rotations do: a quarter turn twice is a half turn, four are none', () => {
    fc.assert(
      fc.property(size, fc.constantFrom(...rotations), fc.constantFrom(...rotations), (s, r1, r2) => {
        const first = uprightTransform(s, { rotation: r1, flip: false });
        const second = uprightTransform(orientedSize(s, r1), { rotation: r2, flip: false });
        const both = uprightTransform(s, { rotation: normaliseRotation(r1 + r2), flip: false });
        expect(compose(second, first)).toEqual(plain(both));
      }),
    );
  });

  it('a flip applied twice is the identity', () => {
    fc.assert(
      fc.property(size, (s) => {
        const f = uprightTransform(s, { rotation: 0, flip: true });
        expect(compose(f, f)).toEqual({ a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
      }),
    );
  });
});

describe('sizes', () => {
  it('a quarter turn swaps width and height', () => {
    expect(orientedSize({ width: 640, height: 360 }, 90)).toEqual({ width: 360, height: 640 });
    expect(orientedSize({ width: 640, height: 360 }, 180)).toEqual({ width: 640, height: 360 });
  });

  it('thumbnails keep the upright aspect ratio and the asked upright width', () => {
    fc.assert(
      fc.property(size, orientation, fc.integer({ min: 16, max: 400 }), (coded, o: Orientation, width) => {
        const target = codedTargetSize(coded, o, width);
        const upright = orientedSize(target, o.rotation);
        expect(upright.width).toBe(width);
        const want = orientedSize(coded, o.rotation);
        const exact = (width * want.height) / want.width;
        // Rounded to whole pixels, never below one.
        expect(Math.abs(upright.height - Math.max(1, exact))).toBeLessThanOrEqual(0.5);
      }),
    );
    expect(codedTargetSize({ width: 640, height: 360 }, { rotation: 90, flip: false }, 160)).toEqual({ width: 284, height: 160 });
    expect(codedTargetSize({ width: 640, height: 360 }, { rotation: 90, flip: false })).toEqual({ width: 640, height: 360 });
  });

  it('normalises any multiple of 90 degrees and refuses other angles', () => {
    expect(normaliseRotation(-90)).toBe(270);
    expect(normaliseRotation(450)).toBe(90);
    expect(() => normaliseRotation(45)).toThrow('Unsupported rotation');
  });
});
