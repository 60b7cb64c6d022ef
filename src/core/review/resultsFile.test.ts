import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runResult } from '../../testing/reviewFixtures';
import { parseResultLines } from './resultLines';
import { finishedCount, inFile, newResultsFile, resultsFileText, unwritten, withoutKeys, withWritten, writtenCount } from './resultsFile';
import type { ResultItem, ResultStatus, ReviewRun, RunResult } from './run';

const item = (n: number, over: Partial<ResultItem> = {}): ResultItem => ({
  videoId: `video_${n % 3}`,
  question: `Item ${n}: what is the target in the highlighted box doing?`,
  options: ['Walking', 'Running', 'Sitting', 'Jumping'],
  answer: 'B',
  dimension: 3,
  category: 1,
  duration: 12,
  source: 'Ego4D',
  vpType: 'rectangle',
  videoPath: `Ego4D/video_${n % 3}.mp4`,
  framePath: `Ego4D/video_${n % 3}.jpg`,
  ...over,
});

function result(n: number, status: ResultStatus, over: Partial<RunResult> = {}): RunResult {
  const answered = status === 'done';
  return runResult(`item-${n}`, {
    itemId: `item-${n}`,
    item: item(n),
    status,
    response: answered ? `<think>Round ${n}.</think><answer>B</answer>` : null,
    error: status === 'failed' ? 'HTTP 500' : null,
    numRounds: answered ? 3 : null,
    toolCalls: answered ? [{ name: 'view_visual_prompt', arguments: { frame_path: 'Ego4D/video_0.jpg' } }] : [],
    ...over,
  });
}

/** A running batch run; `written`: the keys its file has (failed ones as failures), null: no file. */
function batch(results: readonly RunResult[], written: readonly string[] | null = []): ReviewRun {
  return {
    id: 'run-1',
    name: 'vs-8b · 2026-01-01 10:00',
    kind: 'batch',
    createdAt: 0,
    model: 'vs-8b',
    settings: null,
    fileName: null,
    concurrency: 4,
    state: 'running',
    activeMs: 0,
    resumedAt: 0,
    results,
    report: null,
    ...(written === null ? {} : { resultsFile: newResultsFile('run.jsonl', { written, failed: written.filter((k) => results.find((r) => r.key === k)?.status === 'failed') }) }),
  };
}

const keys = (rs: readonly RunResult[]): string[] => rs.map((r) => r.key);

describe('what the results file lacks', () => {
  it('finished results (done and failed) not written nor queued, in the run’s order; pending and running wait', () => {
    const run = batch([result(1, 'done'), result(2, 'running'), result(3, 'failed'), result(4, 'done'), result(5, 'pending'), result(6, 'done')], ['item-4']);
    expect(keys(unwritten(run).results)).toEqual(['item-1', 'item-3', 'item-6']);
    expect(keys(unwritten(run, new Set(['item-1'])).results)).toEqual(['item-3', 'item-6']);
    expect(unwritten(batch([result(1, 'done')], null)).results).toEqual([]);
  });

  it('a written failure asked again leaves the record, so its new line is written when it finishes', () => {
    const written = batch([result(1, 'failed'), result(2, 'done')], ['item-1', 'item-2']);
    expect(written.resultsFile!.failed).toEqual(['item-1']);
    expect(unwritten(written)).toEqual({ results: [], askedAgain: [] });
    const retried = { ...written, results: [result(1, 'pending'), result(2, 'done')] };
    expect(unwritten(retried).askedAgain).toEqual(['item-1']);
    const record = withoutKeys(retried.resultsFile!, ['item-1']);
    expect(record).toMatchObject({ written: ['item-2'], failed: [] });
    const answered = { ...retried, resultsFile: record, results: [result(1, 'done'), result(2, 'done')] };
    expect(keys(unwritten(answered).results)).toEqual(['item-1']);
    expect(withWritten(record, [result(1, 'done')])).toMatchObject({ written: ['item-2', 'item-1'], failed: [] });
    expect(withWritten(record, [result(3, 'failed')])).toMatchObject({ written: ['item-2', 'item-3'], failed: ['item-3'] });
  });

  it('an answer the file has whose result is pending again (the run was not saved in time) is not written twice', () => {
    const ahead = batch([result(1, 'pending'), result(2, 'done')], ['item-2']);
    const record = { ...ahead.resultsFile!, written: ['item-2', 'item-1'] };
    const run = { ...ahead, resultsFile: record };
    expect(unwritten(run)).toEqual({ results: [], askedAgain: [] });
    expect(unwritten({ ...run, results: [result(1, 'done'), result(2, 'done')] }).results).toEqual([]);
  });

  it('counts the finished results and those the file has', () => {
    const run = batch([result(1, 'done'), result(2, 'failed'), result(3, 'pending')], ['item-2', 'item-3']);
    expect(finishedCount(run)).toBe(2);
    // item-3 is listed but no longer finished (asked again): it is not in the file as it stands.
    expect(writtenCount(run)).toBe(1);
  });

  it('every finished result is written exactly once whatever the order of finishing and of writes (property)', () => {
    // A run of n items; a schedule finishes them one at a time in some order, some fail; after
    // each finish the store writes what `unwritten` gives (some writes still queued at times).
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(fc.constant(n), fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }), fc.array(fc.boolean(), { minLength: n, maxLength: n }), fc.array(fc.boolean(), { minLength: n, maxLength: n }))), ([n, order, fails, delayed]) => {
        let run = batch(Array.from({ length: n }, (_, i) => result(i, 'pending')));
        const file: string[] = [];
        let queued: string[] = [];
        const flush = (): void => {
          run = { ...run, resultsFile: withWritten(run.resultsFile!, run.results.filter((r) => queued.includes(r.key))) };
          file.push(...queued);
          queued = [];
        };
        order.forEach((i, step) => {
          run = { ...run, results: run.results.map((r, k) => (k === i ? result(i, fails[step] ? 'failed' : 'done') : r)) };
          queued.push(...keys(unwritten(run, new Set(queued)).results));
          if (!delayed[step]) flush();
        });
        flush();
        expect(file).toEqual(order.map((i) => `item-${i}`));
        expect(unwritten(run).results).toEqual([]);
      }),
    );
  });
});

