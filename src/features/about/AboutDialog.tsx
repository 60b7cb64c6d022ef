import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectDialog } from '../../store/selectors';
import { SAMPLE_VIDEO } from '../../ui/credits';
import { Dialog } from '../../ui/Dialog';

export function AboutDialog() {
  const store = useAppStoreApi();
  const open = useAppStore(selectDialog) === 'about';
  return (
    <Dialog title="About VideoSeeker Studio" open={open} onClose={() => store.getState().closeDialog()}>
      <p>
        VideoSeeker Studio is a workbench for instance-level video understanding: open a video, point out an object,
        follow its mask through the video, ask a VideoSeeker model about that object, and turn the work into a QA
        dataset. Everything runs in your browser; videos never leave this computer unless you send them to a model
        endpoint you configured.
      </p>
      <h3>Sample video</h3>
      <p>
        {SAMPLE_VIDEO.description}
        <br />
        Source: <span data-testid="sample-attribution">{SAMPLE_VIDEO.attribution}</span>.
      </p>
      <p className="hint">Frames are decoded with WebCodecs in a worker ({typeof VideoDecoder === 'undefined' ? 'not available in this browser: using the media element' : 'available'}); cross-origin isolated: {String(window.crossOriginIsolated)}.</p>
    </Dialog>
  );
}
