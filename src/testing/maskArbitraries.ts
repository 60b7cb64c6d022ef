/** Test helpers: random masks as RLE (fast-check). */
import fc from 'fast-check';
import { encodeRle, type Rle } from '../core/mask/rle';

/** An RLE of a random width x height mask: empty, full, or random pixels (blobby with `density`). */
export function rleOf(width: number, height: number): fc.Arbitrary<Rle> {
  return fc.oneof(
    fc.constant(encodeRle({ width, height, data: new Uint8Array(width * height) })),
    fc.constant(encodeRle({ width, height, data: new Uint8Array(width * height).fill(1) })),
    fc.uint8Array({ minLength: width * height, maxLength: width * height }).map((bytes) => encodeRle({ width, height, data: bytes.map((b) => (b < 100 ? 1 : 0)) })),
  );
}

/** A size and that many masks of it (null where absent). */
export function sizedMasks(maxInstances: number, maxFrames: number): fc.Arbitrary<{ width: number; height: number; frames: number; masks: (Rle | null)[][] }> {
  return fc
    .record({ width: fc.integer({ min: 1, max: 9 }), height: fc.integer({ min: 1, max: 9 }), instances: fc.integer({ min: 0, max: maxInstances }), frames: fc.integer({ min: 0, max: maxFrames }) })
    .chain(({ width, height, instances, frames }) =>
      fc.record({
        width: fc.constant(width),
        height: fc.constant(height),
        frames: fc.constant(frames),
        masks: fc.array(fc.array(fc.option(rleOf(width, height), { nil: null }), { minLength: frames, maxLength: frames }), { minLength: instances, maxLength: instances }),
      }),
    );
}
