/**
 * Searches over a region's pixels, for the scribble's spine (./scribble): the far end of a
 * region, and a path through it that keeps to its middle.
 */
import type { Region } from './maskRegion';

/** 4-connected neighbours (a leg between neighbouring centres never grazes a background corner). */
const around = (i: number, w: number): number[] => [i - w, i - 1, i + 1, i + w];

/** The `allowed` pixel reached last by a breadth-first search from `start` (the crop's background frame keeps neighbours in bounds). */
export function farthest(r: Region, allowed: (i: number) => boolean, start: number): number {
  const seen = new Uint8Array(r.data.length);
  const queue = new Int32Array(r.data.length);
  seen[start] = 1;
  queue[0] = start;
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    for (const j of around(queue[head]!, r.width)) {
      if (seen[j] === 1 || r.data[j] === 0 || !allowed(j)) continue;
      seen[j] = 1;
      queue[tail++] = j;
    }
  }
  return queue[tail - 1]!;
}

/**
 * The cheapest 4-connected path from `from` to `to` over the `allowed` pixels (Dijkstra), where
 * stepping on a pixel costs (deepest / its depth)^2: near the edge a step costs many in the
 * middle, so the path keeps to the middle wherever the part is wider than a pixel or two.
 */
export function middlePath(r: Region, allowed: (i: number) => boolean, dist2: Float64Array, from: number, to: number): number[] {
  let max2 = 0;
  for (const d of dist2) if (d > max2) max2 = d;
  const cost = new Float64Array(r.data.length).fill(Infinity);
  const parent = new Int32Array(r.data.length).fill(-1);
  const heap = new MinHeap();
  cost[from] = 0;
  heap.push(0, from);
  while (heap.size > 0) {
    const [c, i] = heap.pop();
    if (i === to) break;
    if (c > cost[i]!) continue; // a stale entry: i was reached more cheaply since
    for (const j of around(i, r.width)) {
      if (r.data[j] === 0 || !allowed(j)) continue;
      const next = c + max2 / dist2[j]!;
      if (next < cost[j]!) {
        cost[j] = next;
        parent[j] = i;
        heap.push(next, j);
      }
    }
  }
  const path = [to];
  while (path[path.length - 1] !== from) path.push(parent[path[path.length - 1]!]!);
  return path.reverse();
}

/** A binary min-heap of (key, value) pairs. */
class MinHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, value: number): void {
    const { keys, values } = this;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const up = (i - 1) >> 1;
      if (keys[up]! <= key) break;
      keys[i] = keys[up]!;
      values[i] = values[up]!;
      i = up;
    }
    keys[i] = key;
    values[i] = value;
  }
  pop(): [number, number] {
    const { keys, values } = this;
    const top: [number, number] = [keys[0]!, values[0]!];
    const key = keys.pop()!;
    const value = values.pop()!;
    const n = keys.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
        if (keys[child]! >= key) break;
        keys[i] = keys[child]!;
        values[i] = values[child]!;
        i = child;
      }
      keys[i] = key;
      values[i] = value;
    }
    return top;
  }
}
