/**
 * bench:review — how the review handles a 10,000-line results file (issue 7's target: import and
 * score in under a second).
 *
 *   npm run bench:review -- --json       (only the JSON object on stdout; progress on stderr)
 *
 * 1. Generates a results file in the reference client's JSON Lines form with a seeded PRNG: the
 *    V2P-Bench item fields (the multiple-choice question folded with its options and instruction),
 *    a VideoSeeker-style multi-round `response` (<think>, <tool_call> view_visual_prompt /
 *    crop_video blocks, <answer>), raw_output, user_text, predict, tool_calls, num_rounds and
 *    correct; ~5 % failed items (`response: null` and `error`), ~10 % open-ended items (half with
 *    a judge score), ~3 % lines with a person's `human_judgement`, the benchmark's twelve dimension
 *    codes and durations in all three buckets. Written to a temporary directory (removed at the end
 *    unless --keep).
 * 2. Node, the app's core only: parseResultLines, resultFromLine, matchResults (against no items
 *    and against 10,000 matching QA items), scoredOf + score, buildRows (alone, and paired with a
 *    second run): the first (cold) run and the median of --reps runs after a warm-up.
 * 3. The app (production build, vite preview) in headless Chromium, 1280x800, on the built-in
 *    sample (a project to save into; the model off): the Review workspace, the file set on the
 *    "Results file" input, timed until the filter status reads "10000 results" (read, parse, match,
 *    rows and scores of every result, first render) and until it is painted, then until the import
 *    has been saved to IndexedDB; the list scrolled by a viewport and by 5 rows (a wheel step)
 *    --steps times, each step from setting scrollTop to two animation frames later; J pressed
 *    --presses times, each press from keydown to the selection painted; the Scores tab and back.
 *    A second import of the file into the same project (compared with the first run, as the app
 *    does), a project with the 10,000 items the lines answer (every line matched; J then also moves
 *    the video), and, unless --no-profile, a CPU profile of an import and of the Scores tab with
 *    self time per source line (through the build's source maps). Long tasks (> 50 ms) of each
 *    step are listed. The app records no timings of its own except the run's createdAt (after
 *    read + parse + match, before rows are built), reported as appRunCreatedMs.
 *
 * Options: --lines <n> (10000), --seed <n> (7), --reps <n> (7), --steps <n> (60), --presses <n>
 * (20), --build (rebuild the app), --keep (keep the results file), --no-profile, --timeout <s> (180),
 * --no-sample (open the app without the sample: no project, so an import is not saved — what
 * saving costs, by difference).
 *
 * The app is built when dist/ is missing or older than its sources, into .bench-cache/review-dist
 * (so that a test run serving dist/ meanwhile is not disturbed); an up-to-date dist/ is used as is.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { PreviewServer } from 'vite';
import { buildUserText, MC_PROMPT, questionWithOptions, VISUAL_PROMPT_TYPES, vpPhrase, type VisualPromptType } from '../src/core/agent/prompts';
import type { QaItem } from '../src/core/qa/model';
import { fromV2pRecord, type V2pRecord } from '../src/core/qa/v2p';
import { matchResults } from '../src/core/review/match';
import { parseResultLines, resultFromLine, type ResultLine } from '../src/core/review/resultLines';
import { resultItemFromQa } from '../src/core/review/resultItem';
import { buildRows } from '../src/core/review/rows';
import type { Judgement, ResultItem, ReviewRun, RunResult } from '../src/core/review/run';
import { score, type ScoredResult } from '../src/core/review/score';
import { scoredOf } from '../src/core/review/scored';
import type { AppStore } from '../src/store/appStore';
import { appBuildState, BenchError, freePort, launchChromium, percentile, prng, round, withTimeout } from './bench-lib.mjs';

declare global {
  interface Window {
    __videoSeekerStore?: AppStore;
    __benchLongTasks?: { start: number; ms: number }[];
    __benchChange?: { t: number; wall: number } | null;
    __benchRaf2?: () => Promise<number>;
    __benchWhen?: (pred: () => boolean, timeoutMs: number) => Promise<number>;
    __benchPending?: Promise<unknown>;
  }
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    lines: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '7' },
    reps: { type: 'string', default: '7' },
    steps: { type: 'string', default: '60' },
    presses: { type: 'string', default: '20' },
    build: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'no-profile': { type: 'boolean', default: false },
    'no-sample': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '180' },
  },
});
const json = opts.json;
const LINES = Number(opts.lines);
const REPS = Math.max(1, Number(opts.reps));
const STEPS = Math.max(1, Number(opts.steps));
const PRESSES = Math.max(1, Number(opts.presses));
const TIMEOUT_MS = Number(opts.timeout) * 1000;
const TARGET_MS = 1000;
/** Without the sample there is no project: nothing is saved (what saving an import costs, by difference). */
const NO_SAMPLE = opts['no-sample'];

// With --json, stdout carries the JSON object only (Vite and Playwright log through console.log).
const writeOut = (text: string): boolean => process.stdout.write(text);
if (json) {
  console.log = console.error;
  console.info = console.error;
}
const log = (m: string): void => console.error(`[bench:review] ${m}`);

// ---------------------------------------------------------------------------------------------
// 1. The results file
// ---------------------------------------------------------------------------------------------

type Rand = () => number;
const pick = <T>(r: Rand, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
function weighted<T>(r: Rand, list: readonly (readonly [T, number])[]): T {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of list) if ((x -= w) < 0) return v;
  return list[list.length - 1]![0];
}
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** A JSON value as Python's json.dumps writes it in the model's tool calls: 3.0, not 3. */
function pyJson(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`).join(', ')}}`;
  return JSON.stringify(value);
}

const SOURCES = ['ActivityNet', 'Ego4D', 'VidSTG', 'TVQA', 'SoccerNet', 'MOSE', 'LVOS', 'UCF101', 'Charades', 'HowTo100M'];
const COLOURS = ['red', 'blue', 'white', 'black', 'green', 'yellow', 'grey', 'brown', 'orange', 'purple'];
const THINGS = ['the car', 'the ball', 'the dog', 'the bicycle', 'the door', 'the table', 'the cup', 'the bag', 'the phone', 'the chair', 'the window', 'the goalkeeper', 'the referee', 'the bus'];
const ACTIONS = ['picks up a bag', 'opens the door', 'waves to someone', 'sits down', 'crosses the street', 'kicks the ball', 'turns left', 'stops walking', 'starts running', 'puts the cup down', 'looks at the phone', 'jumps over the line'];
const PLACES = ['near the entrance', 'in the kitchen', 'on the pitch', 'at the crossing', 'on the stage', 'in the parking lot', 'by the window', 'on the stairs'];
const CLOTHES = ['a striped shirt', 'a dark jacket', 'a white t-shirt', 'a red hoodie', 'a blue uniform', 'a green coat'];
const DIRECTIONS = ['to the left', 'to the right', 'toward the camera', 'away from the camera'];

