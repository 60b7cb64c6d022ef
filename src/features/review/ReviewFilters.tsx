import { VISUAL_PROMPT_TYPES } from '../../core/agent/prompts';
import { DIMENSIONS } from '../../core/qa/dimensions';
import { activeFilterCount, type ReviewFilter } from '../../core/review/rows';
import { UNKNOWN_VP_TYPE } from '../../core/review/score';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectFilteredRows, selectReviewFacets, selectReviewRows } from '../../store/reviewSelectors';
import { TYPE_NAMES } from '../../ui/visualPromptNames';

const selectFilter = (s: AppState) => s.review.filter;
const selectShownCount = (s: AppState) => selectFilteredRows(s).length;
const selectTotalCount = (s: AppState) => selectReviewRows(s).length;

const OUTCOMES: { value: NonNullable<ReviewFilter['outcome']>; label: string }[] = [
  { value: 'correct', label: 'Correct' },
  { value: 'partial', label: 'Partly correct' },
  { value: 'wrong', label: 'Wrong' },
  { value: 'unparseable', label: 'Unparseable' },
  { value: 'failed', label: 'Failed' },
  { value: 'unscored', label: 'Not scored (not judged / not run)' },
];

/** Narrowing the review list: video, source, dimension, duration, prompt type, outcome, judged, and where two runs disagree. */
export function ReviewFilters() {
  const store = useAppStoreApi();
  const filter = useAppStore(selectFilter);
  const shown = useAppStore(selectShownCount);
  const total = useAppStore(selectTotalCount);
  const comparing = useAppStore(selectCompareRun) !== null;
  const facets = useAppStore(selectReviewFacets);
  const set = (p: Partial<ReviewFilter>): void => store.getState().setReviewFilter(p);
  const active = activeFilterCount(filter);
  return (
    <fieldset className="review-filters">
      <legend>Filter</legend>
      <select aria-label="Filter by video" value={filter.video ?? ''} onChange={(e) => set({ video: e.target.value === '' ? null : e.target.value })}>
        <option value="">All videos ({facets.videos.length})</option>
        {facets.videos.map((v) => (
          <option key={v.value} value={v.value}>
            {v.path ?? v.value} ({v.count})
          </option>
        ))}
        {filter.video !== null && !facets.videos.some((v) => v.value === filter.video) ? <option value={filter.video}>{filter.video} (0)</option> : null}
      </select>
      <select aria-label="Filter by source" value={filter.source === null ? '' : `=${filter.source}`} onChange={(e) => set({ source: e.target.value === '' ? null : e.target.value.slice(1) })}>
        <option value="">All sources</option>
        {/* Values are prefixed so that the source '' (none) is not the "all" option. */}
        {facets.sources.map((x) => (
          <option key={x.value} value={`=${x.value}`}>
            {x.value === '' ? 'No source' : x.value} ({x.count})
          </option>
        ))}
        {filter.source !== null && !facets.sources.some((x) => x.value === filter.source) ? <option value={`=${filter.source}`}>{filter.source || 'No source'} (0)</option> : null}
      </select>
      <select aria-label="Filter by dimension" value={filter.dimension ?? ''} onChange={(e) => set({ dimension: e.target.value === '' ? null : Number(e.target.value) })}>
        <option value="">All dimensions</option>
        {DIMENSIONS.map((d) => (
          <option key={d.code} value={d.code}>
            {d.short} · {d.name}
          </option>
        ))}
      </select>
      <select aria-label="Filter by duration" value={filter.duration ?? ''} onChange={(e) => set({ duration: e.target.value === '' ? null : (e.target.value as ReviewFilter['duration']) })}>
        <option value="">All durations</option>
        <option value="short">Short (&lt; 4 min)</option>
        <option value="medium">Medium (4–30 min)</option>
        <option value="long">Long (≥ 30 min)</option>
      </select>
      <select aria-label="Filter by prompt type" value={filter.vpType ?? ''} onChange={(e) => set({ vpType: e.target.value === '' ? null : e.target.value })}>
        <option value="">All prompt types</option>
        {VISUAL_PROMPT_TYPES.map((t) => (
          <option key={t} value={t}>
            {TYPE_NAMES[t]}
          </option>
        ))}
        <option value={UNKNOWN_VP_TYPE}>Unknown type</option>
      </select>
      <select aria-label="Filter by outcome" value={filter.outcome ?? ''} onChange={(e) => set({ outcome: e.target.value === '' ? null : (e.target.value as ReviewFilter['outcome']) })}>
        <option value="">Any outcome</option>
        {OUTCOMES.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <select aria-label="Filter by judgement" value={filter.judged ?? ''} onChange={(e) => set({ judged: e.target.value === '' ? null : (e.target.value as ReviewFilter['judged']) })}>
        <option value="">Judged or not</option>
        <option value="judged">Judged by a person</option>
        <option value="unjudged">Not judged by a person</option>
      </select>
      <label className="check" title={comparing ? undefined : 'Choose a run to compare with first'}>
        <input type="checkbox" disabled={!comparing} checked={filter.disagree && comparing} onChange={(e) => set({ disagree: e.target.checked })} />
        The two runs disagree
      </label>
      <div className="filter-foot">
        <span className="hint" role="status">
          {shown === total ? `${total} result${total === 1 ? '' : 's'}` : `${shown} of ${total} results`}
        </span>
        {active > 0 ? (
          <button type="button" className="small-button" onClick={() => store.getState().clearReviewFilter()}>
            Clear filters ({active})
          </button>
        ) : null}
      </div>
    </fieldset>
  );
}
