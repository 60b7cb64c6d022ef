/** Display names of the visual prompt types (the protocol's ids are data). */
import type { VisualPromptType } from '../core/agent/prompts';

export const TYPE_NAMES: Record<VisualPromptType, string> = {
  rectangle: 'Rectangle',
  mask_contour: 'Mask contour',
  ellipse: 'Ellipse',
  triangle: 'Triangle',
  scribble: 'Scribble',
  point: 'Point',
  arrow: 'Arrow',
  set_of_mark: 'Set of mark (number)',
};
