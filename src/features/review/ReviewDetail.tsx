import type { AppState } from '../../store/appStore';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectFilteredRows, selectReviewRun, selectSelectedRow } from '../../store/reviewSelectors';
import { ItemView } from './ItemView';
import { ResultView } from './ResultView';
import { ScoresView } from './ScoresView';

const selectTab = (s: AppState) => s.review.tab;
const selectQaItems = (s: AppState) => s.qa.history.present;
const selectInstances = (s: AppState) => s.annotation.history.present.instances;

/** "3 of 120": where the selected result is in the filtered list. */
const selectIndex = (s: AppState): number => {
  const key = s.review.selectedKey;
  return key === null ? -1 : selectFilteredRows(s).findIndex((r) => r.key === key);
};
const selectCount = (s: AppState): number => selectFilteredRows(s).length;

function SelectedResult() {
  const store = useAppStoreApi();
  const row = useAppStore(selectSelectedRow);
  const run = useAppStore(selectReviewRun);
  const other = useAppStore(selectCompareRun);
  const items = useAppStore(selectQaItems);
  const instances = useAppStore(selectInstances);
  const index = useAppStore(selectIndex);
  const count = useAppStore(selectCount);
  if (row === null || run === null) return <p className="hint review-empty">Select a result in the list (J / K move through it).</p>;
  const qa = row.itemId === null ? null : items.find((i) => i.id === row.itemId);
  const instance = qa?.instanceId ? instances.find((i) => i.id === qa.instanceId) : undefined;
  // The item's prompt image (a dataset's), or its object's mask on its frame.
  const images: QueryImageSource | null =
    qa && qa.promptImage !== null
      ? { instanceId: null, instanceName: qa.framePath ?? qa.promptImage, visualPrompt: { type: qa.vpType, frame: qa.frame ?? 0, colour: qa.colour, image: qa.promptImage } }
      : qa && instance && qa.frame !== null
        ? { instanceId: instance.id, instanceName: instance.name, visualPrompt: { type: qa.vpType, frame: qa.frame, colour: qa.colour } }
        : null;
  return (
    <div className="selected-result">
      <div className="review-nav">
        <button type="button" onClick={() => store.getState().stepResult(-1)} disabled={index <= 0} title="Shortcut: K">
          Previous result
        </button>
        <span role="status" className="hint">
          {index >= 0 ? `Result ${index + 1} of ${count}` : 'Not in the filtered list'} · item #{row.index + 1}
        </span>
        <button type="button" onClick={() => store.getState().stepResult(1)} disabled={index >= count - 1} title="Shortcut: J">
          Next result
        </button>
      </div>
      <ItemView row={row} images={images} />
      <div className={other !== null ? 'result-columns compare' : 'result-columns'}>
        <ResultView run={run} result={row.result} item={row.item} outcome={row.outcome} prediction={row.prediction} images={images} label={other !== null ? 'Run A answer' : 'Model answer'} />
        {other !== null ? (
          row.other !== null && row.otherOutcome !== null ? (
            <ResultView run={other} result={row.other} item={row.item} outcome={row.otherOutcome} prediction={row.otherPrediction ?? ''} images={images} label="Run B answer" />
          ) : (
            <p className="hint">The compared run has no result for this item.</p>
          )
        ) : null}
      </div>
    </div>
  );
}

/** The right-hand side of the review: the selected result, or the scores. */
export function ReviewDetail() {
  const store = useAppStoreApi();
  const tab = useAppStore(selectTab);
  const run = useAppStore(selectReviewRun);
  const other = useAppStore(selectCompareRun);
  return (
    <div className={`review-detail${other !== null ? ' wide' : ''}`}>
      <div role="tablist" aria-label="Review view" className="tablist">
        <button type="button" role="tab" id="review-tab-items" aria-selected={tab === 'items'} aria-controls="review-panel" onClick={() => store.getState().setReviewTab('items')}>
          Item
        </button>
        <button type="button" role="tab" id="review-tab-scores" aria-selected={tab === 'scores'} aria-controls="review-panel" onClick={() => store.getState().setReviewTab('scores')}>
          Scores
        </button>
      </div>
      <div role="tabpanel" id="review-panel" aria-labelledby={tab === 'items' ? 'review-tab-items' : 'review-tab-scores'} className="tabpanel review-panel">
        {run === null ? <p className="hint review-empty">Run the QA items through a model, or import a results file: its answers are reviewed here, one at a time, and scored.</p> : tab === 'items' ? <SelectedResult /> : <ScoresView />}
      </div>
    </div>
  );
}
