/**
 * Result files as the reference client writes them (JSON Lines: the item's fields plus
 * `response`, `raw_output`, `user_text`, `predict`, `tool_calls`, `num_rounds`, `correct`, or
 * `response: null` and `error` for a failed item — protocol §4.2), as V2P-Bench publishes them (the
 * item's fields plus `response`, a string or a list whose first element is the answer, and
 * `model`), and as the review exports them (the reference form plus `human_judgement`,
 * `review_note` and `judge_score`, see exportResults.ts). Each line becomes a result item, what
 * the model said and any judgement; a line that is not a result is reported by its number.
 *
 * `predict` and `correct` are not read back: they are derived from the response and the answer,
 * and scoring derives them again so that a file's own verdict cannot disagree with ours.
 */
import { VISUAL_PROMPT_TYPES, type VisualPromptType } from '../agent/prompts';
import { splitV2pQuestion } from '../qa/v2p';
import type { Judgement, JudgementValue, ResultItem, RunResult, ToolCallRecord } from './run';

/** A line of a results file: what a run's result carries, where it was, and a verdict from our own export. */
export interface ResultLine extends Pick<RunResult, 'item' | 'response' | 'rawOutput' | 'userText' | 'toolCalls' | 'numRounds' | 'error' | 'model' | 'autoJudgement'> {
  /** 1-based line number in the file. */
  readonly line: number;
  /** A person's verdict and note from our own export; `at` is 0 (the file does not say when). */
  readonly judgement: Judgement | null;
}

export interface ResultProblem {
  readonly line: number;
  readonly message: string;
}

export interface ResultParse {
  readonly results: readonly ResultLine[];
  /** Lines that could not be read, with why. */
  readonly problems: readonly ResultProblem[];
}

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

const stringOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** V2P-Bench codes start at 1: 0 means "not set". */
function codeOrNull(v: unknown): number | null {
  const n = finiteOrNull(v);
  return n === null || n === 0 ? null : n;
}

const VP_TYPES: ReadonlySet<string> = new Set(VISUAL_PROMPT_TYPES);

function vpTypeOrNull(v: unknown): VisualPromptType | null {
  return typeof v === 'string' && VP_TYPES.has(v) ? (v as VisualPromptType) : null;
}

/** Our export writes '' for an unknown path, so '' reads back as unknown. */
function pathOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function framePathOrNull(v: unknown): string | readonly string[] | null {
  if (Array.isArray(v)) return v.length > 0 && v.every((p) => typeof p === 'string') ? (v as string[]) : null;
  return pathOrNull(v);
}

function toolCallsOf(v: unknown): ToolCallRecord[] {
  if (!Array.isArray(v)) return [];
  const calls: ToolCallRecord[] = [];
  for (const c of v) {
    // A missing `arguments` becomes null, so that the call survives an export → import unchanged.
    if (isObject(c) && typeof c.name === 'string') calls.push({ name: c.name, arguments: c.arguments ?? null });
  }
  return calls;
}

function judgementValueOf(v: unknown): JudgementValue | null {
  return v === 0 || v === 0.5 || v === 1 ? v : null;
}

function judgementOf(value: JsonObject): Judgement | null {
  const v = judgementValueOf(value.human_judgement);
  const note = stringOrNull(value.review_note);
  return v === null && note === null ? null : { value: v, note: note ?? '', at: 0 };
}

function responseOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  // V2P-Bench's published files keep a list of responses; its scorer reads the first.
  if (Array.isArray(v) && typeof v[0] === 'string') return v[0];
  return null;
}

function itemOf(value: JsonObject, question: string, answer: string): ResultItem {
  const split = splitV2pQuestion(question);
  const duration = finiteOrNull(value.duration);
  return {
    videoId: typeof value.video_id === 'string' ? value.video_id : typeof value.video_id === 'number' ? String(value.video_id) : '',
    question: split.question,
    options: split.options,
    answer,
    dimension: codeOrNull(value.dimension),
    category: codeOrNull(value.category),
    duration: duration !== null && duration >= 0 ? duration : null,
    source: typeof value.source === 'string' ? value.source : '',
    vpType: vpTypeOrNull(value.vp_type),
    videoPath: pathOrNull(value.video_path),
    framePath: framePathOrNull(value.frame_path),
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return `a ${typeof v}`;
}

/** One non-blank line: a result, or why it is not one. */
function parseLine(raw: string, line: number): ResultLine | string {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'not valid JSON';
  }
  if (!isObject(value)) return `not a JSON object (found ${kindOf(value)})`;
  const { question, answer } = value;
  if (typeof question !== 'string' && typeof answer !== 'string') return 'not a result: "question" and "answer" are missing or not text';
  if (typeof question !== 'string') return 'not a result: "question" is missing or not text';
  if (typeof answer !== 'string') return 'not a result: "answer" is missing or not text';
  const numRounds = finiteOrNull(value.num_rounds);
  const autoJudgement = finiteOrNull(value.judge_score);
  return {
    line,
    item: itemOf(value, question, answer),
    response: responseOf(value.response),
    rawOutput: stringOrNull(value.raw_output),
    userText: stringOrNull(value.user_text),
    toolCalls: toolCallsOf(value.tool_calls),
    numRounds: numRounds !== null && numRounds >= 0 ? numRounds : null,
    error: stringOrNull(value.error),
    model: stringOrNull(value.model),
    autoJudgement: autoJudgement !== null && autoJudgement >= 0 && autoJudgement <= 1 ? autoJudgement : null,
    judgement: judgementOf(value),
  };
}

export function parseResultLines(text: string): ResultParse {
  const results: ResultLine[] = [];
  const problems: ResultProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    // trim() also drops a "\r" (CRLF files) and a byte-order mark on the first line.
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const parsed = parseLine(raw, i + 1);
    if (typeof parsed === 'string') problems.push({ line: i + 1, message: parsed });
    else results.push(parsed);
  }
  return { results, problems };
}

/** The run result an imported line becomes (keyed by its line number, which is unique in a file). */
export function resultFromLine(line: ResultLine, itemId: string | null): RunResult {
  return {
    key: `line-${line.line}`,
    itemId,
    item: line.item,
    status: line.error !== null && line.response === null ? 'failed' : 'done',
    response: line.response,
    rawOutput: line.rawOutput,
    userText: line.userText,
    toolCalls: line.toolCalls,
    numRounds: line.numRounds,
    error: line.error,
    model: line.model,
    autoJudgement: line.autoJudgement,
    query: null,
  };
}
