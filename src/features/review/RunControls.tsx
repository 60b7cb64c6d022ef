import { useRef } from 'react';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectReviewRun } from '../../store/reviewSelectors';
import { BatchProgress } from './BatchProgress';
import { ResultsFileStatus } from './ResultsFileStatus';
import { runLabel } from './reviewText';

const selectRuns = (s: AppState) => s.review.runs;
const selectRunId = (s: AppState) => s.review.runId;
const selectCompareId = (s: AppState) => s.review.compareId;
const selectBusy = (s: AppState) => s.review.busy;
const selectReport = (s: AppState) => s.review.report;
const selectError = (s: AppState) => s.review.error;

/** Which run is reviewed and compared; batch runs, results import and export. */
export function RunControls() {
  const store = useAppStoreApi();
  const runs = useAppStore(selectRuns);
  const runId = useAppStore(selectRunId);
  const compareId = useAppStore(selectCompareId);
  const run = useAppStore(selectReviewRun);
  const other = useAppStore(selectCompareRun);
  const busy = useAppStore(selectBusy);
  const report = useAppStore(selectReport);
  const error = useAppStore(selectError);
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <section className="run-controls" aria-label="Runs">
      <div className="button-row">
        <button type="button" className="primary-button" onClick={() => store.getState().openDialog('batch')}>
          Run batch…
        </button>
        <button type="button" disabled={busy !== null} onClick={() => fileInput.current?.click()}>
          {busy === 'importing' ? 'Importing…' : 'Import results…'}
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Results file"
          accept=".jsonl,.json,.txt,application/jsonl,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void store.getState().importResults(file, file.name);
          }}
        />
      </div>
      {runs.length > 0 ? (
        <>
          <label className="field">
            <span>Run</span>
            <select aria-label="Run" value={runId ?? ''} onChange={(e) => store.getState().selectRun(e.target.value || null)}>
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Compare with</span>
            <select aria-label="Compare with" value={compareId ?? ''} onChange={(e) => store.getState().selectCompareRun(e.target.value || null)}>
              <option value="">No other run</option>
              {runs
                .filter((r) => r.id !== runId)
                .map((r) => (
                  <option key={r.id} value={r.id}>
                    {runLabel(r)}
                  </option>
                ))}
            </select>
          </label>
        </>
      ) : (
        <p className="hint">No runs yet. Run the project’s QA items through the model, or import a results file (the reference client’s JSON Lines, or V2P-Bench’s published form).</p>
      )}
      {run !== null && run.kind === 'batch' ? <BatchProgress run={run} /> : null}
      {run !== null && run.resultsFile !== undefined ? <ResultsFileStatus run={run} /> : null}
      {run !== null && run.kind === 'import' && run.report && !report ? <p className="hint">{run.report}</p> : null}
      {run !== null ? (
        <div className="button-row">
          <button type="button" disabled={busy !== null} onClick={() => void store.getState().exportResults()}>
            Export results
          </button>
          <button
            type="button"
            onClick={() => {
              if (window.confirm(`Delete the run “${run.name}” and its judgements?`)) store.getState().deleteRun(run.id);
            }}
          >
            Delete run
          </button>
        </div>
      ) : null}
      {other !== null && other.kind === 'batch' && other.state === 'running' ? <p className="hint">The compared run is still running.</p> : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
      {report ? (
        <p className="report" role="status">
          {report}
        </p>
      ) : null}
    </section>
  );
}
