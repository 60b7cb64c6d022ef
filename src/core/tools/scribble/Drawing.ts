import { inert, type ToolState } from '../types';
import { scribbleIdle } from './Idle';

/** Keep a stroke point every this many screen pixels: the shape without thousands of points. */
export const SCRIBBLE_MIN_STEP_PX = 2;

/** Scribble tool, drawing: moves extend the stroke, release adds it. */
export const drawing = (path: readonly number[]): ToolState => ({
  ...inert('scribble.drawing', { kind: 'scribble', path }),
  onPointerMove: (p) => {
    const n = path.length;
    const far = Math.hypot(p.x - path[n - 2]!, p.y - path[n - 1]!) * p.scale >= SCRIBBLE_MIN_STEP_PX;
    return far ? drawing([...path, p.x, p.y]) : drawing(path);
  },
  onPointerUp: (_p, emit) => {
    emit({ kind: 'addPrompt', prompt: { kind: 'scribble', path } });
    return scribbleIdle();
  },
  onCancel: () => scribbleIdle(),
});
