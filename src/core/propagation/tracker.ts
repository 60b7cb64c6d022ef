/**
 * Mask propagation with the Segment-Anything decoder: from an anchor (a mask on one frame), each
 * next frame's decoder prompt is built from what is known about the previous frame, moved by the
 * object's motion between the two frames; the decoder's answer is then judged (tracked, low
 * confidence, absent) and becomes the previous frame for the next step.
 *
 * The method and the alternatives measured to choose it are in docs/propagation-method.md.
 * In short (defaults): the object's translation is found by block matching its pixels on 1/4-size
 * grey frames around a constant-velocity prediction; the prompt is the previous mask's box
 * (enlarged by `boxMargin`) and interior point(s) moved by that translation, plus the previous
 * low-res logits shifted by it as `mask_input`.
 */
import type { BinaryMask } from '../mask/rle';
import type { BoxPrompt, PointPrompt, Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import { samGeometry, type SamGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';
import { downscaleMask, estimateTranslation, shiftLogits, shiftMask, toGrey, type GreyImage, type Translation } from './motion';
import { clipBox, enlargeBox, interiorPoints, logitsFromMask, maskStats, outsidePoints, translateBox, type MaskStats } from './prompting';

export type TrackState = 'tracked' | 'low' | 'absent';

export interface TrackStep {
  /** 'low' = low confidence; 'absent' = the object is not in this frame (left, occluded). */
  readonly state: TrackState;
  /** 0..1, from the decoder's IoU prediction and mask consistency. */
  readonly confidence: number;
  /** null when absent. */
  readonly mask: BinaryMask | null;
}

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
  shiftLogits: true,
  points: 'interior',
  interiorPointCount: 3,
  negativePoints: false,
  box: true,
  rebuiltLogitScale: 10,
  maxAreaJump: Infinity,
  absentAreaRatio: 0.05,
  absentConsistency: 0.05,
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
};

/** Confidence below this is 'low'. */
export const LOW_CONFIDENCE = 0.5;

/** One frame given to the tracker. */
export interface TrackFrame {
  readonly image: RgbaImage;
  /**
   * The frame's SAM image embedding, 256 channels of 64×64 (channel-major, as the encoder returns
   * it), or null when the caller has none. Read during the call only (a view is fine).
   */
  readonly embedding: Float32Array | null;
}

/**
 * What the tracker wants next on the frame it was given: a decoder call with this prompt (its
 * prediction goes to `accept`), or nothing more: the frame's step. A frame can take several
 * decoder calls (e.g. a second prompt where the object was lost), or none.
 */
export type TrackRequest = { readonly kind: 'decode'; readonly prompt: SamPrompt } | { readonly kind: 'done'; readonly step: TrackStep };

/**
 * A small state machine per frame: `begin(frame)`, then `accept(prediction)` for every 'decode'
 * request until a 'done'. `runTrackStep` (trackStep.ts) is that loop.
 */
export interface Tracker {
  begin(frame: TrackFrame): TrackRequest;
  accept(prediction: Prediction): TrackRequest;
}

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

interface Reference {
  readonly mask: BinaryMask;
  readonly logits: Float32Array;
  readonly stats: MaskStats;
  readonly points: readonly { x: number; y: number }[];
  readonly grey: GreyImage;
}

function reference(mask: BinaryMask, logits: Float32Array, grey: GreyImage, o: Required<TrackerOptions>): Reference {
  const stats = maskStats(mask);
  const points = o.points === 'interior' ? interiorPoints(mask, o.interiorPointCount) : o.points === 'centroid' && stats.centroid ? [stats.centroid] : [];
  return { mask, logits, stats, points, grey };
}

const ABSENT: TrackStep = { state: 'absent', confidence: 0, mask: null };

/**
 * Starts from an anchor: the user's mask on a frame, its decoder logits when known (null e.g. after
 * a reload), the frame's pixels and, when known, its SAM embedding.
 */
export function createTracker(anchor: { readonly mask: BinaryMask; readonly lowRes: Float32Array | null; readonly image: RgbaImage; readonly embedding?: Float32Array | null }, options?: TrackerOptions): Tracker {
  const o: Required<TrackerOptions> = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  const g: SamGeometry = samGeometry(anchor.image.width, anchor.image.height);
  if (anchor.mask.width !== anchor.image.width || anchor.mask.height !== anchor.image.height) {
    throw new RangeError(`The anchor mask is ${anchor.mask.width}x${anchor.mask.height}, its frame ${anchor.image.width}x${anchor.image.height}`);
  }
  let ref = reference(anchor.mask, anchor.lowRes ?? logitsFromMask(anchor.mask, g, o.rebuiltLogitScale), toGrey(anchor.image, o.motionFactor), o);
  let velocity: Translation = { dx: 0, dy: 0 };
  // Once a step was absent, the object is not followed any further: every later frame is absent.
  let lost = false;
  // The frame begun and what begin() worked out for it, used by accept().
  let current: { frame: TrackFrame; grey: GreyImage; motion: Translation } | null = null;

  function motionTo(next: RgbaImage): { grey: GreyImage; motion: Translation } {
    const grey = toGrey(next, o.motionFactor);
    let motion: Translation = { dx: 0, dy: 0 };
    if (o.motion && ref.stats.box) {
      const size = Math.max(ref.stats.box.x1 - ref.stats.box.x0, ref.stats.box.y1 - ref.stats.box.y0) / o.motionFactor;
      const radius = Math.max(o.motionRadius, Math.min(o.motionMaxRadius, Math.round(size * o.motionRadiusPerSize)));
      const found = estimateTranslation(ref.grey, grey, downscaleMask(ref.mask, o.motionFactor), {
        radius,
        predicted: o.constantVelocity ? velocity : { dx: 0, dy: 0 },
        context: o.motionContext,
      });
      if (found) motion = { dx: found.dx, dy: found.dy };
    }
    return { grey, motion };
  }

  function promptFor(motion: Translation): SamPrompt {
    const { dx, dy } = motion;
    const points: PointPrompt[] = ref.points.map((p) => ({ x: p.x + dx, y: p.y + dy, positive: true }));
    let box: BoxPrompt | null = null;
    if (o.box && ref.stats.box) box = clipBox(enlargeBox(translateBox(ref.stats.box, dx, dy), o.boxMargin, Infinity, Infinity), g.origWidth, g.origHeight);
    const inside = points.filter((p) => p.x >= 0 && p.y >= 0 && p.x < g.origWidth && p.y < g.origHeight);
    if (o.negativePoints && box) inside.push(...outsidePoints(shiftMask(ref.mask, motion), box));
    const maskInput = o.shiftLogits ? shiftLogits(ref.logits, g, motion) : ref.logits;
    return { points: inside, box, maskInput };
  }

  return {
    begin(frame) {
      const next = frame.image;
      if (next.width !== g.origWidth || next.height !== g.origHeight) throw new RangeError('Every frame must have the anchor frame size');
      current = null;
      if (lost) return { kind: 'done', step: ABSENT };
      const { grey, motion } = motionTo(next);
      current = { frame, grey, motion };
      return { kind: 'decode', prompt: promptFor(motion) };
    },

    accept(prediction) {
      if (current === null) throw new Error('accept() without a begun frame that asked for a decoder call');
      const { grey, motion } = current;
      current = null;
      const expected = shiftMask(ref.mask, motion);
      const stats = maskStats(prediction.mask);
      const consistency = maskIou(prediction.mask, expected);
      const refArea = ref.stats.area;
      const areaRatio = refArea === 0 ? 0 : Math.min(stats.area, refArea) / Math.max(stats.area, refArea);
      const verdict = judge({ score: prediction.score, consistency, areaRatio, area: stats.area, referenceArea: refArea }, o);
      if (verdict.state === 'absent') {
        lost = true;
        return { kind: 'done', step: ABSENT };
      }
      if (areaRatio < 1 / o.maxAreaJump) {
        // A sudden jump in area: do not let it become the reference; carry the previous one along.
        ref = { ...ref, mask: expected, logits: o.shiftLogits ? shiftLogits(ref.logits, g, motion) : ref.logits, stats: maskStats(expected), points: ref.points.map((p) => ({ x: p.x + motion.dx, y: p.y + motion.dy })), grey };
        velocity = motion;
        return { kind: 'done', step: { state: 'low', confidence: Math.min(verdict.confidence, LOW_CONFIDENCE * 0.99), mask: prediction.mask } };
      }
      velocity = motion;
      ref = reference(prediction.mask, prediction.lowRes, grey, o);
      return { kind: 'done', step: { state: verdict.state, confidence: verdict.confidence, mask: prediction.mask } };
    },
  };
}
