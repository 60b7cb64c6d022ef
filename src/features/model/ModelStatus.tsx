import { ENCODER_LABELS } from '../../core/segmentation/encoders';
import { formatBytes } from '../../ui/format';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectModel } from '../../store/selectors';

/** The segmentation model's state in the top bar: loading n%, ready (on what, with which encoder), or the error. */
export function ModelStatus() {
  const store = useAppStoreApi();
  const model = useAppStore(selectModel);
  const p = model.progress;
  const pct = p?.total ? Math.round((p.loaded / p.total) * 100) : null;
  if (model.status === 'idle') {
    return (
      <button
        type="button"
        className="model-status"
        aria-label="Load segmentation model"
        title={`Load the segmentation model (the ${ENCODER_LABELS[model.encoder]} encoder and a 16.5 MB decoder the first time, then from the browser cache)`}
        onClick={() => void store.getState().loadModel()}
      >
        Load model
      </button>
    );
  }
  if (model.status === 'loading') {
    return (
      <div className="model-status" role="status" aria-label="Segmentation model">
        <span>
          Loading SAM ({model.encoder}){pct !== null ? ` ${pct}%` : '…'}
          {p ? ` (${formatBytes(p.loaded)}${p.total ? ` of ${formatBytes(p.total)}` : ''})` : ''}
        </span>
        <progress aria-label="Model download" max={100} value={pct ?? undefined} />
      </div>
    );
  }
  if (model.status === 'error') {
    return (
      <div className="model-status error" role="alert" aria-label="Segmentation model">
        <span>Segmentation model failed: {model.error}</span>
        <button type="button" onClick={() => void store.getState().loadModel()}>
          Retry
        </button>
      </div>
    );
  }
  const info = model.info!;
  const where = info.backend === 'webgpu' ? 'WebGPU' : `WASM × ${info.threads} thread${info.threads === 1 ? '' : 's'}`;
  // On a narrow top bar the details are cut short, never "SAM ready" itself: the tooltip has all of it.
  return (
    <div
      className="model-status ready"
      role="status"
      aria-label="Segmentation model"
      title={`SAM ready with the ${info.encoder} image encoder (the "SAM encoder" setting is with the propagation settings), ${where}, loaded in ${Math.round(info.loadMs)} ms${info.fromCache ? ' from the browser cache' : ''}`}
    >
      <span className="model-ready">SAM ready</span>
      <span className="model-detail">{` · ${info.encoder} · ${where}`}</span>
    </div>
  );
}
