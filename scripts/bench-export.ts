/**
 * bench:export — what exporting a project's masks costs the page: the built-in sample with K
 * objects masked on every one of N frames (as after propagating them), exported as a dataset ZIP
 * (DAVIS index-map PNGs per frame, the YouTube-VIS JSON, studio.json), in headless Chromium.
 *
 *   npm run -s bench:export -- --json      (only the JSON object on stdout; progress on stderr)
 *
 * Options: --frames <n> (every frame of the sample), --objects <k> (3), --dist <dir> (serve this
 * build instead of building the app into .bench-cache/export-dist), --timeout <s> (300).
 *
 * Reported: exportMs (click to the download), longestTaskMs and longTasks (> 50 ms, from a
 * PerformanceObserver) during the export, the main thread's share busy in long tasks, and the
 * largest gap between animation frames (what a user sees as a freeze). The masks are moving
 * ellipses, made in Node with the app's RLE code and put into the store as anchors.
 */
import { existsSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { PreviewServer } from 'vite';
import type { AnnotationDoc } from '../src/core/annotation/model';
import { annotationKey } from '../src/core/annotation/model';
import { encodeRle, maskFromPredicate } from '../src/core/mask/rle';
import type { AppStore } from '../src/store/appStore';
import { appBuildState, BenchError, freePort, launchChromium, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
    __exportWatch?: { tasks: { start: number; ms: number }[]; maxGap: number; running: boolean };
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    frames: { type: 'string' },
    objects: { type: 'string', default: '3' },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
  strict: true,
});
const log = (m: string): void => console.error(`[bench:export] ${m}`);

async function main(): Promise<void> {
  const objects = Number(opts.objects);
  if (!Number.isInteger(objects) || objects < 1 || objects > 20) throw new BenchError('--objects must be 1 to 20');
  const { build, preview } = await import('vite');
  let outDir: string;
  if (opts.dist !== undefined) {
    outDir = resolve(opts.dist);
    if (!existsSync(join(outDir, 'index.html'))) throw new BenchError(`--dist: no index.html in ${outDir}`);
  } else {
    outDir = join(ROOT, '.bench-cache/export-dist');
    if (appBuildState(ROOT, outDir) !== 'fresh') {
      log(`building the app into ${outDir}…`);
      await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    }
  }
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.resolvedUrls!.local[0]}?model=off&save=download`);
    await page.waitForFunction(() => window.__videoSeekerStore?.getState().dataset.videos[0]?.facts != null, null, { timeout: 60_000 });
    const facts = await page.evaluate(() => window.__videoSeekerStore!.getState().dataset.videos[0]!.facts!);
    const frames = opts.frames === undefined ? facts.frameCount : Math.min(facts.frameCount, Number(opts.frames));
    const { width, height } = facts;
    log(`sample ${width}×${height}, ${facts.frameCount} frames; masks of ${objects} objects on ${frames} frames…`);
    const doc: { instances: AnnotationDoc['instances'][number][]; activeId: string; frames: Record<string, AnnotationDoc['frames'][string]> } = { instances: [], activeId: 'o0', frames: {} };
    for (let k = 0; k < objects; k++) {
      doc.instances.push({ id: `o${k}`, name: `object ${k + 1}`, color: '#3a3', visible: true });
      for (let f = 0; f < frames; f++) {
        const cx = ((k + 1) / (objects + 1)) * width + 40 * Math.sin(f / 15 + k);
        const cy = height / 2 + 30 * Math.cos(f / 20 + k);
        const rx = width / (3 * (objects + 1));
        const ry = height / 4;
        const rle = encodeRle(maskFromPredicate(width, height, (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1));
        doc.frames[annotationKey(`o${k}`, f)] = { prompts: [{ kind: 'box', x0: cx - rx, y0: cy - ry, x1: cx + rx, y1: cy + ry }], mask: { rle, score: 0.9 } };
      }
    }
    await page.evaluate((d) => window.__videoSeekerStore!.getState().replaceAnnotations(d as AnnotationDoc), doc);
    await page.evaluate(() => window.__videoSeekerStore!.getState().saveNow());
    await page.getByRole('tab', { name: 'QA dataset' }).click();
    const qa = page.getByRole('region', { name: 'QA dataset' });
    await qa.getByRole('checkbox', { name: 'with the videos' }).uncheck();
    // A string, not a function: tsx would wrap the named functions inside in a helper the page lacks.
    await page.evaluate(`(() => {
      const watch = { tasks: [], maxGap: 0, running: true };
      window.__exportWatch = watch;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) watch.tasks.push({ start: e.startTime, ms: e.duration });
      }).observe({ type: 'longtask' });
      let last = performance.now();
      const tick = () => {
        const now = performance.now();
        watch.maxGap = Math.max(watch.maxGap, now - last);
        last = now;
        if (watch.running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await page.waitForTimeout(500);
    const t0 = await page.evaluate(() => performance.now());
    const started = Date.now();
    const downloading = page.waitForEvent('download', { timeout: Number(opts.timeout) * 1000 });
    await qa.getByRole('button', { name: 'Export dataset (ZIP)' }).click();
    const download = await withTimeout(downloading, Number(opts.timeout) * 1000, 'the export');
    const exportMs = Date.now() - started;
    const zipPath = await download.path();
    const watch = await page.evaluate((start) => {
      const w = window.__exportWatch!;
      w.running = false;
      return { tasks: w.tasks.filter((t) => t.start >= start), maxGap: w.maxGap };
    }, t0);
    const status = await qa.getByRole('status').first().textContent();
    const longest = watch.tasks.reduce((m, t) => Math.max(m, t.ms), 0);
    const busy = watch.tasks.reduce((s, t) => s + t.ms, 0);
    const result = {
      frames,
      objects,
      size: { width, height },
      exportMs,
      longestTaskMs: round(longest, 0),
      longTasks: watch.tasks.length,
      // When each long task began (ms after the click) and how long it took.
      longTaskList: watch.tasks.map((t) => ({ atMs: round(t.start - t0, 0), ms: round(t.ms, 0) })),
      longTaskShare: round(busy / exportMs, 3),
      maxFrameGapMs: round(watch.maxGap, 0),
      zipBytes: zipPath ? statSync(zipPath).size : null,
      status,
      build: outDir,
      cpus: cpus().length,
      loadAverage1m: round(loadavg()[0]!),
      date: new Date().toISOString(),
    };
    log(`export ${exportMs} ms; longest task ${result.longestTaskMs} ms, ${result.longTasks} long tasks (${Math.round(result.longTaskShare * 100)} % of the time); largest gap between frames ${result.maxFrameGapMs} ms`);
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else console.log(result);
    await context.close();
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`bench:export failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exit(1);
  },
);
