/** Judging one decoder answer on a followed frame: its confidence and state from what was expected. */
import type { BinaryMask } from '../mask/rle';
import { LOW_CONFIDENCE, type TrackerOptions } from './trackerOptions';
import type { TrackState } from './trackTypes';

/** IoU of two same-size masks (0 when both are empty). */
export function maskIou(a: BinaryMask, b: BinaryMask): number {
  const n = a.width * a.height;
  let inter = 0;
  let union = 0;
  for (let i = 0; i < n; i++) {
    const x = a.data[i] !== 0;
    const y = b.data[i] !== 0;
    if (x || y) {
      union++;
      if (x && y) inter++;
    }
  }
  return union === 0 ? 0 : inter / union;
}

export interface ConfidenceInput {
  /** The decoder's IoU prediction. */
  readonly score: number;
  /** IoU of the new mask with the previous mask moved by the estimated motion. */
  readonly consistency: number;
  /** Smaller over larger of the new and the reference areas. */
  readonly areaRatio: number;
}

/**
 * Confidence in 0..1: the decoder's IoU estimate (clamped) times agreement with what was expected
 * (the moved previous mask, softened: a moving, deforming object never matches it exactly) and the
 * area ratio. The weights are calibrated on the DAVIS fixtures (docs/propagation-method.md).
 */
export function confidenceOf(c: ConfidenceInput): number {
  const score = Math.max(0, Math.min(1, c.score));
  const agreement = Math.min(1, Math.max(0, c.consistency) / 0.7);
  const area = Math.min(1, Math.max(0, c.areaRatio) / 0.7);
  return score * Math.sqrt(agreement * area);
}

export interface Judgement {
  readonly state: TrackState;
  readonly confidence: number;
}

/** The state of a step from its mask's area, its consistency with the expected mask and the decoder score. */
export function judge(input: ConfidenceInput & { readonly area: number; readonly referenceArea: number }, o: Pick<Required<TrackerOptions>, 'absentAreaRatio' | 'absentConsistency'>): Judgement {
  if (input.area === 0 || input.area < o.absentAreaRatio * input.referenceArea || input.consistency < o.absentConsistency) {
    return { state: 'absent', confidence: 0 };
  }
  const confidence = confidenceOf(input);
  return { state: confidence < LOW_CONFIDENCE ? 'low' : 'tracked', confidence };
}
