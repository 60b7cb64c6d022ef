import { useEffect, useRef, useState } from 'react';
import { runProgress } from '../../core/review/batch';
import type { ReviewRun } from '../../core/review/run';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectCompareRun, selectReviewRun } from '../../store/reviewSelectors';
import { ResultsFileStatus } from './ResultsFileStatus';
import { formatEta, progressText, runLabel, STATE_LABELS } from './reviewText';

const selectRuns = (s: AppState) => s.review.runs;
const selectRunId = (s: AppState) => s.review.runId;
const selectCompareId = (s: AppState) => s.review.compareId;
const selectBusy = (s: AppState) => s.review.busy;
const selectReport = (s: AppState) => s.review.report;
const selectError = (s: AppState) => s.review.error;
const selectDriving = (s: AppState) => s.batch.driving;

/** Re-renders every second while `on`, for a time-left estimate that moves. */
function useTicker(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [on]);
  return now;
}

function BatchProgress({ run }: { run: ReviewRun }) {
  const store = useAppStoreApi();
  const driving = useAppStore(selectDriving).includes(run.id);
  const now = useTicker(run.state === 'running');
  const p = runProgress(run, now);
  const finished = p.done + p.failed;
  const resumable = run.state === 'paused' || run.state === 'interrupted' || (run.state === 'running' && !driving);
  return (
    <div className="batch-progress" aria-label="Batch progress">
      <progress aria-label={`Items finished: ${finished} of ${p.total}`} max={p.total} value={finished} />
      <p role="status" className="hint">
        <strong>{STATE_LABELS[run.state]}</strong> · {progressText(p)}
        {run.state === 'running' && p.left + p.running > 0 ? ` · ${formatEta(p.etaMs)}` : ''}
        {run.state === 'interrupted' ? ' · the page was closed while it ran: resume to go on where it stopped' : ''}
      </p>
      <div className="button-row">
        {run.state === 'running' && driving ? (
          <button type="button" onClick={() => store.getState().pauseBatch(run.id)}>
            Pause
          </button>
        ) : null}
        {resumable ? (
          <button type="button" className="primary-button" onClick={() => store.getState().resumeBatch(run.id)}>
            Resume
          </button>
        ) : null}
        {run.state === 'running' || run.state === 'paused' || run.state === 'interrupted' ? (
          <button type="button" onClick={() => store.getState().cancelBatch(run.id)}>
            Cancel run
          </button>
        ) : null}
        {p.failed > 0 && !(run.state === 'running' && driving) ? (
          <button type="button" onClick={() => store.getState().retryFailed(run.id)}>
            Retry failed
          </button>
        ) : null}
      </div>
      <p className="hint run-settings">
        {run.model} · {run.settings?.mode} mode · {run.concurrency} at a time · {run.settings?.baseUrl}
      </p>
    </div>
  );
}

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
