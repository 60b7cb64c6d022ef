/**
 * How a video's frames are turned upright for display. Containers store frames as coded and say
 * separately how to show them (an MP4 display matrix: phones record sideways and rotate on
 * playback). Every picture the app hands out is already upright, so this is the one place that
 * knows about it; masks, prompts, model frames and exports then need no correction.
 */

/** Clockwise rotation in degrees, applied before the flip (mediabunny's and the MP4 convention). */
export type Rotation = 0 | 90 | 180 | 270;

export interface Orientation {
  readonly rotation: Rotation;
  /** Mirror horizontally (about the vertical axis) after rotating. */
  readonly flip: boolean;
}

export const UPRIGHT: Orientation = { rotation: 0, flip: false };

export interface Size {
  readonly width: number;
  readonly height: number;
}

/**
 * An affine map in the form a 2D canvas takes it (`setTransform(a, b, c, d, e, f)`):
 * x' = a·x + c·y + e, y' = b·x + d·y + f.
 */
export interface Affine {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  readonly e: number;
  readonly f: number;
}

/** Any angle (a multiple of 90, possibly negative) as a Rotation; throws for other angles. */
export function normaliseRotation(degrees: number): Rotation {
  const r = ((Math.round(degrees) % 360) + 360) % 360;
  if (r !== 0 && r !== 90 && r !== 180 && r !== 270) throw new Error(`Unsupported rotation: ${degrees}°`);
  return r;
}

export function isUpright(o: Orientation): boolean {
  return o.rotation === 0 && !o.flip;
}

/** The size of a `size` picture once rotated (a quarter turn swaps width and height). */
export function orientedSize(size: Size, rotation: Rotation): Size {
  return rotation % 180 === 0 ? size : { width: size.height, height: size.width };
}

/**
 * The map from a coded picture's pixel coordinates (`coded` wide and high, origin top-left, y down)
 * to the upright picture's, so that drawing the coded picture under it gives what a player shows.
 */
export function uprightTransform(coded: Size, o: Orientation): Affine {
  const { width: w, height: h } = coded;
  // Clockwise quarter turns with y pointing down, each moved back into the positive quadrant.
  const rotated: Affine =
    o.rotation === 0
      ? { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }
      : o.rotation === 90
        ? { a: 0, b: 1, c: -1, d: 0, e: h, f: 0 }
        : o.rotation === 180
          ? { a: -1, b: 0, c: 0, d: -1, e: w, f: h }
          : { a: 0, b: -1, c: 1, d: 0, e: 0, f: w };
  if (!o.flip) return rotated;
  const out = orientedSize(coded, o.rotation);
  // x' = out.width − x after the rotation.
  return { a: -rotated.a, b: rotated.b, c: -rotated.c, d: rotated.d, e: out.width - rotated.e, f: rotated.f };
}

export function applyAffine(m: Affine, p: { readonly x: number; readonly y: number }): { x: number; y: number } {
  return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f };
}

/**
 * The coded-orientation size to decode or resize to so that the upright picture is `uprightWidth`
 * wide with the video's aspect ratio (thumbnails); the full upright size when no width is asked.
 */
export function codedTargetSize(coded: Size, o: Orientation, uprightWidth?: number): Size {
  const upright = orientedSize(coded, o.rotation);
  if (uprightWidth === undefined) return coded;
  const out = { width: uprightWidth, height: Math.max(1, Math.round((uprightWidth * upright.height) / upright.width)) };
  return orientedSize(out, o.rotation);
}
