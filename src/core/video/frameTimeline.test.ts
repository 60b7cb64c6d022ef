import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameTimeline, uniformTimestamps } from './frameTimeline';

const sortedUnique = fc
  .uniqueArray(fc.double({ min: 0, max: 10_000, noNaN: true }), { minLength: 1, maxLength: 200 })
  .map((a) => [...a].sort((x, y) => x - y))
  .filter((a) => a.every((t, i) => i === 0 || t - a[i - 1]! > 1e-6));

describe('FrameTimeline', () => {
  it('maps each frame start back to its own index (any frame rate, any gaps)', () => {
    fc.assert(
      fc.property(sortedUnique, (ts) => {
        const tl = new FrameTimeline(ts, ts[ts.length - 1]! + 0.04);
        ts.forEach((t, i) => expect(tl.indexAt(t)).toBe(i));
      }),
    );
  });

  it('maps a time inside a frame interval to that frame', () => {
    fc.assert(
      fc.property(sortedUnique, fc.double({ min: 0, max: 1, noNaN: true }), (ts, f) => {
        const tl = new FrameTimeline(ts, ts[ts.length - 1]! + 1);
        for (let i = 0; i < ts.length - 1; i++) {
          const t = ts[i]! + (ts[i + 1]! - ts[i]!) * f * 0.999;
          expect(tl.indexAt(t)).toBe(i);
          expect(tl.indexAt(tl.midTimeOf(i))).toBe(i);
        }
      }),
    );
  });

  it('30 fps: frame i starts at i/30 and 1.5 s is frame 45', () => {
    const tl = new FrameTimeline(uniformTimestamps(90, 30), 3);
    expect(tl.fps).toBeCloseTo(30, 9);
    expect(tl.durationS).toBe(3);
    expect(tl.indexAt(1.5)).toBe(45);
    expect(tl.indexAt(1.4999)).toBe(44);
    expect(tl.timeOf(45)).toBeCloseTo(1.5, 12);
    expect(tl.indexAt(-3)).toBe(0);
    expect(tl.indexAt(99)).toBe(89);
  });

  it('steps by seconds, clamped, and always moves when asked to', () => {
    const tl = new FrameTimeline(uniformTimestamps(795, 10), 79.5);
    expect(tl.stepSeconds(0, 1)).toBe(10);
    expect(tl.stepSeconds(10, -1)).toBe(0);
    expect(tl.stepSeconds(3, -1)).toBe(0);
    expect(tl.stepSeconds(790, 1)).toBe(794);
    expect(tl.stepSeconds(794, 1)).toBe(794);
    // A sparse timeline where one second does not reach the next frame still moves one frame.
    const sparse = new FrameTimeline([0, 5, 10], 15);
    expect(sparse.stepSeconds(0, 1)).toBe(1);
    expect(sparse.stepSeconds(2, -1)).toBe(1);
  });

  it('clamps indices and rejects unusable timestamps', () => {
    const tl = new FrameTimeline([0, 0.1, 0.2], 0.3);
    expect(tl.clampIndex(-5)).toBe(0);
    expect(tl.clampIndex(7)).toBe(2);
    expect(tl.clampIndex(Number.NaN)).toBe(0);
    expect(tl.clampIndex(1.4)).toBe(1);
    expect(() => new FrameTimeline([], 1)).toThrow();
    expect(() => new FrameTimeline([0, 0], 1)).toThrow();
  });

  it('handles videos that do not start at zero', () => {
    const tl = new FrameTimeline(uniformTimestamps(10, 10, 2), 3);
    expect(tl.startS).toBe(2);
    expect(tl.durationS).toBeCloseTo(1, 12);
    expect(tl.indexAt(2.55)).toBe(5);
  });
});
