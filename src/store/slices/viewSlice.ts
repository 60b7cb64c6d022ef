/** How the frame sits on the stage (zoom and pan) and which canvas tool is active. */
import type { StateCreator } from 'zustand';
import { fitViewport, panBy, zoomAt, type Point, type Size, type Viewport } from '../../core/geometry/viewport';
import type { AppState } from '../appStore';

/** select/hand move the view; box, point and negative place prompts for the active instance. */
export type CanvasTool = 'select' | 'hand' | 'box' | 'point' | 'negative' | 'scribble';

export interface ViewSlice {
  view: {
    readonly viewport: Viewport;
    /** While true, the viewport follows the stage size so the whole frame stays visible. */
    readonly fitted: boolean;
    readonly stageSize: Size;
    readonly tool: CanvasTool;
    /** Space is held: the pointer pans whatever the tool. */
    readonly spacePan: boolean;
    /** The user dragged while Space was held (so releasing Space is not a play/pause tap). */
    readonly spacePanned: boolean;
  };
  setStageSize(size: Size): void;
  zoomBy(factor: number, anchor?: Point): void;
  panView(dx: number, dy: number): void;
  resetView(): void;
  setTool(tool: CanvasTool): void;
  setSpacePan(held: boolean): void;
}

export const ZOOM_STEP = 1.25;

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set, get) => {
  const frameSize = (): Size | null => {
    const info = get().video.info;
    return info ? { width: info.width, height: info.height } : null;
  };
  const patch = (p: Partial<ViewSlice['view']>): void => set((s) => ({ view: { ...s.view, ...p } }));

  return {
    view: {
      viewport: { scale: 1, x: 0, y: 0 },
      fitted: true,
      stageSize: { width: 0, height: 0 },
      tool: 'select',
      spacePan: false,
      spacePanned: false,
    },
    setStageSize(size) {
      const { view } = get();
      if (size.width === view.stageSize.width && size.height === view.stageSize.height) return;
      const content = frameSize();
      patch({
        stageSize: size,
        viewport: view.fitted && content ? fitViewport(content, size) : view.viewport,
      });
    },
    zoomBy(factor, anchor) {
      const { view } = get();
      const at = anchor ?? { x: view.stageSize.width / 2, y: view.stageSize.height / 2 };
      patch({ viewport: zoomAt(view.viewport, factor, at), fitted: false });
    },
    panView(dx, dy) {
      patch({ viewport: panBy(get().view.viewport, dx, dy), fitted: false, spacePanned: get().view.spacePan || get().view.spacePanned });
    },
    resetView() {
      const content = frameSize();
      patch({ fitted: true, viewport: content ? fitViewport(content, get().view.stageSize) : { scale: 1, x: 0, y: 0 } });
    },
    setTool(tool) {
      patch({ tool });
    },
    setSpacePan(held) {
      if (get().view.spacePan !== held) patch(held ? { spacePan: true, spacePanned: false } : { spacePan: false });
    },
  };
};
