import { inert, type ToolState } from '../types';
import { dragging } from './Dragging';

/** Box tool, waiting: a primary press starts a box. */
export const boxIdle = (): ToolState => ({
  ...inert('box.idle'),
  onPointerDown: (p) => (p.button === 0 ? dragging(p.x, p.y, p.x, p.y) : boxIdle()),
});
