/**
 * A visual prompt as it travels to the worker that draws it: the type, the instances' masks as
 * RLE (small, unlike the decoded masks), and the colour. The worker turns it into shapes
 * (geometry.ts) at the frame's size and draws them.
 */
import type { VisualPromptType } from '../agent/prompts';
import { decodeRle, type Rle } from '../mask/rle';
import { visualPromptShapes } from './geometry';
import type { Colour, VisualPromptShape } from './shapes';

export interface OverlayTarget {
  readonly rle: Rle;
  /** 1..n: the number set_of_mark writes on it. */
  readonly number: number;
}

export interface VisualPromptOverlay {
  readonly type: VisualPromptType;
  readonly targets: readonly OverlayTarget[];
  readonly colour: Colour;
}

/** The overlay's shapes on a frame of the given size (the masks' own size). */
export function overlayShapes(overlay: VisualPromptOverlay, frame: { readonly width: number; readonly height: number }): VisualPromptShape[] {
  const targets = overlay.targets.map((t) => ({ mask: decodeRle(t.rle), number: t.number }));
  return visualPromptShapes(overlay.type, targets, frame, { colour: overlay.colour });
}
