/**
 * The order in which a propagation of several objects computes its steps: frame-major, so that a
 * frame's image embedding (the encoder pass, most of the cost) is computed once and used by every
 * object that needs that frame, then dropped.
 *
 * A run is a chain (frame t+1 is prompted from frame t's result), forward runs walk up the video
 * and backward runs walk down. So the schedule is two sweeps:
 *  - the up sweep: every frame some forward run computes, ascending; on each frame, one step of
 *    each forward run that computes it;
 *  - the down sweep: the same for backward runs, descending.
 * Each sweep visits a frame once, so a frame needed in one direction only (by every object that
 * needs it) is one group: one encoder pass. This covers any number of objects propagated one way,
 * and objects propagated both ways that do not cross (one object with several anchors: the
 * midpoint rule keeps its runs apart; several objects anchored on the same frame).
 *
 * What no order can do: object A anchored before object B, both propagated both ways: between the
 * two anchors A's forward run needs the frames ascending and B's backward run needs them
 * descending. Using each embedding once would mean holding every frame of that stretch at the
 * same time (4 MiB each). Those frames get one group per sweep (two at most), and the sweeps are
 * put in the order that lets the worker's embedding cache (the last `cacheFrames` frames encoded)
 * serve the most of them where one sweep ends and the other begins: `predictEncoderPasses`
 * counts the passes of both orders and the cheaper one is used.
 *
 * Pure: frames are indices; no video or model is touched.
 */
import type { PropagationRun } from './plan';

/** Image embeddings the segmentation worker keeps (LRU): 16 × 4 MiB. */
export const EMBEDDING_CACHE_FRAMES = 16;

/** One frame to compute for one run: `run.frames[position]`, prompted from the result on `previous`. */
export interface PropagationStep<R extends PropagationRun = PropagationRun> {
  readonly run: R;
  readonly position: number;
  readonly frame: number;
  /** `run.from` for the first step of a run, else the run's previous frame. */
  readonly previous: number;
}

/** Every step that needs `frame`, at most one per run: computed together on one embedding. */
export interface FrameGroup<R extends PropagationRun = PropagationRun> {
  readonly frame: number;
  readonly direction: 'forward' | 'backward';
  readonly steps: readonly PropagationStep<R>[];
}

/** A run's frames must move away from `from` one way, strictly (planPropagation's runs do). */
function checkRun(run: PropagationRun): void {
  const sign = run.direction === 'forward' ? 1 : -1;
  let last = run.from;
  for (const f of run.frames) {
    if (sign * (f - last) <= 0) throw new RangeError(`A ${run.direction} run from ${run.from} lists frame ${f} after ${last}`);
    last = f;
  }
}

/** One sweep: the runs' steps grouped by frame, ascending (forward) or descending (backward); runs keep their input order within a frame. */
function sweep<R extends PropagationRun>(runs: readonly R[], direction: 'forward' | 'backward'): FrameGroup<R>[] {
  const byFrame = new Map<number, PropagationStep<R>[]>();
  for (const run of runs) {
    if (run.direction !== direction) continue;
    run.frames.forEach((frame, position) => {
      const step: PropagationStep<R> = { run, position, frame, previous: position === 0 ? run.from : run.frames[position - 1]! };
      const steps = byFrame.get(frame);
      if (steps) steps.push(step);
      else byFrame.set(frame, [step]);
    });
  }
  const sign = direction === 'forward' ? 1 : -1;
  return [...byFrame.keys()].sort((a, b) => sign * (a - b)).map((frame) => ({ frame, direction, steps: byFrame.get(frame)! }));
}

/**
 * Encoder passes the groups cost in this order with an LRU cache of `cacheFrames` embeddings that
 * starts empty (the worker's cache; a group runs in one call, so it costs at most one).
 */
export function predictEncoderPasses(groups: readonly FrameGroup<PropagationRun>[], cacheFrames = EMBEDDING_CACHE_FRAMES): number {
  if (!Number.isSafeInteger(cacheFrames) || cacheFrames < 0) throw new RangeError(`cacheFrames must be an integer >= 0, got ${cacheFrames}`);
  // Insertion order of a Map is the recency order: re-inserting marks most recently used.
  const cache = new Map<number, true>();
  let passes = 0;
  for (const { frame } of groups) {
    if (cache.delete(frame)) {
      cache.set(frame, true);
      continue;
    }
    passes++;
    if (cacheFrames === 0) continue;
    cache.set(frame, true);
    if (cache.size > cacheFrames) cache.delete(cache.keys().next().value!);
  }
  return passes;
}

/**
 * The frame-major schedule of `runs` (see the module comment): the up sweep and the down sweep,
 * in whichever order costs fewer encoder passes with a cache of `cacheFrames` (up first on a tie).
 * `R` may extend PropagationRun (with an instance id, say); steps hand back the caller's run.
 */
export function scheduleByFrame<R extends PropagationRun>(runs: readonly R[], cacheFrames = EMBEDDING_CACHE_FRAMES): FrameGroup<R>[] {
  runs.forEach(checkRun);
  const up = sweep(runs, 'forward');
  const down = sweep(runs, 'backward');
  const upFirst = [...up, ...down];
  const downFirst = [...down, ...up];
  return predictEncoderPasses(downFirst, cacheFrames) < predictEncoderPasses(upFirst, cacheFrames) ? downFirst : upFirst;
}
