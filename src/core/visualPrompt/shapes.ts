/**
 * The drawing primitives a visual prompt is made of, in the frame's pixel coordinates. The core
 * decides *what* to draw (pure geometry, see geometry.ts); an adapter draws these on a canvas,
 * scaled to whatever size the image is encoded at.
 */

/** A CSS colour string ("#ff2d2d"). */
export type Colour = string;

export type VisualPromptShape =
  /** A stroked polyline or closed polygon; points are a flat [x0, y0, x1, y1, ...] list. */
  | { readonly kind: 'path'; readonly points: readonly number[]; readonly closed: boolean; readonly stroke: Colour; readonly width: number; readonly fill: Colour | null }
  /** A stroked ellipse, rotated by `rotation` radians about its centre. */
  | { readonly kind: 'ellipse'; readonly cx: number; readonly cy: number; readonly rx: number; readonly ry: number; readonly rotation: number; readonly stroke: Colour; readonly width: number }
  /** A filled disc with an outline (a point marker). */
  | { readonly kind: 'disc'; readonly cx: number; readonly cy: number; readonly r: number; readonly fill: Colour; readonly stroke: Colour; readonly width: number }
  /** A text tag: a filled box whose top-left corner is (x, y), the text centred in it. */
  | { readonly kind: 'tag'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly text: string; readonly fontPx: number; readonly fill: Colour; readonly textColour: Colour };
