import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { option, text } from '../../testing/qaTestKit';
import { MC_PROMPT, VISUAL_PROMPT_TYPES } from '../agent/prompts';
import { csvField, resultRecord, resultsJsonl, scoreRows, scoresCsv, scoresJson, type ResultRow } from './exportResults';
import { parseResultLines, resultFromLine } from './resultLines';
import type { Judgement, ResultItem, RunResult } from './run';
import { score, type ScoredResult } from './score';
import { scoredOf } from './scored';

const item = (extra: Partial<ResultItem> = {}): ResultItem => ({
  videoId: 'v1',
  question: 'What is it?',
  options: ['a', 'b'],
  answer: 'B',
  dimension: null,
  category: 4,
  duration: null,
  source: 'Src',
  vpType: null,
  videoPath: null,
  framePath: null,
  ...extra,
});

const result = (extra: Partial<RunResult> = {}): RunResult => ({
  key: 'q1',
  itemId: 'q1',
  item: item(),
  status: 'done',
  response: '<think>x</think><answer>B</answer>',
  rawOutput: '<answer>B</answer>',
  userText: 'USER',
  toolCalls: [{ name: 'crop_video', arguments: '{"start":1}' }],
  numRounds: 2,
  error: null,
  model: null,
  autoJudgement: null,
  query: null,
  ...extra,
});

const row = (extra: Partial<ResultRow> = {}): ResultRow => ({ item: item(), result: result(), judgement: null, model: 'served-model', ...extra });

describe('resultRecord', () => {
  it('writes the V2P fields first in V2P order, then the reference client’s', () => {
    const record = resultRecord(row())!;
    expect(Object.keys(record)).toEqual(['video_id', 'video_path', 'duration', 'question', 'answer', 'source', 'frame_path', 'dimension', 'category', 'response', 'raw_output', 'user_text', 'predict', 'tool_calls', 'num_rounds', 'correct', 'model']);
    expect(record).toEqual({
      video_id: 'v1',
      video_path: '',
      duration: null,
      question: `What is it?\nA: a\nB: b${MC_PROMPT}`,
      answer: 'B',
      source: 'Src',
      frame_path: '',
      dimension: 0,
      category: 4,
      response: '<think>x</think><answer>B</answer>',
      raw_output: '<answer>B</answer>',
      user_text: 'USER',
      predict: 'B',
      tool_calls: [{ name: 'crop_video', arguments: '{"start":1}' }],
      num_rounds: 2,
      correct: true,
      model: 'served-model',
    });
  });

  it('adds vp_type, paths, the result’s own model, judgements and the judge score when there are some', () => {
    const record = resultRecord(
      row({
        item: item({ vpType: 'arrow', videoPath: 'Src/v1.mp4', framePath: ['a.jpg', 'b.jpg'], duration: 12, dimension: 3 }),
        result: result({ model: 'gpt-4o', autoJudgement: 0.5, response: 'A' }),
        judgement: { value: 1, note: 'checked', at: 5 },
      }),
    )!;
    expect(record).toMatchObject({ vp_type: 'arrow', video_path: 'Src/v1.mp4', frame_path: ['a.jpg', 'b.jpg'], duration: 12, dimension: 3, model: 'gpt-4o', predict: 'A', correct: false, human_judgement: 1, review_note: 'checked', judge_score: 0.5 });
    expect(Object.keys(record).indexOf('vp_type')).toBe(9);
    const noteOnly = resultRecord(row({ judgement: { value: null, note: 'hm', at: 1 } }))!;
    expect(noteOnly.review_note).toBe('hm');
    expect('human_judgement' in noteOnly).toBe(false);
    const verdictOnly = resultRecord(row({ judgement: { value: 0, note: '', at: 1 } }))!;
    expect(verdictOnly.human_judgement).toBe(0);
    expect('review_note' in verdictOnly).toBe(false);
  });

  it('writes a failure as response and predict null with the error', () => {
    const record = resultRecord(row({ result: result({ status: 'failed', response: 'partial', error: 'HTTP 500' }) }))!;
    expect(record).toMatchObject({ response: null, predict: null, correct: null, error: 'HTTP 500' });
    expect(resultRecord(row({ result: result({ status: 'failed', response: null }) }))!.error).toBe('failed');
  });

  it('predicts an open answer from its <answer> tag, or the whole trimmed response without one', () => {
    const openItem = item({ options: [], answer: 'left' });
    expect(resultRecord(row({ item: openItem, result: result({ response: '<think>x</think><answer> to the left </answer>' }) }))).toMatchObject({ predict: 'to the left', correct: null, question: 'What is it?' });
    expect(resultRecord(row({ item: openItem, result: result({ response: '  left  ' }) }))).toMatchObject({ predict: 'left' });
  });

  it('has no prediction for an unparseable multiple-choice answer', () => {
    expect(resultRecord(row({ result: result({ response: 'not sure' }) }))).toMatchObject({ predict: '', correct: null });
  });

  it('leaves results not answered yet out', () => {
    expect(resultRecord(row({ result: result({ status: 'pending', response: null }) }))).toBeNull();
    expect(resultRecord(row({ result: result({ status: 'running', response: null }) }))).toBeNull();
    const jsonl = resultsJsonl([row(), row({ result: result({ status: 'pending', response: null }) }), row({ result: result({ status: 'failed', response: null, error: 'x' }) })]);
    expect(jsonl.split('\n')).toHaveLength(3);
    expect(jsonl.endsWith('}\n')).toBe(true);
    expect(resultsJsonl([])).toBe('');
  });
});

