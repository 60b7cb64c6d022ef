import { useAppStore } from '../../store/context';
import { selectReviewRun } from '../../store/reviewSelectors';
import { ReviewFilters } from './ReviewFilters';
import { ReviewList } from './ReviewList';
import { RunControls } from './RunControls';

/** The left-hand side of the review: runs, filters and the list of results. */
export function ReviewSidebar() {
  const hasRun = useAppStore(selectReviewRun) !== null;
  return (
    <aside className="review-sidebar" aria-label="Review">
      <h2>Review</h2>
      <RunControls />
      {hasRun ? (
        <>
          <ReviewFilters />
          <ReviewList />
        </>
      ) : null}
    </aside>
  );
}
