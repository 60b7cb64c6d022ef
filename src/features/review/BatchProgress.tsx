import { useEffect, useState } from 'react';
import type { ReviewRun } from '../../core/review/run';
import type { AppState } from '../../store/appStore';
import { batchProgressOf, type VideoProgressRow } from '../../store/batchSelectors';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { formatEta, formatPace, progressText, STATE_LABELS } from './reviewText';

const selectDriving = (s: AppState) => s.batch.driving;
const selectItems = (s: AppState) => s.qa.history.present;
const selectVideos = (s: AppState) => s.dataset.videos;
const selectOpenVideoId = (s: AppState) => s.dataset.openVideoId;

/** Per-video rows drawn at most (a 1,000-video benchmark): the ones being asked and with work left come first. */
const MAX_VIDEO_ROWS = 200;
/** Videos named in the progress line. */
const CURRENT_NAMED = 3;

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

function currentText(current: readonly VideoProgressRow[]): string {
  const named = current.slice(0, CURRENT_NAMED).map((v) => v.path);
  const more = current.length - named.length;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Every video of the run with its items done, failed and left; only drawn while open. */
function VideoBreakdown({ videos }: { videos: readonly VideoProgressRow[] }) {
  const [open, setOpen] = useState(false);
  const ordered = [...videos].sort((a, b) => Number(b.running > 0) - Number(a.running > 0) || Number(b.left > 0) - Number(a.left > 0));
  const shown = ordered.slice(0, MAX_VIDEO_ROWS);
  return (
    <details className="batch-videos" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Per video ({videos.length})</summary>
      {open ? (
        <>
          <table aria-label="Batch progress per video">
            <thead>
              <tr>
                <th scope="col">Video</th>
                <th scope="col">Done</th>
                <th scope="col">Failed</th>
                <th scope="col">Left</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((v) => (
                <tr key={v.videoId ?? '—'} aria-current={v.running > 0 ? 'true' : undefined}>
                  <th scope="row" title={v.path}>
                    {v.path}
                  </th>
                  <td>{v.done}</td>
                  <td>{v.failed}</td>
                  <td>{v.left + v.running}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ordered.length > shown.length ? <p className="hint">…and {ordered.length - shown.length} more videos, all finished or not started.</p> : null}
        </>
      ) : null}
    </details>
  );
}

/** A batch run's progress (overall, the videos asked about now, per video) and its controls. */
export function BatchProgress({ run }: { run: ReviewRun }) {
  const store = useAppStoreApi();
  const driving = useAppStore(selectDriving).includes(run.id);
  // What the per-video counts are made of: re-render when any changes.
  useAppStore(selectItems);
  useAppStore(selectVideos);
  useAppStore(selectOpenVideoId);
  const now = useTicker(run.state === 'running');
  const view = batchProgressOf(store.getState(), run.id, now);
  if (view === null) return null;
  const p = view.overall;
  const finished = p.done + p.failed;
  const resumable = run.state === 'paused' || run.state === 'interrupted' || (run.state === 'running' && !driving);
  const pace = formatPace(p.itemsPerMin);
  return (
    <div className="batch-progress" aria-label="Batch progress">
      <progress aria-label={`Items finished: ${finished} of ${p.total}`} max={p.total} value={finished} />
      <p role="status" className="hint">
        <strong>{STATE_LABELS[run.state]}</strong> · {progressText(p)}
        {pace !== null ? ` · ${pace}` : ''}
        {run.state === 'running' && p.left + p.running > 0 ? ` · ${formatEta(p.etaMs)}` : ''}
        {run.state === 'interrupted' ? ' · the page was closed while it ran: resume to go on where it stopped' : ''}
      </p>
      {view.current.length > 0 ? (
        <p className="hint" aria-label="Videos being asked about">
          Now: {currentText(view.current)}
        </p>
      ) : null}
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
      {view.videos.length > 1 ? <VideoBreakdown videos={view.videos} /> : null}
      <p className="hint run-settings">
        {run.model} · {run.settings?.mode} mode · {run.concurrency} at a time · {run.settings?.baseUrl}
      </p>
    </div>
  );
}
