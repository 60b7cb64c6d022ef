/**
 * Turns a decoded frame into the image a model receives: resized (high-quality smoothing, as
 * PIL's resampling in the reference is), the visual prompt drawn on it, encoded as JPEG or PNG
 * and returned as a data URL. Runs in the video worker (OffscreenCanvas, FileReaderSync; it draws
 * on canvases it keeps, through drawForModel and encodeCanvas) and, for the media-element
 * fallback, on the UI thread (encodeImage).
 */
import type { EncodedImage } from '../../core/agent/ports';
import type { FrameEncodeOptions } from '../../core/ports';
import { overlayShapes } from '../../core/visualPrompt/overlay';
import { drawShapes } from './drawVisualPrompt';

export async function encodeImage(source: ImageBitmap, options: FrameEncodeOptions): Promise<EncodedImage> {
  const canvas = await drawForModel((ctx, width, height) => ctx.drawImage(source, 0, 0, width, height), { width: source.width, height: source.height }, options);
  return encodeCanvas(canvas, options);
}

type Context2D = OffscreenCanvasRenderingContext2D;

/**
 * A canvas of the model's size with the picture drawn on it by `draw` (asked to fill `width` ×
 * `height`, smoothing set), then the visual prompt. `picture` is the picture's own size: shapes
 * are placed on that pixel grid (the masks') unless the overlay's masks say otherwise.
 *
 * `reuse`, when given, is drawn on instead of a new canvas (its size set, which clears it and its
 * state). The video worker keeps a few: a canvas holds pixel memory the garbage collector does
 * not see, so a new canvas per frame (thousands a minute in a batch run) piles up between
 * collections.
 */
export async function drawForModel(
  draw: (ctx: Context2D, width: number, height: number) => void | Promise<void>,
  picture: { readonly width: number; readonly height: number },
  options: FrameEncodeOptions,
  reuse?: OffscreenCanvas,
): Promise<OffscreenCanvas> {
  const { width, height } = options;
  const canvas = reuse ?? new OffscreenCanvas(width, height);
  if (reuse) {
    canvas.width = width;
    canvas.height = height;
  }
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('This browser cannot draw on an OffscreenCanvas');
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.save();
  await draw(ctx, width, height);
  ctx.restore();
  if (options.overlay) {
    // Shapes are placed on the frame's own pixel grid (the masks'), then scaled with the picture.
    const [h, w] = options.overlay.targets[0]?.rle.size ?? [picture.height, picture.width];
    drawShapes(ctx, overlayShapes(options.overlay, { width: w, height: h }), width / w);
  }
  return canvas;
}

/** The canvas as the JPEG or PNG a model receives, as a data URL. */
export async function encodeCanvas(canvas: OffscreenCanvas, options: FrameEncodeOptions): Promise<EncodedImage> {
  const type = options.format === 'png' ? 'image/png' : 'image/jpeg';
  const blob = await canvas.convertToBlob(options.format === 'png' ? { type } : { type, quality: options.quality });
  return { url: await dataUrlOf(blob), bytes: blob.size, width: canvas.width, height: canvas.height };
}

/** A worker reads synchronously (no event-loop round trip per frame); the UI thread cannot. */
function dataUrlOf(blob: Blob): Promise<string> {
  // FileReaderSync exists only in workers, so the DOM library does not declare it.
  const Sync = (globalThis as { FileReaderSync?: new () => { readAsDataURL(blob: Blob): string } }).FileReaderSync;
  if (Sync) return Promise.resolve(new Sync().readAsDataURL(blob));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the encoded image'));
    reader.readAsDataURL(blob);
  });
}
