/**
 * The open video: which frame is shown, playback, thumbnails, and opening new videos without
 * losing the current one when the new one turns out to be bad.
 */
import type { StateCreator } from 'zustand';
import type { EncodedImage } from '../../core/agent/ports';
import type { DecodedFrame, FrameEncodeOptions, FrameSource, OpenProgress, VideoInfo, VideoRequest } from '../../core/ports';
import { latestOnly } from '../../core/schedule/latestOnly';
import { addBadFrames, badFrameText, dataEndNotice, FrameDecodeError, type BadFrames } from '../../core/video/damage';
import { FrameTimeline } from '../../core/video/frameTimeline';
import type { VideoOpenError } from '../../core/video/openErrors';
import type { AppDeps, FrameImage } from '../deps';
import type { AppState } from '../appStore';

export interface Thumbnail {
  /** Position in the strip, 0..THUMBNAIL_COUNT-1. */
  readonly slot: number;
  /** The frame shown (the cheap frame nearest the slot's middle). */
  readonly index: number;
  readonly image: FrameImage;
}

export interface VideoSlice {
  video: {
    readonly info: VideoInfo | null;
    readonly timestamps: readonly number[];
    /** The frame the user asked for (the slider follows it at once). */
    readonly frameIndex: number;
    /** The frame on screen, which catches up with `frameIndex` when decoding finishes. */
    readonly frame: DecodedFrame<FrameImage> | null;
    readonly playing: boolean;
    readonly thumbnails: readonly Thumbnail[];
    /** A video being opened: its label and progress. The current video stays until it succeeds. */
    readonly opening: { readonly label: string; readonly progress: OpenProgress | null } | null;
    readonly openError: VideoOpenError | null;
    readonly notice: string | null;
    readonly frameError: string | null;
    /**
     * Frames known not to show: the tail a cut file lacks (known at open) and frames whose
     * decoding failed (found as they are asked for, thumbnails included). Sorted, disjoint.
     */
    readonly badFrames: readonly BadFrames[];
    /** Changes every time a video is opened: keys caches of per-frame data (embeddings). */
    readonly sourceId: number;
  };
  /** A fresh copy of frame `index` for processing (the caller releases it), or null without a video. */
  grabFrame(index: number): Promise<FrameImage | null>;
  /** Frames of the open video resized and encoded for a model (in the video worker). */
  encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]>;
  /**
   * Opens a video in place of the current one. `restoring`: the video of a project being reopened
   * (the project slice is not told to start a new project for it).
   */
  openVideo(request: VideoRequest<Blob>, options?: { restoring?: boolean }): Promise<boolean>;
  /** Closes the video (a project whose file is not available shows no picture). */
  closeVideo(): void;
  seek(index: number): void;
  stepFrames(delta: number): void;
  stepSeconds(delta: number): void;
  seekTime(seconds: number): void;
  play(): void;
  pause(): void;
  togglePlay(): void;
  dismissVideoMessages(): void;
}

export const THUMBNAIL_COUNT = 24;

