/** The initial state of each prompt tool; select and hand are handled by the canvas itself. */
import { boxIdle } from './box/Idle';
import { pointIdle } from './point/Idle';
import { scribbleIdle } from './scribble/Idle';
import type { ToolState } from './types';

export type PromptToolId = 'box' | 'point' | 'negative' | 'scribble';

export function initialToolState(tool: PromptToolId): ToolState {
  switch (tool) {
    case 'box':
      return boxIdle();
    case 'point':
      return pointIdle(false);
    case 'negative':
      return pointIdle(true);
    case 'scribble':
      return scribbleIdle();
  }
}

export function isPromptTool(tool: string): tool is PromptToolId {
  return tool === 'box' || tool === 'point' || tool === 'negative' || tool === 'scribble';
}
