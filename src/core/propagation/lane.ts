/**
 * What the timeline and the canvas read from annotations and masklets: an instance's anchors, its
 * lane (anchor / tracked / low / absent / not computed, run-length encoded), the next
 * low-confidence frame, and the mask to draw on a frame.
 *
 * Masklet keys are canonical integer strings, which JavaScript enumerates in ascending numeric
 * order (array-index keys come first, ascending, for every ordinary object), so walking
 * `Object.keys` costs O(computed frames), not O(video length): with 1-fps sampling on a 10-minute
 * video that is 600 entries instead of 18,000 frames.
 */
import type { FrameAnnotation } from '../annotation/model';
import { annotationKey } from '../annotation/model';
import type { Rle } from '../mask/rle';
import type { Masklet, Masklets, PropagatedState } from './masklet';

export type LaneKind = 'anchor' | 'tracked' | 'low' | 'absent' | 'none';

export interface LaneSegment {
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
  readonly kind: LaneKind;
}

/** The masklet's frames in [0, frameCount) (or all, without a bound), ascending. */
function computedFrames(masklet: Masklet, frameCount = Infinity): number[] {
  const frames: number[] = [];
  for (const key of Object.keys(masklet)) {
    const frame = Number(key);
    if (Number.isInteger(frame) && frame >= 0 && frame < frameCount) frames.push(frame);
  }
  return frames;
}

/**
 * The instance's lane over [0, frameCount) as consecutive segments, in order, covering every frame
 * exactly once, adjacent equal kinds merged. An anchor frame is 'anchor' whatever the masklet
 * holds there; a frame without a result is 'none' (not computed). Anchors and results outside the
 * video are ignored.
 */
export function laneSegments(masklet: Masklet, anchors: readonly number[], frameCount: number): LaneSegment[] {
  const segments: LaneSegment[] = [];
  let start = 0;
  let kind: LaneKind = 'none';
  // The lane continues with kind `k` from frame `from` on; the pending segment is [start, from - 1].
  const put = (from: number, k: LaneKind): void => {
    if (k === kind) return;
    if (from > start) segments.push({ start, end: from - 1, kind });
    start = from;
    kind = k;
  };
  const anchorSet = new Set(anchors);
  const sortedAnchors = [...anchorSet].filter((a) => Number.isInteger(a) && a >= 0 && a < frameCount).sort((a, b) => a - b);
  const results = computedFrames(masklet, frameCount);
  // Walk the frames where something is known (results and anchors, merged in order); every gap
  // between them, and the frame just after each, is 'none' unless the next known frame follows.
  let i = 0;
  let j = 0;
  let previous = -1;
  while (i < results.length || j < sortedAnchors.length) {
    const r = results[i] ?? Infinity;
    const a = sortedAnchors[j] ?? Infinity;
    const frame = Math.min(r, a);
    if (r === frame) i++;
    if (a === frame) j++;
    if (frame > previous + 1) put(previous + 1, 'none');
    put(frame, anchorSet.has(frame) ? 'anchor' : masklet[frame]!.state);
    previous = frame;
  }
  if (previous + 1 < frameCount) put(previous + 1, 'none');
  if (frameCount > start) segments.push({ start, end: frameCount - 1, kind });
  return segments;
}

/**
 * The nearest frame strictly after `from` (direction 1) or before it (-1) whose result is 'low',
 * or null when there is none; no wrapping around the ends, so "next" never jumps backwards.
 */
export function nextLowConfidence(masklet: Masklet, from: number, direction: 1 | -1): number | null {
  let best: number | null = null;
  for (const frame of computedFrames(masklet)) {
    if (masklet[frame]!.state !== 'low') continue;
    if (direction === 1 && frame > from) return frame; // ascending: the first one after is the nearest
    if (direction === -1 && frame < from) best = frame; // keep the last one before
  }
  return best;
}

/**
 * The instance's anchor frames, ascending: frames where it has prompts AND a mask. A frame whose
 * mask is still being computed is not an anchor yet (there is nothing to propagate from).
 */
export function anchorsOf(frames: Readonly<Record<string, FrameAnnotation>>, instanceId: string): number[] {
  const anchors: number[] = [];
  const prefix = `${instanceId}@`;
  for (const key of Object.keys(frames)) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    // An id may itself contain "@" ("a" and "a@b" both prefix "a@b@3"); the frame part never does.
    if (!/^\d+$/.test(rest)) continue;
    const annotation = frames[key]!;
    if (annotation.prompts.length > 0 && annotation.mask !== null) anchors.push(Number(rest));
  }
  return anchors.sort((a, b) => a - b);
}

export interface DrawnMask {
  readonly rle: Rle;
  readonly source: 'anchor' | 'propagated';
  readonly state: PropagatedState | 'anchor';
  /** 1 on an anchor (the user's own mask), else the propagated confidence. */
  readonly confidence: number;
}

/**
 * What to draw for an instance on a frame: the user's mask where the frame is an anchor, else the
 * propagated mask unless the object is absent there, else nothing. A frame whose prompts are
 * waiting for their mask shows the propagated one meanwhile, so placing a correction does not make
 * the object blink out. Masklets are assumed pruned to the current anchors (`pruneToAnchors`).
 */
export function maskAt(
  frames: Readonly<Record<string, FrameAnnotation>>,
  masklets: Masklets,
  instanceId: string,
  frame: number,
): DrawnMask | null {
  const own = frames[annotationKey(instanceId, frame)];
  if (own && own.prompts.length > 0 && own.mask !== null) return { rle: own.mask.rle, source: 'anchor', state: 'anchor', confidence: 1 };
  // Own-property check: an instance id like "constructor" must not read Object.prototype.
  const masklet = Object.hasOwn(masklets, instanceId) ? masklets[instanceId] : undefined;
  const result = masklet?.[frame];
  if (!result || result.state === 'absent' || result.rle === null) return null;
  return { rle: result.rle, source: 'propagated', state: result.state, confidence: result.confidence };
}
