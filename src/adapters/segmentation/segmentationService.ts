/**
 * The segmentation worker's API. It owns the SAM sessions, one embedding per frame (bounded
 * cache: the encoder runs once per frame), and the last low-resolution logits per instance and
 * frame (fed back as mask_input when the user refines). Only RLE masks leave the worker.
 */
import type * as ort from 'onnxruntime-web';
import { BoundedCache } from '../../core/cache/boundedCache';
import { decodeRle, encodeRle, rleArea } from '../../core/mask/rle';
import { createTracker, type Tracker } from '../../core/propagation/tracker';
import { EMBEDDING_CACHE_FRAMES } from '../../core/propagation/schedule';
import { runTrackStep } from '../../core/propagation/trackStep';
import type { ModelLoadProgress, SegmentRequest, SegmentResult, SegmenterInfo, TrackFrameResult, TrackFramesRequest, TrackFramesResult, TrackStart } from '../../core/ports';
import type { EncoderKind } from '../../core/segmentation/encoders';
import type { RgbaImage } from '../../core/segmentation/samPreprocess';
import { fetchModelFile } from './modelFiles';
import { decodeMask, encodeImage, type OrtRuntime, type SamEmbedding, type SamSessions } from './ortSam';

export interface LoadOptions {
  /** URL the app is served from (document.baseURI): models and the ORT runtime live below it. */
  readonly assetBase: string;
  /** Skip WebGPU even when an adapter exists (benchmarks of the WASM path). */
  readonly forceWasm?: boolean;
  /** WASM threads; default min(4, hardwareConcurrency) when cross-origin isolated, else 1. */
  readonly threads?: number;
}

/**
 * The model files the app serves. Cache Storage keys them by URL, so each encoder has its own entry:
 * a cached fp32 encoder never stands in for the int8 one (or the other way round).
 */
export const ENCODER_FILES: Readonly<Record<EncoderKind, string>> = { fp32: 'models/encoder.onnx', int8: 'models/encoder.int8.onnx' };
export const DECODER_FILE = 'models/sam.onnx';

/** The runtime chosen at the first load, kept when the encoder is swapped. */
interface Runtime {
  readonly ort: OrtRuntime;
  readonly webgpu: boolean;
  readonly threads: number;
  readonly isolated: boolean;
}

/** Creating both sessions takes ~1.5 s here; a minute means something is stuck. */
const SESSION_TIMEOUT_MS = 60_000;

function withTimeout<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(why)), ms);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function hasWebGpu(): Promise<boolean> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    return (await gpu.requestAdapter()) !== null;
  } catch {
    return false;
  }
}

function pixelsOf(image: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas in this worker');
  ctx.drawImage(image, 0, 0);
  return ctx.getImageData(0, 0, image.width, image.height);
}

export class SegmentationService {
  private sessions: SamSessions | null = null;
  private runtime: OrtRuntime | null = null;
  private loading: Promise<SegmenterInfo> | null = null;
  private readonly embeddings = new BoundedCache<string, SamEmbedding>({
    maxEntries: EMBEDDING_CACHE_FRAMES,
    maxBytes: EMBEDDING_CACHE_FRAMES * 256 * 64 * 64 * 4,
    sizeOf: (e) => e.data.byteLength,
  });
  private readonly logits = new BoundedCache<string, Float32Array>({
    maxEntries: 512,
    maxBytes: 64 * 1024 * 1024,
    sizeOf: (l) => l.byteLength,
  });

  private loadingEncoder: EncoderKind | null = null;
  private setup: Runtime | null = null;

  /**
   * Loads the model with `encoder`; asked for the other encoder later, swaps it in (the decoder
   * stays) once the inference in flight is done, and forgets the embeddings the old one made.
   */
  load(options: LoadOptions, onProgress: (p: ModelLoadProgress) => void, encoder: EncoderKind): Promise<SegmenterInfo> {
    if (this.loading === null || this.loadingEncoder !== encoder) {
      this.loadingEncoder = encoder;
      const loading: Promise<SegmenterInfo> = this.serial(() => this.create(options, encoder, onProgress)).catch((e: unknown) => {
        if (this.loading === loading) {
          this.loading = null; // let the user retry
          this.loadingEncoder = null;
        }
        throw e;
      });
      this.loading = loading;
    }
    return this.loading;
  }

