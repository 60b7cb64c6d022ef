import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FrameAnnotation } from '../annotation/model';
import { annotationKey } from '../annotation/model';
import { anchorsOf, laneSegments, maskAt, nextLowConfidence, type LaneKind } from './lane';
import type { Masklet, PropagatedMask, PropagatedState } from './masklet';

const RLE = { size: [2, 2] as const, counts: [1, 2, 1] };
const USER_RLE = { size: [2, 2] as const, counts: [0, 4] };

function result(state: PropagatedState, anchor = 0, confidence = 0.8): PropagatedMask {
  return { rle: state === 'absent' ? null : RLE, score: 0.9, confidence, state, anchor };
}

const states = fc.constantFrom<PropagatedState>('tracked', 'low', 'absent');
const masklets = fc
  .dictionary(fc.integer({ min: 0, max: 80 }).map(String), states)
  .map((d): Masklet => Object.fromEntries(Object.entries(d).map(([f, s]) => [f, result(s)])));

describe('laneSegments', () => {
  it('run-length encodes anchors, states and not-computed frames', () => {
    const m: Masklet = { 1: result('tracked'), 2: result('tracked'), 3: result('low'), 5: result('absent'), 6: result('tracked') };
    expect(laneSegments(m, [0, 6], 9)).toEqual([
      { start: 0, end: 0, kind: 'anchor' },
      { start: 1, end: 2, kind: 'tracked' },
      { start: 3, end: 3, kind: 'low' },
      { start: 4, end: 4, kind: 'none' },
      { start: 5, end: 5, kind: 'absent' },
      { start: 6, end: 6, kind: 'anchor' },
      { start: 7, end: 8, kind: 'none' },
    ]);
    expect(laneSegments({}, [], 5)).toEqual([{ start: 0, end: 4, kind: 'none' }]);
    expect(laneSegments({}, [], 0)).toEqual([]);
    // Results and anchors beyond the video are ignored.
    expect(laneSegments({ 7: result('low') }, [9], 3)).toEqual([{ start: 0, end: 2, kind: 'none' }]);
  });

  it('covers [0, frameCount) exactly, in order, with each frame of its kind and no two equal neighbours', () => {
    fc.assert(
      fc.property(masklets, fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 6 }), fc.integer({ min: 0, max: 90 }), (m, anchors, frameCount) => {
        const segments = laneSegments(m, anchors, frameCount);
        let next = 0;
        segments.forEach((s, i) => {
          expect(s.start).toBe(next);
          expect(s.end).toBeGreaterThanOrEqual(s.start);
          if (i > 0) expect(s.kind).not.toBe(segments[i - 1]!.kind);
          for (let f = s.start; f <= s.end; f++) {
            const kind: LaneKind = anchors.includes(f) ? 'anchor' : (m[f]?.state ?? 'none');
            expect(s.kind).toBe(kind);
          }
          next = s.end + 1;
        });
        expect(next).toBe(frameCount);
      }),
    );
  });
});

describe('nextLowConfidence', () => {
  it('finds the nearest low frame strictly after or before, without wrapping', () => {
    const m: Masklet = { 2: result('low'), 4: result('tracked'), 7: result('low'), 9: result('absent') };
    expect(nextLowConfidence(m, 0, 1)).toBe(2);
    expect(nextLowConfidence(m, 2, 1)).toBe(7);
    expect(nextLowConfidence(m, 7, 1)).toBeNull();
    expect(nextLowConfidence(m, 100, -1)).toBe(7);
    expect(nextLowConfidence(m, 7, -1)).toBe(2);
    expect(nextLowConfidence(m, 2, -1)).toBeNull();
  });

  it('agrees with a frame-by-frame search', () => {
    fc.assert(
      fc.property(masklets, fc.integer({ min: -5, max: 90 }), fc.constantFrom<1 | -1>(1, -1), (m, from, direction) => {
        let expected: number | null = null;
        for (let f = from + direction; f >= -10 && f <= 100; f += direction) {
          if (m[f]?.state === 'low') {
            expected = f;
            break;
          }
        }
        expect(nextLowConfidence(m, from, direction)).toBe(expected);
      }),
    );
  });
});

const mask = { rle: USER_RLE, score: 0.95 };
const point = { kind: 'point' as const, x: 1, y: 1, positive: true };

describe('anchorsOf', () => {
  it('lists frames with prompts and a mask, ascending, for exactly that instance (ids may contain "@")', () => {
    const frames: Record<string, FrameAnnotation> = {
      [annotationKey('a', 30)]: { prompts: [point], mask },
      [annotationKey('a', 4)]: { prompts: [point], mask },
      [annotationKey('a', 7)]: { prompts: [point], mask: null }, // mask still being computed
      [annotationKey('a', 9)]: { prompts: [], mask }, // no prompts: not an anchor
      [annotationKey('a@b', 5)]: { prompts: [point], mask },
      [annotationKey('b', 1)]: { prompts: [point], mask },
    };
    expect(anchorsOf(frames, 'a')).toEqual([4, 30]);
    expect(anchorsOf(frames, 'a@b')).toEqual([5]);
    expect(anchorsOf(frames, 'c')).toEqual([]);
  });
});

describe('maskAt', () => {
  const frames: Record<string, FrameAnnotation> = {
    [annotationKey('a', 10)]: { prompts: [point], mask },
    [annotationKey('a', 12)]: { prompts: [point], mask: null },
  };
  const all = { a: { 10: result('tracked', 0), 11: result('low', 10, 0.3), 12: result('tracked', 10, 0.7), 13: result('absent', 10) } };

  it("draws the user's mask on an anchor, over anything propagated there", () => {
    expect(maskAt(frames, all, 'a', 10)).toEqual({ rle: USER_RLE, source: 'anchor', state: 'anchor', confidence: 1 });
  });

  it('draws the propagated mask elsewhere, also while new prompts wait for their mask, and nothing where absent or not computed', () => {
    expect(maskAt(frames, all, 'a', 11)).toEqual({ rle: RLE, source: 'propagated', state: 'low', confidence: 0.3 });
    expect(maskAt(frames, all, 'a', 12)).toEqual({ rle: RLE, source: 'propagated', state: 'tracked', confidence: 0.7 });
    expect(maskAt(frames, all, 'a', 13)).toBeNull();
    expect(maskAt(frames, all, 'a', 14)).toBeNull();
    expect(maskAt(frames, all, 'b', 11)).toBeNull();
    expect(maskAt({}, {}, 'constructor', 0)).toBeNull();
  });
});
