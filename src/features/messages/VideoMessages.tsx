import { formatBytes } from '../../ui/format';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectFrameError, selectNotice, selectOpenError, selectOpening } from '../../store/selectors';

/** Opening progress, open failures, decoding problems and notices, above the frame view. */
export function VideoMessages() {
  const store = useAppStoreApi();
  const opening = useAppStore(selectOpening);
  const error = useAppStore(selectOpenError);
  const notice = useAppStore(selectNotice);
  const frameError = useAppStore(selectFrameError);
  const dismiss = (): void => store.getState().dismissVideoMessages();
  const p = opening?.progress;
  const pct = p?.phase === 'downloading' && p.total ? Math.round(((p.loaded ?? 0) / p.total) * 100) : null;

  return (
    <div className="messages">
      {opening ? (
        <div className="message info" role="status">
          <span>
            {p?.phase === 'downloading' ? 'Downloading' : 'Opening'} {opening.label}
            {p?.phase === 'downloading' ? ` — ${formatBytes(p.loaded ?? 0)}${p.total ? ` of ${formatBytes(p.total)}` : ''}` : '…'}
          </span>
          <progress aria-label="Opening progress" max={100} value={pct ?? undefined} />
        </div>
      ) : null}
      {error ? (
        <div className="message error" role="alert">
          <div>
            <strong>{error.title}</strong>
            <p>{error.message}</p>
            {error.detail ? (
              <details>
                <summary>Details</summary>
                <code>{error.detail}</code>
              </details>
            ) : null}
          </div>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {frameError ? (
        <div className="message error" role="alert">
          <p>{frameError}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
      {notice ? (
        <div className="message notice" role="status">
          <p>{notice}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
