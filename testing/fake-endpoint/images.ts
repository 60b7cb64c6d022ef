/**
 * Image parts as a server sees them: a data URL is parsed, decoded (jpeg-js, pngjs) and measured.
 * vLLM would decode with PIL and answer 400 on a broken image, so an undecodable image here is a
 * 400 as well. Decoded sizes are cached by content hash because every round resends all earlier
 * images; pixels are decoded again only when a test asks for one.
 */
import { createHash } from 'node:crypto';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';

export type ImageFormat = 'jpeg' | 'png';

export interface ImageInfo {
  /** The format the data URL claims. */
  readonly declared: ImageFormat;
  /** The format the bytes really are (magic number). */
  readonly actual: ImageFormat | 'unknown';
  readonly width: number;
  readonly height: number;
  /** Bytes of the encoded image (not of the base64 text). */
  readonly bytes: number;
}

export interface DecodedImage {
  readonly width: number;
  readonly height: number;
  /** RGBA, row-major. */
  readonly data: Uint8Array;
}

/** `key`: a hash of the bytes, so identical images resent in every round are stored once. */
export type ParsedImage = { ok: true; info: ImageInfo; payload: Buffer; key: string } | { ok: false; error: string };

const DATA_URL = /^data:image\/(jpeg|png);base64,/;

export function sniffFormat(bytes: Uint8Array): ImageFormat | 'unknown' {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return 'unknown';
}

export function decodeImage(payload: Buffer): DecodedImage {
  const format = sniffFormat(payload);
  if (format === 'jpeg') {
    const img = jpeg.decode(payload, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 2048, maxResolutionInMP: 400 });
    return { width: img.width, height: img.height, data: img.data };
  }
  if (format === 'png') {
    const img = pngjs.PNG.sync.read(payload);
    return { width: img.width, height: img.height, data: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.length) };
  }
  throw new Error('not a JPEG or PNG file');
}

const sizeCache = new Map<string, { width: number; height: number } | string>();
const SIZE_CACHE_LIMIT = 4096;

/** Parses and decodes an `image_url.url`; `{ok: false}` says, vLLM-style, why it is not an image. */
export function parseImageUrl(url: string): ParsedImage {
  const match = DATA_URL.exec(url);
  if (match === null) {
    const head = url.slice(0, 40);
    return { ok: false, error: `image_url.url must be a data URL "data:image/jpeg;base64,..." or "data:image/png;base64,...", got "${head}${url.length > 40 ? '...' : ''}"` };
  }
  const base64 = url.slice(match[0].length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return { ok: false, error: 'image_url.url: invalid base64 data' };
  const payload = Buffer.from(base64, 'base64');
  const key = createHash('sha1').update(payload).digest('hex');
  let size = sizeCache.get(key);
  if (size === undefined) {
    try {
      const img = decodeImage(payload);
      size = { width: img.width, height: img.height };
    } catch (e) {
      size = e instanceof Error ? e.message : String(e);
    }
    if (sizeCache.size >= SIZE_CACHE_LIMIT) sizeCache.delete(sizeCache.keys().next().value!);
    sizeCache.set(key, size);
  }
  if (typeof size === 'string') return { ok: false, error: `cannot identify image file (${size})` };
  const declared = match[1] as ImageFormat;
  return { ok: true, payload, key, info: { declared, actual: sniffFormat(payload), width: size.width, height: size.height, bytes: payload.length } };
}

export function pixelAt(img: DecodedImage, x: number, y: number): { r: number; g: number; b: number; a: number } {
  const i = (y * img.width + x) * 4;
  return { r: img.data[i]!, g: img.data[i + 1]!, b: img.data[i + 2]!, a: img.data[i + 3]! };
}

/** A solid-colour (or per-pixel) JPEG data URL, for tests and the benchmark. */
export function jpegDataUrl(width: number, height: number, colour: (x: number, y: number) => [number, number, number] = () => [128, 128, 128], quality = 90): string {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      const i = (y * width + x) * 4;
      data[i] = r;
      data[i + 1] = g;
      data[i + 2] = b;
      data[i + 3] = 255;
    }
  }
  return `data:image/jpeg;base64,${jpeg.encode({ width, height, data }, quality).data.toString('base64')}`;
}

/** A solid-colour PNG data URL. */
export function pngDataUrl(width: number, height: number, rgb: [number, number, number] = [128, 128, 128]): string {
  const png = new pngjs.PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([rgb[0], rgb[1], rgb[2], 255], i * 4);
  return `data:image/png;base64,${pngjs.PNG.sync.write(png).toString('base64')}`;
}
