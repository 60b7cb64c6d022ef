#!/usr/bin/env node
/**
 * Frame-decoding benchmark: how fast the app's real FrameSource (WebCodecs in a worker) decodes a
 * 1280x720 clip in headless Chromium, in order and at random seek targets.
 *
 *   npm run bench:frames                 # human-readable table
 *   npm run bench:frames -- --json       # only the JSON result on stdout
 *
 * Options:
 *   --json             print only the JSON object on stdout (progress always goes to stderr)
 *   --clip <path>      benchmark this file instead of the generated H.264 clip (skips VP9 unless
 *                      --vp9-clip is given too)
 *   --vp9-clip <path>  use this file as the VP9 clip
 *   --no-vp9           skip the VP9 run
 *   --seeks <n>        random seeks per clip (default 100)
 *   --seed <n>         PRNG seed for the seek targets (default 20240601)
 *   --timeout <s>      give up after this many seconds per clip (default 150)
 *
 * The clips are made with ffmpeg from ../shared/fixtures/videos/vtest.mp4 (scaled to 1280x720, a
 * key frame every second) and cached in .bench-cache/. Chromium: CHROMIUM_PATH or /usr/bin/chromium.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchError, freePort, launchChromium, withTimeout } from './bench-lib.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = join(ROOT, '.bench-cache');
const SOURCE_CLIP = resolve(ROOT, '../shared/fixtures/videos/vtest.mp4');
const CLIP_PREFIX = '/__bench/clips/';

// stdout carries only the result; everything else (ours, Vite's, Playwright's) goes to stderr.
const writeOut = (text) => process.stdout.write(text);
console.log = console.error;
console.info = console.error;
const log = (msg) => console.error(`[bench:frames] ${msg}`);


function parseOptions() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        clip: { type: 'string' },
        'vp9-clip': { type: 'string' },
        'no-vp9': { type: 'boolean', default: false },
        seeks: { type: 'string', default: '100' },
        seed: { type: 'string', default: '20240601' },
        timeout: { type: 'string', default: '150' },
      },
      strict: true,
    });
  } catch (e) {
    throw new BenchError(`${e.message} (see the options at the top of scripts/bench-frames.mjs)`);
  }
  const { values } = parsed;
  const int = (name, min) => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new BenchError(`--${name} must be an integer >= ${min}, got "${values[name]}"`);
    return n;
  };
  return {
    json: values.json,
    clip: values.clip === undefined ? null : resolve(values.clip),
    vp9Clip: values['vp9-clip'] === undefined ? null : resolve(values['vp9-clip']),
    vp9: !values['no-vp9'],
    seeks: int('seeks', 1),
    seed: int('seed', 0),
    timeoutMs: int('timeout', 1) * 1000,
  };
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error.code === 'ENOENT' ? new BenchError(`${cmd} is not installed: ffmpeg and ffprobe are needed to prepare the benchmark clip (or pass --clip <path>)`) : r.error;
  if (r.status !== 0) throw new BenchError(`${cmd} failed (exit ${r.status}):\n${r.stderr.trim()}`);
  return r.stdout;
}

/** Frame rate of the source as ffmpeg reads it, e.g. 10. */
function sourceFps(file) {
  const rate = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=r_frame_rate', '-of', 'csv=p=0', file]).trim();
  const [num, den = '1'] = rate.split('/');
  const fps = Number(num) / Number(den);
  if (!(fps > 0)) throw new BenchError(`Cannot read the frame rate of ${file} ("${rate}")`);
  return fps;
}

/** Encodes the 1280x720 benchmark clip once; later runs reuse the cached file. */
function prepareClip(kind) {
  const out = join(CACHE, kind === 'h264' ? 'bench-720p.mp4' : 'bench-720p-vp9.webm');
  if (existsSync(out)) {
    log(`using cached ${basename(out)}`);
    return out;
  }
  if (!existsSync(SOURCE_CLIP)) throw new BenchError(`Source footage not found: ${SOURCE_CLIP} (pass --clip <path> to use another file)`);
  const gop = String(Math.max(1, Math.round(sourceFps(SOURCE_CLIP)))); // a key frame every second
  const codec =
    kind === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-bf', '2', '-sc_threshold', '0', '-movflags', '+faststart']
      : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-crf', '32', '-b:v', '0'];
  mkdirSync(CACHE, { recursive: true });
  const tmp = `${out}.partial${extname(out)}`;
  log(`encoding ${basename(out)} from ${basename(SOURCE_CLIP)} with ffmpeg (one time)...`);
  try {
    run('ffmpeg', ['-y', '-nostdin', '-loglevel', 'error', '-i', SOURCE_CLIP, '-vf', 'scale=1280:720', ...codec, '-pix_fmt', 'yuv420p', '-g', gop, '-keyint_min', gop, '-an', tmp]);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  return out;
}

/** Mean distance between key frames in seconds, from the container's packet flags (null if unknown). */
function keyframeIntervalS(file) {
  try {
    const lines = run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,flags', '-of', 'csv=p=0', file]).split('\n');
    const keys = lines
      .map((l) => l.split(','))
      .filter(([t, flags]) => flags?.includes('K') && t !== 'N/A' && t !== '')
      .map(([t]) => Number(t))
      .sort((a, b) => a - b);
    if (keys.length < 2) return null;
    return Number(((keys[keys.length - 1] - keys[0]) / (keys.length - 1)).toFixed(3));
  } catch (e) {
    log(`cannot read key frames of ${basename(file)}: ${e.message}`);
    return null;
  }
}

const CONTENT_TYPES = { '.mp4': 'video/mp4', '.m4v': 'video/mp4', '.mov': 'video/quicktime', '.webm': 'video/webm', '.mkv': 'video/x-matroska' };

/** Serves the clips (wherever they are on disk) at /__bench/clips/<n>.<ext>. */
function clipPlugin(clips) {
  return {
    name: 'bench-clips',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0];
        if (!path.startsWith(CLIP_PREFIX)) return next();
        const file = clips.get(path);
        if (file === undefined) {
          res.statusCode = 404;
          res.end('No such benchmark clip');
          return;
        }
        res.setHeader('Content-Type', CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        createReadStream(file).pipe(res);
      });
    },
  };
}

