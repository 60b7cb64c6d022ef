/**
 * bench:batch — a whole benchmark run from the browser (issue 16's Performance section): batch
 * runs of a V2P-Bench folder against the endpoint test double at several concurrencies and model
 * latencies, in headless Debian Chromium with a persistent profile, the production build served
 * by vite preview, no sample video and the segmentation model off.
 *
 *   npm run bench:batch -- --json [--configs 1x0,4x0,16x0,64x0,1x2,4x2,16x2,64x2] [--items N]
 *                                 [--profile] [--keyint 2] [--dist <build folder>] [--timeout 900]
 *                                 [--pool 2] [--endpoint h2|http1]
 *
 * Data (scripts/bench-batch-data.ts): 200 items over 50 videos, 1280×720 H.264 of 1, 3, 6 and 10
 * minutes (hard links to four files), imported as a folder (`?folders=input`: the folder <input>,
 * copied into the browser in the background; the runs start once the copy is done, so that it
 * does not count against them).
 *
 * The endpoint double speaks HTTP/2 over TLS (default, as README serves a model for a full run)
 * or, with `--endpoint http1`, plain HTTP/1.1 as vLLM itself does: Chromium then opens at most 6
 * connections to it, so at most 6 requests are in flight whatever the concurrency.
 *
 * Each configuration `CxL` (C requests in flight, L seconds per model round) runs in a freshly
 * loaded page (nothing decoded or encoded yet), with `--pool` videos decoded at once (the batch
 * dialog's setting, set in every page: the profile keeps it): the store's startBatch — what the batch dialog's
 * Run button does — over the first N items (dataset order: video by video), with the Review
 * workspace on screen. The double plays the 3-round trajectory (view_visual_prompt, crop_video,
 * answer), each round held L seconds, streamed without chunk delays. Measured:
 *   - itemsPerMin: N / (start → the N-th item finished); steadyItemsPerMin: from the first finish;
 *   - longestTaskMs: the main thread's longest task meanwhile (PerformanceObserver 'longtask');
 *   - peakPageMemoryMB: the renderer's peak RSS (the page, its workers and decoders), sampled
 *     every 250 ms, with the JS heap beside it.
 * N is cut per configuration so that the grid fits in about a quarter of an hour on two cores
 * (see ITEMS; --items sets one N for all): a rate over enough items to fill the concurrency twice.
 * clientCeilingItemsPerMin is the best rate at 0 s latency (the client is then the only cost).
 * Targets (issue 16): ceiling ≥ 30/min; at 2 s per round and 16 at once ≥ 80 % of
 * min(ceiling, 160); memory ≤ 1 GB; no task over 200 ms.
 *
 * --profile adds one traced run (4 at once, 0 s, 24 items): where the time goes by thread and by
 * kind of work (scripts/bench-batch-profile.ts).
 *
 * Progress goes to stderr, the JSON (with --json) to stdout.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { fakeTls, startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { batchFolder, BATCH, type BatchFolder } from './bench-batch-data';
import { traced } from './bench-batch-profile';
import { appBuildState, BenchError, freePort, round } from './bench-lib.mjs';
import { blockedBetween, MEMORY_NOTE, openApp, type AppSession } from './bench-dataset-page';

declare global {
  interface Window {
    __benchFinishes?: { at: number; failed: boolean; error: string | null }[];
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    configs: { type: 'string', default: '1x0,4x0,16x0,64x0,1x2,4x2,16x2,64x2' },
    items: { type: 'string' },
    profile: { type: 'boolean', default: false },
    keyint: { type: 'string', default: '2' },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '900' },
    pool: { type: 'string', default: '2' },
    endpoint: { type: 'string', default: 'h2' },
  },
});
if (opts.endpoint !== 'h2' && opts.endpoint !== 'http1') throw new BenchError(`--endpoint must be h2 or http1, not ${opts.endpoint}`);
const TIMEOUT_MS = Number(opts.timeout) * 1000;
const log = (m: string): void => console.error(`[bench:batch] ${m}`);

/** Items per configuration: enough to fill the concurrency twice over, few where the model is the slow part. */
const ITEMS: Readonly<Record<string, number>> = { '1x0': 24, '4x0': 48, '16x0': 64, '64x0': 128, '1x2': 8, '4x2': 24, '16x2': 64, '64x2': 128 };

