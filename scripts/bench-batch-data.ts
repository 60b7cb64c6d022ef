/**
 * bench:batch's data: a V2P-Bench folder of 200 items over 50 videos, 1280×720 H.264 of 1 to 10
 * minutes, cached in .bench-cache/batch/ (made again when BATCH below changes).
 *
 * Encoding 50 long clips would cost more than the benchmark, so ONE 60 s clip is encoded
 * (testsrc2, moving, ultrafast, a key frame every `keyintS`, 1.2 Mbit/s) and concatenated with the
 * concat demuxer and `-c copy` into 1, 3, 6 and 10 minute files (seconds, not encodes); the 50
 * videos are hard links to those four under their own names, the prompt images one 1280×720 JPEG
 * (a red box drawn on a frame) likewise. The app reads each as a file of its own. Records: four
 * per video, video by video, multiple choice with the benchmark's options and instruction, from
 * a seeded PRNG, so the folder is the same on every machine.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MC_PROMPT, questionWithOptions } from '../src/core/agent/prompts';
import { DIMENSIONS } from '../src/core/qa/dimensions';
import type { V2pRecord } from '../src/core/qa/v2p';
import { prng } from './bench-lib.mjs';

/** Change `generator` when the folder's contents change: the cache is made again. */
export const BATCH = { generator: 1, seed: 16, videos: 50, itemsPerVideo: 4, clipS: 60, minutes: [1, 3, 6, 10], width: 1280, height: 720, fps: 30, bitrateK: 1200 } as const;
const SOURCES = ['ActivityNet', 'Charades', 'Ego4D', 'MLVU', 'VidSTG', 'YouCook2'] as const;
const THINGS = ['the person', 'the dog', 'the car', 'the ball', 'the cup', 'the bicycle'];
const ACTIONS = ['pick up', 'put down', 'open', 'hold', 'pass', 'look at'];
const COLOURS = ['red', 'blue', 'white', 'black', 'green', 'yellow'];

export interface BatchFolder {
  readonly dir: string;
  readonly records: readonly V2pRecord[];
  readonly videoPaths: readonly string[];
  readonly bytes: number;
  readonly keyintS: number;
}

function records(durations: readonly number[]): V2pRecord[] {
  const r = prng(BATCH.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const out: V2pRecord[] = [];
  for (let v = 0; v < BATCH.videos; v++) {
    const source = SOURCES[v % SOURCES.length]!;
    const name = `${source.toLowerCase()}_${String(v).padStart(3, '0')}`;
    for (let k = 0; k < BATCH.itemsPerVideo; k++) {
      const n = out.length;
      const options = [0, 1, 2, 3].map(() => `The ${pick(COLOURS)} one near ${pick(THINGS)}`);
      out.push({
        video_id: name,
        video_path: `${source}/${name}.mp4`,
        duration: durations[v % durations.length]!,
        question: questionWithOptions(`What does ${pick(THINGS)} in the red box ${pick(ACTIONS)} right after it appears (item ${n})?`, options) + MC_PROMPT,
        answer: pick(['A', 'B', 'C', 'D']),
        source,
        frame_path: `${source}/${name}_${k + 1}.jpg`,
        dimension: pick(DIMENSIONS).code,
        category: 1 + Math.floor(r() * 4),
      });
    }
  }
  return out;
}

/** The folder, made once and cached. `log` reports what is being made. */
export function batchFolder(root: string, keyintS: number, log: (m: string) => void): BatchFolder {
  const cache = join(root, '.bench-cache/batch');
  const name = `v2p-batch-200-key${keyintS}s`;
  const dir = join(cache, name);
  const stamp = join(cache, `${name}.json`);
  const durations = BATCH.minutes.map((m) => m * 60);
  const recs = records(durations);
  const videoPaths = [...new Set(recs.map((x) => x.video_path))];
  const expected = JSON.stringify({ ...BATCH, keyintS });
  // The bytes the app reads: each video's file (hard links share their data on disk, not in the app).
  const sizeOf = (): number => videoPaths.reduce((sum, p) => sum + statSync(join(dir, 'videos', p)).size, 0);
  if (existsSync(dir) && existsSync(stamp) && readFileSync(stamp, 'utf8') === expected) return { dir, records: recs, videoPaths, bytes: sizeOf(), keyintS };

  mkdirSync(cache, { recursive: true });
  const ffmpeg = (args: string[]): void => void execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: 'inherit' });
  const clip = join(cache, `clip-60s-key${keyintS}s.mp4`);
  log(`making a ${BATCH.clipS} s ${BATCH.width}x${BATCH.height} clip (key frame every ${keyintS} s)…`);
  const gop = String(Math.round(keyintS * BATCH.fps));
  ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${BATCH.width}x${BATCH.height}:rate=${BATCH.fps}:duration=${BATCH.clipS}`,
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', gop, '-keyint_min', gop, '-sc_threshold', '0',
    '-b:v', `${BATCH.bitrateK}k`, '-maxrate', `${Math.round(BATCH.bitrateK * 1.25)}k`, '-bufsize', `${BATCH.bitrateK * 2}k`, clip,
  ]);
  for (const m of BATCH.minutes) {
    const list = join(cache, 'concat.txt');
    writeFileSync(list, Array.from({ length: m }, () => `file '${clip}'\n`).join(''));
    log(`concatenating it into ${m} min…`);
    ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-movflags', '+faststart', join(cache, `clip-${m}min-key${keyintS}s.mp4`)]);
    rmSync(list);
  }
  const image = join(cache, 'frame.jpg');
  ffmpeg(['-i', clip, '-vf', 'select=eq(n\\,50),drawbox=x=400:y=220:w=480:h=280:color=0xff0000:t=12', '-frames:v', '1', '-update', '1', '-q:v', '5', image]);

  log(`writing ${videoPaths.length} videos, ${recs.length} frame images and records…`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  const place = (from: string, to: string): void => {
    mkdirSync(dirname(to), { recursive: true });
    linkSync(from, to);
  };
  videoPaths.forEach((p, v) => place(join(cache, `clip-${BATCH.minutes[v % BATCH.minutes.length]!}min-key${keyintS}s.mp4`), join(partial, 'videos', p)));
  for (const rec of recs) place(image, join(partial, 'frames', rec.frame_path as string));
  writeFileSync(join(partial, 'dataset_info.json'), `[\n${recs.map((x) => `  ${JSON.stringify(x)}`).join(',\n')}\n]\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  rmSync(clip);
  writeFileSync(stamp, expected);
  return { dir, records: recs, videoPaths, bytes: sizeOf(), keyintS };
}
