/**
 * Preparing a batch item ahead of asking it: its video's question frames (the 64 sampled frames,
 * the same for every item of that video, so encoded once and shared by the items in hand) and its
 * visual prompt image (drawn on its frame, or its own image file). The item is then asked with
 * what was prepared; frames it needs later (crop_video) come from the video pool again.
 *
 * Memory: each item in hand holds its visual prompt (one full-size JPEG, ~0.1–0.3 MB at 1280×720)
 * and shares its video's question frames (64 JPEGs at ≤ 200,704 pixels, ~30–60 kB each: ~2–4 MB a
 * video). The batch pipeline's window bounds the items in hand (concurrency + pool size: at 64 + 2
 * in hand over as many videos, ~130–260 MB; items of one video share theirs); the question frames
 * of the pool's size of videos are kept after their last item (~4–8 MB at the default 2).
 */
import type { ResolvedAsk } from '../../core/agent/draft';
import { questionFramePlan, type QuestionFramePlan } from '../../core/agent/framePlan';
import type { EncodedImage } from '../../core/agent/ports';
import type { EndpointSettings } from '../../core/agent/settings';
import type { FrameEncodeOptions } from '../../core/ports';
import type { AppState } from '../appStore';
import type { OtherFrames } from './askSlice';
import type { VideoFrames } from './datasetSlice';

/** A prepared item: what runAskLoop needs, and how to let go of the frames it holds. */
export interface PreparedItem {
  readonly videoId: string;
  readonly other: OtherFrames;
  release(): void;
}

interface SharedFrames {
  readonly images: Promise<EncodedImage[]>;
  ready: boolean;
  users: number;
}

const sameRequest = (indices: readonly number[], options: FrameEncodeOptions, plan: QuestionFramePlan): boolean =>
  options.overlay === undefined &&
  options.width === plan.encode.width &&
  options.height === plan.encode.height &&
  options.format === plan.encode.format &&
  options.quality === plan.encode.quality &&
  indices.length === plan.indices.length &&
  indices.every((v, i) => v === plan.indices[i]);

export interface BatchPreparer {
  prepare(ask: ResolvedAsk, videoId: string, settings: EndpointSettings, signal: AbortSignal): Promise<PreparedItem>;
  /** Whether a video's question frames are encoded and held (preparing another of its items is cheap). */
  framesReady(videoId: string): boolean;
  /** Lets go of the frames kept after their last item (no run is driven any more). */
  clearIdle(): void;
}

export function createBatchPreparer(get: () => AppState): BatchPreparer {
  /** Question frames by video and plan, while an item in hand uses them. */
  const shared = new Map<string, SharedFrames>();

  /**
   * Frames nobody holds are kept for the videos used last (as many as the pool keeps decoders):
   * the next item of a video asked just before, taken a little later, does not decode them again.
   */
  const letGo = (key: string, entry: SharedFrames): void => {
    if (--entry.users > 0 || shared.get(key) !== entry) return;
    shared.delete(key);
    shared.set(key, entry);
    const idle = [...shared].filter(([, e]) => e.users <= 0);
    for (const [k] of idle.slice(0, Math.max(0, idle.length - get().dataset.poolSize))) shared.delete(k);
  };

  return {
    clearIdle() {
      for (const [k, e] of [...shared]) if (e.users <= 0) shared.delete(k);
    },

    framesReady(videoId) {
      for (const [key, entry] of shared) if (entry.ready && key.startsWith(`${videoId}\n`)) return true;
      return false;
    },

    async prepare(ask, videoId, settings, signal) {
      // An item's own image needs no decoder: read it before taking the video's turn.
      const image = ask.image !== null ? await get().readPromptImage(ask.image) : null;
      signal.throwIfAborted();
      const { info, timestamps, plan, held, visualPrompt } = await get().withVideoFrames(videoId, async (frames: VideoFrames) => {
        signal.throwIfAborted();
        // The times the model hears start at the video's first frame (as runAskLoop's do).
        const t0 = frames.timestamps[0] ?? 0;
        const plan = questionFramePlan(settings, { timestamps: frames.timestamps.map((t) => t - t0), durationS: frames.info.durationS, width: frames.info.width, height: frames.info.height });
        const key = `${videoId}\n${JSON.stringify([plan.indices, plan.encode])}`;
        let entry = shared.get(key);
        if (!entry) {
          const made: SharedFrames = { images: frames.encodeFrames(plan.indices, plan.encode), ready: false, users: 0 };
          shared.set(key, made);
          made.images.then(
            () => (made.ready = true),
            () => (shared.get(key) === made ? shared.delete(key) : undefined),
          );
          entry = made;
        }
        entry.users++;
        try {
          await entry.images;
          signal.throwIfAborted();
          const drawn =
            image ??
            (await frames.encodeFrames([ask.frame], { width: frames.info.width, height: frames.info.height, format: settings.imageFormat, quality: settings.jpegQuality, ...(ask.overlay ? { overlay: ask.overlay } : {}) }))[0]!;
          return { info: frames.info, timestamps: frames.timestamps, plan, held: { key, entry }, visualPrompt: drawn };
        } catch (e) {
          letGo(key, entry);
          throw e;
        }
      });
      const questionFrames = held.entry.images;
      let released = false;
      const frames: VideoFrames = {
        info,
        timestamps,
        // The question's frames are in hand; anything else (crop_video) is decoded from the video again,
        // before the preparation of items not asked yet: this item holds a request slot meanwhile.
        encodeFrames: (indices, options) => (sameRequest(indices, options, plan) ? questionFrames : get().withVideoFrames(videoId, (f) => f.encodeFrames(indices, options), 'urgent')),
      };
      return {
        videoId,
        other: { frames, key: `video:${videoId}`, visualPrompt },
        release: () => {
          if (released) return;
          released = true;
          letGo(held.key, held.entry);
        },
      };
    },
  };
}
