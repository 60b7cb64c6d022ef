/**
 * The review list: one row per result of a run, with what it counts for, what the model
 * predicted, and — when a second run is compared — that run's result for the same item. Rows are
 * built once per change of the runs or judgements and filtered cheaply, so they must be fast for
 * a 10,000-line import.
 */
import { extractOpenAnswer } from '../agent/answer';
import { matchKey } from './match';
import { isMultipleChoice } from './resultItem';
import type { Judgement, Judgements, ResultItem, ReviewRun, RunResult } from './run';
import { scoredOf } from './scored';
import { creditOf, durationBucket, predictedLetter, score, UNKNOWN_VP_TYPE, type DurationBucket, type Scores, type ScoredResult } from './score';

export type Outcome = 'correct' | 'partial' | 'wrong' | 'unparseable' | 'failed' | 'unjudged' | 'pending';

export interface ReviewRow {
  readonly key: string;
  /** Position in the run. */
  readonly index: number;
  readonly itemId: string | null;
  /** The project's current item when linked (a corrected answer counts), else the result's own. */
  readonly item: ResultItem;
  readonly result: RunResult;
  readonly judgement: Judgement | null;
  readonly outcome: Outcome;
  /** Multiple choice: the letter ('' when unparseable or not answered); open: the answer text. */
  readonly prediction: string;
  /** The compared run's result for the same item. */
  readonly other: RunResult | null;
  readonly otherJudgement: Judgement | null;
  readonly otherOutcome: Outcome | null;
  readonly otherPrediction: string | null;
  readonly scored: ScoredResult | null;
}

export interface BuildRowsInput {
  readonly run: ReviewRun;
  /** The run compared against (run B), if any. */
  readonly other: ReviewRun | null;
  /** The project's QA items by id. */
  readonly items: ReadonlyMap<string, ResultItem>;
  readonly judgements: Judgements;
}

/** What a scored result counts for, with the cases a reviewer tells apart named. */
export function outcomeOf(scored: ScoredResult | null): Outcome {
  if (scored === null) return 'pending';
  const c = creditOf(scored);
  if (c.kind !== 'scored') return c.kind;
  // creditOf scores a failed multiple-choice item as wrong (it counts in the total); a reviewer
  // still wants to see it failed, unless a person judged it.
  if (!c.human && scored.response === null) return 'failed';
  if (c.unparseable) return 'unparseable';
  return c.credit >= 1 ? 'correct' : c.credit <= 0 ? 'wrong' : 'partial';
}

/** The model's answer as the list shows it: an option letter as scoring reads it, or the open answer text. */
export function predictionOf(result: RunResult, multipleChoice: boolean): string {
  if (result.status !== 'done' || result.response === null) return '';
  const response = result.response;
  if (multipleChoice) return predictedLetter(response);
  // Direct-mode and published outputs have no tags: the whole reply is the answer.
  return response.includes('<answer>') ? extractOpenAnswer(response) : response.trim();
}

/** Whitespace other than single spaces and line breaks between words. */
const ODD_SPACE = /[^\S \n]|\s\s/;

/** Whitespace runs collapsed to one space, trimmed (a plain replacement when there is no run: much faster). */
function foldSpace(s: string): string {
  return (ODD_SPACE.test(s) ? s.replace(/\s+/g, ' ') : s.replaceAll('\n', ' ')).trim();
}

const textKeys = new WeakMap<ResultItem, string>();

/**
 * How two runs' results of one question find each other when not both are linked to a project
 * item: the key imported lines are matched to items by (video and folded question). Runs are
 * immutable, so a result's key is kept with its item for the next build (a judgement rebuilds
 * the rows).
 */
function textKey(item: ResultItem): string {
  let key = textKeys.get(item);
  if (key === undefined) {
    key = matchKey(item);
    textKeys.set(item, key);
  }
  return key;
}

/**
 * Pairs each of run A's results with at most one of run B's (by index into B; -1 for none): first
 * by project item (both linked), then by video and folded question. The text match never pairs
 * two results linked to different items (a question asked twice about one video is two items),
 * and each B result is used once, so duplicates pair in order.
 */
