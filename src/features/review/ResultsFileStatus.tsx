import { finishedCount, writtenCount } from '../../core/review/resultsFile';
import type { ReviewRun } from '../../core/review/run';
import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';

const selectAvailable = (s: AppState) => s.resultsFile.available;
const selectBusy = (s: AppState) => s.resultsFile.busy;
const selectError = (s: AppState) => s.resultsFile.error;

/** How far a batch run's results file got, why it stopped if it did, and reopening it to add the rest. */
export function ResultsFileStatus({ run }: { run: ReviewRun }) {
  const store = useAppStoreApi();
  const open = useAppStore((s: AppState) => s.resultsFile.open.includes(run.id));
  const available = useAppStore(selectAvailable);
  const busy = useAppStore(selectBusy);
  const error = useAppStore(selectError);
  const record = run.resultsFile;
  if (record === undefined) return null;
  const written = writtenCount(run);
  const finished = finishedCount(run);
  const reopen =
    available && !open && written < finished ? (
      <button type="button" className="small-button" disabled={busy} onClick={() => void store.getState().reopenResultsFile(run.id)}>
        Reopen results file…
      </button>
    ) : null;
  return (
    <div className="results-file-status">
      {record.problem !== null ? (
        <p className="error-text" role="alert" aria-label="Results file of the run">
          “{record.name}” could not be written any more: {record.problem.replace(/\.?$/, ".")} The run goes on and every result stays in the project; {written} of {finished} finished results are in the file. Reopen it to add the rest, or
          “Export results” writes them all. {reopen}
        </p>
      ) : (
        <p className="hint" role="status" aria-label="Results file of the run">
          Results file “{record.name}”: {written} of {finished} finished results written
          {open || written === finished ? '.' : available ? ' — not open since the page was loaded again: reopen it to add the rest.' : ' — this browser cannot write to it: “Export results” writes them all.'} {reopen}
        </p>
      )}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
