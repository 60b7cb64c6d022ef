/**
 * bench:dataset — how the app copes with long videos, the measure for projects that hold datasets
 * of many videos.
 *
 *   npm run bench:dataset -- --json [--dist <build folder>] [--timeout 600]
 *
 * Only the `long` half exists for now: one 2-hour 1280×720 H.264 file. The `dataset` half (many
 * videos in one project) comes with the project redesign that makes projects hold datasets.
 *
 * The 2-hour file is made here, not kept in the repo: a 60 s ffmpeg testsrc2 clip (ultrafast,
 * key frame every 2 s or --keyint seconds, 1.2 Mbit/s) concatenated 120 times with the concat demuxer and `-c copy`
 * (seconds, not an encode of 2 hours), `+faststart`; cached in .bench-cache/long/.
 *
 * It serves the production build (vite preview), opens the app in headless Debian Chromium with
 * no sample video and the model off, and measures:
 *   - openMs: setInputFiles on the Open video dialog's file input → the first frame drawn on the
 *     stage (the Konva frame image holds the store's frame 0, after one animation frame);
 *   - save: the project stores the video Blob in IndexedDB right after opening
 *     (projectSlice.storeVideo → idbProjectRepository.saveVideo); first frame → project saved,
 *     the longest main-thread task and the longest gap between animation frames meanwhile (is the
 *     page usable?), and a seek to 1:00:00 made while that save runs;
 *   - seeks to far-apart times with the "Go to time" box: Enter → that frame drawn;
 *   - sample64Ms: a question about an object (its mask put in through the store; the model is not
 *     what is measured) asked through the store's askQuestion, the action the Ask button performs,
 *     with nothing encoded before: Ask → the first request received by the endpoint test double
 *     (testing/fake-endpoint), which checks the request as vLLM would; the app's own "frames
 *     encoded" time and request start are given too;
 *   - reopenMs: reload → the stored video's first frame drawn again (read back from IndexedDB);
 *   - memory, sampled every 250 ms through all of it: the page's JS heap (CDP
 *     Performance.getMetrics JSHeapUsedSize: the main thread only) and, from /proc, the RSS of this
 *     Chromium's renderer process (the page, its workers' heaps and the WebCodecs decoders, which
 *     live outside the JS heap), of its GPU process and of the whole browser (IndexedDB and blob
 *     storage live in the browser process). peakPageMemoryMB is the renderer's peak RSS.
 * Targets (the dataset issue): openMs ≤ 3000, sample64Ms ≤ 10000, peakPageMemoryMB ≤ 1024.
 * Progress goes to stderr, the JSON (with --json) to stdout.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type CDPSession, type Page } from '@playwright/test';
import type { AppStore } from '../src/store/appStore';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { appBuildState, BenchError, CHROMIUM_ARGS, freePort, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
    __benchLongTasks?: { start: number; ms: number }[];
    __benchFrameGaps?: { at: number; ms: number }[];
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '600' },
    // Seconds between key frames: 2 s is kind to sampling (each sampled frame decodes ≤ 2 s of
    // video); x264's default is 250 frames (8.3 s at 30 fps), as many real files have.
    keyint: { type: 'string', default: '2' },
  },
});
const TIMEOUT_MS = Number(opts.timeout) * 1000;
const log = (m: string): void => console.error(`[bench:dataset] ${m}`);

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

// ---- memory: CDP for the JS heap, /proc for the processes of this Chromium --------------------

interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly cmdline: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // The process ended while it was read.
    }
  }
  return out;
}

/** Processes descended from this node process: the Chromium Playwright started (others' browsers are not). */
function ourChromium(): Proc[] {
  const all = processes();
  const mine = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of all) {
      if (!mine.has(p.pid) && mine.has(p.ppid)) {
        mine.add(p.pid);
        grew = true;
      }
    }
  }
  return all.filter((p) => p.pid !== process.pid && mine.has(p.pid) && /chrom/i.test(p.cmdline));
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

interface MemorySample {
  readonly at: number;
  readonly phase: string;
  readonly jsHeapMb: number;
  readonly rendererMb: number;
  readonly gpuMb: number;
  readonly browserTotalMb: number;
}

