/**
 * Scores of model answers on a QA dataset (protocol §4.3, issue 7): accuracy overall, per
 * V2P-Bench dimension, per duration bucket, per visual prompt type and per video source (the
 * dataset a V2P-Bench video comes from). Multiple choice: the prediction is the
 * `<answer>` letter, or — for outputs without tags (direct mode, V2P-Bench's published files) —
 * the first character of the response, as V2P-Bench's own scorer reads `response[0]`. A response
 * with no letter is *unparseable*: counted, shown, and scored wrong, never dropped. Open-ended
 * items count only when judged (1 / 0.5 / 0, by a judge model or a person); a person's judgement
 * overrides any automatic one.
 */
import { dimensionName } from '../qa/dimensions';

export interface ScoredResult {
  readonly dimension: number | null;
  /** The visual prompt type; null when unknown (scored under 'unknown'). */
  readonly vpType?: string | null;
  /** Seconds; null when unknown (counted in no bucket). */
  readonly duration: number | null;
  /** V2P-Bench's `source` (the video's original dataset); '' or absent when unknown (counted in no source). */
  readonly source?: string;
  /** The ground truth: a letter for multiple choice, text otherwise. */
  readonly answer: string;
  readonly multipleChoice: boolean;
  /** The model's output (all rounds), or null when the run failed. */
  readonly response: string | null;
  /** An automatic judgement of an open-ended answer (judge model), 0..1. */
  readonly autoJudgement?: number | null;
  /** A person's judgement (1 correct, 0.5 partly, 0 wrong); overrides everything else. */
  readonly humanJudgement?: number | null;
}

export interface Tally {
  /** Sum of credits (1 per correct MC item; judgements for open ones). */
  readonly correct: number;
  readonly total: number;
  /** correct / total, 0 when there is nothing. */
  readonly accuracy: number;
  /** Of `total`: multiple-choice answers with no letter (scored wrong). */
  readonly unparseable: number;
  /** Of `total`: results whose credit is a person's judgement. */
  readonly humanJudged: number;
}

export interface Scores {
  readonly overall: Tally & { readonly failed: number; readonly unjudged: number };
  readonly byDimension: Readonly<Record<string, Tally & { readonly name: string }>>;
  readonly byDuration: { readonly short: Tally; readonly medium: Tally; readonly long: Tally };
  /** By visual prompt type ('unknown' when a result does not say). */
  readonly byVpType: Readonly<Record<string, Tally>>;
  /** By video source, in name order; results without one count in none (as without a dimension). */
  readonly bySource: Readonly<Record<string, Tally>>;
}

/** The key results without a visual prompt type are scored under. */
export const UNKNOWN_VP_TYPE = 'unknown';

export type DurationBucket = 'short' | 'medium' | 'long';

/** V2P-Bench's buckets: short < 240 s, medium < 1800 s, long ≥ 1800 s. */
export function durationBucket(seconds: number): DurationBucket {
  return seconds < 240 ? 'short' : seconds < 1800 ? 'medium' : 'long';
}

const TAGGED = /<answer>\s*([A-Da-d])/;

/** The predicted letter of a multiple-choice output, or '' when there is none (unparseable). */
export function predictedLetter(response: string): string {
  if (response.includes('<answer>')) return TAGGED.exec(response)?.[1]?.toUpperCase() ?? '';
  const first = response.trimStart()[0] ?? '';
  return /[A-Da-d]/.test(first) ? first.toUpperCase() : '';
}

export type Credit = { readonly kind: 'scored'; readonly credit: number; readonly unparseable: boolean; readonly human: boolean } | { readonly kind: 'unjudged' } | { readonly kind: 'failed' };

/** What one result counts for. */
export function creditOf(r: ScoredResult): Credit {
  if (r.humanJudgement !== undefined && r.humanJudgement !== null) return { kind: 'scored', credit: r.humanJudgement, unparseable: false, human: true };
  if (r.response === null) return r.multipleChoice ? { kind: 'scored', credit: 0, unparseable: false, human: false } : { kind: 'failed' };
  if (r.multipleChoice) {
    const letter = predictedLetter(r.response);
    return { kind: 'scored', credit: letter !== '' && letter === r.answer.trim().toUpperCase() ? 1 : 0, unparseable: letter === '', human: false };
  }
  if (r.autoJudgement !== undefined && r.autoJudgement !== null) return { kind: 'scored', credit: r.autoJudgement, unparseable: false, human: false };
  return { kind: 'unjudged' };
}

interface Scored {
  readonly credit: number;
  readonly unparseable: boolean;
  readonly human: boolean;
}

function tally(list: readonly Scored[]): Tally {
  let correct = 0;
  let unparseable = 0;
  let humanJudged = 0;
  for (const c of list) {
    correct += c.credit;
    if (c.unparseable) unparseable++;
    if (c.human) humanJudged++;
  }
  return { correct, total: list.length, accuracy: list.length === 0 ? 0 : correct / list.length, unparseable, humanJudged };
}

function push<K>(map: Map<K, Scored[]>, key: K, value: Scored): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function score(results: readonly ScoredResult[]): Scores {
  const all: Scored[] = [];
  const dims = new Map<string, Scored[]>();
  const types = new Map<string, Scored[]>();
  const sources = new Map<string, Scored[]>();
  const buckets = new Map<DurationBucket, Scored[]>();
  let failed = 0;
  let unjudged = 0;
  for (const r of results) {
    const c = creditOf(r);
    if (r.response === null) failed++;
    if (c.kind === 'unjudged') unjudged++;
    if (c.kind !== 'scored') continue;
    const s: Scored = { credit: c.credit, unparseable: c.unparseable, human: c.human };
    all.push(s);
    if (r.dimension !== null) push(dims, String(r.dimension), s);
    if (r.duration !== null) push(buckets, durationBucket(r.duration), s);
    push(types, r.vpType ?? UNKNOWN_VP_TYPE, s);
    if (r.source !== undefined && r.source !== '') push(sources, r.source, s);
  }
  const byDimension = Object.fromEntries([...dims].sort((a, b) => Number(a[0]) - Number(b[0])).map(([k, v]) => [k, { name: dimensionName(Number(k)), ...tally(v) }]));
  const byName = (a: readonly [string, unknown], b: readonly [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  const byVpType = Object.fromEntries([...types].sort(byName).map(([k, v]) => [k, tally(v)]));
  const bySource = Object.fromEntries([...sources].sort(byName).map(([k, v]) => [k, tally(v)]));
  return {
    overall: { ...tally(all), failed, unjudged },
    byDimension,
    byDuration: { short: tally(buckets.get('short') ?? []), medium: tally(buckets.get('medium') ?? []), long: tally(buckets.get('long') ?? []) },
    byVpType,
    bySource,
  };
}
