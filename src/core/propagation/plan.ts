/**
 * Which frames a propagation computes, from which anchor, in which order.
 *
 * Rules (each decided here, tested in plan.test.ts):
 *  - Runs start only from anchors inside the (inclusive, clamped) range, go forward until just
 *    before the next anchor or the range end, and backward until just after the previous anchor or
 *    the range start. A run never computes an anchor frame, never crosses one and never leaves the
 *    range.
 *  - Midpoint rule: with direction 'both', between two anchors A < B that are both in the range,
 *    A's forward run stops at floor((A+B)/2) and B's backward run at floor((A+B)/2) + 1. Every frame
 *    between them is nearer to (or, at an even midpoint, as near to) the anchor that computes it,
 *    which is the one `mergeResult` would keep anyway, so running each side across the whole gap
 *    would only compute results that are thrown away: this halves the work between anchors. With a
 *    single direction, or when the other anchor is outside the range (so it does not run toward
 *    the gap in this plan), the run goes all the way to just before the other anchor.
 *  - Sampling: 'every' keeps every frame; 'nth' keeps anchor ± k, ± 2k, ...; 'fps' keeps, for
 *    n = 1, 2, ..., the frame whose time is nearest to the anchor's time ± n / fps (exact
 *    timestamps when given, else frame / videoFps), each kept frame distinct from the previous
 *    one (so above the video's rate it degrades to every frame). Frames left out are simply not
 *    computed; the lane shows them as "not computed". Sampling counts from each anchor, so the
 *    anchor's own neighbourhood is always sampled the same way wherever it sits.
 *  - Resume: with `resume` and `done`, the leading frames of a run that `done` already holds FROM
 *    THE SAME ANCHOR are skipped, and the run starts from the last of them (`from`). Only a prefix
 *    is skipped: tracking is a chain (each frame is prompted from the one before), so a computed
 *    frame after a gap is recomputed rather than trusted. Without `resume`, `done` is ignored and
 *    everything is recomputed (e.g. after changing the method).
 *  - Runs with nothing to compute are left out.
 *
 * Pure: frames are indices in presentation order; no video is touched.
 */
import { nearestIndex } from '../sorted';
import type { Masklet } from './masklet';

export type Direction = 'forward' | 'backward' | 'both';

export type SamplingStep =
  | { readonly kind: 'every' }
  | { readonly kind: 'nth'; readonly k: number }
  | { readonly kind: 'fps'; readonly fps: number };

/** What sampling by time needs to know about the video. */
export interface FrameClock {
  readonly frameCount: number;
  /** Presentation time of each frame in seconds, ascending; at least `frameCount` values. */
  readonly timestamps?: readonly number[];
  /** Used for frame times when `timestamps` is absent. */
  readonly videoFps: number;
}

export interface PlanInput extends FrameClock {
  /** The instance's anchor frames (any order, duplicates ignored; outside [0, frameCount) ignored). */
  readonly anchors: readonly number[];
  readonly direction: Direction;
  /** Inclusive frame range [first, last]; clamped to the video. */
  readonly range: readonly [number, number];
  readonly step: SamplingStep;
  /** The instance's current masklet; only read when `resume` is set. */
  readonly done?: Masklet;
  /** Skip each run's leading frames already computed from the same anchor (a cancelled run continued). */
  readonly resume?: boolean;
}

export interface PropagationRun {
  readonly anchor: number;
  readonly direction: 'forward' | 'backward';
  /**
   * The frame whose mask seeds the first computed frame: the anchor, or when resuming, the last
   * frame of the run already computed from this anchor (its result is in `done`).
   */
  readonly from: number;
  /** Frames to compute in order, moving away from the anchor; never empty. */
  readonly frames: readonly number[];
}

function checkClock(clock: FrameClock): void {
  if (!Number.isSafeInteger(clock.frameCount) || clock.frameCount < 0) throw new RangeError(`frameCount ${clock.frameCount} is not an integer >= 0`);
  if (clock.timestamps !== undefined && clock.timestamps.length < clock.frameCount) {
    throw new RangeError(`${clock.timestamps.length} timestamps for ${clock.frameCount} frames`);
  }
}

function checkStep(step: SamplingStep, clock: FrameClock): void {
  if (step.kind === 'nth' && (!Number.isSafeInteger(step.k) || step.k < 1)) throw new RangeError(`Sampling every k-th frame needs an integer k >= 1, got ${step.k}`);
  if (step.kind === 'fps') {
    if (!Number.isFinite(step.fps) || step.fps <= 0) throw new RangeError(`Sampling at ${step.fps} fps: the rate must be > 0`);
    if (clock.timestamps === undefined && (!Number.isFinite(clock.videoFps) || clock.videoFps <= 0)) {
      throw new RangeError(`Sampling by time needs timestamps or a video rate > 0, got ${clock.videoFps} fps`);
    }
  }
}

