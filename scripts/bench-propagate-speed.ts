/**
 * Propagation speed in the app itself (issue 15): headless Chromium, onnxruntime-web WASM, the
 * segmentation worker, for 1 object and for 5 objects, with the fp32 and the int8 encoder.
 *
 *   npm run -s bench:propagate-speed -- --json          # blackswan (../shared/fixtures/vos), 16 frames
 *   npm run bench:propagate-speed -- --frames 24 --encoders int8
 *
 * The sequence's `<seq>.webm` is opened as a user does. One object: its first ground-truth mask
 * is the anchor on frame 0, propagated forward over the frames. Five objects: the ground-truth
 * mask on frames 0, 2, 4, 6, 8 anchors one object each (five tracks over mostly the same frames,
 * as bench:propagate's Node multi-object case), all propagated forward together ("All objects"),
 * the way the app's job schedules them: one encoder pass per frame for every object on it.
 *
 * fps = frames computed / wall time of the run (from Propagate to the last mask in the store), so
 * video decoding, transfers and the UI's bookkeeping count. The worker's own encoder / decoder /
 * other times and its encoder passes come from the run's statistics (PropagationStats).
 * Each (encoder, objects) case runs in a fresh page, after the model is loaded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { encodeRle, type BinaryMask, type Rle } from '../src/core/mask/rle';
import { parseEncoderKind, type EncoderKind } from '../src/core/segmentation/encoders';
import { BenchError, round, withTimeout } from './bench-lib.mjs';
import { openAppWithVideo, withServedApp } from './bench-propagate-browser';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface SpeedCase {
  readonly encoder: EncoderKind;
  readonly objects: number;
  readonly anchors: readonly number[];
  /** Video frames computed (after the anchors) and (object, frame) steps. */
  readonly frames: number;
  readonly steps: number;
  readonly fps: number;
  readonly msPerFrame: number;
  readonly encoderPasses: number;
  readonly encoderPassesPerFrame: number;
  readonly encoderMsPerFrame: number;
  /** The worker's decoder + tracker + conversion time per (object, frame) step. */
  readonly nonEncoderMsPerStep: number;
  /** One encoder pass + objects × (decoder + tracker), the bound, against msPerFrame. */
  readonly boundMsPerFrame: number;
}

export interface SpeedRun {
  readonly runtime: string;
  readonly chromium: string;
  readonly sequence: string;
  readonly framesInVideo: number;
  readonly cases: readonly SpeedCase[];
}

function readMask(dir: string, frame: number): BinaryMask {
  const png = PNG.sync.read(readFileSync(join(dir, 'masks', `${String(frame).padStart(5, '0')}.png`)));
  const data = new Uint8Array(png.width * png.height);
  for (let i = 0; i < data.length; i++) data[i] = png.data[i * 4]! > 127 ? 1 : 0;
  return { width: png.width, height: png.height, data };
}

