/**
 * The review's derived data, memoised at module level on the inputs' identities: the project's
 * items as results see them, the rows of the selected run (paired with the compared run), the
 * filtered rows, and the scores. With 10,000 results these are rebuilt only when an input
 * changes, never per render.
 */
import { overlayFor } from '../core/agent/draft';
import { EMPTY_ANNOTATIONS } from '../core/annotation/model';
import { vpPhrase } from '../core/agent/prompts';
import { resultItemFromQa } from '../core/review/resultItem';
import type { ReviewRun, ResultItem } from '../core/review/run';
import { buildRows, filterRows, reviewFacets, rowsScore, type ReviewFacets, type ReviewRow } from '../core/review/rows';
import type { Scores } from '../core/review/score';
import type { AppState } from './appStore';

function memo<A extends readonly unknown[], R>(inputs: (s: AppState) => A, compute: (...args: [...A]) => R): (s: AppState) => R {
  let last: A | null = null;
  let value: R;
  return (s) => {
    const args = inputs(s);
    if (last === null || args.length !== last.length || args.some((a, i) => a !== last![i])) {
      value = compute(...(args as [...A]));
      last = args;
    }
    return value;
  };
}

/**
 * The project's QA items as a results file would carry them: `<vp>` phrased as the dataset export
 * phrases it (so imported results match them), a set-of-mark number counted on the item's own
 * video, and the duration of the item's own video for items made here (they carry none): the
 * open one's, else what opening it once told. The open video's was used for every item before,
 * which put the items of a dataset's other videos in the wrong duration bucket and rebuilt the
 * review whenever another video was opened.
 */
export const selectProjectResultItems = memo(
  (s: AppState) => [s.qa.history.present, s.annotation.history.present, s.video.info?.durationS ?? null, s.dataset.openVideoId, s.dataset.videos, s.dataset.stash] as const,
  (items, doc, openDuration, openVideoId, videos, stash): ReadonlyMap<string, ResultItem> => {
    const durations = new Map(videos.map((v) => [v.id, v.facts?.durationS ?? null]));
    const map = new Map<string, ResultItem>();
    for (const item of items) {
      const own = item.projectVideoId === null || item.projectVideoId === openVideoId;
      const work = own ? doc : (stash[item.projectVideoId] ?? EMPTY_ANNOTATIONS);
      const phrase = (): string => {
        const n = item.vpType === 'set_of_mark' && item.instanceId !== null && item.frame !== null ? (overlayFor(work, item.instanceId, item.frame, item.vpType, item.colour)?.number ?? 1) : 1;
        return vpPhrase(item.vpType, n);
      };
      const duration = own ? openDuration : (durations.get(item.projectVideoId) ?? null);
      map.set(item.id, resultItemFromQa(item, { phrase, duration }));
    }
    return map;
  },
);

const runById = (runs: readonly ReviewRun[], id: string | null): ReviewRun | null => (id === null ? null : (runs.find((r) => r.id === id) ?? null));

export const selectReviewRun = (s: AppState): ReviewRun | null => runById(s.review.runs, s.review.runId);
export const selectCompareRun = (s: AppState): ReviewRun | null => (s.review.compareId === s.review.runId ? null : runById(s.review.runs, s.review.compareId));

export const selectReviewRows = memo(
  (s: AppState) => [selectReviewRun(s), selectCompareRun(s), selectProjectResultItems(s), s.review.judgements] as const,
  (run, other, items, judgements): readonly ReviewRow[] => (run === null ? [] : buildRows({ run, other, items, judgements })),
);

export const selectFilteredRows = memo(
  (s: AppState) => [selectReviewRows(s), s.review.filter] as const,
  (rows, filter): readonly ReviewRow[] => filterRows(rows, filter),
);

/** The videos and sources the reviewed run's rows have (what the video and source filters offer). */
export const selectReviewFacets = memo(
  (s: AppState) => [selectReviewRows(s)] as const,
  (rows): ReviewFacets => reviewFacets(rows),
);

export const selectSelectedRow = (s: AppState): ReviewRow | null => {
  const key = s.review.selectedKey;
  if (key === null) return null;
  return selectReviewRows(s).find((r) => r.key === key) ?? null;
};

export const selectRunScores = memo(
  (s: AppState) => [selectReviewRows(s)] as const,
  (rows): Scores => rowsScore(rows),
);

/** The compared run's own scores (its rows alone: scores need no pairing). */
export const selectCompareScores = memo(
  (s: AppState) => [selectCompareRun(s), selectProjectResultItems(s), s.review.judgements] as const,
  (other, items, judgements): Scores | null => (other === null ? null : rowsScore(buildRows({ run: other, other: null, items, judgements }))),
);