const nonNegative = (max: number) => fc.double({ min: 0, max, noNaN: true }).map((x) => (x === 0 ? 0 : x));

const anItem: fc.Arbitrary<ResultItem> = fc
  .record({
    videoId: text(true),
    question: text(),
    kind: fc.constantFrom('mc', 'open', 'options-with-text-answer'),
    options: fc.array(option, { minLength: 2, maxLength: 4 }),
    pick: fc.nat(3),
    openAnswer: text(),
    dimension: fc.option(fc.integer({ min: 1, max: 14 }), { nil: null }),
    category: fc.option(fc.integer({ min: 1, max: 50 }), { nil: null }),
    duration: fc.option(nonNegative(1e5), { nil: null }),
    source: text(true),
    vpType: fc.option(fc.constantFrom(...VISUAL_PROMPT_TYPES), { nil: null }),
    videoPath: fc.option(text(true).filter((s) => s !== ''), { nil: null }),
    framePath: fc.oneof(fc.constant(null), text(true).filter((s) => s !== ''), fc.array(text(true), { minLength: 1, maxLength: 3 })),
  })
  .map(({ kind, options, pick, openAnswer, ...rest }) => ({
    ...rest,
    options: kind === 'open' ? [] : options,
    answer: kind === 'mc' ? 'ABCD'[pick % options.length]! : openAnswer,
  }));

const aResult = (it: ResultItem): fc.Arbitrary<RunResult> =>
  fc
    .record({
      status: fc.constantFrom('done', 'done', 'failed', 'pending', 'running'),
      response: fc.option(fc.oneof(fc.constantFrom('<answer>A</answer>', '<think>B?</think><answer> b</answer>', 'C', 'D. yes', 'no idea', '<answer>left</answer>'), fc.string()), { nil: null }),
      rawOutput: fc.option(fc.string(), { nil: null }),
      userText: fc.option(fc.string(), { nil: null }),
      // Through JSON text and back (-0 is written as 0, so it cannot come back as -0).
      toolCalls: fc.array(fc.record({ name: fc.string(), arguments: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown) }), { maxLength: 2 }),
      numRounds: fc.option(fc.nat(10), { nil: null }),
      error: fc.option(fc.string(), { nil: null }),
      model: fc.option(fc.string(), { nil: null }),
      autoJudgement: fc.option(nonNegative(1), { nil: null }),
    })
    .map((r) => ({ ...r, key: 'k', itemId: null, item: it, query: null }));

const aJudgement: fc.Arbitrary<Judgement | null> = fc.option(fc.record({ value: fc.constantFrom(null, 0, 0.5, 1), note: fc.string({ maxLength: 5 }), at: fc.nat() }), { nil: null });

const aRow: fc.Arbitrary<ResultRow> = anItem.chain((it) => fc.record({ item: fc.constant(it), result: aResult(it), judgement: aJudgement, model: fc.string({ maxLength: 5 }) }));

