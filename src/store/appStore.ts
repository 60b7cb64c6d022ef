/**
 * One store per app instance, composed from typed slices. Adapters come in through `deps`, so
 * the same store runs in the browser and in tests with fakes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppDeps } from './deps';
import { createAnnotationSlice, type AnnotationSlice } from './slices/annotationSlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createUiSlice, type UiSlice } from './slices/uiSlice';
import { createVideoSlice, type VideoSlice } from './slices/videoSlice';
import { createViewSlice, type ViewSlice } from './slices/viewSlice';

export type AppState = VideoSlice & ViewSlice & UiSlice & ModelSlice & AnnotationSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createVideoSlice(deps)(...a),
    ...createViewSlice(...a),
    ...createUiSlice(...a),
    ...createModelSlice(deps)(...a),
    ...createAnnotationSlice(deps)(...a),
  }));
}
