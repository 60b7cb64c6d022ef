/**
 * Masklets: an instance's propagated masks, by frame, each remembering the anchor it was
 * propagated from.
 *
 * An *anchor* is a frame where the user placed prompts and got a mask (see `anchorsOf` in
 * lane.ts). Propagation runs away from anchors; where two anchors' runs could both reach a frame,
 * the NEARER anchor's prediction is kept: tracking error grows with every frame it is carried,
 * so the shorter chain is the better-founded one. Keeping the anchor on every result is what
 * makes this decidable after the fact (a result arriving late, a resumed run, a removed anchor)
 * without knowing how the results were scheduled.
 *
 * All functions are pure and return the same object when nothing changes, so a store can skip
 * re-rendering on a no-op.
 */
import type { Rle } from '../mask/rle';

export type PropagatedState = 'tracked' | 'low' | 'absent';

export interface PropagatedMask {
  /** The mask; null exactly when `state` is 'absent' (the object is not in the frame). */
  readonly rle: Rle | null;
  /** The decoder's predicted IoU. */
  readonly score: number;
  /** 0..1, from the decoder's IoU prediction and the mask's consistency with its neighbours. */
  readonly confidence: number;
  readonly state: PropagatedState;
  /** The anchor frame it was propagated from. */
  readonly anchor: number;
}

/** One instance's propagated masks by frame. Frames without an entry were not computed. */
export type Masklet = Readonly<Record<number, PropagatedMask>>;

/** By instance id. */
export type Masklets = Readonly<Record<string, Masklet>>;

export const EMPTY_MASKLET: Masklet = Object.freeze({});

/**
 * Whether `result` should take `frame`'s place from `existing`: a result from the same anchor
 * replaces (a re-run from an unchanged anchor is newer information); otherwise the nearer anchor
 * wins, and on a tie the existing one stays, so a frame does not flip between two equally distant
 * anchors depending on which run reported last.
 */
function wins(existing: PropagatedMask | undefined, frame: number, result: PropagatedMask): boolean {
  if (existing === undefined || existing.anchor === result.anchor) return true;
  return Math.abs(frame - result.anchor) < Math.abs(frame - existing.anchor);
}

/**
 * `masklet` with `result` merged in at `frame`: frames that two anchors could both reach keep the
 * prediction from the nearer anchor (|frame - anchor|); on a tie the existing one stays; a result
 * from the same anchor replaces. Returns `masklet` itself when the result loses.
 *
 * Copies the whole masklet; for many results at once use `mergeResults`, which copies once.
 */
export function mergeResult(masklet: Masklet, frame: number, result: PropagatedMask): Masklet {
  if (!wins(masklet[frame], frame, result)) return masklet;
  return { ...masklet, [frame]: result };
}

/**
 * Merges many results with the rules of `mergeResult`, in order, copying the masklet once. A
 * store applying the tracker's results in batches (per progress tick) should use this: merging
 * 18,000 frames one `mergeResult` at a time would copy the growing record 18,000 times.
 */
export function mergeResults(masklet: Masklet, results: Iterable<readonly [frame: number, result: PropagatedMask]>): Masklet {
  let out: Record<number, PropagatedMask> | null = null;
  for (const [frame, result] of results) {
    const current = out ?? masklet;
    if (!wins(current[frame], frame, result)) continue;
    out ??= { ...masklet };
    out[frame] = result;
  }
  return out ?? masklet;
}

/** `masklet` keeping only the entries `keep` accepts; `masklet` itself when all are kept. */
function filterMasklet(masklet: Masklet, keep: (frame: number, result: PropagatedMask) => boolean): Masklet {
  const out: Record<number, PropagatedMask> = {};
  let dropped = false;
  for (const key of Object.keys(masklet)) {
    const frame = Number(key);
    const result = masklet[frame]!;
    if (keep(frame, result)) out[frame] = result;
    else dropped = true;
  }
  return dropped ? out : masklet;
}

/**
 * `masklet` without the results propagated from `anchor`: the anchor was removed, or its prompts
 * changed so its mask (the start of every chain from it) is different and everything derived from
 * it is stale.
 */
export function withoutAnchor(masklet: Masklet, anchor: number): Masklet {
  return filterMasklet(masklet, (_, r) => r.anchor !== anchor);
}

/**
 * `masklet` made consistent with the current anchors (ascending or not). Drops:
 *  - results whose anchor is no longer an anchor;
 *  - results on anchor frames themselves (the user's mask is the truth there);
 *  - results separated from their anchor by another anchor ("shadowed"). The planner never
 *    propagates across an anchor, so such a result predates the anchor in between, which is
 *    nearer to the frame anyway; and a user usually adds an anchor because tracking had drifted
 *    there, so what was carried past it is suspect. Its frames show as "not computed" until the
 *    new anchor is propagated, rather than showing a prediction the new anchor contradicts.
 */
export function pruneToAnchors(masklet: Masklet, anchors: readonly number[]): Masklet {
  const sorted = [...new Set(anchors)].sort((a, b) => a - b);
  const isAnchor = new Set(sorted);
  return filterMasklet(masklet, (frame, r) => {
    if (!isAnchor.has(r.anchor) || isAnchor.has(frame)) return false;
    return !anchorBetween(sorted, r.anchor, frame);
  });
}

/** Whether an element of ascending `sorted` lies strictly between a and b. */
function anchorBetween(sorted: readonly number[], a: number, b: number): boolean {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  // First element > lo.
  let l = 0;
  let h = sorted.length;
  while (l < h) {
    const mid = (l + h) >> 1;
    if (sorted[mid]! <= lo) l = mid + 1;
    else h = mid;
  }
  return l < sorted.length && sorted[l]! < hi;
}
