/**
 * One store per app instance, composed from typed slices. Adapters come in through `deps`, so
 * the same store runs in the browser and in tests with fakes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppDeps } from './deps';
import { createAnnotationSlice, type AnnotationSlice } from './slices/annotationSlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createProjectSlice, type ProjectSlice } from './slices/projectSlice';
import { createUiSlice, type UiSlice } from './slices/uiSlice';
import { createVideoSlice, type VideoSlice } from './slices/videoSlice';
import { createViewSlice, type ViewSlice } from './slices/viewSlice';

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
  return store;
}
