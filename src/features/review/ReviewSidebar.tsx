import { ReviewFilters } from './ReviewFilters';
import { ReviewList } from './ReviewList';
import { RunControls } from './RunControls';

/** The left-hand side of the review: runs, filters and the list of results. */
export function ReviewSidebar() {
  return (
    <aside className="review-sidebar" aria-label="Review">
      <h2>Review</h2>
      <RunControls />
      <ReviewFilters />
      <ReviewList />
    </aside>
  );
}
