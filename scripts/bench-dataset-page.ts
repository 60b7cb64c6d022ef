/**
 * The page side of bench:dataset, shared by its halves: the app in headless Debian Chromium with a
 * persistent profile, memory sampled from CDP and /proc, the probes that say how long the page
 * could not respond, and "this frame is on screen".
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import type { AppStore } from '../src/store/appStore';
import { BenchError, CHROMIUM_ARGS, round } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
    __benchLongTasks?: { start: number; ms: number }[];
    __benchFrameGaps?: { at: number; ms: number }[];
    /** When the last click or key press reached the page (capture phase, page clock). */
    __benchInputAt?: number;
  }
}

export const log = (m: string): void => console.error(`[bench:dataset] ${m}`);

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

export interface MemoryPeaks {
  readonly jsHeapMb: number;
  readonly rendererMb: number;
  readonly gpuMb: number;
  readonly browserTotalMb: number;
}

export const MEMORY_NOTE =
  'jsHeapMb: main thread JSHeapUsedSize (CDP); rendererMb: RSS of the renderer process (the page, its JS heap included, its workers and decoders); gpuMb: GPU process RSS; browserTotalMb: all of this Chromium (OPFS and IndexedDB writes happen in the browser process)';

/** Samples every 250 ms, each sample tagged with the phase the bench is in. */
export class MemoryProbe {
  readonly samples: MemorySample[] = [];
  phase = 'start';
  private running = true;
  private loop: Promise<void> | null = null;

  constructor(private cdp: CDPSession) {}