describe('the lines', () => {
  it('are the reference client’s records, one per result, readable as results again', () => {
    const run = batch([result(1, 'done'), result(2, 'failed')]);
    const text = resultsFileText(run, run.results);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ video_id: 'video_1', video_path: 'Ego4D/video_1.mp4', answer: 'B', source: 'Ego4D', response: '<think>Round 1.</think><answer>B</answer>', predict: 'B', correct: true, num_rounds: 3, model: 'vs-8b' });
    expect(first.question).toBe('Item 1: what is the target in the highlighted box doing?\nA: Walking\nB: Running\nC: Sitting\nD: Jumping\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.');
    expect(JSON.parse(lines[1]!)).toMatchObject({ response: null, predict: null, error: 'HTTP 500' });
    const parsed = parseResultLines(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.results.map((l) => l.item)).toEqual([item(1), item(2)]);
  });
});

describe('which results a file already has (opened again after a reload or a crash)', () => {
  it('finds them by video, question and outcome, whatever the file’s order; the rest is what to append', () => {
    const results = [result(1, 'done'), result(2, 'done'), result(3, 'failed'), result(4, 'done'), result(5, 'pending')];
    // The page went away after items 4 and 1 reached the file (in that order), before the run saved it.
    const run = batch(results, []);
    const file = parseResultLines(resultsFileText(run, [results[3]!, results[0]!]) + '{"not": "ours"}\n');
    const found = inFile(run, file.results);
    expect(found).toEqual({ written: ['item-1', 'item-4'], failed: [] });
    const reopened = { ...run, resultsFile: newResultsFile('run.jsonl', found) };
    expect(keys(unwritten(reopened).results)).toEqual(['item-2', 'item-3']);
  });

  it('a failed line does not stand for the answer a retry gave since; two results of one question take two lines', () => {
    const twin = item(7);
    const failed = result(1, 'failed');
    const run = batch([result(1, 'done'), result(7, 'done', { item: twin }), result(8, 'done', { key: 'item-8', item: twin })]);
    const file = parseResultLines(resultsFileText(run, [failed, run.results[1]!]));
    expect(inFile(run, file.results).written).toEqual(['item-7']);
    const both = parseResultLines(resultsFileText(run, [run.results[1]!, run.results[2]!]));
    expect(inFile(run, both.results).written).toEqual(['item-7', 'item-8']);
  });

  it('a result pending in the run takes its line: an answer stays the only one, a failure is asked and written again', () => {
    const answered = result(2, 'done');
    const failedOnce = result(3, 'failed');
    const run = batch([result(1, 'done'), result(2, 'pending'), result(3, 'pending')]);
    const file = parseResultLines(resultsFileText(run, [answered, failedOnce]));
    const found = inFile(run, file.results);
    expect(found).toEqual({ written: ['item-2', 'item-3'], failed: ['item-3'] });
    const reopened = { ...run, resultsFile: newResultsFile('run.jsonl', found) };
    expect(unwritten(reopened)).toEqual({ results: [run.results[0]], askedAgain: ['item-3'] });
  });
});