export async function runPropagationSpeed(root: string, sequenceDir: string, frames: number, encoders: readonly EncoderKind[], objectCounts: readonly number[], log: (m: string) => void): Promise<SpeedRun> {
  const name = sequenceDir.split('/').filter(Boolean).pop()!;
  const video = join(sequenceDir, `${name}.webm`);
  if (!existsSync(video)) throw new BenchError(`No ${video}`);
  const last = frames - 1;
  return withServedApp(root, log, async (browser, base) => {
    const cases: SpeedCase[] = [];
    for (const encoder of encoders) {
      for (const objects of objectCounts) {
        // Anchors 2 frames apart, all well before the last frame.
        const anchors = Array.from({ length: objects }, (_, k) => k * 2);
        if (anchors[anchors.length - 1]! >= last) throw new BenchError(`--frames ${frames} is too few for ${objects} objects anchored 2 frames apart`);
        const anchorRles = anchors.map((f) => encodeRle(readMask(sequenceDir, f)));
        const page = await openAppWithVideo(browser, base, video, encoder, log);
        log(`speed: ${encoder}, ${objects} object${objects === 1 ? '' : 's'} (anchors ${anchors.join(', ')}), frames 0-${last}...`);
        const out = await withTimeout(
          page.evaluate(
            async ({ anchors, anchorRles, last }) => {
              const store = window.__videoSeekerStore!;
              const colors = ['#ff3b30', '#34c759', '#007aff', '#ff9500', '#af52de', '#5ac8fa', '#ffcc00', '#ff2d55'];
              const instances = anchors.map((_, k) => ({ id: `o${k}`, name: `object ${k + 1}`, color: colors[k % colors.length]!, visible: true }));
              const framesDoc = Object.fromEntries(anchors.map((f, k) => [`o${k}@${f}`, { prompts: [{ kind: 'point' as const, x: 0, y: 0, positive: true }], mask: { rle: anchorRles[k]!, score: 1 } }]));
              store.getState().loadAnnotations({ instances, activeId: 'o0', frames: framesDoc });
              store.getState().setPropagationSettings({ direction: 'forward', scope: 'all', range: [0, last], step: { kind: 'every' } });
              await store.getState().propagate();
              const p = store.getState().propagation;
              const filled = Object.values(p.masklets).map((m) => Object.keys(m).length);
              return { stats: p.lastRun, error: p.error, filled };
            },
            { anchors, anchorRles: anchorRles as Rle[], last },
          ),
          30 * 60_000,
          `Propagating ${objects} objects with ${encoder}`,
        );
        await page.close();
        const st = out.stats;
        if (out.error || !st) throw new BenchError(`The app could not propagate ${objects} objects with ${encoder}: ${out.error ?? 'no result'}`);
        const expectedSteps = anchors.reduce((n, a) => n + (last - a), 0);
        if (st.steps !== expectedSteps) log(`  warning: ${st.steps} steps computed, ${expectedSteps} expected (a track stopped?)`);
        const nonEncoderMsPerStep = (st.decoderMs + st.otherMs) / Math.max(1, st.steps);
        const encoderMsPerFrame = st.encoderMs / Math.max(1, st.encoderPasses);
        const c: SpeedCase = {
          encoder,
          objects,
          anchors,
          frames: st.frames,
          steps: st.steps,
          fps: round((st.frames * 1000) / st.wallMs, 3),
          msPerFrame: round(st.wallMs / Math.max(1, st.frames), 1),
          encoderPasses: st.encoderPasses,
          encoderPassesPerFrame: round(st.encoderPasses / Math.max(1, st.frames), 3),
          encoderMsPerFrame: round(encoderMsPerFrame, 1),
          nonEncoderMsPerStep: round(nonEncoderMsPerStep, 1),
          boundMsPerFrame: round(encoderMsPerFrame + objects * nonEncoderMsPerStep, 1),
        };
        cases.push(c);
        log(`speed: ${JSON.stringify(c)}`);
      }
    }
    return { runtime: 'onnxruntime-web WASM in the app (headless Chromium, segmentation worker)', chromium: browser.version(), sequence: name, framesInVideo: frames, cases };
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      sequence: { type: 'string', default: resolve(ROOT, '../shared/fixtures/vos/blackswan') },
      frames: { type: 'string', default: '16' },
      encoders: { type: 'string', default: 'fp32,int8' },
      objects: { type: 'string', default: '1,5' },
    },
  });
  const frames = Number(values.frames);
  if (!Number.isInteger(frames) || frames < 2) throw new BenchError(`--frames: a whole number ≥ 2, not ${values.frames}`);
  const encoders = values.encoders.split(',').map((e) => parseEncoderKind(e.trim()) ?? (() => { throw new BenchError(`--encoders: fp32 or int8, not ${e}`); })());
  const objectCounts = values.objects.split(',').map((n) => Number(n));
  if (objectCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new BenchError(`--objects: whole numbers 1-8, not ${values.objects}`);
  const log = (m: string): void => console.error(`[bench:propagate-speed] ${m}`);
  const loadStart = loadavg()[0]!;
  const run = await runPropagationSpeed(ROOT, resolve(values.sequence), frames, encoders, objectCounts, log);
  const result = { ...run, cpus: cpus().length, loadAverage1m: { start: round(loadStart), end: round(loadavg()[0]!) }, date: new Date().toISOString() };
  if (values.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(`Propagation in the app, ${run.runtime}, Chromium ${run.chromium}, ${run.sequence}, frames 0-${frames - 1}\n`);
    for (const c of run.cases) process.stdout.write(`${c.encoder.padEnd(5)} ${String(c.objects).padStart(2)} object(s): ${c.fps} fps, ${c.msPerFrame} ms/frame (bound ${c.boundMsPerFrame}), ${c.encoderPassesPerFrame} encoder passes/frame, encoder ${c.encoderMsPerFrame} ms, decoder+tracker ${c.nonEncoderMsPerStep} ms/step\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(`bench:propagate-speed failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exit(1);
    },
  );
}
