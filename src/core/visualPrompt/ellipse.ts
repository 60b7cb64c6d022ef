/**
 * The ellipse around an object: the smallest (over a few orientations) that encloses every one
 * of its pixels, kept inside the frame.
 */
import { traceContours } from '../mask/contour';
import { moments, symmetricEigen, type Region, type XY } from './maskRegion';

export interface Ellipse {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  readonly rotation: number;
}

/** Orientations tried besides the object's own principal axis: every 15°. */
const ANGLES = Array.from({ length: 12 }, (_, k) => (k * Math.PI) / 12);

/**
 * The smallest ellipse, among a few orientations (the object's principal axis from its second
 * moments, and every 15°), that contains the object's outline, then grown by half the stroke so
 * the stroke's inner edge clears the object. Enclosing the outline's corners encloses every
 * pixel entirely (an ellipse is convex). For a rectangle that is the box's circumscribed ellipse;
 * for two far-apart parts a slim one along the line joining them, where scaling the moment
 * ellipse up would overshoot both ends. The ellipse is then squeezed (per frame axis) to keep
 * its stroke inside the frame: an object filling the frame would otherwise get an ellipse wholly
 * outside it.
 */
export function enclosingEllipse(r: Region, frame: { width: number; height: number }, stroke: number): Ellipse {
  const corners = traceContours(r)
    .filter((c) => !c.hole)
    .flatMap((c) => c.points.map((p) => ({ x: p.x + r.x0, y: p.y + r.y0 })));
  const m = moments(r);
  let best: Ellipse | null = null;
  for (const angle of [symmetricEigen(m.sxx, m.sxy, m.syy).angle, ...ANGLES]) {
    const e = tightestAt(corners, angle);
    if (best === null || e.rx * e.ry < best.rx * best.ry * (1 - 1e-9)) best = e;
  }
  return fitInFrame({ ...best!, rx: best!.rx + stroke / 2, ry: best!.ry + stroke / 2 }, frame, stroke);
}

/**
 * The smallest-area ellipse at this rotation, centred on the middle of the points' extent along
 * its axes, that contains them all. With B = rho * A, containing point (u, v) needs
 * A^2 >= u^2 + v^2 / rho^2, so the area is proportional to max(rho u^2 + v^2 / rho): a maximum of
 * convex functions of log(rho), minimised by ternary search.
 */
function tightestAt(points: readonly XY[], rotation: number): Ellipse {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  const us = points.map((p) => p.x * cos + p.y * sin);
  const vs = points.map((p) => -p.x * sin + p.y * cos);
  const mid = (a: number[]): number => (a.reduce((x, y) => Math.min(x, y)) + a.reduce((x, y) => Math.max(x, y))) / 2;
  const cu = mid(us);
  const cv = mid(vs);
  const u2 = us.map((u) => (u - cu) ** 2);
  const v2 = vs.map((v) => (v - cv) ** 2);
  const cost = (t: number): number => {
    const rho = Math.exp(t);
    let max = 0;
    for (let i = 0; i < u2.length; i++) max = Math.max(max, rho * u2[i]! + v2[i]! / rho);
    return max;
  };
  let lo = -12;
  let hi = 12;
  for (let i = 0; i < 80; i++) {
    const a = lo + (hi - lo) / 3;
    const b = hi - (hi - lo) / 3;
    if (cost(a) <= cost(b)) hi = b;
    else lo = a;
  }
  const rho = Math.exp((lo + hi) / 2);
  let a2 = 0;
  for (let i = 0; i < u2.length; i++) a2 = Math.max(a2, u2[i]! + v2[i]! / (rho * rho));
  const rx = Math.sqrt(a2);
  return { cx: cu * cos - cv * sin, cy: cu * sin + cv * cos, rx, ry: rho * rx, rotation };
}

/** Squeezes the ellipse along x and/or y (about its centre, then moved) so its stroke stays in the frame. */
function fitInFrame(e: Ellipse, frame: { width: number; height: number }, stroke: number): Ellipse {
  const cos = Math.cos(e.rotation);
  const sin = Math.sin(e.rotation);
  // Covariance-like form of the ellipse: {c + A u : |u| <= 1} with A A^T = [[p, q], [q, s]].
  const p = e.rx * e.rx * cos * cos + e.ry * e.ry * sin * sin;
  const q = (e.rx * e.rx - e.ry * e.ry) * cos * sin;
  const s = e.rx * e.rx * sin * sin + e.ry * e.ry * cos * cos;
  const fit = (c: number, half: number, size: number): [centre: number, scale: number] => {
    const lo = Math.min(stroke / 2, size / 2);
    const hi = Math.max(size - stroke / 2, size / 2);
    if (c - half >= lo && c + half <= hi) return [c, 1];
    const from = Math.max(c - half, lo);
    const to = Math.min(c + half, hi);
    // A degenerate interval (stroke wider than the frame) still gets a visible, tiny ellipse.
    return [(from + to) / 2, Math.max(to - from, 1) / (2 * half)];
  };
  const [cx, sx] = fit(e.cx, Math.sqrt(p), frame.width);
  const [cy, sy] = fit(e.cy, Math.sqrt(s), frame.height);
  if (sx === 1 && sy === 1) return e;
  const { l1, l2, angle } = symmetricEigen(p * sx * sx, q * sx * sy, s * sy * sy);
  return { cx, cy, rx: Math.sqrt(l1), ry: Math.sqrt(l2), rotation: angle };
}