function pairResults(a: readonly RunResult[], b: readonly RunResult[]): Int32Array {
  const paired = new Int32Array(a.length).fill(-1);
  const used = new Uint8Array(b.length);
  const byItem = new Map<string, number>();
  for (let j = 0; j < b.length; j++) {
    const id = b[j]!.itemId;
    if (id !== null && !byItem.has(id)) byItem.set(id, j);
  }
  let unpaired = false;
  for (let i = 0; i < a.length; i++) {
    const id = a[i]!.itemId;
    const j = id === null ? undefined : byItem.get(id);
    if (j !== undefined && used[j] === 0) {
      paired[i] = j;
      used[j] = 1;
    } else unpaired = true;
  }
  if (!unpaired) return paired;
  // Built only when needed: folding the questions is most of the cost of a comparison.
  // Per key, B's candidates in order and the first that may still be free (so that many results
  // of one question do not rescan the ones already taken).
  const byText = new Map<string, { readonly list: number[]; head: number }>();
  for (let j = 0; j < b.length; j++) {
    if (used[j] === 1) continue;
    const k = textKey(b[j]!.item);
    const entry = byText.get(k);
    if (entry) entry.list.push(j);
    else byText.set(k, { list: [j], head: 0 });
  }
  for (let i = 0; i < a.length; i++) {
    if (paired[i] !== -1) continue;
    const linked = a[i]!.itemId !== null;
    const entry = byText.get(textKey(a[i]!.item));
    if (!entry) continue;
    const { list } = entry;
    for (let n = entry.head; n < list.length; n++) {
      const j = list[n]!;
      if (used[j] === 1 || (linked && b[j]!.itemId !== null)) continue;
      paired[i] = j;
      used[j] = 1;
      while (entry.head < list.length && used[list[entry.head]!] === 1) entry.head++;
      break;
    }
  }
  return paired;
}

export function buildRows({ run, other, items, judgements }: BuildRowsInput): ReviewRow[] {
  const paired = other === null ? null : pairResults(run.results, other.results);
  const itemOf = (r: RunResult): ResultItem => (r.itemId === null ? r.item : (items.get(r.itemId) ?? r.item));
  const mine = judgements[run.id];
  const theirs = other === null ? undefined : judgements[other.id];
  const rows: ReviewRow[] = new Array<ReviewRow>(run.results.length);
  for (let i = 0; i < run.results.length; i++) {
    const result = run.results[i]!;
    const item = itemOf(result);
    const judgement = mine?.[result.key] ?? null;
    const scored = scoredOf(item, result, judgement);
    const mc = scored?.multipleChoice ?? isMultipleChoice(item);
    const j = paired === null ? -1 : paired[i]!;
    const o = j < 0 || other === null ? null : other.results[j]!;
    let otherJudgement: Judgement | null = null;
    let otherOutcome: Outcome | null = null;
    let otherPrediction: string | null = null;
    if (o !== null) {
      otherJudgement = theirs?.[o.key] ?? null;
      const otherItem = itemOf(o);
      otherOutcome = outcomeOf(scoredOf(otherItem, o, otherJudgement));
      // Read the same way as this row, so that the two predictions compare.
      otherPrediction = predictionOf(o, mc);
    }
    rows[i] = {
      key: result.key,
      index: i,
      itemId: result.itemId,
      item,
      result,
      judgement,
      outcome: outcomeOf(scored),
      prediction: predictionOf(result, mc),
      other: o,
      otherJudgement,
      otherOutcome,
      otherPrediction,
      scored,
    };
  }
  return rows;
}

const answered = (r: RunResult): boolean => r.status === 'done' || r.status === 'failed';

/** Open answers compare without case, spacing or a final full stop. */
function normalisedAnswer(s: string): string {
  return foldSpace(s.toLowerCase()).replace(/[.!。]+$/, '');
}

/** A multiple-choice answer for comparison: a failed item is an answer of its own, apart from an unparseable one (''). */
function choiceOf(r: RunResult, prediction: string): string {
  return r.status === 'failed' ? '\u0000failed' : prediction;
}

/** Whether the two runs answered the row's item differently (both must have answered). */
export function disagrees(row: ReviewRow): boolean {
  const o = row.other;
  if (o === null || !answered(row.result) || !answered(o)) return false;
  const otherPrediction = row.otherPrediction ?? '';
  if (row.scored?.multipleChoice ?? isMultipleChoice(row.item)) return choiceOf(row.result, row.prediction) !== choiceOf(o, otherPrediction);
  return row.outcome !== row.otherOutcome || normalisedAnswer(row.prediction) !== normalisedAnswer(otherPrediction);
}

