import type { AppState } from '../../store/appStore';
import { useAppStore, useAppStoreApi } from '../../store/context';

const selectAvailable = (s: AppState) => s.resultsFile.available;
const selectNext = (s: AppState) => s.resultsFile.next;
const selectBusy = (s: AppState) => s.resultsFile.busy;
const selectError = (s: AppState) => s.resultsFile.error;

/** The batch dialog's results file: where the run's results are appended as they finish, besides the project. */
export function ResultsFileChoice() {
  const store = useAppStoreApi();
  const available = useAppStore(selectAvailable);
  const next = useAppStore(selectNext);
  const busy = useAppStore(selectBusy);
  const error = useAppStore(selectError);
  // Straight from the click: the browser shows its save dialog only for a user's gesture.
  const choose = (): void => void store.getState().chooseResultsFile();
  if (!available) {
    return <p className="hint">This browser cannot write a file as results arrive (no File System Access): they stay in the project, and “Export results” writes them all.</p>;
  }
  return (
    <div className="results-file-choice">
      {next === null ? (
        <button type="button" disabled={busy} onClick={choose}>
          Also write results to a file…
        </button>
      ) : (
        <p className="hint" role="status" aria-label="Chosen results file">
          Each result is also appended to <strong>{next}</strong> as it finishes (one JSON line per item, the reference client’s record).{' '}
          <button type="button" className="small-button" disabled={busy} onClick={choose}>
            Change…
          </button>{' '}
          <button type="button" className="small-button" onClick={() => store.getState().forgetNextResultsFile()}>
            No file
          </button>
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
