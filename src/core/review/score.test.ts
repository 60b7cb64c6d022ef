import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResultLines } from './resultLines';
import { creditOf, durationBucket, predictedLetter, score, type ScoredResult } from './score';

const MC = 'What is it?\nA: a\nB: b\nC: c\nD: d\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';
const mc = (answer: string, response: string | null, extra: Partial<ScoredResult> = {}): ScoredResult => ({ dimension: 1, duration: 100, answer, multipleChoice: true, response, ...extra });

describe('predictedLetter', () => {
  it('reads the <answer> letter, else the first character (V2P-Bench), else nothing', () => {
    expect(predictedLetter('<think>hm</think><answer> b</answer>')).toBe('B');
    expect(predictedLetter('<think>hm</think><answer>maybe</answer>')).toBe('');
    expect(predictedLetter('C. The dog')).toBe('C');
    expect(predictedLetter('  d')).toBe('D');
    expect(predictedLetter('The answer is C')).toBe('');
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
  it('counts tags, no tags, unparseable and failed answers, per dimension and duration', () => {
    const s = score([
      mc('A', '<answer>A</answer>'),
      mc('B', 'B'),
      mc('C', 'I think so', { dimension: 2, duration: 240 }),
      mc('D', null, { dimension: 2, duration: 5000 }),
    ]);
    expect(s.overall).toMatchObject({ correct: 2, total: 4, accuracy: 0.5, unparseable: 1, failed: 1 });
    expect(s.byDimension['1']).toEqual({ name: 'Object Attribute', correct: 2, total: 2, accuracy: 1 });
    expect(s.byDimension['2']).toEqual({ name: 'Human Attribute', correct: 0, total: 2, accuracy: 0 });
    expect(s.byDuration).toEqual({ short: { correct: 2, total: 2, accuracy: 1 }, medium: { correct: 0, total: 1, accuracy: 0 }, long: { correct: 0, total: 1, accuracy: 0 } });
  });

  it('a person’s judgement overrides the automatic one; open answers count only when judged', () => {
    expect(creditOf(mc('A', '<answer>B</answer>', { humanJudgement: 1 }))).toEqual({ kind: 'scored', credit: 1, unparseable: false, human: true });
    const open = (extra: Partial<ScoredResult>): ScoredResult => ({ dimension: 9, duration: 10, answer: 'left', multipleChoice: false, response: '<answer>to the left</answer>', ...extra });
    const s = score([open({}), open({ autoJudgement: 0.5 }), open({ autoJudgement: 0, humanJudgement: 1 })]);
    expect(s.overall).toMatchObject({ correct: 1.5, total: 2, unjudged: 1, humanJudged: 1 });
  });

  it('accuracy is correct / total and never exceeds 1 (property)', () => {
    const result = fc.record({ answer: fc.constantFrom('A', 'B', 'C', 'D'), response: fc.option(fc.string(), { nil: null }), duration: fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }), { nil: null }), dimension: fc.option(fc.constantFrom(1, 2, 3, 9), { nil: null }) });
    fc.assert(
      fc.property(fc.array(result), (rs) => {
        const s = score(rs.map((r) => ({ ...r, multipleChoice: true })));
        expect(s.overall.total).toBe(rs.length);
        expect(s.overall.accuracy).toBeLessThanOrEqual(1);
        const buckets = s.byDuration.short.total + s.byDuration.medium.total + s.byDuration.long.total;
        expect(buckets).toBe(rs.filter((r) => r.duration !== null).length);
      }),
    );
  });
});

describe('parseResultLines', () => {
  it('reads the reference client’s lines and V2P-Bench’s published form, and reports bad lines', () => {
    const text = [
      JSON.stringify({ video_id: 'v1', question: MC, answer: 'B', duration: 30, dimension: 3, response: '<think>x</think><answer>B</answer>', predict: 'B', correct: true }),
      JSON.stringify({ video_id: 'v2', question: MC, answer: 'A', duration: 30, dimension: 3, response: null, predict: null, error: 'HTTP 500' }),
      '{oops',
      JSON.stringify({ video_id: 'v3', question: MC, answer: 'C', duration: 2000, dimension: 0, response: ['C'], model: 'gpt-4o' }),
      '',
      JSON.stringify({ video_id: 'v4', question: 'Where?', answer: 'left', duration: 10, dimension: 9, response: 'left' }),
    ].join('\n');
    const { results, problems } = parseResultLines(text);
    expect(problems).toEqual([{ line: 3, message: 'not valid JSON' }]);
    expect(results.map((r) => [r.line, r.multipleChoice, r.response, r.dimension, r.model])).toEqual([
      [1, true, '<think>x</think><answer>B</answer>', 3, null],
      [2, true, null, 3, null],
      [4, true, 'C', null, 'gpt-4o'],
      [6, false, 'left', 9, null],
    ]);
    const s = score(results);
    expect(s.overall).toMatchObject({ correct: 2, total: 3, failed: 1, unjudged: 1 });
  });
});
