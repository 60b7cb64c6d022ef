/**
 * The triangle marker: a filled triangle beside the object, its apex towards the object's
 * interior point. Sized in strokes, so it survives the same downscaling the strokes do.
 */
import { inRegion, type Region, type XY } from './maskRegion';
import { clamp, DOWN, DOWN_LEFT, DOWN_RIGHT, lastExit, LEFT, offset, RIGHT, UP, UP_LEFT, UP_RIGHT, type Frame } from './rays';

/** Triangle vertices, apex first. */
export type Triangle = readonly [XY, XY, XY];

/** Where the triangle may sit, seen from the object, by preference: above, where people put one. */
const DIRECTIONS: readonly XY[] = [UP, DOWN, LEFT, RIGHT, UP_RIGHT, UP_LEFT, DOWN_RIGHT, DOWN_LEFT];

/**
 * A triangle `6 * stroke` tall whose axis runs through the target. It starts `stroke` past the
 * object's last pixel on that line and moves out (at most four triangle heights) until it covers
 * no pixel of `mask` (the object's specks included); the first direction, in order of
 * preference, where that happens inside the frame wins. When none does (the object fills the
 * frame) it sits on the target, slid into the frame.
 */
export function triangleMarker(object: Region, mask: Region, target: XY, frame: Frame, stroke: number): Triangle {
  // 18 px once the frame is downscaled to ~448 px (see strokeWidthFor).
  const height = 6 * stroke;
  const half = 0.6 * height;
  // The outline (a third of a stroke, round joins) grows the triangle; a pixel reaches 0.71 px
  // from its centre.
  const clearance = Math.max(stroke / 2, 1);
  const pad = stroke / 2;
  const shape = (apex: XY, dir: XY): Triangle => {
    const base = offset(apex, dir, height);
    return [apex, { x: base.x - dir.y * half, y: base.y + dir.x * half }, { x: base.x + dir.y * half, y: base.y - dir.x * half }];
  };
  const fits = (t: Triangle): boolean => t.every((p) => p.x >= pad && p.y >= pad && p.x <= frame.width - pad && p.y <= frame.height - pad);
  const step = Math.max(1, stroke / 2);
  for (const dir of DIRECTIONS) {
    const start = lastExit(object, target, dir, frame) + stroke;
    for (let t = start; t <= start + 4 * height; t += step) {
      const tri = shape(offset(target, dir, t), dir);
      // Moving out along a line, a vertex that left the frame never comes back.
      if (!fits(tri)) break;
      if (!covers(mask, tri, clearance)) return tri;
    }
  }
  const tri = shape(target, UP);
  const xs = tri.map((p) => p.x);
  const ys = tri.map((p) => p.y);
  const dx = clamp(0, pad - Math.min(...xs), frame.width - pad - Math.max(...xs));
  const dy = clamp(0, pad - Math.min(...ys), frame.height - pad - Math.max(...ys));
  return [offset(tri[0], { x: dx, y: dy }, 1), offset(tri[1], { x: dx, y: dy }, 1), offset(tri[2], { x: dx, y: dy }, 1)];
}

/** Whether an object pixel centre lies in the triangle or within `clearance` of it. */
function covers(r: Region, tri: Triangle, clearance: number): boolean {
  const xs = tri.map((p) => p.x);
  const ys = tri.map((p) => p.y);
  const x0 = Math.max(r.x0, Math.floor(Math.min(...xs) - clearance));
  const x1 = Math.min(r.x0 + r.width - 1, Math.ceil(Math.max(...xs) + clearance));
  const y0 = Math.max(r.y0, Math.floor(Math.min(...ys) - clearance));
  const y1 = Math.min(r.y0 + r.height - 1, Math.ceil(Math.max(...ys) + clearance));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      if (!inRegion(r, x, y)) continue;
      const p = { x: x + 0.5, y: y + 0.5 };
      if (inTriangle(p, tri) || tri.some((a, i) => segmentDistance(p, a, tri[(i + 1) % 3]!) < clearance)) return true;
    }
  }
  return false;
}

function inTriangle(p: XY, [a, b, c]: Triangle): boolean {
  const side = (u: XY, v: XY): number => (v.x - u.x) * (p.y - u.y) - (v.y - u.y) * (p.x - u.x);
  const d1 = side(a, b);
  const d2 = side(b, c);
  const d3 = side(c, a);
  return (d1 >= 0 && d2 >= 0 && d3 >= 0) || (d1 <= 0 && d2 <= 0 && d3 <= 0);
}

function segmentDistance(p: XY, a: XY, b: XY): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0, 1);
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}
