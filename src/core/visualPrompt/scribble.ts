/**
 * A scribble over an object, the way a person would mark it: a wave back and forth across the
 * object while travelling along it, every part of it on the object.
 */
import { inRegion, largestComponent, squaredDistanceTransform, type Region, type XY } from './maskRegion';
import { farthest, middlePath } from './paths';

/** Most zigzag corners: beyond that a long object gets wider legs, not a denser scribble. */
const MAX_CORNERS = 24;
/** Parts larger than this many pixels are planned on a coarser grid first. */
const COARSE_AREA = 40_000;
/** Curve points per zigzag leg: smooth at a stroke's width, still a short list. */
const SAMPLES_PER_LEG = 6;

/**
 * The scribble travels along a spine of the object's largest part, between the two ends of its
 * longest way through (its geodesic diameter, by two breadth-first searches) and along its
 * middle, so it follows a bent or C-shaped part instead of cutting across its gap. It zigzags
 * across the spine, about one local width per leg, each corner as far out as the local half-width
 * allows, minus half a stroke so the drawn line stays on the object.
 * Where a straight leg would leave the part, the corner is pulled in, or the spine followed; legs
 * are rounded (Catmull–Rom) where the curve stays on the part too. A part too small for any of
 * this gets a single point, drawn as a dot by a round cap.
 */
export function scribblePoints(r: Region, stroke: number): XY[] {
  const part = largestComponent(r);
  let area = 0;
  for (const v of part.data) area += v;
  if (area > COARSE_AREA) {
    // A large part is planned on a coarser grid (the searches below visit every pixel), then
    // checked at full resolution; it is planned again at full resolution if the check fails.
    const f = Math.ceil(Math.sqrt(area / COARSE_AREA));
    const shift = (f >> 1) + 0.5;
    const small = largestComponent(downsample(part, f));
    // A part thinner than the grid can vanish from it.
    if (small.data.includes(1)) {
      const coarse = scribbleOnPart(small, stroke / f).map((p) => ({ x: part.x0 + (p.x - 1.5) * f + shift, y: part.y0 + (p.y - 1.5) * f + shift }));
      if (inRegion(part, coarse[0]!.x, coarse[0]!.y) && coarse.every((p, i) => i === 0 || lineInside(part, coarse[i - 1]!, p))) return coarse;
    }
  }
  return scribbleOnPart(part, stroke);
}

/**
 * The part sampled every `f` pixels (the middle pixel of each f x f block), with its own one-cell
 * background frame: coarse cell (X, Y) is block (X - 1, Y - 1); x0 = y0 = 0.
 */
function downsample(part: Region, f: number): Region {
  const width = Math.ceil(part.width / f) + 2;
  const height = Math.ceil(part.height / f) + 2;
  const data = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    const py = (y - 1) * f + (f >> 1);
    if (py >= part.height) continue;
    for (let x = 1; x < width - 1; x++) {
      const px = (x - 1) * f + (f >> 1);
      if (px < part.width) data[y * width + x] = part.data[py * part.width + px]!;
    }
  }
  return { x0: 0, y0: 0, width, height, data };
}

