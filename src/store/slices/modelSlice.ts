/** The segmentation model's lifecycle as the UI sees it: idle → loading n% → ready | error. */
import type { StateCreator } from 'zustand';
import type { ModelLoadProgress, SegmenterInfo } from '../../core/ports';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';

export interface ModelSlice {
  model: {
    readonly status: 'idle' | 'loading' | 'ready' | 'error';
    readonly progress: ModelLoadProgress | null;
    readonly info: SegmenterInfo | null;
    readonly error: string | null;
  };
  loadModel(): Promise<boolean>;
}

export function createModelSlice(deps: AppDeps): StateCreator<AppState, [], [], ModelSlice> {
  return (set, get) => {
    const patch = (p: Partial<ModelSlice['model']>): void => set((s) => ({ model: { ...s.model, ...p } }));
    let pending: Promise<boolean> | null = null;
    return {
      model: { status: 'idle', progress: null, info: null, error: null },
      loadModel() {
        if (get().model.status === 'ready') return Promise.resolve(true);
        pending ??= (async () => {
          patch({ status: 'loading', progress: null, error: null });
          try {
            const info = await deps.segmenter.load((progress) => patch({ progress }));
            patch({ status: 'ready', info, progress: null });
            return true;
          } catch (e) {
            patch({ status: 'error', error: e instanceof Error ? e.message : String(e) });
            return false;
          } finally {
            pending = null;
          }
        })();
        return pending;
      },
    };
  };
}