export interface ReviewFilter {
  /** The item's video, by its V2P-Bench `video_id` (what results files and matching name a video by). */
  readonly video: string | null;
  /** V2P-Bench's `source` (the dataset the video comes from); '' for items without one. */
  readonly source: string | null;
  readonly dimension: number | null;
  readonly duration: DurationBucket | null;
  /** A visual prompt type, or 'unknown' for items that do not say. */
  readonly vpType: string | null;
  /** unscored: unjudged or pending. */
  readonly outcome: 'correct' | 'partial' | 'wrong' | 'unparseable' | 'failed' | 'unscored' | null;
  /** By a person (a verdict; a note alone does not count). */
  readonly judged: 'judged' | 'unjudged' | null;
  readonly disagree: boolean;
}

export const NO_FILTER: ReviewFilter = { video: null, source: null, dimension: null, duration: null, vpType: null, outcome: null, judged: null, disagree: false };

function matches(row: ReviewRow, f: ReviewFilter): boolean {
  const item = row.item;
  if (f.video !== null && item.videoId !== f.video) return false;
  if (f.source !== null && item.source !== f.source) return false;
  if (f.dimension !== null && item.dimension !== f.dimension) return false;
  if (f.duration !== null && (item.duration === null || durationBucket(item.duration) !== f.duration)) return false;
  if (f.vpType !== null && (item.vpType ?? UNKNOWN_VP_TYPE) !== f.vpType) return false;
  if (f.outcome !== null) {
    if (f.outcome === 'unscored' ? row.outcome !== 'unjudged' && row.outcome !== 'pending' : row.outcome !== f.outcome) return false;
  }
  if (f.judged !== null && (row.judgement !== null && row.judgement.value !== null) !== (f.judged === 'judged')) return false;
  if (f.disagree && !disagrees(row)) return false;
  return true;
}

export function filterRows(rows: readonly ReviewRow[], filter: ReviewFilter): ReviewRow[] {
  if (activeFilterCount(filter) === 0) return rows.slice();
  return rows.filter((r) => matches(r, filter));
}

/** Scores of the rows shown (pending ones count nowhere). */
export function rowsScore(rows: readonly ReviewRow[]): Scores {
  const scored: ScoredResult[] = [];
  for (const r of rows) if (r.scored !== null) scored.push(r.scored);
  return score(scored);
}

/** How many filters are set, for a badge. */
export function activeFilterCount(f: ReviewFilter): number {
  return (
    (f.video !== null ? 1 : 0) +
    (f.source !== null ? 1 : 0) +
    (f.dimension !== null ? 1 : 0) +
    (f.duration !== null ? 1 : 0) +
    (f.vpType !== null ? 1 : 0) +
    (f.outcome !== null ? 1 : 0) +
    (f.judged !== null ? 1 : 0) +
    (f.disagree ? 1 : 0)
  );
}

export interface FacetValue {
  readonly value: string;
  /** How many rows have it. */
  readonly count: number;
  /** A video's path in the dataset, when its items say (the label a person knows it by); else null. */
  readonly path: string | null;
}

export interface ReviewFacets {
  /** The videos of the rows, by `video_id`, in path (else id) order. */
  readonly videos: readonly FacetValue[];
  /** The video sources of the rows, in name order ('' for rows without one, last). */
  readonly sources: readonly FacetValue[];
}

/** What the video and source filters can choose from: the values the run's rows have, with counts. */
export function reviewFacets(rows: readonly ReviewRow[]): ReviewFacets {
  const videos = new Map<string, { count: number; path: string | null }>();
  const sources = new Map<string, number>();
  for (const { item } of rows) {
    const v = videos.get(item.videoId);
    if (v) {
      v.count++;
      v.path ??= item.videoPath;
    } else videos.set(item.videoId, { count: 1, path: item.videoPath });
    sources.set(item.source, (sources.get(item.source) ?? 0) + 1);
  }
  const label = (f: FacetValue): string => f.path ?? f.value;
  // As a person reads a list (case aside), not in code point order.
  const byText = (a: string, b: string): number => a.localeCompare(b, 'en');
  return {
    videos: [...videos].map(([value, v]) => ({ value, count: v.count, path: v.path })).sort((a, b) => byText(label(a), label(b)) || byText(a.value, b.value)),
    sources: [...sources].map(([value, count]) => ({ value, count, path: null })).sort((a, b) => (a.value === '' ? 1 : b.value === '' ? -1 : byText(a.value, b.value))),
  };
}
