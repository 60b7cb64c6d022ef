/**
 * The video worker's API: opens one file, then serves frames and thumbnails as ImageBitmaps that
 * are transferred (not copied) to the caller. Two decoder lanes keep playback and thumbnail
 * generation from disturbing each other's decoder position.
 */
import { transfer } from 'comlink';
import type { EncodedImage } from '../../../core/agent/ports';
import type { FrameEncodeOptions, VideoInfo } from '../../../core/ports';
import { encodeImage } from '../../render/encodeImage';
import { unknownFacts, type OpenFacts } from '../../../core/video/openErrors';
import { DecoderLane } from './decoderLane';
import { demux, type DemuxedVideo } from './demux';

export type OpenReply =
  | { readonly ok: true; readonly info: VideoInfo; readonly timestamps: readonly number[] }
  | { readonly ok: false; readonly facts: OpenFacts };

export interface FrameServiceOptions {
  /** Memory for decoded full-size frames kept in the worker. */
  readonly cacheBytes: number;
  readonly cacheFrames: number;
}

export const DEFAULT_FRAME_SERVICE_OPTIONS: FrameServiceOptions = {
  cacheBytes: 192 * 1024 * 1024,
  cacheFrames: 96,
};

export class FrameService {
  private video: DemuxedVideo | null = null;
  private frames: DecoderLane | null = null;
  private thumbs: DecoderLane | null = null;
  /** Frames for a model (sampling, crop_video): their own decoder, so playback keeps its position and cache. */
  private samples: DecoderLane | null = null;

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
    this.samples = new DecoderLane(video, { maxCachedFrames: 8, maxCachedBytes: 64 * 1024 * 1024 });
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

  async getFrame(index: number): Promise<ImageBitmap> {
    const bitmap = await this.lane('frames').getFrame(index);
    return transfer(bitmap, [bitmap]);
  }

  /** A thumbnail of the key frame nearest to `index` (cheap: one packet's decoding). */
  async getThumbnail(index: number): Promise<{ index: number; bitmap: ImageBitmap }> {
    const video = this.video;
    if (video === null) throw new Error('No video is open');
    const key = video.index.nearestKeyFrame(index);
    const bitmap = await this.lane('thumbs').getFrame(key);
    return transfer({ index: key, bitmap }, [bitmap]);
  }

  /**
   * Frames resized and encoded for a model. Indices are decoded in ascending order (one pass
   * through the file, each key frame at most once) and returned in the order asked.
   */
  async encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> {
    const lane = this.lane('samples');
    const order = [...new Set(indices)].sort((a, b) => a - b);
    const encoded = new Map<number, EncodedImage>();
    for (const i of order) {
      const bitmap = await lane.getFrame(i);
      try {
        encoded.set(i, await encodeImage(bitmap, options));
      } finally {
        bitmap.close();
      }
    }
    return indices.map((i) => encoded.get(i)!);
  }

  close(): void {
    this.frames?.close();
    this.thumbs?.close();
    this.samples?.close();
    this.video?.input.dispose();
    this.frames = this.thumbs = this.samples = null;
    this.video = null;
  }

  private lane(which: 'frames' | 'thumbs' | 'samples'): DecoderLane {
    const lane = which === 'frames' ? this.frames : which === 'thumbs' ? this.thumbs : this.samples;
    if (lane === null) throw new Error('No video is open');
    return lane;
  }
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
  };
}
