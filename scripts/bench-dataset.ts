/**
 * bench:dataset — how the app copes with projects that are datasets (issue 14's Performance
 * section), in two halves, each in a fresh headless Debian Chromium with a persistent profile, the
 * production build served by vite preview, no sample video and the model off:
 *
 *   npm run bench:dataset -- --json [--only v2p|long] [--dist <build folder>] [--timeout 600] [--keyint 2]
 *
 * `v2p`: a generated V2P-Bench folder of 1,169 records over 980 short clips imported as a new
 * project (scripts/bench-dataset-v2p.ts has the folder and what it measures).
 *
 * `long`: one 2-hour 1280×720 H.264 file. It is made here, not kept in the repo: a 60 s ffmpeg
 * testsrc2 clip (ultrafast, key frame every 2 s or --keyint seconds, 1.2 Mbit/s) concatenated 120
 * times with the concat demuxer and `-c copy` (seconds, not an encode of 2 hours), `+faststart`;
 * cached in .bench-cache/long/. Measured:
 *   - openMs: setInputFiles on the Open video dialog's file input → the first frame drawn on the
 *     stage (the Konva frame image holds the store's frame 0, after one animation frame);
 *   - copy: opening a file makes it a project video whose file is copied into the browser's
 *     private file system (OPFS) right after the first frame (projectSlice.videoOpened →
 *     dataset.keepVideoFile → media.copy, streamed); first frame → copy done (the video's
 *     availability reads "copy"), MB/s, the longest main-thread task and the longest gap between
 *     animation frames meanwhile, and a seek to 1:00:00 made while the copy runs (is the page
 *     usable?); then what OPFS and navigator.storage.estimate() hold;
 *   - seeks to far-apart times with the "Go to time" box: Enter → that frame drawn;
 *   - sample64Ms: a question about an object (its mask put in through the store; the model is not
 *     what is measured) asked through the store's askQuestion, the action the Ask button performs,
 *     with nothing encoded before: Ask → the first request received by the endpoint test double
 *     (testing/fake-endpoint), which checks the request as vLLM would; the app's own "frames
 *     encoded" time and request start are given too;
 *   - reopenMs: reload → the first frame drawn again, the video read from its OPFS copy;
 *   - memory, sampled every 250 ms through all of it: the page's JS heap (CDP
 *     Performance.getMetrics JSHeapUsedSize: the main thread only) and, from /proc, the RSS of this
 *     Chromium's renderer process (the page, its workers' heaps and the WebCodecs decoders, which
 *     live outside the JS heap), of its GPU process and of the whole browser (IndexedDB and OPFS
 *     writes happen in the browser process). peakPageMemoryMB is the renderer's peak RSS.
 * Targets (issue 14): openMs ≤ 3000, sample64Ms ≤ 10000, peakPageMemoryMB ≤ 1024.
 *
 * Progress goes to stderr, the JSON (with --json) to stdout: `{v2p: {...}, long: {...}}`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { appBuildState, BenchError, freePort, round, withTimeout } from './bench-lib.mjs';
import { blockedBetween, frameDrawn, log, MEMORY_NOTE, now, openApp, profiled, storageUse } from './bench-dataset-page';
import { runV2p } from './bench-dataset-v2p';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    // A CPU profile of the main thread over the steps that block it: where the time goes (slows them).
    profile: { type: 'boolean', default: false },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    // Seconds between key frames: 2 s is kind to sampling (each sampled frame decodes ≤ 2 s of
    // video); x264's default is 250 frames (8.3 s at 30 fps), as many real files have.
    keyint: { type: 'string', default: '2' },
  },
});
if (opts.only !== undefined && opts.only !== 'v2p' && opts.only !== 'long') {
  console.error(`[bench:dataset] --only takes v2p or long, not ${JSON.stringify(opts.only)}`);
  process.exit(2);
}
const TIMEOUT_MS = Number(opts.timeout) * 1000;

const KEYINT_S = Number(opts.keyint);
const LONG = { name: `long-2h-720p-key${KEYINT_S}s.mp4`, clipS: 60, copies: 120, width: 1280, height: 720, fps: 30 } as const;

/** The 2-hour file, made once and cached (a few seconds of encoding plus a stream copy). */
function longVideo(): string {
  const dir = join(ROOT, '.bench-cache/long');
  const file = join(dir, LONG.name);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  const clip = join(dir, 'clip-60s.mp4');
  const ffmpeg = (args: string[]): void => void execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  log(`making a ${LONG.clipS} s ${LONG.width}x${LONG.height} clip…`);
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${LONG.width}x${LONG.height}:rate=${LONG.fps}:duration=${LONG.clipS}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', String(Math.round(KEYINT_S * LONG.fps)), '-keyint_min', String(Math.round(KEYINT_S * LONG.fps)),
    '-sc_threshold', '0', '-b:v', '1200k', '-maxrate', '1500k', '-bufsize', '3000k', clip,
  ]);
  const list = join(dir, 'concat.txt');
  writeFileSync(list, Array.from({ length: LONG.copies }, () => `file '${clip}'\n`).join(''));
  log(`concatenating it ${LONG.copies} times…`);
  const partial = `${file}.part.mp4`;
  ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', partial]);
  renameSync(partial, file);
  rmSync(clip);
  rmSync(list);
  return file;
}

