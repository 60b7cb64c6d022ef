/**
 * Which frames of a video the model gets and at what size (protocol §2.1 and crop_video in §2.3),
 * following Qwen's qwen-vl-utils (`smart_resize`, `smart_nframes`, `torch.linspace(...).round()`),
 * which is what the reference client and the training data used.
 */
import { lastAtOrBefore } from '../sorted';
import { formatFixed1, roundHalfEven } from './pyNumbers';

export interface ResizeOptions {
  /** Sides become multiples of this: 28 for Qwen2.5-VL-style clients (the reference), 32 for Qwen3-VL. */
  readonly factor: number;
  readonly minPixels: number;
  readonly maxPixels: number;
}

export interface FrameCountOptions {
  /** Sampled frames per second of video. */
  readonly fps: number;
  readonly minFrames: number;
  readonly maxFrames: number;
}

export interface SamplingOptions extends FrameCountOptions, ResizeOptions {}

export const QWEN25_FACTOR = 28;
export const QWEN3_FACTOR = 32;

/** Frames of the whole video in the first user message (the reference client's defaults). */
export const VIDEO_SAMPLING: SamplingOptions = { fps: 1, minFrames: 1, maxFrames: 64, minPixels: 784, maxPixels: 200704, factor: QWEN25_FACTOR };

/** Frames returned by crop_video. The doc gives no min_pixels for it; the whole-video one is used. */
export const CROP_SAMPLING: SamplingOptions = { fps: 1, minFrames: 4, maxFrames: 64, minPixels: 784, maxPixels: 112896, factor: QWEN25_FACTOR };

/** qwen-vl-utils refuses images longer than this many times their width (or the reverse). */
export const MAX_ASPECT_RATIO = 200;

/**
 * Qwen's `smart_resize`: the size a frame is scaled to before it is sent. Both sides become
 * multiples of `factor` (rounded half to even, as Python's `round`); if that is more than
 * `maxPixels`, both sides are scaled by 1/sqrt(h*w/maxPixels) and floored to the factor; if less
 * than `minPixels`, scaled up the same way and ceiled. The arithmetic is done in the same order
 * as the Python so that the doubles, and so the results, are identical.
 *
 * One deviation: a floored side is at least `factor` (as in transformers' copy of the function);
 * qwen-vl-utils would return 0 for a very thin image with a small pixel budget.
 * Throws a RangeError, like qwen-vl-utils, for a non-positive size or an aspect ratio over 200.
 */
export function smartResize(height: number, width: number, { factor, minPixels, maxPixels }: ResizeOptions): { height: number; width: number } {
  if (!(height > 0 && width > 0)) throw new RangeError(`Image size must be positive, got ${width}x${height}`);
  const ratio = Math.max(height, width) / Math.min(height, width);
  if (ratio > MAX_ASPECT_RATIO) throw new RangeError(`absolute aspect ratio must be smaller than ${MAX_ASPECT_RATIO}, got ${ratio}`);
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
  return { height: h, width: w };
}

const floor2 = (n: number): number => Math.floor(n / 2) * 2;
const ceil2 = (n: number): number => Math.ceil(n / 2) * 2;

/**
 * How many frames to sample (qwen-vl-utils' `smart_nframes`):
 * floor2(min(clamp(duration*fps, ceil2(minFrames), floor2(maxFrames)), totalFrames)).
 *
 * - An odd number of available frames loses one: 5 frames where 10 are wanted gives 4.
 * - With fewer than 2 frames available, qwen-vl-utils raises; here all of them (0 or 1) are
 *   returned instead. Frames go to the server as separate images, so nothing needs the count even.
 * - A duration that is not a number counts as 0 (so `minFrames` applies).
 */
export function frameCount(durationS: number, totalFrames: number, { fps, minFrames, maxFrames }: FrameCountOptions): number {
  const available = Math.max(0, Math.floor(totalFrames));
  if (available < 2) return available;
  const wanted = durationS * fps;
  const n = Math.min(Math.min(Math.max(Number.isNaN(wanted) ? 0 : wanted, ceil2(minFrames)), floor2(maxFrames)), available);
  return Math.max(0, floor2(n));
}

/**
 * `n` frame indices spread evenly over [first, last], both included: the values of
 * numpy/torch `linspace(first, last, n)` (first + i*(last-first)/(n-1), the last one exactly
 * `last`), each rounded half to even as `torch.round` does. n = 1 gives [first].
 * torch computes in float32, so an index can differ by one from the reference where a value is
 * within float32 precision of a half; the labels carry real times, so nothing depends on it.
 */
export function sampleFrameIndices(first: number, last: number, n: number): number[] {
  if (n <= 0) return [];
  if (n === 1) return [roundHalfEven(first)];
  const step = (last - first) / (n - 1);
  return Array.from({ length: n }, (_, i) => roundHalfEven(i === n - 1 ? last : first + i * step));
}

/** The real timestamps (seconds) of sampled frames. */
export function sampleTimes(timestamps: readonly number[], indices: readonly number[]): number[] {
  return indices.map((i) => timestamps[i]!);
}

export interface FrameSample {
  /** Frame indices into the timestamps array, ascending. */
  readonly indices: readonly number[];
  /** Their timestamps in seconds: what the frame's `<t seconds>` label says. */
  readonly times: readonly number[];
}

/**
 * The frames of the whole video for the first user message. `timestamps` are the presentation
 * times of every frame, ascending, in the seconds the model should use (relative to the video's
 * start); `durationS` is the video's duration.
 */
export function sampleVideo(timestamps: readonly number[], durationS: number, options: FrameCountOptions = VIDEO_SAMPLING): FrameSample {
  const n = frameCount(durationS, timestamps.length, options);
  const indices = sampleFrameIndices(0, timestamps.length - 1, n);
  return { indices, times: sampleTimes(timestamps, indices) };
}

// Tolerates float noise: a time printed from a timestamp must select that frame (as FrameTimeline.indexAt).
const TIME_EPSILON = 1e-9;

/**
 * The frames crop_video returns for [startS, endS]: those shown during the interval, from the one
 * on screen at `startS` to the one on screen at `endS`, so the range is never empty (qwen-vl-utils
 * instead takes ceil(start*fps)..floor(end*fps), which can be empty for a short range between two
 * frames). The count uses the requested length end - start, at most the frames in the range.
 */
export function sampleRange(timestamps: readonly number[], startS: number, endS: number, options: FrameCountOptions = CROP_SAMPLING): FrameSample {
  if (timestamps.length === 0) return { indices: [], times: [] };
  const first = Math.max(0, lastAtOrBefore(timestamps, startS + TIME_EPSILON));
  const last = Math.max(first, lastAtOrBefore(timestamps, endS + TIME_EPSILON));
  const n = frameCount(endS - startS, last - first + 1, options);
  const indices = sampleFrameIndices(first, last, n);
  return { indices, times: sampleTimes(timestamps, indices) };
}

/** The text part before each frame: `<12.0 seconds>` (Python's `f"<{t:.1f} seconds>"`). */
export function timeLabel(t: number): string {
  return `<${formatFixed1(t)} seconds>`;
}
