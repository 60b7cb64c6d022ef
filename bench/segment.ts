/**
 * Segmentation benchmark page (driven by scripts/bench-segment.mjs): times the app's real
 * Segment-Anything path, `createWorkerSegmenter` (SegmentationService on onnxruntime-web in a
 * worker), on DAVIS frames: model loading cold and from Cache Storage, the encoder on fresh
 * frames, the decoder on a frame whose embedding is cached, and a click until its mask is painted
 * on a canvas (as the app's MaskLayer does). Exposes `window.runSegmentBench`; the raw timings go
 * back to the script, which computes the statistics.
 */
import { MODEL_CACHE } from '../src/adapters/segmentation/modelFiles';
import { createWorkerSegmenter } from '../src/adapters/segmentation/workerSegmenter';
import { traceContours } from '../src/core/mask/contour';
import { decodeRle, type Rle } from '../src/core/mask/rle';
import type { SegmentRequest, SegmentResult, Segmenter, SegmenterInfo } from '../src/core/ports';
import type { BoxPrompt, PointPrompt, SamPrompt } from '../src/core/segmentation/samDecoderIo';

export interface SegmentBenchOptions {
  /** Frame URLs: [0] is the decoder frame (encoded first, untimed); the others are timed encodes. */
  readonly frameUrls: readonly string[];
  /** WASM threads; null lets the service decide (min(4, cores)). */
  readonly threads: number | null;
  /** Skip WebGPU even when an adapter exists. */
  readonly forceWasm: boolean;
  /** Timed decoder runs per prompt kind. */
  readonly decoderRuns: number;
  readonly prompts: {
    readonly point1: SamPrompt;
    readonly points5: SamPrompt;
    readonly box: BoxPrompt;
  };
  /** One positive point per timed click. */
  readonly clicks: readonly PointPrompt[];
}

export interface LoadRun {
  /** The service's own figure: reading or downloading the files and creating the sessions. */
  readonly loadMs: number;
  /** From creating the segmenter (worker start, module loading) until load() resolved. */
  readonly wallMs: number;
  readonly fromCache: boolean;
}

export interface SegmentBenchResult {
  readonly backend: SegmenterInfo['backend'];
  readonly threads: number;
  readonly load: { readonly cold: LoadRun; readonly cached: LoadRun };
  readonly image: { readonly width: number; readonly height: number };
  /** The first encode (decoder frame): includes one-time warm-up work, not in encoderMs. */
  readonly encoderWarmupMs: number;
  readonly encoderMs: readonly number[];
  readonly decoderMs: { readonly point1: readonly number[]; readonly points5: readonly number[]; readonly boxMask: readonly number[] };
  /** segment() called → RLE decoded and painted with putImageData. */
  readonly clickToMaskMs: readonly number[];
  /** The same plus tracing the outline (MaskLayer also does it before the mask shows). */
  readonly clickToOutlineMs: readonly number[];
  /** The service's decoderMs of the same clicks. */
  readonly clickDecoderMs: readonly number[];
  /** Last mask and score of each decoder series (compared with the native run). */
  readonly masks: {
    readonly point1: { readonly rle: Rle; readonly score: number };
    readonly points5: { readonly rle: Rle; readonly score: number };
    readonly boxMask: { readonly rle: Rle; readonly score: number };
  };
  /** The unrefined box prediction that primed the box + mask series. */
  readonly boxPrimeScore: number;
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
}

declare global {
  interface Window {
    runSegmentBench?: (options: SegmentBenchOptions) => Promise<SegmentBenchResult>;
  }
}

const DECODER_FRAME = 'bench#0';

function request(frameKey: string, image: ImageBitmap | null, prompt: SamPrompt, refineFrom: string | null, storeAs: string | null): SegmentRequest<ImageBitmap> {
  return { frameKey, image, prompt, refineFrom, storeAs };
}

async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return response.blob();
}

