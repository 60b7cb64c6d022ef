/**
 * Canvas tools as small state machines (the tldraw pattern): each state handles pointer events
 * and returns the next state, and what the tool decided comes out as commands. No DOM, no Konva:
 * the canvas feeds frame-pixel pointer positions in and dispatches the commands to the store.
 */
import type { Prompt } from '../annotation/model';

export interface PointerInput {
  /** Frame pixels, clamped to the frame. */
  readonly x: number;
  readonly y: number;
  /** Screen pixels per frame pixel (the stage zoom), for distances that should feel the same at any zoom. */
  readonly scale: number;
  /** 0 primary, 1 middle, 2 secondary. */
  readonly button: number;
  readonly altKey: boolean;
}

export type ToolCommand = { readonly kind: 'addPrompt'; readonly prompt: Prompt };

/** What a state in progress shows on the canvas. */
export type ToolDraft =
  | { readonly kind: 'box'; readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }
  | { readonly kind: 'scribble'; readonly path: readonly number[] };

export interface ToolState {
  /** "box.idle", "box.dragging", ... */
  readonly id: string;
  readonly draft: ToolDraft | null;
  onPointerDown(p: PointerInput, emit: (c: ToolCommand) => void): ToolState;
  onPointerMove(p: PointerInput, emit: (c: ToolCommand) => void): ToolState;
  onPointerUp(p: PointerInput, emit: (c: ToolCommand) => void): ToolState;
  /** Pointer left or Escape: abandon what is in progress. */
  onCancel(): ToolState;
}

/** A state that ignores everything: the base of most states. */
export function inert(id: string, draft: ToolDraft | null = null): ToolState {
  const self: ToolState = {
    id,
    draft,
    onPointerDown: () => self,
    onPointerMove: () => self,
    onPointerUp: () => self,
    onCancel: () => self,
  };
  return self;
}