  /** Inference runs one call at a time: onnxruntime's WASM runtime is not re-entrant. */
  private queue: Promise<unknown> = Promise.resolve();

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  hasEmbedding(frameKey: string): boolean {
    return this.embeddings.has(frameKey);
  }

  /** Computes a frame's embedding ahead of the first prompt (no-op when it is cached). */
  prepare(frameKey: string, image: ImageBitmap): Promise<number> {
    return this.serial(async () => {
      if (this.embeddings.has(frameKey) || this.sessions === null || this.runtime === null) {
        image.close();
        return 0;
      }
      const t0 = performance.now();
      this.embeddings.set(frameKey, await encodeImage(this.runtime, this.sessions.encoder, pixelsOf(image)));
      image.close();
      return performance.now() - t0;
    });
  }

  segment(request: SegmentRequest<ImageBitmap>): Promise<SegmentResult> {
    return this.serial(() => this.segmentNow(request));
  }

  private async segmentNow(request: SegmentRequest<ImageBitmap>): Promise<SegmentResult> {
    const sessions = this.sessions;
    const runtime = this.runtime;
    if (sessions === null || runtime === null) {
      request.image?.close();
      throw new Error('The segmentation model is not loaded');
    }
    let encoderMs = 0;
    let embedding = this.embeddings.get(request.frameKey);
    if (embedding === undefined) {
      if (request.image === null) throw new Error(`No picture for frame ${request.frameKey}`);
      const t0 = performance.now();
      embedding = await encodeImage(runtime, sessions.encoder, pixelsOf(request.image));
      encoderMs = performance.now() - t0;
      this.embeddings.set(request.frameKey, embedding);
    }
    request.image?.close();
    const maskInput = request.refineFrom === null ? null : (this.logits.get(request.refineFrom) ?? null);
    const t1 = performance.now();
    const prediction = await decodeMask(runtime, sessions.decoder, embedding, { ...request.prompt, maskInput: request.prompt.maskInput ?? maskInput });
    const decoderMs = performance.now() - t1;
    if (request.storeAs !== null) this.logits.set(request.storeAs, prediction.lowRes);
    const rle = encodeRle(prediction.mask);
    return { rle, score: prediction.score, area: rleArea(rle), encoderMs, decoderMs };
  }

  private readonly trackers = new Map<string, Tracker>();

  startTrack(request: TrackStart<ImageBitmap>): Promise<void> {
    return this.serial(async () => {
      const image = pixelsOf(request.anchorImage);
      request.anchorImage.close();
      const lowRes = request.anchorLogitsKey === null ? null : (this.logits.get(request.anchorLogitsKey) ?? null);
      // The anchor's embedding gives the tracker its appearance memory when the frame is still cached.
      const embedding = this.embeddings.get(request.anchorFrameKey)?.data ?? null;
      this.trackers.set(request.trackId, createTracker({ mask: decodeRle(request.anchorMask), lowRes, image, embedding }));
    });
  }

  /**
   * Steps several tracks on one frame: the frame is encoded once (unless its embedding is cached)
   * and every track uses that embedding. The propagation job calls it frame-major (every object
   * that needs a frame together), so an embedding is never needed again after its call.
   */
  trackFrames(request: TrackFramesRequest<ImageBitmap>): Promise<TrackFramesResult> {
    return this.serial(async () => {
      const t0 = performance.now();
      const sessions = this.sessions;
      const runtime = this.runtime;
      const image = pixelsOf(request.image);
      request.image.close();
      if (sessions === null || runtime === null) throw new Error('The segmentation model is not loaded');
      const trackers = request.trackIds.map((id) => {
        const tracker = this.trackers.get(id);
        if (tracker === undefined) throw new Error(`No track ${id}`);
        return tracker;
      });
      let encoderMs = 0;
      let encoderPasses = 0;
      let embedding = this.embeddings.get(request.frameKey);
      if (embedding === undefined) {
        const te = performance.now();
        embedding = await encodeImage(runtime, sessions.encoder, image);
        encoderMs = performance.now() - te;
        encoderPasses = 1;
        this.embeddings.set(request.frameKey, embedding);
      }
      const otherMs = performance.now() - t0 - encoderMs;
      const tracks: TrackFrameResult[] = [];
      for (const tracker of trackers) tracks.push(await this.stepTrack(tracker, image, embedding, runtime, sessions));
      return { tracks, encoderPasses, encoderMs, otherMs };
    });
  }

