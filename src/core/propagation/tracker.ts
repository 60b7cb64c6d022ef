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
 * low-res logits shifted by it as `mask_input`. A second prompt on the same frame (hypotheses.ts,
 * cellMatch.ts) is the box of the embedding cells that look like the object rather than its
 * surroundings, connected to the first answer (across a thin occluder), without the logits; the
 * answer that agrees best with those cells, the moved previous mask and the decoder's IoU estimate
 * is kept. An object lost (absent, or drifted onto something that does not look like it) is
 * searched for on later frames by its appearance (appearance.ts, reacquire.ts).
 */
import type { BinaryMask } from '../mask/rle';
import type { BoxPrompt, PointPrompt, Prediction, SamPrompt } from '../segmentation/samDecoderIo';
import { DEFAULT_TRACKER_OPTIONS, LOW_CONFIDENCE, type TrackerOptions } from './trackerOptions';
import type { TrackFrame, TrackRequest, TrackStep, Tracker } from './trackTypes';
import { judge, maskIou, type Judgement } from './judge';
import { samGeometry, type SamGeometry } from '../segmentation/samGeometry';
import type { RgbaImage } from '../segmentation/samPreprocess';
import { downscaleMask, estimateTranslation, shiftLogits, shiftMask, toGrey, type GreyImage, type Translation } from './motion';
import { backgroundFeatures, cellFeatures, cellGrid, contrast, createMemory, maskCoverage, memorySimilarity, poolFeature, remember, similarityMap, type AppearanceMemory } from './appearance';
import { clipBox, enlargeBox, interiorPoints, logitsFromMask, maskStats, outsidePoints, translateBox, type MaskStats } from './prompting';
import { candidatePrompt, findCandidate, judgeReacquired } from './reacquire';
import { chooseHypothesis } from './hypotheses';
import { agreement, mergePrototypes, objectBox, objectCells, prototypesOf, regionOf, type CellRegion, type Prototypes } from './cellMatch';

// The tracker's types, options and step judgement live in their own files; importers keep using this one.
export * from './trackerOptions';
export * from './trackTypes';
export * from './judge';

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

/** A decoder answer on the followed prompt(s), judged but not yet kept. */
interface Followed {
  readonly prediction: Prediction;
  readonly verdict: Judgement;
  readonly consistency: number;
  readonly areaRatio: number;
  readonly feature: Float32Array | null;
  /** Like the anchor (the veto and the confidence). */
  readonly similarity: number | null;
  /** Like any feature of the memory (the choice between hypotheses). */
  readonly memorySimilarity: number | null;
  readonly viable: boolean;
}

/** What the tracker is doing on the frame it was given. */
interface Current {
  readonly frame: TrackFrame;
  readonly grey: GreyImage;
  readonly motion: Translation;
  /** 'follow': the prompt came from the previous frame; 'search': from the best-matching region. */
  readonly phase: 'follow' | 'fresh' | 'search';
  /** The followed prompt (the fresh look reuses its box and points). */
  readonly followPrompt: SamPrompt | null;
  /** The followed prompt's answer, while the second one is decoded. */
  readonly first?: Followed;
  /** The object-like cells near it. */
  readonly near?: ObjectMap | null;
}

interface ObjectMap {
  readonly region: CellRegion;
  readonly map: Uint8Array;
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
  const anchorArea = maskStats(anchor.mask).area;
  // Whether the reference (the previous frame's mask) was followed with confidence: a re-found or low one may be a
  // part of the object, and agreeing with it is then no merit for the next frame's answers.
  let refTrusted = true;
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
  // The object's and its surroundings' cells, on the anchor and on the last confident frame (hypothesisLooks 'cells').
  const protoOptions = { maxObject: o.prototypeCells.object, maxBackground: o.prototypeCells.background, ring: o.backgroundRing };
  let anchorProtos: Prototypes | null = null;
  let recentProtos: Prototypes | null = null;
  if (anchor.embedding) {
    const cells0 = cellFeatures(anchor.embedding, grid);
    memory = memoryOf(cells0, anchor.mask);
    if (o.hypothesisLooks === 'cells' || o.hypotheses === 'map') anchorProtos = prototypesOf(cells0, maskCoverage(anchor.mask, grid), grid, protoOptions);
  }
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
      // A match hardly better than no motion at all (a thin or deforming object, a flat background) is noise: stay put.
      if (found && found.gain >= o.motionMinGain) motion = { dx: found.dx, dy: found.dy };
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

