import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uniformTimestamps } from '../video/frameTimeline';
import { roundHalfEven } from './pyNumbers';
import { CROP_SAMPLING, QWEN25_FACTOR, QWEN3_FACTOR, VIDEO_SAMPLING, frameCount, sampleFrameIndices, sampleRange, sampleTimes, sampleVideo, smartResize, timeLabel } from './sampling';

const budget = (factor: number, maxPixels: number, minPixels = 784) => ({ factor, minPixels, maxPixels });

describe('smartResize', () => {
  it('gives the protocol doc numbers (factor 28)', () => {
    expect(smartResize(720, 1280, budget(28, 200704))).toEqual({ height: 336, width: 588 });
    expect(smartResize(720, 1280, budget(28, 112896))).toEqual({ height: 252, width: 448 });
  });

  it('gives hand-computed factor-32 results', () => {
    // 1280x720 at 200704: 720/32 = 22.5 rounds (half to even) to 22 -> 704; 1280 -> 1280;
    // 704*1280 = 901120 > 200704, beta = sqrt(921600/200704) = 15/7; 720/beta = 336 -> 336/32 =
    // 10.5 floors to 10 -> 320; 1280/beta = 597.33 -> 18.67 floors to 18 -> 576.
    expect(smartResize(720, 1280, budget(QWEN3_FACTOR, 200704))).toEqual({ height: 320, width: 576 });
    // At 112896: beta = 20/7; 720/beta = 252 -> 7.875 -> 7 -> 224; 1280/beta = 448 -> 14 -> 448.
    expect(smartResize(720, 1280, budget(QWEN3_FACTOR, 112896))).toEqual({ height: 224, width: 448 });
    // 1080x1920 portrait at 112896: beta = sqrt(2073600/112896) = 30/7; 1920/beta = 448 -> 448;
    // 1080/beta = 252 -> 7.875 -> 224.
    expect(smartResize(1920, 1080, budget(QWEN3_FACTOR, 112896))).toEqual({ height: 448, width: 224 });
    // 480x272 fits: 272/32 = 8.5 rounds to 8 (Python's round), not 9 -> 256; 480/32 = 15 -> 480.
    expect(smartResize(272, 480, budget(QWEN3_FACTOR, 200704))).toEqual({ height: 256, width: 480 });
  });

  it('rounds exact halves to even, as Python does', () => {
    // 42/28 = 1.5 -> 2 and 70/28 = 2.5 -> 2: Math.round would give 56x84.
    expect(smartResize(42, 70, budget(28, 200704))).toEqual({ height: 56, width: 56 });
  });

  it('scales small images up to min_pixels and ceils', () => {
    // 10x10 at min 3136: both round to the 28 minimum (784 px < 3136), beta = 5.6, 56 -> 56.
    expect(smartResize(10, 10, budget(28, 200704, 3136))).toEqual({ height: 56, width: 56 });
  });

  it('never returns a zero side and rejects extreme aspect ratios', () => {
    expect(smartResize(10, 1999, budget(28, 3136)).height).toBe(28);
    expect(() => smartResize(10, 2001, budget(28, 200704))).toThrow(RangeError);
    expect(() => smartResize(0, 100, budget(28, 200704))).toThrow(RangeError);
  });

  const sizes = fc.record({
    height: fc.integer({ min: 16, max: 4000 }),
    width: fc.integer({ min: 16, max: 4000 }),
    factor: fc.constantFrom(14, 28, 32),
    maxPixels: fc.integer({ min: 4 * 32 * 32, max: 2_000_000 }),
    minPixels: fc.integer({ min: 1, max: 4 * 32 * 32 }),
  }).filter(({ height, width }) => Math.max(height, width) / Math.min(height, width) <= 200);

  it('returns multiples of the factor within the pixel bounds, keeping the aspect ratio', () => {
    fc.assert(
      fc.property(sizes, ({ height, width, factor, maxPixels, minPixels }) => {
        const out = smartResize(height, width, { factor, minPixels, maxPixels });
        expect(out.height % factor).toBe(0);
        expect(out.width % factor).toBe(0);
        expect(Math.min(out.height, out.width)).toBeGreaterThanOrEqual(factor);
        const pixels = out.height * out.width;
        const rounded = Math.max(factor, roundHalfEven(height / factor) * factor) * Math.max(factor, roundHalfEven(width / factor) * factor);
        if (rounded > maxPixels) {
          // Shrunk to the budget: over it only when a side had to be kept at one factor.
          if (pixels > maxPixels) expect(Math.min(out.height, out.width)).toBe(factor);
        } else if (rounded < minPixels) {
          // Grown to min_pixels (the ceil may overshoot max_pixels when the two are close).
          expect(pixels).toBeGreaterThanOrEqual(minPixels);
        } else {
          expect(pixels).toBeGreaterThanOrEqual(minPixels);
          expect(pixels).toBeLessThanOrEqual(maxPixels);
        }
        // Each side is within one factor of the same scaling s of the original:
        // w*s in [w'-f, w'+f] and h*s in [h'-f, h'+f], so w/h lies between these bounds.
        if (out.height > factor && out.width > factor) {
          const ratio = width / height;
          expect(ratio).toBeGreaterThanOrEqual((out.width - factor) / (out.height + factor) - 1e-12);
          expect(ratio).toBeLessThanOrEqual((out.width + factor) / (out.height - factor) + 1e-12);
        }
      }),
    );
  });
});

