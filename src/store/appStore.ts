/**
 * One store per app instance, composed from typed slices. Adapters come in through `deps`, so
 * the same store runs in the browser and in tests with fakes.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { anchorsOf } from '../core/propagation/lane';
import { pruneToAnchors, withoutAnchor } from '../core/propagation/masklet';
import { isPromptTool } from '../core/tools/machine';
import type { AppDeps } from './deps';
import { createAnnotationSlice, type AnnotationSlice } from './slices/annotationSlice';
import { createAskSlice, type AskSlice } from './slices/askSlice';
import { createBatchSlice, type BatchSlice } from './slices/batchSlice';
import { createDatasetSlice, type DatasetSlice } from './slices/datasetSlice';
import { createModelSlice, type ModelSlice } from './slices/modelSlice';
import { createProjectSlice, type ProjectSlice } from './slices/projectSlice';
import { createPropagationSlice, type PropagationSlice } from './slices/propagationSlice';
import { createQaSlice, type QaSlice } from './slices/qaSlice';
import { createResultsFileSlice, type ResultsFileSlice } from './slices/resultsFileSlice';
import { createReviewSlice, type ReviewSlice } from './slices/reviewSlice';
import { createTransferSlice, type TransferSlice } from './slices/transferSlice';
import { createUiSlice, type UiSlice } from './slices/uiSlice';
import { createVideoSlice, type VideoSlice } from './slices/videoSlice';
import { createViewSlice, type ViewSlice } from './slices/viewSlice';

/** How long a frame must stay on screen before its embedding is computed ahead of a prompt. */
const PREPARE_DELAY_MS = 300;
/** How long the inputs of the visual prompt preview must settle before it is drawn again. */
const PREVIEW_DELAY_MS = 120;
/** Typing pauses this long before the question's frames start encoding. */
const PREPARE_FRAMES_DELAY_MS = 400;

export type AppState = VideoSlice & ViewSlice & UiSlice & ModelSlice & AnnotationSlice & ProjectSlice & AskSlice & PropagationSlice & QaSlice & TransferSlice & ReviewSlice & BatchSlice & DatasetSlice & ResultsFileSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const store = createStore<AppState>()((...a) => ({
    ...createVideoSlice(deps)(...a),
    ...createViewSlice(...a),
    ...createUiSlice(deps)(...a),
    ...createModelSlice(deps)(...a),
    ...createAnnotationSlice(deps)(...a),
    ...createProjectSlice(deps)(...a),
    ...createAskSlice(deps)(...a),
    ...createPropagationSlice(deps)(...a),
    ...createQaSlice(deps)(...a),
    ...createTransferSlice(deps)(...a),
    ...createReviewSlice(deps)(...a),
    ...createBatchSlice(deps)(...a),
    ...createDatasetSlice(deps)(...a),
    ...createResultsFileSlice(deps)(...a),
  }));
  // Save as the user works: every edit, undo, redo, every mask as it arrives, and work put on a video that is not open.
  store.subscribe((s, prev) => {
    if (s.annotation.history.present !== prev.annotation.history.present || s.ask.queries !== prev.ask.queries || s.propagation.masklets !== prev.propagation.masklets || s.propagation.pending !== prev.propagation.pending || s.qa.history.present !== prev.qa.history.present || s.review.runs !== prev.review.runs || s.review.judgements !== prev.review.judgements || s.dataset.videos !== prev.dataset.videos || s.dataset.openVideoId !== prev.dataset.openVideoId || s.dataset.stash !== prev.dataset.stash) s.scheduleSave();
  });
  // An anchor whose prompts or mask change (or that is removed) no longer stands behind the masks
  // propagated from it; a deleted instance takes its masklet along.
  store.subscribe((s, prev) => {
    const now = s.annotation.history.present;
    const before = prev.annotation.history.present;
    if (now === before) return;
    const masklets = s.propagation.masklets;
    let next = masklets;
    for (const id of Object.keys(masklets)) {
      if (!now.instances.some((i) => i.id === id)) {
        const { [id]: _gone, ...rest } = next;
        next = rest;
        continue;
      }
      const changed = new Set<number>();
      for (const key of new Set([...Object.keys(now.frames), ...Object.keys(before.frames)])) {
        if (key.startsWith(`${id}@`) && now.frames[key] !== before.frames[key]) changed.add(Number(key.slice(id.length + 1)));
      }
      if (changed.size === 0) continue;
      let m = next[id]!;
      for (const frame of changed) m = withoutAnchor(m, frame);
      m = pruneToAnchors(m, anchorsOf(now.frames, id));
      if (m !== next[id]) next = { ...next, [id]: m };
    }
    if (next !== masklets) s.loadMaskletsKeepingJob(next);
  });
  // The preview of the visual prompt frame follows whatever it depends on, a moment after it settles.
  let previewTimer: ReturnType<typeof setTimeout> | null = null;
  store.subscribe((s, prev) => {
    const relevant =
      s.ask.draft !== prev.ask.draft ||
      s.annotation.history.present !== prev.annotation.history.present ||
      (s.ask.draft.frame === null && s.video.frameIndex !== prev.video.frameIndex) ||
      s.ask.settings.imageFormat !== prev.ask.settings.imageFormat ||
      s.ask.settings.jpegQuality !== prev.ask.settings.jpegQuality ||
      s.video.info !== prev.video.info;
    if (!relevant) return;
    if (previewTimer !== null) clearTimeout(previewTimer);
    previewTimer = setTimeout(() => {
      previewTimer = null;
      void store.getState().renderPreview();
    }, PREVIEW_DELAY_MS);
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
  // While a question is being typed, its frames are encoded in the background (see prepareQuestionFrames).
  let framesTimer: ReturnType<typeof setTimeout> | null = null;
  store.subscribe((s, prev) => {
    const typing = s.ask.draft.question !== prev.ask.draft.question || s.ask.settings !== prev.ask.settings || s.video.info !== prev.video.info;
    if (!typing || s.ask.draft.question.trim() === '' || s.video.info === null) return;
    if (framesTimer !== null) clearTimeout(framesTimer);
    framesTimer = setTimeout(() => {
      framesTimer = null;
      void store.getState().prepareQuestionFrames();
    }, PREPARE_FRAMES_DELAY_MS);
  });
  return store;
}
