import { useState, type FormEvent } from 'react';
import { checkVideoUrl } from '../../core/video/openErrors';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog } from '../../store/selectors';
import { Dialog } from '../../ui/Dialog';

export const VIDEO_ACCEPT = 'video/*,.mp4,.m4v,.mov,.webm,.mkv';

export function OpenVideoDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'open';
  const [url, setUrl] = useState('');
  const [urlError, setUrlError] = useState<string | null>(null);
  const close = (): void => store.getState().closeDialog();

  const onFile = (files: FileList | null): void => {
    const file = files?.[0];
    if (!file) return;
    close();
    void store.getState().openVideo({ kind: 'file', file, name: file.name });
  };

  const onUrl = (e: FormEvent): void => {
    e.preventDefault();
    const checked = checkVideoUrl(url, window.location.href);
    if (!checked.ok) {
      setUrlError(`${checked.error.title}. ${checked.error.message}`);
      return;
    }
    setUrlError(null);
    close();
    void store.getState().openVideo({ kind: 'url', url: checked.url });
  };

  return (
    <Dialog title="Open video" open={open} onClose={close}>
      <section className="open-section">
        <h3>From this computer</h3>
        <label className="file-button">
          Choose file…
          <input type="file" accept={VIDEO_ACCEPT} aria-label="Video file" autoFocus onChange={(e) => onFile(e.target.files)} />
        </label>
        <p className="hint">Or drop a video file anywhere on the page. MP4 (H.264, AV1) and WebM (VP8, VP9, AV1).</p>
      </section>
      <section className="open-section">
        <h3>From an address</h3>
        <form onSubmit={onUrl} className="url-form">
          <input
            type="url"
            aria-label="Video URL"
            placeholder="https://example.org/clip.mp4"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            aria-invalid={urlError !== null}
            aria-describedby={urlError ? 'url-error' : undefined}
            required
          />
          <button type="submit">Open URL</button>
        </form>
        {urlError ? (
          <p id="url-error" className="field-error" role="alert">
            {urlError}
          </p>
        ) : null}
        <p className="hint">The server must allow cross-origin requests (CORS) unless it is this app's own server.</p>
      </section>
    </Dialog>
  );
}