  async start(): Promise<void> {
    await this.cdp.send('Performance.enable');
    this.loop = (async () => {
      while (this.running) {
        await this.sample().catch(() => undefined); // a sample may race a reload
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

  /** Peaks over the samples of these phases (all phases when none are named). */
  peaks(...phases: string[]): MemoryPeaks {
    const s = phases.length === 0 ? this.samples : this.samples.filter((x) => phases.includes(x.phase));
    const max = (f: (x: MemorySample) => number): number => round(Math.max(0, ...s.map(f)), 0);
    return { jsHeapMb: max((x) => x.jsHeapMb), rendererMb: max((x) => x.rendererMb), gpuMb: max((x) => x.gpuMb), browserTotalMb: max((x) => x.browserTotalMb) };
  }

  last(): MemorySample | undefined {
    return this.samples.at(-1);
  }
}

// ---- how long the page could not respond ---------------------------------------------------------

/** Long tasks, gaps between animation frames, and the time of the last user input (page clock). */
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
  // Capture phase on the window: before the app's own handlers run.
  const input = (): void => void (window.__benchInputAt = performance.now());
  window.addEventListener('click', input, true);
  window.addEventListener('keydown', input, true);
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
  const seen = await blockedBetween(page, from, from + 150);
  // Animation frame times are vsync-aligned, so the gap can read a frame or two short.
  if (seen.longestTaskMs < 140 || seen.longestFrameGapMs < 100) throw new BenchError(`The blocking probes missed a 150 ms block: ${JSON.stringify(seen)}`);
}

export interface Blocking {
  readonly longestTaskMs: number;
  readonly longTasksTotalMs: number;
  readonly longestFrameGapMs: number;
}

/** The long tasks and animation-frame gaps that overlap [from, to] (page clock). */
export async function blockedBetween(page: Page, from: number, to: number): Promise<Blocking> {
  const [tasks, gaps] = await page.evaluate(() => [window.__benchLongTasks!, window.__benchFrameGaps!] as const);
  const inside = <T extends { ms: number }>(xs: readonly T[], at: (x: T) => number): T[] => xs.filter((x) => at(x) + x.ms >= from && at(x) <= to);
  const t = inside(tasks, (x) => x.start);
  return {
    longestTaskMs: round(Math.max(0, ...t.map((x) => x.ms)), 0),
    longTasksTotalMs: round(t.reduce((s, x) => s + x.ms, 0), 0),
    longestFrameGapMs: round(Math.max(0, ...inside(gaps, (x) => x.at).map((x) => x.ms)), 0),
  };
}

export const now = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/**
 * Resolves (page time) once frame `index` of the video named `name` is what the stage's Konva
 * image holds and one more animation frame has run: the picture is on screen.
 */
export async function frameDrawn(page: Page, name: string, index: number, timeoutMs: number): Promise<number> {
  await page.waitForFunction(
    ({ name, index }) => {
      const s = window.__videoSeekerStore?.getState().video;
      const konva = (window as unknown as { Konva?: { stages: { findOne(sel: string): { image(): unknown } | undefined }[] } }).Konva;
      const node = konva?.stages[0]?.findOne('#frame-image');
      return s?.info?.name === name && s.frame?.index === index && node !== undefined && node.image() === s.frame.image;
    },
    { name, index },
    { timeout: timeoutMs, polling: 'raf' },
  );
  return page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
}

/** What navigator.storage.estimate() says and what the project copies in OPFS add up to. */
export async function storageUse(page: Page): Promise<{ estimateMB: number; opfsMB: number; opfsFiles: number }> {
  const r = await page.evaluate(async () => {
    interface Dir {
      readonly kind: 'directory';
      values(): AsyncIterable<Dir | { readonly kind: 'file'; getFile(): Promise<File> }>;
    }
    const walk = async (dir: Dir): Promise<{ bytes: number; files: number }> => {
      let bytes = 0;
      let files = 0;
      for await (const h of dir.values()) {
        if (h.kind === 'file') {
          bytes += (await h.getFile()).size;
          files++;
        } else {
          const sub = await walk(h);
          bytes += sub.bytes;
          files += sub.files;
        }
      }
      return { bytes, files };
    };
    const opfs = await walk((await navigator.storage.getDirectory()) as unknown as Dir);
    return { estimate: (await navigator.storage.estimate()).usage ?? 0, ...opfs };
  });
  return { estimateMB: round(r.estimate / 1e6, 1), opfsMB: round(r.bytes / 1e6, 1), opfsFiles: r.files };
}

// ---- the app in a browser of its own ------------------------------------------------------------

export interface AppSession {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly probe: MemoryProbe;
  close(): Promise<void>;
}

/**
 * The app at `base` + `query` in a fresh Chromium with a persistent profile on disk, as a user has
 * (Playwright's default contexts are off the record, where IndexedDB and OPFS live in memory),
 * memory sampled from the start, the blocking probes checked. `status` is logged every 5 s.
 */
export async function openApp(base: string, query: string, timeoutMs: number, status: (page: Page) => Promise<unknown>, options: { readonly ignoreHttpsErrors?: boolean } = {}): Promise<AppSession> {
  const cleanups: (() => unknown)[] = [];
  const close = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const profile = mkdtempSync(join(tmpdir(), 'bench-dataset-profile-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 800 },
      // The endpoint double's self-signed certificate (bench:batch over HTTP/2).
      ignoreHTTPSErrors: options.ignoreHttpsErrors ?? false,
    });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeoutMs);
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    // tsx (esbuild) wraps named functions in __name(...), which reaches the page's code too.
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(INIT_SCRIPT);
    await page.goto(new URL(query, base).href);
    await page.waitForFunction(() => window.__videoSeekerStore !== undefined);
    const probe = new MemoryProbe(await context.newCDPSession(page));
    await probe.start();
    cleanups.push(() => probe.stop());
    await calibrate(page);
    const watch = setInterval(() => {
      status(page)
        .then((st) => {
          const m = probe.last();
          log(`  ${probe.phase}: ${JSON.stringify(st)}${m ? ` renderer ${m.rendererMb.toFixed(0)} MB, heap ${m.jsHeapMb.toFixed(0)} MB, all ${m.browserTotalMb.toFixed(0)} MB` : ''}`);
        })
        .catch(() => undefined);
    }, 5000);
    cleanups.push(() => clearInterval(watch));
    return { page, context, probe, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- where the main thread's time goes (--profile) -----------------------------------------------

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
}

export interface HotFunction {
  /** The source position (through the build's source map) or the bundle's. */
  readonly at: string;
  readonly fn: string;
  /** The nearest calling script function (the caller of a browser built-in such as `get size`). */
  readonly from: string;
  readonly selfMs: number;
}

/** Maps a position in a script of the build (`dist`/assets/*.js) to its source through the .map file beside it. */
function sourcePositions(dist: string): (url: string, line: number, column: number) => string | null {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const file = url.slice(url.lastIndexOf('/') + 1);
    if (!maps.has(file)) {
      const path = join(dist, 'assets', `${file}.map`);
      maps.set(file, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
    }
    const entry = maps.get(file)?.findEntry(line, column);
    if (!entry || !('originalSource' in entry)) return null;
    return `${entry.originalSource.replace(/^.*?\/(src|node_modules)\//, '$1/')}:${entry.originalLine + 1}`;
  };
}

/**
 * A CPU profile of the page's main thread (CDP Profiler, a sample every 0.5 ms) over `task`: the
 * functions with the most self time, placed in the sources through the build's source maps.
 * Profiling slows the page a little: not for the figures.
 */
export async function profiled<T>(page: Page, dist: string, task: () => Promise<T>, top = 15): Promise<{ result: T; hot: HotFunction[] }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  try {
    const result = await task();
    const { profile } = await cdp.send('Profiler.stop');
    const source = sourcePositions(dist);
    const nodes = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const place = (f: ProfileNode['callFrame']): string =>
      f.url ? (source(f.url, f.lineNumber, f.columnNumber) ?? `${f.url.slice(f.url.lastIndexOf('/') + 1)}:${f.lineNumber + 1}:${f.columnNumber + 1}`) : '';
    const caller = (id: number): string => {
      for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
        const f = nodes.get(p)!.callFrame;
        if (f.url) return place(f);
      }
      return '';
    };
    const self = new Map<string, { fn: string; at: string; from: string; us: number }>();
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const frame = nodes.get(samples[i]!)?.callFrame;
      if (!frame || frame.functionName === '(idle)') continue;
      const at = place(frame);
      const from = caller(samples[i]!);
      const key = `${frame.functionName}@${at}<${from}`;
      const entry = self.get(key) ?? { fn: frame.functionName || '(anonymous)', at, from, us: 0 };
      // A sample's time is the gap to the next one.
      entry.us += deltas[i + 1] ?? 0;
      self.set(key, entry);
    }
    const hot = [...self.values()].sort((a, b) => b.us - a.us).slice(0, top).map((e) => ({ at: e.at, fn: e.fn, from: e.from, selfMs: round(e.us / 1000, 0) }));
    return { result, hot };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}
