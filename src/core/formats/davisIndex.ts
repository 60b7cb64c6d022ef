/**
 * DAVIS-style index maps: one 8-bit value per pixel, 0 for background and k for the k-th instance
 * (1..255), written as an indexed (palette) PNG per frame with the DAVIS / PASCAL VOC palette. The
 * PNG bytes are an adapter's business (fast-png); these are the maps and the palette.
 *
 * Maps are row-major (`map[y * width + x]`), like BinaryMask; RLEs are COCO's column-major runs.
 * Overlaps: an index map holds one instance per pixel, so where masks overlap the LATER instance
 * in the given order wins (it is painted over the earlier ones). A round trip RLE → map → RLE is
 * therefore exact for non-overlapping masks; an overlapped instance comes back without the pixels
 * a later one took.
 */
import type { BinaryMask, Rle } from '../mask/rle';

/** Instances an 8-bit index map can tell apart (0 is the background). */
export const DAVIS_MAX_INSTANCES = 255;

/**
 * Colour `i` of the standard PASCAL VOC / DAVIS colour map (`labelcolormap` / `color_map` in the
 * DAVIS toolkit): the bits of i are spread over the channels, three at a time, from the most
 * significant bit down. 0 black, 1 (128, 0, 0), 2 (0, 128, 0), 3 (128, 128, 0), 4 (0, 0, 128), ...
 */
export function davisColour(i: number): readonly [number, number, number] {
  let r = 0;
  let g = 0;
  let b = 0;
  let c = i;
  for (let j = 0; j < 8; j++) {
    r |= (c & 1) << (7 - j);
    g |= ((c >> 1) & 1) << (7 - j);
    b |= ((c >> 2) & 1) << (7 - j);
    c >>= 3;
  }
  return [r, g, b];
}

/** The 256 colours of the DAVIS palette, index = pixel value. */
export const DAVIS_PALETTE: readonly (readonly [number, number, number])[] = Object.freeze(
  Array.from({ length: 256 }, (_, i) => Object.freeze(davisColour(i)) as readonly [number, number, number]),
);

/** A fresh, mutable copy of the palette as fast-png's `IndexedColors` (number[][]). */
export function davisPaletteRgb(): number[][] {
  return DAVIS_PALETTE.map((c) => [c[0], c[1], c[2]]);
}

const BY_COLOUR: ReadonlyMap<number, number> = new Map(DAVIS_PALETTE.map((c, i) => [(c[0] << 16) | (c[1] << 8) | c[2], i]));

/** The palette index of an RGB colour (for PNGs saved as RGB), or -1 when it is not a palette colour. */
export function davisIndexOfColour(r: number, g: number, b: number): number {
  return BY_COLOUR.get(((r & 255) << 16) | ((g & 255) << 8) | (b & 255)) ?? -1;
}

/**
 * The index map of `frame`: pixel = k (1-based position in `instanceIds`) where the k-th
 * instance's mask covers it, later instances over earlier ones; 0 elsewhere. Painted from the runs
 * without decoding masks. Throws a RangeError for more than 255 instances or a mask of another size.
 */
export function indexMapFor(
  frame: number,
  instanceIds: readonly string[],
  maskAt: (instanceId: string, frame: number) => Rle | null,
  size: { readonly width: number; readonly height: number },
): Uint8Array {
  return indexMapOfFrame({ frame, masks: instanceIds.map((id) => maskAt(id, frame)) }, size);
}

/** One frame of a DAVIS export: `masks[k]` is instance k + 1's mask on it (null: not there). */
export interface DavisFrameMasks {
  readonly frame: number;
  readonly masks: readonly (Rle | null)[];
}

/** Frames of one video whose index-map PNGs are wanted (the masks are RLEs: small to send to a worker). */
export interface DavisPngRequest {
  readonly width: number;
  readonly height: number;
  readonly frames: readonly DavisFrameMasks[];
}

