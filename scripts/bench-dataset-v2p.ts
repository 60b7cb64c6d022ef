/**
 * bench:dataset's `v2p` half: a V2P-Bench download opened as one project.
 *
 * The folder (cached in .bench-cache/v2p/, made again when V2P below changes): `dataset_info.json`
 * with 1,169 records in the benchmark's field order over 980 videos `videos/<Source>/<name>.mp4`
 * in 6 sources (in path order; 189 videos have 2 or 3 items; 85 % multiple choice with the
 * benchmark's options and instruction, the rest open-ended; every 97th record has a two-image
 * `frame_path` list) and one JPEG per `frame_path` (`frames/<Source>/<name>.jpg`). The 980 videos
 * are ONE 5 s 640×360 H.264 clip (testsrc2, the frame number burnt in, +faststart, ~250 KB)
 * hard-linked under 980 names, the images one small JPEG likewise: the app reads each as a file of
 * its own. Records come from a seeded PRNG, so the folder is the same on every machine.
 *
 * In the app (`?sample=0&model=off&folders=input`: the folder <input>, as where there is no
 * directory picker, so the files are copied into the browser), it measures:
 *   - importToUsableMs: setInputFiles on "Import dataset folder" (the QA tab) → the QA table
 *     ("QA items") shows the first imported item, the heading counts all 1,169, and the QA panel's
 *     report names the new project (one check per animation frame);
 *   - copyAllMs: → `dataset.copying` is null again (every video and image copied into OPFS in the
 *     background while the project is already usable), the longest task and animation-frame gap
 *     meanwhile, what OPFS holds; a switch to a third video while the copy runs;
 *   - switchVideoMs: 8 switches between two videos, a click on its row in the Videos panel (when
 *     the app has one; else the store's switchVideo) → that video's first frame drawn; the median,
 *     and switchVideoMaxMs;
 *   - saveAfterEditMs: after an object of the open video is renamed, the save that follows, as
 *     the repository's lastSaveStats() says (window.__videoSeekerBench): ms and parts written
 *     (1: that video's work); a QA note is measured the same way (the QA items part);
 *   - pageMemoryMB: the renderer's peak RSS (it holds the JS heap, the workers and the decoders)
 *     from the import to 5 s after the last step, with the JS heap and the per-phase peaks.
 * Targets (issue 14): importToUsableMs ≤ 5000, pageMemoryMB ≤ 500, switchVideoMs ≤ 300,
 * saveAfterEditMs ≤ 50.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from '@playwright/test';
import { MC_PROMPT, questionWithOptions } from '../src/core/agent/prompts';
import { DIMENSIONS } from '../src/core/qa/dimensions';
import type { V2pRecord } from '../src/core/qa/v2p';
import { BenchError, percentile, prng, round } from './bench-lib.mjs';
import { blockedBetween, frameDrawn, log, MEMORY_NOTE, now, openApp, profiled, storageUse, type HotFunction } from './bench-dataset-page';

/** Change `generator` when the folder's contents change: the cache is made again. */
const V2P = { generator: 2, seed: 14, videos: 980, items: 1169, clipS: 5, fps: 25, width: 640, height: 360, folder: 'v2p-bench-980' } as const;
const SOURCES = ['ActivityNet', 'Charades', 'Ego4D', 'MLVU', 'VidSTG', 'YouCook2'] as const;
const THINGS = ['the person', 'the dog', 'the car', 'the ball', 'the cup', 'the bicycle', 'the knife', 'the door'];
const ACTIONS = ['pick up', 'put down', 'open', 'hold', 'pass', 'look at'];
const DONE = ['picks up', 'puts down', 'opens', 'holds', 'passes', 'looks at'];
const COLOURS = ['red', 'blue', 'white', 'black', 'green', 'yellow'];
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';

export interface V2pFolder {
  readonly dir: string;
  readonly records: readonly V2pRecord[];
  /** The distinct video paths (under videos/), in first-appearance order. */
  readonly videoPaths: readonly string[];
  readonly frameFiles: number;
}