class MemoryProbe {
  readonly samples: MemorySample[] = [];
  phase = 'start';
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(private cdp: CDPSession) {}

  async start(): Promise<void> {
    await this.cdp.send('Performance.enable');
    this.loop = (async () => {
      while (this.running) {
        await this.sample().catch(() => undefined); // a reload detaches nothing, but a sample may race it
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
  }

  async sample(): Promise<void> {
    const { metrics } = await this.cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    const procs = ourChromium();
    const sum = (ps: Proc[]): number => ps.reduce((s, p) => s + rssMb(p.pid), 0);
    this.samples.push({
      at: Date.now(),
      phase: this.phase,
      jsHeapMb: heap / 1048576,
      // The page's renderer; --top-chrome-webui is Chromium's own UI, not the page.
      rendererMb: sum(procs.filter((p) => p.cmdline.includes('--type=renderer') && !p.cmdline.includes('--top-chrome-webui'))),
      gpuMb: sum(procs.filter((p) => p.cmdline.includes('--type=gpu-process'))),
      browserTotalMb: sum(procs),
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  peaks(phase?: string): { jsHeapMb: number; rendererMb: number; gpuMb: number; browserTotalMb: number } {
    const s = phase === undefined ? this.samples : this.samples.filter((x) => x.phase === phase);
    const max = (f: (x: MemorySample) => number): number => round(Math.max(0, ...s.map(f)), 0);
    return { jsHeapMb: max((x) => x.jsHeapMb), rendererMb: max((x) => x.rendererMb), gpuMb: max((x) => x.gpuMb), browserTotalMb: max((x) => x.browserTotalMb) };
  }
}

// ---- the page -----------------------------------------------------------------------------------

/** Long tasks and gaps between animation frames: how long the page could not respond. */
const INIT_SCRIPT = (): void => {
  window.__benchLongTasks = [];
  window.__benchFrameGaps = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks!.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  let last = performance.now();
  const tick = (t: number): void => {
    if (t - last > 50) window.__benchFrameGaps!.push({ at: last, ms: t - last });
    last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

/** Blocks the page for 150 ms once and checks both instruments saw it: a zero later means none. */
async function calibrate(page: Page): Promise<void> {
  // In a task of the page's own (a CDP evaluate is not reported as a long task).
  const from = await page.evaluate(
    () =>
      new Promise<number>((resolve) =>
        setTimeout(() => {
          const t = performance.now();
          while (performance.now() - t < 150) {
            // busy: the main thread cannot respond
          }
          resolve(t);
        }, 0),
      ),
  );
  await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
  const [tasks, gaps] = await page.evaluate(() => [window.__benchLongTasks!, window.__benchFrameGaps!] as const);
  const seen = blocking(tasks, gaps, from, from + 150);
  // Animation frame times are vsync-aligned, so the gap can read a frame or two short.
  if (seen.longestTaskMs < 140 || seen.longestFrameGapMs < 100) throw new BenchError(`The blocking probes missed a 150 ms block: ${JSON.stringify(seen)}`);
}

const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/**
 * Resolves (page time) once frame `index` of the video named `name` is what the stage's Konva
 * image holds and one more animation frame has run: the picture is on screen.
 */
async function frameDrawn(page: Page, name: string, index: number): Promise<number> {
  await page.waitForFunction(
    ({ name, index }) => {
      const s = window.__videoSeekerStore?.getState().video;
      const konva = (window as unknown as { Konva?: { stages: { findOne(sel: string): { image(): unknown } | undefined }[] } }).Konva;
      const node = konva?.stages[0]?.findOne('#frame-image');
      return s?.info?.name === name && s.frame?.index === index && node !== undefined && node.image() === s.frame.image;
    },
    { name, index },
    { timeout: TIMEOUT_MS, polling: 'raf' },
  );
  return page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
}

const projectSaved = (page: Page, name: string): Promise<unknown> =>
  page.waitForFunction(
    (name) => {
      // The project list is refreshed only once the video is stored and the document saved.
      const p = window.__videoSeekerStore?.getState().project;
      return p?.status === 'saved' && p.list.find((m) => m.id === p.current?.id)?.videoName === name;
    },
    name,
    { timeout: TIMEOUT_MS, polling: 50 },
  );

/** Seeks with the "Go to time" box as a user types it; Enter → that frame drawn (ms). */
async function seekTo(page: Page, name: string, seconds: number): Promise<{ atS: number; frame: number; ms: number }> {
  const box = page.getByRole('textbox', { name: 'Go to time' });
  await box.fill(String(seconds));
  const t0 = await now(page);
  await box.press('Enter');
  const frame = await page.evaluate(() => window.__videoSeekerStore!.getState().video.frameIndex);
  const t1 = await frameDrawn(page, name, frame);
  return { atS: seconds, frame, ms: round(t1 - t0, 0) };
}

function blocking(tasks: { start: number; ms: number }[], gaps: { at: number; ms: number }[], from: number, to: number) {
  const inside = <T extends { ms: number }>(xs: T[], at: (x: T) => number): T[] => xs.filter((x) => at(x) + x.ms >= from && at(x) <= to);
  const t = inside(tasks, (x) => x.start);
  return {
    longestTaskMs: round(Math.max(0, ...t.map((x) => x.ms)), 0),
    longTasksTotalMs: round(t.reduce((s, x) => s + x.ms, 0), 0),
    longestFrameGapMs: round(Math.max(0, ...inside(gaps, (x) => x.at).map((x) => x.ms)), 0),
  };
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => round(x, 2));
  const file = longVideo();
  const bytes = statSync(file).size;
  log(`${file}: ${(bytes / 1e6).toFixed(0)} MB`);

  const { build, preview } = await import('vite');
  let outDir = opts.dist ?? join(ROOT, '.bench-cache/dataset-dist');
  if (opts.dist === undefined && appBuildState(ROOT, outDir) !== 'fresh') {
    log(`building the app into ${outDir}…`);
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  outDir = outDir.startsWith('/') ? outDir : join(ROOT, outDir);
  const cleanups: (() => unknown)[] = [];
  try {
    const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
    cleanups.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
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
    // A persistent profile on disk, as a user has: Playwright's default contexts are off the
    // record, where IndexedDB (and so the stored video) lives in memory.
    const profile = mkdtempSync(join(tmpdir(), 'bench-dataset-profile-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
    });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    // tsx (esbuild) wraps named functions in __name(...), which reaches the page's code too.
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(INIT_SCRIPT);
    await page.goto(new URL('?sample=0&model=off', base).href);
    await page.getByRole('button', { name: 'Open video' }).waitFor();
    const probe = new MemoryProbe(await page.context().newCDPSession(page));
    await probe.start();
    await calibrate(page);
    // Progress, and what the app is doing if a step waits long.
    const watch = setInterval(() => {
      page
        .evaluate(() => {
          const s = window.__videoSeekerStore?.getState();
          return s ? { project: s.project.status, listed: s.project.list.find((m) => m.id === s.project.current?.id)?.videoName ?? null, frameIndex: s.video.frameIndex, frame: s.video.frame?.index ?? null, opening: s.video.opening?.label ?? null } : null;
        })
        .then((st) => {
          const m = probe.samples.at(-1);
          log(`  ${probe.phase}: ${JSON.stringify(st)}${m ? ` renderer ${m.rendererMb.toFixed(0)} MB, heap ${m.jsHeapMb.toFixed(0)} MB, all ${m.browserTotalMb.toFixed(0)} MB` : ''}`);
        })
        .catch(() => undefined);
    }, 5000);
    cleanups.push(() => clearInterval(watch));
    await new Promise((r) => setTimeout(r, 500));

    // 1. Open: the file input → the first frame drawn.
    probe.phase = 'open';
    log('opening the 2-hour file…');
    await page.getByRole('button', { name: 'Open video' }).click();
    const dialog = page.getByRole('dialog', { name: 'Open video' });
    const t0 = await now(page);
    await dialog.getByLabel('Video file').setInputFiles(file);
    const shown = await frameDrawn(page, LONG.name, 0);
    const openMs = round(shown - t0, 0);
    const info = await page.evaluate(() => window.__videoSeekerStore!.getState().video.info!);
    log(`first frame drawn after ${openMs} ms (${info.frameCount} frames, ${info.durationS.toFixed(1)} s)`);

    // 2. The project stores the video Blob; meanwhile a seek, and how blocked the page is.
    probe.phase = 'save';
    // Stored and saved = the project list names the video (refreshed after both).
    const stored = (): Promise<boolean> =>
      page.evaluate((name) => {
        const p = window.__videoSeekerStore!.getState().project;
        return p.list.find((m) => m.id === p.current?.id)?.videoName === name;
      }, LONG.name);
    const storedAtFirstFrame = await stored();
    const seekDuringSave = await seekTo(page, LONG.name, 3600);
    const storedAfterSeek = await stored();
    await projectSaved(page, LONG.name);
    const saved = await now(page);
    log(`project saved ${round(saved - shown, 0)} ms after the first frame`);

    // 3. Seeks far apart, as typed in the "Go to time" box.
    probe.phase = 'seek';
    const seeks = [];
    for (const s of [1800, 7190, 10, 5400.5, 3599]) seeks.push(await seekTo(page, LONG.name, s));
    log(`seeks: ${JSON.stringify(seeks)}`);
    const [tasks, gaps] = await page.evaluate(() => [window.__benchLongTasks!, window.__benchFrameGaps!] as const);

    // 4. Ask: 64 frames sampled over 2 hours and encoded, nothing encoded before.
    probe.phase = 'ask';
    await page.evaluate(() => {
      const s = window.__videoSeekerStore!.getState();
      s.seek(0);
    });
    await frameDrawn(page, LONG.name, 0);
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
    log(`Ask → request at the double: ${sample64Ms} ms (${asked.frames} frames ${asked.frameSize}; encoded after ${round(asked.framesEncodedMs, 0)} ms)`);

    // 5. Reload: the project and its video come back from IndexedDB.
    probe.phase = 'reopen';
    const r0 = Date.now();
    await page.reload();
    await frameDrawn(page, LONG.name, 0);
    const reopenMs = Date.now() - r0;
    log(`reopened from IndexedDB in ${reopenMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
    await probe.stop();

    const all = probe.peaks();
    const result = {
      long: {
        file: `${LONG.width}x${LONG.height} H.264 ${LONG.fps} fps, key frame every ${KEYINT_S} s, ${(bytes / 1e6).toFixed(0)} MB`,
        durationS: round(info.durationS, 1),
        frameCount: info.frameCount,
        openMs,
        sample64Ms,
        peakPageMemoryMB: all.rendererMb,
        sample: { ...asked, framesEncodedMs: round(asked.framesEncodedMs, 0), requestAtDoubleMs: sample64Ms, via: 'store askQuestion (the Ask action), endpoint test double' },
        save: {
          firstFrameToSavedMs: round(saved - shown, 0),
          storedAtFirstFrame,
          seekDuringSave: { ...seekDuringSave, saveStillRunning: !storedAfterSeek },
          ...blocking(tasks, gaps, shown, saved),
        },
        seeks,
        reopenMs,
        // Open to the last seek: the longest the page could not respond at all.
        pageBlocked: blocking(tasks, gaps, t0, Number.POSITIVE_INFINITY),
        memoryPeaksMb: { all, beforeOpen: probe.peaks('start'), open: probe.peaks('open'), save: probe.peaks('save'), seek: probe.peaks('seek'), ask: probe.peaks('ask'), reopen: probe.peaks('reopen') },
        memoryNote: 'jsHeapMb: main thread JSHeapUsedSize (CDP); rendererMb: RSS of the renderer process (page + workers + decoders); gpuMb: GPU process RSS; browserTotalMb: all of this Chromium',
        targets: { openMs: 3000, sample64Ms: 10000, peakPageMemoryMB: 1024 },
      },
      chromium: context.browser()?.version() ?? null,
      machineLoad: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
      build: outDir,
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else log(JSON.stringify(result, null, 2));
  } finally {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof BenchError ? `[bench:dataset] ${e.message}` : e);
    process.exit(1);
  },
);
