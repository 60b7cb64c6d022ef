import type { EncodedImage, EncodeOptions } from './agent/ports';
import type { Rle } from './mask/rle';
import type { SamPrompt } from './segmentation/samDecoderIo';
import type { EncoderKind } from './segmentation/encoders';
import type { DataEnd } from './video/damage';
import type { VideoOpenError } from './video/openErrors';
import type { VisualPromptOverlay } from './visualPrompt/overlay';

/**
 * Ports: the small interfaces through which the pure core talks about browser parts.
 * Implementations live in `src/adapters`; nothing here may name a DOM or library type, so image
 * types are type parameters.
 */

/** What the app knows about an opened video once it has been indexed. */
export interface VideoInfo {
  /** The name shown to the user (file name, or the last path segment of a URL). */
  readonly name: string;
  /** Container, as detected from the bytes (e.g. "MP4", "WebM"); "unknown" for the fallback. */
  readonly container: string;
  /** Codec string (e.g. "avc1.64001f", "vp09.00.10.08"), or a short name when no string is known. */
  readonly codec: string;
  /** Displayed size in pixels, rotation applied. */
  readonly width: number;
  readonly height: number;
  /** Seconds from the first frame's start to the last frame's end. */
  readonly durationS: number;
  /** Average frames per second (frameCount / duration); exact for constant-rate video. */
  readonly fps: number;
  readonly frameCount: number;
  /** Size of the source in bytes, when known. */
  readonly byteLength: number | null;
  /** Which decoder path serves frames: frame-exact WebCodecs, or seeking a media element. */
  readonly decoder: 'webcodecs' | 'media-element';
  /** Set when the file's data ends before its index says (a cut file): how much of it plays. */
  readonly dataEnd?: DataEnd | null;
}

/** A decoded frame handed to the UI; `image` is drawable (an ImageBitmap in the browser). */
export interface DecodedFrame<Image> {
  readonly index: number;
  /** Presentation time in seconds. */
  readonly timeS: number;
  readonly image: Image;
}

/**
 * Random access to the frames of one video. "Frame i" is the i-th frame in presentation order
 * and must be the same decoded picture on every call, whatever was asked before.
 */
export interface FrameSource<Image> {
  readonly info: VideoInfo;
  /** Presentation timestamps in seconds, ascending; `timestamps[i]` is frame i's start. */
  readonly timestamps: readonly number[];
  /** The frame at `index`. The caller owns `image` and must release it. */
  getFrame(index: number): Promise<DecodedFrame<Image>>;
  /** A small picture of a frame near `index` (the nearest one that is cheap to decode). */
  getThumbnail(index: number): Promise<DecodedFrame<Image>>;
  /**
   * Frames resized and encoded as images for a model, in the order asked, each with the overlay
   * (a visual prompt) drawn on it. Done off the UI thread where the source can.
   */
  encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]>;
  /** Releases decoders, workers and cached frames. */
  close(): void;
}

export interface FrameEncodeOptions extends EncodeOptions {
  readonly overlay?: VisualPromptOverlay;
}

/** What the user asked to open: a file they picked or dropped, or an address. */
export type VideoRequest<FileLike> =
  | { readonly kind: 'file'; readonly file: FileLike; readonly name: string }
  | { readonly kind: 'url'; readonly url: string };

export interface OpenProgress {
  readonly phase: 'downloading' | 'reading';
  /** Bytes downloaded so far (downloading only). */
  readonly loaded?: number;
  /** Total bytes when the server said (downloading only). */
  readonly total?: number | null;
}

export type OpenOutcome<Image> =
  | {
      readonly ok: true;
      readonly source: FrameSource<Image>;
      /** The bytes that were opened (kept so the project can store the video later). */
      readonly bytes: unknown;
      /** Something the user should know, e.g. that a slower fallback decoder is in use. */
      readonly notice: string | null;
    }
  | { readonly ok: false; readonly error: VideoOpenError };

/** Opens videos; never throws for bad input, it reports it. */
export interface VideoOpener<FileLike, Image> {
  open(request: VideoRequest<FileLike>, onProgress: (p: OpenProgress) => void): Promise<OpenOutcome<Image>>;
}

