/**
 * Walking from a point on an object along a direction, for markers that sit beside the object and
 * point at it (./triangle, ./arrow).
 */
import { inRegion, type Region, type XY } from './maskRegion';

export type Frame = { readonly width: number; readonly height: number };

const DIAGONAL = Math.SQRT1_2;
export const UP: XY = { x: 0, y: -1 };
export const DOWN: XY = { x: 0, y: 1 };
export const LEFT: XY = { x: -1, y: 0 };
export const RIGHT: XY = { x: 1, y: 0 };
export const UP_RIGHT: XY = { x: DIAGONAL, y: -DIAGONAL };
export const UP_LEFT: XY = { x: -DIAGONAL, y: -DIAGONAL };
export const DOWN_RIGHT: XY = { x: DIAGONAL, y: DIAGONAL };
export const DOWN_LEFT: XY = { x: -DIAGONAL, y: DIAGONAL };

/**
 * Distance along `dir` from `from` to just past the object's last pixel on that line within the
 * frame: past every pixel, not just the first gap, so a marker there is clear of a C shape's
 * other arm too.
 */
export function lastExit(r: Region, from: XY, dir: XY, frame: Frame): number {
  const step = 0.25;
  const end = distanceToEdge(from, dir, frame, 0);
  let last = 0;
  for (let t = 0; t <= end; t += step) if (inRegion(r, from.x + dir.x * t, from.y + dir.y * t)) last = t;
  return last + step;
}

/** How far one can go from `from` along `dir` before coming within `pad` of the frame's edge. */
export function distanceToEdge(from: XY, dir: XY, frame: Frame, pad: number): number {
  const along = (p: number, d: number, size: number): number => {
    if (d > 0) return (size - pad - p) / d;
    if (d < 0) return (pad - p) / d;
    return p >= pad && p <= size - pad ? Infinity : -Infinity;
  };
  return Math.min(along(from.x, dir.x, frame.width), along(from.y, dir.y, frame.height));
}

export function clamp(v: number, lo: number, hi: number): number {
  return lo > hi ? (lo + hi) / 2 : Math.min(hi, Math.max(lo, v));
}

export const offset = (p: XY, dir: XY, t: number): XY => ({ x: p.x + dir.x * t, y: p.y + dir.y * t });