function printTable(result) {
  const rows = [['', result.clip.file, ...(result.vp9 ? [result.vp9.clip.file] : [])]];
  const runs = [result, ...(result.vp9 ? [result.vp9] : [])];
  const add = (label, get) => rows.push([label, ...runs.map((r) => String(get(r)))]);
  add('clip', (r) => `${r.clip.width}x${r.clip.height} ${r.clip.frames} fr @ ${r.clip.fps} fps`);
  add('codec', (r) => r.clip.codec);
  add('key frame every (s)', (r) => r.clip.keyframeIntervalS ?? '?');
  add('open (ms)', (r) => r.openMs);
  add('sequential (fps)', (r) => r.sequentialFps);
  add(`seek p50 (ms)`, (r) => r.seekMsP50);
  add(`seek p95 (ms)`, (r) => r.seekMsP95);
  add(`seek mean (ms)`, (r) => r.seekMsMean);
  add(`seek max (ms)`, (r) => r.seekMsMax);
  add(`<video> seek p50 (ms)`, (r) => r.elementSeekMsP50);
  add(`<video> seek p95 (ms)`, (r) => r.elementSeekMsP95);
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  writeOut(`Frame decoding, ${result.browser}, ${result.hardwareConcurrency} threads, crossOriginIsolated=${result.crossOriginIsolated}\n`);
  writeOut(`${result.seeks} random seeks (seed ${result.seed}) on a fresh source\n\n`);
  writeOut(`${rows.map(line).join('\n')}\n`);
}

async function main() {
  const options = parseOptions();
  const started = Date.now();

  const clips = [{ kind: 'h264', file: options.clip ?? prepareClip('h264') }];
  if (options.vp9Clip) clips.push({ kind: 'vp9', file: options.vp9Clip });
  else if (options.vp9 && !options.clip) clips.push({ kind: 'vp9', file: prepareClip('vp9') });
  for (const c of clips) {
    if (!existsSync(c.file)) throw new BenchError(`Clip not found: ${c.file}`);
    c.url = `${CLIP_PREFIX}${clips.indexOf(c)}${extname(c.file).toLowerCase()}`;
    c.keyframeIntervalS = keyframeIntervalS(c.file);
  }

  const { createServer } = await import('vite');

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
      cacheDir: join(ROOT, 'node_modules/.vite-bench'),
      optimizeDeps: { entries: ['bench/frames.html'], include: ['comlink', 'mediabunny'] },
      server: { host: '127.0.0.1', port: await freePort(), strictPort: false, hmr: false, watch: null, open: false },
      plugins: [clipPlugin(new Map(clips.map((c) => [c.url, c.file])))],
    });
    await server.listen();
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('The Vite dev server did not report its address');
    log(`serving at ${base}`);

    browser = await launchChromium();
    const results = {};
    for (const c of clips) {
      // A fresh page per clip, so one run's leftovers (memory, GC debt) do not slow the next.
      log(`${c.kind}: ${basename(c.file)}`);
      const page = await browser.newPage();
      try {
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning' || m.text().startsWith('[bench]')) console.error(`  page ${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
        await page.goto(new URL('bench/frames.html', base).href);
        await page.waitForFunction(() => typeof window.runFrameBench === 'function', null, { timeout: 60_000 });
        results[c.kind] = await withTimeout(
          page.evaluate(([url, opts]) => window.runFrameBench(url, opts), [c.url, { name: basename(c.file), seeks: options.seeks, seed: options.seed }]),
          options.timeoutMs,
          `The ${c.kind} run`,
        );
      } finally {
        await page.close().catch(() => undefined);
      }
    }

    const shape = (r, c) => ({
      clip: {
        file: basename(c.file),
        width: r.clip.width,
        height: r.clip.height,
        frames: r.clip.frames,
        fps: r.clip.fps,
        durationS: r.clip.durationS,
        keyframeIntervalS: c.keyframeIntervalS,
        codec: r.clip.codec,
        container: r.clip.container,
        bytes: r.clip.bytes,
      },
      openMs: r.openMs,
      sequentialFps: r.sequentialFps,
      sequentialS: r.sequentialS,
      seekMsP50: r.seekMsP50,
      seekMsP95: r.seekMsP95,
      seekMsMean: r.seekMsMean,
      seekMsMax: r.seekMsMax,
      seekMsMin: r.seekMsMin,
      elementSeekMsP50: r.elementSeekMsP50,
      elementSeekMsP95: r.elementSeekMsP95,
    });
    const main = results.h264;
    const result = {
      ...shape(main, clips[0]),
      seeks: main.seeks,
      seed: main.seed,
      browser: `Chromium ${browser.version()} (headless)`,
      userAgent: main.userAgent,
      crossOriginIsolated: main.crossOriginIsolated,
      hardwareConcurrency: main.hardwareConcurrency,
      ...(results.vp9 ? { vp9: shape(results.vp9, clips[1]) } : {}),
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
    console.error(`bench:frames failed: ${e instanceof BenchError ? e.message : (e?.stack ?? e)}`);
    process.exit(1);
  },
);