/** The records: videos in path order, each with its one to three items. */
function records(): V2pRecord[] {
  const r = prng(V2P.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const videos = Array.from({ length: V2P.videos }, (_, i) => {
    const source = pick(SOURCES);
    return { source, name: `${source.toLowerCase()}_${String(i).padStart(4, '0')}`, items: 1 };
  }).sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : a.name < b.name ? -1 : 1));
  for (let extra = V2P.videos; extra < V2P.items; extra++) {
    // Only videos with one or two items take another: at most three.
    let v = pick(videos);
    while (v.items >= 3) v = pick(videos);
    v.items++;
  }
  const out: V2pRecord[] = [];
  for (const v of videos) {
    for (let k = 0; k < v.items; k++) {
      const n = out.length;
      const stem = k === 0 ? `${v.source}/${v.name}` : `${v.source}/${v.name}_${k + 1}`;
      const framePath = n % 97 === 50 ? [`${stem}_a.jpg`, `${stem}_b.jpg`] : `${stem}.jpg`;
      const base = `What does ${pick(THINGS)} in the red box ${pick(ACTIONS)} right after it appears (item ${n})?`;
      const mc = r() < 0.85;
      const options = mc ? [0, 1, 2, 3].map(() => `The ${pick(COLOURS)} one near ${pick(THINGS)}`) : [];
      out.push({
        video_id: v.name,
        video_path: `${v.source}/${v.name}.mp4`,
        duration: V2P.clipS,
        question: mc ? questionWithOptions(base, options) + MC_PROMPT : base,
        answer: mc ? pick(['A', 'B', 'C', 'D']) : `It ${pick(DONE)} ${pick(THINGS)}.`,
        source: v.source,
        frame_path: framePath,
        dimension: pick(DIMENSIONS).code,
        category: 1 + Math.floor(r() * 4),
      });
    }
  }
  return out;
}

