/** Reading a DAVIS frame (JPEG) and its ground-truth mask (PNG) from test/fixtures/davis/<folder>, for Node tests. */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { BinaryMask } from '../core/mask/rle';
import type { RgbaImage } from '../core/segmentation/samPreprocess';

const fixture = (folder: string, file: string): string => new URL(`../../test/fixtures/davis/${folder}/${file}`, import.meta.url).pathname;

export function davisFrame(folder: string, name: string): RgbaImage {
  const img = jpeg.decode(readFileSync(fixture(folder, `${name}.jpg`)), { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, data: img.data };
}

export function davisMask(folder: string, name: string): BinaryMask {
  const png = PNG.sync.read(readFileSync(fixture(folder, `${name}.png`)));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}
