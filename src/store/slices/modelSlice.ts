/**
 * The segmentation model's lifecycle as the UI sees it: idle → loading n% → ready | error, and
 * which image encoder the user chose (int8 or fp32, kept on this machine). Choosing the other
 * encoder while the model is loaded swaps it in at once.
 */
import type { StateCreator } from 'zustand';
import type { ModelLoadProgress, SegmenterInfo } from '../../core/ports';
import { DEFAULT_ENCODER, parseEncoderKind, type EncoderKind } from '../../core/segmentation/encoders';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export const ENCODER_PREFERENCE_KEY = 'videoseeker.encoder.v1';

export interface ModelSlice {
  model: {
    readonly status: 'idle' | 'loading' | 'ready' | 'error';
    readonly progress: ModelLoadProgress | null;
    /** What is loaded (its encoder may differ from `encoder` only while the chosen one loads). */
    readonly info: SegmenterInfo | null;
    readonly error: string | null;
    /** The encoder the user chose (or the default). */
    readonly encoder: EncoderKind;
  };
  loadModel(): Promise<boolean>;
  /** Remembers the choice; loads it now unless the model was never asked for. Refused while a propagation runs. */
  chooseEncoder(encoder: EncoderKind): Promise<boolean>;
}

export function createModelSlice(deps: AppDeps): StateCreator<AppState, [], [], ModelSlice> {
  return (set, get) => {
    const patch = (p: Partial<ModelSlice['model']>): void => set((s) => ({ model: { ...s.model, ...p } }));
    let pending: Promise<boolean> | null = null;
    const loadModel = (): Promise<boolean> => {
      const { status, info, encoder } = get().model;
      if (status === 'ready' && info?.encoder === encoder) return Promise.resolve(true);
      pending ??= (async () => {
        try {
          // The choice may change while a load runs: load again until what loaded is what is chosen.
          for (;;) {
            const encoder = get().model.encoder;
            patch({ status: 'loading', progress: null, error: null });
            try {
              const info = await deps.segmenter.load((progress) => patch({ progress }), encoder);
              if (get().model.encoder !== encoder) continue;
              patch({ status: 'ready', info, progress: null });
              return true;
            } catch (e) {
              if (get().model.encoder !== encoder) continue;
              patch({ status: 'error', error: e instanceof Error ? e.message : String(e) });
              return false;
            }
          }
        } finally {
          pending = null;
        }
      })();
      return pending;
    };
    return {
      model: { status: 'idle', progress: null, info: null, error: null, encoder: parseEncoderKind(deps.preferences.load(ENCODER_PREFERENCE_KEY)) ?? DEFAULT_ENCODER },
      loadModel,
      async chooseEncoder(encoder) {
        // A tracker's memory holds the running encoder's features: no swap under a running propagation.
        if (get().propagation.job !== null) return false;
        deps.preferences.save(ENCODER_PREFERENCE_KEY, encoder);
        patch({ encoder });
        return get().model.status === 'idle' ? true : loadModel();
      },
    };
  };
}
