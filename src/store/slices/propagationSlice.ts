/**
 * Mask propagation: from every anchor (a frame where the user prompted an instance) the mask is
 * followed forward and/or backward by a tracker that lives next to the model in the segmentation
 * worker. This slice plans the runs (core/propagation/plan), has propagationJob feed the worker
 * frame-major (each frame once for every object that needs it; the video worker decodes them and
 * bitmaps are transferred through, never copied or drawn here), files each result (nearer anchor
 * wins) and reports progress. Cancel keeps what is done.
 */
import type { StateCreator } from 'zustand';
import { refinementKey } from '../../core/annotation/model';
import { anchorsOf, nextLowConfidence } from '../../core/propagation/lane';
import { mergeResult, pruneToAnchors, type Masklet, type Masklets } from '../../core/propagation/masklet';
import { planPropagation, type Direction, type SamplingStep } from '../../core/propagation/plan';
import type { PendingPropagation } from '../../core/propagation/pendingRun';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';
import { describeEncoderUse, runPropagationJob, type InstanceRun, type JobOutcome, type RunStart } from './propagationJob';

export interface PropagationSettings {
  readonly direction: Direction;
  /** The active instance, or every instance that has an anchor. */
  readonly scope: 'active' | 'all';
  /** Inclusive frame range; null = the whole video. */
  readonly range: readonly [number, number] | null;
  readonly step: SamplingStep;
}

export interface PropagationJob {
  readonly done: number;
  readonly total: number;
  readonly startedAt: number;
  /** Seconds left, from the pace so far; null until one frame is done. */
  readonly etaS: number | null;
  readonly cancelling: boolean;
  /** Which frame is being computed, for which instances. */
  readonly current: { readonly frame: number; readonly instanceIds: readonly string[] } | null;
}

export interface PropagationStats {
  /** (instance, frame) steps computed. */
  readonly steps: number;
  /** Video frames computed on. */
  readonly frames: number;
  /** Encoder passes the segmentation worker reported, and frames it encoded more than once. */
  readonly encoderPasses: number;
  readonly framesEncodedTwice: number;
  readonly wallMs: number;
  readonly encoderMs: number;
  readonly decoderMs: number;
  /** Conversion, tracker maths and RLE in the worker. */
  readonly otherMs: number;
}

export interface PropagationSlice {
  propagation: {
    readonly masklets: Masklets;
    readonly settings: PropagationSettings;
    readonly job: PropagationJob | null;
    readonly error: string | null;
    /** What the last run did, e.g. "84 frames in 3 min 12 s; stopped at frame 120: the object left". */
    readonly summary: string | null;
    /** Where the last run's time went (the segmentation worker's own measurements). */
    readonly lastRun: PropagationStats | null;
    /**
     * The run in progress as the project records it; saved with the project. Found in a project
     * that was opened (no job running), it is a run the page left behind: see continuePropagation.
     */
    readonly pending: PendingPropagation | null;
  };
  setPropagationSettings(patch: Partial<PropagationSettings>): void;
  propagate(): Promise<void>;
  /** Continues a run the page left behind (the pending record), from where each direction stopped. */
  continuePropagation(): Promise<void>;
  /** Forgets a run the page left behind; its finished frames stay. */
  dismissInterruptedPropagation(): void;
  cancelPropagation(): void;
  /** Removes an instance's (or every instance's) propagated masks. */
  clearPropagated(instanceId?: string): void;
  /** Jumps to the active instance's next (1) or previous (-1) low-confidence frame; false if none. */
  goToLowConfidence(direction: 1 | -1): boolean;
  /** Replaces the masklets (a project was opened); a running propagation stops. `pending`: a run it left behind. */
  loadMasklets(masklets: Masklets, pending?: PendingPropagation | null): void;
  /** Replaces the masklets after an edit invalidated some (a running propagation goes on). */
  loadMaskletsKeepingJob(masklets: Masklets): void;
}

