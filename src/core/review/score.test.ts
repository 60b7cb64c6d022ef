import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResultLines, resultFromLine } from './resultLines';
import type { Judgement, ResultItem, RunResult } from './run';
import { creditOf, durationBucket, predictedLetter, score, type ScoredResult } from './score';
import { scoredOf } from './scored';
import { runResult } from '../../testing/reviewFixtures';

const MC = 'What is it?\nA: a\nB: b\nC: c\nD: d\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';
const mc = (answer: string, response: string | null, extra: Partial<ScoredResult> = {}): ScoredResult => ({ dimension: 1, duration: 100, answer, multipleChoice: true, response, ...extra });
const open = (response: string | null, extra: Partial<ScoredResult> = {}): ScoredResult => ({ dimension: 9, duration: 10, answer: 'left', multipleChoice: false, response, ...extra });

const item = (extra: Partial<ResultItem> = {}): ResultItem => ({
  videoId: 'v',
  question: 'What is it?',
  options: ['a', 'b', 'c', 'd'],
  answer: 'B',
  dimension: 1,
  category: null,
  duration: 100,
  source: '',
  vpType: 'rectangle',
  videoPath: null,
  framePath: null,
  ...extra,
});

const result = (extra: Partial<RunResult> = {}): RunResult => runResult('k', { item: item(), response: '<answer>B</answer>', ...extra });

const judged = (value: Judgement['value']): Judgement => ({ value, note: '', at: 1 });

describe('predictedLetter', () => {
  it('reads the <answer> letter, else the first character (V2P-Bench), else nothing', () => {
    expect(predictedLetter('<think>hm</think><answer> b</answer>')).toBe('B');
    expect(predictedLetter('<think>hm</think><answer>maybe</answer>')).toBe('');
    expect(predictedLetter('<think>A or B?</think><answer>C</answer>')).toBe('C');
    expect(predictedLetter('C. The dog')).toBe('C');
    expect(predictedLetter('  d')).toBe('D');
    expect(predictedLetter('The answer is C')).toBe('');
    expect(predictedLetter('E')).toBe('');
    expect(predictedLetter('')).toBe('');
  });
});

describe('durationBucket', () => {
  it('puts the edges where V2P-Bench does', () => {
    expect(durationBucket(0)).toBe('short');
    expect(durationBucket(239.99)).toBe('short');
    expect(durationBucket(240)).toBe('medium');
    expect(durationBucket(1799.9)).toBe('medium');
    expect(durationBucket(1800)).toBe('long');
  });
});