function scribbleOnPart(part: Region, stroke: number): XY[] {
  const dist2 = squaredDistanceTransform(part);
  let deepest = 0;
  for (let i = 1; i < dist2.length; i++) if (dist2[i]! > dist2[deepest]!) deepest = i;
  const margin = Math.min(stroke / 2 + 0.5, 0.5 * Math.sqrt(dist2[deepest]!));
  const safe = (i: number): boolean => dist2[i]! >= margin * margin;
  const centre = (i: number): XY => ({ x: part.x0 + (i % part.width) + 0.5, y: part.y0 + Math.floor(i / part.width) + 0.5 });
  const indexAt = (p: XY): number => (Math.floor(p.y) - part.y0) * part.width + Math.floor(p.x) - part.x0;

  // The two ends of the part's longest way through, then the way between them that keeps to its
  // middle (a plain shortest path hugs the edge on every bend, leaving no room to zigzag).
  const a = farthest(part, safe, deepest);
  const b = farthest(part, safe, a);
  const spine = middlePath(part, safe, dist2, b, a).map(centre);
  if (spine.length < 3) return [centre(deepest)];

  const depths = spine.map((p) => Math.sqrt(dist2[indexAt(p)]!));
  const median = [...depths].sort((a, b) => a - b)[depths.length >> 1]!;
  const spacing = Math.max(2 * stroke, 0.8 * median, (spine.length - 1) / (MAX_CORNERS - 1));
  const stations: number[] = [];
  for (let s = 0; s < spine.length - 1; s += spacing) stations.push(Math.round(s));
  if (stations[stations.length - 1] !== spine.length - 1) stations.push(spine.length - 1);

  const corners: XY[] = [];
  stations.forEach((k, n) => {
    const back = spine[Math.max(0, k - Math.round(spacing / 2))]!;
    const ahead = spine[Math.min(spine.length - 1, k + Math.round(spacing / 2))]!;
    const len = Math.hypot(ahead.x - back.x, ahead.y - back.y) || 1;
    const normal = { x: -(ahead.y - back.y) / len, y: (ahead.x - back.x) / len };
    const c = spine[k]!;
    const depth = Math.sqrt(dist2[indexAt(c)]!);
    // Within depth - 0.75 of a pixel centre, every point lies in a pixel closer than `depth` to
    // it, i.e. on the part; `margin` less keeps the drawn stroke on it.
    const reach = Math.max(0, 0.9 * (depth - margin - 0.75)) * (n % 2 === 0 ? 1 : -1);
    const previous = corners[corners.length - 1];
    const direct = [reach, reach / 2, 0]
      .map((a) => ({ x: c.x + normal.x * a, y: c.y + normal.y * a }))
      .find((p) => previous === undefined || lineInside(part, previous, p));
    corners.push(...(direct ? [direct] : pullString(part, spine.slice(stations[n - 1], k + 1))));
  });
  const onPart = corners.every((p, i) => i === 0 || lineInside(part, corners[i - 1]!, p));
  // The spine itself, 4-connected, always stays on the part: the fallback for a leg that found no way.
  const legs = roundLegs(part, onPart ? corners : pullString(part, spine));
  // Corners pulled onto the spine can repeat a point: a zero-length leg draws nothing.
  return legs.filter((p, i) => i === 0 || p.x !== legs[i - 1]!.x || p.y !== legs[i - 1]!.y);
}

/**
 * The polyline through `points` (each on the part, each straight step on it) with as few of them
 * as keep every straight leg on the part: from each kept point, the farthest visible one (within
 * a bounded look-ahead).
 */
function pullString(r: Region, points: readonly XY[]): XY[] {
  const out: XY[] = [points[0]!];
  let at = 0;
  while (at < points.length - 1) {
    let next = Math.min(points.length - 1, at + 64);
    while (next > at + 1 && !lineInside(r, points[at]!, points[next]!)) next--;
    out.push(points[next]!);
    at = next;
  }
  return out;
}

/** Whether the straight line a-b stays on the region, sampled every quarter pixel. */
function lineInside(r: Region, a: XY, b: XY): boolean {
  const n = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * 4);
  for (let i = 0; i <= n; i++) {
    const t = n === 0 ? 0 : i / n;
    if (!inRegion(r, a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)) return false;
  }
  return true;
}

/** Each (already checked) straight leg replaced by its Catmull–Rom curve where that stays on the part. */
function roundLegs(part: Region, corners: readonly XY[]): XY[] {
  if (corners.length < 3) return [...corners];
  const out: XY[] = [corners[0]!];
  for (let i = 0; i + 1 < corners.length; i++) {
    const leg = catmullRomLeg(corners, i, SAMPLES_PER_LEG);
    let from = out[out.length - 1]!;
    const onPart = leg.every((p) => {
      const ok = lineInside(part, from, p);
      from = p;
      return ok;
    });
    out.push(...(onPart ? leg : [corners[i + 1]!]));
  }
  return out;
}

/**
 * Leg i (corner i to corner i + 1, the first excluded) of the uniform Catmull–Rom curve through
 * the corners, sampled: the curve passes through every corner (so the scribble keeps its full
 * width), and its tangent at a corner is parallel to the line through the neighbouring corners,
 * so the wave peaks at about the corner.
 */
function catmullRomLeg(points: readonly XY[], i: number, samples: number): XY[] {
  const p0 = points[Math.max(0, i - 1)]!;
  const p1 = points[i]!;
  const p2 = points[i + 1]!;
  const p3 = points[Math.min(points.length - 1, i + 2)]!;
  const out: XY[] = [];
  for (let k = 1; k <= samples; k++) {
    const t = k / samples;
    const f = (a: number, b: number, c: number, d: number): number =>
      0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t * t + (3 * b - a - 3 * c + d) * t * t * t);
    out.push(k === samples ? p2 : { x: f(p0.x, p1.x, p2.x, p3.x), y: f(p0.y, p1.y, p2.y, p3.y) });
  }
  return out;
}
