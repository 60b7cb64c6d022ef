/**
 * The tracker's options and their defaults (the method chosen by measurement, docs/propagation-method.md),
 * and the naive baseline.
 */
import type { HypothesisWeights } from './hypotheses';

export interface TrackerOptions {
  /** Total growth of the previous mask's box (0.1 = 5 % on each side). */
  readonly boxMargin?: number;
  /** Estimate the object's translation between frames and move the prompt by it. */
  readonly motion?: boolean;
  /** Centre the motion search on the last step's translation (constant velocity). */
  readonly constantVelocity?: boolean;
  /** Downscale factor of the grey frames used for motion. */
  readonly motionFactor?: number;
  /** Search radius, in grey pixels, at least (grows with the object's size up to `motionMaxRadius`). */
  readonly motionRadius?: number;
  readonly motionMaxRadius?: number;
  /** The search radius as a fraction of the object's larger side. */
  readonly motionRadiusPerSize?: number;
  /** The match is used only when its cost is this many times lower than no motion's (MatchResult.gain); 1 = always. */
  readonly motionMinGain?: number;
  /** Grey pixels of background around the object that also take part in the matching. */
  readonly motionContext?: number;
  /** Shift the previous logits by the motion before feeding them as mask_input. */
  readonly shiftLogits?: boolean;
  /** Positive point(s): the centroid, the deepest interior point(s), or none. */
  readonly points?: 'centroid' | 'interior' | 'none';
  /** How many interior points (with points = 'interior'). */
  readonly interiorPointCount?: number;
  /** Negative points just outside the object (midpoints of the enlarged box's sides). */
  readonly negativePoints?: boolean;
  /** Whether to prompt with the box at all. */
  readonly box?: boolean;
  /** Logit magnitude for mask_input rebuilt from a binary mask (anchor without logits). */
  readonly rebuiltLogitScale?: number;
  /**
   * When the mask's area changes by more than this factor from the previous frame, the step is
   * low confidence and the previous frame (moved) stays the reference for the next step.
   */
  readonly maxAreaJump?: number;
  /** Below this fraction of the reference area, the object is absent. */
  readonly absentAreaRatio?: number;
  /** With the mask overlapping the expected (moved previous) mask less than this, the object is absent. */
  readonly absentConsistency?: number;
  /**
   * Keep looking for a lost object: search every later frame's embedding for the cells most like
   * the appearance memory and re-prompt the decoder there (needs frame embeddings). When false,
   * every frame after an absent one is absent.
   */
  readonly reacquire?: boolean;
  /** Recent confident frames' features kept besides the anchor's. */
  readonly memoryCapacity?: number;
  /** A tracked step adds its feature to the memory when its confidence is at least this... */
  readonly memoryMinConfidence?: number;
  /** ... and its feature is at least this similar to the anchor's (drifted frames never join). */
  readonly memoryGate?: number;
  /**
   * How a feature is compared with the memory: 'cosine' (similarity to the object's features) or
   * 'contrast' (that minus the similarity to the anchor frame's background; thresholds below are
   * then on that scale).
   */
  readonly appearance?: 'cosine' | 'contrast';
  /** Cells of the anchor's surroundings that make its "near" background feature. */
  readonly backgroundRing?: number;
  /** Search: no candidate when the best cell's similarity to the memory is below this. */
  readonly searchMinPeak?: number;
  /** Search: the candidate region is the connected cells within this similarity of the best one. */
  readonly searchRegionDrop?: number;
  /** A mask found by searching is the object when its pooled feature is at least this similar to the memory. */
  readonly acceptSimilarity?: number;
  /** ... and its area is within this factor of the last confident area. */
  readonly maxAreaChange?: number;
  /** A followed mask whose feature is less similar than this to the anchor's counts as lost (drift veto); -1 turns it off. */
  readonly vetoSimilarity?: number;
  /**
   * Fold the anchor similarity into the confidence: it is scaled by the similarity's place between
   * `vetoSimilarity` (0) and this (1), so a mask drifting off the object's looks is reported low.
   */
  readonly confidentSimilarity?: number;
  /**
   * Decoder answers per followed frame (hypotheses.ts): 'single' (the followed prompt only), 'fresh'
   * (also its box and points without the previous logits), 'box' (also its box alone), 'map' (also
   * the box of the object-like cells connected to the first answer, with its points, no logits).
   */
  readonly hypotheses?: 'single' | 'fresh' | 'box' | 'map';
  /**
   * A first answer this sure of itself (its confidence, folded with its looks as a kept step's is,
   * at least this; on a frame that follows a trusted one) is kept without a second prompt: the second
   * answer, and the object-cell map it needs, are for frames in doubt. Above 1: always a second prompt.
   */
  readonly secondBelow?: number;
  /** Cells around the moved previous box where the object-like cells are looked at ('map', 'cells'). */
  readonly mapPad?: number;
  /** Growth of the object-like cells' box for the 'map' prompt. */
  readonly mapBoxMargin?: number;
  /** Object-like cells this many cells apart still count as connected ('map'). */
  readonly mapGap?: number;
  /** The second answer is not the object when its area exceeds this many times the anchor's. */
  readonly secondMaxGrowth?: number;
  /** How the answers are scored (similarity to the memory, consistency with the moved mask, decoder IoU). */
  readonly hypothesisWeights?: HypothesisWeights;
  /** Another answer replaces the followed prompt's only when its merit is higher by this. */
  readonly hypothesisMargin?: number;
  /**
   * The looks term of that score: 'pooled' (the mask's pooled feature against the memory) or 'cells'
   * (the mask's agreement with the cells that look like the object rather than the background, cellMatch.ts).
   */
  readonly hypothesisLooks?: 'pooled' | 'cells';
  /** Prototype cells per frame for 'cells' (object, background). */
  readonly prototypeCells?: { readonly object: number; readonly background: number };
}