/** The benchmark's dimension codes (8 and 11 are unused) with rough shares. */
const DIMENSION_WEIGHTS: readonly (readonly [number, number])[] = [
  [1, 12], [2, 10], [3, 8], [4, 6], [5, 9], [6, 7], [7, 5], [9, 10], [10, 8], [12, 9], [13, 9], [14, 7],
];

interface Question {
  readonly text: string;
  readonly correct: string;
  readonly wrong: readonly string[];
  readonly open: string;
}

function questionFor(r: Rand, dimension: number, vp: string): Question {
  const thing = pick(r, THINGS);
  const place = pick(r, PLACES);
  const action = pick(r, ACTIONS);
  const others = (pool: readonly string[], right: string): string[] => {
    const rest = pool.filter((x) => x !== right);
    const out: string[] = [];
    while (out.length < 3) {
      const x = pick(r, rest);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  switch (dimension) {
    case 1: {
      const c = pick(r, COLOURS);
      return { text: `What color is ${vp} ${place}?`, correct: c, wrong: others(COLOURS, c), open: `It is ${c}.` };
    }
    case 2: {
      const c = pick(r, CLOTHES);
      return { text: `What is ${vp} wearing when first seen ${place}?`, correct: c, wrong: others(CLOTHES, c), open: `The person wears ${c}.` };
    }
    case 3: {
      const d = pick(r, DIRECTIONS);
      return { text: `In which direction does ${vp} move after ${thing} appears?`, correct: `It moves ${d}`, wrong: others(DIRECTIONS, d).map((x) => `It moves ${x}`), open: `It moves ${d}.` };
    }
    case 4: {
      const t = pick(r, THINGS);
      return { text: `Which object is closest to ${vp} at the end of the video?`, correct: t, wrong: others(THINGS, t), open: `${t} is the closest.` };
    }
    case 5:
      return { text: `Why does ${vp} stop ${place}?`, correct: `Because ${thing} blocks the way`, wrong: others(ACTIONS, action).map((a) => `Because someone ${a}`), open: `Because ${thing} blocks the way.` };
    case 6:
      return { text: `What role does ${vp} play in the scene ${place}?`, correct: 'It is the main subject the camera follows', wrong: ['It only appears in the background', 'It is a reflection in the window', 'It is a logo on the screen'], open: 'It is the main subject the camera follows.' };
    case 7:
      return { text: `If ${vp} had not moved, what would most likely have happened to ${thing}?`, correct: `${thing} would have been hit`, wrong: [`${thing} would have fallen`, `${thing} would have turned around`, 'Nothing would have changed'], open: `${thing} would have been hit.` };
    case 9:
      return { text: `What does ${vp} do right after ${thing} enters the frame?`, correct: `It ${action}`, wrong: others(ACTIONS, action).map((a) => `It ${a}`), open: `It ${action}.` };
    case 10:
      return { text: `What did ${vp} do before it reached ${place.replace(/^(near|in|on|at|by) /, '')}?`, correct: `It ${action}`, wrong: others(ACTIONS, action).map((a) => `It ${a}`), open: `It ${action}.` };
    case 12: {
      const a2 = pick(r, ACTIONS.filter((a) => a !== action));
      return { text: `Which sequence of actions does ${vp} perform?`, correct: `It ${action}, then ${a2}`, wrong: [`It ${a2}, then ${action}`, `It only ${action}`, `It only ${a2}`], open: `First it ${action}, then it ${a2}.` };
    }
    case 13:
      return { text: `Where is ${vp} relative to ${thing} when the camera stops?`, correct: 'On its left', wrong: ['On its right', 'In front of it', 'Behind it'], open: `It is on the left of ${thing}.` };
    default: {
      const n = int(r, 1, 9);
      return { text: `How many times does ${vp} touch ${thing} in the video?`, correct: String(n), wrong: others(['1', '2', '3', '4', '5', '6', '7', '8', '9'], String(n)), open: `${n} times.` };
    }
  }
}

const THOUGHTS = [
  'The question is about one marked instance, so I should first look at the visual prompt to see which object is meant.',
  'I can see the marked object now: it is near the lower left of the frame, partly covered by another object.',
  'The prompt frame alone does not show what happens later, so I will inspect the part of the video around that moment.',
  'In the cropped clip the marked object stays in view for most of the time, which makes it easier to follow.',
  'There are several similar objects in the scene; I have to make sure I keep track of the one that was marked.',
  'The motion is fast around the middle of the clip, so a closer look at those seconds should settle it.',
  'Comparing the frames before and after, the change is clear enough to rule out two of the options.',
  'The lighting changes in the second half of the video, but the shape and position of the object stay consistent.',
];

function think(r: Rand, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(pick(r, THOUGHTS));
  return `<think>${out.join(' ')}</think>`;
}

const ERRORS = [
  'APIConnectionError: Connection error.',
  'APITimeoutError: Request timed out.',
  'BadRequestError: Error code: 400 - {\'object\': \'error\', \'message\': "This model\'s maximum context length is 32768 tokens. However, you requested 33012 tokens.", \'type\': \'BadRequestError\', \'code\': 400}',
  'InternalServerError: Error code: 500',
  'RuntimeError: maximum number of rounds (8) reached without an answer',
];

const LETTERS = ['A', 'B', 'C', 'D'];

interface Generated {
  readonly text: string;
  /** The V2P records of the lines, in order (the QA items a project would have). */
  readonly records: readonly V2pRecord[];
  readonly stats: { failed: number; openEnded: number; judgeScored: number; humanJudgement: number; unparseable: number; byDimension: Record<string, number>; byDuration: Record<string, number> };
}

function generate(n: number, seed: number): Generated {
  const r = prng(seed);
  const videoCount = Math.max(1, Math.round(n / 12));
  const videos = Array.from({ length: videoCount }, (_, v) => {
    const source = pick(r, SOURCES);
    const bucket = weighted(r, [['short', 50], ['medium', 30], ['long', 20]] as const);
    const duration = bucket === 'short' ? round(10 + r() * 229, 2) : bucket === 'medium' ? round(240 + r() * 1559, 2) : round(1800 + r() * 5400, 2);
    const id = `${source.toLowerCase()}_${(v * 7919 + 104729).toString(36)}`;
    return { id, source, duration, bucket, path: `${source}/${id}.mp4` };
  });
  const stats: Generated['stats'] = { failed: 0, openEnded: 0, judgeScored: 0, humanJudgement: 0, unparseable: 0, byDimension: {}, byDuration: { short: 0, medium: 0, long: 0 } };
  const records: V2pRecord[] = [];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const video = videos[Math.floor(r() * videos.length)]!;
    const dimension = weighted(r, DIMENSION_WEIGHTS);
    const vpType: VisualPromptType = pick(r, VISUAL_PROMPT_TYPES);
    const q = questionFor(r, dimension, vpPhrase(vpType, int(r, 1, 6)));
    const open = r() < 0.1;
    const frame = int(r, 0, Math.max(1, Math.floor(video.duration * 25)));
    const framePath = `${video.source}/${video.id}/frame_${String(frame).padStart(6, '0')}.jpg`;
    let question: string;
    let answer: string;
    let options: string[] = [];
    if (open) {
      question = q.text;
      answer = q.open;
    } else {
      const count = r() < 0.1 ? 3 : 4;
      options = [q.correct, ...q.wrong.slice(0, count - 1)];
      for (let k = options.length - 1; k > 0; k--) {
        const j = Math.floor(r() * (k + 1));
        [options[k], options[j]] = [options[j]!, options[k]!];
      }
      answer = LETTERS[options.indexOf(q.correct)]!;
      question = questionWithOptions(q.text, options) + MC_PROMPT;
    }
    const record: V2pRecord = { video_id: video.id, video_path: video.path, duration: video.duration, question, answer, source: video.source, frame_path: framePath, dimension, category: int(r, 1, 30) };
    records.push(record);
    stats.byDimension[dimension] = (stats.byDimension[dimension] ?? 0) + 1;
    stats.byDuration[video.bucket] = (stats.byDuration[video.bucket] ?? 0) + 1;
    if (open) stats.openEnded++;
    const line: Record<string, unknown> = { ...record };
    if (r() < 0.05) {
      stats.failed++;
      line.response = null;
      line.error = pick(r, ERRORS);
      lines.push(JSON.stringify(line));
      continue;
    }
    // Rounds: view_visual_prompt first (most of the time), then 0..2 crops, then the answer.
    const toolCalls: { name: string; arguments: Record<string, unknown> }[] = [];
    const rounds: string[] = [];
    const useVp = r() < 0.9;
    const crops = weighted(r, [[0, 25], [1, 50], [2, 25]] as const);
    if (useVp) {
      const args = { frame_path: framePath };
      toolCalls.push({ name: 'view_visual_prompt', arguments: args });
      rounds.push(`${think(r, 2)}\n<tool_call>\n{"name": "view_visual_prompt", "arguments": ${pyJson(args)}}\n</tool_call>`);
    }
    for (let c = 0; c < crops; c++) {
      const start = Math.floor(r() * Math.max(1, video.duration - 30));
      const args = { video_path: video.path, start_time: start, end_time: round(Math.min(video.duration, start + 5 + r() * 60), 1) };
      toolCalls.push({ name: 'crop_video', arguments: args });
      rounds.push(`${think(r, int(r, 1, 3))}\n<tool_call>\n{"name": "crop_video", "arguments": ${pyJson(args)}}\n</tool_call>`);
    }
    let predict: string;
    let final: string;
    if (open) {
      const right = r() < 0.5;
      predict = right ? q.open : `It ${pick(r, ACTIONS)}.`;
      final = `${think(r, 2)}\n<answer>${predict}</answer>`;
    } else if (r() < 0.02) {
      stats.unparseable++;
      predict = '';
      final = `${think(r, 3)}\nI cannot tell from the frames which option fits best.`;
    } else {
      predict = r() < 0.58 ? answer : pick(r, LETTERS.slice(0, options.length).filter((l) => l !== answer));
      final = `${think(r, 2)}\n<answer>${predict}</answer>`;
    }
    rounds.push(final);
    line.response = rounds.join('\n');
    line.raw_output = final;
    line.user_text = buildUserText({ mode: 'tool', question, videoPath: video.path, framePath, tools: { viewVisualPrompt: true, cropVideo: true } });
    line.predict = predict;
    line.tool_calls = toolCalls;
    line.num_rounds = rounds.length;
    line.correct = open ? null : predict !== '' && predict === answer;
    if (open && r() < 0.5) {
      stats.judgeScored++;
      line.judge_score = pick(r, [0, 0.5, 1]);
    }
    if (r() < 0.03) {
      stats.humanJudgement++;
      line.human_judgement = pick(r, [0, 0.5, 1]);
      if (r() < 0.4) line.review_note = 'Checked against the video: the marked object is the one in the foreground.';
    }
    lines.push(JSON.stringify(line));
  }
  return { text: `${lines.join('\n')}\n`, records, stats };
}

// ---------------------------------------------------------------------------------------------
// 2. Node, core only
// ---------------------------------------------------------------------------------------------

const now = (): number => performance.now();
function timed<T>(fn: () => T): [number, T] {
  const t0 = now();
  const value = fn();
  return [now() - t0, value];
}

interface Stat {
  readonly cold: number;
  readonly median: number;
  readonly min: number;
}

const stat = (cold: number, runs: readonly number[]): Stat => ({ cold: round(cold, 1), median: round(percentile(runs, 0.5), 1), min: round(Math.min(...runs), 1) });

function runOf(id: string, results: readonly RunResult[]): ReviewRun {
  return { id, name: id, kind: 'import', createdAt: 0, model: '', settings: null, fileName: `${id}.jsonl`, concurrency: 0, state: 'imported', activeMs: 0, resumedAt: null, results, report: null };
}

function qaItemsOf(records: readonly V2pRecord[]): QaItem[] {
  return records.map((rec, i) => fromV2pRecord(rec, i, { idPrefix: 'bench-' }));
}

function nodeBench(text: string, records: readonly V2pRecord[]) {
  const qaItems = qaItemsOf(records);
  const items = qaItems.map((qa) => ({ id: qa.id, item: resultItemFromQa(qa, { phrase: (q) => vpPhrase(q.vpType, 1), duration: null }) }));
  const itemMap: ReadonlyMap<string, ResultItem> = new Map(items.map((x) => [x.id, x.item]));
  const steps = {
    parse: () => parseResultLines(text),
    results: (lines: readonly ResultLine[]) => lines.map((l) => resultFromLine(l, null)),
    match: (lines: readonly ResultLine[]) => matchResults(lines, []),
    matchItems: (lines: readonly ResultLine[]) => matchResults(lines, items),
    score: (lines: readonly ResultLine[], results: readonly RunResult[]) => {
      const scored: ScoredResult[] = [];
      for (let i = 0; i < lines.length; i++) {
        const s = scoredOf(lines[i]!.item, results[i]!, lines[i]!.judgement);
        if (s !== null) scored.push(s);
      }
      return score(scored);
    },
  };
  const judgementsOf = (id: string, lines: readonly ResultLine[], results: readonly RunResult[]) => {
    const seeded: Record<string, Judgement> = {};
    lines.forEach((l, i) => {
      if (l.judgement !== null) seeded[results[i]!.key] = l.judgement;
    });
    return { [id]: seeded };
  };
  const pass = () => {
    const [parseMs, parsed] = timed(steps.parse);
    const [resultsMs, results] = timed(() => steps.results(parsed.results));
    const [matchMs] = timed(() => steps.match(parsed.results));
    const [matchItemsMs, matched] = timed(() => steps.matchItems(parsed.results));
    const [scoreMs, scores] = timed(() => steps.score(parsed.results, results));
    const run = runOf('a', results);
    const judgements = judgementsOf('a', parsed.results, results);
    const [rowsMs, rows] = timed(() => buildRows({ run, other: null, items: new Map(), judgements }));
    // A second import of the same file, compared with the first (fresh objects: nothing cached).
    const other = runOf('b', parseResultLines(text).results.map((l) => resultFromLine(l, null)));
    const [rowsCompareMs] = timed(() => buildRows({ run: other, other: run, items: new Map(), judgements }));
    // Every line matched to a project item: rows read the items from the project.
    const linked = runOf('c', parsed.results.map((l, i) => resultFromLine(l, matched.itemIds[i] ?? null)));
    const [rowsItemsMs] = timed(() => buildRows({ run: linked, other: null, items: itemMap, judgements: {} }));
    return { times: { parseMs, resultsMs, matchMs, matchItemsMs, scoreMs, rowsMs, rowsCompareMs, rowsItemsMs }, parsed, scores, rows, matched };
  };
  const first = pass();
  pass(); // warm-up
  const runs: (typeof first.times)[] = [];
  for (let i = 0; i < REPS; i++) runs.push(pass().times);
  const keys = Object.keys(first.times) as (keyof typeof first.times)[];
  const out = Object.fromEntries(keys.map((k) => [k, stat(first.times[k], runs.map((t) => t[k]))])) as Record<keyof typeof first.times, Stat>;
  const sum = (f: (t: typeof first.times) => number): Stat => stat(f(first.times), runs.map(f));
  const o = first.scores.overall;
  return {
    reps: REPS,
    ...out,
    /** What an import does before the list can show: parse + results + match + scoring + rows. */
    importCoreMs: sum((t) => t.parseMs + t.resultsMs + t.matchMs + t.scoreMs + t.rowsMs),
    results: first.parsed.results.length,
    problems: first.parsed.problems.length,
    matchedToItems: first.matched.byKey + first.matched.byPosition,
    scores: { accuracy: round(o.accuracy, 4), correct: o.correct, total: o.total, unparseable: o.unparseable, failed: o.failed, unjudged: o.unjudged, humanJudged: o.humanJudged },
    qaItems: qaItems,
  };
}

// ---------------------------------------------------------------------------------------------
// 3. The app in Chromium
// ---------------------------------------------------------------------------------------------

/** Installed before the app's own code: long tasks, the file input's change, and two helpers. */
const INIT_SCRIPT = `
window.__name = (f) => f;
window.__benchLongTasks = [];
try {
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__benchLongTasks.push({ start: e.startTime, ms: e.duration }); }).observe({ type: 'longtask', buffered: true });
} catch {}
window.__benchChange = null;
document.addEventListener('change', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.type === 'file') window.__benchChange = { t: performance.now(), wall: Date.now() };
}, true);
window.__benchRaf2 = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))));
window.__benchWhen = (pred, timeoutMs) => new Promise((resolve, reject) => {
  if (pred()) { resolve(performance.now()); return; }
  const mo = new MutationObserver(() => {
    if (!pred()) return;
    mo.disconnect(); clearTimeout(timer); resolve(performance.now());
  });
  mo.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  const timer = setTimeout(() => { mo.disconnect(); reject(new Error('timed out waiting in the page')); }, timeoutMs);
});
`;

interface Dist {
  readonly count: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}
const dist = (xs: readonly number[]): Dist => ({ count: xs.length, median: round(percentile(xs, 0.5), 1), p95: round(percentile(xs, 0.95), 1), max: round(Math.max(...xs), 1) });

interface LongTasks {
  readonly count: number;
  readonly totalMs: number;
  /** The longest, in ms, longest first (at most 5). */
  readonly longest: readonly number[];
}

async function longTasksSince(page: Page, since: number): Promise<LongTasks> {
  const all = await page.evaluate((t) => (window.__benchLongTasks ?? []).filter((e) => e.start + e.ms >= t), since);
  const ms = all.map((e) => e.ms).sort((a, b) => b - a);
  return { count: ms.length, totalMs: round(ms.reduce((s, x) => s + x, 0), 0), longest: ms.slice(0, 5).map((x) => round(x, 0)) };
}

const pageNow = (page: Page): Promise<number> => page.evaluate(() => performance.now());

/** A fresh browser context on the app with the sample open, its project saved and its thumbnails in (or, with --no-sample, no video and no project). */
async function openApp(browser: Browser, base: string, qaItems: readonly QaItem[] | null): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  await page.addInitScript(INIT_SCRIPT);
  await page.goto(new URL(NO_SAMPLE ? '?model=off&sample=0' : '?model=off', base).href);
  if (NO_SAMPLE) await page.waitForFunction(() => window.__videoSeekerStore !== undefined, null, { timeout: 60_000 });
  else {
    await page.waitForFunction(() => {
      const s = window.__videoSeekerStore?.getState();
      return (s?.video.info?.frameCount ?? 0) > 0 && s?.project.current !== null && s?.project.status === 'saved' && s.video.thumbnails.length >= 24;
    }, null, { timeout: 60_000 });
  }
  if (qaItems !== null) {
    await page.evaluate((items) => window.__videoSeekerStore!.getState().loadQaItems(items), qaItems as QaItem[]);
    if (!NO_SAMPLE) await page.waitForFunction(() => window.__videoSeekerStore!.getState().project.status === 'saved', null, { timeout: 60_000 });
  }
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('button', { name: 'Review' }).click();
  await page.getByLabel('Results file').waitFor({ state: 'attached' });
  await page.waitForTimeout(500);
  return { context, page };
}

