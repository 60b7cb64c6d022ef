/**
 * Fallback FrameSource for browsers without WebCodecs (or files only the media element can
 * play): seeks an HTMLVideoElement to the middle of frame i's display interval and snapshots it.
 * Slower than decoding (a seek per frame), but it shows the same frame for the same index.
 */
import type { EncodedImage } from '../../core/agent/ports';
import type { DecodedFrame, FrameEncodeOptions, FrameSource, VideoInfo } from '../../core/ports';
import { encodeImage } from '../render/encodeImage';
import { FrameTimeline, uniformTimestamps } from '../../core/video/frameTimeline';

export type ElementOpenResult =
  | { readonly ok: true; readonly source: FrameSource<ImageBitmap> }
  | { readonly ok: false; readonly errorCode: number; readonly message: string };

const LOAD_TIMEOUT_MS = 20_000;
const DEFAULT_FPS = 30;

function loadVideo(src: string): Promise<HTMLVideoElement> {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.preload = 'auto';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(0, 'the browser did not load it in time'), LOAD_TIMEOUT_MS);
    const fail = (code: number, message: string): void => {
      clearTimeout(timer);
      video.removeAttribute('src');
      video.load();
      reject(Object.assign(new Error(message), { code }));
    };
    video.addEventListener('loadeddata', () => {
      clearTimeout(timer);
      if (video.videoWidth === 0) fail(4, 'it has no picture');
      else resolve(video);
    });
    video.addEventListener('error', () => fail(video.error?.code ?? 0, video.error?.message || 'media error'));
    video.src = src;
  });
}

/** Frame rate from the timestamps of frames the element presents during a short muted play. */
async function measureFps(video: HTMLVideoElement): Promise<number> {
  if (!('requestVideoFrameCallback' in video)) return DEFAULT_FPS;
  const times: number[] = [];
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1500);
    const onFrame = (_: number, meta: VideoFrameCallbackMetadata): void => {
      times.push(meta.mediaTime);
      if (times.length >= 8) {
        clearTimeout(timer);
        resolve();
      } else video.requestVideoFrameCallback(onFrame);
    };
    video.requestVideoFrameCallback(onFrame);
    video.play().catch(() => resolve());
  });
  video.pause();
  const deltas = times
    .slice(1)
    .map((t, i) => t - times[i]!)
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const median = deltas[Math.floor(deltas.length / 2)];
  return median ? Math.round(1 / median * 1000) / 1000 : DEFAULT_FPS;
}

export async function openWithElement(
  blob: Blob,
  name: string,
  known: { info: VideoInfo; timestamps: readonly number[] } | null,
): Promise<ElementOpenResult> {
  const url = URL.createObjectURL(blob);
  let video: HTMLVideoElement;
  try {
    video = await loadVideo(url);
  } catch (e) {
    URL.revokeObjectURL(url);
    const err = e as Error & { code?: number };
    return { ok: false, errorCode: err.code ?? 0, message: err.message };
  }
  let timestamps = known?.timestamps;
  if (timestamps === undefined) {
    const fps = await measureFps(video);
    timestamps = uniformTimestamps(Math.max(1, Math.floor(video.duration * fps + 1e-6)), fps);
  }
  const timeline = new FrameTimeline(timestamps, known ? known.info.durationS + timestamps[0]! : video.duration);
  const info: VideoInfo = {
    name,
    container: known?.info.container ?? (blob.type || 'unknown'),
    codec: known?.info.codec ?? 'unknown',
    width: video.videoWidth,
    height: video.videoHeight,
    durationS: timeline.durationS,
    fps: timeline.fps,
    frameCount: timeline.frameCount,
    byteLength: blob.size,
    decoder: 'media-element',
  };
  return { ok: true, source: new ElementFrameSource(video, url, info, timeline) };
}

class ElementFrameSource implements FrameSource<ImageBitmap> {
  private queue: Promise<unknown> = Promise.resolve();
  readonly timestamps: readonly number[];

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly url: string,
    readonly info: VideoInfo,
    private readonly timeline: FrameTimeline,
  ) {
    this.timestamps = timeline.timestamps;
  }

  getFrame(index: number): Promise<DecodedFrame<ImageBitmap>> {
    const run = this.queue.then(() => this.seekAndGrab(index));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async getThumbnail(index: number): Promise<DecodedFrame<ImageBitmap>> {
    const frame = await this.getFrame(index);
    const width = 160;
    const height = Math.max(1, Math.round((width * this.info.height) / this.info.width));
    const small = await createImageBitmap(frame.image, { resizeWidth: width, resizeHeight: height });
    frame.image.close();
    return { ...frame, image: small };
  }

  /** The fallback has no worker: frames are encoded here, one seek each (slow, but correct). */
  async encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> {
    const out: EncodedImage[] = [];
    for (const i of indices) {
      const frame = await this.getFrame(i);
      try {
        out.push(await encodeImage(frame.image, options));
      } finally {
        frame.image.close();
      }
    }
    return out;
  }

  close(): void {
    this.video.removeAttribute('src');
    this.video.load();
    URL.revokeObjectURL(this.url);
  }

  private async seekAndGrab(index: number): Promise<DecodedFrame<ImageBitmap>> {
    const i = this.timeline.clampIndex(index);
    const t = this.timeline.midTimeOf(i);
    const video = this.video;
    await new Promise<void>((resolve, reject) => {
      const done = (): void => {
        video.removeEventListener('seeked', onSeeked);
        video.removeEventListener('error', onError);
        clearTimeout(timer);
      };
      const onSeeked = (): void => {
        done();
        // 'seeked' can fire before the new frame is composited; wait for it to be presented.
        if ('requestVideoFrameCallback' in video) {
          const fallback = setTimeout(resolve, 100);
          video.requestVideoFrameCallback(() => {
            clearTimeout(fallback);
            resolve();
          });
        } else resolve();
      };
      const onError = (): void => {
        done();
        reject(new Error(`Seeking failed: ${video.error?.message ?? 'media error'}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Seeking to ${t.toFixed(3)} s timed out`));
      }, 10_000);
      video.addEventListener('seeked', onSeeked);
      video.addEventListener('error', onError);
      video.currentTime = t;
    });
    const image = await createImageBitmap(video);
    return { index: i, timeS: this.timeline.timeOf(i), image };
  }
}
