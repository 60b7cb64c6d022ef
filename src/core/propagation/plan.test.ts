import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Masklet, PropagatedMask } from './masklet';
import { planPropagation, sampledFrames, totalFrames, type PlanInput, type PropagationRun, type SamplingStep } from './plan';

const EVERY: SamplingStep = { kind: 'every' };

function plan(over: Partial<PlanInput>): PropagationRun[] {
  return planPropagation({ anchors: [], frameCount: 31, videoFps: 30, direction: 'both', range: [0, 30], step: EVERY, ...over });
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let f = from; from <= to ? f <= to : f >= to; f += from <= to ? 1 : -1) out.push(f);
  return out;
}

describe('planPropagation', () => {
  it('between two anchors, each side goes only to the midpoint (even gap: the earlier anchor takes the middle)', () => {
    expect(plan({ anchors: [20, 10] })).toEqual([
      { anchor: 10, direction: 'forward', from: 10, frames: range(11, 15) },
      { anchor: 10, direction: 'backward', from: 10, frames: range(9, 0) },
      { anchor: 20, direction: 'forward', from: 20, frames: range(21, 30) },
      { anchor: 20, direction: 'backward', from: 20, frames: range(19, 16) },
    ]);
    // Odd gap: 15 is nearer to 10, 16 nearer to 21.
    const odd = plan({ anchors: [10, 21], direction: 'both' });
    expect(odd.find((r) => r.anchor === 10 && r.direction === 'forward')!.frames).toEqual(range(11, 15));
    expect(odd.find((r) => r.anchor === 21 && r.direction === 'backward')!.frames).toEqual(range(20, 16));
    // Adjacent anchors: nothing between them to compute, and empty runs are left out.
    expect(plan({ anchors: [10, 11], range: [10, 11] })).toEqual([]);
  });

  it('in one direction, runs go all the way to the next anchor', () => {
    expect(plan({ anchors: [10, 20], direction: 'forward' })).toEqual([
      { anchor: 10, direction: 'forward', from: 10, frames: range(11, 19) },
      { anchor: 20, direction: 'forward', from: 20, frames: range(21, 30) },
    ]);
    expect(plan({ anchors: [10, 20], direction: 'backward' })).toEqual([
      { anchor: 10, direction: 'backward', from: 10, frames: range(9, 0) },
      { anchor: 20, direction: 'backward', from: 20, frames: range(19, 11) },
    ]);
  });

  it('starts only from anchors in the range, stays in it, and ignores the midpoint toward an anchor outside it', () => {
    expect(plan({ anchors: [10, 25], range: [5, 20] })).toEqual([
      { anchor: 10, direction: 'forward', from: 10, frames: range(11, 20) },
      { anchor: 10, direction: 'backward', from: 10, frames: range(9, 5) },
    ]);
    // A reversed range is the same range; one beyond the video is clamped.
    expect(plan({ anchors: [10, 25], range: [20, 5] })).toEqual(plan({ anchors: [10, 25], range: [5, 20] }));
    expect(plan({ anchors: [28], range: [26, 1000] })).toEqual([
      { anchor: 28, direction: 'forward', from: 28, frames: [29, 30] },
      { anchor: 28, direction: 'backward', from: 28, frames: [27, 26] },
    ]);
    expect(plan({ anchors: [3], range: [5, 20] })).toEqual([]);
    expect(plan({ anchors: [3], frameCount: 0, range: [0, 0] })).toEqual([]);
  });

  it('every k-th frame counts from the anchor', () => {
    expect(plan({ anchors: [10], step: { kind: 'nth', k: 5 } })).toEqual([
      { anchor: 10, direction: 'forward', from: 10, frames: [15, 20, 25, 30] },
      { anchor: 10, direction: 'backward', from: 10, frames: [5, 0] },
    ]);
    expect(plan({ anchors: [10, 30], step: { kind: 'nth', k: 4 } })).toEqual([
      { anchor: 10, direction: 'forward', from: 10, frames: [14, 18] },
      { anchor: 10, direction: 'backward', from: 10, frames: [6, 2] },
      { anchor: 30, direction: 'backward', from: 30, frames: [26, 22] },
    ]);
  });

  it('at 1 fps keeps the frames nearest to the anchor time ± n seconds', () => {
    const runs = planPropagation({ anchors: [45], frameCount: 301, videoFps: 30, direction: 'both', range: [0, 300], step: { kind: 'fps', fps: 1 } });
    expect(runs).toEqual([
      { anchor: 45, direction: 'forward', from: 45, frames: [75, 105, 135, 165, 195, 225, 255, 285] },
      { anchor: 45, direction: 'backward', from: 45, frames: [15] },
    ]);
    // 25 fps at 2 fps: targets every 12.5 frames, the nearest frame (half up) each time.
    expect(sampledFrames(0, 60, { kind: 'fps', fps: 2 }, { frameCount: 61, videoFps: 25 })).toEqual([13, 25, 38, 50]);
  });

  it('at fps, a target just before the first frame is frame 0, never -0', () => {
    const frames = sampledFrames(21, 0, { kind: 'fps', fps: 7 }, { frameCount: 22, videoFps: 30 });
    expect(Object.is(frames[frames.length - 1], 0)).toBe(true);
  });

  it('at fps uses exact timestamps when given (variable frame rate)', () => {
    // Frames 0.1 s apart, then a burst 0.01 s apart from 2 s on.
    const timestamps = [...range(0, 20).map((f) => f / 10), ...range(1, 100).map((i) => 2 + i / 100)];
    const frames = sampledFrames(0, timestamps.length - 1, { kind: 'fps', fps: 2 }, { frameCount: timestamps.length, videoFps: 0, timestamps });
    expect(frames.map((f) => timestamps[f])).toEqual([0.5, 1, 1.5, 2, 2.5, 3]);
  });

  it('at a rate above the video rate keeps every frame once, without looping per target', () => {
    const clock = { frameCount: 18_000, videoFps: 30 };
    expect(sampledFrames(100, 200, { kind: 'fps', fps: 120 }, clock)).toEqual(range(101, 200));
    // A loop per target would run 10^9 times and time the test out.
    expect(sampledFrames(17_999, 0, { kind: 'fps', fps: 1e9 }, clock)).toEqual(range(17_998, 0));
  });

  it('rejects invalid steps and clocks', () => {
    expect(() => plan({ anchors: [1], step: { kind: 'nth', k: 0 } })).toThrow(RangeError);
    expect(() => plan({ anchors: [1], step: { kind: 'nth', k: 1.5 } })).toThrow(RangeError);
    expect(() => plan({ anchors: [1], step: { kind: 'fps', fps: 0 } })).toThrow(RangeError);
    expect(() => plan({ anchors: [1], videoFps: 0, step: { kind: 'fps', fps: 1 } })).toThrow(RangeError);
    expect(() => plan({ anchors: [1], timestamps: [0, 1] })).toThrow(RangeError);
  });

  it('resuming skips the leading frames already computed from the same anchor, and starts from the last of them', () => {
    const r = (anchor: number): PropagatedMask => ({ rle: null, score: 0, confidence: 0, state: 'absent', anchor });
    const done: Masklet = { 11: r(10), 12: r(10), 14: r(10), 9: r(3), 8: r(10) };
    const input: Partial<PlanInput> = { anchors: [10], range: [0, 20], done };
    expect(plan({ ...input, resume: true })).toEqual([
      { anchor: 10, direction: 'forward', from: 12, frames: range(13, 20) },
      // 9 came from another anchor: not this run's chain, so nothing is skipped.
      { anchor: 10, direction: 'backward', from: 10, frames: range(9, 0) },
    ]);
    expect(plan(input)).toEqual(plan({ anchors: [10], range: [0, 20] }));
    // A fully computed run is left out.
    expect(plan({ anchors: [10], range: [10, 12], resume: true, done })).toEqual([]);
  });

  const steps = fc.oneof(
    fc.constant<SamplingStep>({ kind: 'every' }),
    fc.integer({ min: 1, max: 7 }).map((k): SamplingStep => ({ kind: 'nth', k })),
    fc.constantFrom(0.5, 1, 2, 7, 40).map((fps): SamplingStep => ({ kind: 'fps', fps })),
  );
  const inputs = fc
    .record({
      frameCount: fc.integer({ min: 1, max: 150 }),
      anchors: fc.array(fc.integer({ min: 0, max: 149 }), { maxLength: 6 }),
      direction: fc.constantFrom('forward' as const, 'backward' as const, 'both' as const),
      a: fc.integer({ min: -10, max: 160 }),
      b: fc.integer({ min: -10, max: 160 }),
      step: steps,
      videoFps: fc.constantFrom(10, 24, 29.97, 30),
    })
    .map(({ a, b, ...rest }): PlanInput => ({ ...rest, range: [a, b] }));

  it('never plans an anchor, a frame outside the range or the video, a frame twice, or across an anchor', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const runs = planPropagation(input);
        const lo = Math.max(0, Math.min(...input.range));
        const hi = Math.min(input.frameCount - 1, Math.max(...input.range));
        const anchors = input.anchors.filter((a) => a < input.frameCount);
        const seen = new Set<number>();
        for (const run of runs) {
          expect(run.frames.length).toBeGreaterThan(0);
          expect(anchors).toContain(run.anchor);
          expect(run.anchor >= lo && run.anchor <= hi).toBe(true);
          expect(input.direction === 'both' || run.direction === input.direction).toBe(true);
          const sign = run.direction === 'forward' ? 1 : -1;
          let previous = run.anchor;
          for (const f of run.frames) {
            expect(sign * (f - previous)).toBeGreaterThan(0); // moving away, strictly
            expect(f >= lo && f <= hi).toBe(true);
            expect(anchors).not.toContain(f);
            expect(anchors.some((a) => sign * (a - run.anchor) > 0 && sign * (f - a) > 0)).toBe(false);
            expect(seen.has(f)).toBe(false);
            seen.add(f);
            previous = f;
          }
        }
        expect(totalFrames(runs)).toBe(seen.size);
      }),
    );
  });

  it('with every frame, both directions and anchors in range: every other frame of the range is planned once, from its nearest anchor', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const runs = planPropagation({ ...input, step: EVERY, direction: 'both' });
        const lo = Math.max(0, Math.min(...input.range));
        const hi = Math.min(input.frameCount - 1, Math.max(...input.range));
        const inRange = input.anchors.filter((a) => a >= lo && a <= hi);
        const all = input.anchors.filter((a) => a < input.frameCount);
        const planned = new Map<number, number>();
        for (const run of runs) for (const f of run.frames) planned.set(f, run.anchor);
        for (let f = lo; f <= hi; f++) {
          if (all.includes(f)) continue;
          // Reachable: an anchor in range on a side with no other anchor in between.
          const before = Math.max(-1, ...all.filter((a) => a < f));
          const after = Math.min(Infinity, ...all.filter((a) => a > f));
          const reachable = inRange.includes(before) || inRange.includes(after);
          expect(planned.has(f)).toBe(reachable);
          if (reachable && inRange.includes(before) && inRange.includes(after)) {
            expect(Math.abs(f - planned.get(f)!)).toBe(Math.min(f - before, after - f));
          }
        }
      }),
    );
  });
});
