import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseHypothesis, hypothesisMerit, type Hypothesis } from './hypotheses';

const W = { similarity: 4, consistency: 1, score: 1 };
const unit = fc.double({ min: 0, max: 1, noNaN: true });
const hypothesis = fc.record({ score: unit, consistency: unit, similarity: fc.option(unit, { nil: null }), viable: fc.boolean() });

describe('choosing among decoder answers on one frame', () => {
  it('keeps a viable answer, the best by merit (the followed one wins ties and anything within the margin), or none', () => {
    fc.assert(
      fc.property(fc.array(hypothesis, { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 0.5, noNaN: true }), (hs, margin) => {
        const k = chooseHypothesis(hs, W, margin);
        if (!hs.some((h) => h.viable)) return k === -1;
        if (k < 0 || !hs[k]!.viable) return false;
        const withSimilarity = hs.every((h) => !h.viable || h.similarity !== null);
        const merit = (i: number): number => hypothesisMerit(hs[i]!, W, withSimilarity) - (i === 0 ? 0 : margin);
        return hs.every((h, i) => !h.viable || merit(i) <= merit(k));
      }),
    );
  });

  it('a fresh look that is more like the object and agrees as well replaces the followed answer', () => {
    const followed: Hypothesis = { score: 0.95, consistency: 0.8, similarity: 0.86, viable: true };
    const fresh: Hypothesis = { score: 0.9, consistency: 0.78, similarity: 0.93, viable: true };
    expect(chooseHypothesis([followed, fresh], W, 0.05)).toBe(1);
    // Not by more than the margin: the followed one stays.
    expect(chooseHypothesis([followed, fresh], W, 0.5)).toBe(0);
    // Not viable (vetoed): never chosen, whatever its merit.
    expect(chooseHypothesis([followed, { ...fresh, viable: false }], W, 0)).toBe(0);
    expect(chooseHypothesis([{ ...followed, viable: false }, fresh], W, 0.5)).toBe(1);
  });

  it('ignores the similarity when an answer has none (no embedding), rather than favouring the one that has', () => {
    const a: Hypothesis = { score: 0.9, consistency: 0.9, similarity: null, viable: true };
    const b: Hypothesis = { score: 0.9, consistency: 0.5, similarity: 0.99, viable: true };
    expect(chooseHypothesis([a, b], W, 0)).toBe(0);
    expect(chooseHypothesis([b, a], W, 0)).toBe(1);
  });
});
