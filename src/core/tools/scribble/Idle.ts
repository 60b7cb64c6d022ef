import { inert, type ToolState } from '../types';
import { drawing } from './Drawing';

/** Scribble tool, waiting: a primary press starts a stroke. */
export const scribbleIdle = (): ToolState => ({
  ...inert('scribble.idle'),
  onPointerDown: (p) => (p.button === 0 ? drawing([p.x, p.y]) : scribbleIdle()),
});
