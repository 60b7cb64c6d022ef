/**
 * A batch run's progress as the review shows it: overall (done, failed, left, items per minute,
 * time left) and per video of the dataset, with the videos being asked about now. The per-video
 * counts are rebuilt only when the run's results, the QA items or the videos change (memoised at
 * module level), so the once-a-second tick of the time left costs one pass over the results.
 */
import { objectNameLookup, videoPathLookup, visibleItems } from '../core/qa/tableView';
import type { QaItem } from '../core/qa/model';
import { runProgress, type RunProgress } from '../core/review/batch';
import { progressByVideo, type VideoProgress } from '../core/review/batchProgress';
import type { ReviewRun, RunResult } from '../core/review/run';
import type { AppState } from './appStore';

export interface VideoProgressRow extends VideoProgress {
  /** The video's path in the dataset; the item's own path (or '—') when the video is not in the project. */
  readonly path: string;
}

export interface BatchProgressView {
  readonly overall: RunProgress;
  /** Every video of the run, in the order the run reaches them. */
  readonly videos: readonly VideoProgressRow[];
  /** The videos with an item being asked now. */
  readonly current: readonly VideoProgressRow[];
}

let memo: { results: readonly RunResult[]; items: AppState['qa']['history']['present']; videos: AppState['dataset']['videos']; openId: string | null; rows: VideoProgressRow[] } | null = null;

function videoRows(run: ReviewRun, s: AppState): VideoProgressRow[] {
  const items = s.qa.history.present;
  const videos = s.dataset.videos;
  const openId = s.dataset.openVideoId;
  if (memo && memo.results === run.results && memo.items === items && memo.videos === videos && memo.openId === openId) return memo.rows;
  const videoOfItem = new Map(items.map((i) => [i.id, i.projectVideoId ?? openId]));
  const paths = new Map(videos.map((v) => [v.id, v.path]));
  const pathOfResult = new Map<string | null, string>();
  const videoOf = (r: RunResult): string | null => {
    const v = r.itemId === null ? null : (videoOfItem.get(r.itemId) ?? null);
    if (!pathOfResult.has(v)) pathOfResult.set(v, v === null ? (r.item.videoPath ?? '—') : (paths.get(v) ?? r.item.videoPath ?? '—'));
    return v;
  };
  const rows = progressByVideo(run.results, videoOf).map((p) => ({ ...p, path: pathOfResult.get(p.videoId) ?? '—' }));
  memo = { results: run.results, items, videos, openId, rows };
  return rows;
}

/** The progress of a batch run at `now`; null for a run that is not a batch run (or not there). */
export function batchProgressOf(s: AppState, runId: string, now: number): BatchProgressView | null {
  const run = s.review.runs.find((r) => r.id === runId);
  if (!run || run.kind !== 'batch') return null;
  const videos = videoRows(run, s);
  return { overall: runProgress(run, now), videos, current: videos.filter((v) => v.running > 0) };
}

let shownMemo: { items: readonly QaItem[]; view: AppState['qa']['view']; instances: unknown; stash: unknown; videos: unknown; shown: QaItem[] } | null = null;

/**
 * The items the QA table shows (its search and filter over every video's items: object names of
 * each item's own video, video paths), in its order: what "the items the QA table shows" runs.
 */
export function selectItemsTableShows(s: AppState): readonly QaItem[] {
  const items = s.qa.history.present;
  const view = s.qa.view;
  const instances = s.annotation.history.present.instances;
  const { stash, videos } = s.dataset;
  const m = shownMemo;
  if (m && m.items === items && m.view === view && m.instances === instances && m.stash === stash && m.videos === videos) return m.shown;
  const nameOf = objectNameLookup([instances, ...Object.values(stash).map((w) => w.instances)]);
  const shown = visibleItems(items, view, nameOf, videoPathLookup(videos));
  shownMemo = { items, view, instances, stash, videos, shown };
  return shown;
}
