/**
 * bench:query — how fast the app gets a VideoSeeker question on the wire, and how big it is.
 *
 * Serves the production build (vite preview, as `npm start`), opens it in headless Chromium on
 * the built-in sample video, and asks the endpoint test double (testing/fake-endpoint) a question
 * about an instance whose mask is put in place through the app's store (the segmentation model is
 * not what is measured here, so it is not loaded). Measured from the app's own trajectory records
 * and cross-checked against what the double received:
 *   - askToFirstRequestMs: Ask → first request sent (64 frames at 200704 px, JPEG), cold: nothing
 *     encoded yet; and warm (the same frames again, from the app's frame cache);
 *   - requestBytes / requestBytesPng: that request's size with JPEG frames and with PNG frames
 *     (the reference client's choice);
 *   - cropVideo30sMs: executing crop_video over 30 s (30 frames at 112896 px), as the model asks.
 * Targets (issue 4): ≤ 2 s to the first request; the JPEG request ≤ 30 % of the PNG one.
 *
 *   npm run bench:query -- --json [--dist <build folder>]
 *   (serves its own build, .bench-cache/query-dist, made again when a source is newer; it served
 *   whatever dist/ held before, which could be an old build or another person's)
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import type { AppStore } from '../src/store/appStore';
import { startFakeEndpoint, type FakeEndpoint } from '../testing/fake-endpoint/server';
import { appBuildState, BenchError, freePort, launchChromium, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const log = (m: string): void => {
  if (!json) console.log(m);
  else console.error(m);
};

interface AskOutcome {
  readonly askToFirstRequestMs: number;
  /** Ask → the question's frames encoded (the rest is building and sending the request). */
  readonly framesEncodedMs: number;
  readonly requestBytes: number;
  readonly frames: number;
  readonly frameSize: string;
  readonly cropMs: number | null;
  readonly cropFrames: number | null;
  readonly status: string;
}

/** Runs one query through the app's store and reads its timings back from the trajectory. */
async function ask(page: Page): Promise<AskOutcome> {
  return page.evaluate(async () => {
    const store = window.__videoSeekerStore!;
    const before = store.getState().ask.queries.length;
    const t0 = Date.now();
    let framesAt = NaN;
    const unsubscribe = store.subscribe((st) => {
      const q = st.ask.queries[before];
      if (Number.isNaN(framesAt) && q && q.trajectory.frames.length > 0) framesAt = Date.now();
    });
    await store.getState().askQuestion();
    const id = store.getState().ask.queries[before]!.id;
    const query = () => store.getState().ask.queries.find((q) => q.id === id)!;
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (!store.getState().ask.running.includes(id) && query().trajectory.status !== 'preparing') resolve();
        else setTimeout(check, 20);
      };
      check();
    });
    unsubscribe();
    const t = query().trajectory;
    const first = t.rounds[0];
    const crop = t.rounds.flatMap((r) => r.toolCalls).find((c) => c.name === 'crop_video');
    return {
      askToFirstRequestMs: first ? first.startedAt - t0 : NaN,
      framesEncodedMs: framesAt - t0,
      requestBytes: first?.requestBytes ?? NaN,
      frames: t.frames.length,
      frameSize: t.frames[0] ? `${t.frames[0].width}x${t.frames[0].height}` : '',
      cropMs: crop?.ms ?? null,
      cropFrames: crop ? crop.images.length : null,
      status: `${t.status}${t.problems.length ? `: ${t.problems.map((p) => p.message).join('; ')}` : ''}`,
    };
  });
}

/** A new tab on the app (its own video worker: nothing decoded yet), with one masked object and the double as endpoint. */
async function openApp(browser: Browser, base: string, endpoint: string, question: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => log(`  page error: ${e.message}`));
  // tsx (esbuild) wraps named functions in __name(...) calls, which also land in the code
  // page.evaluate sends to the page; give the page a no-op __name.
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(new URL('?model=off', base).href);
  // Opened, and its project created (which starts with no annotations): only then put ours in.
  await page.waitForFunction(
    () => {
      const s = window.__videoSeekerStore?.getState();
      return (s?.video.info?.frameCount ?? 0) > 0 && s?.project.current !== null && s?.project.status === 'saved';
    },
    null,
    { timeout: 60_000 },
  );
  const video = await page.evaluate(({ endpoint, question }) => {
    const store = window.__videoSeekerStore!;
    const s = store.getState();
    const { width, height, durationS, frameCount, name } = s.video.info!;
    // A 60x120 px object on frame 0 (column-major RLE: 60 columns of 120 set pixels).
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
    s.setDraft({ question, vpType: 'rectangle' });
    return { width, height, durationS, frameCount, name };
  }, { endpoint, question });
  return { page, video };
}

