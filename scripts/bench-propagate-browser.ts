/**
 * The in-browser half of bench:propagate: the app itself (production build, vite preview) in
 * headless Chromium propagates a sequence's `<seq>.webm` from its first ground-truth mask, with
 * onnxruntime-web WASM, exactly as a user's "Propagate" does (video worker → segmentation worker
 * with its tracker). Reports the speed (the worker's own encoder / decoder / other times) and the
 * quality of what the app computed (J, F against the ground truth, frames decoded from the WebM).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import { boundaryF, regionJaccard } from '../src/core/mask/metrics';
import { decodeRle, encodeRle, type BinaryMask, type Rle } from '../src/core/mask/rle';
import type { EncoderKind } from '../src/core/segmentation/encoders';
import type { AppStore } from '../src/store/appStore';
import { appBuildState, BenchError, freePort, launchChromium, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
  }
}

export interface BrowserSequenceResult {
  readonly name: string;
  /** Propagated frames (after the anchor). */
  readonly frames: number;
  readonly J: number;
  readonly F: number;
  readonly JF: number;
  readonly fps: number;
  readonly encoderMsPerFrame: number;
  readonly decoderMsPerFrame: number;
  readonly otherMsPerFrame: number;
  readonly nonEncoderMsPerFrame: number;
  /** Wall time per frame minus the worker's encoder time: decoding, transfers, the UI's bookkeeping too. */
  readonly wallNonEncoderMsPerFrame: number;
  readonly nonEncoderShareOfEncoder: number;
}

export interface BrowserRun {
  readonly runtime: string;
  /** The SAM encoder the app loaded (the model status says it). */
  readonly encoder: EncoderKind;
  readonly chromium: string;
  readonly sequences: readonly BrowserSequenceResult[];
  readonly skipped: readonly string[];
}

export interface SequenceInput {
  readonly name: string;
  readonly dir: string;
  readonly frames: readonly string[];
  readMask(name: string): BinaryMask;
}

/** The app's production build served by vite preview, and a headless Chromium, for `body`. */
export async function withServedApp<T>(root: string, log: (m: string) => void, body: (browser: Browser, base: string) => Promise<T>): Promise<T> {
  const { build, preview } = await import('vite');
  // A build of its own, made again when the sources are newer (dist/ may be anyone's, and old).
  const outDir = join(root, '.bench-cache/propagate-dist');
  if (appBuildState(root, outDir) !== 'fresh') {
    log(`browser: building the app into ${outDir}...`);
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  }
  let server: PreviewServer | null = null;
  let browser: Browser | null = null;
  try {
    server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new BenchError('vite preview did not report its address');
    browser = await launchChromium();
    return await body(browser, base);
  } finally {
    await browser?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  }
}

/** A page of the app with `video` opened as a user does, the model (`encoder`) loaded. */
export async function openAppWithVideo(browser: Browser, base: string, video: string, encoder: EncoderKind, log: (m: string) => void): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => log(`  page error: ${e.message}`));
  // tsx wraps named functions in __name(); the page needs a no-op one for page.evaluate.
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(new URL(`?sample=0&encoder=${encoder}`, base).href);
  await page.getByRole('button', { name: 'Open video' }).click();
  await page.getByRole('dialog', { name: 'Open video' }).getByLabel('Video file').setInputFiles(video);
  await page.waitForFunction(() => {
    const s = window.__videoSeekerStore?.getState();
    return (s?.video.info?.frameCount ?? 0) > 0 && s?.project.status === 'saved' && s.model.status === 'ready';
  }, null, { timeout: 180_000 });
  const loaded = await page.evaluate(() => window.__videoSeekerStore!.getState().model.info?.encoder);
  if (loaded !== encoder) throw new BenchError(`The app loaded the ${loaded} encoder, not ${encoder}`);
  return page;
}

export async function runInBrowser(root: string, sequences: readonly SequenceInput[], maxFrames: number, log: (m: string) => void, encoder: EncoderKind = 'fp32'): Promise<BrowserRun> {
  return withServedApp(root, log, async (browser, base) => {
    const results: BrowserSequenceResult[] = [];
    const skipped: string[] = [];
    for (const seq of sequences) {
      const video = join(seq.dir, `${seq.name}.webm`);
      if (!existsSync(video)) {
        skipped.push(`${seq.name}: no ${seq.name}.webm`);
        continue;
      }
      const page = await openAppWithVideo(browser, base, video, encoder, log);
      const count = Math.min(maxFrames, seq.frames.length);
      const anchor = encodeRle(seq.readMask(seq.frames[0]!));
      log(`browser: ${seq.name}, ${count - 1} frames...`);
      const out = await withTimeout(
        page.evaluate(
          async ({ anchor, last }) => {
            const store = window.__videoSeekerStore!;
            const s = store.getState();
            // The first ground-truth mask as the user's anchor (a prompt, so it counts as one).
            s.loadAnnotations({
              instances: [{ id: 'gt', name: 'object', color: '#ff3b30', visible: true }],
              activeId: 'gt',
              frames: { 'gt@0': { prompts: [{ kind: 'point', x: 0, y: 0, positive: true }], mask: { rle: anchor, score: 1 } } },
            });
            s.setPropagationSettings({ direction: 'forward', scope: 'active', range: [0, last], step: { kind: 'every' } });
            await store.getState().propagate();
            const p = store.getState().propagation;
            const masklet = p.masklets['gt'] ?? {};
            return { stats: p.lastRun, error: p.error, frames: Object.entries(masklet).map(([f, m]) => ({ frame: Number(f), rle: m.rle })) };
          },
          { anchor, last: count - 1 },
        ),
        30 * 60_000,
        `Propagating ${seq.name} in the browser`,
      );
      await page.close();
      if (out.error || !out.stats) throw new BenchError(`The app could not propagate ${seq.name}: ${out.error ?? 'no result'}`);
      let j = 0;
      let f = 0;
      let n = 0;
      for (let k = 1; k < count; k++) {
        const truth = seq.readMask(seq.frames[k]!);
        const got = out.frames.find((x) => x.frame === k);
        const mask: BinaryMask = got?.rle ? decodeRle(got.rle as Rle) : { width: truth.width, height: truth.height, data: new Uint8Array(truth.width * truth.height) };
        j += regionJaccard(mask, truth);
        f += boundaryF(mask, truth);
        n++;
      }
      const st = out.stats;
      const per = (ms: number): number => round(ms / Math.max(1, st.frames), 1);
      const nonEncoder = st.decoderMs + st.otherMs;
      results.push({
        name: seq.name,
        frames: st.frames,
        J: round(j / n, 4),
        F: round(f / n, 4),
        JF: round((j + f) / (2 * n), 4),
        fps: round((st.frames * 1000) / st.wallMs, 3),
        encoderMsPerFrame: per(st.encoderMs),
        decoderMsPerFrame: per(st.decoderMs),
        otherMsPerFrame: per(st.otherMs),
        nonEncoderMsPerFrame: per(nonEncoder),
        wallNonEncoderMsPerFrame: per(st.wallMs - st.encoderMs),
        nonEncoderShareOfEncoder: round(nonEncoder / Math.max(1, st.encoderMs), 3),
      });
      log(`browser: ${seq.name}: ${JSON.stringify(results[results.length - 1])}`);
    }
    return { runtime: 'onnxruntime-web WASM in the app (headless Chromium, segmentation worker)', encoder, chromium: browser.version(), sequences: results, skipped };
  });
}
