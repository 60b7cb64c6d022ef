/** Module-level selectors of the Videos panel. */
import type { AppState } from '../../store/appStore';

export const selectDatasetVideos = (s: AppState) => s.dataset.videos;
export const selectOpenVideoId = (s: AppState) => s.dataset.openVideoId;
export const selectSwitching = (s: AppState) => s.dataset.switching;
export const selectAvailability = (s: AppState) => s.dataset.availability;
export const selectVideoView = (s: AppState) => s.dataset.view;
export const selectStorage = (s: AppState) => s.dataset.storage;
export const selectCopying = (s: AppState) => s.dataset.copying;
export const selectStash = (s: AppState) => s.dataset.stash;
export const selectOpenInstances = (s: AppState) => s.annotation.history.present.instances;
export const selectItems = (s: AppState) => s.qa.history.present;
export const selectRuns = (s: AppState) => s.review.runs;
export const selectHasProject = (s: AppState) => s.project.current !== null;
export const selectCanPickFolders = (s: AppState) => s.transfer.folderPicker;