describe('frameCount', () => {
  const opts = { fps: 1, minFrames: 1, maxFrames: 64 };

  it('is one frame per second, even, between min and max frames', () => {
    expect(frameCount(10.5, 315, opts)).toBe(10);
    expect(frameCount(11, 330, opts)).toBe(10);
    expect(frameCount(0.4, 12, opts)).toBe(2); // ceil2(min_frames = 1) = 2
    expect(frameCount(600, 18000, opts)).toBe(64);
    expect(frameCount(600, 18000, { ...opts, maxFrames: 63 })).toBe(62);
    expect(frameCount(3, 90, { fps: 1, minFrames: 4, maxFrames: 64 })).toBe(4); // crop_video minimum
  });

  it('takes at most the frames there are; an odd count loses one, fewer than 2 are all returned', () => {
    expect(frameCount(10, 5, opts)).toBe(4);
    expect(frameCount(10, 6, opts)).toBe(6);
    expect(frameCount(2, 3, { fps: 1, minFrames: 4, maxFrames: 64 })).toBe(2);
    expect(frameCount(1, 1, opts)).toBe(1);
    expect(frameCount(1, 0, opts)).toBe(0);
    expect(frameCount(Number.NaN, 100, opts)).toBe(2);
  });

  it('is even, within bounds and never more than the frames (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        fc.integer({ min: 2, max: 100_000 }),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        fc.integer({ min: 1, max: 16 }),
        fc.integer({ min: 16, max: 512 }),
        (duration, total, fps, minFrames, maxFrames) => {
          const n = frameCount(duration, total, { fps, minFrames, maxFrames });
          expect(n % 2).toBe(0);
          expect(n).toBeLessThanOrEqual(total);
          expect(n).toBeLessThanOrEqual(maxFrames);
          const even = (x: number) => Math.floor(x / 2) * 2;
          const minEven = minFrames + (minFrames % 2);
          expect(n).toBeGreaterThanOrEqual(Math.min(minEven, even(total)));
          expect(n).toBe(even(Math.min(Math.max(duration * fps, minEven), even(maxFrames), total)));
        },
      ),
    );
  });
});

