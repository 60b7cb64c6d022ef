import { useState } from 'react';
import type { SavedQuery } from '../../core/agent/query';
import type { ImageRef, Trajectory } from '../../core/agent/trajectory';
import { formatFixed1 } from '../../core/agent/pyNumbers';
import { useAppStoreApi } from '../../store/context';
import { Dialog } from '../Dialog';
import { formatBytes } from '../format';
import { QueryImage } from './QueryImage';
import { RoundView } from './RoundView';
import { subjectOfQuery, type TrajectorySubject } from './subject';

const STATUS_TEXT: Record<Trajectory['status'], string> = {
  preparing: 'Preparing frames…',
  running: 'Running…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

function summary(t: Trajectory): string {
  const parts = [`${t.rounds.length} round${t.rounds.length === 1 ? '' : 's'}`];
  if (t.finishedAt !== null && t.startedAt > 0) parts.push(`${((t.finishedAt - t.startedAt) / 1000).toFixed(1)} s`);
  if (t.usage) parts.push(`${t.usage.prompt_tokens} prompt + ${t.usage.completion_tokens} completion tokens`);
  return parts.join(' · ');
}

function FramesSent({ subject, onEnlarge, onSeek }: { subject: TrajectorySubject; onEnlarge: (ref: ImageRef) => void; onSeek: (frame: number) => void }) {
  const frames = subject.trajectory.frames;
  const images = subject.images;
  const [open, setOpen] = useState(false);
  if (frames.length === 0) return null;
  const first = frames[0]!;
  const bytes = frames.reduce((n, f) => n + f.bytes, 0);
  return (
    <details className="frames-sent" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {frames.length} frames sent ({first.width}×{first.height}, {formatBytes(bytes)})
      </summary>
      {open ? (
        <ul className="tool-images">
          {frames.map((ref, i) => (
            <li key={i}>
              <button type="button" className="thumb-button" aria-label={`Enlarge frame ${i + 1} of the question`} onClick={() => onEnlarge(ref)}>
                <QueryImage source={images} imageRef={ref} size="thumb" alt={`Question frame ${i + 1}`} />
              </button>
              {ref.source === 'frame' ? (
                <button type="button" className="time-link" onClick={() => onSeek(ref.index)}>
                  {formatFixed1(ref.timeS)} s
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

/**
 * A query's whole trajectory, live while it streams: the question as sent, each round's thinking,
 * tool calls with the images the client returned, errors, and the answer.
 */
export function TrajectoryView({ query, running }: { query: SavedQuery; running: boolean }) {
  return <SubjectTrajectoryView subject={subjectOfQuery(query)} running={running} />;
}

/** The same view for anything with a trajectory: a query asked here, a batch run's item, or an imported result. */
export function SubjectTrajectoryView({ subject, running }: { subject: TrajectorySubject; running: boolean }) {
  const store = useAppStoreApi();
  const [enlarged, setEnlarged] = useState<ImageRef | null>(null);
  const t = subject.trajectory;
  const seek = (frame: number): void => store.getState().seek(frame);
  const context = {
    baseUrl: subject.endpoint?.baseUrl ?? '',
    model: subject.model,
    maxPixels: subject.endpoint?.maxPixels ?? 0,
    timeoutS: subject.endpoint?.timeoutS ?? 0,
    frames: t.frames.length,
  };
  const lastRound = t.rounds.length - 1;
  return (
    <section className="trajectory" aria-label="Trajectory" aria-busy={running}>
      <header className="trajectory-head">
        <span className={`status-badge ${t.status}`} role="status">
          {STATUS_TEXT[t.status]}
        </span>
        <span className="hint">
          {subject.model || 'model from server'}
          {subject.mode !== null ? ` · ${subject.mode} mode` : ''} · {summary(t)}
        </span>
      </header>
      <p className="sent-question">
        {subject.instanceName !== null ? <span className="hint">Asked about {subject.instanceName}: </span> : null}
        {subject.sentQuestion}
      </p>
      {subject.options.length > 0 ? (
        <ol className="options-list" type="A">
          {subject.options.map((o, i) => (
            <li key={i}>{o}</li>
          ))}
        </ol>
      ) : null}
      <FramesSent subject={subject} onEnlarge={setEnlarged} onSeek={seek} />
      {t.userText !== '' ? (
        <details className="user-text">
          <summary>Text sent</summary>
          <pre>{t.userText}</pre>
        </details>
      ) : null}
      {t.rounds.map((r) => (
        <RoundView key={r.index} images={subject.images} round={r} live={running && r.index === lastRound} context={context} onSeek={seek} onEnlarge={setEnlarged} />
      ))}
      {t.problems.map((p, i) => (
        <p key={i} className={`problem ${p.kind}`} role="alert">
          {p.message}
        </p>
      ))}
      {t.answer !== null ? (
        <div className="final-answer" aria-label="Final answer">
          <span className="hint">Answer</span>
          <strong>{t.answer === '' ? '(none)' : t.answer}</strong>
          {t.format ? <span className={`format ${t.format.ok ? 'ok' : 'bad'}`}>{t.format.ok ? 'well-formed' : `format: ${t.format.reason}`}</span> : null}
        </div>
      ) : null}
      <Dialog title="Image sent to the model" open={enlarged !== null} onClose={() => setEnlarged(null)} className="image-dialog">
        {enlarged ? (
          <>
            <QueryImage source={subject.images} imageRef={enlarged} size="full" alt="Enlarged image" />
            <p className="hint">
              {enlarged.width}×{enlarged.height}
              {enlarged.source === 'frame' ? ` · ${formatFixed1(enlarged.timeS)} s` : ' · visual prompt frame, redrawn from the current mask'}
            </p>
          </>
        ) : null}
      </Dialog>
    </section>
  );
}