/** The folder, made once and cached: one clip and one image, hard-linked under every name. */
export function v2pFolder(root: string): V2pFolder {
  const cache = join(root, '.bench-cache/v2p');
  const dir = join(cache, V2P.folder);
  const stamp = join(cache, `${V2P.folder}.json`);
  const recs = records();
  const videoPaths = [...new Set(recs.map((x) => x.video_path))];
  const frames = [...new Set(recs.flatMap((x) => (typeof x.frame_path === 'string' ? [x.frame_path] : x.frame_path)))];
  const expected = JSON.stringify({ ...V2P, frames: frames.length });
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, 'utf8') === expected) return { dir, records: recs, videoPaths, frameFiles: frames.length };

  mkdirSync(cache, { recursive: true });
  const ffmpeg = (args: string[]): void => void execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  const clip = join(cache, 'clip-5s.mp4');
  const image = join(cache, 'frame.jpg');
  log(`v2p: making a ${V2P.clipS} s ${V2P.width}x${V2P.height} clip and a frame image…`);
  ffmpeg([
    // testsrc2 moves, so the clip has the bits of real footage (about 250 KB, not 30).
    '-f', 'lavfi', '-i', `testsrc2=s=${V2P.width}x${V2P.height}:r=${V2P.fps}:d=${V2P.clipS}`,
    '-vf', `drawtext=fontfile=${FONT}:text='%{frame_num}':x=(w-text_w)/2:y=(h-text_h)/2:fontsize=120:fontcolor=white:box=1:boxcolor=black`,
    '-c:v', 'libx264', '-preset', 'medium', '-crf', '30', '-g', String(V2P.fps), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', clip,
  ]);
  // Frame 50 with the visual prompt drawn, as V2P-Bench's frame images have it.
  ffmpeg(['-i', clip, '-vf', 'select=eq(n\\,50),drawbox=x=200:y=110:w=240:h=180:color=0xff0000:t=10', '-frames:v', '1', '-update', '1', '-q:v', '5', image]);

  log(`v2p: writing ${videoPaths.length} videos, ${frames.length} frame images and ${recs.length} records…`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const place = (from: string, to: string): void => {
    mkdirSync(dirname(to), { recursive: true });
    linkSync(from, to);
  };
  for (const p of videoPaths) place(clip, join(partial, 'videos', p));
  for (const p of frames) place(image, join(partial, 'frames', p));
  // One record a line, as the e2e fixture writes them.
  writeFileSync(join(partial, 'dataset_info.json'), `[\n${recs.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n]\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  writeFileSync(stamp, expected);
  return { dir, records: recs, videoPaths, frameFiles: frames.length };
}

interface SaveStats {
  readonly writtenParts: number;
  readonly ms: number;
}
type BenchHook = { __videoSeekerBench?: { lastSaveStats(): SaveStats | null } };

/**
 * Makes one edit once the project is saved, and waits for the save that follows: what
 * lastSaveStats() says of it, and edit → saved (the save's debounce included).
 */
async function editAndSave(page: Page, edit: 'add-object' | 'rename-object' | 'qa-note'): Promise<{ ms: number; writtenParts: number; editToSavedMs: number }> {
  return page.evaluate(async (edit) => {
    const store = window.__videoSeekerStore!;
    const hook = (window as unknown as BenchHook).__videoSeekerBench;
    if (!hook) throw new Error('window.__videoSeekerBench is missing: a build from before the hook (src/app/main.tsx)');
    const until = (done: () => boolean): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => (done() ? resolve() : void setTimeout(check, 2));
        check();
      });
    await until(() => store.getState().project.status === 'saved');
    const before = hook.lastSaveStats();
    const s = store.getState();
    const t0 = performance.now();
    if (edit === 'add-object') s.addInstance();
    else if (edit === 'rename-object') s.renameInstance(s.annotation.history.present.instances.at(-1)!.id, 'Renamed by the bench');
    else s.updateQaItem(s.qa.history.present[0]!.id, { notes: 'A note from the bench' });
    await until(() => hook.lastSaveStats() !== before && store.getState().project.status === 'saved');
    const after = hook.lastSaveStats()!;
    return { ms: Math.round(after.ms * 10) / 10, writtenParts: after.writtenParts, editToSavedMs: Math.round(performance.now() - t0) };
  }, edit);
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fileName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Sets the folder on "Import dataset folder" (the QA tab is shown) and waits, checking once per
 * animation frame, until the QA table shows the first record's question, the heading counts every
 * record and the report names the new project. Page times: the files in the input, usable.
 */
async function importFolder(page: Page, folder: V2pFolder, timeoutMs: number): Promise<readonly [number, number]> {
  await page.getByRole('region', { name: 'QA dataset' }).getByLabel('Import dataset folder').setInputFiles(folder.dir);
  const filesSet = await now(page);
  const usable = await page.waitForFunction(
    ({ question, count, project }) => {
      const panel = document.querySelector('section[aria-label="QA dataset"]');
      const rows = [...(panel?.querySelectorAll('table[aria-label="QA items"] tbody tr') ?? [])];
      const shown = rows.some((r) => r.textContent?.includes(question));
      const counted = panel?.querySelector('h2')?.textContent === `QA dataset (${count})`;
      const reported = [...(panel?.querySelectorAll('[role="status"]') ?? [])].some((s) => s.textContent?.includes(`in the new project “${project}”`));
      const error = panel?.querySelector('[role="alert"]')?.textContent;
      if (error) return `error: ${error}`;
      return shown && counted && reported ? performance.now() : false;
    },
    { question: folder.records[0]!.question.split('\n')[0]!, count: folder.records.length, project: V2P.folder },
    { timeout: timeoutMs, polling: 'raf' },
  );
  const at = await usable.jsonValue();
  if (typeof at !== 'number') throw new BenchError(`v2p: the import failed: ${at}`);
  return [filesSet, at];
}

/**
 * Opens the two videos in turn, 8 times: a click on the video's row of the Videos panel (the
 * input event's time) or the store's switchVideo → its first frame drawn (ms each).
 */
async function switchBetween(page: Page, paths: readonly [string, string], ids: ReadonlyMap<string, string>, viaPanel: boolean, timeoutMs: number): Promise<number[]> {
  const switches: number[] = [];
  for (let i = 0; i < 8; i++) {
    const path = paths[i % 2]!;
    let t: number;
    if (viaPanel) {
      // The row's name starts with its first cell, the video's path.
      await page.getByRole('table', { name: 'Project videos' }).getByRole('row', { name: new RegExp(`^${escapeRe(path)}(\\s|$)`) }).click();
      t = await page.evaluate(() => window.__benchInputAt!);
    } else {
      t = await page.evaluate((id) => {
        const at = performance.now();
        void window.__videoSeekerStore!.getState().switchVideo(id);
        return at;
      }, ids.get(path)!);
    }
    switches.push(round((await frameDrawn(page, fileName(path), 0, timeoutMs)) - t, 0));
  }
  return switches;
}

export interface V2pOptions {
  readonly timeoutMs: number;
  /** --profile: the build folder whose source maps place the hot functions; null: no profiling. */
  readonly profileDist: string | null;
}

export async function runV2p(root: string, base: string, { timeoutMs, profileDist }: V2pOptions): Promise<Record<string, unknown>> {
  const folder = v2pFolder(root);
  const app = await openApp(base, '?sample=0&model=off&folders=input', timeoutMs, (page) =>
    page.evaluate(() => {
      const s = window.__videoSeekerStore?.getState();
      if (!s) return null;
      const d = s.dataset;
      return { project: s.project.status, videos: d.videos.length, open: d.openVideoId, copying: d.copying, switching: d.switching, message: d.message, items: s.qa.history.present.length };
    }),
  );
  try {
    const { page, probe } = app;
    const maybeProfiled = <T>(task: () => Promise<T>): Promise<{ result: T; hot: HotFunction[] | null }> =>
      profileDist === null ? task().then((result) => ({ result, hot: null })) : profiled(page, profileDist, task);
    await page.getByRole('tab', { name: 'QA dataset' }).click();
    const before = await page.evaluate(() => window.__videoSeekerStore!.getState().project.current?.id ?? null);
    await new Promise((r) => setTimeout(r, 500));

    // 1. Import: the folder picked → the QA table shows the items of the new project.
    probe.phase = 'import';
    log(`v2p: importing ${folder.records.length} records over ${folder.videoPaths.length} videos…`);
    const firstVideo = fileName(folder.videoPaths[0]!);
    const t0 = await now(page);
    const firstFrame = frameDrawn(page, firstVideo, 0, timeoutMs);
    firstFrame.catch(() => undefined); // awaited below; a failed import throws first
    const { result: [filesSet, usable], hot: importHot } = await maybeProfiled(() => importFolder(page, folder, timeoutMs));
    const importToUsableMs = round(usable - t0, 0);
    const firstFrameMs = round((await firstFrame) - t0, 0);
    const project = await page.evaluate(() => {
      const s = window.__videoSeekerStore!.getState();
      return { id: s.project.current?.id ?? null, videos: s.dataset.videos.map((v) => ({ id: v.id, path: v.path })), copying: s.dataset.copying };
    });
    if (project.id === null || project.id === before) throw new BenchError('v2p: the items did not arrive in a new project');
    if (project.videos.length !== folder.videoPaths.length) throw new BenchError(`v2p: ${project.videos.length} project videos, expected ${folder.videoPaths.length}`);
    const importBlocking = await blockedBetween(page, t0, usable);
    log(`v2p: usable after ${importToUsableMs} ms (files in the input after ${round(filesSet - t0, 0)} ms, first frame after ${firstFrameMs} ms); copying ${JSON.stringify(project.copying)}`);

    const byPath = new Map(project.videos.map((v) => [v.path, v.id]));
    const [pathA, pathB, pathC] = folder.videoPaths as [string, string, string];

    // 2. The background copy into OPFS; one switch to a third video meanwhile.
    probe.phase = 'copy';
    let switchDuringCopy: { ms: number; copyStillRunning: boolean } | null = null;
    if (project.copying !== null) {
      const t = await page.evaluate((id) => {
        const at = performance.now();
        void window.__videoSeekerStore!.getState().switchVideo(id);
        return at;
      }, byPath.get(pathC)!);
      const drawn = await frameDrawn(page, fileName(pathC), 0, timeoutMs);
      switchDuringCopy = { ms: round(drawn - t, 0), copyStillRunning: await page.evaluate(() => window.__videoSeekerStore!.getState().dataset.copying !== null) };
      log(`v2p: a switch while copying: ${JSON.stringify(switchDuringCopy)}`);
    }
    await page.waitForFunction(() => window.__videoSeekerStore!.getState().dataset.copying === null, null, { timeout: timeoutMs, polling: 100 });
    const copied = await now(page);
    const copyAllMs = round(copied - t0, 0);
    const copyMessage = await page.evaluate(() => window.__videoSeekerStore!.getState().dataset.message);
    if (copyMessage !== null) throw new BenchError(`v2p: the copy stopped: ${copyMessage}`);
    const copyBlocking = await blockedBetween(page, usable, copied);
    const storage = await storageUse(page);
    log(`v2p: everything copied ${copyAllMs} ms after the pick; ${JSON.stringify(storage)}`);

    // 3. Switches between two videos: the Videos panel when the app has it, else the store.
    probe.phase = 'switch';
    const videosTab = page.getByRole('tab', { name: 'Videos' });
    const viaPanel = (await videosTab.count()) > 0;
    if (viaPanel) await videosTab.click();
    const { result: switches, hot: switchHot } = await maybeProfiled(() => switchBetween(page, [pathA, pathB], byPath, viaPanel, timeoutMs));
    log(`v2p: switches (${viaPanel ? 'Videos panel' : 'store switchVideo'}): ${JSON.stringify(switches)}`);

    // 4. One edit, the save that follows.
    probe.phase = 'edit';
    const addObject = await editAndSave(page, 'add-object');
    const rename = await editAndSave(page, 'rename-object');
    const qaNote = await editAndSave(page, 'qa-note');
    log(`v2p: saves: add ${JSON.stringify(addObject)}, rename ${JSON.stringify(rename)}, QA note ${JSON.stringify(qaNote)}`);

    probe.phase = 'after';
    await new Promise((r) => setTimeout(r, 5000));
    await probe.stop();
    const working = probe.peaks('import', 'copy', 'switch', 'edit', 'after');
    const frameLists = folder.records.filter((x) => typeof x.frame_path !== 'string').length;
    return {
      items: folder.records.length,
      videos: folder.videoPaths.length,
      importToUsableMs,
      pageMemoryMB: working.rendererMb,
      // The median of 8 switches; the max beside it.
      switchVideoMs: round(percentile(switches, 0.5), 0),
      switchVideoMaxMs: Math.max(...switches),
      saveAfterEditMs: rename.ms,
      saveAfterEditParts: rename.writtenParts,
      switches: { all: switches, via: viaPanel ? 'Videos panel (click on the row)' : 'store switchVideo (no Videos panel in this build)' },
      folder: {
        videoFiles: folder.videoPaths.length,
        frameFiles: folder.frameFiles,
        recordsWithFrameLists: frameLists,
        openEnded: folder.records.filter((x) => !x.question.includes(MC_PROMPT)).length,
        clip: `${V2P.clipS} s ${V2P.width}x${V2P.height} H.264 ${V2P.fps} fps, hard-linked`,
      },
      import: { filesInInputMs: round(filesSet - t0, 0), firstFrameMs, ...importBlocking },
      copy: { copyAllMs, afterUsableMs: round(copied - usable, 0), ...copyBlocking, switchDuringCopy, storage },
      saves: { renameObject: rename, addObject, qaNote, note: 'ms: lastSaveStats() (validate + one IndexedDB transaction); editToSavedMs adds the 400 ms save debounce' },
      memory: { jsHeapPeakMb: working.jsHeapMb, peaksMb: { beforeImport: probe.peaks('start'), import: probe.peaks('import'), copy: probe.peaks('copy'), switch: probe.peaks('switch'), edit: probe.peaks('edit'), after: probe.peaks('after') }, note: `pageMemoryMB is the renderer's peak RSS from the import to 5 s after the last edit. ${MEMORY_NOTE}` },
      ...(profileDist === null ? {} : { profile: { note: 'main thread, most self time; profiled run: its figures are slowed by the profiler', import: importHot, switches: switchHot } }),
      targets: { importToUsableMs: 5000, pageMemoryMB: 500, switchVideoMs: 300, saveAfterEditMs: 50, saveAfterEditParts: 1 },
    };
  } finally {
    await app.close();
  }
}
