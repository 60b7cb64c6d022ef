import { ENCODER_KINDS, ENCODER_LABELS, parseEncoderKind } from '../../core/segmentation/encoders';
import { formatBytes } from '../../ui/format';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectModel } from '../../store/selectors';

/** The segmentation model's state in the top bar: loading n%, ready (on what, with which encoder), or the error; and the encoder setting. */
export function ModelStatus() {
  return (
    <>
      <ModelState />
      <EncoderSetting />
    </>
  );
}

function ModelState() {
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
  const text = `SAM ready · ${info.encoder} encoder · ${info.backend === 'webgpu' ? 'WebGPU' : `WASM × ${info.threads} thread${info.threads === 1 ? '' : 's'}`}`;
  // On a narrow top bar the text is cut short: the tooltip has all of it.
  return (
    <div className="model-status ready" role="status" aria-label="Segmentation model" title={`${text}, loaded in ${Math.round(info.loadMs)} ms${info.fromCache ? ' from the browser cache' : ''}`}>
      {text}
    </div>
  );
}

/** The image encoder: int8 (half the download, faster on the CPU) or fp32; swapped at once when the model is loaded. */
function EncoderSetting() {
  const store = useAppStoreApi();
  const encoder = useAppStore((s) => s.model.encoder);
  const loading = useAppStore((s) => s.model.status === 'loading');
  const propagating = useAppStore((s) => s.propagation.job !== null);
  return (
    <select
      className="encoder-setting"
      aria-label="SAM encoder"
      title={propagating ? 'The encoder cannot change while a propagation runs' : 'Image encoder of the segmentation model: int8 is half the download and faster on the CPU, its masks match fp32’s (mean IoU ≥ 0.98)'}
      value={encoder}
      disabled={loading || propagating}
      onChange={(e) => {
        const chosen = parseEncoderKind(e.target.value);
        if (chosen !== null) void store.getState().chooseEncoder(chosen);
      }}
    >
      {ENCODER_KINDS.map((kind) => (
        <option key={kind} value={kind}>
          {ENCODER_LABELS[kind]}
        </option>
      ))}
    </select>
  );
}