interface Config {
  readonly concurrency: number;
  readonly latencyS: number;
  readonly items: number;
}

function configs(): Config[] {
  return opts.configs.split(',').map((c) => {
    const m = /^(\d+)x(\d+(?:\.\d+)?)$/.exec(c.trim());
    if (!m) throw new BenchError(`--configs: "${c}" is not CxL (concurrency x seconds per round)`);
    const items = Math.min(BATCH.videos * BATCH.itemsPerVideo, opts.items !== undefined ? Number(opts.items) : (ITEMS[c.trim()] ?? 48));
    return { concurrency: Number(m[1]), latencyS: Number(m[2]), items };
  });
}

/** The page's project as the bench waits for it. */
const projectState = (page: Page) =>
  page.evaluate(() => {
    const s = window.__videoSeekerStore?.getState();
    if (!s) return null;
    return { project: s.project.current?.name ?? null, items: s.qa.history.present.length, videos: s.dataset.videos.length, open: s.video.info?.name ?? null, copying: s.dataset.copying, runs: s.review.runs.length, message: s.dataset.message };
  });

/** Waits until the dataset project is open with its items, a video shown and no copy running. */
async function projectReady(page: Page, items: number): Promise<void> {
  await page.waitForFunction(
    (items) => {
      const s = window.__videoSeekerStore?.getState();
      return s !== undefined && s.qa.history.present.length === items && s.video.info !== null && s.dataset.copying === null && s.project.status === 'saved';
    },
    items,
    { timeout: TIMEOUT_MS, polling: 250 },
  );
}

async function importDataset(page: Page, folder: BatchFolder): Promise<{ importMs: number; copyMs: number }> {
  const t0 = Date.now();
  await page.getByRole('tab', { name: 'QA dataset' }).click();
  await page.getByRole('region', { name: 'QA dataset' }).getByLabel('Import dataset folder').setInputFiles(folder.dir);
  await page.waitForFunction((n) => window.__videoSeekerStore!.getState().qa.history.present.length === n, folder.records.length, { timeout: TIMEOUT_MS, polling: 250 });
  const importMs = Date.now() - t0;
  await projectReady(page, folder.records.length);
  return { importMs, copyMs: Date.now() - t0 };
}

interface ConfigOutcome {
  readonly t0: number;
  readonly t1: number;
  readonly finishes: readonly { at: number; failed: boolean; error: string | null }[];
}

/** Starts a batch over `ids` through the store and waits until `ids.length` items have finished. */
async function runBatch(page: Page, ids: readonly string[], concurrency: number): Promise<ConfigOutcome> {
  const started = await page.evaluate(
    async ({ ids, concurrency }) => {
      const store = window.__videoSeekerStore!;
      store.getState().setBatchConcurrency(concurrency);
      const finishes: { at: number; failed: boolean; error: string | null }[] = [];
      window.__benchFinishes = finishes;
      const seen = new Set<string>();
      let runId: string | null = null;
      store.subscribe((s, prev) => {
        if (runId === null || s.review.runs === prev.review.runs) return;
        for (const r of s.review.runs.find((x) => x.id === runId)?.results ?? []) {
          if ((r.status === 'done' || r.status === 'failed') && !seen.has(r.key)) {
            seen.add(r.key);
            finishes.push({ at: performance.now(), failed: r.status === 'failed', error: r.error });
          }
        }
      });
      const t0 = performance.now();
      runId = await store.getState().startBatch(ids);
      return runId === null ? { error: store.getState().review.error ?? 'the run did not start' } : { runId, t0 };
    },
    { ids, concurrency },
  );
  if ('error' in started) throw new BenchError(`startBatch: ${started.error}`);
  await page.waitForFunction((n) => (window.__benchFinishes?.length ?? 0) >= n, ids.length, { timeout: TIMEOUT_MS, polling: 500 });
  const finishes = await page.evaluate(() => window.__benchFinishes!.slice());
  // The run is done with; deleted so that the next configuration starts from the same project.
  await page.evaluate(async (runId) => {
    const s = window.__videoSeekerStore!.getState();
    s.deleteRun(runId);
    await s.saveNow();
  }, started.runId);
  return { t0: started.t0, t1: finishes[ids.length - 1]!.at, finishes };
}