/** Which runtime the segmentation model runs on, with which encoder. */
export interface SegmenterInfo {
  readonly backend: 'webgpu' | 'wasm';
  /** The image encoder loaded (the decoder is always fp32). */
  readonly encoder: EncoderKind;
  /** WASM threads (1 without cross-origin isolation). */
  readonly threads: number;
  /** Milliseconds to download or read the model files and create the sessions. */
  readonly loadMs: number;
  readonly fromCache: boolean;
}

export interface ModelLoadProgress {
  readonly loaded: number;
  readonly total: number | null;
}

/** A request for one mask: the frame (key + pixels), the prompts, and what to refine. */
export interface SegmentRequest<Image> {
  /** Identifies the frame's pixels, e.g. "video-id#frame"; embeddings are cached by it. */
  readonly frameKey: string;
  /** Needed only when the frame has no cached embedding; the segmenter takes ownership. */
  readonly image: Image | null;
  readonly prompt: SamPrompt;
  /** Feed back the low-resolution logits stored under this key as mask_input (refining). */
  readonly refineFrom: string | null;
  /** Store this prediction's logits under this key, for a later refinement. */
  readonly storeAs: string | null;
}

export interface SegmentResult {
  readonly rle: Rle;
  readonly score: number;
  readonly area: number;
  /** ms spent in the encoder (0 when the embedding was cached) and in the decoder. */
  readonly encoderMs: number;
  readonly decoderMs: number;
}

/** Starts following an instance from an anchor: the user's mask on a frame. */
export interface TrackStart<Image> {
  readonly trackId: string;
  readonly anchorFrameKey: string;
  /** The anchor frame's pixels (the tracker estimates motion from them); the segmenter takes ownership. */
  readonly anchorImage: Image;
  readonly anchorMask: Rle;
  /** The decoder logits stored for the anchor's prompts (SegmentRequest.storeAs), when still cached. */
  readonly anchorLogitsKey: string | null;
}

/** One frame for several tracks: encoded once (unless its embedding is cached), then each track takes its step on it. */
export interface TrackFramesRequest<Image> {
  readonly frameKey: string;
  /** The frame's pixels; the segmenter takes ownership. */
  readonly image: Image;
  /** The tracks that take their next step on this frame, each once. */
  readonly trackIds: readonly string[];
}

/** One track's step on a frame. */
export interface TrackFrameResult {
  readonly state: 'tracked' | 'low' | 'absent';
  readonly confidence: number;
  /** The decoder's IoU estimate. */
  readonly score: number;
  /** null when the object is absent. */
  readonly rle: Rle | null;
  readonly decoderMs: number;
  /** Everything else the step took (tracker maths, RLE). */
  readonly otherMs: number;
}

export interface TrackFramesResult {
  /** One per track id, in the order asked. */
  readonly tracks: readonly TrackFrameResult[];
  /** Times the encoder ran on this frame in this call: 1, or 0 when its embedding was cached. */
  readonly encoderPasses: number;
  readonly encoderMs: number;
  /** Time shared by the tracks (reading the frame's pixels). */
  readonly otherMs: number;
}

/** Segment-Anything behind a port: the model lives in a worker; only RLE masks come back. */
export interface Segmenter<Image> {
  /** Loads the model with this encoder; called again with the other one, swaps the encoder (frames are encoded anew). */
  load(onProgress: (p: ModelLoadProgress) => void, encoder: EncoderKind): Promise<SegmenterInfo>;
  hasEmbedding(frameKey: string): Promise<boolean>;
  /** Computes a frame's embedding ahead of time (takes ownership of `image`); resolves with ms spent. */
  prepare(frameKey: string, image: Image): Promise<number>;
  segment(request: SegmentRequest<Image>): Promise<SegmentResult>;
  /** Propagation: a tracker per instance and direction lives next to the model, in the worker. */
  startTrack(request: TrackStart<Image>): Promise<void>;
  /** Steps every track in `trackIds` on one frame with one encoder pass (frame-major propagation of several objects). */
  trackFrames(request: TrackFramesRequest<Image>): Promise<TrackFramesResult>;
  endTrack(trackId: string): void;
  dispose(): void;
}

/** Small values kept on this machine only (never in a project): the endpoint settings, API key included. */
export interface Preferences {
  load(key: string): unknown;
  save(key: string, value: unknown): void;
}
