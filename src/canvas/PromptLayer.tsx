/** The prompts placed on the shown frame (points and boxes), and a box being dragged. */
import { Circle, Layer, Line, Rect } from 'react-konva';
import { annotationKey, type Prompt } from '../core/annotation/model';
import { useAppStore } from '../store/context';
import { selectAnnotationFrames, selectFrameIndex, selectInstances, selectViewport } from '../store/selectors';

export interface DraftBox {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

function PromptShape({ prompt, color, scale }: { prompt: Prompt; color: string; scale: number }) {
  if (prompt.kind === 'scribble') {
    return <Line points={[...prompt.path]} stroke={color} strokeWidth={4 / scale} lineCap="round" lineJoin="round" opacity={0.9} />;
  }
  if (prompt.kind === 'box') {
    return <Rect x={prompt.x0} y={prompt.y0} width={prompt.x1 - prompt.x0} height={prompt.y1 - prompt.y0} stroke={color} strokeWidth={2 / scale} dash={[6 / scale, 4 / scale]} />;
  }
  const r = 6 / scale;
  return (
    <>
      <Circle x={prompt.x} y={prompt.y} radius={r} fill={prompt.positive ? '#34c759' : '#ff3b30'} stroke="#fff" strokeWidth={1.5 / scale} />
      <Line points={[prompt.x - r / 2, prompt.y, prompt.x + r / 2, prompt.y]} stroke="#fff" strokeWidth={1.5 / scale} />
      {prompt.positive ? <Line points={[prompt.x, prompt.y - r / 2, prompt.x, prompt.y + r / 2]} stroke="#fff" strokeWidth={1.5 / scale} /> : null}
    </>
  );
}

export function PromptLayer({ draft, draftPath }: { draft: DraftBox | null; draftPath: readonly number[] | null }) {
  const instances = useAppStore(selectInstances);
  const frames = useAppStore(selectAnnotationFrames);
  const frame = useAppStore(selectFrameIndex);
  const { scale } = useAppStore(selectViewport);
  return (
    <Layer name="prompts" listening={false}>
      {instances
        .filter((i) => i.visible)
        .flatMap((instance) =>
          (frames[annotationKey(instance.id, frame)]?.prompts ?? []).map((p, i) => <PromptShape key={`${instance.id}-${i}`} prompt={p} color={instance.color} scale={scale} />),
        )}
      {draftPath ? <Line name="draft-scribble" points={[...draftPath]} stroke="#fff" strokeWidth={3 / scale} lineCap="round" lineJoin="round" /> : null}
      {draft ? (
        <Rect
          name="draft-box"
          x={Math.min(draft.x0, draft.x1)}
          y={Math.min(draft.y0, draft.y1)}
          width={Math.abs(draft.x1 - draft.x0)}
          height={Math.abs(draft.y1 - draft.y0)}
          stroke="#fff"
          strokeWidth={1.5 / scale}
          dash={[6 / scale, 4 / scale]}
        />
      ) : null}
    </Layer>
  );
}