  /** One track's step on a frame whose embedding is computed. */
  private async stepTrack(tracker: Tracker, image: RgbaImage, embedding: SamEmbedding, runtime: OrtRuntime, sessions: SamSessions): Promise<TrackFrameResult> {
    const t0 = performance.now();
    let decoderMs = 0;
    // The tracker may ask for more than one decoder call on a frame (re-prompting where it lost the object).
    const { step, score } = await runTrackStep(tracker, { image, embedding: embedding.data }, async (prompt) => {
      const td = performance.now();
      const prediction = await decodeMask(runtime, sessions.decoder, embedding, prompt);
      decoderMs += performance.now() - td;
      return prediction;
    });
    const rle = step.mask === null ? null : encodeRle(step.mask);
    return { state: step.state, confidence: step.confidence, score, rle, decoderMs, otherMs: performance.now() - t0 - decoderMs };
  }

  endTrack(trackId: string): void {
    this.trackers.delete(trackId);
  }

  private async startRuntime(options: LoadOptions): Promise<Runtime> {
    const isolated = self.crossOriginIsolated === true;
    const threads = isolated ? (options.threads ?? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1))) : 1;
    const webgpu = !options.forceWasm && (await hasWebGpu());
    // Without WebGPU, the plain WASM build: its decoder runs ~28 % faster here than the default
    // build's (which carries the WebGPU glue), measured by bench:segment (134 vs 186 ms p50).
    const ort: OrtRuntime = webgpu ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm');
    // onnxruntime-web would pick ceil(cores / 2), i.e. one thread on a 2-core machine.
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.wasmPaths = new URL('ort/', options.assetBase).href;
    return { ort, webgpu, threads, isolated };
  }

  private async create(options: LoadOptions, encoder: EncoderKind, onProgress: (p: ModelLoadProgress) => void): Promise<SegmenterInfo> {
    const t0 = performance.now();
    const setup = this.setup ?? (await this.startRuntime(options));
    this.setup = setup;
    const { ort: runtime, webgpu, threads, isolated } = setup;
    // A swap downloads (or reads from the cache) the encoder only.
    const files = this.sessions === null ? [ENCODER_FILES[encoder], DECODER_FILE] : [ENCODER_FILES[encoder]];
    const progress = files.map(() => ({ loaded: 0, total: null as number | null }));
    let fromCache = true;
    const report = (): void => {
      const known = progress.every((p) => p.total !== null);
      onProgress({ loaded: progress.reduce((sum, p) => sum + p.loaded, 0), total: known ? progress.reduce((sum, p) => sum + p.total!, 0) : null });
    };
    const [encoderBytes, decoderBytes] = await Promise.all(
      files.map((file, i) =>
        fetchModelFile(new URL(file, options.assetBase).href, (p) => {
          progress[i] = { loaded: p.loaded, total: p.total };
          fromCache &&= p.fromCache;
          report();
        }),
      ),
    );
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      executionProviders: webgpu ? ['webgpu', 'wasm'] : ['wasm'],
      graphOptimizationLevel: 'all',
    };
    // If the runtime's thread workers cannot start (e.g. blocked by missing isolation headers),
    // session creation never settles; fail with a reason instead of spinning forever.
    const created = await withTimeout(
      (async () => ({
        encoder: await runtime.InferenceSession.create(encoderBytes!, sessionOptions),
        decoder: decoderBytes === undefined ? null : await runtime.InferenceSession.create(decoderBytes, { ...sessionOptions, executionProviders: ['wasm'] }),
      }))(),
      SESSION_TIMEOUT_MS,
      `onnxruntime did not start within ${SESSION_TIMEOUT_MS / 1000} s (${threads} WASM thread${threads === 1 ? '' : 's'}, cross-origin isolated: ${isolated})`,
    );
    const previous = this.sessions;
    this.sessions = { encoder: created.encoder, decoder: created.decoder ?? previous!.decoder };
    if (previous !== null) {
      // Embeddings of the other encoder would mix two models in one video's masks.
      this.embeddings.clear();
      await previous.encoder.release();
    }
    this.runtime = runtime;
    return { backend: webgpu ? 'webgpu' : 'wasm', threads, encoder, loadMs: performance.now() - t0, fromCache };
  }
}
