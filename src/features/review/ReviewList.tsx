import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import { dimensionShort } from '../../core/qa/dimensions';
import type { ReviewRow } from '../../core/review/rows';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectFilteredRows } from '../../store/reviewSelectors';
import { OUTCOME_LABELS, OUTCOME_MARKS } from './reviewText';

const ROW_HEIGHT = 54;
const selectSelectedKey = (s: AppState) => s.review.selectedKey;

function answerText(prediction: string | null, status: string): string {
  if (status === 'pending' || status === 'running') return '…';
  if (status === 'failed') return 'failed';
  return prediction === null ? '' : prediction === '' ? '(none)' : prediction;
}

const Row = memo(function Row({ row, selected, comparing, onSelect, position, size }: { row: ReviewRow; selected: boolean; comparing: boolean; onSelect: (key: string) => void; position: number; size: number }) {
  const judged = row.judgement?.value !== undefined && row.judgement?.value !== null;
  const label = `Result ${row.index + 1}: ${OUTCOME_LABELS[row.outcome]}${judged ? ', judged' : ''}`;
  return (
    <div
      role="option"
      aria-selected={selected}
      aria-label={label}
      aria-posinset={position}
      aria-setsize={size}
      className={`review-row ${row.outcome}${selected ? ' selected' : ''}`}
      onClick={() => onSelect(row.key)}
    >
      <div className="review-row-top">
        <span className="row-index">#{row.index + 1}</span>
        {row.item.dimension !== null ? <span className="badge muted">{dimensionShort(row.item.dimension)}</span> : null}
        <span className="row-question">{row.item.question}</span>
      </div>
      <div className="review-row-bottom">
        <span className="hint">GT {row.item.answer.length > 12 ? `${row.item.answer.slice(0, 12)}…` : row.item.answer}</span>
        <span className={`outcome ${row.outcome}`} title={OUTCOME_LABELS[row.outcome]}>
          {OUTCOME_MARKS[row.outcome]} {answerText(row.prediction, row.result.status).slice(0, 16)}
        </span>
        {comparing && row.otherOutcome !== null ? (
          <span className={`outcome other ${row.otherOutcome}`} title={`Compared run: ${OUTCOME_LABELS[row.otherOutcome]}`}>
            B {OUTCOME_MARKS[row.otherOutcome]} {answerText(row.otherPrediction, row.other?.status ?? 'pending').slice(0, 10)}
          </span>
        ) : null}
        {judged ? <span className="badge" title="Judged by a person">judged</span> : null}
        {row.judgement?.note ? <span className="badge muted" title={row.judgement.note}>note</span> : null}
      </div>
    </div>
  );
});

/**
 * The filtered results, one row each, virtualised: 10,000 rows scroll as smoothly as 10 (only the
 * rows in view are in the DOM).
 */
export function ReviewList() {
  const store = useAppStoreApi();
  const rows = useAppStore(selectFilteredRows);
  const selectedKey = useAppStore(selectSelectedKey);
  const comparing = useAppStore(selectCompareRun) !== null;
  const scroller = useRef<HTMLDivElement>(null);
  // The app is not built with the React Compiler; the virtualizer re-renders through its own state.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((r) => r.key === selectedKey);
  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);
  const onSelect = (key: string): void => store.getState().selectResult(key);
  if (rows.length === 0) return <p className="hint review-empty">No results match.</p>;
  return (
    <div
      ref={scroller}
      className="review-list"
      role="listbox"
      aria-label="Results"
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          store.getState().stepResult(e.key === 'ArrowDown' ? 1 : -1);
        }
      }}
    >
      <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((v) => {
          const row = rows[v.index]!;
          return (
            <div key={row.key} role="presentation" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}>
              <Row row={row} selected={row.key === selectedKey} comparing={comparing} onSelect={onSelect} position={v.index + 1} size={rows.length} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
