import { useState } from 'react';
import { inFlightLimit } from '../../core/agent/inFlightLimit';
import type { AppState } from '../../store/appStore';
import { selectItemsTableShows } from '../../store/batchSelectors';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { MAX_CONCURRENCY } from '../../store/slices/batchSlice';
import { MAX_POOL_SIZE } from '../../store/slices/datasetSlice';
import { Dialog } from '../../ui/Dialog';
import { ResultsFileChoice } from './ResultsFileChoice';

const selectOpen = (s: AppState) => s.ui.dialog === 'batch';
const selectItems = (s: AppState) => s.qa.history.present;
const selectConcurrency = (s: AppState) => s.batch.concurrency;
const selectPoolSize = (s: AppState) => s.dataset.poolSize;
const selectVideoCount = (s: AppState) => s.dataset.videos.length;
const selectSettings = (s: AppState) => s.ask.settings;
const selectError = (s: AppState) => s.review.error;

/** Starting a batch run: which items, how many at a time, how many videos decoded at once, and with which endpoint. */
export function BatchDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectOpen);
  const items = useAppStore(selectItems);
  // The same items the QA table shows: its search and filter over every video's items.
  const shown = useAppStore(selectItemsTableShows);
  const concurrency = useAppStore(selectConcurrency);
  const poolSize = useAppStore(selectPoolSize);
  const videoCount = useAppStore(selectVideoCount);
  const settings = useAppStore(selectSettings);
  const error = useAppStore(selectError);
  const [scope, setScope] = useState<'all' | 'shown'>('all');
  const [starting, setStarting] = useState(false);
  const filtered = shown.length !== items.length;
  const chosen = scope === 'shown' ? shown : items;
  const inFlight = inFlightLimit(settings.baseUrl, window.location.href);
  const heldBack = inFlight.limit !== null && concurrency > inFlight.limit ? inFlight.limit : null;
  const close = (): void => {
    // A results file chosen for a run that was not started is let go (once started, the run has it).
    store.getState().forgetNextResultsFile();
    store.getState().closeDialog();
  };
  return (
    <Dialog title="Run QA items through the model" open={open} onClose={close}>
      <form
        className="batch-form"
        onSubmit={(e) => {
          e.preventDefault();
          setStarting(true);
          void store
            .getState()
            .startBatch(chosen.map((i) => i.id))
            .then((id) => {
              setStarting(false);
              if (id === null) return;
              store.getState().useNextResultsFile(id);
              close();
            });
        }}
      >
        <fieldset>
          <legend>Items</legend>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'all'} onChange={() => setScope('all')} />
            All QA items ({items.length})
          </label>
          <label className="check">
            <input type="radio" name="scope" checked={scope === 'shown'} disabled={!filtered} onChange={() => setScope('shown')} />
            The items the QA table shows ({shown.length}){filtered ? '' : ' — no filter or search is set there'}
          </label>
        </fieldset>
        <label className="field">
          <span>Items at a time</span>
          <input type="number" aria-label="Items at a time" min={1} max={MAX_CONCURRENCY} value={concurrency} onChange={(e) => store.getState().setBatchConcurrency(Number(e.target.value))} />
        </label>
        {heldBack !== null ? (
          <p className="warning-text" role="status">
            {inFlight.origin} is plain HTTP (HTTP/1.1): the browser sends at most {heldBack} requests at once to one such server, so {concurrency} at a time will have {heldBack} at the model and {concurrency - heldBack} waiting in
            the browser. To keep more in flight, serve the model over HTTPS with HTTP/2 (README, “Serving a model for a full benchmark run”).
          </p>
        ) : null}
        {videoCount > 1 ? (
          <label className="field">
            <span>Videos decoded at once</span>
            <input type="number" aria-label="Videos decoded at once" min={1} max={MAX_POOL_SIZE} value={poolSize} onChange={(e) => store.getState().setVideoPoolSize(Number(e.target.value))} />
          </label>
        ) : null}
        <p className="hint">
          Up to {MAX_CONCURRENCY} at a time keeps a server that answers several requests in parallel busy (vLLM with data parallelism). The frames of up to {concurrency + poolSize} items are held at once: those being asked and the next ones, prepared while earlier ones wait for the model (about 3 MB a video; items of one video share them).
        </p>
        <ResultsFileChoice />
        <p className="hint">
          With the endpoint settings of now: {settings.model.trim() || 'the server’s first model'} at {settings.baseUrl}, {settings.mode} mode. The run records them, so runs can be told apart later. Each item is saved as it finishes; a reload resumes where it stopped.
        </p>
        {chosen.length === 0 ? <p className="hint">There are no QA items yet: make some in the “QA dataset” tab of the Annotate workspace.</p> : null}
        {error ? (
          <p className="error-text" role="alert">
            {error}
          </p>
        ) : null}
        <div className="button-row">
          <button type="submit" className="primary-button" disabled={chosen.length === 0 || starting}>
            {starting ? 'Starting…' : `Run ${chosen.length} item${chosen.length === 1 ? '' : 's'}`}
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}
