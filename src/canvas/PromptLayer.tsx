/**
 * The prompts placed on the shown frame (points, boxes, scribbles) and the one being drawn. With
 * the select tool, a prompt can be picked (click), moved (drag) and deleted (Delete).
 */
import type Konva from 'konva';
import { Circle, Group, Layer, Line, Rect } from 'react-konva';
import { annotationKey, movePrompt, type Prompt } from '../core/annotation/model';
import type { ToolDraft } from '../core/tools/types';
import { useAppStore, useAppStoreApi } from '../store/context';
import { selectAnnotationFrames, selectFrameIndex, selectInstances, selectPromptSelection, selectTool, selectViewport } from '../store/selectors';


const SELECTED = '#ffffff';

function PromptShape({ prompt, color, scale, selected }: { prompt: Prompt; color: string; scale: number; selected: boolean }) {
  const stroke = selected ? SELECTED : color;
  const w = (selected ? 3.5 : 2) / scale;
  if (prompt.kind === 'scribble') {
    return <Line points={[...prompt.path]} stroke={stroke} strokeWidth={(selected ? 6 : 4) / scale} lineCap="round" lineJoin="round" opacity={0.9} hitStrokeWidth={12 / scale} />;
  }
  if (prompt.kind === 'box') {
    return <Rect x={prompt.x0} y={prompt.y0} width={prompt.x1 - prompt.x0} height={prompt.y1 - prompt.y0} stroke={stroke} strokeWidth={w} dash={[6 / scale, 4 / scale]} hitStrokeWidth={12 / scale} fillEnabled={false} />;
  }
  const r = (selected ? 8 : 6) / scale;
  return (
    <>
      <Circle x={prompt.x} y={prompt.y} radius={r} fill={prompt.positive ? '#34c759' : '#ff3b30'} stroke={selected ? SELECTED : '#fff'} strokeWidth={(selected ? 2.5 : 1.5) / scale} />
      <Line points={[prompt.x - r / 2, prompt.y, prompt.x + r / 2, prompt.y]} stroke="#fff" strokeWidth={1.5 / scale} listening={false} />
      {prompt.positive ? <Line points={[prompt.x, prompt.y - r / 2, prompt.x, prompt.y + r / 2]} stroke="#fff" strokeWidth={1.5 / scale} listening={false} /> : null}
    </>
  );
}

export function PromptLayer({ draft }: { draft: ToolDraft | null }) {
  const store = useAppStoreApi();
  const instances = useAppStore(selectInstances);
  const frames = useAppStore(selectAnnotationFrames);
  const frame = useAppStore(selectFrameIndex);
  const selection = useAppStore(selectPromptSelection);
  const tool = useAppStore(selectTool);
  const { scale } = useAppStore(selectViewport);
  const editable = tool === 'select';

  return (
    // Always listening, so the hit graph is ready the moment the select tool is picked; the
    // handlers below act only with the select tool.
    <Layer name="prompts">
      {instances
        .filter((i) => i.visible)
        .flatMap((instance) => {
          const key = annotationKey(instance.id, frame);
          return (frames[key]?.prompts ?? []).map((p, index) => {
            const selected = selection?.key === key && selection.index === index;
            return (
              <Group
                key={`${key}-${index}`}
                name="prompt"
                draggable={editable}
                onPointerDown={(e: Konva.KonvaEventObject<PointerEvent>) => {
                  if (!editable) return; // other tools place prompts through the stage
                  e.cancelBubble = true;
                  store.getState().setActiveInstance(instance.id);
                  store.getState().selectPrompt({ key, index });
                }}
                onDragEnd={(e: Konva.KonvaEventObject<DragEvent>) => {
                  const g = e.target;
                  const dx = g.x();
                  const dy = g.y();
                  g.position({ x: 0, y: 0 }); // the moved prompt re-renders at its new place
                  if (dx !== 0 || dy !== 0) void store.getState().updatePrompt(key, index, movePrompt(p, dx, dy));
                }}
              >
                <PromptShape prompt={p} color={instance.color} scale={scale} selected={selected} />
              </Group>
            );
          });
        })}
      {draft?.kind === 'scribble' ? <Line name="draft-scribble" points={[...draft.path]} stroke="#fff" strokeWidth={3 / scale} lineCap="round" lineJoin="round" listening={false} /> : null}
      {draft?.kind === 'box' ? (
        <Rect
          name="draft-box"
          x={Math.min(draft.x0, draft.x1)}
          y={Math.min(draft.y0, draft.y1)}
          width={Math.abs(draft.x1 - draft.x0)}
          height={Math.abs(draft.y1 - draft.y0)}
          stroke="#fff"
          strokeWidth={1.5 / scale}
          dash={[6 / scale, 4 / scale]}
          listening={false}
        />
      ) : null}
    </Layer>
  );
}