const DEFAULT_SETTINGS: PropagationSettings = { direction: 'both', scope: 'active', range: null, step: { kind: 'every' } };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function formatDuration(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export function createPropagationSlice(deps: AppDeps): StateCreator<AppState, [], [], PropagationSlice> {
  return (set, get) => {
    const patch = (p: Partial<PropagationSlice['propagation']>): void => set((s) => ({ propagation: { ...s.propagation, ...p } }));
    const patchJob = (p: Partial<PropagationJob>): void => {
      const job = get().propagation.job;
      if (job) patch({ job: { ...job, ...p } });
    };
    let cancelled = false;
    /** Bumped when a project is opened: a run of the project before must not write into the new one. */
    let generation = 0;

    const setMasklet = (instanceId: string, change: (m: Masklet) => Masklet): void => {
      const all = get().propagation.masklets;
      patch({ masklets: { ...all, [instanceId]: change(all[instanceId] ?? {}) } });
    };

    /** What a run starts from: its anchor's mask, or when continuing, the last frame it had finished. */
    const startOf = (run: InstanceRun): RunStart => {
      const anchorEntry = get().annotation.history.present.frames[`${run.instanceId}@${run.anchor}`];
      if (!anchorEntry?.mask) return { kind: 'skip', why: null };
      // A continued run starts with that frame's mask (the decoder's logits for it are gone; the
      // tracker rebuilds them from the mask).
      const resumed = run.from !== run.anchor ? get().propagation.masklets[run.instanceId]?.[run.from] : undefined;
      if (run.from !== run.anchor && !resumed) return { kind: 'skip', why: null };
      // That direction had already ended where the object left: continuing does not restart it.
      if (resumed && resumed.rle === null) return { kind: 'skip', why: `the object had left the picture at frame ${run.from} (from anchor ${run.anchor}, going ${run.direction})` };
      return { kind: 'track', mask: resumed?.rle ?? anchorEntry.mask.rle, logitsKey: resumed ? null : refinementKey(run.instanceId, run.anchor, anchorEntry.prompts) };
    };

    /** Plans and runs a propagation of `ids`; `resume` skips what each run had already finished. */
    const start = async (ids: readonly string[], settings: PropagationSettings, resume: boolean): Promise<void> => {
      if (get().propagation.job !== null) return;
      const info = get().video.info;
      if (info === null) return;
      const doc = get().annotation.history.present;
      const range = settings.range ?? [0, info.frameCount - 1];
      const work: InstanceRun[] = [];
      for (const instanceId of ids) {
        const anchors = anchorsOf(doc.frames, instanceId);
        // Results of anchors that are gone (or frames that became anchors) are dropped first.
        setMasklet(instanceId, (m) => pruneToAnchors(m, anchors));
        const have = get().propagation.masklets[instanceId] ?? {};
        for (const run of planPropagation({ anchors, frameCount: info.frameCount, timestamps: get().video.timestamps, videoFps: info.fps, direction: settings.direction, range, step: settings.step, done: have, resume })) {
          // A run whose every frame already holds this anchor's result needs no work again.
          if (run.frames.length > 0 && run.frames.every((f) => have[f]?.anchor === run.anchor)) continue;
          work.push({ ...run, instanceId });
        }
      }
      if (work.length === 0) {
        const none = ids.every((id) => anchorsOf(doc.frames, id).length === 0);
        patch({ error: none ? 'Nothing to propagate from: mark the object on a frame first (box, points or scribble).' : null, summary: none ? null : 'Everything in range is already propagated.', pending: null });
        return;
      }
      if (!(await get().loadModel())) {
        patch({ error: `The segmentation model is not available (${get().model.error ?? 'unknown error'})` });
        return;
      }
      cancelled = false;
      const runGeneration = generation;
      const sourceId = get().video.sourceId;
      const total = work.reduce((n, run) => n + run.frames.length, 0);
      const startedAt = deps.clock.now();
      let done = 0;
      const pending: PendingPropagation = { instanceIds: [...ids], direction: settings.direction, range: settings.range, step: settings.step, total, done: 0, startedAt };
      patch({ job: { done: 0, total, startedAt, etaS: null, cancelling: false, current: null }, error: null, summary: null, lastRun: null, pending });
      const progress = (): void => {
        // One store update per step for the bar and for the run's record in the project.
        const { job, pending } = get().propagation;
        if (job === null) return;
        patch({ job: { ...job, done, etaS: done > 0 ? ((deps.clock.now() - startedAt) / 1000 / done) * (total - done) : null }, pending: pending === null ? null : { ...pending, done } });
      };
      let outcome: JobOutcome | null = null;
      try {
        outcome = await runPropagationJob(work, {
          segmenter: deps.segmenter,
          sourceId,
          grabFrame: (index) => get().grabFrame(index),
          keepGoing: () => !cancelled,
          sameVideo: () => generation === runGeneration && get().video.sourceId === sourceId,
          startOf,
          file: (run, frame, r) => setMasklet(run.instanceId, (m) => mergeResult(m, frame, { rle: r.rle, score: r.score, confidence: r.confidence, state: r.state, anchor: run.anchor })),
          working: (frame, instanceIds) => patchJob({ current: { frame, instanceIds } }),
          advance: (steps) => {
            done += steps;
            progress();
          },
        });
      } finally {
        // Another project opened meanwhile: this run's summary is not about it.
        if (generation === runGeneration) {
          const elapsedS = (deps.clock.now() - startedAt) / 1000;
          const computed = Object.values(get().propagation.masklets).reduce((n, m) => n + Object.keys(m).length, 0);
          const head = cancelled ? `Cancelled after ${formatDuration(elapsedS)}` : `Done in ${formatDuration(elapsedS)}`;
          const encoder = outcome ? describeEncoderUse(outcome) : '';
          const stops = outcome?.stops ?? [];
          patch({
            job: null,
            pending: null,
            error: outcome?.error ? `Propagation stopped: ${message(outcome.error)}` : null,
            summary: `${head}; ${computed} propagated frame${computed === 1 ? '' : 's'} in all.${encoder ? ` ${encoder}.` : ''}${stops.length ? ` Stopped where ${stops.join('; ')}.` : ''}`,
            lastRun: outcome && {
              steps: outcome.steps,
              frames: outcome.frames,
              encoderPasses: outcome.encoderPasses,
              framesEncodedTwice: outcome.framesEncodedTwice,
              encoderMs: outcome.encoderMs,
              decoderMs: outcome.decoderMs,
              otherMs: outcome.otherMs,
              wallMs: deps.clock.now() - startedAt,
            },
          });
        }
      }
    };

    return {
      propagation: { masklets: {}, settings: DEFAULT_SETTINGS, job: null, error: null, summary: null, lastRun: null, pending: null },

      setPropagationSettings(p) {
        patch({ settings: { ...get().propagation.settings, ...p } });
      },

      propagate() {
        const doc = get().annotation.history.present;
        const settings = get().propagation.settings;
        const ids = settings.scope === 'active' ? (doc.activeId ? [doc.activeId] : []) : doc.instances.map((i) => i.id);
        return start(ids, settings, false);
      },

      continuePropagation() {
        const pending = get().propagation.pending;
        if (pending === null || get().propagation.job !== null) return Promise.resolve();
        const present = new Set(get().annotation.history.present.instances.map((i) => i.id));
        const ids = pending.instanceIds.filter((id) => present.has(id));
        return start(ids, { direction: pending.direction, range: pending.range, step: pending.step, scope: 'all' }, true);
      },

      dismissInterruptedPropagation() {
        if (get().propagation.job === null) patch({ pending: null });
      },

      cancelPropagation() {
        if (get().propagation.job === null) return;
        cancelled = true;
        patchJob({ cancelling: true });
      },

      clearPropagated(instanceId) {
        if (instanceId === undefined) patch({ masklets: {} });
        else {
          const { [instanceId]: _gone, ...rest } = get().propagation.masklets;
          patch({ masklets: rest });
        }
      },

      goToLowConfidence(direction) {
        const id = get().annotation.history.present.activeId;
        if (id === null) return false;
        const frame = nextLowConfidence(get().propagation.masklets[id] ?? {}, get().video.frameIndex, direction);
        if (frame === null) return false;
        get().seek(frame);
        return true;
      },

      loadMasklets(masklets, pending = null) {
        cancelled = true;
        generation++;
        patch({ masklets, job: null, error: null, summary: null, pending });
      },

      loadMaskletsKeepingJob(masklets) {
        patch({ masklets });
      },
    };
  };
}
