import { MIN_BOX_SIZE, normalizeBox } from '../../annotation/model';
import { inert, type ToolState } from '../types';
import { boxIdle } from './Idle';

/** Box tool, dragging from (x0, y0): release adds the box unless it is too small to mean one. */
export const dragging = (x0: number, y0: number, x1: number, y1: number): ToolState => ({
  ...inert('box.dragging', { kind: 'box', x0, y0, x1, y1 }),
  onPointerMove: (p) => dragging(x0, y0, p.x, p.y),
  onPointerUp: (p, emit) => {
    const box = normalizeBox(x0, y0, p.x, p.y);
    if (box.x1 - box.x0 >= MIN_BOX_SIZE && box.y1 - box.y0 >= MIN_BOX_SIZE) emit({ kind: 'addPrompt', prompt: box });
    return boxIdle();
  },
  onCancel: () => boxIdle(),
});
