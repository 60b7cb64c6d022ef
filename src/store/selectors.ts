/** Selectors live at module level so components re-render only when their slice changes. */
import type { AppState } from './appStore';

export const selectVideoInfo = (s: AppState) => s.video.info;
export const selectFrame = (s: AppState) => s.video.frame;
export const selectFrameIndex = (s: AppState) => s.video.frameIndex;
export const selectTimestamps = (s: AppState) => s.video.timestamps;
export const selectPlaying = (s: AppState) => s.video.playing;
export const selectThumbnails = (s: AppState) => s.video.thumbnails;
export const selectOpening = (s: AppState) => s.video.opening;
export const selectOpenError = (s: AppState) => s.video.openError;
export const selectNotice = (s: AppState) => s.video.notice;
export const selectFrameError = (s: AppState) => s.video.frameError;
export const selectBadFrames = (s: AppState) => s.video.badFrames;
export const selectViewport = (s: AppState) => s.view.viewport;
export const selectStageSize = (s: AppState) => s.view.stageSize;
export const selectTool = (s: AppState) => s.view.tool;
export const selectSpacePan = (s: AppState) => s.view.spacePan;
export const selectDialog = (s: AppState) => s.ui.dialog;
export const selectHasVideo = (s: AppState) => s.video.info !== null;
export const selectModel = (s: AppState) => s.model;
export const selectInstances = (s: AppState) => s.annotation.history.present.instances;
export const selectActiveInstanceId = (s: AppState) => s.annotation.history.present.activeId;
export const selectAnnotationFrames = (s: AppState) => s.annotation.history.present.frames;
export const selectCanUndo = (s: AppState) => s.annotation.history.past.length > 0;
export const selectCanRedo = (s: AppState) => s.annotation.history.future.length > 0;
export const selectAnnotationPending = (s: AppState) => s.annotation.pending;
export const selectAnnotationError = (s: AppState) => s.annotation.error;
export const selectPromptSelection = (s: AppState) => s.annotation.selection;
export const selectProject = (s: AppState) => s.project;
export const selectMasklets = (s: AppState) => s.propagation.masklets;
export const selectEndpointSettings = (s: AppState) => s.ask.settings;
export const selectEndpointModels = (s: AppState) => s.ask.models;
export const selectEndpointConnection = (s: AppState) => s.ask.connection;

/** Why a video of the project could not be opened or kept (said in the project banner). */
export const selectDatasetMessage = (s: AppState) => s.dataset.message;