async function load(options: SegmentBenchOptions, label: string): Promise<{ segmenter: Segmenter<ImageBitmap>; run: LoadRun; info: SegmenterInfo }> {
  const t0 = performance.now();
  const segmenter = createWorkerSegmenter({
    assetBase: new URL('/', location.href).href,
    forceWasm: options.forceWasm,
    ...(options.threads === null ? {} : { threads: options.threads }),
  });
  let reported = 0;
  try {
    const info = await segmenter.load((p) => {
      if (p.total === null || p.total === 0) return;
      const quarter = Math.floor((4 * p.loaded) / p.total);
      if (quarter > reported) {
        reported = quarter;
        console.info(`[bench] ${label} load: ${(p.loaded / 1e6).toFixed(1)} of ${(p.total / 1e6).toFixed(1)} MB`);
      }
    });
    const wallMs = performance.now() - t0;
    console.info(`[bench] ${label} load: ${info.backend}, ${info.threads} threads, ${info.loadMs.toFixed(0)} ms, fromCache=${info.fromCache}`);
    return { segmenter, run: { loadMs: info.loadMs, wallMs, fromCache: info.fromCache }, info };
  } catch (e) {
    segmenter.dispose();
    throw e;
  }
}

function expectCachedEmbedding(result: SegmentResult, what: string): void {
  if (result.encoderMs !== 0) throw new Error(`${what}: the encoder ran (${result.encoderMs.toFixed(0)} ms) although the frame's embedding should be cached`);
}

/** What MaskLayer does with a new mask: decode the RLE, fill an ImageData, put it on a canvas. */
function paint(canvas: HTMLCanvasElement, rle: Rle): ReturnType<typeof decodeRle> {
  const mask = decodeRle(rle);
  if (canvas.width !== mask.width || canvas.height !== mask.height) {
    canvas.width = mask.width;
    canvas.height = mask.height;
  }
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(mask.width, mask.height);
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i]) img.data.set([30, 144, 255, 110], i * 4);
  }
  ctx.putImageData(img, 0, 0);
  return mask;
}

