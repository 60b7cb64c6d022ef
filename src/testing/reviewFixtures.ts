/** Review test data: a run result and an imported run, with only what a test cares about given. */
import type { ResultItem, ReviewRun, RunResult } from '../core/review/run';

/** An open-ended item with nothing else known ("What is it?" → "a cat"). */
export const plainItem = (over: Partial<ResultItem> = {}): ResultItem => ({
  videoId: 'v1',
  question: 'What is it?',
  options: [],
  answer: 'a cat',
  dimension: null,
  category: null,
  duration: null,
  source: '',
  vpType: null,
  videoPath: null,
  framePath: null,
  ...over,
});

/** A finished result with no file extras (no calls, one round, no model, no judge score). */
export function runResult(key: string, over: Partial<RunResult> = {}): RunResult {
  return {
    key,
    itemId: null,
    item: plainItem(),
    status: 'done',
    response: 'a cat',
    rawOutput: null,
    userText: null,
    toolCalls: [],
    numRounds: 1,
    error: null,
    model: null,
    autoJudgement: null,
    query: null,
    ...over,
  };
}

/** An imported run of these results. */
export function importedRun(id: string, results: readonly RunResult[], over: Partial<ReviewRun> = {}): ReviewRun {
  return {
    id,
    name: 'results.jsonl',
    kind: 'import',
    createdAt: 1_700_000_000_000,
    model: 'qwen2.5-vl-7b',
    settings: null,
    fileName: 'results.jsonl',
    concurrency: 1,
    state: 'imported',
    activeMs: 0,
    resumedAt: null,
    results,
    report: null,
    ...over,
  };
}
