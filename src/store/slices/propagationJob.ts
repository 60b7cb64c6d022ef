/**
 * Runs a planned propagation frame-major (core/propagation/schedule): frame after frame, every
 * object that needs the frame takes its step in one segmenter call, so the frame is decoded once
 * and encoded once for all of them. A run's tracker starts when its first frame comes and ends
 * with its last step (or where the object left the picture). The store decides what a run starts
 * from and files the results; this module only sequences frames, trackers and counts.
 */
import type { Rle } from '../../core/mask/rle';
import type { PropagationRun } from '../../core/propagation/plan';
import { scheduleByFrame } from '../../core/propagation/schedule';
import type { Segmenter, TrackFrameResult } from '../../core/ports';
import type { FrameImage } from '../deps';

/** A planned run of one instance. */
export interface InstanceRun extends PropagationRun {
  readonly instanceId: string;
}

/** How a run begins: a tracker seeded with a mask on `run.from`, or not at all (with why, when the user should know). */
export type RunStart = { readonly kind: 'track'; readonly mask: Rle; readonly logitsKey: string | null } | { readonly kind: 'skip'; readonly why: string | null };

export interface JobHooks {
  readonly segmenter: Segmenter<FrameImage>;
  /** Frame keys name the video's frames: "<sourceId>#<frame>" (the worker caches embeddings by them). */
  readonly sourceId: number;
  grabFrame(index: number): Promise<FrameImage | null>;
  /** False once the user cancelled: the frame being computed is filed, nothing after it is started. */
  keepGoing(): boolean;
  /** False once another video (or project) is open: nothing more is filed. */
  sameVideo(): boolean;
  /** Read when the run's first frame comes up (after the frames before it were filed). */
  startOf(run: InstanceRun): RunStart;
  file(run: InstanceRun, frame: number, result: TrackFrameResult): void;
  /** The frame the model works on now, for these instances. */
  working(frame: number, instanceIds: readonly string[]): void;
  /** `steps` more (instance, frame) steps are done, or will not be computed. */
  advance(steps: number): void;
}

/** What the job did, for the run's summary and timings. */
export interface JobOutcome {
  /** Why runs ended early (the object left the picture). */
  readonly stops: readonly string[];
  /** (instance, frame) steps computed. */
  readonly steps: number;
  /** Video frames computed on (each one segmenter call per sweep that needs it). */
  readonly frames: number;
  /** Encoder passes the worker reported. */
  readonly encoderPasses: number;
  /** Frames the encoder ran on more than once (frames that objects cross in opposite directions, beyond the cache). */
  readonly framesEncodedTwice: number;
  /** Frames whose embedding was already computed before the job reached them. */
  readonly framesReused: number;
  readonly encoderMs: number;
  readonly decoderMs: number;
  readonly otherMs: number;
  /** What stopped the job (the video closed, the worker failed); what was done before it stays. */
  readonly error: unknown;
}

let trackCounter = 0;

