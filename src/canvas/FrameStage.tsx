/**
 * The Konva stage: the frame at the bottom, then layers for masks, prompts and overlays, each
 * redrawn on its own schedule. Wheel zooms around the pointer; dragging pans with the hand tool,
 * with Space held, or with the middle button.
 */
import type Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import { Image as KonvaImage, Layer, Rect, Stage } from 'react-konva';
import { initialToolState, isPromptTool } from '../core/tools/machine';
import type { PointerInput, ToolCommand, ToolState } from '../core/tools/types';
import { MaskLayer } from './MaskLayer';
import { PromptLayer } from './PromptLayer';
import { wheelZoomFactor } from '../core/geometry/viewport';
import { useAppStore, useAppStoreApi } from '../store/context';
import { selectFrame, selectSpacePan, selectStageSize, selectTool, selectVideoInfo, selectViewport } from '../store/selectors';

export function FrameStage() {
  const store = useAppStoreApi();
  const containerRef = useRef<HTMLDivElement>(null);
  const size = useAppStore(selectStageSize);
  const frame = useAppStore(selectFrame);
  const info = useAppStore(selectVideoInfo);
  const viewport = useAppStore(selectViewport);
  const tool = useAppStore(selectTool);
  const spacePan = useAppStore(selectSpacePan);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const [dragging, setDragging] = useState(false);
  // The active prompt tool's state machine (core/tools); its draft is drawn by PromptLayer.
  const [toolState, setToolState] = useState<ToolState | null>(null);
  const machine = isPromptTool(tool) ? (toolState?.id.startsWith(`${tool}.`) ? toolState : initialToolState(tool)) : null;
  const dispatch = (command: ToolCommand): void => {
    if (command.kind === 'addPrompt') void store.getState().addPrompt(command.prompt);
  };
  const toolInput = (e: Konva.KonvaEventObject<PointerEvent>): PointerInput | null => {
    const p = framePoint(e);
    return p ? { ...p, scale: viewport.scale, button: e.evt.button, altKey: e.evt.altKey } : null;
  };

  /** The pointer in frame pixels, clamped to the frame. */
  const framePoint = (e: Konva.KonvaEventObject<PointerEvent>): { x: number; y: number } | null => {
    const p = e.target.getStage()?.getRelativePointerPosition();
    if (!p || !info) return null;
    return { x: Math.min(info.width, Math.max(0, p.x)), y: Math.min(info.height, Math.max(0, p.y)) };
  };

  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      store.getState().setStageSize({ width: Math.floor(entry.contentRect.width), height: Math.floor(entry.contentRect.height) });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [store]);

  const panning = tool === 'hand' || spacePan;

  const onWheel = (e: Konva.KonvaEventObject<WheelEvent>): void => {
    e.evt.preventDefault();
    const pointer = e.target.getStage()?.getPointerPosition();
    if (!pointer) return;
    store.getState().zoomBy(wheelZoomFactor(e.evt.deltaY), pointer);
  };
  const onPointerDown = (e: Konva.KonvaEventObject<PointerEvent>): void => {
    if (panning || e.evt.button === 1) {
      e.evt.preventDefault();
      drag.current = { x: e.evt.clientX, y: e.evt.clientY };
      setDragging(true);
      return;
    }
    if (tool === 'select' && e.target === e.target.getStage()) {
      store.getState().selectPrompt(null); // a click on empty canvas clears the selection
    }
    const input = toolInput(e);
    if (machine && input) setToolState(machine.onPointerDown(input, dispatch));
  };
  const onPointerMove = (e: Konva.KonvaEventObject<PointerEvent>): void => {
    const start = drag.current;
    if (start) {
      store.getState().panView(e.evt.clientX - start.x, e.evt.clientY - start.y);
      drag.current = { x: e.evt.clientX, y: e.evt.clientY };
      return;
    }
    const input = toolInput(e);
    if (machine?.draft && input) setToolState(machine.onPointerMove(input, dispatch));
  };
  const endDrag = (e: Konva.KonvaEventObject<PointerEvent>): void => {
    drag.current = null;
    setDragging(false);
    const input = toolInput(e);
    if (machine?.draft && input) setToolState(machine.onPointerUp(input, dispatch));
  };

  const prompting = isPromptTool(tool);
  const cursor = dragging ? 'grabbing' : panning ? 'grab' : prompting ? 'crosshair' : 'default';
  const smooth = viewport.scale < 2; // show real pixels when zoomed in, for precise work

  return (
    <div
      ref={containerRef}
      className="stage-container"
      style={{ cursor }}
      role="region"
      aria-label="Frame view"
      data-zoom={viewport.scale.toFixed(4)}
      onContextMenu={(e) => {
        if (prompting) e.preventDefault(); // right-click places a negative point
      }}
    >
      {size.width > 0 && size.height > 0 ? (
        <Stage
          width={size.width}
          height={size.height}
          x={viewport.x}
          y={viewport.y}
          scaleX={viewport.scale}
          scaleY={viewport.scale}
          onWheel={onWheel}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={endDrag}
          onPointerLeave={endDrag}
        >
          <Layer name="frame" listening={false} imageSmoothingEnabled={smooth}>
            {info ? <Rect width={info.width} height={info.height} fill="#000" /> : null}
            {frame ? <KonvaImage id="frame-image" image={frame.image} width={info?.width} height={info?.height} /> : null}
          </Layer>
          <MaskLayer />
          <PromptLayer draft={machine?.draft ?? null} />
          <Layer name="overlay" listening={false} />
        </Stage>
      ) : null}
      {info === null ? <p className="stage-empty">Open a video to begin: drop a file here, or use “Open video”.</p> : null}
    </div>
  );
}
