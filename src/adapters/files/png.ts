/**
 * Label-map PNGs (DAVIS-style masks) over fast-png.
 *
 * - `encodeIndexedPng`: 8-bit palette PNG, pixel value = index into the given palette, as the
 *   DAVIS 2017 annotations are (0 = background, n = instance n).
 * - `decodeIndexPng`: an indexed PNG gives its indices as they are (whatever the palette says).
 *   Tools often re-save masks as grey or RGB(A), so those are accepted too: every distinct colour
 *   becomes an index, black is always 0, the others get 1, 2, … in order of first appearance
 *   (row by row). Alpha is ignored except that a fully transparent pixel is background (0). A
 *   picture with more than 256 colours is not a label map and is refused.
 * - `decodeBinaryPng`: DAVIS 2016 single-object masks (grey 0/255): a pixel is 1 when its first
 *   channel, scaled to 8 bits, is > 127. For an indexed PNG, 1 when its index is not 0 (the
 *   palette's colours say nothing about foreground).
 *
 * Errors are thrown with a message meant for the user.
 */
import { decode, encode, type DecodedPng } from 'fast-png';

/** Decoding allocates width × height × channels; a tiny file may declare a huge picture. */
const MAX_PIXELS = 64 * 1024 * 1024;

export function encodeIndexedPng(index: Uint8Array, width: number, height: number, palette: readonly (readonly [number, number, number])[]): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`Invalid PNG size ${width}×${height}.`);
  if (index.length !== width * height) throw new Error(`The label map has ${index.length} pixels, not ${width}×${height}.`);
  if (palette.length < 1 || palette.length > 256) throw new Error(`A PNG palette has 1 to 256 colours, not ${palette.length}.`);
  for (let i = 0; i < index.length; i++) {
    if (index[i]! >= palette.length) throw new Error(`Label ${index[i]} has no colour in the ${palette.length}-colour palette.`);
  }
  return encode({ width, height, data: index, depth: 8, channels: 1, palette: palette.map((c) => [c[0], c[1], c[2]]) });
}

export function decodeIndexPng(bytes: Uint8Array): { width: number; height: number; index: Uint8Array } {
  const png = decodeChecked(bytes);
  const { width, height } = png;
  if (png.palette) return { width, height, index: unpack(png) };
  const { channels, values } = samples(png);
  const hasAlpha = channels === 2 || channels === 4;
  const colourChannels = hasAlpha ? channels - 1 : channels;
  const ids = new Map<number, number>([[0, 0]]); // key: 0xRRGGBB (grey: v, v, v)
  const index = new Uint8Array(width * height);
  for (let p = 0, at = 0; p < index.length; p++, at += channels) {
    if (hasAlpha && values[at + channels - 1] === 0) continue;
    const r = values[at]!;
    const key = colourChannels === 1 ? r * 0x10101 : (r << 16) | (values[at + 1]! << 8) | values[at + 2]!;
    let id = ids.get(key);
    if (id === undefined) {
      if (ids.size === 256) throw new Error('The PNG has more than 256 colours; it is a picture, not a mask.');
      id = ids.size;
      ids.set(key, id);
    }
    index[p] = id;
  }
  return { width, height, index };
}

export function decodeBinaryPng(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const png = decodeChecked(bytes);
  const data = new Uint8Array(png.width * png.height);
  if (png.palette) {
    const index = unpack(png);
    for (let p = 0; p < data.length; p++) data[p] = index[p] !== 0 ? 1 : 0;
  } else {
    const { channels, values } = samples(png);
    for (let p = 0; p < data.length; p++) data[p] = values[p * channels]! > 127 ? 1 : 0;
  }
  return { width: png.width, height: png.height, data };
}

function decodeChecked(bytes: Uint8Array): DecodedPng {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) throw new Error('The file is not a PNG.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width * height > MAX_PIXELS) throw new Error(`The PNG is ${width}×${height}, too large for a mask.`);
  try {
    return decode(bytes);
  } catch (error) {
    throw new Error(`The PNG could not be decoded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** One raw sample per pixel of a single-channel image (palette or grey), unpacking 1/2/4-bit rows. */
function unpack(png: DecodedPng): Uint8Array {
  const { width, height, depth, data } = png;
  if (png.channels !== 1) throw new Error('Unexpected PNG layout.');
  if (depth >= 8) return depth === 8 ? new Uint8Array(data.buffer, data.byteOffset, width * height) : Uint8Array.from(data, (v) => v >> 8);
  const stride = Math.ceil((width * depth) / 8);
  const perByte = 8 / depth;
  const mask = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = data[y * stride + Math.floor(x / perByte)]!;
      out[y * width + x] = (byte >> (8 - depth * ((x % perByte) + 1))) & mask;
    }
  }
  return out;
}

/** Grey / grey+alpha / RGB / RGBA samples scaled to 8 bits, `channels` per pixel. */
function samples(png: DecodedPng): { channels: number; values: Uint8Array } {
  if (png.depth < 8) {
    const scale = 255 / ((1 << png.depth) - 1);
    return { channels: 1, values: unpack(png).map((v) => Math.round(v * scale)) };
  }
  const values = png.depth === 16 ? Uint8Array.from(png.data, (v) => v >> 8) : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  return { channels: png.channels, values };
}