describe('score', () => {
  it('reads <answer> tags, and the first character when there are none', () => {
    const s = score([mc('B', '<think>x</think><answer>B</answer>'), mc('B', '<answer> b </answer>'), mc('B', '<answer>A</answer>'), mc('C', 'C'), mc('C', 'C. because'), mc('C', 'A')]);
    expect(s.overall).toMatchObject({ correct: 4, total: 6, unparseable: 0, failed: 0 });
  });

  it('counts an answer without a letter as unparseable and wrong, in every row it falls in', () => {
    const s = score([mc('A', 'I think so'), mc('A', '<answer>maybe</answer>', { vpType: 'arrow' }), mc('A', '<answer>A</answer>', { vpType: 'arrow' })]);
    expect(s.overall).toMatchObject({ correct: 1, total: 3, unparseable: 2 });
    expect(s.byDimension['1']).toMatchObject({ unparseable: 2, total: 3 });
    expect(s.byDuration.short).toMatchObject({ unparseable: 2, total: 3 });
    expect(s.byVpType).toEqual({
      arrow: { correct: 1, total: 2, accuracy: 0.5, unparseable: 1, humanJudged: 0 },
      unknown: { correct: 0, total: 1, accuracy: 0, unparseable: 1, humanJudged: 0 },
    });
  });

  it('scores a failed multiple-choice item wrong and leaves a failed open one out, counting both as failed', () => {
    const s = score([mc('A', null), open(null), mc('A', 'A')]);
    expect(s.overall).toEqual({ correct: 1, total: 2, accuracy: 0.5, unparseable: 0, humanJudged: 0, failed: 2, unjudged: 0 });
  });

  it('puts durations into buckets at 240 s and 1800 s, and unknown durations in none', () => {
    const s = score([mc('A', 'A', { duration: 239.99 }), mc('A', 'A', { duration: 240 }), mc('A', 'B', { duration: 1799.99 }), mc('A', 'A', { duration: 1800 }), mc('A', 'A', { duration: null })]);
    expect(s.byDuration.short).toMatchObject({ correct: 1, total: 1 });
    expect(s.byDuration.medium).toMatchObject({ correct: 1, total: 2, accuracy: 0.5 });
    expect(s.byDuration.long).toMatchObject({ correct: 1, total: 1 });
    expect(s.overall.total).toBe(5);
  });

  it('groups by dimension with names, sorted by code, and leaves out results without one', () => {
    const s = score([mc('A', 'A', { dimension: 10 }), mc('A', 'B', { dimension: 2 }), mc('A', 'A', { dimension: null })]);
    expect(Object.keys(s.byDimension)).toEqual(['2', '10']);
    expect(s.byDimension['2']).toEqual({ name: 'Human Attribute', correct: 0, total: 1, accuracy: 0, unparseable: 0, humanJudged: 0 });
    expect(s.byDimension['10']).toMatchObject({ name: 'Reverse Temporal', correct: 1 });
  });

  it('a person’s judgement overrides the automatic verdict in both directions, partly correct included', () => {
    expect(creditOf(mc('A', '<answer>B</answer>', { humanJudgement: 1 }))).toEqual({ kind: 'scored', credit: 1, unparseable: false, human: true });
    expect(creditOf(mc('A', '<answer>A</answer>', { humanJudgement: 0 }))).toEqual({ kind: 'scored', credit: 0, unparseable: false, human: true });
    expect(creditOf(mc('A', 'no idea', { humanJudgement: 0.5 }))).toEqual({ kind: 'scored', credit: 0.5, unparseable: false, human: true });
    expect(creditOf(open('<answer>right</answer>', { autoJudgement: 1, humanJudgement: 0 }))).toMatchObject({ credit: 0, human: true });
    expect(creditOf(open('<answer>left</answer>', { autoJudgement: 0, humanJudgement: 0.5 }))).toMatchObject({ credit: 0.5, human: true });
    const s = score([mc('A', 'A', { humanJudgement: 0 }), mc('A', 'B', { humanJudgement: 1 }), mc('A', 'B', { humanJudgement: 0.5 }), mc('A', 'A')]);
    expect(s.overall).toMatchObject({ correct: 2.5, total: 4, humanJudged: 3 });
  });

  it('counts open answers only when judged (by a judge model or a person)', () => {
    const s = score([open('<answer>to the left</answer>'), open('<answer>left</answer>', { autoJudgement: 0.5 }), open('left', { autoJudgement: 0, humanJudgement: 1 })]);
    expect(s.overall).toMatchObject({ correct: 1.5, total: 2, unjudged: 1, humanJudged: 1, failed: 0 });
    expect(s.byDimension['9']).toMatchObject({ total: 2 });
  });

  it('scores by visual prompt type, with results that do not say under "unknown"', () => {
    const s = score([mc('A', 'A', { vpType: 'point' }), mc('A', 'A', { vpType: null }), mc('A', 'B')]);
    expect(Object.keys(s.byVpType)).toEqual(['point', 'unknown']);
    expect(s.byVpType.unknown).toMatchObject({ correct: 1, total: 2 });
  });

  it('scores by video source (V2P-Bench’s `source`), in name order, leaving out results without one', () => {
    const s = score([
      mc('A', 'A', { source: 'YouCook2' }),
      mc('A', 'B', { source: 'ActivityNet' }),
      mc('A', 'A', { source: 'ActivityNet', humanJudgement: 0.5 }),
      mc('A', 'A', { source: '' }),
      mc('A', 'huh'),
      open(null, { source: 'YouCook2' }),
    ]);
    expect(Object.keys(s.bySource)).toEqual(['ActivityNet', 'YouCook2']);
    expect(s.bySource.ActivityNet).toEqual({ correct: 0.5, total: 2, accuracy: 0.25, unparseable: 0, humanJudged: 1 });
    // The failed open answer counts nowhere; the one correct answer is YouCook2's.
    expect(s.bySource.YouCook2).toEqual({ correct: 1, total: 1, accuracy: 1, unparseable: 0, humanJudged: 0 });
    expect(s.overall.total).toBe(5);
  });

  it('accuracy is correct / total and never exceeds 1 (property)', () => {
    const r = fc.record({
      answer: fc.constantFrom('A', 'B', 'C', 'D'),
      response: fc.option(fc.string(), { nil: null }),
      duration: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }), { nil: null }),
      dimension: fc.option(fc.constantFrom(1, 2, 3, 9), { nil: null }),
      vpType: fc.option(fc.constantFrom('point', 'arrow'), { nil: null }),
      source: fc.constantFrom('', 'ActivityNet', 'Ego4D'),
      humanJudgement: fc.option(fc.constantFrom(0, 0.5, 1), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(r), (rs) => {
        const s = score(rs.map((x) => ({ ...x, multipleChoice: true })));
        expect(s.overall.total).toBe(rs.length);
        expect(s.overall.accuracy).toBeLessThanOrEqual(1);
        const buckets = s.byDuration.short.total + s.byDuration.medium.total + s.byDuration.long.total;
        expect(buckets).toBe(rs.filter((x) => x.duration !== null).length);
        expect(Object.values(s.byVpType).reduce((n, t) => n + t.total, 0)).toBe(rs.length);
        expect(Object.values(s.bySource).reduce((n, t) => n + t.total, 0)).toBe(rs.filter((x) => x.source !== '').length);
        for (const [source, t] of Object.entries(s.bySource)) expect(t.correct).toBe(score(rs.filter((x) => x.source === source).map((x) => ({ ...x, multipleChoice: true }))).overall.correct);
        expect(s.overall.humanJudged).toBe(rs.filter((x) => x.humanJudgement !== null).length);
      }),
    );
  });
});

