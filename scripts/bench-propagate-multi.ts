/**
 * bench:propagate's multi-object case (issue 15): several objects anchored on different frames of
 * one sequence, propagated forward together the way the app's job does it (the frame-major
 * schedule of core/propagation/schedule.ts, an embedding cache of the worker's size), to measure
 * what the schedule costs: encoder passes per frame (must be 1) and ms per frame.
 *
 * The "objects" are the sequence's one ground-truth object anchored on 5 frames (its ground-truth
 * mask there, without decoder logits, as after a reload): 5 tracks over largely the same frames.
 * It is about the schedule and the cost, not about telling objects apart. The tracker takes each
 * anchor frame's embedding when the worker would still have it (another object computed that
 * frame just before), else it is computed for the anchor (counted apart: in the app the user's
 * prompt on the anchor computed it).
 *
 * Timing as in the single-object table: msPerFrame = (encoder passes' time + every object's decoder
 * and tracker time) / frames computed; an embedding read from bench:propagate's disk cache counts
 * the encoder time recorded when it was computed.
 */
import type { InferenceSession } from 'onnxruntime-web';
import { decodeMask, type OrtRuntime, type SamEmbedding } from '../src/adapters/segmentation/ortSam';
import { BoundedCache } from '../src/core/cache/boundedCache';
import { regionJaccard } from '../src/core/mask/metrics';
import type { BinaryMask } from '../src/core/mask/rle';
import { planPropagation, type Direction, type PropagationRun } from '../src/core/propagation/plan';
import { EMBEDDING_CACHE_FRAMES, predictEncoderPasses, scheduleByFrame } from '../src/core/propagation/schedule';
import { createTracker, type Tracker, type TrackerOptions } from '../src/core/propagation/tracker';
import { runTrackStep } from '../src/core/propagation/trackStep';
import type { RgbaImage } from '../src/core/segmentation/samPreprocess';
import { BenchError, round } from './bench-lib.mjs';

export interface MultiObjectResult {
  readonly sequence: string;
  readonly objects: number;
  readonly anchors: readonly number[];
  readonly direction: 'forward';
  /** Video frames computed, and (object, frame) steps on them. */
  readonly frames: number;
  readonly steps: number;
  readonly encoderPasses: number;
  /** The most passes any frame took (the "must be 1"), and the mean. */
  readonly encoderPassesPerFrame: number;
  readonly meanEncoderPassesPerFrame: number;
  /** Passes for anchor frames that no object computed (the user's prompt computes them in the app). */
  readonly anchorEncoderPasses: number;
  readonly msPerFrame: number;
  readonly encoderMsPerFrame: number;
  /** Decoder + tracker per (object, frame) step. */
  readonly nonEncoderMsPerStep: number;
  /** The bound: one encoder pass + objects × (decoder + tracker), against msPerFrame. */
  readonly boundMsPerFrame: number;
  /** Mean J of the computed steps against the one ground truth (a check that the tracks track). */
  readonly meanJ: number;
  /**
   * The same anchors propagated both ways: objects then cross between anchors (one going up, one
   * down), where no order computes each frame once; passes per frame the schedule predicts with
   * the worker's cache (not run).
   */
  readonly bothDirections: { readonly frames: number; readonly predictedEncoderPasses: number; readonly predictedEncoderPassesPerFrame: number };
  readonly note: string;
}

export interface MultiObjectInput {
  readonly ort: OrtRuntime;
  readonly decoder: InferenceSession;
  readonly sequence: { readonly name: string; readonly frames: readonly string[] };
  readFrame(name: string): RgbaImage;
  readMask(name: string): BinaryMask;
  /** The frame's embedding and the encoder time it took (bench:propagate's embed, with its disk cache). */
  embed(name: string, image: RgbaImage): Promise<{ readonly embedding: SamEmbedding; readonly encoderMs: number }>;
  readonly objects?: number;
  readonly trackerOptions?: TrackerOptions;
  log(message: string): void;
}

type ObjectRun = PropagationRun & { readonly object: number };

function plan(anchors: readonly number[], frameCount: number, direction: Direction): ObjectRun[] {
  return anchors.flatMap((anchor, object) => planPropagation({ anchors: [anchor], frameCount, videoFps: 30, direction, range: [0, frameCount - 1], step: { kind: 'every' } }).map((run) => ({ ...run, object })));
}