async function main(): Promise<void> {
  const { build, preview } = await import('vite');
  const distArg = args.indexOf('--dist');
  const given = distArg >= 0 ? args[distArg + 1] : undefined;
  const outDir = given === undefined ? join(ROOT, '.bench-cache/query-dist') : given.startsWith('/') ? given : join(ROOT, given);
  if (given === undefined && (args.includes('--build') || appBuildState(ROOT, outDir) !== 'fresh')) {
    log(`building the app into ${outDir}...`);
    await build({ root: ROOT, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  if (!existsSync(join(outDir, 'index.html'))) throw new BenchError(`no build in ${outDir}`);
  let server: PreviewServer | null = null;
  let fake: FakeEndpoint | null = null;
  const browser = await launchChromium();
  try {
    server = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
    fake = await startFakeEndpoint({ chunkDelayMs: 0, script: 'videoseeker', scriptOptions: { cropRange: [0, 30] } });
    const fresh = async (question: string) => openApp(browser, base, fake!.url, question);
    const { page, video } = await fresh(''); // the question is set right before Ask: no head start
    // As a user would: the timeline's thumbnails are in and the preview is drawn before Ask.
    await page.waitForFunction(() => window.__videoSeekerStore!.getState().video.thumbnails.length >= 24, null, { timeout: 60_000 });
    await page.waitForTimeout(1000);
    await page.evaluate(() => window.__videoSeekerStore!.getState().setDraft({ question: 'What is <vp> doing?' }));
    log(`sample: ${video.name} ${video.width}x${video.height}, ${video.durationS.toFixed(1)} s, ${video.frameCount} frames`);

    const cold = await withTimeout(ask(page), 120_000, 'The first (cold) query');
    log(`JPEG, cold: ${JSON.stringify(cold)}`);
    const warm = await withTimeout(ask(page), 120_000, 'The warm query');
    log(`JPEG, warm: ${JSON.stringify(warm)}`);
    await page.evaluate(() => window.__videoSeekerStore!.getState().updateSettings({ imageFormat: 'png' }));
    const png = await withTimeout(ask(page), 180_000, 'The PNG query');
    log(`PNG: ${JSON.stringify(png)}`);

    // The realistic flow: the question is typed (5 s) while its frames are encoded in the background.
    const typed = await fresh('What is <vp> doing?');
    await typed.page.waitForTimeout(5000);
    const afterTyping = await withTimeout(ask(typed.page), 120_000, 'The query after typing');
    log(`JPEG, after typing: ${JSON.stringify(afterTyping)}`);

    // The double's own count of the bytes it received, and its verdict on what was sent.
    const received = fake.requests();
    const firsts = received.filter((r) => r.path.endsWith('/chat/completions') && r.toolRounds === 0);
    const problems = received.flatMap((r) => [...r.problems, ...(r.rejected ? [r.rejected] : [])]);
    if (problems.length > 0) throw new BenchError(`The endpoint double found protocol problems: ${problems.slice(0, 3).join(' | ')}`);
    for (const o of [cold, warm, png, afterTyping]) if (!o.status.startsWith('done')) throw new BenchError(`A query did not finish: ${o.status}`);

    const result = {
      video: `${video.name} ${video.width}x${video.height} ${round(video.durationS, 1)} s`,
      chromium: browser.version(),
      frames: cold.frames,
      frameSize: cold.frameSize,
      askToFirstRequestMs: round(cold.askToFirstRequestMs, 0),
      framesEncodedMs: round(cold.framesEncodedMs, 0),
      askToFirstRequestAfterTypingMs: round(afterTyping.askToFirstRequestMs, 0),
      askToFirstRequestWarmMs: round(warm.askToFirstRequestMs, 0),
      requestBytes: cold.requestBytes,
      requestBytesPng: png.requestBytes,
      jpegToPngRatio: round(cold.requestBytes / png.requestBytes, 3),
      receivedBytes: firsts.map((r) => r.bodyBytes).slice(0, 3),
      cropVideo30sMs: cold.cropMs === null ? null : round(cold.cropMs, 0),
      cropVideo30sFrames: cold.cropFrames,
      targets: { askToFirstRequestMs: 2000, jpegToPngRatio: 0.3 },
    };
    if (json) console.log(JSON.stringify(result, null, 2));
    else console.table(result);
  } finally {
    await browser.close().catch(() => undefined);
    await fake?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof BenchError ? `bench:query: ${e.message}` : e);
    process.exit(1);
  },
);
