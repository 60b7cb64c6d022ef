import { inert, type ToolState } from '../types';

/**
 * Point tools: a press places a point. The positive tool places a negative point with Alt or the
 * secondary button; the negative tool always places negative ones.
 */
export const pointIdle = (negativeTool: boolean): ToolState => ({
  ...inert(negativeTool ? 'negative.idle' : 'point.idle'),
  onPointerDown: (p, emit) => {
    if (p.button === 1) return pointIdle(negativeTool);
    const negative = negativeTool || p.altKey || p.button === 2;
    emit({ kind: 'addPrompt', prompt: { kind: 'point', x: p.x, y: p.y, positive: !negative } });
    return pointIdle(negativeTool);
  },
});