  function evaluate(c: Current, prediction: Prediction): Followed {
    const expected = shiftMask(ref.mask, c.motion);
    const stats = maskStats(prediction.mask);
    const consistency = maskIou(prediction.mask, expected);
    const refArea = ref.stats.area;
    const areaRatio = refArea === 0 ? 0 : Math.min(stats.area, refArea) / Math.max(stats.area, refArea);
    const verdict = judge({ score: prediction.score, consistency, areaRatio, area: stats.area, referenceArea: refArea }, o);
    if (verdict.state === 'absent') return { prediction, verdict, consistency, areaRatio, feature: null, similarity: null, memorySimilarity: null, viable: false };
    const feature = featureOf(prediction.mask, c.frame);
    // How much the mask looks like the anchor (drift shows here: the recent memory drifts along).
    const similarity = feature && memory ? looks(memory, feature, true) : null;
    const memorySimilarity = feature && memory ? looks(memory, feature, false) : null;
    // Drift veto: the mask moved onto something that does not look like the object.
    const viable = similarity === null || similarity >= o.vetoSimilarity;
    return { prediction, verdict, consistency, areaRatio, feature, similarity, memorySimilarity, viable };
  }

  /** The cells that look like the object around the moved previous box and the first answer; null without prototypes. */
  function objectMapNear(c: Current, a: Followed): ObjectMap | null {
    if (anchorProtos === null || c.frame.embedding === null || ref.stats.box === null) return null;
    const moved = translateBox(ref.stats.box, c.motion.dx, c.motion.dy);
    const box = maskStats(a.prediction.mask).box;
    const union = box ? { x0: Math.min(moved.x0, box.x0), y0: Math.min(moved.y0, box.y0), x1: Math.max(moved.x1, box.x1), y1: Math.max(moved.y1, box.y1) } : moved;
    const region = regionOf(union, grid, o.mapPad);
    const map = objectCells(cellsOf(c.frame.embedding), recentProtos ? mergePrototypes([anchorProtos, recentProtos]) : anchorProtos, grid, region);
    return { region, map };
  }

  /** The second prompt: the followed one without the previous logits, its box alone, or the box of the object-like cells. */
  function secondPrompt(c: Current, a: Followed, near: ObjectMap | null): SamPrompt | null {
    const p = c.followPrompt!;
    if (o.hypotheses === 'box') return { points: [], box: p.box, maskInput: null };
    if (o.hypotheses === 'fresh') return { ...p, maskInput: null };
    if (near === null) return null;
    const seed = maskCoverage(a.viable ? a.prediction.mask : shiftMask(ref.mask, c.motion), grid);
    const found = objectBox(near.map, seed, grid, near.region, o.mapGap);
    const box = found && clipBox(enlargeBox(found, o.mapBoxMargin, Infinity, Infinity), g.origWidth, g.origHeight);
    if (!box) return null;
    return { points: p.points.filter((q) => q.x >= box.x0 && q.x < box.x1 && q.y >= box.y0 && q.y < box.y1), box, maskInput: null };
  }

  /** The answer's state and confidence, its looks folded in (a mask drifting off the object's looks is low). */
  function verdictOf(h: Followed): Judgement {
    let { state, confidence } = h.verdict;
    if (h.similarity !== null && o.confidentSimilarity > o.vetoSimilarity) {
      confidence *= Math.max(0, Math.min(1, (h.similarity - o.vetoSimilarity) / (o.confidentSimilarity - o.vetoSimilarity)));
      if (confidence < LOW_CONFIDENCE) state = 'low';
    }
    return { state, confidence };
  }

