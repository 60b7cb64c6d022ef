/**
 * bench:import — how long a large plain `dataset_info.json` (V2P-Bench records) takes to import,
 * and how much of it blocks the page.
 *
 *   npm run bench:import -- --json [--records 20000] [--dist <build folder>] [--seed 7]
 *
 * Generates the file with a seeded PRNG (multiple-choice and open-ended questions, ~460 bytes a
 * record as in the published benchmark), opens the app on the built-in sample (the model off) at
 * 1280×800 in headless Chromium, shows the QA tab and sets the file on "Import dataset file". It
 * measures, from the input's change event: until the app asks (when it asks before adding many
 * items; "Add to this project" is then pressed at once), until the heading reads the new count,
 * until it is painted and until the project is saved; the longest main-thread task (the time the
 * page could not respond) and the JS heap. Then it reloads and measures until the project is back
 * with its items, and the heap again.
 *
 * --dist serves that build (to compare two versions); without it the app is built into
 * .bench-cache/import-dist when that is missing or older than the sources.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { MC_PROMPT, questionWithOptions } from '../src/core/agent/prompts';
import type { V2pRecord } from '../src/core/qa/v2p';
import type { AppStore } from '../src/store/appStore';
import { appBuildState, BenchError, freePort, launchChromium, prng, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
    __benchLongTasks?: { start: number; ms: number }[];
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    records: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '7' },
    dist: { type: 'string' },
    timeout: { type: 'string', default: '300' },
  },
});
const RECORDS = Number(opts.records);
const TIMEOUT_MS = Number(opts.timeout) * 1000;
if (opts.json) {
  console.log = console.error;
  console.info = console.error;
}
const log = (m: string): void => console.error(`[bench:import] ${m}`);

const COLOURS = ['red', 'blue', 'white', 'black', 'green', 'yellow', 'grey', 'brown'];
const THINGS = ['the car', 'the ball', 'the dog', 'the bicycle', 'the door', 'the cup', 'the bag', 'the phone'];
const PLACES = ['near the entrance', 'in the kitchen', 'on the pitch', 'at the crossing', 'on the stage', 'by the window'];

function generate(count: number, seed: number): V2pRecord[] {
  const r = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const records: V2pRecord[] = [];
  for (let i = 0; i < count; i++) {
    const video = `video_${Math.floor(i / 12)}`;
    const base = `What color is the object in the highlighted box when ${pick(THINGS)} passes ${pick(PLACES)}, and what does it do right after that moment in the scene (record ${i})?`;
    const mc = r() < 0.8;
    const options = mc ? [0, 1, 2, 3].map(() => `It is ${pick(COLOURS)} and it moves toward ${pick(THINGS)}`) : [];
    records.push({
      video_id: video,
      video_path: `Source/${video}.mp4`,
      duration: round(10 + r() * 300, 1),
      question: mc ? questionWithOptions(base, options) + MC_PROMPT : base,
      answer: mc ? pick(['A', 'B', 'C', 'D']) : `It is ${pick(COLOURS)}.`,
      source: 'Source',
      frame_path: `Source/${video}_${i}.jpg`,
      dimension: 1 + Math.floor(r() * 14),
      category: 1 + Math.floor(r() * 3),
    });
  }
  return records;
}

const INIT_SCRIPT = (): void => {
  window.__benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchLongTasks!.push({ start: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
};

async function heapMb(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
  await cdp.detach();
  return round(usedSize / 1048576, 1);
}

const heading = (page: Page) => page.getByRole('heading', { name: /^QA dataset \(\d+\)$/ });
const countShown = async (page: Page): Promise<number> => Number(/\((\d+)\)/.exec((await heading(page).textContent()) ?? '')?.[1] ?? -1);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const cleanups: (() => unknown)[] = [() => rmSync(dir, { recursive: true, force: true })];
  try {
    const file = join(dir, 'dataset_info.json');
    writeFileSync(file, JSON.stringify(generate(RECORDS, Number(opts.seed)), null, 1));
    const { build, preview } = await import('vite');
    let outDir = opts.dist ?? join(ROOT, '.bench-cache/import-dist');
    if (opts.dist === undefined && appBuildState(ROOT, outDir) !== 'fresh') {
      log(`building the app into ${outDir}…`);
      await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    }
    outDir = outDir.startsWith('/') ? outDir : join(ROOT, outDir);
    const server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
    cleanups.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.addInitScript(INIT_SCRIPT);
    await page.goto(new URL('?model=off', base).href);
    await page.waitForFunction(() => window.__videoSeekerStore?.getState().project.status === 'saved', null, { timeout: 60_000 });
    await page.getByRole('tab', { name: 'QA dataset' }).click();
    const before = await countShown(page);
    const heapBefore = await heapMb(page);
    log(`${RECORDS} records, ${(JSON.stringify(generate(1, 1)).length * RECORDS / 1e6).toFixed(1)} MB; importing…`);

    const t0 = await page.evaluate(() => performance.now());
    await page.getByLabel('Import dataset file').setInputFiles(file);
    const expected = before + RECORDS;
    const asked = page.getByRole('dialog', { name: /Import/ }).getByRole('button', { name: 'Add to this project' });
    const askedAt = await withTimeout(
      Promise.race([
        asked.waitFor({ timeout: TIMEOUT_MS }).then(() => page.evaluate(() => performance.now())),
        heading(page).filter({ hasText: `(${expected})` }).waitFor({ timeout: TIMEOUT_MS }).then(() => null),
      ]),
      TIMEOUT_MS,
      'The import',
    );
    if (askedAt !== null) await asked.click();
    const t1 = await page.evaluate(() => performance.now());
    await heading(page).filter({ hasText: `(${expected})` }).waitFor({ timeout: TIMEOUT_MS });
    const shown = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))));
    await page.waitForFunction(() => window.__videoSeekerStore!.getState().project.status === 'saved' && window.__videoSeekerStore!.getState().transfer.busy === null, null, { timeout: TIMEOUT_MS });
    const saved = await page.evaluate(() => performance.now());
    const tasks = await page.evaluate((since) => window.__benchLongTasks!.filter((t) => t.start >= since), t0);
    const heapAfter = await heapMb(page);

    const r0 = Date.now();
    await page.reload();
    await page.getByRole('tab', { name: 'QA dataset' }).click();
    await heading(page).filter({ hasText: `(${expected})` }).waitFor({ timeout: TIMEOUT_MS });
    const reloadMs = Date.now() - r0;
    const heapReloaded = await heapMb(page);

    const decisionMs = askedAt === null ? 0 : t1 - askedAt;
    const result = {
      records: RECORDS,
      build: outDir,
      askedMs: askedAt === null ? null : round(askedAt - t0, 0),
      shownMs: round(shown - t0 - decisionMs, 0),
      savedMs: round(saved - t0 - decisionMs, 0),
      longestTaskMs: round(Math.max(0, ...tasks.map((t) => t.ms)), 0),
      longTasksTotalMs: round(tasks.reduce((s, t) => s + t.ms, 0), 0),
      heapMb: { before: heapBefore, after: heapAfter, afterReload: heapReloaded },
      reloadToItemsMs: reloadMs,
      note: 'times from the change event; the click on "Add to this project" is not counted',
    };
    log(JSON.stringify(result));
    if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof BenchError ? `[bench:import] ${e.message}` : e);
  process.exit(1);
});
