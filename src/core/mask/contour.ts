/**
 * Contours of a binary mask, traced exactly along pixel edges ("crack following").
 *
 * Points lie on integer pixel-corner coordinates: pixel (x, y) is the unit square
 * [x, x + 1] x [y, y + 1], so a lone pixel at (2, 3) gives (2,3), (3,3), (3,4), (2,4). Only corners
 * are emitted (no collinear points), so a filled rectangle is its 4 corners.
 *
 * Connectivity: foreground is 8-connected and background 4-connected. Pixels touching only at a
 * corner belong to the same component, and its outline passes through that shared corner twice
 * (the polygon touches itself at a point, but never crosses). A background region is a hole unless
 * it reaches the image border through edge-adjacent (not just diagonal) pixels.
 *
 * Orientation, in image coordinates (x right, y down): the foreground is always on the right-hand
 * side of travel, so outer boundaries run clockwise on screen and holes counter-clockwise.
 * `polygonArea` (shoelace) is therefore positive for outer contours and negative for holes, and
 * the sum over all contours equals the mask's pixel area.
 *
 * Masks use the row-major `BinaryMask` from ./rle (whose RLE is column-major for COCO
 * compatibility). Tracing is linear in pixels plus boundary length.
 */
import type { BBox, BinaryMask } from './rle';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A closed polygon (the last point joins the first). `hole` contours run counter-clockwise on screen. */
export interface Contour {
  readonly points: readonly Point[];
  readonly hole: boolean;
}

// Directions: 0 east (+x), 1 south (+y), 2 west, 3 north.
const DX: readonly number[] = [1, 0, -1, 0];
const DY: readonly number[] = [0, 1, 0, -1];
// Pixels around a vertex, as offsets from it: heading d, the pixel ahead-left is P[d] and the one
// ahead-right is P[(d + 1) & 3].
const PX: readonly number[] = [0, 0, -1, -1];
const PY: readonly number[] = [-1, 0, 0, -1];

/**
 * Outer boundaries of every 8-connected foreground component and boundaries of every hole, as
 * corner-only closed polygons. Contours come in raster order of their topmost-leftmost edge.
 *
 * `bbox` ([x, y, w, h], e.g. `rleBBox` of the mask's RLE; null for an empty mask), when the caller
 * knows it, limits the search for boundaries to it: the search, not the tracing, is what a large
 * frame costs (11 ms for a 1920×1080 mask, whatever its size). A wrong box gives wrong contours.
 */
export function traceContours(mask: BinaryMask, bbox?: BBox | null): Contour[] {
  const { width: w, height: h, data } = mask;
  if (bbox === null) return [];
  const fg = (px: number, py: number): boolean => px >= 0 && py >= 0 && px < w && py < h && data[py * w + px] !== 0;
  // Horizontal unit edges (x, y)-(x + 1, y), y in 0..h, already traced. Every contour has one.
  const visited = new Uint8Array((h + 1) * w);
  const contours: Contour[] = [];

  const trace = (sx: number, sy: number, d0: number): Contour => {
    const points: Point[] = [{ x: sx, y: sy }];
    let vx = sx;
    let vy = sy;
    let d = d0;
    let twiceArea = 0;
    for (;;) {
      if (d === 0) visited[vy * w + vx] = 1;
      else if (d === 2) visited[vy * w + vx - 1] = 1;
      const nx = vx + DX[d]!;
      const ny = vy + DY[d]!;
      twiceArea += vx * ny - nx * vy;
      vx = nx;
      vy = ny;
      // Keep the foreground on the right; at a diagonal (saddle) corner turn left, joining the
      // diagonal pixels (8-connected foreground).
      const r = (d + 1) & 3;
      let next: number;
      if (fg(vx + PX[d]!, vy + PY[d]!)) next = (d + 3) & 3;
      else if (fg(vx + PX[r]!, vy + PY[r]!)) next = d;
      else next = r;
      if (vx === sx && vy === sy && next === d0) {
        if (d === d0) points.shift(); // the start lies inside a straight run, not at a corner
        break;
      }
      if (next !== d) points.push({ x: vx, y: vy });
      d = next;
    }
    return { points, hole: twiceArea < 0 };
  };

  // Every boundary edge lies on the rows y0 … y1 (the top edges of the box's rows and the bottom
  // edge of its last row) and the columns x0 … x1 - 1.
  const [x0, y0, x1, y1] = bbox ? [Math.max(0, bbox[0]), Math.max(0, bbox[1]), Math.min(w, bbox[0] + bbox[2]), Math.min(h, bbox[1] + bbox[3])] : [0, 0, w, h];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0, i = y * w + x0; x < x1; x++, i++) {
      if (visited[i] === 1) continue;
      const below = y < h && data[i] !== 0;
      const above = y > 0 && data[i - w] !== 0;
      if (below === above) continue;
      // Foreground below: the edge runs east from (x, y); foreground above: west from (x + 1, y).
      contours.push(below ? trace(x, y, 0) : trace(x + 1, y, 2));
    }
  }
  return contours;
}

/** Signed shoelace area: positive for clockwise-on-screen (outer) polygons, negative for holes. */
export function polygonArea(points: readonly Point[]): number {
  const n = points.length;
  let twice = 0;
  for (let i = 0; i < n; i++) {
    const a = points[i]!;
    const b = points[i + 1 === n ? 0 : i + 1]!;
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

/** Area enclosed by contours: outer areas minus hole areas (equals the traced mask's pixel area). */
export function contoursArea(contours: readonly Contour[]): number {
  let area = 0;
  for (const c of contours) {
    const a = Math.abs(polygonArea(c.points));
    area += c.hole ? -a : a;
  }
  return area;
}
