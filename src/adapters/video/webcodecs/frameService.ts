/**
 * The video worker's API: opens one file, then serves frames and thumbnails as ImageBitmaps that
 * are transferred (not copied) to the caller. Two decoder lanes keep playback and thumbnail
 * generation from disturbing each other's decoder position.
 */
import { transfer } from 'comlink';
import type { EncodedImage } from '../../../core/agent/ports';
import type { FrameEncodeOptions, VideoInfo } from '../../../core/ports';
import { drawForModel, encodeCanvas } from '../../render/encodeImage';
import { FrameDecodeError, type FrameProblem } from '../../../core/video/damage';
import { unknownFacts, type OpenFacts } from '../../../core/video/openErrors';
import { DecoderLane } from './decoderLane';
import { demux, type DemuxedVideo } from './demux';

export type OpenReply =
  | { readonly ok: true; readonly info: VideoInfo; readonly timestamps: readonly number[] }
  | { readonly ok: false; readonly facts: OpenFacts };

/**
 * A frame, or why it cannot be had. A problem comes back as data rather than a thrown error,
 * which would lose its fields crossing to the UI thread.
 */
export type FrameReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: FrameProblem };

/** Runs `get`, turning a frame the file cannot give into a reply; any other failure still throws. */
async function reply<T>(get: () => Promise<T>): Promise<FrameReply<T>> {
  try {
    return { ok: true, value: await get() };
  } catch (e) {
    if (e instanceof FrameDecodeError) return { ok: false, problem: { frame: e.frame, kind: e.kind, detail: e.detail } };
    throw e;
  }
}

export interface FrameServiceOptions {
  /** Memory for decoded full-size frames kept in the worker. */
  readonly cacheBytes: number;
  readonly cacheFrames: number;
}

const SAMPLE_DECODERS = 4;

export const DEFAULT_FRAME_SERVICE_OPTIONS: FrameServiceOptions = {
  cacheBytes: 192 * 1024 * 1024,
  cacheFrames: 96,
};

export class FrameService {
  private video: DemuxedVideo | null = null;
  private frames: DecoderLane | null = null;
  private thumbs: DecoderLane | null = null;
  /**
   * Frames for a model (sampling, crop_video): their own decoders, so playback keeps its position
   * and cache. Several, because decoding every frame between sparse samples is the cost, and one
   * decoder spends most of its time waiting (packet reads, output callbacks): measured on the
   * 80 s sample (64 frames, 2 cores), 1 decoder 2.0 s, 2 1.75 s, 3 1.2 s, 4 1.15 s.
   */
  private samples: DecoderLane[] = [];
  /** Canvases that frames for a model are drawn on, kept for the next call (see drawForModel). */
  private canvases: OffscreenCanvas[] = [];

  async open(blob: Blob, name: string, options: FrameServiceOptions = DEFAULT_FRAME_SERVICE_OPTIONS): Promise<OpenReply> {
    this.close();
    const result = await demux(blob, name);
    if (!result.ok) return { ok: false, facts: result.facts };
    const video = result.video;
    this.video = video;
    const info = describe(video, name, blob.size, 'webcodecs');
    this.frames = new DecoderLane(video, { maxCachedFrames: options.cacheFrames, maxCachedBytes: options.cacheBytes });
    // Thumbnails come from key frames, so the lane keeps almost nothing.
    this.thumbs = new DecoderLane(video, { maxCachedFrames: 4, maxCachedBytes: 32 * 1024 * 1024, resizeWidth: 160 });
    this.samples = Array.from({ length: SAMPLE_DECODERS }, () => new DecoderLane(video, { maxCachedFrames: 4, maxCachedBytes: 32 * 1024 * 1024 }));
    // Decode frame 0 now: a file whose container reads fine but whose frames do not is caught
    // here, before the app swaps it in for the video the user already has.
    try {
      (await this.frames.getFrame(0)).close();
    } catch (e) {
      this.close();
      return {
        ok: false,
        facts: {
          ...unknownFacts(name, blob.size),
          container: video.container,
          demuxError: e instanceof Error ? e.message : String(e),
          hasVideoTrack: true,
          codec: video.codec,
          decoderSupported: true,
        },
      };
    }
    return { ok: true, info, timestamps: [...video.index.timestamps] };
  }