export async function runMultiObject(input: MultiObjectInput): Promise<MultiObjectResult> {
  const { ort, decoder, sequence } = input;
  const objects = input.objects ?? 5;
  const n = sequence.frames.length;
  // Anchors spread over the first half, so that later frames are needed by every object.
  const spacing = Math.max(1, Math.floor((n - 1) / (2 * objects)));
  const anchors = Array.from({ length: objects }, (_, k) => k * spacing);
  if (anchors[objects - 1]! >= n - 1) throw new BenchError(`${sequence.name}: ${n} frames are too few for ${objects} objects on different frames`);
  const runs = plan(anchors, n, 'forward');
  const groups = scheduleByFrame(runs);
  input.log(`multi-object: ${sequence.name}, ${objects} objects anchored on frames ${anchors.join(', ')}, ${groups.length} frames...`);

  // The worker's embedding cache: what it still holds is not encoded again.
  const cache = new BoundedCache<number, SamEmbedding>({ maxEntries: EMBEDDING_CACHE_FRAMES, maxBytes: Number.MAX_SAFE_INTEGER, sizeOf: () => 1 });
  const passesByFrame = new Map<number, number>();
  let anchorEncoderPasses = 0;
  let encoderMs = 0;
  let decoderMs = 0;
  let trackerMs = 0;
  let steps = 0;
  let sumJ = 0;
  const trackers = new Map<ObjectRun, Tracker>();
  const stopped = new Set<ObjectRun>();

  for (const group of groups) {
    const live = group.steps.filter((s) => !stopped.has(s.run));
    if (live.length === 0) continue;
    const name = sequence.frames[group.frame]!;
    const image = input.readFrame(name);
    const truth = input.readMask(name);
    for (const { run } of live) {
      if (trackers.has(run)) continue;
      // A tracker starts when its first frame comes, seeded with the anchor's ground truth.
      let anchorEmbedding = cache.get(run.from);
      if (anchorEmbedding === undefined) {
        anchorEmbedding = (await input.embed(sequence.frames[run.from]!, input.readFrame(sequence.frames[run.from]!))).embedding;
        anchorEncoderPasses++;
      }
      const anchorName = sequence.frames[run.from]!;
      trackers.set(run, createTracker({ mask: input.readMask(anchorName), lowRes: null, image: input.readFrame(anchorName), embedding: anchorEmbedding.data }, input.trackerOptions));
    }
    let embedding = cache.get(group.frame);
    let passes = 0;
    if (embedding === undefined) {
      const encoded = await input.embed(name, image);
      embedding = encoded.embedding;
      encoderMs += encoded.encoderMs;
      passes = 1;
      cache.set(group.frame, embedding);
    }
    passesByFrame.set(group.frame, (passesByFrame.get(group.frame) ?? 0) + passes);
    const frameEmbedding = embedding;
    for (const step of live) {
      let ms = 0;
      const t = performance.now();
      const result = await runTrackStep(trackers.get(step.run)!, { image, embedding: frameEmbedding.data }, async (prompt) => {
        const td = performance.now();
        const prediction = await decodeMask(ort, decoder, frameEmbedding, prompt);
        ms += performance.now() - td;
        return prediction;
      });
      trackerMs += performance.now() - t - ms;
      decoderMs += ms;
      steps++;
      sumJ += regionJaccard(result.step.mask ?? { width: truth.width, height: truth.height, data: new Uint8Array(truth.data.length) }, truth);
      // As in the app, a run ends where its object left the picture.
      if (result.step.state === 'absent') stopped.add(step.run);
    }
  }

  const frames = passesByFrame.size;
  const encoderPasses = [...passesByFrame.values()].reduce((a, b) => a + b, 0);
  const both = scheduleByFrame(plan(anchors, n, 'both'));
  const bothFrames = new Set(both.map((g) => g.frame)).size;
  const bothPasses = predictEncoderPasses(both);
  const encoderMsPerPass = encoderMs / Math.max(1, encoderPasses);
  const nonEncoderMsPerStep = (decoderMs + trackerMs) / Math.max(1, steps);
  return {
    sequence: sequence.name,
    objects,
    anchors,
    direction: 'forward',
    frames,
    steps,
    encoderPasses,
    encoderPassesPerFrame: Math.max(0, ...passesByFrame.values()),
    meanEncoderPassesPerFrame: round(encoderPasses / Math.max(1, frames), 3),
    anchorEncoderPasses,
    msPerFrame: round((encoderMs + decoderMs + trackerMs) / Math.max(1, frames), 1),
    encoderMsPerFrame: round(encoderMs / Math.max(1, frames), 1),
    nonEncoderMsPerStep: round(nonEncoderMsPerStep, 1),
    boundMsPerFrame: round(encoderMsPerPass + objects * nonEncoderMsPerStep, 1),
    meanJ: round(sumJ / Math.max(1, steps), 4),
    bothDirections: { frames: bothFrames, predictedEncoderPasses: bothPasses, predictedEncoderPassesPerFrame: round(bothPasses / Math.max(1, bothFrames), 3) },
    note: `one sequence's ground-truth object anchored on ${objects} frames stands for ${objects} objects: this measures the frame-major schedule's cost (encoder passes, time), not telling objects apart`,
  };
}