interface ImportTiming {
  /** Node: setInputFiles called → the status in the page's DOM (wall clock). */
  readonly wallMs: number;
  /** In the page: the input's change event → "N results" in the DOM. */
  readonly changeToStatusMs: number;
  /** … → two animation frames later (the frame with the list painted). */
  readonly changeToPaintMs: number;
  /** The app's own clock: change → the run's createdAt (read + parse + match + results, before rows). */
  readonly appRunCreatedMs: number;
  /** change → the import saved to IndexedDB (the button enabled again). */
  readonly changeToSavedMs: number;
  readonly longTasks: LongTasks;
}

async function importFile(page: Page, file: string, runs: number): Promise<ImportTiming> {
  const since = await pageNow(page);
  await page.evaluate(
    ({ runs, lines, timeout }) => {
      window.__benchChange = null;
      const status = (): boolean => [...document.querySelectorAll('[role="status"]')].some((e) => e.textContent === `${lines} results`);
      const runCount = (): number => document.querySelectorAll('select[aria-label="Run"] option').length;
      const idle = (): boolean => [...document.querySelectorAll('button')].some((b) => b.textContent === 'Import results…' && !b.disabled);
      window.__benchPending = (async () => {
        const tStatus = await window.__benchWhen!(() => window.__benchChange !== null && runCount() === runs && status(), timeout);
        const wallStatus = Date.now();
        const tPaint = await window.__benchRaf2!();
        const tSaved = await window.__benchWhen!(() => runCount() === runs && idle(), timeout);
        const change = window.__benchChange!;
        const review = window.__videoSeekerStore!.getState().review;
        const run = review.runs[review.runs.length - 1]!;
        return { change, tStatus, wallStatus, tPaint, tSaved, createdAt: run.createdAt, error: review.error };
      })();
    },
    { runs, lines: LINES, timeout: TIMEOUT_MS },
  );
  const t0 = Date.now();
  await page.getByLabel('Results file').setInputFiles(file);
  const pending = page.evaluate(() => window.__benchPending).catch((e: unknown) => {
    throw new BenchError(`The import of ${basename(file)} did not show "${LINES} results" (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  });
  const r = (await withTimeout(pending, TIMEOUT_MS, 'The import')) as {
    change: { t: number; wall: number };
    tStatus: number;
    wallStatus: number;
    tPaint: number;
    tSaved: number;
    createdAt: number;
    error: string | null;
  };
  if (r.error) throw new BenchError(`The import failed: ${r.error}`);
  return {
    wallMs: r.wallStatus - t0,
    changeToStatusMs: round(r.tStatus - r.change.t, 0),
    changeToPaintMs: round(r.tPaint - r.change.t, 0),
    appRunCreatedMs: r.createdAt - r.change.wall,
    changeToSavedMs: round(r.tSaved - r.change.t, 0),
    longTasks: await longTasksSince(page, since),
  };
}

interface ScrollTiming {
  readonly stepPx: number;
  readonly ms: Dist;
  /** Steps after which the row at the top of the view was not in the DOM (a blank list). */
  readonly blankSteps: number;
  readonly longTasks: LongTasks;
}

async function scrollList(page: Page, rowsPerStep: number | 'viewport'): Promise<ScrollTiming> {
  const since = await pageNow(page);
  const r = await page.evaluate(
    async ({ rowsPerStep, steps }) => {
      const list = document.querySelector<HTMLElement>('[role="listbox"][aria-label="Results"]')!;
      const rowH = (list.querySelector('[role="option"]')!.parentElement as HTMLElement).offsetHeight;
      const step = rowsPerStep === 'viewport' ? list.clientHeight : rowsPerStep * rowH;
      list.scrollTop = 0;
      await window.__benchRaf2!();
      const times: number[] = [];
      let blank = 0;
      for (let i = 0; i < steps; i++) {
        const t0 = performance.now();
        list.scrollTop += step;
        await window.__benchRaf2!();
        times.push(performance.now() - t0);
        const top = Math.floor(list.scrollTop / rowH) + 1;
        if (!list.querySelector(`[aria-posinset="${top}"]`)) blank++;
      }
      list.scrollTop = 0;
      await window.__benchRaf2!();
      return { times, blank, step };
    },
    { rowsPerStep, steps: STEPS },
  );
  return { stepPx: r.step, ms: dist(r.times), blankSteps: r.blank, longTasks: await longTasksSince(page, since) };
}

/** Two animation frames with nothing to do: the floor of every step measured this way. */
async function idleFrames(page: Page): Promise<Dist> {
  const times = await page.evaluate(async () => {
    const out: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await window.__benchRaf2!();
      out.push(performance.now() - t0);
    }
    return out;
  });
  return dist(times);
}

interface KeyTiming {
  /** keydown → the selection in the DOM ("Result k of N" and the row selected). */
  readonly toDomMs: Dist;
  /** keydown → two animation frames after. */
  readonly toPaintMs: Dist;
  readonly totalMs: number;
  readonly longTasks: LongTasks;
}

async function pressNext(page: Page): Promise<KeyTiming> {
  const since = await pageNow(page);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  const start = await page.evaluate(() => {
    const m = [...document.querySelectorAll('[role="status"]')].map((e) => /^Result (\d+) of/.exec(e.textContent ?? '')).find((x) => x !== null);
    return m ? Number(m[1]) : 0;
  });
  const dom: number[] = [];
  const paint: number[] = [];
  const t0 = Date.now();
  for (let k = 1; k <= PRESSES; k++) {
    const expected = start + k;
    await page.evaluate(
      ({ expected, timeout }) => {
        window.__benchPending = new Promise((resolve, reject) => {
          const onKey = (e: KeyboardEvent): void => {
            if (e.key !== 'j') return;
            window.removeEventListener('keydown', onKey, true);
            const t = e.timeStamp;
            const settled = (): boolean =>
              [...document.querySelectorAll('[role="status"]')].some((s) => (s.textContent ?? '').startsWith(`Result ${expected} of`)) &&
              document.querySelector(`[role="option"][aria-selected="true"][aria-posinset="${expected}"]`) !== null;
            window.__benchWhen!(settled, timeout).then(
              (tDom) => window.__benchRaf2!().then((tPaint) => resolve({ dom: tDom - t, paint: tPaint - t })),
              reject,
            );
          };
          window.addEventListener('keydown', onKey, true);
        });
      },
      { expected, timeout: 30_000 },
    );
    await page.keyboard.press('j');
    const r = (await withTimeout(page.evaluate(() => window.__benchPending), 60_000, `Pressing J (result ${expected})`)) as { dom: number; paint: number };
    dom.push(r.dom);
    paint.push(r.paint);
  }
  return { toDomMs: dist(dom), toPaintMs: dist(paint), totalMs: Date.now() - t0, longTasks: await longTasksSince(page, since) };
}

interface TabTiming {
  readonly toScoresMs: { first: number; median: number };
  readonly backToItemMs: { first: number; median: number };
  readonly longTasks: LongTasks;
}

async function switchTabs(page: Page, times: number): Promise<TabTiming> {
  const since = await pageNow(page);
  const r = await page.evaluate(
    async ({ times, timeout }) => {
      const tab = (name: string): HTMLElement => [...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((b) => b.textContent === name)!;
      const item = (): boolean => [...document.querySelectorAll('[role="status"]')].some((s) => /^Result \d+ of/.test(s.textContent ?? ''));
      const scores = (): boolean => document.querySelector('section[aria-label="Scores"] table, section[aria-label="Scores"] svg') !== null;
      const to: number[] = [];
      const back: number[] = [];
      for (let i = 0; i < times; i++) {
        let t0 = performance.now();
        tab('Scores').click();
        await window.__benchWhen!(scores, timeout);
        to.push((await window.__benchRaf2!()) - t0);
        t0 = performance.now();
        tab('Item').click();
        await window.__benchWhen!(item, timeout);
        back.push((await window.__benchRaf2!()) - t0);
      }
      return { to, back };
    },
    { times, timeout: 30_000 },
  );
  const med = (xs: number[]): number => round(percentile(xs, 0.5), 0);
  return { toScoresMs: { first: round(r.to[0]!, 0), median: med(r.to) }, backToItemMs: { first: round(r.back[0]!, 0), median: med(r.back) }, longTasks: await longTasksSince(page, since) };
}

// --- CPU profile → self time per source line, through the build's source maps -----------------

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

const B64 = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (B64[c.charCodeAt(0)] = i));

interface Segment {
  readonly col: number;
  readonly src: number;
  readonly line: number;
}

interface SourceMap {
  readonly sources: readonly string[];
  readonly sourcesContent: readonly (string | null)[];
  readonly lines: readonly Segment[][];
}

function readSourceMap(path: string): SourceMap {
  const map = JSON.parse(readFileSync(path, 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[]; mappings: string };
  const lines: Segment[][] = [];
  let src = 0;
  let line = 0;
  let col = 0;
  let segs: Segment[] = [];
  let genCol = 0;
  const fields: number[] = [];
  let value = 0;
  let shift = 0;
  const endSegment = (): void => {
    if (fields.length === 0) return;
    genCol += fields[0]!;
    if (fields.length >= 4) {
      src += fields[1]!;
      line += fields[2]!;
      col += fields[3]!;
      segs.push({ col: genCol, src, line });
    }
    fields.length = 0;
  };
  const m = map.mappings;
  for (let i = 0; i < m.length; i++) {
    const c = m.charCodeAt(i);
    if (c === 59 /* ; */) {
      endSegment();
      lines.push(segs);
      segs = [];
      genCol = 0;
    } else if (c === 44 /* , */) endSegment();
    else {
      const d = B64[c]!;
      value += (d & 31) << shift;
      if (d & 32) shift += 5;
      else {
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
  }
  endSegment();
  lines.push(segs);
  void col;
  return { sources: map.sources, sourcesContent: map.sourcesContent ?? [], lines };
}

function lookup(map: SourceMap, line: number, col: number): Segment | null {
  const segs = map.lines[line];
  if (!segs || segs.length === 0) return null;
  let lo = 0;
  let hi = segs.length - 1;
  if (segs[0]!.col > col) return segs[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid]!.col <= col) lo = mid;
    else hi = mid - 1;
  }
  return segs[lo]!;
}

/** "node_modules/react-dom/…" → "react-dom"; "../../src/core/x.ts" → "src/core/x.ts". */
function shortSource(source: string): string {
  const nm = source.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = source.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const i = source.indexOf('src/');
  return i >= 0 ? source.slice(i) : source;
}

interface Hotspot {
  readonly where: string;
  readonly selfMs: number;
}

interface Span {
  readonly where: string;
  /** Time with this function on the stack (its callees included). */
  readonly totalMs: number;
  /** When it was first and last on the stack, ms after the profile started. */
  readonly fromMs: number;
  readonly toMs: number;
}

function summariseProfile(profile: CpuProfile, distDir: string): { sampledMs: number; bySelf: Hotspot[]; byFile: Hotspot[]; appFunctions: Span[] } {
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const maps = new Map<string, SourceMap | null>();
  const mapFor = (url: string): SourceMap | null => {
    if (!maps.has(url)) {
      let m: SourceMap | null;
      try {
        m = readSourceMap(join(distDir, 'assets', `${basename(new URL(url).pathname)}.map`));
      } catch {
        m = null;
      }
      maps.set(url, m);
    }
    return maps.get(url)!;
  };
  const label = new Map<number, { where: string; file: string }>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) parent.set(child, node.id);
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    let where = functionName || '(anonymous)';
    let file = where.startsWith('(') ? where : 'other';
    const map = url.startsWith('http') ? mapFor(url) : null;
    const seg = map ? lookup(map, lineNumber, columnNumber) : null;
    if (map && seg) {
      const source = map.sources[seg.src] ?? '?';
      file = shortSource(source);
      const text = (map.sourcesContent[seg.src] ?? '').split('\n')[seg.line]?.trim() ?? '';
      where = `${file}:${seg.line + 1} ${text.length > 70 ? `${text.slice(0, 70)}…` : text}`;
    } else if (url) where = `${where} (${basename(url)}:${lineNumber + 1})`;
    label.set(node.id, { where, file });
  }
  const bySelf = new Map<string, number>();
  const byFile = new Map<string, number>();
  let sampled = 0;
  for (const node of profile.nodes) {
    const ms = self.get(node.id) ?? 0;
    if (ms === 0 || node.callFrame.functionName === '(idle)') continue;
    sampled += ms;
    const { where, file } = label.get(node.id)!;
    bySelf.set(where, (bySelf.get(where) ?? 0) + ms);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
  }
  // The app's own functions with their callees, and when they ran: the order of an import's steps.
  const spans = new Map<string, { total: number; from: number; to: number }>();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    t += dt;
    const seen = new Set<string>();
    for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const l = label.get(id);
      if (!l || !l.file.startsWith('src/') || seen.has(l.where)) continue;
      seen.add(l.where);
      const span = spans.get(l.where);
      if (span) {
        span.total += dt;
        span.to = t;
      } else spans.set(l.where, { total: dt, from: t - dt, to: t });
    }
  }
  const top = (m: Map<string, number>, n: number): Hotspot[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([where, ms]) => ({ where, selfMs: round(ms, 1) }));
  const appFunctions = [...spans]
    .filter(([, s]) => s.total >= 5)
    .sort((a, b) => b[1].total - a[1].total)
    .slice(0, 20)
    .map(([where, s]) => ({ where, totalMs: round(s.total, 1), fromMs: round(s.from, 0), toMs: round(s.to, 0) }));
  return { sampledMs: round(sampled, 0), bySelf: top(bySelf, 15), byFile: top(byFile, 10), appFunctions };
}

async function profiled<T>(page: Page, distDir: string, what: () => Promise<T>): Promise<{ value: T; profile: ReturnType<typeof summariseProfile> }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  const outcome = await what().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const stopped = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.detach().catch(() => undefined);
  if ('error' in outcome) throw outcome.error;
  return { value: outcome.value, profile: summariseProfile(stopped.profile, distDir) };
}

// ---------------------------------------------------------------------------------------------

const cleanups: (() => unknown)[] = [];
async function cleanup(): Promise<void> {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()!();
    } catch {
      // best effort
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
}

function machine() {
  const c = cpus();
  return { cores: c.length, cpu: c[0]?.model ?? '', loadAverage: loadavg().map((x) => round(x, 2)), memoryGB: round(totalmem() / 1e9, 1), freeMemoryGB: round(freemem() / 1e9, 1), node: process.version };
}

async function main(): Promise<void> {
  const started = machine();
  log(`machine: ${started.cores} cores, load average ${started.loadAverage.join(' ')}`);

  // 1. The file.
  const [genMs, gen] = timed(() => generate(LINES, Number(opts.seed)));
  const dir = mkdtempSync(join(tmpdir(), 'bench-review-'));
  if (!opts.keep) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'results.jsonl');
  const fileB = join(dir, 'results-b.jsonl');
  writeFileSync(file, gen.text);
  writeFileSync(fileB, gen.text);
  const bytes = statSync(file).size;
  log(`${LINES} lines, ${(bytes / 1e6).toFixed(1)} MB in ${file} (${genMs.toFixed(0)} ms to generate)`);

  // 2. Node.
  log('node: parse, results, match, score, rows…');
  const { qaItems, ...node } = nodeBench(gen.text, gen.records);
  if (node.results !== LINES || node.problems !== 0) throw new BenchError(`parseResultLines read ${node.results} results and ${node.problems} problems from ${LINES} lines`);
  log(`node: parse ${node.parseMs.median} ms, results ${node.resultsMs.median}, match ${node.matchMs.median}, score ${node.scoreMs.median}, rows ${node.rowsMs.median} (medians of ${REPS})`);

  // 3. The app.
  const { build, preview } = await import('vite');
  const dist = join(ROOT, 'dist');
  const own = join(ROOT, '.bench-cache/review-dist');
  let outDir = dist;
  const distState = appBuildState(ROOT, dist);
  if (opts.build || distState !== 'fresh') {
    outDir = own;
    const ownState = appBuildState(ROOT, own);
    if (opts.build || ownState !== 'fresh') {
      log(`building the app into ${own} (dist/ is ${opts.build ? 'not used: --build' : distState})…`);
      await build({ root: ROOT, logLevel: 'warn', build: { outDir: own, emptyOutDir: true } });
    }
  }
  const server: PreviewServer = await preview({ root: ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: await freePort(), strictPort: true } });
  cleanups.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new BenchError('vite preview did not report its address');
  const browser = await launchChromium();
  cleanups.push(() => browser.close());

  // 3a. A project without QA items: the results are shown on their own.
  log('browser: import into a project without QA items…');
  const a = await openApp(browser, base, null);
  cleanups.push(() => a.context.close());
  const idle = await idleFrames(a.page);
  const imported = await importFile(a.page, file, 1);
  log(`  import: ${imported.wallMs} ms to "${LINES} results" (in the page: ${imported.changeToStatusMs} ms, painted ${imported.changeToPaintMs} ms, saved ${imported.changeToSavedMs} ms)`);
  await a.page.waitForTimeout(300);
  const scrollViewport = await scrollList(a.page, 'viewport');
  const scrollWheel = await scrollList(a.page, 5);
  log(`  scroll: viewport ${scrollViewport.ms.median} ms median (p95 ${scrollViewport.ms.p95}), 5 rows ${scrollWheel.ms.median} ms; idle two frames ${idle.median} ms`);
  const next = await pressNext(a.page);
  log(`  J: ${next.toPaintMs.median} ms median to the selection painted (max ${next.toPaintMs.max})`);
  const tabs = await switchTabs(a.page, 5);
  log(`  Scores tab: ${tabs.toScoresMs.first} ms first, ${tabs.toScoresMs.median} ms median; back ${tabs.backToItemMs.median} ms`);
  const second = await importFile(a.page, fileB, 2);
  log(`  second import (compared with the first): ${second.wallMs} ms to "${LINES} results"`);
  const secondNext = await pressNext(a.page);
  // The Scores tab now also scores the compared run over the same items (its rows paired the other way).
  const secondTabs = await switchTabs(a.page, 5);
  log(`  Scores tab, compared: ${secondTabs.toScoresMs.first} ms first, ${secondTabs.toScoresMs.median} ms median`);
  await a.context.close();

  // 3b. A project with the items the lines answer (every line matched by video and question).
  log(`browser: import into a project with ${qaItems.length} matching QA items…`);
  const b = await openApp(browser, base, qaItems);
  cleanups.push(() => b.context.close());
  const matched = await importFile(b.page, file, 1);
  const report = await b.page.evaluate(() => window.__videoSeekerStore!.getState().review.runs[0]?.report ?? '');
  log(`  import: ${matched.wallMs} ms (${report})`);
  const matchedNext = await pressNext(b.page);
  log(`  J: ${matchedNext.toPaintMs.median} ms median (the video follows)`);
  await b.context.close();

  // 3c. Where the time goes: a CPU profile of an import and of the Scores tab.
  let profile: Record<string, unknown> | null = null;
  if (!opts['no-profile']) {
    log('browser: CPU profile of an import and of the Scores tab…');
    const p = await openApp(browser, base, null);
    cleanups.push(() => p.context.close());
    const imp = await profiled(p.page, outDir, () => importFile(p.page, file, 1));
    const sc = await profiled(p.page, outDir, () => switchTabs(p.page, 1));
    profile = { note: 'self time per source line (sampled every 0.25 ms, profiler on: slower than the timings above)', import: { ...imp.profile, changeToSavedMs: imp.value.changeToSavedMs }, scoresTab: { ...sc.profile, toScoresMs: sc.value.toScoresMs.first } };
    await p.context.close();
  }

  const measured = imported.wallMs;
  const result = {
    lines: LINES,
    seed: Number(opts.seed),
    file: { bytes, megabytes: round(bytes / 1e6, 1), ...gen.stats },
    node,
    browser: {
      chromium: browser.version(),
      build: outDir === dist ? 'dist/' : '.bench-cache/review-dist/',
      viewport: '1280x800',
      project: NO_SAMPLE ? 'none (--no-sample: nothing is saved)' : 'the sample video\'s (imports are saved to IndexedDB)',
      idleTwoFramesMs: idle,
      import: imported,
      scroll: { steps: STEPS, viewport: scrollViewport, fiveRows: scrollWheel },
      nextResult: { presses: PRESSES, ...next },
      scoresTab: tabs,
      secondImportCompared: second,
      nextResultCompared: { presses: PRESSES, ...secondNext },
      scoresTabCompared: secondTabs,
      matchedToItems: { qaItems: qaItems.length, report, import: matched, nextResult: { presses: PRESSES, ...matchedNext } },
    },
    profile,
    target: { importAndScoreMs: TARGET_MS, measuredMs: measured, measures: 'wall ms from setInputFiles to "N results" in the DOM, no QA items (import + match + score + first render)', met: measured < TARGET_MS },
    machine: { ...started, loadAverageAtEnd: loadavg().map((x) => round(x, 2)) },
  };
  if (json) writeOut(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const lt = (t: LongTasks): string => (t.count === 0 ? 'no long tasks' : `long tasks ${t.longest.join(', ')} ms`);
    console.log(`results file: ${LINES} lines, ${result.file.megabytes} MB (${gen.stats.failed} failed, ${gen.stats.openEnded} open-ended, ${gen.stats.humanJudgement} judged)`);
    console.log(`node (median of ${REPS}, cold in brackets): parse ${node.parseMs.median} (${node.parseMs.cold}) ms, results ${node.resultsMs.median} (${node.resultsMs.cold}), match ${node.matchMs.median}, match with ${qaItems.length} items ${node.matchItemsMs.median}, score ${node.scoreMs.median} (${node.scoreMs.cold}), rows ${node.rowsMs.median} (${node.rowsMs.cold}), rows compared ${node.rowsCompareMs.median}; import core ${node.importCoreMs.median} ms`);
    console.log(`app import: ${imported.wallMs} ms to "${LINES} results" (change→DOM ${imported.changeToStatusMs}, painted ${imported.changeToPaintMs}, run created ${imported.appRunCreatedMs}, saved ${imported.changeToSavedMs}; ${lt(imported.longTasks)})`);
    console.log(`  second import compared with the first: ${second.wallMs} ms; with ${qaItems.length} matching items: ${matched.wallMs} ms`);
    console.log(`scroll a viewport: median ${scrollViewport.ms.median} / p95 ${scrollViewport.ms.p95} / max ${scrollViewport.ms.max} ms; 5 rows: ${scrollWheel.ms.median} / ${scrollWheel.ms.p95} / ${scrollWheel.ms.max} ms (two idle frames: ${idle.median} ms)`);
    console.log(`J: median ${next.toPaintMs.median} / p95 ${next.toPaintMs.p95} / max ${next.toPaintMs.max} ms per press to the selection painted; compared ${secondNext.toPaintMs.median}, matched ${matchedNext.toPaintMs.median}`);
    console.log(`Scores tab: ${tabs.toScoresMs.first} ms first, ${tabs.toScoresMs.median} ms after; back to the item ${tabs.backToItemMs.median} ms; comparing two runs: ${secondTabs.toScoresMs.first} ms first`);
    console.log(`target: import + score < ${TARGET_MS} ms: ${result.target.met ? 'met' : 'NOT met'} (${measured} ms); load average ${started.loadAverage.join(' ')} → ${result.machine.loadAverageAtEnd.join(' ')} on ${started.cores} cores`);
  }
}

main()
  .then(cleanup, async (e: unknown) => {
    await cleanup();
    throw e;
  })
  .then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof BenchError ? `bench:review: ${e.message}` : e);
      process.exit(1);
    },
  );
