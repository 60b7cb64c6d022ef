import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeResult, mergeResults, pruneToAnchors, withoutAnchor, type Masklet, type PropagatedMask } from './masklet';

const RLE = { size: [2, 2] as const, counts: [1, 2, 1] };

function result(anchor: number, tag = 0, state: PropagatedMask['state'] = 'tracked'): PropagatedMask {
  return { rle: state === 'absent' ? null : RLE, score: 0.9, confidence: tag, state, anchor };
}

describe('mergeResult', () => {
  it('fills an empty frame, keeps the nearer anchor, keeps the existing one on a tie, replaces from the same anchor', () => {
    let m: Masklet = {};
    m = mergeResult(m, 14, result(10, 1));
    expect(m[14]).toEqual(result(10, 1));
    // 20 is farther from 14 than 10: no change, same object back.
    const before = m;
    m = mergeResult(m, 14, result(20, 2));
    expect(m).toBe(before);
    // 18 is nearer.
    m = mergeResult(m, 14, result(17, 3));
    expect(m[14]!.anchor).toBe(17);
    // 11 and 17 are both 3 frames from 14: the existing (17) stays.
    expect(mergeResult(m, 14, result(11, 4))).toBe(m);
    // Same anchor replaces, even with a worse result.
    m = mergeResult(m, 14, result(17, 5, 'absent'));
    expect(m[14]).toEqual(result(17, 5, 'absent'));
  });

  it('does not mutate its input', () => {
    const m: Masklet = Object.freeze({ 3: result(0) });
    const next = mergeResult(m, 4, result(0));
    expect(Object.keys(m)).toEqual(['3']);
    expect(Object.keys(next)).toEqual(['3', '4']);
  });

  it('after merging results from every anchor in any order, each frame holds a result from its nearest anchor', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 6 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 30 }),
        fc.infiniteStream(fc.nat()),
        (anchors, frames, shuffle) => {
          // Every anchor reports every frame, in a random interleaving.
          const reports = frames.flatMap((f) => anchors.map((a) => ({ f, r: result(a) })));
          const it = shuffle[Symbol.iterator]();
          for (let i = reports.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [reports[i], reports[j]] = [reports[j]!, reports[i]!];
          }
          let m: Masklet = {};
          for (const { f, r } of reports) m = mergeResult(m, f, r);
          const batched = mergeResults({}, reports.map(({ f, r }) => [f, r] as const));
          expect(batched).toEqual(m);
          for (const f of frames) {
            const best = Math.min(...anchors.map((a) => Math.abs(f - a)));
            expect(Math.abs(f - m[f]!.anchor)).toBe(best);
            const nearest = anchors.filter((a) => Math.abs(f - a) === best);
            // On a tie, the first report to arrive stays.
            const first = reports.find((x) => x.f === f && nearest.includes(x.r.anchor))!;
            expect(m[f]!.anchor).toBe(first.r.anchor);
          }
          expect(Object.keys(m).length).toBe(frames.length);
        },
      ),
    );
  });
});

describe('mergeResults', () => {
  it('copies once and gives back the same masklet when every result loses', () => {
    const m: Masklet = { 5: result(4), 6: result(4) };
    expect(mergeResults(m, [[5, result(9)], [6, result(0)]])).toBe(m);
    const next = mergeResults(m, [[5, result(4, 7)], [7, result(4)]]);
    expect(next).toEqual({ 5: result(4, 7), 6: result(4), 7: result(4) });
    expect(m).toEqual({ 5: result(4), 6: result(4) });
  });
});

describe('withoutAnchor', () => {
  it("drops only that anchor's results", () => {
    const m: Masklet = { 1: result(0), 2: result(0), 8: result(10), 12: result(10) };
    expect(withoutAnchor(m, 10)).toEqual({ 1: result(0), 2: result(0) });
    expect(withoutAnchor(m, 7)).toBe(m);
  });
});

describe('pruneToAnchors', () => {
  it('drops results of former anchors, on anchor frames, and carried across another anchor', () => {
    const m: Masklet = {
      1: result(0),
      5: result(0), // now an anchor frame itself
      7: result(0), // 5 is an anchor between 0 and 7
      9: result(3), // 3 is no longer an anchor
      20: result(30),
      40: result(30),
    };
    expect(pruneToAnchors(m, [30, 0, 5])).toEqual({ 1: result(0), 20: result(30), 40: result(30) });
    const clean: Masklet = { 1: result(0), 2: result(0) };
    expect(pruneToAnchors(clean, [0])).toBe(clean);
    expect(pruneToAnchors(clean, [])).toEqual({});
  });

  it('leaves a masklet where every result is from an anchor, not on one, with no anchor in between', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 6 }),
        fc.dictionary(fc.integer({ min: 0, max: 60 }).map(String), fc.integer({ min: 0, max: 60 })),
        (anchors, raw) => {
          const m: Masklet = Object.fromEntries(Object.entries(raw).map(([f, a]) => [f, result(a)]));
          const pruned = pruneToAnchors(m, anchors);
          for (const [key, r] of Object.entries(pruned)) {
            const f = Number(key);
            expect(anchors).toContain(r.anchor);
            expect(anchors).not.toContain(f);
            expect(anchors.some((a) => a > Math.min(f, r.anchor) && a < Math.max(f, r.anchor))).toBe(false);
            expect(r).toBe(m[f]);
          }
          // Nothing that satisfies the rules is dropped.
          for (const [key, r] of Object.entries(m)) {
            const f = Number(key);
            const ok = anchors.includes(r.anchor) && !anchors.includes(f) && !anchors.some((a) => a > Math.min(f, r.anchor) && a < Math.max(f, r.anchor));
            expect(key in pruned).toBe(ok);
          }
          expect(pruneToAnchors(pruned, anchors)).toBe(pruned);
        },
      ),
    );
  });
});
