/**
 * Douglas–Peucker simplification of a closed polygon. A traced contour has a corner at every
 * pixel step, thousands on a large object; drawn with a stroke several pixels wide, corners
 * closer than a pixel to the simplified outline are invisible. Kept points are a subset of the
 * input, so they stay on the traced boundary.
 */
import type { Point } from '../mask/contour';

function segmentDistance2(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return (p.x - a.x - t * dx) ** 2 + (p.y - a.y - t * dy) ** 2;
}

/** Marks the points of the open chain first..last (indices modulo n) that stay. */
function markChain(points: readonly Point[], first: number, last: number, tolerance2: number, keep: Uint8Array): void {
  const n = points.length;
  // An explicit stack: contours can have tens of thousands of points, too deep for recursion.
  const stack: [number, number][] = [[first, last]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstD = tolerance2;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance2(points[i % n]!, points[a % n]!, points[b % n]!);
      if (d > worstD) {
        worstD = d;
        worst = i;
      }
    }
    if (worst < 0) continue;
    keep[worst % n] = 1;
    stack.push([a, worst], [worst, b]);
  }
}

/** The closed polygon with only the points that deviate more than `tolerance` from the simplified outline. */
export function simplifyClosed(points: readonly Point[], tolerance: number): Point[] {
  const n = points.length;
  if (n <= 3) return [...points];
  // Split the ring at point 0 and the point farthest from it: both are surely on the outline.
  let far = 0;
  let farD = -1;
  for (let i = 1; i < n; i++) {
    const d = (points[i]!.x - points[0]!.x) ** 2 + (points[i]!.y - points[0]!.y) ** 2;
    if (d > farD) {
      farD = d;
      far = i;
    }
  }
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[far] = 1;
  markChain(points, 0, far, tolerance * tolerance, keep);
  markChain(points, far, n, tolerance * tolerance, keep);
  const out = points.filter((_, i) => keep[i] === 1);
  // A ring needs three corners to enclose anything; a thin sliver may simplify to a segment.
  return out.length >= 3 ? out : [...points];
}
