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
import { backgroundFeatures, cellFeatures, cellGrid, contrast, createMemory, maskCoverage, memorySimilarity, poolFeature, remember, similarityMap, type AppearanceMemory } from './appearance';
import { clipBox, enlargeBox, interiorPoints, logitsFromMask, maskStats, outsidePoints, translateBox, type MaskStats } from './prompting';
import { candidatePrompt, findCandidate, judgeReacquired } from './reacquire';

export type TrackState = 'tracked' | 'low' | 'absent';

export interface TrackStep {
  /** 'low' = low confidence; 'absent' = the object is not in this frame (left, occluded). */
  readonly state: TrackState;
  /** 0..1, from the decoder's IoU prediction and mask consistency. */
  readonly confidence: number;
  /** null when absent. */
  readonly mask: BinaryMask | null;
  /** The mask's pooled embedding feature against the appearance memory (cosine); null when not computed. */
  readonly similarity?: number | null;
  /** The object had been lost and was found again on this frame by searching it. */
  readonly reacquired?: boolean;
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

/** What the tracker is doing on the frame it was given. */
interface Current {
  readonly frame: TrackFrame;
  readonly grey: GreyImage;
  readonly motion: Translation;
  /** 'follow': the prompt came from the previous frame; 'search': from the best-matching region. */
  readonly phase: 'follow' | 'search';
}

/**
 * Starts from an anchor: the user's mask on a frame, its decoder logits when known (null e.g. after
 * a reload), the frame's pixels and, when known, its SAM embedding (the appearance memory starts
 * from it; without it, from the first confident frame that has one).
 */
export function createTracker(anchor: { readonly mask: BinaryMask; readonly lowRes: Float32Array | null; readonly image: RgbaImage; readonly embedding?: Float32Array | null }, options?: TrackerOptions): Tracker {
  const o: Required<TrackerOptions> = { ...DEFAULT_TRACKER_OPTIONS, ...options };
  const g: SamGeometry = samGeometry(anchor.image.width, anchor.image.height);
  if (anchor.mask.width !== anchor.image.width || anchor.mask.height !== anchor.image.height) {
    throw new RangeError(`The anchor mask is ${anchor.mask.width}x${anchor.mask.height}, its frame ${anchor.image.width}x${anchor.image.height}`);
  }
  const grid = cellGrid(g);
  let ref = reference(anchor.mask, anchor.lowRes ?? logitsFromMask(anchor.mask, g, o.rebuiltLogitScale), toGrey(anchor.image, o.motionFactor), o);
  let velocity: Translation = { dx: 0, dy: 0 };
  // Once lost, the object is searched for on every later frame (or, without re-acquisition, absent for good).
  let lost = false;
  let memory: AppearanceMemory | null = null;
  /** A memory of the object as `mask` shows it on a frame with these cell features. */
  const memoryOf = (cells: Float32Array, mask: BinaryMask): AppearanceMemory | null => {
    const coverage = maskCoverage(mask, grid);
    const feature = poolFeature(cells, coverage);
    return feature && createMemory(feature, o.memoryCapacity, o.appearance === 'contrast' ? backgroundFeatures(cells, coverage, grid, o.backgroundRing) : []);
  };
  if (anchor.embedding) memory = memoryOf(cellFeatures(anchor.embedding, grid), anchor.mask);
  /** How much a feature looks like the object: like the anchor only, or like any feature in memory. */
  const looks = (m: AppearanceMemory, feature: Float32Array, anchorOnly: boolean): number => {
    const m1 = anchorOnly ? { ...m, recent: [] } : m;
    return o.appearance === 'contrast' ? contrast(m1, feature) : memorySimilarity(m1, feature);
  };
  let current: Current | null = null;

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

  // The unit cell features of the last embedding seen: a frame's follow and search steps share them.
  let cells: { embedding: Float32Array; features: Float32Array } | null = null;
  function cellsOf(embedding: Float32Array): Float32Array {
    if (cells?.embedding !== embedding) cells = { embedding, features: cellFeatures(embedding, grid) };
    return cells.features;
  }

  /** The mask's pooled feature on this frame, when the frame has an embedding. */
  function featureOf(mask: BinaryMask, frame: TrackFrame): Float32Array | null {
    return frame.embedding ? poolFeature(cellsOf(frame.embedding), maskCoverage(mask, grid)) : null;
  }

  /** Looks for the lost object on the current frame: a decoder request on the best-matching region, or absent. */
  function search(c: Current): TrackRequest {
    lost = true;
    velocity = { dx: 0, dy: 0 };
    if (!o.reacquire || memory === null || c.frame.embedding === null) return { kind: 'done', step: ABSENT };
    const candidate = findCandidate(similarityMap(cellsOf(c.frame.embedding), memory, o.appearance === 'contrast'), grid, { minPeak: o.searchMinPeak, regionDrop: o.searchRegionDrop });
    if (candidate === null) return { kind: 'done', step: ABSENT };
    current = { ...c, phase: 'search' };
    return { kind: 'decode', prompt: candidatePrompt(candidate, g.origWidth, g.origHeight) };
  }

  function follow(c: Current, prediction: Prediction): TrackRequest {
    const { grey, motion } = c;
    const expected = shiftMask(ref.mask, motion);
    const stats = maskStats(prediction.mask);
    const consistency = maskIou(prediction.mask, expected);
    const refArea = ref.stats.area;
    const areaRatio = refArea === 0 ? 0 : Math.min(stats.area, refArea) / Math.max(stats.area, refArea);
    const verdict = judge({ score: prediction.score, consistency, areaRatio, area: stats.area, referenceArea: refArea }, o);
    if (verdict.state === 'absent') return search(c);
    const feature = featureOf(prediction.mask, c.frame);
    // How much the mask looks like the anchor (drift shows here: the recent memory drifts along).
    const similarity = feature && memory ? looks(memory, feature, true) : null;
    // Drift veto: the mask moved onto something that does not look like the object.
    if (similarity !== null && similarity < o.vetoSimilarity) return search(c);
    let { state, confidence } = verdict;
    if (similarity !== null && o.confidentSimilarity > o.vetoSimilarity) {
      confidence *= Math.max(0, Math.min(1, (similarity - o.vetoSimilarity) / (o.confidentSimilarity - o.vetoSimilarity)));
      if (confidence < LOW_CONFIDENCE) state = 'low';
    }
    if (areaRatio < 1 / o.maxAreaJump) {
      // A sudden jump in area: do not let it become the reference; carry the previous one along.
      ref = { ...ref, mask: expected, logits: o.shiftLogits ? shiftLogits(ref.logits, g, motion) : ref.logits, stats: maskStats(expected), points: ref.points.map((p) => ({ x: p.x + motion.dx, y: p.y + motion.dy })), grey };
      velocity = motion;
      return { kind: 'done', step: { state: 'low', confidence: Math.min(confidence, LOW_CONFIDENCE * 0.99), mask: prediction.mask, similarity } };
    }
    velocity = motion;
    ref = reference(prediction.mask, prediction.lowRes, grey, o);
    if (feature && state === 'tracked' && confidence >= o.memoryMinConfidence) {
      if (memory === null) memory = c.frame.embedding && memoryOf(cellsOf(c.frame.embedding), prediction.mask);
      else if (similarity !== null && similarity >= o.memoryGate) memory = remember(memory, feature);
    }
    return { kind: 'done', step: { state, confidence, mask: prediction.mask, similarity } };
  }

  function verifyFound(c: Current, prediction: Prediction): TrackRequest {
    const stats = maskStats(prediction.mask);
    const feature = stats.area > 0 ? featureOf(prediction.mask, c.frame) : null;
    const similarity = feature && memory ? looks(memory, feature, false) : null;
    const verdict = judgeReacquired({ similarity, area: stats.area, referenceArea: ref.stats.area }, { acceptSimilarity: o.acceptSimilarity, maxAreaChange: o.maxAreaChange });
    if (verdict === 'rejected') return { kind: 'done', step: { ...ABSENT, similarity } };
    lost = false;
    velocity = { dx: 0, dy: 0 };
    ref = reference(prediction.mask, prediction.lowRes, c.grey, o);
    // A re-found frame is reported with low confidence: nothing ties it to the previous frames but its looks.
    const confidence = Math.min(LOW_CONFIDENCE * 0.99, Math.max(0, Math.min(1, prediction.score)));
    return { kind: 'done', step: { state: 'low', confidence, mask: prediction.mask, similarity, reacquired: true } };
  }

  return {
    begin(frame) {
      const next = frame.image;
      if (next.width !== g.origWidth || next.height !== g.origHeight) throw new RangeError('Every frame must have the anchor frame size');
      current = null;
      if (lost) {
        if (!o.reacquire) return { kind: 'done', step: ABSENT };
        return search({ frame, grey: toGrey(next, o.motionFactor), motion: { dx: 0, dy: 0 }, phase: 'search' });
      }
      const { grey, motion } = motionTo(next);
      current = { frame, grey, motion, phase: 'follow' };
      return { kind: 'decode', prompt: promptFor(motion) };
    },

    accept(prediction) {
      const c = current;
      if (c === null) throw new Error('accept() without a begun frame that asked for a decoder call');
      current = null;
      return c.phase === 'follow' ? follow(c, prediction) : verifyFound(c, prediction);
    },
  };
}
