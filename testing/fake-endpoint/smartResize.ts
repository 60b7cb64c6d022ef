/**
 * Qwen's `smart_resize` and frame-count rule, written again from the protocol document (§2.1)
 * rather than imported from the client, so that the double checks the client instead of sharing
 * its mistakes. Operations are done in the Python order so the doubles, hence the results, match.
 */

export interface ResizeRule {
  readonly factor: number;
  readonly minPixels: number;
  readonly maxPixels: number;
}

export interface CountRule {
  readonly fps: number;
  readonly minFrames: number;
  readonly maxFrames: number;
}

/** Python's round(): halves go to the even neighbour. `x - floor(x)` is exact for doubles. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** smart_resize(height, width): both sides multiples of `factor`, area within [minPixels, maxPixels]. */
export function smartResize(height: number, width: number, { factor, minPixels, maxPixels }: ResizeRule): { width: number; height: number } {
  let h = Math.max(factor, roundHalfEven(height / factor) * factor);
  let w = Math.max(factor, roundHalfEven(width / factor) * factor);
  if (h * w > maxPixels) {
    const beta = Math.sqrt((height * width) / maxPixels);
    h = Math.max(factor, Math.floor(height / beta / factor) * factor);
    w = Math.max(factor, Math.floor(width / beta / factor) * factor);
  } else if (h * w < minPixels) {
    const beta = Math.sqrt(minPixels / (height * width));
    h = Math.ceil((height * beta) / factor) * factor;
    w = Math.ceil((width * beta) / factor) * factor;
  }
  return { width: w, height: h };
}

export const floor2 = (n: number): number => Math.floor(n / 2) * 2;
export const ceil2 = (n: number): number => Math.ceil(n / 2) * 2;

/**
 * n = floor2(min(clamp(duration*fps, ceil2(minFrames), floor2(maxFrames)), availableFrames)).
 * `availableFrames` is Infinity when the double does not know the video's frame rate.
 */
export function expectedFrameCount(durationS: number, rule: CountRule, availableFrames = Infinity): number {
  const wanted = Math.min(Math.max(durationS * rule.fps, ceil2(rule.minFrames)), floor2(rule.maxFrames));
  return floor2(Math.min(wanted, availableFrames));
}

/**
 * The counts a correct client may send for a range of `durationS` seconds. A set, not one
 * number, because the client's `end - start` may differ from ours by float noise right at an
 * even boundary, and because with a known frame rate the available frames in the range are only
 * known to within one frame.
 */
export function acceptableFrameCounts(durationS: number, rule: CountRule, videoFps: number | null): Set<number> {
  const counts = new Set<number>();
  for (const d of [durationS, durationS + 1e-6]) {
    if (videoFps === null) {
      counts.add(expectedFrameCount(d, rule));
      continue;
    }
    for (const available of [Math.floor(d * videoFps), Math.floor(d * videoFps) + 1, Math.ceil(d * videoFps) + 1]) {
      // qwen-vl-utils cannot sample fewer than 2; a client then sends what there is (0 or 1).
      counts.add(available < 2 ? Math.max(0, available) : expectedFrameCount(d, rule, available));
    }
  }
  return counts;
}
