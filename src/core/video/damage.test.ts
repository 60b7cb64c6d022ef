import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBadFrames, badFramesAt, countReadable, dataEndNotice, dataEndOf, type BadFrameKind, type BadFrames } from './damage';
import { PacketIndex } from './packetIndex';

const range = fc
  .record({ a: fc.integer({ min: 0, max: 60 }), b: fc.integer({ min: 0, max: 60 }), kind: fc.constantFrom<BadFrameKind>('missing', 'undecodable') })
  .map(({ a, b, kind }) => ({ from: Math.min(a, b), to: Math.max(a, b), kind }));

/** The reference: what each frame is, one frame at a time ('missing' wins). */
function perFrame(adds: readonly BadFrames[]): Map<number, BadFrameKind> {
  const kinds = new Map<number, BadFrameKind>();
  for (const r of adds) for (let f = r.from; f <= r.to; f++) if (kinds.get(f) !== 'missing') kinds.set(f, r.kind);
  return kinds;
}

describe('addBadFrames', () => {
  it('keeps every frame ever added, with the right kind, as few sorted disjoint ranges', () => {
    fc.assert(
      fc.property(fc.array(range, { maxLength: 12 }), (adds) => {
        const ranges = adds.reduce<BadFrames[]>((acc, r) => addBadFrames(acc, r), []);
        const want = perFrame(adds);
        for (let f = 0; f <= 61; f++) expect(badFramesAt(ranges, f)?.kind ?? null).toBe(want.get(f) ?? null);
        ranges.forEach((r, i) => {
          expect(r.from).toBeLessThanOrEqual(r.to);
          const prev = ranges[i - 1];
          // Sorted, disjoint, and never two touching ranges of one kind (they would be one).
          if (prev) expect(prev.to < r.from - 1 || (prev.to === r.from - 1 && prev.kind !== r.kind)).toBe(true);
        });
      }),
    );
  });

  it('joins single frames found one by one into one range', () => {
    let ranges: BadFrames[] = [];
    for (const f of [45, 47, 46]) ranges = addBadFrames(ranges, { from: f, to: f, kind: 'undecodable' });
    expect(ranges).toEqual([{ from: 45, to: 47, kind: 'undecodable' }]);
  });
});

describe('countReadable', () => {
  it('finds where the readable prefix ends, reading few positions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), async (count, cut) => {
        const readable = Math.min(count, cut);
        let reads = 0;
        const n = await countReadable(count, async (pos) => {
          reads++;
          expect(pos).toBeGreaterThanOrEqual(0);
          expect(pos).toBeLessThan(count);
          return pos < readable;
        });
        expect(n).toBe(readable);
        expect(reads).toBeLessThanOrEqual(1 + Math.ceil(Math.log2(count + 1)));
        if (readable === count && count > 0) expect(reads).toBe(1);
      }),
    );
  });
});

describe('dataEndOf', () => {
  // 30 fps, B-frames: decode order I P B B P B B ... (each P displayed after the two Bs before it).
  const packets = [
    { timestamp: 0, isKey: true },
    { timestamp: 3 / 30, isKey: false },
    { timestamp: 1 / 30, isKey: false },
    { timestamp: 2 / 30, isKey: false },
    { timestamp: 6 / 30, isKey: false },
    { timestamp: 4 / 30, isKey: false },
    { timestamp: 5 / 30, isKey: false },
  ].map((p) => ({ ...p, duration: 1 / 30 }));
  const index = new PacketIndex(packets);

  it('is null for a whole file', () => {
    expect(dataEndOf(index, 7)).toBeNull();
  });

  it('ends at the first frame, in display order, whose packet is missing', () => {
    // Packets 0..4 present: frames 0,1,2,3 and 6 decode; frame 4 (packet 5) is the first gone.
    expect(dataEndOf(index, 5)).toEqual({ firstMissingFrame: 4, playableS: 4 / 30 });
    // Packets 0..1: frame 3 decodes but 1 and 2 do not.
    expect(dataEndOf(index, 2)).toEqual({ firstMissingFrame: 1, playableS: 1 / 30 });
  });

  it('says how much plays and which frames do not', () => {
    expect(dataEndNotice({ firstMissingFrame: 124, playableS: 4.133 }, 10)).toMatch(/^The file ends at 4\.1 s of 10\.0 s: frames after #123 cannot be shown/);
  });
});
