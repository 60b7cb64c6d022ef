/** Searches over ascending arrays. */

/** Index of the element of `sorted` nearest to `value` (the earlier one on a tie). */
export function nearestIndex(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && Math.abs(sorted[lo - 1]! - value) <= Math.abs(sorted[lo]! - value)) return lo - 1;
  return lo;
}

/** Index of the last element `<= value`, or -1 when there is none. */
export function lastAtOrBefore(sorted: ArrayLike<number>, value: number): number {
  let lo = -1;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (sorted[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
