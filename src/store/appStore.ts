/**
 * One store per app instance, composed from typed slices. Adapters come in through `deps`, so
 * the same store runs in the browser and in tests with fakes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { isPromptTool } from '../core/tools/machine';
import type { AppDeps } from './deps';
import { createAnnotationSlice, type AnnotationSlice } from './slices/annotationSlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createProjectSlice, type ProjectSlice } from './slices/projectSlice';
import { createUiSlice, type UiSlice } from './slices/uiSlice';
import { createVideoSlice, type VideoSlice } from './slices/videoSlice';
import { createViewSlice, type ViewSlice } from './slices/viewSlice';

/** How long a frame must stay on screen before its embedding is computed ahead of a prompt. */
const PREPARE_DELAY_MS = 300;

export type AppState = VideoSlice & ViewSlice & UiSlice & ModelSlice & AnnotationSlice & ProjectSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const store = createStore<AppState>()((...a) => ({
    ...createVideoSlice(deps)(...a),
    ...createViewSlice(...a),
    ...createUiSlice(...a),
    ...createModelSlice(deps)(...a),
    ...createAnnotationSlice(deps)(...a),
    ...createProjectSlice(deps)(...a),
  }));
  // Save as the user works: every edit, undo, redo, and every mask as it arrives.
  store.subscribe((s, prev) => {
    if (s.annotation.history.present !== prev.annotation.history.present) s.scheduleSave();
  });
  // With a prompt tool in hand, the frame that stays on screen gets its embedding ahead of the
  // first click (the encoder takes seconds on CPU; the decoder a fraction of one).
  let prepareTimer: ReturnType<typeof setTimeout> | null = null;
  store.subscribe((s, prev) => {
    const relevant =
      s.view.tool !== prev.view.tool || s.video.frameIndex !== prev.video.frameIndex || s.model.status !== prev.model.status || s.video.sourceId !== prev.video.sourceId;
    if (!relevant || !isPromptTool(s.view.tool)) return;
    if (prepareTimer !== null) clearTimeout(prepareTimer);
    prepareTimer = setTimeout(() => {
      prepareTimer = null;
      void store.getState().prepareFrame();
    }, PREPARE_DELAY_MS);
  });
  return store;
}
