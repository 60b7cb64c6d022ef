/**
 * The arrow: beside the object, on a line through its interior point, pointing at it. Sizes are
 * multiples of the stroke width, so they survive the same downscaling the strokes do.
 */
import type { Region, XY } from './maskRegion';
import { clamp, distanceToEdge, DOWN, DOWN_LEFT, DOWN_RIGHT, lastExit, LEFT, offset, RIGHT, UP, UP_LEFT, UP_RIGHT, type Frame } from './rays';

export interface Arrow {
  readonly tail: XY;
  readonly tip: XY;
}

/** Where the tail may sit, seen from the object; the order breaks ties (upper right first, a common place for a pointer). */
const TAIL_DIRECTIONS: readonly XY[] = [UP_RIGHT, UP_LEFT, RIGHT, LEFT, UP, DOWN_RIGHT, DOWN_LEFT, DOWN];

/** Arrow head length and half width, for a stroke width. */
export function arrowHead(stroke: number): { length: number; halfWidth: number } {
  return { length: 3 * stroke, halfWidth: 2 * stroke };
}

/**
 * An arrow `12 * stroke` long on a line through the target, its tip `stroke` beyond the object's
 * last pixel on that line, its tail farther out. Of eight directions it takes the one with the
 * most room, up to what the arrow needs; shorter when even that is cramped.
 */
export function arrowMarker(r: Region, target: XY, frame: Frame, stroke: number): Arrow {
  // 36 px once the frame is downscaled to ~448 px (see strokeWidthFor), as long as a hand-drawn one.
  const length = 12 * stroke;
  const gap = stroke;
  // The head's corners stick out sideways by its half width: keep them in the frame.
  const pad = arrowHead(stroke).halfWidth + stroke / 2;
  const minLength = arrowHead(stroke).length + 2 * stroke;
  let best = { dir: TAIL_DIRECTIONS[0]!, start: 0, room: -Infinity };
  for (const dir of TAIL_DIRECTIONS) {
    const start = lastExit(r, target, dir, frame) + gap;
    const room = Math.min(distanceToEdge(target, dir, frame, pad) - start, length);
    if (room > best.room) best = { dir, start, room };
  }
  const { dir } = best;
  const len = Math.max(best.room, minLength);
  const tip = offset(target, dir, best.start);
  if (best.room >= minLength) return { tip, tail: offset(tip, dir, len) };
  // The object leaves no room on any side: keep the arrow whole and in the frame, over the object.
  const inside = (p: XY): XY => ({ x: clamp(p.x, pad, frame.width - pad), y: clamp(p.y, pad, frame.height - pad) });
  const tail = inside(offset(tip, dir, len));
  return { tail, tip: inside(offset(tail, dir, -len)) };
}