describe('sampleFrameIndices', () => {
  it('matches numpy.linspace(first, last, n).round()', () => {
    // Values printed by numpy for the same calls.
    expect(sampleFrameIndices(0, 314, 10)).toEqual([0, 35, 70, 105, 140, 174, 209, 244, 279, 314]);
    expect(sampleFrameIndices(0, 99, 4)).toEqual([0, 33, 66, 99]);
    expect(sampleFrameIndices(0, 4, 4)).toEqual([0, 1, 3, 4]);
    expect(sampleFrameIndices(30, 149, 4)).toEqual([30, 70, 109, 149]);
    // Halves go to the even index: 1.5 -> 2, 4.5 -> 4.
    expect(sampleFrameIndices(0, 6, 5)).toEqual([0, 2, 3, 4, 6]);
    expect(sampleFrameIndices(0, 9, 3)).toEqual([0, 4, 9]);
  });

  it('handles one and zero frames', () => {
    expect(sampleFrameIndices(7, 20, 1)).toEqual([7]);
    expect(sampleFrameIndices(7, 20, 0)).toEqual([]);
  });

  it('includes both ends, ascends strictly when there are enough frames, stays in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 2, max: 300 }), (first, span, n) => {
        const last = first + span;
        const idx = sampleFrameIndices(first, last, n);
        expect(idx).toHaveLength(n);
        expect(idx[0]).toBe(first);
        expect(idx[n - 1]).toBe(last);
        for (let i = 1; i < n; i++) {
          if (n <= span + 1) expect(idx[i]!).toBeGreaterThan(idx[i - 1]!);
          else expect(idx[i]!).toBeGreaterThanOrEqual(idx[i - 1]!);
        }
      }),
    );
  });
});

describe('sampleVideo and sampleRange', () => {
  it('samples a whole 30 fps video at 1 fps with real timestamps', () => {
    const ts = uniformTimestamps(300, 30); // 10 s
    const s = sampleVideo(ts, 10);
    expect(s.indices).toEqual(sampleFrameIndices(0, 299, 10));
    expect(s.times).toEqual(sampleTimes(ts, s.indices));
    expect(s.times[0]).toBe(0);
    expect(s.times[9]).toBeCloseTo(299 / 30);
  });

  it('caps a long video at max_frames and labels with real times, not sample numbers', () => {
    const ts = uniformTimestamps(25 * 200, 25); // 200 s
    const s = sampleVideo(ts, 200, VIDEO_SAMPLING);
    expect(s.indices).toHaveLength(64);
    expect(s.times[1]).toBeCloseTo(Math.round(4999 / 63) / 25); // ~3.2 s, not 1.0
  });

  it('samples crop_video ranges with at least 4 frames', () => {
    const ts = uniformTimestamps(300, 30);
    const crop = sampleRange(ts, 2, 5, CROP_SAMPLING);
    expect(crop.indices).toEqual(sampleFrameIndices(60, 150, 4));
    expect(crop.times[0]).toBe(2);
    expect(crop.times[3]).toBe(5);
    const long = sampleRange(ts, 0, 9.99, CROP_SAMPLING);
    expect(long.indices).toHaveLength(8); // floor2(9.99)
  });

  it('keeps a range between two frames non-empty', () => {
    const ts = uniformTimestamps(10, 1);
    expect(sampleRange(ts, 2.2, 2.4).indices).toEqual([2]);
    expect(sampleRange(ts, 2.5, 3.5).indices).toEqual([2, 3]);
    expect(sampleRange(ts, -1, 0.5).indices).toEqual([0]);
    expect(sampleRange([], 0, 1).indices).toEqual([]);
  });

  it('finds the frame at a printed time despite float noise', () => {
    const ts = uniformTimestamps(100, 10); // 0.1 steps: 3 * 0.1 = 0.30000000000000004
    expect(sampleRange(ts, 0.3, 0.6, { ...CROP_SAMPLING, minFrames: 2 }).indices[0]).toBe(3);
  });
});

describe('timeLabel', () => {
  it('prints one decimal as Python does', () => {
    expect(timeLabel(12)).toBe('<12.0 seconds>');
    expect(timeLabel(3.3333)).toBe('<3.3 seconds>');
    expect(timeLabel(0.25)).toBe('<0.2 seconds>'); // Python rounds the exact tie to even
    expect(timeLabel(0.75)).toBe('<0.8 seconds>');
    expect(timeLabel(2.35)).toBe('<2.4 seconds>'); // 2.35 is stored as 2.35000000000000008882
  });

  it('uses the reference defaults', () => {
    expect(VIDEO_SAMPLING).toMatchObject({ fps: 1, maxFrames: 64, minFrames: 1, maxPixels: 200704, minPixels: 784, factor: QWEN25_FACTOR });
    expect(CROP_SAMPLING).toMatchObject({ fps: 1, minFrames: 4, maxFrames: 64, maxPixels: 336 * 336 });
  });
});