  /** Indexes a file without decoding it: exact frame times for the media-element fallback. */
  async probe(blob: Blob, name: string): Promise<OpenReply> {
    const result = await demux(blob, name, false);
    if (!result.ok) return { ok: false, facts: result.facts };
    result.video.input.dispose();
    return {
      ok: true,
      info: describe(result.video, name, blob.size, 'media-element'),
      timestamps: [...result.video.index.timestamps],
    };
  }

  async getFrame(index: number): Promise<FrameReply<ImageBitmap>> {
    const r = await reply(() => this.lane('frames').getFrame(index));
    return r.ok ? transfer(r, [r.value]) : r;
  }

  /** A thumbnail of the key frame nearest to `index` (cheap: one packet's decoding). */
  async getThumbnail(index: number): Promise<FrameReply<{ index: number; bitmap: ImageBitmap }>> {
    const video = this.video;
    if (video === null) throw new Error('No video is open');
    const key = video.index.nearestKeyFrame(index);
    const r = await reply(async () => ({ index: key, bitmap: await this.lane('thumbs').getFrame(key) }));
    return r.ok ? transfer(r, [r.value.bitmap]) : r;
  }

  /**
   * Frames resized and encoded for a model. The distinct indices, ascending, are cut into one
   * contiguous run per sample decoder; each decoder walks its run in order (each key frame at
   * most once) while the other walks the other run. Returned in the order asked.
   */
  async encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> {
    if (this.samples.length === 0) throw new Error('No video is open');
    const order = [...new Set(indices)].sort((a, b) => a - b);
    const encoded = new Map<number, EncodedImage>();
    const runs = splitRuns(order, order.length < 8 ? 1 : this.samples.length);
    try {
      await Promise.all(
        runs.map(async (run, k) => {
          const lane = this.samples[k]!;
          // This run's own (calls may overlap, and the next frame is drawn while this one encodes otherwise).
          const canvas = this.canvases.pop() ?? new OffscreenCanvas(1, 1);
          try {
            for (const i of run) {
              // A full-size upright bitmap, scaled down as it is drawn. Drawing the VideoFrame
              // straight at the model's size was faster per frame, but the renderer then held
              // ~400 MB more (bench:batch at 1 at once: 1,100 vs 700 MB; docs/batch-performance.md).
              const bitmap = await lane.getFrame(i);
              try {
                await drawForModel((ctx, width, height) => ctx.drawImage(bitmap, 0, 0, width, height), bitmap, options, canvas);
              } finally {
                bitmap.close();
              }
              encoded.set(i, await encodeCanvas(canvas, options));
            }
          } finally {
            if (this.canvases.length < SAMPLE_DECODERS) this.canvases.push(canvas);
          }
        }),
      );
    } finally {
      // A decoder holds tens of MB of buffers, and the next request (another item's frames, a
      // crop) starts again at a key frame anyway: idle lanes keep none.
      for (const k of runs.keys()) this.samples[k]!.rest();
    }
    return indices.map((i) => encoded.get(i)!);
  }

  close(): void {
    this.frames?.close();
    this.thumbs?.close();
    for (const lane of this.samples) lane.close();
    this.samples = [];
    this.canvases = [];
    this.video?.input.dispose();
    this.frames = this.thumbs = null;
    this.video = null;
  }

  private lane(which: 'frames' | 'thumbs'): DecoderLane {
    const lane = which === 'frames' ? this.frames : this.thumbs;
    if (lane === null) throw new Error('No video is open');
    return lane;
  }
}

/** `sorted` cut into `n` contiguous runs of (nearly) equal length. */
function splitRuns(sorted: readonly number[], n: number): number[][] {
  const size = Math.ceil(sorted.length / n);
  return Array.from({ length: n }, (_, k) => sorted.slice(k * size, (k + 1) * size)).filter((r) => r.length > 0);
}

function describe(video: DemuxedVideo, name: string, byteLength: number, decoder: VideoInfo['decoder']): VideoInfo {
  const index = video.index;
  const durationS = index.endS - index.timestamps[0]!;
  return {
    name,
    container: video.container,
    codec: video.codec,
    width: video.width,
    height: video.height,
    durationS,
    fps: durationS > 0 ? index.frameCount / durationS : 0,
    frameCount: index.frameCount,
    byteLength,
    decoder,
    dataEnd: video.dataEnd,
  };
}
