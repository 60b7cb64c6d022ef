/** Module-level selectors and the pure view logic (filter, search, sort) of the QA table. */
import type { AppState } from '../../store/appStore';
export { visibleItems } from '../../core/qa/tableView';

export const selectQaItems = (s: AppState) => s.qa.history.present;
export const selectQaSelected = (s: AppState) => s.qa.selectedId;
export const selectQaView = (s: AppState) => s.qa.view;
export const selectQaError = (s: AppState) => s.qa.error;
export const selectQaReport = (s: AppState) => s.qa.report;
export const selectQaCanUndo = (s: AppState) => s.qa.history.past.length > 0;
export const selectQaCanRedo = (s: AppState) => s.qa.history.future.length > 0;
export const selectInstanceNames = (s: AppState) => s.annotation.history.present.instances;
export const selectStashedWork = (s: AppState) => s.dataset.stash;
export const selectProjectVideos = (s: AppState) => s.dataset.videos;
export const selectOpenVideo = (s: AppState) => s.dataset.openVideoId;