export function createVideoSlice(deps: AppDeps): StateCreator<AppState, [], [], VideoSlice> {
  return (set, get) => {
    let source: FrameSource<FrameImage> | null = null;
    let timeline: FrameTimeline | null = null;
    let openToken = 0;
    let playback: { startClock: number; startTime: number; cancel: () => void; busy: boolean } | null = null;

    const patch = (p: Partial<VideoSlice['video']>): void => set((s) => ({ video: { ...s.video, ...p } }));

    // An image taken off the screen may still be drawn once before React and Konva catch up;
    // closing it two repaints later keeps the canvas from ever drawing a released bitmap.
    const retire = (images: FrameImage[]): void => {
      if (images.length === 0) return;
      deps.clock.nextFrame(() => deps.clock.nextFrame(() => images.forEach((i) => i.close())));
    };

    const showFrame = (frame: DecodedFrame<FrameImage>): void => {
      const old = get().video.frame;
      patch({ frame, frameError: null });
      if (old && old.image !== frame.image) retire([old.image]);
    };

    // Only the newest frame request matters while scrubbing; the rest are dropped unrun.
    const fetchFrame = latestOnly(async (req: { src: FrameSource<FrameImage>; index: number }) => req.src.getFrame(req.index));

    const markBad = (e: FrameDecodeError): void => {
      patch({ badFrames: addBadFrames(get().video.badFrames, { from: e.frame, to: e.frame, kind: e.kind }) });
    };

    const display = async (index: number): Promise<void> => {
      const src = source;
      if (src === null) return;
      try {
        const r = await fetchFrame({ src, index });
        if (r.status !== 'done') return;
        if (src !== source) {
          r.value.image.close();
          return;
        }
        showFrame(r.value);
      } catch (e) {
        if (src !== source) return;
        if (e instanceof FrameDecodeError) {
          // The file cannot give this frame: say so, mark it on the timeline, and take the
          // previous picture off the stage so it is not taken for this frame. Playback stops
          // here rather than retrying every animation frame.
          markBad(e);
          stopPlayback();
          const old = get().video.frame;
          patch({ frame: null, frameError: badFrameText(e.frame, e.kind, e.detail) });
          if (old) retire([old.image]);
          return;
        }
        patch({ frameError: `Frame ${index} could not be decoded: ${e instanceof Error ? e.message : String(e)}` });
      }
    };

    const stopPlayback = (): void => {
      playback?.cancel();
      playback = null;
      if (get().video.playing) patch({ playing: false });
    };

    const loadThumbnails = async (src: FrameSource<FrameImage>): Promise<void> => {
      const n = src.info.frameCount;
      const slots = Math.min(THUMBNAIL_COUNT, n);
      for (let slot = 0; slot < slots; slot++) {
        if (src !== source) return;
        try {
          const t = await src.getThumbnail(Math.floor(((slot + 0.5) * n) / slots));
          if (src !== source) {
            t.image.close();
            return;
          }
          patch({ thumbnails: [...get().video.thumbnails, { slot, index: t.index, image: t.image }] });
        } catch (e) {
          // A thumbnail is decoration, but one that cannot be decoded shows where the file is damaged.
          if (e instanceof FrameDecodeError && src === source) markBad(e);
        }
      }
    };

    const tick = (): void => {
      if (playback === null || timeline === null) return;
      const pb = playback;
      const t = pb.startTime + (deps.clock.now() - pb.startClock) / 1000;
      const last = timeline.frameCount - 1;
      const target = timeline.indexAt(t);
      const atEnd = t >= timeline.startS + timeline.durationS;
      if (!pb.busy && target !== get().video.frame?.index) {
        pb.busy = true;
        patch({ frameIndex: atEnd ? last : target });
        void display(atEnd ? last : target).finally(() => (pb.busy = false));
      }
      if (atEnd) {
        stopPlayback();
        return;
      }
      pb.cancel = deps.clock.nextFrame(tick);
    };

    return {
      video: {
        info: null,
        timestamps: [],
        frameIndex: 0,
        frame: null,
        playing: false,
        thumbnails: [],
        opening: null,
        openError: null,
        notice: null,
        frameError: null,
        badFrames: [],
        sourceId: 0,
      },

      async grabFrame(index) {
        if (source === null) return null;
        return (await source.getFrame(index)).image;
      },

      encodeFrames(indices, options) {
        if (source === null) return Promise.reject(new Error('No video is open'));
        return source.encodeFrames(indices, options);
      },

      closeVideo() {
        stopPlayback();
        const old = get().video;
        source?.close();
        source = null;
        timeline = null;
        retire([...(old.frame ? [old.frame.image] : []), ...old.thumbnails.map((t) => t.image)]);
        patch({ info: null, timestamps: [], frameIndex: 0, frame: null, thumbnails: [], frameError: null, badFrames: [], sourceId: old.sourceId + 1 });
      },

      async openVideo(request, options) {
        const token = ++openToken;
        const label = request.kind === 'url' ? request.url : request.name;
        patch({ opening: { label, progress: null }, openError: null });
        const outcome = await deps.videoOpener.open(request, (progress) => {
          if (token === openToken) patch({ opening: { label, progress } });
        });
        if (token !== openToken) {
          if (outcome.ok) outcome.source.close();
          return false;
        }
        if (!outcome.ok) {
          patch({ opening: null, openError: outcome.error });
          return false;
        }
        stopPlayback();
        get().leavingVideo();
        const old = get().video;
        source?.close();
        retire([...(old.frame ? [old.frame.image] : []), ...old.thumbnails.map((t) => t.image)]);
        source = outcome.source;
        const info = source.info;
        timeline = new FrameTimeline(source.timestamps, source.timestamps[0]! + info.durationS);
        const end = info.dataEnd ?? null;
        patch({
          info,
          timestamps: source.timestamps,
          frameIndex: 0,
          frame: null,
          thumbnails: [],
          opening: null,
          // A cut file is said at once: how much of it plays.
          notice: [outcome.notice, end ? dataEndNotice(end, info.durationS) : null].filter((n) => n !== null).join(' ') || null,
          frameError: null,
          badFrames: end ? [{ from: end.firstMissingFrame, to: info.frameCount - 1, kind: 'missing' }] : [],
          sourceId: get().video.sourceId + 1,
        });
        get().resetView();
        await display(0);
        void loadThumbnails(source);
        if (!options?.restoring && outcome.bytes instanceof Blob) await get().videoOpened(outcome.bytes, source.info);
        return true;
      },

      seek(index) {
        if (timeline === null) return;
        const i = timeline.clampIndex(index);
        if (playback) stopPlayback();
        patch({ frameIndex: i });
        void display(i);
      },

      stepFrames(delta) {
        get().seek(get().video.frameIndex + delta);
      },

      stepSeconds(delta) {
        if (timeline === null) return;
        get().seek(timeline.stepSeconds(get().video.frameIndex, delta));
      },

      seekTime(seconds) {
        if (timeline === null) return;
        get().seek(timeline.indexAt(timeline.startS + seconds));
      },

      play() {
        if (timeline === null || playback !== null) return;
        let from = get().video.frameIndex;
        if (from >= timeline.frameCount - 1) from = 0;
        playback = { startClock: deps.clock.now(), startTime: timeline.timeOf(from), cancel: () => {}, busy: false };
        patch({ playing: true, frameIndex: from });
        tick();
      },

      pause() {
        stopPlayback();
      },

      togglePlay() {
        if (get().video.playing) get().pause();
        else get().play();
      },

      dismissVideoMessages() {
        patch({ openError: null, notice: null, frameError: null });
      },
    };
  };
}