/** A freshly loaded page with the project open and the Review workspace on screen. */
async function freshPage(app: AppSession, items: number): Promise<void> {
  await app.page.reload();
  await projectReady(app.page, items);
  await app.page.evaluate((n) => window.__videoSeekerStore!.getState().setVideoPoolSize(n), Number(opts.pool));
  await app.page.getByRole('button', { name: 'Review', exact: true }).click();
  await new Promise((r) => setTimeout(r, 1000));
}

async function measure(app: AppSession, fake: FakeEndpoint, ids: readonly string[], cfg: Config) {
  const key = `${cfg.concurrency}x${cfg.latencyS}`;
  await freshPage(app, ids.length);
  fake.reset();
  fake.setScript('videoseeker', { latencyS: cfg.latencyS, chunkDelayMs: 0 });
  app.probe.phase = key;
  const load = loadavg()[0]!;
  log(`${key}: ${cfg.items} items, ${cfg.concurrency} at once, ${cfg.latencyS} s per round…`);
  const out = await runBatch(app.page, ids.slice(0, cfg.items), cfg.concurrency);
  app.probe.phase = `${key}-after`;
  const blocking = await blockedBetween(app.page, out.t0, out.t1);
  const failed = out.finishes.filter((f) => f.failed);
  const problems = fake.requests().flatMap((r) => [...r.problems, ...(r.rejected ? [r.rejected] : [])]);
  const minutes = (out.t1 - out.t0) / 60_000;
  const first = out.finishes[0]!.at;
  const peaks = app.probe.peaks(key);
  const row = {
    concurrency: cfg.concurrency,
    latencyS: cfg.latencyS,
    items: cfg.items,
    poolSize: Number(opts.pool),
    itemsPerMin: round(cfg.items / minutes, 1),
    steadyItemsPerMin: cfg.items > 1 ? round((cfg.items - 1) / ((out.t1 - first) / 60_000), 1) : null,
    firstItemMs: round(first - out.t0, 0),
    wallS: round((out.t1 - out.t0) / 1000, 1),
    longestTaskMs: blocking.longestTaskMs,
    longTasksTotalMs: blocking.longTasksTotalMs,
    longestFrameGapMs: blocking.longestFrameGapMs,
    peakPageMemoryMB: peaks.rendererMb,
    peakJsHeapMB: peaks.jsHeapMb,
    failed: failed.length,
    requests: fake.requests().length,
    protocolProblems: problems.length,
    loadAvgAtStart: round(load, 2),
  };
  log(`${key}: ${JSON.stringify(row)}`);
  if (failed.length > 0) log(`${key}: failures: ${[...new Set(failed.map((f) => f.error))].slice(0, 3).join(' | ')}`);
  if (problems.length > 0) log(`${key}: protocol problems: ${problems.slice(0, 3).join(' | ')}`);
  return row;
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => round(x, 2));
  const grid = configs();
  const folder = batchFolder(ROOT, Number(opts.keyint), log);
  log(`data: ${folder.records.length} items over ${folder.videoPaths.length} videos, ${(folder.bytes / 1e9).toFixed(2)} GB as the app reads them`);
  const { build, preview } = await import('vite');
  let outDir = opts.dist ?? join(ROOT, '.bench-cache/batch-dist');
  if (opts.dist === undefined && appBuildState(ROOT, outDir) !== 'fresh') {
    log(`building the app into ${outDir}…`);
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  outDir = outDir.startsWith('/') ? outDir : join(ROOT, outDir);
  const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
  // HTTP/2 over TLS by default, as the README serves a model for a full run: over HTTP/1.1 the
  // browser holds back all but 6 requests to one server, whatever the concurrency setting.
  const fake = await startFakeEndpoint({ chunkDelayMs: 0, ...(opts.endpoint === 'h2' ? { tls: fakeTls() } : {}) });
  let app: AppSession | null = null;
  try {
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
    app = await openApp(base, '?sample=0&model=off&folders=input', TIMEOUT_MS, projectState, { ignoreHttpsErrors: opts.endpoint === 'h2' });
    const page = app.page;
    await page.evaluate((baseUrl) => window.__videoSeekerStore!.getState().updateSettings({ baseUrl, apiKey: '', model: '', imageFormat: 'jpeg', stream: true }), fake.url);
    log('importing the folder…');
    const imported = await importDataset(page, folder);
    log(`imported in ${imported.importMs} ms, copied into the browser after ${imported.copyMs} ms`);
    const ids = await page.evaluate(() => window.__videoSeekerStore!.getState().qa.history.present.map((i) => i.id));

    const runs = [];
    for (const cfg of grid) runs.push(await measure(app, fake, ids, cfg));
    const atZero = runs.filter((r) => r.latencyS === 0);
    const clientCeilingItemsPerMin = atZero.length > 0 ? Math.max(...atZero.map((r) => r.itemsPerMin)) : null;
    const c16 = runs.find((r) => r.concurrency === 16 && r.latencyS === 2);
    const target16 = clientCeilingItemsPerMin === null ? null : round(0.8 * Math.min(clientCeilingItemsPerMin, (16 * 60) / 6), 1);

    let profile: unknown = null;
    if (opts.profile) {
      await freshPage(app, ids.length);
      fake.reset();
      fake.setScript('videoseeker', { latencyS: 0, chunkDelayMs: 0 });
      app.probe.phase = 'profile';
      log('profile: 24 items, 4 at once, 0 s per round, traced…');
      const trace = join(ROOT, '.bench-cache/batch/profile-trace.json');
      const { result, profile: p } = await traced(page, outDir, trace, () => runBatch(page, ids.slice(0, 24), 4));
      profile = { concurrency: 4, latencyS: 0, items: 24, itemsPerMinTraced: round(24 / ((result.t1 - result.t0) / 60_000), 1), trace, ...p };
    }
    await app.probe.stop();
    const result = {
      clientCeilingItemsPerMin,
      runs,
      endpointProtocol: opts.endpoint === 'h2' ? 'h2 (HTTPS, the double with a self-signed certificate)' : 'http/1.1',
      targets: {
        clientCeilingItemsPerMin: 30,
        concurrency16Latency2ItemsPerMin: target16,
        concurrency16Latency2Met: c16 === undefined || target16 === null ? null : c16.itemsPerMin >= target16,
        peakPageMemoryMB: 1024,
        longestTaskMs: 200,
      },
      data: {
        items: folder.records.length,
        videos: folder.videoPaths.length,
        video: `${BATCH.width}x${BATCH.height} H.264 ${BATCH.fps} fps, ${BATCH.bitrateK} kbit/s, key frame every ${folder.keyintS} s, ${BATCH.minutes.join('/')} min (hard links)`,
        gigabytes: round(folder.bytes / 1e9, 2),
        importMs: imported.importMs,
        copiedIntoBrowserMs: imported.copyMs,
      },
      method: 'each configuration in a freshly loaded page; store startBatch (the Run button) over the first `items` items, video by video; the endpoint test double holds each of 3 rounds latencyS; itemsPerMin = items / (start → last finished)',
      memoryNote: MEMORY_NOTE,
      profile,
      chromium: execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(),
      machineLoad: { before: loadBefore, after: loadavg().map((x) => round(x, 2)), cores: cpus().length },
    };
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else log(JSON.stringify(result, null, 2));
  } finally {
    await app?.close();
    await fake.close();
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof BenchError ? `[bench:batch] ${e.message}` : e);
    process.exit(1);
  },
);
