/**
 * Every user command as data: the toolbar, the keyboard and the shortcuts overlay all read this
 * table, so a command behaves the same whichever way it is invoked.
 */
import { matchShortcut, type KeyLike, type Shortcut } from '../core/input/shortcuts';
import type { AppState, AppStore } from './appStore';
import { ZOOM_STEP } from './slices/viewSlice';

export interface Action {
  readonly id: string;
  /** Accessible name and tooltip. */
  readonly label: string;
  readonly group: 'Video' | 'View' | 'Tools' | 'Review' | 'App';
  readonly shortcuts: readonly Shortcut[];
  /** Whether the action can run now (disabled buttons, ignored keys). */
  readonly enabled?: (state: AppState) => boolean;
  readonly perform: (store: AppStore) => void;
}

const hasVideo = (s: AppState): boolean => s.video.info !== null;
const reviewing = (s: AppState): boolean => s.ui.workspace === 'review' && s.review.runId !== null;
const judging = (s: AppState): boolean => reviewing(s) && s.review.selectedKey !== null;

export const actions = {
  // Before play/pause: in the review, K is "previous result" (an action that is not enabled lets
  // the key fall through to the next one that takes it).
  judgeCorrect: {
    id: 'judgeCorrect',
    label: 'Judge correct',
    group: 'Review',
    shortcuts: [{ key: '1' }],
    enabled: judging,
    perform: (store) => judgeSelected(store, 1),
  },
  judgePartly: {
    id: 'judgePartly',
    label: 'Judge partly correct',
    group: 'Review',
    shortcuts: [{ key: '2' }],
    enabled: judging,
    perform: (store) => judgeSelected(store, 0.5),
  },
  judgeWrong: {
    id: 'judgeWrong',
    label: 'Judge wrong',
    group: 'Review',
    shortcuts: [{ key: '3' }],
    enabled: judging,
    perform: (store) => judgeSelected(store, 0),
  },
  nextResult: {
    id: 'nextResult',
    label: 'Next result',
    group: 'Review',
    shortcuts: [{ key: 'j' }],
    enabled: reviewing,
    perform: (store) => store.getState().stepResult(1),
  },
  previousResult: {
    id: 'previousResult',
    label: 'Previous result',
    group: 'Review',
    shortcuts: [{ key: 'k' }],
    enabled: reviewing,
    perform: (store) => store.getState().stepResult(-1),
  },
  openVideo: {
    id: 'openVideo',
    label: 'Open video',
    group: 'Video',
    shortcuts: [{ key: 'o', mod: true }],
    perform: (store) => store.getState().openDialog('open'),
  },
  togglePlay: {
    id: 'togglePlay',
    label: 'Play / pause',
    group: 'Video',
    // Space toggles on release (so that Space-drag can pan); see useKeyboardShortcuts.
    shortcuts: [{ key: ' ' }, { key: 'k' }],
    enabled: hasVideo,
    perform: (store) => store.getState().togglePlay(),
  },
  previousFrame: {
    id: 'previousFrame',
    label: 'Previous frame',
    group: 'Video',
    shortcuts: [{ key: 'ArrowLeft' }, { key: ',' }],
    enabled: hasVideo,
    perform: (store) => store.getState().stepFrames(-1),
  },
  nextFrame: {
    id: 'nextFrame',
    label: 'Next frame',
    group: 'Video',
    shortcuts: [{ key: 'ArrowRight' }, { key: '.' }],
    enabled: hasVideo,
    perform: (store) => store.getState().stepFrames(1),
  },
  backOneSecond: {
    id: 'backOneSecond',
    label: 'Back 1 second',
    group: 'Video',
    shortcuts: [{ key: 'ArrowLeft', shift: true }],
    enabled: hasVideo,
    perform: (store) => store.getState().stepSeconds(-1),
  },
  forwardOneSecond: {
    id: 'forwardOneSecond',
    label: 'Forward 1 second',
    group: 'Video',
    shortcuts: [{ key: 'ArrowRight', shift: true }],
    enabled: hasVideo,
    perform: (store) => store.getState().stepSeconds(1),
  },
  firstFrame: {
    id: 'firstFrame',
    label: 'First frame',
    group: 'Video',
    shortcuts: [{ key: 'Home' }],
    enabled: hasVideo,
    perform: (store) => store.getState().seek(0),
  },
  lastFrame: {
    id: 'lastFrame',
    label: 'Last frame',
    group: 'Video',
    shortcuts: [{ key: 'End' }],
    enabled: hasVideo,
    perform: (store) => store.getState().seek(Number.MAX_SAFE_INTEGER),
  },
  zoomIn: {
    id: 'zoomIn',
    label: 'Zoom in',
    group: 'View',
    shortcuts: [{ key: '+' }, { key: '=' }],
    enabled: hasVideo,
    perform: (store) => store.getState().zoomBy(ZOOM_STEP),
  },
  zoomOut: {
    id: 'zoomOut',
    label: 'Zoom out',
    group: 'View',
    shortcuts: [{ key: '-' }],
    enabled: hasVideo,
    perform: (store) => store.getState().zoomBy(1 / ZOOM_STEP),
  },
  fitToView: {
    id: 'fitToView',
    label: 'Fit to view',
    group: 'View',
    shortcuts: [{ key: '0' }],
    enabled: hasVideo,
    perform: (store) => store.getState().resetView(),
  },
  selectTool: {
    id: 'selectTool',
    label: 'Select tool',
    group: 'Tools',
    shortcuts: [{ key: 'v' }],
    perform: (store) => store.getState().setTool('select'),
  },
  handTool: {
    id: 'handTool',
    label: 'Hand tool (pan)',
    group: 'Tools',
    shortcuts: [{ key: 'h' }],
    perform: (store) => store.getState().setTool('hand'),
  },
  boxTool: {
    id: 'boxTool',
    label: 'Box prompt',
    group: 'Tools',
    shortcuts: [{ key: 'b' }],
    perform: (store) => store.getState().setTool('box'),
  },
  pointTool: {
    id: 'pointTool',
    label: 'Positive point (Alt or right-click: negative)',
    group: 'Tools',
    shortcuts: [{ key: 'p' }],
    perform: (store) => store.getState().setTool('point'),
  },
  negativeTool: {
    id: 'negativeTool',
    label: 'Negative point',
    group: 'Tools',
    shortcuts: [{ key: 'n' }],
    perform: (store) => store.getState().setTool('negative'),
  },
  scribbleTool: {
    id: 'scribbleTool',
    label: 'Scribble over the object',
    group: 'Tools',
    shortcuts: [{ key: 's' }],
    perform: (store) => store.getState().setTool('scribble'),
  },
  newQaItem: {
    id: 'newQaItem',
    label: 'New QA item for this object and frame',
    group: 'Tools',
    shortcuts: [{ key: 'q' }],
    enabled: (s) => hasVideo(s) && s.annotation.history.present.activeId !== null,
    perform: (store) => {
      store.getState().showSidePanel('qa');
      store.getState().addQaItem();
    },
  },
  propagate: {
    id: 'propagate',
    label: 'Propagate the mask',
    group: 'Tools',
    shortcuts: [{ key: 'p', shift: true }],
    enabled: (s) => hasVideo(s) && s.propagation.job === null,
    perform: (store) => void store.getState().propagate(),
  },
  nextLowConfidence: {
    id: 'nextLowConfidence',
    label: 'Next low-confidence frame',
    group: 'Video',
    shortcuts: [{ key: 'l' }],
    enabled: hasVideo,
    perform: (store) => void store.getState().goToLowConfidence(1),
  },
  previousLowConfidence: {
    id: 'previousLowConfidence',
    label: 'Previous low-confidence frame',
    group: 'Video',
    shortcuts: [{ key: 'l', shift: true }],
    enabled: hasVideo,
    perform: (store) => void store.getState().goToLowConfidence(-1),
  },
  newInstance: {
    id: 'newInstance',
    label: 'New object',
    group: 'Tools',
    shortcuts: [{ key: 'i' }],
    enabled: hasVideo,
    perform: (store) => {
      store.getState().addInstance();
      if (!['box', 'point', 'negative', 'scribble'].includes(store.getState().view.tool)) store.getState().setTool('box');
    },
  },
  deletePrompt: {
    id: 'deletePrompt',
    label: 'Delete the selected prompt',
    group: 'Tools',
    shortcuts: [{ key: 'Delete' }, { key: 'Backspace' }],
    enabled: (s) => s.annotation.selection !== null,
    perform: (store) => void store.getState().deleteSelectedPrompt(),
  },
  clearPrompts: {
    id: 'clearPrompts',
    label: 'Clear prompts on this frame',
    group: 'Tools',
    shortcuts: [{ key: 'Delete', shift: true }, { key: 'Backspace', shift: true }],
    enabled: (s) => s.annotation.history.present.activeId !== null,
    perform: (store) => store.getState().clearPrompts(),
  },
  undo: {
    id: 'undo',
    label: 'Undo',
    group: 'Tools',
    shortcuts: [{ key: 'z', mod: true }],
    enabled: (s) => s.annotation.history.past.length > 0,
    perform: (store) => store.getState().undo(),
  },
  redo: {
    id: 'redo',
    label: 'Redo',
    group: 'Tools',
    shortcuts: [{ key: 'z', mod: true, shift: true }, { key: 'y', mod: true }],
    enabled: (s) => s.annotation.history.future.length > 0,
    perform: (store) => store.getState().redo(),
  },
  showShortcuts: {
    id: 'showShortcuts',
    label: 'Keyboard shortcuts',
    group: 'App',
    shortcuts: [{ key: '?' }],
    perform: (store) => store.getState().openDialog('shortcuts'),
  },
  about: {
    id: 'about',
    label: 'About',
    group: 'App',
    shortcuts: [],
    perform: (store) => store.getState().openDialog('about'),
  },
} satisfies Record<string, Action>;

export const actionList: readonly Action[] = Object.values(actions);

/** The first enabled action a key press triggers, if any. */
export function actionForKey(e: KeyLike, state: AppState): Action | null {
  for (const action of actionList) {
    if (action.shortcuts.some((s) => matchShortcut(s, e)) && (action.enabled === undefined || action.enabled(state))) return action;
  }
  return null;
}

function judgeSelected(store: AppStore, value: 0 | 0.5 | 1): void {
  const key = store.getState().review.selectedKey;
  if (key !== null) store.getState().judge(key, value);
}
