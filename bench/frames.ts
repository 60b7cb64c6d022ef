/**
 * Frame-decoding benchmark page (driven by scripts/bench-frames.mjs): times the app's real
 * FrameSource, the WebCodecs decoder in a worker, on one clip. Exposes `window.runFrameBench`.
 */
import type { FrameSource } from '../src/core/ports';
import { openWithElement } from '../src/adapters/video/elementFrameSource';
import { openInWorker, probeInWorker } from '../src/adapters/video/workerFrameSource';

export interface FrameBenchOptions {
  /** File name given to the opener (containers are detected from the bytes). */
  readonly name: string;
  /** How many random seeks to time. */
  readonly seeks: number;
  /** Seed of the PRNG that picks the seek targets (same seed, same targets). */
  readonly seed: number;
}

export interface FrameBenchResult {
  readonly clip: { width: number; height: number; frames: number; fps: number; durationS: number; codec: string; container: string; bytes: number };
  /** Opening a fresh source: worker start, demux + packet index, decoding frame 0. */
  readonly openMs: number;
  readonly sequentialFps: number;
  readonly sequentialS: number;
  readonly seeks: number;
  readonly seed: number;
  readonly seekMsP50: number;
  readonly seekMsP95: number;
  readonly seekMsMean: number;
  readonly seekMsMax: number;
  readonly seekMsMin: number;
  /** The same seeks through the media-element fallback (the baseline WebCodecs must beat). */
  readonly elementSeekMsP50: number;
  readonly elementSeekMsP95: number;
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly hardwareConcurrency: number;
}

declare global {
  interface Window {
    runFrameBench?: (url: string, options: FrameBenchOptions) => Promise<FrameBenchResult>;
  }
}

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percentile with linear interpolation between closest ranks (numpy's default). */
function percentile(sorted: readonly number[], p: number): number {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

async function open(blob: Blob, name: string): Promise<FrameSource<ImageBitmap>> {
  const result = await openInWorker(blob, name);
  if (!result.ok) throw new Error(`Could not open ${name}: ${JSON.stringify(result.facts)}`);
  return result.source;
}

async function runFrameBench(url: string, options: FrameBenchOptions): Promise<FrameBenchResult> {
  const name = options.name;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  const blob = await response.blob();

  // Untimed: loads the worker's modules, so openMs measures opening a video, not fetching code.
  await probeInWorker(blob, name);

  // Sequential decode from a freshly opened source.
  let t0 = performance.now();
  let source = await open(blob, name);
  const openMs = performance.now() - t0;
  const info = source.info;
  const frames = info.frameCount;
  console.info(`[bench] ${name}: opened in ${openMs.toFixed(0)} ms, ${frames} frames; decoding in order`);
  t0 = performance.now();
  try {
    for (let i = 0; i < frames; i++) (await source.getFrame(i)).image.close();
  } finally {
    source.close();
  }
  const sequentialS = (performance.now() - t0) / 1000;
  console.info(`[bench] ${name}: sequential ${(frames / sequentialS).toFixed(1)} fps; random seeks`);

  // Random seeks from a fresh source, so no frame is cached yet.
  const random = prng(options.seed);
  const targets = Array.from({ length: options.seeks }, () => Math.floor(random() * frames));
  source = await open(blob, name);
  const times: number[] = [];
  try {
    for (const index of targets) {
      t0 = performance.now();
      const frame = await source.getFrame(index);
      times.push(performance.now() - t0);
      frame.image.close();
    }
  } finally {
    source.close();
  }
  const sorted = [...times].sort((a, b) => a - b);

  // Baseline: the same targets through <video> seeking, with exact timestamps from the demuxer.
  const probe = await probeInWorker(blob, name);
  const element = await openWithElement(blob, name, probe.ok ? { info: probe.info, timestamps: probe.timestamps } : null);
  if (!element.ok) throw new Error(`The media element could not open ${name}: ${element.message}`);
  const elementTimes: number[] = [];
  try {
    for (const index of targets) {
      t0 = performance.now();
      const frame = await element.source.getFrame(index);
      elementTimes.push(performance.now() - t0);
      frame.image.close();
    }
  } finally {
    element.source.close();
  }
  const elementSorted = [...elementTimes].sort((a, b) => a - b);

  return {
    clip: {
      width: info.width,
      height: info.height,
      frames,
      fps: round(info.fps, 3),
      durationS: round(info.durationS, 3),
      codec: info.codec,
      container: info.container,
      bytes: blob.size,
    },
    openMs: round(openMs, 1),
    sequentialFps: round(frames / sequentialS, 1),
    sequentialS: round(sequentialS, 3),
    seeks: times.length,
    seed: options.seed,
    seekMsP50: round(percentile(sorted, 0.5)),
    seekMsP95: round(percentile(sorted, 0.95)),
    seekMsMean: round(times.reduce((a, b) => a + b, 0) / times.length),
    seekMsMax: round(sorted[sorted.length - 1]!),
    seekMsMin: round(sorted[0]!),
    elementSeekMsP50: round(percentile(elementSorted, 0.5)),
    elementSeekMsP95: round(percentile(elementSorted, 0.95)),
    userAgent: navigator.userAgent,
    crossOriginIsolated: self.crossOriginIsolated,
    hardwareConcurrency: navigator.hardwareConcurrency,
  };
}

window.runFrameBench = runFrameBench;