async function runSegmentBench(options: SegmentBenchOptions): Promise<SegmentBenchResult> {
  if (options.frameUrls.length < 2) throw new Error('Need the decoder frame and at least one frame to time the encoder on');
  const blobs = await Promise.all(options.frameUrls.map(fetchBlob));
  const bitmap = (i: number): Promise<ImageBitmap> => createImageBitmap(blobs[i]!);
  const probe = await bitmap(0);
  const image = { width: probe.width, height: probe.height };
  probe.close();

  // Cold: no model files in Cache Storage, so they are downloaded (and stored).
  await caches.delete(MODEL_CACHE);
  const cold = await load(options, 'cold');
  cold.segmenter.dispose();
  if (cold.run.fromCache) throw new Error('The cold load reported fromCache=true after the model cache was deleted');

  // Cached: a second segmenter (a fresh worker, as after a reload) reads the files from the cache.
  const { segmenter, run: cached, info } = await load(options, 'cached');
  try {
    if (!cached.fromCache) throw new Error('The second load did not come from Cache Storage (fromCache=false)');

    // The decoder frame first: its encode also warms up the runtime, so it is kept apart.
    const warm = await segmenter.segment(request(DECODER_FRAME, await bitmap(0), options.prompts.point1, null, null));
    if (!(warm.encoderMs > 0)) throw new Error('The first segment() on a new frame did not run the encoder');
    console.info(`[bench] warm-up encode ${warm.encoderMs.toFixed(0)} ms`);

    const encoderMs: number[] = [];
    for (let i = 1; i < options.frameUrls.length; i++) {
      const result = await segmenter.segment(request(`bench#${i}`, await bitmap(i), options.prompts.point1, null, null));
      if (!(result.encoderMs > 0)) throw new Error(`Frame ${i} did not run the encoder`);
      encoderMs.push(result.encoderMs);
      console.info(`[bench] encode frame ${i}: ${result.encoderMs.toFixed(0)} ms`);
    }
    if (!(await segmenter.hasEmbedding(DECODER_FRAME))) throw new Error('The decoder frame lost its embedding');

    const series = async (name: string, prompt: SamPrompt): Promise<{ times: number[]; last: SegmentResult }> => {
      const times: number[] = [];
      let last: SegmentResult | null = null;
      for (let i = 0; i < options.decoderRuns; i++) {
        last = await segmenter.segment(request(DECODER_FRAME, null, prompt, null, null));
        expectCachedEmbedding(last, name);
        times.push(last.decoderMs);
      }
      console.info(`[bench] decoder ${name}: ${times.length} runs`);
      return { times, last: last! };
    };
    const point1 = await series('point1', options.prompts.point1);
    const points5 = await series('points5', options.prompts.points5);

    // Box + mask: a box prediction is stored, then every run refines the previous one (mask_input).
    const boxPrompt: SamPrompt = { points: [], box: options.prompts.box };
    const prime = await segmenter.segment(request(DECODER_FRAME, null, boxPrompt, null, 'bench-box'));
    const boxTimes: number[] = [];
    let boxLast = prime;
    for (let i = 0; i < options.decoderRuns; i++) {
      boxLast = await segmenter.segment(request(DECODER_FRAME, null, boxPrompt, 'bench-box', 'bench-box'));
      expectCachedEmbedding(boxLast, 'boxMask');
      boxTimes.push(boxLast.decoderMs);
      // Without mask_input the decoder is deterministic: an identical first result means it was not fed.
      if (i === 0 && boxLast.score === prime.score && boxLast.rle.counts.join() === prime.rle.counts.join()) {
        throw new Error('Refining gave exactly the unrefined box prediction: the stored logits were not fed back as mask_input');
      }
    }
    console.info(`[bench] decoder boxMask: ${boxTimes.length} runs`);

    // Click to painted mask, on the main thread, as the UI sees it.
    const canvas = document.getElementById('mask') as HTMLCanvasElement | null;
    if (!canvas) throw new Error('bench/segment.html has no #mask canvas');
    const clickToMaskMs: number[] = [];
    const clickToOutlineMs: number[] = [];
    const clickDecoderMs: number[] = [];
    for (let i = 0; i < options.clicks.length; i++) {
      const t0 = performance.now();
      const result = await segmenter.segment(request(DECODER_FRAME, null, { points: [options.clicks[i]!] }, null, `bench-click-${i}`));
      const mask = paint(canvas, result.rle);
      const t1 = performance.now();
      traceContours(mask);
      const t2 = performance.now();
      expectCachedEmbedding(result, 'click');
      clickToMaskMs.push(t1 - t0);
      clickToOutlineMs.push(t2 - t0);
      clickDecoderMs.push(result.decoderMs);
      // A pause between clicks, as a person leaves one.
      await new Promise((r) => setTimeout(r, 20));
    }
    console.info(`[bench] clicks: ${clickToMaskMs.length}`);

    const keep = (r: SegmentResult) => ({ rle: r.rle, score: r.score });
    return {
      backend: info.backend,
      threads: info.threads,
      load: { cold: cold.run, cached },
      image,
      encoderWarmupMs: warm.encoderMs,
      encoderMs,
      decoderMs: { point1: point1.times, points5: points5.times, boxMask: boxTimes },
      clickToMaskMs,
      clickToOutlineMs,
      clickDecoderMs,
      masks: { point1: keep(point1.last), points5: keep(points5.last), boxMask: keep(boxLast) },
      boxPrimeScore: prime.score,
      userAgent: navigator.userAgent,
      crossOriginIsolated: self.crossOriginIsolated,
      hardwareConcurrency: navigator.hardwareConcurrency,
    };
  } finally {
    segmenter.dispose();
  }
}

window.runSegmentBench = runSegmentBench;
