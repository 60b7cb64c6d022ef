/**
 * VideoFrame → ImageBitmap, the fast way. Measured in this Chromium without a GPU, for a 1280x720
 * I420 frame: `createImageBitmap(frame)` takes ~10 ms, while `copyTo({format: 'RGBA'})` (libyuv)
 * plus `createImageBitmap(ImageData, {premultiplyAlpha: 'none'})` takes ~4 ms. Video frames are
 * opaque, so skipping premultiplication changes nothing.
 */
let rgbaCopySupported = true;

export async function frameToBitmap(frame: VideoFrame, resizeWidth?: number): Promise<ImageBitmap> {
  const outW = resizeWidth ?? frame.displayWidth;
  const outH = resizeWidth === undefined ? frame.displayHeight : Math.max(1, Math.round((resizeWidth * frame.displayHeight) / frame.displayWidth));
  if (rgbaCopySupported) {
    const rect = frame.visibleRect;
    const w = rect?.width ?? frame.codedWidth;
    const h = rect?.height ?? frame.codedHeight;
    try {
      const pixels = new Uint8ClampedArray(w * h * 4);
      await frame.copyTo(pixels, { format: 'RGBA', colorSpace: 'srgb' });
      const resize = outW !== w || outH !== h ? { resizeWidth: outW, resizeHeight: outH, resizeQuality: 'medium' as const } : {};
      return await createImageBitmap(new ImageData(pixels, w, h), { premultiplyAlpha: 'none', ...resize });
    } catch {
      // Browsers without RGB conversion in copyTo (older than Chromium 127, for instance).
      rgbaCopySupported = false;
    }
  }
  return resizeWidth === undefined ? createImageBitmap(frame) : createImageBitmap(frame, { resizeWidth: outW, resizeHeight: outH, resizeQuality: 'medium' });
}