export async function runPropagationJob(runs: readonly InstanceRun[], hooks: JobHooks): Promise<JobOutcome> {
  const { segmenter, sourceId } = hooks;
  const groups = scheduleByFrame(runs);
  const trackIds = new Map<InstanceRun, string>();
  /** Runs that are over: finished, stopped where the object left, or never started. */
  const over = new Set<InstanceRun>();
  const passesByFrame = new Map<number, number>();
  const stops: string[] = [];
  const totals = { steps: 0, encoderPasses: 0, encoderMs: 0, decoderMs: 0, otherMs: 0 };

  const end = (run: InstanceRun): void => {
    over.add(run);
    const id = trackIds.get(run);
    if (id !== undefined) segmenter.endTrack(id);
    trackIds.delete(run);
  };
  /** Ends a run before its last frame: its steps from `position` on are not computed (the bar moves past them). */
  const stopAt = (run: InstanceRun, position: number, why: string | null): void => {
    end(run);
    if (why) stops.push(why);
    hooks.advance(run.frames.length - position);
  };
  const start = async (run: InstanceRun): Promise<void> => {
    const seed = hooks.startOf(run);
    if (seed.kind === 'skip') return stopAt(run, 0, seed.why);
    const image = await hooks.grabFrame(run.from);
    if (image === null) throw new Error('The video was closed');
    const trackId = `track-${trackCounter++}`;
    trackIds.set(run, trackId);
    await segmenter.startTrack({ trackId, anchorFrameKey: `${sourceId}#${run.from}`, anchorImage: image, anchorMask: seed.mask, anchorLogitsKey: seed.logitsKey });
  };

  let next: Promise<FrameImage | null> | null = null;
  let error: unknown = null;
  try {
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i]!;
      // The next frame is decoded while the model works on this one (fetched even if every run
      // needing it ends on this frame: rare, and it is released).
      const image = await (next ?? hooks.grabFrame(group.frame));
      next = null;
      if (image === null) throw new Error('The video was closed');
      if (!hooks.keepGoing() || !hooks.sameVideo()) {
        image.close();
        break;
      }
      for (const step of group.steps) if (step.position === 0 && !over.has(step.run)) await start(step.run);
      const steps = group.steps.filter((s) => !over.has(s.run));
      if (steps.length === 0) {
        image.close();
        continue;
      }
      if (i + 1 < groups.length) next = hooks.grabFrame(groups[i + 1]!.frame);
      hooks.working(group.frame, steps.map((s) => s.run.instanceId));
      const result = await segmenter.trackFrames({ frameKey: `${sourceId}#${group.frame}`, image, trackIds: steps.map((s) => trackIds.get(s.run)!) });
      if (!hooks.sameVideo()) break;
      const passes = (passesByFrame.get(group.frame) ?? 0) + result.encoderPasses;
      passesByFrame.set(group.frame, passes);
      totals.encoderPasses += result.encoderPasses;
      totals.encoderMs += result.encoderMs;
      totals.otherMs += result.otherMs;
      steps.forEach((step, k) => {
        const r = result.tracks[k]!;
        totals.steps++;
        totals.decoderMs += r.decoderMs;
        totals.otherMs += r.otherMs;
        hooks.file(step.run, step.frame, r);
        hooks.advance(1);
        const { run } = step;
        // Where the object left, its run ends (the rest of it is not computed).
        if (r.state === 'absent') stopAt(run, step.position + 1, `the object left the picture at frame ${step.frame} (from anchor ${run.anchor}, going ${run.direction})`);
        else if (step.position + 1 === run.frames.length) end(run);
      });
    }
  } catch (e) {
    error = e;
  } finally {
    void next?.then((image) => image?.close(), () => undefined);
    for (const run of [...trackIds.keys()]) end(run);
  }
  let framesEncodedTwice = 0;
  let framesReused = 0;
  for (const passes of passesByFrame.values()) {
    if (passes > 1) framesEncodedTwice++;
    if (passes === 0) framesReused++;
  }
  return { stops, ...totals, frames: passesByFrame.size, framesEncodedTwice, framesReused, error };
}

/** The line of a run's summary about the encoder, e.g. "31 frames · 1 encoder pass per frame". */
export function describeEncoderUse(o: Pick<JobOutcome, 'frames' | 'encoderPasses' | 'framesEncodedTwice' | 'framesReused'>): string {
  if (o.frames === 0) return '';
  const frames = `${o.frames} frame${o.frames === 1 ? '' : 's'}`;
  if (o.framesEncodedTwice > 0) {
    return `${frames} · ${o.encoderPasses} encoder passes: ${o.framesEncodedTwice} frame${o.framesEncodedTwice === 1 ? '' : 's'} encoded twice (objects going opposite ways cross there)`;
  }
  return `${frames} · 1 encoder pass per frame${o.framesReused > 0 ? ` (${o.framesReused} already encoded before)` : ''}`;
}
