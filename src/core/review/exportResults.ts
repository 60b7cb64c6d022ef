/**
 * A run's results and scores written out: results as JSON Lines in the reference client's format
 * (protocol §4.2, readable by V2P-Bench-style scripts and by parseResultLines), scores as a flat
 * CSV table or as JSON.
 *
 * Beyond the reference fields, a line carries what the review adds — `vp_type` when known,
 * `model`, a person's `human_judgement` and `review_note`, a judge model's `judge_score` — so that
 * exporting and importing again gives the same scores.
 */
import { extractOpenAnswer } from '../agent/answer';
import { foldedQuestion, isMultipleChoice } from './resultItem';
import type { Judgement, ResultItem, RunResult } from './run';
import { predictedLetter, type DurationBucket, type Scores, type Tally } from './score';

export interface ResultRow {
  readonly item: ResultItem;
  readonly result: RunResult;
  readonly judgement: Judgement | null;
  /** The run's model, written when the result does not name its own. */
  readonly model: string;
}

/** What the model predicted: MC the letter ('' when none), open the answer text. */
function predictionOf(item: ResultItem, response: string): string {
  if (isMultipleChoice(item)) return predictedLetter(response);
  // Direct mode answers without tags: the whole response is the answer.
  return response.includes('<answer>') ? extractOpenAnswer(response) : response.trim();
}

/**
 * One result as a JSON object in the reference format, or null for a result not answered yet
 * (pending or running): exporting it would read back as a failure.
 */
export function resultRecord({ item, result, judgement, model }: ResultRow): Record<string, unknown> | null {
  if (result.status === 'pending' || result.status === 'running') return null;
  const failed = result.status === 'failed';
  const response = failed ? null : result.response;
  const predict = response === null ? null : predictionOf(item, response);
  const record: Record<string, unknown> = {
    // The V2P-Bench fields first, in its order (see V2P_FIELDS).
    video_id: item.videoId,
    video_path: item.videoPath ?? '',
    duration: item.duration,
    question: foldedQuestion(item),
    answer: item.answer,
    source: item.source,
    frame_path: item.framePath === null ? '' : typeof item.framePath === 'string' ? item.framePath : [...item.framePath],
    dimension: item.dimension ?? 0,
    category: item.category ?? 0,
  };
  if (item.vpType !== null) record.vp_type = item.vpType;
  record.response = response;
  record.raw_output = result.rawOutput;
  record.user_text = result.userText;
  record.predict = predict;
  record.tool_calls = result.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }));
  record.num_rounds = result.numRounds;
  record.correct = predict !== null && predict !== '' && isMultipleChoice(item) ? predict === item.answer.trim().toUpperCase() : null;
  record.model = result.model ?? model;
  // A failure must carry an error to read back as one; a finished result keeps any it has.
  if (failed) record.error = result.error ?? 'failed';
  else if (result.error !== null) record.error = result.error;
  if (judgement !== null && judgement.value !== null) record.human_judgement = judgement.value;
  if (judgement !== null && judgement.note !== '') record.review_note = judgement.note;
  if (result.autoJudgement !== null) record.judge_score = result.autoJudgement;
  return record;
}

/** JSON Lines, one line per answered result (pending and running ones are left out), each ending in "\n". */
export function resultsJsonl(rows: readonly ResultRow[]): string {
  let out = '';
  for (const row of rows) {
    const record = resultRecord(row);
    if (record !== null) out += `${JSON.stringify(record)}\n`;
  }
  return out;
}

export type ScoreSection = 'overall' | 'dimension' | 'duration' | 'vpType' | 'source';

export interface ScoreRow {
  readonly section: ScoreSection;
  /** 'overall', the dimension code, the bucket ('short' …), the visual prompt type or the video source. */
  readonly key: string;
  readonly label: string;
  readonly correct: number;
  readonly total: number;
  readonly accuracy: number;
  readonly unparseable: number;
  readonly humanJudged: number;
}

/** ASCII, so that a spreadsheet opening the CSV without guessing UTF-8 shows them right. */
export const DURATION_LABELS: Readonly<Record<DurationBucket, string>> = {
  short: 'short (< 4 min)',
  medium: 'medium (4 to 30 min)',
  long: 'long (>= 30 min)',
};

const BUCKETS: readonly DurationBucket[] = ['short', 'medium', 'long'];

function row(section: ScoreSection, key: string, label: string, t: Tally): ScoreRow {
  return { section, key, label, correct: t.correct, total: t.total, accuracy: t.accuracy, unparseable: t.unparseable, humanJudged: t.humanJudged };
}

/** The scores as one flat table: overall, then per dimension, duration bucket, visual prompt type and video source. */
export function scoreRows(scores: Scores): ScoreRow[] {
  return [
    row('overall', 'overall', 'Overall', scores.overall),
    ...Object.entries(scores.byDimension).map(([code, t]) => row('dimension', code, t.name, t)),
    ...BUCKETS.map((b) => row('duration', b, DURATION_LABELS[b], scores.byDuration[b])),
    ...Object.entries(scores.byVpType).map(([type, t]) => row('vpType', type, type, t)),
    ...Object.entries(scores.bySource).map(([source, t]) => row('source', source, source, t)),
  ];
}

const CSV_HEADER = ['section', 'key', 'label', 'correct', 'total', 'accuracy', 'unparseable', 'human_judged'];

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The table of scoreRows as CSV (RFC 4180: CRLF line breaks, a header line). */
export function scoresCsv(scores: Scores): string {
  const lines = [CSV_HEADER, ...scoreRows(scores).map((r) => [r.section, r.key, r.label, r.correct, r.total, r.accuracy, r.unparseable, r.humanJudged])];
  return lines.map((fields) => fields.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** The scores as they are (overall with failed and unjudged counts, by dimension, duration, type and source). */
export function scoresJson(scores: Scores): string {
  return `${JSON.stringify(scores, null, 2)}\n`;
}
