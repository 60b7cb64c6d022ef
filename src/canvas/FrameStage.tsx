/**
 * The Konva stage: the frame at the bottom, then layers for masks, prompts and overlays, each
 * redrawn on its own schedule. Wheel zooms around the pointer; dragging pans with the hand tool,
 * with Space held, or with the middle button.
 */
import type Konva from 'konva';
import { useEffect, useRef, useState } from 'react';
import { Image as KonvaImage, Layer, Rect, Stage } from 'react-konva';
import { MIN_BOX_SIZE, normalizeBox } from '../core/annotation/model';
import { MaskLayer } from './MaskLayer';
import { PromptLayer, type DraftBox } from './PromptLayer';
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
  const [draft, setDraft] = useState<DraftBox | null>(null);
  const [draftPath, setDraftPath] = useState<number[] | null>(null);

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
    const p = framePoint(e);
    if (!p) return;
    if (tool === 'select' && e.target === e.target.getStage()) {
      store.getState().selectPrompt(null); // a click on empty canvas clears the selection
    }
    if (tool === 'box' && e.evt.button === 0) {
      setDraft({ x0: p.x, y0: p.y, x1: p.x, y1: p.y });
    } else if (tool === 'scribble' && e.evt.button === 0) {
      setDraftPath([p.x, p.y]);
    } else if (tool === 'point' || tool === 'negative') {
      const negative = tool === 'negative' || e.evt.altKey || e.evt.button === 2;
      void store.getState().addPrompt({ kind: 'point', x: p.x, y: p.y, positive: !negative });
    }
  };
  const onPointerMove = (e: Konva.KonvaEventObject<PointerEvent>): void => {
    const start = drag.current;
    if (start) {
      store.getState().panView(e.evt.clientX - start.x, e.evt.clientY - start.y);
      drag.current = { x: e.evt.clientX, y: e.evt.clientY };
      return;
    }
    if (draft) {
      const p = framePoint(e);
      if (p) setDraft({ ...draft, x1: p.x, y1: p.y });
    }
    if (draftPath) {
      const p = framePoint(e);
      const n = draftPath.length;
      // Keep a point every 2 screen pixels: enough for the stroke's shape, not thousands.
      if (p && Math.hypot(p.x - draftPath[n - 2]!, p.y - draftPath[n - 1]!) * viewport.scale >= 2) setDraftPath([...draftPath, p.x, p.y]);
    }
  };
  const endDrag = (): void => {
    drag.current = null;
    setDragging(false);
    if (draft) {
      const box = normalizeBox(draft.x0, draft.y0, draft.x1, draft.y1);
      setDraft(null);
      if (box.x1 - box.x0 >= MIN_BOX_SIZE && box.y1 - box.y0 >= MIN_BOX_SIZE) void store.getState().addPrompt(box);
    }
    if (draftPath) {
      setDraftPath(null);
      void store.getState().addPrompt({ kind: 'scribble', path: draftPath });
    }
  };

  const prompting = tool === 'box' || tool === 'point' || tool === 'negative' || tool === 'scribble';
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
          <PromptLayer draft={draft} draftPath={draftPath} />
          <Layer name="overlay" listening={false} />
        </Stage>
      ) : null}
      {info === null ? <p className="stage-empty">Open a video to begin: drop a file here, or use “Open video”.</p> : null}
    </div>
  );
}
