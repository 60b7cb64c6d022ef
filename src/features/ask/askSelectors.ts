/** Module-level selectors for the Ask panel (re-render only on what each part shows). */
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
