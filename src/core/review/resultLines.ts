/**
 * Result files as the reference client writes them (JSON Lines: the item's fields plus
 * `response`, `raw_output`, `predict`, `tool_calls`, `num_rounds`, `correct`, or `error` for a
 * failed item) and as V2P-Bench publishes them (the item's fields plus `response` and `model`).
 * Each line becomes what scoring needs; a line that is not a result is reported by its number.
 */
import { splitV2pQuestion } from '../qa/v2p';
import type { ScoredResult } from './score';

export interface ResultLine extends ScoredResult {
  readonly line: number;
  readonly videoId: string;
  readonly question: string;
  readonly model: string | null;
  readonly error: string | null;
}

export interface ResultParse {
  readonly results: readonly ResultLine[];
  /** Lines that could not be read, with why. */
  readonly problems: readonly { readonly line: number; readonly message: string }[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function numberOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function parseResultLines(text: string): ResultParse {
  const results: ResultLine[] = [];
  const problems: { line: number; message: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '') continue;
    const line = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push({ line, message: 'not valid JSON' });
      continue;
    }
    if (!isObject(value)) {
      problems.push({ line, message: 'not a JSON object' });
      continue;
    }
    const { question, answer } = value;
    if (typeof question !== 'string' || typeof answer !== 'string') {
      problems.push({ line, message: 'needs "question" and "answer" strings' });
      continue;
    }
    const response = value.response;
    // V2P-Bench's published files keep a list of responses; the first is the answer.
    const text = typeof response === 'string' ? response : Array.isArray(response) && typeof response[0] === 'string' ? response[0] : null;
    const error = typeof value.error === 'string' ? value.error : null;
    const multipleChoice = /^[A-Da-d]$/.test(answer.trim()) && splitV2pQuestion(question).options.length >= 2;
    results.push({
      line,
      videoId: typeof value.video_id === 'string' ? value.video_id : '',
      question,
      answer,
      model: typeof value.model === 'string' ? value.model : null,
      error,
      dimension: numberOrNull(value.dimension) || null,
      duration: numberOrNull(value.duration),
      multipleChoice,
      response: error !== null && text === null ? null : text,
    });
  }
  return { results, problems };
}
