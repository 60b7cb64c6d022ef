import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Masklet, PropagatedMask } from './masklet';
import { planPropagation, type Direction, type PropagationRun, type SamplingStep } from './plan';
import { predictEncoderPasses, scheduleByFrame, type FrameGroup } from './schedule';

type ObjectRun = PropagationRun & { readonly object: number };

/** Each object's runs as the store plans them (one plan per object), tagged with the object. */
function planObjects(objects: readonly (readonly number[])[], common: { frameCount: number; direction: Direction; range: [number, number]; step: SamplingStep; done?: readonly Masklet[] }): ObjectRun[] {
  return objects.flatMap((anchors, object) =>
    planPropagation({ anchors, frameCount: common.frameCount, videoFps: 30, direction: common.direction, range: common.range, step: common.step, done: common.done?.[object], resume: common.done !== undefined }).map((run) => ({ ...run, object })),
  );
}

const label = (g: FrameGroup<ObjectRun>): string => `${g.frame}:${g.steps.map((s) => `o${s.run.object}`).join('+')}`;

describe('scheduleByFrame', () => {
  it('objects anchored on different frames, propagated forward: one group per frame with every object that needs it', () => {
    const runs = planObjects([[0], [10], [4]], { frameCount: 31, direction: 'forward', range: [0, 20], step: { kind: 'nth', k: 5 } });
    // Object 0: 5 10 15 20; object 1: 15 20; object 2: 9 14 19.
    const groups = scheduleByFrame(runs);
    expect(groups.map(label)).toEqual(['5:o0', '9:o2', '10:o0', '14:o2', '15:o0+o1', '19:o2', '20:o0+o1']);
    expect(groups[4]!.steps.map((s) => s.previous)).toEqual([10, 10]);
    expect(predictEncoderPasses(groups)).toBe(groups.length);
  });

  it('where two objects cross (forward and backward over the same frames) those frames come twice; the sweeps are ordered so the cache serves them', () => {
    // Object 0 from frame 0 forward over 1..30; object 1 from frame 10 backward over 9..0 and forward over 11..30.
    const runs = planObjects([[0], [10]], { frameCount: 31, direction: 'both', range: [0, 30], step: { kind: 'every' } });
    const groups = scheduleByFrame(runs);
    expect(groups.slice(0, 11).map(label)).toEqual(['9:o1', '8:o1', '7:o1', '6:o1', '5:o1', '4:o1', '3:o1', '2:o1', '1:o1', '0:o1', '1:o0']);
    expect(groups.filter((g) => g.frame === 5)).toHaveLength(2);
    // Down first: frames 1..9 are still cached when the up sweep needs them, so 31 frames cost 31 passes.
    expect(predictEncoderPasses(groups)).toBe(31);
    expect(predictEncoderPasses([...groups.slice(10), ...groups.slice(0, 10)])).toBe(40);
    // Beyond the cache nothing can be shared: without one, each crossing frame is encoded twice.
    expect(predictEncoderPasses(groups, 0)).toBe(40);
  });

  it('rejects a run whose frames do not move away from where it starts', () => {
    expect(() => scheduleByFrame([{ anchor: 5, direction: 'forward', from: 5, frames: [6, 8, 7] }])).toThrow(RangeError);
    expect(() => scheduleByFrame([{ anchor: 5, direction: 'backward', from: 5, frames: [6] }])).toThrow(RangeError);
    expect(scheduleByFrame([])).toEqual([]);
  });

  const steps = fc.oneof(
    fc.constant<SamplingStep>({ kind: 'every' }),
    fc.integer({ min: 2, max: 6 }).map((k): SamplingStep => ({ kind: 'nth', k })),
    fc.constantFrom(2, 7, 40).map((fps): SamplingStep => ({ kind: 'fps', fps })),
  );
  const jobs = fc
    .record({
      frameCount: fc.integer({ min: 1, max: 70 }),
      objects: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 69 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 5 }),
      direction: fc.constantFrom<Direction>('forward', 'backward', 'both'),
      a: fc.integer({ min: 0, max: 69 }),
      b: fc.integer({ min: 0, max: 69 }),
      step: steps,
      // How many leading frames of each run an earlier, interrupted job finished (resumed runs start after them).
      finished: fc.option(fc.array(fc.nat(8), { minLength: 10, maxLength: 10 }), { nil: undefined }),
      cache: fc.integer({ min: 0, max: 20 }),
    })
    .map(({ a, b, finished, ...job }) => {
      const common = { ...job, range: [a, b] as [number, number] };
      if (finished === undefined) return common;
      // What the interrupted job left: a prefix of each run, from that run's anchor.
      const done: Record<number, PropagatedMask>[] = job.objects.map(() => ({}));
      planObjects(job.objects, common).forEach((run, i) => {
        for (const f of run.frames.slice(0, finished[i % finished.length])) done[run.object]![f] = { rle: null, score: 0, confidence: 0, state: 'tracked', anchor: run.anchor };
      });
      return { ...common, done };
    });

  it('for any objects, anchors, ranges, steps and directions: the same steps as the plans, each run in order, each frame in one group per direction it is needed in', () => {
    fc.assert(
      fc.property(jobs, (job) => {
        const runs = planObjects(job.objects, job);
        const groups = scheduleByFrame(runs, job.cache);
        // The set of steps is the per-run plans' (position, frame and the frame it is prompted from).
        const key = (r: ObjectRun, position: number): string => `${r.object}/${r.anchor}/${r.direction}/${position}:${r.frames[position]}<${position === 0 ? r.from : r.frames[position - 1]}`;
        const planned = runs.flatMap((r) => r.frames.map((_, p) => key(r, p))).sort();
        const scheduled = groups.flatMap((g) => g.steps.map((s) => `${s.run.object}/${s.run.anchor}/${s.run.direction}/${s.position}:${s.frame}<${s.previous}`)).sort();
        expect(scheduled).toEqual(planned);
        // Each run's steps come in its own order.
        for (const run of runs) {
          const own = groups.flatMap((g) => g.steps.filter((s) => s.run === run));
          expect(own.map((s) => s.position)).toEqual(run.frames.map((_, p) => p));
        }
        // A group is one frame, one direction, at most one step per run.
        for (const g of groups) {
          expect(new Set(g.steps.map((s) => s.run)).size).toBe(g.steps.length);
          for (const s of g.steps) {
            expect(s.frame).toBe(g.frame);
            expect(s.run.direction).toBe(g.direction);
          }
        }
        // The two sweeps are not interleaved: the direction changes at most once.
        expect(groups.filter((g, i) => i > 0 && g.direction !== groups[i - 1]!.direction).length).toBeLessThanOrEqual(1);
        // A frame is one group per direction that needs it: exactly one when every run needing it goes the same way.
        const frames = new Set(runs.flatMap((r) => r.frames));
        let crossing = 0;
        for (const f of frames) {
          const directions = new Set(runs.filter((r) => r.frames.includes(f)).map((r) => r.direction));
          if (directions.size > 1) crossing++;
          expect(groups.filter((g) => g.frame === f)).toHaveLength(directions.size);
        }
        // Encoder passes: one per frame when nothing crosses; never more than one per group.
        const passes = predictEncoderPasses(groups, job.cache);
        if (crossing === 0) expect(passes).toBe(frames.size);
        expect(passes).toBeGreaterThanOrEqual(frames.size);
        expect(passes).toBeLessThanOrEqual(frames.size + crossing);
      }),
      { numRuns: 300 },
    );
  });
});

describe('predictEncoderPasses', () => {
  const at = (...frames: number[]): FrameGroup[] => frames.map((frame) => ({ frame, direction: 'forward', steps: [] }));

  it('counts a pass for a frame not among the last `cacheFrames` used (least recently used goes first)', () => {
    expect(predictEncoderPasses(at(1, 2, 1, 3, 1), 2)).toBe(3);
    expect(predictEncoderPasses(at(1, 2, 3, 1), 2)).toBe(4);
    expect(predictEncoderPasses(at(1, 1), 0)).toBe(2);
    expect(() => predictEncoderPasses(at(1), -1)).toThrow(RangeError);
  });
});
