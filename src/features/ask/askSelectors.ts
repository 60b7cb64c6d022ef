/** Module-level selectors for the Ask panel (re-render only on what each part shows). */
import { checkDraft } from '../../core/agent/draft';
import type { AppState } from '../../store/appStore';

export const selectDraft = (s: AppState) => s.ask.draft;
export const selectPreview = (s: AppState) => s.ask.preview;
export const selectQueries = (s: AppState) => s.ask.queries;
export const selectRunning = (s: AppState) => s.ask.running;
export const selectSelectedQueryId = (s: AppState) => s.ask.selectedId;
export const selectAskError = (s: AppState) => s.ask.error;
export const selectStyleGroup = (s: AppState) => s.ask.styleGroup;
export const selectAskSettings = (s: AppState) => s.ask.settings;
export const selectSelectedQuery = (s: AppState) => s.ask.queries.find((q) => q.id === s.ask.selectedId) ?? null;

/**
 * Why there can be no visual prompt preview now (no video, no object, no mask on the frame...), or
 * null. Derived from the state itself, not read from the preview (which is rendered a moment
 * after its inputs settle), so that "no mask yet" goes the instant the mask appears. The question
 * does not matter for the preview: an empty one stands in as "?", as the preview renderer does.
 */
export const selectPreviewBlocker = (s: AppState): string | null => {
  if (s.video.info === null) return 'Open a video first.';
  const { draft } = s.ask;
  const check = checkDraft(draft.question.trim() === '' ? { ...draft, question: '?' } : draft, s.annotation.history.present, s.video.frameIndex);
  return check.ok ? null : check.reason;
};
