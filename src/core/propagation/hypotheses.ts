/**
 * Several decoder answers for one frame, one kept. The followed prompt (motion-moved box, interior
 * points and the previous logits as mask_input) inherits the previous frame's errors: a mask that
 * started to spill onto the background keeps spilling. A second prompt without the logits (a fresh
 * look at the same box and points) does not, but it is noisier. Each answer is scored on what the
 * tracker can know without the ground truth: how much its mask looks like the object's appearance
 * memory (pooled SAM embedding feature), how well it agrees with the previous mask moved by the
 * motion, and the decoder's own IoU estimate. Pure; the tracker runs the decoder calls.
 */

/** What is known of one decoder answer on a frame. */
export interface Hypothesis {
  /** The decoder's IoU estimate. */
  readonly score: number;
  /** IoU with the previous mask moved by the estimated motion. */
  readonly consistency: number;
  /** Cosine similarity of the mask's pooled feature to the appearance memory; null without an embedding. */
  readonly similarity: number | null;
  /** False when the answer is not the object at all (empty, jumped away, vetoed by its looks). */
  readonly viable: boolean;
}

export interface HypothesisWeights {
  /** Per unit of cosine similarity (SAM features' cosines differ by a few hundredths: this weight is large). */
  readonly similarity: number;
  readonly consistency: number;
  readonly score: number;
}

/** The hypothesis' merit: a weighted sum; its similarity term counts only when every hypothesis has one. */
export function hypothesisMerit(h: Hypothesis, w: HypothesisWeights, withSimilarity: boolean): number {
  const s = Math.max(0, Math.min(1, h.score));
  const c = Math.max(0, Math.min(1, h.consistency));
  return w.score * s + w.consistency * c + (withSimilarity && h.similarity !== null ? w.similarity * h.similarity : 0);
}

/**
 * The index of the hypothesis to keep: the first one (the followed prompt) unless another viable
 * one's merit beats it by more than `margin`; -1 when none is viable.
 */
export function chooseHypothesis(hypotheses: readonly Hypothesis[], w: HypothesisWeights, margin: number): number {
  const withSimilarity = hypotheses.every((h) => !h.viable || h.similarity !== null);
  let best = -1;
  let bestMerit = -Infinity;
  for (const [i, h] of hypotheses.entries()) {
    if (!h.viable) continue;
    // The first hypothesis is the default: the others must beat it by the margin.
    const merit = hypothesisMerit(h, w, withSimilarity) - (i === 0 ? 0 : margin);
    if (merit > bestMerit) {
      best = i;
      bestMerit = merit;
    }
  }
  return best;
}