/**
 * The frames a sampling step keeps going from `anchor` toward `limit` (inclusive; either side of
 * the anchor), in order moving away from the anchor, the anchor itself excluded. `limit` must be a
 * frame of the video.
 */
export function sampledFrames(anchor: number, limit: number, step: SamplingStep, clock: FrameClock): number[] {
  checkClock(clock);
  checkStep(step, clock);
  const dir = limit > anchor ? 1 : -1;
  const frames: number[] = [];
  if (limit === anchor) return frames;
  if (step.kind === 'every' || step.kind === 'nth') {
    const k = step.kind === 'every' ? 1 : step.k;
    for (let f = anchor + dir * k; dir * (limit - f) >= 0; f += dir * k) frames.push(f);
    return frames;
  }
  const { timestamps, videoFps, frameCount } = clock;
  const time = (f: number): number => (timestamps ? timestamps[f]! : f / videoFps);
  // The frame nearest to time t; a time more than half a frame beyond either end of the video
  // gives an index outside it (-1 or frameCount), so a target past the video's end is not pulled
  // back onto its last frame (which may be far from the target).
  const lastFrame = frameCount - 1;
  const nearest = (t: number): number => {
    // (+ 0: rounding a time just before 0 gives -0, which is not the frame 0 of other runs to Object.is.)
    if (!timestamps) return Math.round(t * videoFps) + 0;
    const i = nearestIndex(timestamps, t);
    if (i >= lastFrame && lastFrame > 0 && t > timestamps[lastFrame]! + (timestamps[lastFrame]! - timestamps[lastFrame - 1]!) / 2) return frameCount;
    if (i === 0 && frameCount > 1 && t < timestamps[0]! - (timestamps[1]! - timestamps[0]!) / 2) return -1;
    return i;
  };
  const t0 = time(anchor);
  const tLimit = time(limit);
  let last = anchor;
  for (let n = 1; ; n++) {
    const target = t0 + (dir * n) / step.fps;
    const f = nearest(target);
    if (dir * (f - limit) > 0) break;
    if (dir * (f - last) > 0) {
      frames.push(f);
      last = f;
    }
    if (last === limit || dir * (target - tLimit) >= 0) break;
    // Above the video's rate many targets fall on the same frame: jump to the first n whose target
    // can reach past the midpoint to the next frame, so the loop is O(frames), not O(fps * duration).
    // (`last` is short of `limit`, so last + dir is a frame of the video.)
    const boundary = (time(last) + time(last + dir)) / 2;
    n = Math.max(n, Math.ceil(Math.abs(boundary - t0) * step.fps) - 1);
  }
  return frames;
}

/** Sorted, distinct anchors that are frames of the video. */
function cleanAnchors(anchors: readonly number[], frameCount: number): number[] {
  return [...new Set(anchors)].filter((a) => Number.isSafeInteger(a) && a >= 0 && a < frameCount).sort((a, b) => a - b);
}

/** The runs a propagation computes, by ascending anchor, forward before backward (see the module comment for the rules). */
export function planPropagation(input: PlanInput): PropagationRun[] {
  checkClock(input);
  checkStep(input.step, input);
  const { frameCount, direction, step } = input;
  const first = Math.max(0, Math.ceil(Math.min(input.range[0], input.range[1])));
  const last = Math.min(frameCount - 1, Math.floor(Math.max(input.range[0], input.range[1])));
  if (first > last) return [];
  const anchors = cleanAnchors(input.anchors, frameCount);
  const done = input.resume ? input.done : undefined;
  const runs: PropagationRun[] = [];
  const add = (anchor: number, dir: 'forward' | 'backward', limit: number): void => {
    let frames = sampledFrames(anchor, limit, step, input);
    let from = anchor;
    if (done) {
      let skip = 0;
      while (skip < frames.length && done[frames[skip]!]?.anchor === anchor) skip++;
      if (skip > 0) {
        from = frames[skip - 1]!;
        frames = frames.slice(skip);
      }
    }
    if (frames.length > 0) runs.push({ anchor, direction: dir, from, frames });
  };
  anchors.forEach((a, i) => {
    if (a < first || a > last) return;
    const prev = anchors[i - 1];
    const next = anchors[i + 1];
    if (direction !== 'backward') {
      let limit = next === undefined ? last : Math.min(last, next - 1);
      if (direction === 'both' && next !== undefined && next <= last) limit = Math.floor((a + next) / 2);
      add(a, 'forward', limit);
    }
    if (direction !== 'forward') {
      let limit = prev === undefined ? first : Math.max(first, prev + 1);
      if (direction === 'both' && prev !== undefined && prev >= first) limit = Math.floor((prev + a) / 2) + 1;
      add(a, 'backward', limit);
    }
  });
  return runs;
}

/** Frames to compute over all runs (the progress bar's total). */
export function totalFrames(runs: readonly PropagationRun[]): number {
  let total = 0;
  for (const run of runs) total += run.frames.length;
  return total;
}