/** Seeks with the "Go to time" box as a user types it; Enter → that frame drawn (ms). */
async function seekTo(page: Page, name: string, seconds: number): Promise<{ atS: number; frame: number; ms: number }> {
  const box = page.getByRole('textbox', { name: 'Go to time' });
  await box.fill(String(seconds));
  const t0 = await now(page);
  await box.press('Enter');
  const frame = await page.evaluate(() => window.__videoSeekerStore!.getState().video.frameIndex);
  const t1 = await frameDrawn(page, name, frame, TIMEOUT_MS);
  return { atS: seconds, frame, ms: round(t1 - t0, 0) };
}

/** The open video's file is copied into OPFS: its availability says so (set when media.copy resolved). */
const copied = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const d = window.__videoSeekerStore!.getState().dataset;
    const a = d.openVideoId === null ? undefined : d.availability[d.openVideoId];
    return a?.state === 'available' && a.keeping === 'copy';
  });

/** `profileDist`: --profile's build folder (its source maps place the hot functions), else null. */
async function runLong(base: string, profileDist: string | null): Promise<Record<string, unknown>> {
  const file = longVideo();
  const bytes = statSync(file).size;
  log(`long: ${file}: ${(bytes / 1e6).toFixed(0)} MB`);
  const cleanups: (() => unknown)[] = [];
  try {
    // Arrival times of chat requests, on this process's clock.
    const arrivals: number[] = [];
    const fake: FakeEndpoint = await startFakeEndpoint({
      chunkDelayMs: 0,
      script: 'direct',
      expectations: { video: { width: LONG.width, height: LONG.height, durationS: LONG.clipS * LONG.copies, fps: LONG.fps } },
      onRequest: (r) => {
        if (r.path.endsWith('/chat/completions')) arrivals.push(Date.now());
      },
    });
    cleanups.push(() => fake.close());
    const app = await openApp(base, '?sample=0&model=off', TIMEOUT_MS, (page) =>
      page.evaluate(() => {
        const s = window.__videoSeekerStore?.getState();
        if (!s) return null;
        const d = s.dataset;
        return { project: s.project.status, copy: d.openVideoId === null ? null : (d.availability[d.openVideoId] ?? null), message: d.message, frameIndex: s.video.frameIndex, frame: s.video.frame?.index ?? null, opening: s.video.opening?.label ?? null };
      }),
    );
    cleanups.push(() => app.close());
    const { page, probe } = app;
    await page.getByRole('button', { name: 'Open video' }).waitFor();
    await new Promise((r) => setTimeout(r, 500));

    // 1. Open: the file input → the first frame drawn.
    probe.phase = 'open';
    log('long: opening the 2-hour file…');
    await page.getByRole('button', { name: 'Open video' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open video' });
    const t0 = await now(page);
    const opening = async (): Promise<number> => {
      await dialog.getByLabel('Video file').setInputFiles(file);
      return frameDrawn(page, LONG.name, 0, TIMEOUT_MS);
    };
    const { result: shown, hot: openHot } = profileDist === null ? { result: await opening(), hot: null } : await profiled(page, profileDist, opening);
    const openMs = round(shown - t0, 0);
    const info = await page.evaluate(() => window.__videoSeekerStore!.getState().video.info!);
    log(`long: first frame drawn after ${openMs} ms (${info.frameCount} frames, ${info.durationS.toFixed(1)} s)`);

    // 2. The file is copied into OPFS; meanwhile a seek, and how blocked the page is.
    probe.phase = 'copy';
    const copiedAtFirstFrame = await copied(page);
    const seekDuringCopy = await seekTo(page, LONG.name, 3600);
    const copiedAfterSeek = await copied(page);
    await page.waitForFunction(
      () => {
        const s = window.__videoSeekerStore!.getState();
        const d = s.dataset;
        const a = d.openVideoId === null ? undefined : d.availability[d.openVideoId];
        // A failed copy is said in dataset.message and marks the video missing: stop waiting.
        return (a?.state === 'available' && a.keeping === 'copy' && s.project.status === 'saved') || a?.state === 'missing';
      },
      null,
      { timeout: TIMEOUT_MS, polling: 50 },
    );
    const copyDone = await now(page);
    if (!(await copied(page))) throw new BenchError(`long: the copy into OPFS failed: ${await page.evaluate(() => window.__videoSeekerStore!.getState().dataset.message)}`);
    const copyMs = round(copyDone - shown, 0);
    log(`long: copied into OPFS ${copyMs} ms after the first frame`);
    const copyBlocking = await blockedBetween(page, shown, copyDone);
    const storage = await storageUse(page);

    // 3. Seeks far apart, as typed in the "Go to time" box.
    probe.phase = 'seek';
    const seeks = [];
    for (const s of [1800, 7190, 10, 5400.5, 3599]) seeks.push(await seekTo(page, LONG.name, s));
    log(`long: seeks: ${JSON.stringify(seeks)}`);
    const pageBlocked = await blockedBetween(page, t0, await now(page));

    // 4. Ask: 64 frames sampled over 2 hours and encoded, nothing encoded before.
    probe.phase = 'ask';
    await page.evaluate(() => window.__videoSeekerStore!.getState().seek(0));
    await frameDrawn(page, LONG.name, 0, TIMEOUT_MS);
    await page.evaluate(
      ({ endpoint, width, height }) => {
        const s = window.__videoSeekerStore!.getState();
        // A 60x120 px object at (200, 100) on frame 0 (column-major COCO RLE).
        const counts: number[] = [200 * height + 100];
        for (let x = 0; x < 60; x++) counts.push(120, x === 59 ? 0 : height - 120);
        const total = counts.reduce((a, b) => a + b, 0);
        counts[counts.length - 1] = width * height - (total - counts[counts.length - 1]!);
        s.loadAnnotations({
          instances: [{ id: 'bench', name: 'Object 1', color: '#ff3b30', visible: true }],
          activeId: 'bench',
          frames: { 'bench@0': { prompts: [], mask: { rle: { size: [height, width], counts }, score: 1 } } },
        });
        s.updateSettings({ baseUrl: endpoint, model: '', imageFormat: 'jpeg', stream: true });
      },
      { endpoint: fake.url, width: info.width, height: info.height },
    );
    const askT0 = Date.now();
    const appAsk = page.evaluate(async () => {
      const store = window.__videoSeekerStore!;
      const before = store.getState().ask.queries.length;
      const p0 = performance.now();
      const w0 = Date.now();
      let framesAt = NaN;
      const unsubscribe = store.subscribe((st) => {
        const q = st.ask.queries[before];
        if (Number.isNaN(framesAt) && q && q.trajectory.frames.length > 0) framesAt = performance.now();
      });
      // The question is set and asked at once: the frames cannot have been encoded while typing.
      store.getState().setDraft({ question: 'What is <vp> doing over the whole video?', vpType: 'rectangle' });
      await store.getState().askQuestion();
      const id = store.getState().ask.queries[before]!.id;
      const query = () => store.getState().ask.queries.find((q) => q.id === id)!;
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (!store.getState().ask.running.includes(id) && query().trajectory.status !== 'preparing') resolve();
          else setTimeout(check, 50);
        };
        check();
      });
      unsubscribe();
      const t = query().trajectory;
      return {
        framesEncodedMs: framesAt - p0,
        requestStartedMs: t.rounds[0] ? t.rounds[0].startedAt - w0 : NaN,
        frames: t.frames.length,
        frameSize: t.frames[0] ? `${t.frames[0].width}x${t.frames[0].height}` : '',
        status: `${t.status}${t.problems.length ? `: ${t.problems.map((p) => p.message).join('; ')}` : ''}`,
      };
    });
    const asked = await withTimeout(appAsk, TIMEOUT_MS, 'The question');
    const firstArrival = arrivals.find((a) => a >= askT0);
    if (firstArrival === undefined || !asked.status.startsWith('done')) throw new BenchError(`The question did not reach the endpoint double: ${asked.status}`);
    const problems = fake.requests().flatMap((r) => [...r.problems, ...(r.rejected ? [r.rejected] : [])]);
    if (problems.length > 0) throw new BenchError(`The endpoint double found problems: ${problems.slice(0, 3).join(' | ')}`);
    const sample64Ms = firstArrival - askT0;
    log(`long: Ask → request at the double: ${sample64Ms} ms (${asked.frames} frames ${asked.frameSize}; encoded after ${round(asked.framesEncodedMs, 0)} ms)`);

    // 5. Reload: the project comes back, its video read from the OPFS copy.
    probe.phase = 'reopen';
    const r0 = Date.now();
    await page.reload();
    await frameDrawn(page, LONG.name, 0, TIMEOUT_MS);
    const reopenMs = Date.now() - r0;
    // Where the file came from: the availability check runs after the project opened.
    const reopenedFrom = await page
      .waitForFunction(
        () => {
          const d = window.__videoSeekerStore!.getState().dataset;
          return (d.openVideoId !== null && d.availability[d.openVideoId]) || false;
        },
        null,
        { timeout: 10_000, polling: 50 },
      )
      .then((h) => h.jsonValue())
      .catch(() => null);
    log(`long: reopened in ${reopenMs} ms (${JSON.stringify(reopenedFrom)})`);
    await new Promise((r) => setTimeout(r, 1000));
    await probe.stop();

    const all = probe.peaks();
    return {
      file: `${LONG.width}x${LONG.height} H.264 ${LONG.fps} fps, key frame every ${KEYINT_S} s, ${(bytes / 1e6).toFixed(0)} MB`,
      durationS: round(info.durationS, 1),
      frameCount: info.frameCount,
      openMs,
      sample64Ms,
      peakPageMemoryMB: all.rendererMb,
      sample: { ...asked, framesEncodedMs: round(asked.framesEncodedMs, 0), requestAtDoubleMs: sample64Ms, via: 'store askQuestion (the Ask action), endpoint test double' },
      copy: {
        into: 'OPFS (media.copy, streamed)',
        firstFrameToCopiedMs: copyMs,
        mbPerS: round(bytes / 1e6 / (copyMs / 1000), 1),
        copiedAtFirstFrame,
        seekDuringCopy: { ...seekDuringCopy, copyStillRunning: !copiedAfterSeek },
        ...copyBlocking,
        storage,
      },
      seeks,
      reopenMs,
      reopenedFrom,
      // Open to the last seek: the longest the page could not respond at all.
      pageBlocked,
      memoryPeaksMb: { all, beforeOpen: probe.peaks('start'), open: probe.peaks('open'), copy: probe.peaks('copy'), seek: probe.peaks('seek'), ask: probe.peaks('ask'), reopen: probe.peaks('reopen') },
      memoryNote: MEMORY_NOTE,
      ...(openHot === null ? {} : { profile: { note: 'main thread, most self time; profiled run: its figures are slowed by the profiler', open: openHot } }),
      targets: { openMs: 3000, sample64Ms: 10000, peakPageMemoryMB: 1024 },
    };
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => round(x, 2));
  const { build, preview } = await import('vite');
  let outDir = opts.dist ?? join(ROOT, '.bench-cache/dataset-dist');
  if (opts.dist === undefined && appBuildState(ROOT, outDir) !== 'fresh') {
    log(`building the app into ${outDir}…`);
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  outDir = outDir.startsWith('/') ? outDir : join(ROOT, outDir);
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
  try {
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
    const result: Record<string, unknown> = {};
    if (opts.only !== 'long') result.v2p = await runV2p(ROOT, base, { timeoutMs: TIMEOUT_MS, profileDist: opts.profile ? outDir : null });
    if (opts.only !== 'v2p') result.long = await runLong(base, opts.profile ? outDir : null);
    // Debian's wrapper script says something on stderr: only stdout is the version.
    result.chromium = execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    result.machineLoad = { before: loadBefore, after: loadavg().map((x) => round(x, 2)), cores: cpus().length };
    result.build = outDir;
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else log(JSON.stringify(result, null, 2));
  } finally {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof BenchError ? `[bench:dataset] ${e.message}` : e);
    process.exit(1);
  },
);