export const DEFAULT_TRACKER_OPTIONS: Required<TrackerOptions> = {
  boxMargin: 0.1,
  motion: true,
  constantVelocity: true,
  motionFactor: 4,
  motionRadius: 6,
  motionMaxRadius: 32,
  motionRadiusPerSize: 0.5,
  motionContext: 0,
  motionMinGain: 1,
  shiftLogits: true,
  points: 'interior',
  interiorPointCount: 3,
  negativePoints: false,
  box: true,
  rebuiltLogitScale: 10,
  maxAreaJump: Infinity,
  absentAreaRatio: 0.05,
  absentConsistency: 0.05,
  reacquire: true,
  memoryCapacity: 3,
  memoryMinConfidence: 0.8,
  memoryGate: 0.85,
  appearance: 'cosine',
  backgroundRing: 2,
  searchMinPeak: 0.5,
  searchRegionDrop: 0.15,
  acceptSimilarity: 0.75,
  maxAreaChange: 4,
  vetoSimilarity: 0.8,
  confidentSimilarity: 0.92,
  hypotheses: 'map',
  hypothesisWeights: { similarity: 2, consistency: 0.5, score: 1 },
  hypothesisMargin: 0.1,
  hypothesisLooks: 'cells',
  secondBelow: 0.95,
  mapPad: 5,
  mapBoxMargin: 0,
  mapGap: 2,
  secondMaxGrowth: 2,
  prototypeCells: { object: 64, background: 128 },
};

/** The naive baseline: previous box enlarged 10 %, its centroid, its logits; no motion. */
export const BASELINE_TRACKER_OPTIONS: TrackerOptions = {
  boxMargin: 0.1,
  motion: false,
  shiftLogits: false,
  points: 'centroid',
  negativePoints: false,
  box: true,
  maxAreaJump: Infinity,
  reacquire: false,
  hypotheses: 'single',
};

/** Confidence below this is 'low'. */
export const LOW_CONFIDENCE = 0.5;