describe('export → import', () => {
  it('gives the same items, answers, judgements and scores (property)', () => {
    fc.assert(
      fc.property(fc.array(aRow, { maxLength: 12 }), (rows) => {
        const { results, problems } = parseResultLines(resultsJsonl(rows));
        expect(problems).toEqual([]);
        const answered = rows.filter((r) => r.result.status !== 'pending' && r.result.status !== 'running');
        expect(results).toHaveLength(answered.length);
        answered.forEach((r, i) => {
          const line = results[i]!;
          const back = resultFromLine(line, null);
          expect(line.item).toEqual(r.item);
          const failed = r.result.status === 'failed';
          expect(back.response).toBe(failed ? null : r.result.response);
          expect(back.status).toBe(failed || (r.result.response === null && r.result.error !== null) ? 'failed' : 'done');
          expect(back.toolCalls).toEqual(r.result.toolCalls);
          expect(back.model).toBe(r.result.model ?? r.model);
          expect(back.autoJudgement).toBe(r.result.autoJudgement);
          const j = r.judgement;
          expect(line.judgement).toEqual(j === null || (j.value === null && j.note === '') ? null : { value: j.value, note: j.note, at: 0 });
        });
        const before = rows.map((r) => scoredOf(r.item, r.result, r.judgement)).filter((s): s is ScoredResult => s !== null);
        const after = results.map((l) => scoredOf(l.item, resultFromLine(l, null), l.judgement)).filter((s): s is ScoredResult => s !== null);
        expect(score(after)).toEqual(score(before));
      }),
    );
  });
});

describe('score tables', () => {
  const scores = score([
    { dimension: 1, duration: 10, answer: 'A', multipleChoice: true, response: 'A', vpType: 'arrow', source: 'Ego4D' },
    { dimension: 99, duration: 500, answer: 'A', multipleChoice: true, response: 'huh', vpType: 'say "hi", ok', source: 'Ego4D' },
    { dimension: 1, duration: 5000, answer: 'x', multipleChoice: false, response: 'x', humanJudgement: 0.5 },
  ]);

  it('flattens overall, dimensions, buckets and types into rows', () => {
    expect(scoreRows(scores)).toEqual([
      { section: 'overall', key: 'overall', label: 'Overall', correct: 1.5, total: 3, accuracy: 0.5, unparseable: 1, humanJudged: 1 },
      { section: 'dimension', key: '1', label: 'Object Attribute', correct: 1.5, total: 2, accuracy: 0.75, unparseable: 0, humanJudged: 1 },
      { section: 'dimension', key: '99', label: 'Dimension 99', correct: 0, total: 1, accuracy: 0, unparseable: 1, humanJudged: 0 },
      { section: 'duration', key: 'short', label: 'short (< 4 min)', correct: 1, total: 1, accuracy: 1, unparseable: 0, humanJudged: 0 },
      { section: 'duration', key: 'medium', label: 'medium (4 to 30 min)', correct: 0, total: 1, accuracy: 0, unparseable: 1, humanJudged: 0 },
      { section: 'duration', key: 'long', label: 'long (>= 30 min)', correct: 0.5, total: 1, accuracy: 0.5, unparseable: 0, humanJudged: 1 },
      { section: 'vpType', key: 'arrow', label: 'arrow', correct: 1, total: 1, accuracy: 1, unparseable: 0, humanJudged: 0 },
      { section: 'vpType', key: 'say "hi", ok', label: 'say "hi", ok', correct: 0, total: 1, accuracy: 0, unparseable: 1, humanJudged: 0 },
      { section: 'vpType', key: 'unknown', label: 'unknown', correct: 0.5, total: 1, accuracy: 0.5, unparseable: 0, humanJudged: 1 },
      { section: 'source', key: 'Ego4D', label: 'Ego4D', correct: 1, total: 2, accuracy: 0.5, unparseable: 1, humanJudged: 0 },
    ]);
  });

  it('writes CSV with a header, CRLF and RFC 4180 quoting', () => {
    const csv = scoresCsv(scores);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,key,label,correct,total,accuracy,unparseable,human_judged');
    expect(lines[1]).toBe('overall,overall,Overall,1.5,3,0.5,1,1');
    expect(lines[8]).toBe('vpType,"say ""hi"", ok","say ""hi"", ok",0,1,0,1,0');
    expect(lines[10]).toBe('source,Ego4D,Ego4D,1,2,0.5,1,0');
    expect(lines).toHaveLength(12);
    expect(lines[11]).toBe('');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain')).toBe('plain');
    expect(csvField(0.25)).toBe('0.25');
  });

  it('writes JSON that reads back as the scores', () => {
    expect(JSON.parse(scoresJson(scores))).toEqual(scores);
  });
});