  function follow(c: Current, prediction: Prediction): TrackRequest {
    const a = evaluate(c, prediction);
    if (o.hypotheses === 'single' || c.followPrompt === null) return keep(c, a.viable ? a : null);
    if (a.viable && refTrusted && verdictOf(a).confidence >= o.secondBelow) return keep(c, a);
    const near = o.hypothesisLooks === 'cells' || o.hypotheses === 'map' ? objectMapNear(c, a) : null;
    const prompt = secondPrompt(c, a, near);
    if (prompt === null) return keep(c, a.viable ? a : null);
    current = { ...c, phase: 'fresh', first: a, near };
    return { kind: 'decode', prompt };
  }

  function chooseFresh(c: Current, prediction: Prediction): TrackRequest {
    const first = c.first!;
    const second = evaluate(c, prediction);
    // The second answer may grow the object back to about its size on the anchor (after it shrank behind an
    // occluder), not beyond: then it has run onto look-alike neighbours (other dancers), and the next frame's
    // object-like cells would carry it farther.
    const limit = o.secondMaxGrowth * anchorArea;
    const both = [first, maskStats(second.prediction.mask).area > limit ? { ...second, viable: false } : second];
    const near = o.hypothesisLooks === 'cells' ? (c.near ?? null) : null;
    const looksOf = near ? both.map((h) => agreement(maskCoverage(h.prediction.mask, grid), near.map, grid, near.region)) : null;
    const k = chooseHypothesis(
      both.map((h, i) => ({ score: h.prediction.score, consistency: refTrusted ? h.consistency : 0, similarity: looksOf ? looksOf[i]! : h.memorySimilarity, viable: h.viable })),
      o.hypothesisWeights,
      o.hypothesisMargin,
    );
    return keep(c, k < 0 ? null : both[k]!, k === 1);
  }

  /** Keeps a followed answer as the frame's step (null: none is the object, search for it). */
  function keep(c: Current, h: Followed | null, second = false): TrackRequest {
    if (h === null) return search(c);
    const { motion, grey } = c;
    const { prediction, feature, similarity, areaRatio } = h;
    const { state, confidence } = verdictOf(h);
    if (areaRatio < 1 / o.maxAreaJump) {
      // A sudden jump in area: do not let it become the reference; carry the previous one along.
      const expected = shiftMask(ref.mask, motion);
      ref = { ...ref, mask: expected, logits: o.shiftLogits ? shiftLogits(ref.logits, g, motion) : ref.logits, stats: maskStats(expected), points: ref.points.map((p) => ({ x: p.x + motion.dx, y: p.y + motion.dy })), grey };
      velocity = motion;
      return { kind: 'done', step: { state: 'low', confidence: Math.min(confidence, LOW_CONFIDENCE * 0.99), mask: prediction.mask, similarity } };
    }
    velocity = motion;
    ref = reference(prediction.mask, prediction.lowRes, grey, o);
    refTrusted = state === 'tracked';
    if (feature && state === 'tracked' && confidence >= o.memoryMinConfidence) {
      if (memory === null) memory = c.frame.embedding && memoryOf(cellsOf(c.frame.embedding), prediction.mask);
      else if (similarity !== null && similarity >= o.memoryGate) {
        memory = remember(memory, feature);
        if (anchorProtos !== null && c.frame.embedding) recentProtos = prototypesOf(cellsOf(c.frame.embedding), maskCoverage(prediction.mask, grid), grid, protoOptions);
      }
    }
    return { kind: 'done', step: { state, confidence, mask: prediction.mask, similarity, ...(second ? { second } : {}) } };
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
    refTrusted = false;
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
        return search({ frame, grey: toGrey(next, o.motionFactor), motion: { dx: 0, dy: 0 }, phase: 'search', followPrompt: null });
      }
      const { grey, motion } = motionTo(next);
      const prompt = promptFor(motion);
      current = { frame, grey, motion, phase: 'follow', followPrompt: prompt };
      return { kind: 'decode', prompt };
    },

    accept(prediction) {
      const c = current;
      if (c === null) throw new Error('accept() without a begun frame that asked for a decoder call');
      current = null;
      if (c.phase === 'follow') return follow(c, prediction);
      return c.phase === 'fresh' ? chooseFresh(c, prediction) : verifyFound(c, prediction);
    },
  };
}