describe('scoredOf', () => {
  it('leaves results not answered yet out of scoring', () => {
    expect(scoredOf(item(), result({ status: 'pending', response: null }), null)).toBeNull();
    expect(scoredOf(item(), result({ status: 'running', response: null }), judged(1))).toBeNull();
  });

  it('takes the item’s fields, the response (none when failed) and the judgements', () => {
    expect(scoredOf(item(), result({ autoJudgement: 0.25 }), judged(0.5))).toEqual({
      dimension: 1,
      duration: 100,
      source: '',
      answer: 'B',
      vpType: 'rectangle',
      multipleChoice: true,
      response: '<answer>B</answer>',
      autoJudgement: 0.25,
      humanJudgement: 0.5,
    });
    expect(scoredOf(item(), result({ status: 'failed', response: 'partial', error: 'HTTP 500' }), undefined)).toMatchObject({ response: null, humanJudgement: null });
    expect(scoredOf(item({ options: [], answer: 'left' }), result(), { value: null, note: 'look again', at: 1 })).toMatchObject({ multipleChoice: false, humanJudgement: null });
  });
});

describe('scoring a results file', () => {
  it('scores the reference client’s lines and V2P-Bench’s published form (response[0])', () => {
    const text = [
      JSON.stringify({ video_id: 'v1', question: MC, answer: 'B', duration: 30, dimension: 3, response: '<think>x</think><answer>B</answer>', predict: 'B', correct: true }),
      JSON.stringify({ video_id: 'v2', question: MC, answer: 'A', duration: 30, dimension: 3, response: null, predict: null, error: 'HTTP 500' }),
      '{oops',
      JSON.stringify({ video_id: 'v3', question: MC, answer: 'C', duration: 2000, source: 'Ego4D', dimension: 0, response: ['C', 'A'], model: 'gpt-4o' }),
      JSON.stringify({ video_id: 'v3', question: MC, answer: 'D', duration: 2000, source: 'Ego4D', dimension: 0, response: ['Unsure'], model: 'gpt-4o' }),
      '',
      JSON.stringify({ video_id: 'v4', question: 'Where?', answer: 'left', duration: 10, dimension: 9, response: 'left' }),
      JSON.stringify({ video_id: 'v5', question: 'Where?', answer: 'left', duration: 10, dimension: 9, vp_type: 'arrow', response: '<answer>left</answer>', judge_score: 0.5, human_judgement: 1 }),
    ].join('\n');
    const { results, problems } = parseResultLines(text);
    expect(problems).toEqual([{ line: 3, message: 'not valid JSON' }]);
    const scored = results.map((l) => scoredOf(l.item, resultFromLine(l, null), l.judgement)!);
    const s = score(scored);
    expect(s.overall).toEqual({ correct: 3, total: 5, accuracy: 0.6, unparseable: 1, humanJudged: 1, failed: 1, unjudged: 1 });
    expect(s.byDimension['3']).toMatchObject({ correct: 1, total: 2 });
    expect(s.byDuration.long).toMatchObject({ correct: 1, total: 2, unparseable: 1 });
    expect(s.byVpType).toMatchObject({ arrow: { correct: 1, total: 1, humanJudged: 1 }, unknown: { correct: 2, total: 4 } });
    expect(s.bySource).toEqual({ Ego4D: { correct: 1, total: 2, accuracy: 0.5, unparseable: 1, humanJudged: 0 } });
  });
});
