import { ENCODER_KINDS, ENCODER_LABELS, ENCODER_NOTES, parseEncoderKind } from '../core/segmentation/encoders';
import { useAppStore, useAppStoreApi } from '../store/context';

/**
 * The SAM encoder setting: int8 (half the download, faster on the CPU) or fp32. Swapped at once
 * when the model is loaded (the top bar's model status says which is loaded); not while a
 * propagation runs or the model loads.
 */
export function EncoderSelect() {
  const store = useAppStoreApi();
  const encoder = useAppStore((s) => s.model.encoder);
  const loading = useAppStore((s) => s.model.status === 'loading');
  const propagating = useAppStore((s) => s.propagation.job !== null);
  return (
    <label title={propagating ? 'The encoder cannot change while a propagation runs' : ENCODER_KINDS.map((k) => `${k}: ${ENCODER_NOTES[k]}`).join('\n')}>
      SAM encoder
      <select
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
    </label>
  );
}