/** A frame's index map as an indexed PNG with the DAVIS palette. */
export interface DavisPng {
  readonly frame: number;
  readonly png: Uint8Array;
}

/** The index map of one frame's masks, as `indexMapFor` says (mask k + 1 over mask k). */
export function indexMapOfFrame({ frame, masks }: DavisFrameMasks, size: { readonly width: number; readonly height: number }): Uint8Array {
  const { width, height } = size;
  if (masks.length > DAVIS_MAX_INSTANCES) throw new RangeError(`An index map holds at most ${DAVIS_MAX_INSTANCES} instances, got ${masks.length}`);
  const map = new Uint8Array(width * height);
  masks.forEach((rle, k) => {
    if (rle === null) return;
    if (rle.size[0] !== height || rle.size[1] !== width) {
      throw new RangeError(`The mask of instance ${k + 1} on frame ${frame} is [${rle.size.join(', ')}], not [${height}, ${width}]`);
    }
    const value = k + 1;
    const { counts } = rle;
    let pos = 0;
    for (let j = 0; j < counts.length; j++) {
      const c = counts[j]!;
      if (j & 1 && c > 0) {
        if (pos + c > width * height) throw new RangeError(`The mask of instance ${k + 1} on frame ${frame} has runs beyond its size`);
        let x = Math.floor(pos / height);
        let y = pos - x * height;
        for (let n = 0; n < c; n++) {
          map[y * width + x] = value;
          if (++y === height) {
            y = 0;
            x++;
          }
        }
      }
      pos += c;
    }
  });
  return map;
}

function checkMap(map: Uint8Array, width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) throw new RangeError(`Invalid map size ${width}x${height}`);
  if (map.length !== width * height) throw new RangeError(`An index map of ${width}x${height} has ${width * height} values, got ${map.length}`);
}

/**
 * One RLE per value present in the map (background 0 excluded), by value, ascending; each in the
 * form `encodeRle` gives. One column-major pass over the map, whatever the number of values.
 */
export function rlesFromIndexMap(map: Uint8Array, width: number, height: number): Map<number, Rle> {
  checkMap(map, width, height);
  const counts: (number[] | undefined)[] = new Array<number[] | undefined>(256);
  const last = new Float64Array(256); // where each value's current run started
  let prev = 0;
  let pos = 0;
  for (let x = 0; x < width; x++) {
    for (let i = x, y = 0; y < height; y++, i += width, pos++) {
      const v = map[i]!;
      if (v === prev) continue;
      if (prev !== 0) {
        counts[prev]!.push(pos - last[prev]!);
        last[prev] = pos;
      }
      if (v !== 0) {
        const list = (counts[v] ??= []);
        list.push(pos - last[v]!);
        last[v] = pos;
      }
      prev = v;
    }
  }
  const total = width * height;
  if (prev !== 0) {
    counts[prev]!.push(total - last[prev]!);
    last[prev] = total;
  }
  const out = new Map<number, Rle>();
  for (let v = 1; v < 256; v++) {
    const list = counts[v];
    if (list === undefined) continue;
    if (last[v]! < total) list.push(total - last[v]!);
    out.set(v, { size: [height, width], counts: list });
  }
  return out;
}

/** One binary mask per value present in the map (background 0 excluded), by value, ascending. */
export function masksFromIndexMap(map: Uint8Array, width: number, height: number): Map<number, BinaryMask> {
  checkMap(map, width, height);
  const out = new Map<number, BinaryMask>();
  const present = new Uint8Array(256);
  for (let i = 0; i < map.length; i++) present[map[i]!] = 1;
  for (let v = 1; v < 256; v++) {
    if (!present[v]) continue;
    const data = new Uint8Array(width * height);
    for (let i = 0; i < map.length; i++) if (map[i] === v) data[i] = 1;
    out.set(v, { width, height, data });
  }
  return out;
}
