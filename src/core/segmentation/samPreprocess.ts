/**
 * Builds the SAM encoder's input from RGBA pixels: bilinear resize of the long side to 1024,
 * per-channel normalisation, zero padding (after normalisation, as SAM pads), CHW float32.
 * Pure so that the browser worker and the Node tests feed the model identical tensors.
 */
import { SAM_SIZE, samGeometry, type SamGeometry } from './samGeometry';

export const SAM_PIXEL_MEAN = [123.675, 116.28, 103.53] as const;
export const SAM_PIXEL_STD = [58.395, 57.12, 57.375] as const;

export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major, 4 bytes per pixel. */
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** Bilinear resize with pixel-centre alignment (align_corners = false). */
export function resizeRgbaBilinear(src: RgbaImage, width: number, height: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * height * 4);
  const sx = src.width / width;
  const sy = src.height / height;
  const xs0 = new Int32Array(width);
  const xs1 = new Int32Array(width);
  const fx = new Float32Array(width);
  for (let x = 0; x < width; x++) {
    const fxs = Math.max(0, (x + 0.5) * sx - 0.5);
    const x0 = Math.min(src.width - 1, Math.floor(fxs));
    xs0[x] = x0 * 4;
    xs1[x] = Math.min(src.width - 1, x0 + 1) * 4;
    fx[x] = fxs - x0;
  }
  const d = src.data;
  for (let y = 0; y < height; y++) {
    const fys = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(src.height - 1, Math.floor(fys));
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fys - y0;
    const row0 = y0 * src.width * 4;
    const row1 = y1 * src.width * 4;
    let o = y * width * 4;
    for (let x = 0; x < width; x++) {
      const a = row0 + xs0[x]!;
      const b = row0 + xs1[x]!;
      const c = row1 + xs0[x]!;
      const e = row1 + xs1[x]!;
      const wx = fx[x]!;
      for (let k = 0; k < 4; k++) {
        const top = d[a + k]! + (d[b + k]! - d[a + k]!) * wx;
        const bottom = d[c + k]! + (d[e + k]! - d[c + k]!) * wx;
        out[o++] = top + (bottom - top) * wy + 0.5;
      }
    }
  }
  return out;
}

/** The encoder tensor [1, 3, 1024, 1024] as a flat Float32Array, and the geometry used. */
export function buildEncoderInput(image: RgbaImage): { tensor: Float32Array; geometry: SamGeometry } {
  const geometry = samGeometry(image.width, image.height);
  const resized =
    geometry.width === image.width && geometry.height === image.height
      ? image.data
      : resizeRgbaBilinear(image, geometry.width, geometry.height);
  const plane = SAM_SIZE * SAM_SIZE;
  const tensor = new Float32Array(3 * plane); // zeros: the padding
  for (let c = 0; c < 3; c++) {
    const mean = SAM_PIXEL_MEAN[c]!;
    const inv = 1 / SAM_PIXEL_STD[c]!;
    const base = c * plane;
    for (let y = 0; y < geometry.height; y++) {
      let i = y * geometry.width * 4 + c;
      let o = base + y * SAM_SIZE;
      for (let x = 0; x < geometry.width; x++, i += 4) tensor[o++] = (resized[i]! - mean) * inv;
    }
  }
  return { tensor, geometry };
}
