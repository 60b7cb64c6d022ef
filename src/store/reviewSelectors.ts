/**
 * The review's derived data, memoised at module level on the inputs' identities: the project's
 * items as results see them, the rows of the selected run (paired with the compared run), the
 * filtered rows, and the scores. With 10,000 results these are rebuilt only when an input
 * changes, never per render.
 */
import { overlayFor } from '../core/agent/draft';
import { vpPhrase } from '../core/agent/prompts';
import { resultItemFromQa } from '../core/review/resultItem';
import type { ReviewRun, ResultItem } from '../core/review/run';
import { buildRows, filterRows, rowsScore, type ReviewRow } from '../core/review/rows';
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
 * phrases it (so imported results match them), and the open video's duration for items made here.
 */
export const selectProjectResultItems = memo(
  (s: AppState) => [s.qa.history.present, s.annotation.history.present, s.video.info?.durationS ?? null] as const,
  (items, doc, duration): ReadonlyMap<string, ResultItem> => {
    const map = new Map<string, ResultItem>();
    for (const item of items) {
      const phrase = (): string => {
        const n = item.vpType === 'set_of_mark' && item.instanceId !== null && item.frame !== null ? (overlayFor(doc, item.instanceId, item.frame, item.vpType, item.colour)?.number ?? 1) : 1;
        return vpPhrase(item.vpType, n);
      };
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
