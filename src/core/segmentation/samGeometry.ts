/**
 * Geometry of the Segment-Anything input frame: an image is resized so its long side is 1024
 * pixels and zero-padded at the bottom and right. Prompt coordinates move between the original
 * image and that frame by the per-axis resize factors (as SAM's ResizeLongestSide does).
 */
export const SAM_SIZE = 1024;
/** Side of the decoder's low-resolution mask (mask_input / low_res_masks). */
export const SAM_LOW_RES = 256;

export interface SamGeometry {
  readonly origWidth: number;
  readonly origHeight: number;
  /** Size of the resized image inside the 1024x1024 frame. */
  readonly width: number;
  readonly height: number;
}

export function samGeometry(origWidth: number, origHeight: number): SamGeometry {
  if (!(origWidth > 0 && origHeight > 0)) throw new Error(`Bad image size ${origWidth}x${origHeight}`);
  const scale = SAM_SIZE / Math.max(origWidth, origHeight);
  // Same rounding as SAM's ResizeLongestSide.get_preprocess_shape: int(x * scale + 0.5), but
  // never 0 (a 1x4096 sliver would otherwise vanish and its coordinates divide by zero).
  return {
    origWidth,
    origHeight,
    width: Math.max(1, Math.floor(origWidth * scale + 0.5)),
    height: Math.max(1, Math.floor(origHeight * scale + 0.5)),
  };
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Original image pixel coordinates → the encoder's 1024 frame. */
export function toSamFrame(g: SamGeometry, p: Point): Point {
  return { x: p.x * (g.width / g.origWidth), y: p.y * (g.height / g.origHeight) };
}

/** The encoder's 1024 frame → original image pixel coordinates. */
export function fromSamFrame(g: SamGeometry, p: Point): Point {
  return { x: p.x * (g.origWidth / g.width), y: p.y * (g.origHeight / g.height) };
}
