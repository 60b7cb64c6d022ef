/**
 * Progress of a batch run across the videos of a dataset: items done, failed and left per video
 * and overall, the pace in items per minute and the time left. Pure: the store counts, the review
 * shows; `now` is passed in so the numbers move while the run waits for the model.
 */
import type { ReviewRun, RunResult } from './run';

export interface ItemCounts {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Not asked yet (pending). */
  readonly left: number;
  /** Being asked now. */
  readonly running: number;
}

export interface VideoProgress extends ItemCounts {
  /** The project video; null for items that name none. */
  readonly videoId: string | null;
}

export interface RunPace {
  /** Items finished (done or failed) per minute of the run's active time; null before the first one. */
  readonly itemsPerMin: number | null;
  /** Time to finish what is left at that pace; null before the first item finishes or when nothing is left. */
  readonly etaMs: number | null;
}

/** Counts of these results. */
export function countResults(results: Iterable<RunResult>): ItemCounts {
  let total = 0;
  let done = 0;
  let failed = 0;
  let left = 0;
  let running = 0;
  for (const r of results) {
    total++;
    if (r.status === 'done') done++;
    else if (r.status === 'failed') failed++;
    else if (r.status === 'pending') left++;
    else running++;
  }
  return { total, done, failed, left, running };
}

/** Time the run has been running: what it banked plus the stretch since it last (re)started; a clock step back never subtracts. */
export function activeTime(run: Pick<ReviewRun, 'activeMs' | 'resumedAt'>, now: number): number {
  return run.activeMs + (run.resumedAt === null ? 0 : Math.max(0, now - run.resumedAt));
}

/**
 * The pace so far, per finished item over the run's own active time (pauses and the time the
 * page was closed do not count), so the concurrency is already in it.
 */
export function runPace(counts: ItemCounts, activeMs: number): RunPace {
  const finished = counts.done + counts.failed;
  const remaining = counts.left + counts.running;
  if (finished === 0 || activeMs <= 0) return { itemsPerMin: null, etaMs: null };
  return { itemsPerMin: (finished * 60_000) / activeMs, etaMs: remaining === 0 ? null : (activeMs / finished) * remaining };
}

/** Counts per video, videos in the order their first result comes. */
export function progressByVideo(results: readonly RunResult[], videoOf: (r: RunResult) => string | null): VideoProgress[] {
  const groups = new Map<string | null, RunResult[]>();
  for (const r of results) {
    const v = videoOf(r);
    const g = groups.get(v);
    if (g) g.push(r);
    else groups.set(v, [r]);
  }
  return [...groups].map(([videoId, rs]) => ({ videoId, ...countResults(rs) }));
}

/** The videos being asked about now (an item of theirs is running), in the run's order. */
export function currentVideos(videos: readonly VideoProgress[]): VideoProgress[] {
  return videos.filter((v) => v.running > 0);
}
