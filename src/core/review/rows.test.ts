import { describe, expect, it } from 'vitest';
import type { Judgement, Judgements, ResultItem, ReviewRun, RunResult } from './run';
import { activeFilterCount, buildRows, disagrees, filterRows, NO_FILTER, outcomeOf, reviewFacets, rowsScore, type ReviewFilter, type ReviewRow } from './rows';
import { runResult } from '../../testing/reviewFixtures';

const mcItem = (over: Partial<ResultItem> = {}): ResultItem => ({
  videoId: 'clip',
  question: 'What is the target holding?',
  options: ['A bag', 'A phone', 'A cup', 'Nothing'],
  answer: 'A',
  dimension: 1,
  category: null,
  duration: 100,
  source: 'Studio',
  vpType: 'rectangle',
  videoPath: null,
  framePath: null,
  ...over,
});

const openItem = (over: Partial<ResultItem> = {}): ResultItem => mcItem({ question: 'What colour is the target?', options: [], answer: 'red', ...over });

function result(key: string, over: Partial<RunResult> = {}): RunResult {
  return runResult(key, { itemId: key, item: mcItem(), response: '<think>hm</think><answer>A</answer>', ...over });
}

const failed = (key: string, over: Partial<RunResult> = {}): RunResult => result(key, { status: 'failed', response: null, error: 'timeout', ...over });

function run(id: string, results: readonly RunResult[], kind: 'batch' | 'import' = 'batch'): ReviewRun {
  return {
    id,
    name: id,
    kind,
    createdAt: 0,
    model: '',
    settings: null,
    fileName: null,
    concurrency: 1,
    state: kind === 'batch' ? 'done' : 'imported',
    activeMs: 0,
    resumedAt: null,
    results,
    report: null,
  };
}

const judged = (value: Judgement['value']): Judgement => ({ value, note: '', at: 1 });

const rowsOf = (results: readonly RunResult[], judgements: Judgements = {}, items = new Map<string, ResultItem>()): ReviewRow[] =>
  buildRows({ run: run('A', results), other: null, items, judgements });

describe('outcomes', () => {
  it('follows the credit: MC right, wrong, unparseable, failed; pending and running; a person overrides', () => {
    const rows = rowsOf(
      [
        result('right'),
        result('wrong', { response: '<answer>C</answer>' }),
        result('direct', { response: 'A. A bag' }),
        result('garbled', { response: 'I cannot tell' }),
        failed('failed'),
        result('pending', { status: 'pending', response: null }),
        result('running', { status: 'running', response: null }),
        result('overruled', { response: '<answer>C</answer>' }),
        failed('failed-judged'),
      ],
      { A: { overruled: judged(1), 'failed-judged': judged(0.5) } },
    );
    expect(rows.map((r) => [r.key, r.outcome, r.prediction])).toEqual([
      ['right', 'correct', 'A'],
      ['wrong', 'wrong', 'C'],
      ['direct', 'correct', 'A'],
      ['garbled', 'unparseable', ''],
      ['failed', 'failed', ''],
      ['pending', 'pending', ''],
      ['running', 'pending', ''],
      ['overruled', 'correct', 'C'],
      ['failed-judged', 'partial', ''],
    ]);
    expect(rows.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(rows[5]!.scored).toBeNull();
  });

  it('reads open answers from <answer> or the whole reply; unjudged until judged', () => {
    const rows = rowsOf(
      [
        result('tagged', { item: openItem(), response: '<think>x</think><answer> Red </answer>' }),
        result('plain', { item: openItem(), response: '  dark red \n' }),
        result('auto', { item: openItem(), autoJudgement: 0.5 }),
        result('person', { item: openItem(), autoJudgement: 1 }),
        failed('failed', { item: openItem() }),
        result('nil', { item: openItem() }),
      ],
      { A: { person: judged(0), nil: judged(null) } },
    );
    expect(rows.map((r) => [r.key, r.outcome, r.prediction])).toEqual([
      ['tagged', 'unjudged', 'Red'],
      ['plain', 'unjudged', 'dark red'],
      ['auto', 'partial', 'A'],
      ['person', 'wrong', 'A'],
      ['failed', 'failed', ''],
      ['nil', 'unjudged', 'A'],
    ]);
  });

  it("uses the project's current item when linked", () => {
    // The item's answer was corrected from A to C after the run: the row scores against C.
    const items = new Map([['q1', mcItem({ answer: 'C', dimension: 3 })]]);
    const rows = rowsOf([result('q1', { response: '<answer>C</answer>' }), result('loose', { itemId: null, response: '<answer>C</answer>' })], {}, items);
    expect(rows[0]).toMatchObject({ outcome: 'correct', item: { answer: 'C', dimension: 3 } });
    expect(rows[1]).toMatchObject({ outcome: 'wrong', item: { answer: 'A' } });
  });

  it('outcomeOf: partial for credits between 0 and 1', () => {
    expect(outcomeOf(null)).toBe('pending');
    expect(outcomeOf({ dimension: null, duration: null, answer: 'x', multipleChoice: false, response: 'y', autoJudgement: 0.7 })).toBe('partial');
    expect(outcomeOf({ dimension: null, duration: null, answer: 'A', multipleChoice: true, response: null })).toBe('failed');
  });
});

describe('pairing with run B', () => {
  it('pairs by project item when both are linked, else by video and folded question', () => {
    const a = run('A', [
      result('q1'),
      result('q2', { item: mcItem({ question: 'Where  is\nit?' }) }),
      result('line-9', { itemId: null, item: mcItem({ videoId: 'other', question: 'Who?' }) }),
      result('q4', { item: mcItem({ question: 'Unmatched' }) }),
    ]);
    const b = run(
      'B',
      [
        result('line-1', { itemId: null, item: mcItem({ question: 'Where is it?' }), response: 'B' }),
        result('line-2', { itemId: 'q1', response: '<answer>C</answer>' }),
        result('line-3', { itemId: 'q9', item: mcItem({ videoId: 'other', question: 'Who?' }), response: 'D' }),
      ],
      'import',
    );
    const rows = buildRows({ run: a, other: b, items: new Map(), judgements: { B: { 'line-2': judged(1) } } });
    expect(rows.map((r) => r.other?.key ?? null)).toEqual(['line-2', 'line-1', 'line-3', null]);
    expect(rows[0]).toMatchObject({ otherPrediction: 'C', otherOutcome: 'correct', otherJudgement: judged(1) });
    expect(rows[1]).toMatchObject({ otherPrediction: 'B', otherOutcome: 'wrong', otherJudgement: null });
    expect(rows[3]).toMatchObject({ other: null, otherOutcome: null, otherPrediction: null, otherJudgement: null });
  });

  it('never pairs by text two results linked to different items, and uses each B result once', () => {
    const a = run('A', [result('q1'), result('q2'), result('x1', { itemId: null }), result('x2', { itemId: null })]);
    // All share one question text; B's are linked to other items or unlinked.
    const b = run('B', [result('b1', { itemId: 'q7' }), result('b2', { itemId: null }), result('b3', { itemId: 'q8' })]);
    const rows = buildRows({ run: a, other: b, items: new Map(), judgements: {} });
    // q1 takes the only unlinked B result; q2 finds none; the unlinked A results take the linked ones in order.
    expect(rows.map((r) => r.other?.key ?? null)).toEqual(['b2', null, 'b1', 'b3']);
  });
});

describe('disagrees', () => {
  const pair = (mine: RunResult, theirs: RunResult): ReviewRow => buildRows({ run: run('A', [mine]), other: run('B', [theirs]), items: new Map(), judgements: {} })[0]!;

  it('multiple choice: different letters; unparseable and failed are answers of their own', () => {
    expect(disagrees(pair(result('q'), result('q', { response: 'A' })))).toBe(false);
    expect(disagrees(pair(result('q'), result('q', { response: '<answer>B</answer>' })))).toBe(true);
    expect(disagrees(pair(result('q', { response: 'hmm' }), result('q', { response: 'no idea' })))).toBe(false);
    expect(disagrees(pair(result('q', { response: 'hmm' }), failed('q')))).toBe(true);
    expect(disagrees(pair(failed('q'), failed('q')))).toBe(false);
    expect(disagrees(pair(failed('q'), result('q')))).toBe(true);
  });

  it('needs both runs to have answered', () => {
    expect(disagrees(pair(result('q'), result('q', { status: 'pending', response: null })))).toBe(false);
    expect(disagrees(pair(result('q', { status: 'running', response: null }), failed('q')))).toBe(false);
    expect(disagrees(rowsOf([result('q')])[0]!)).toBe(false);
  });

  it('open answers: the outcomes or the normalised texts differ', () => {
    const open = (key: string, response: string, over: Partial<RunResult> = {}): RunResult => result(key, { item: openItem(), response, ...over });
    expect(disagrees(pair(open('q', '<answer>Dark  red.</answer>'), open('q', 'dark red')))).toBe(false);
    expect(disagrees(pair(open('q', '<answer>red</answer>'), open('q', '<answer>blue</answer>')))).toBe(true);
    // Same text, but one was judged by a judge model.
    expect(disagrees(pair(open('q', 'red', { autoJudgement: 1 }), open('q', 'red')))).toBe(true);
    expect(disagrees(pair(open('q', 'red'), failed('q', { item: openItem() })))).toBe(true);
  });
});

describe('filterRows', () => {
  const a = run('A', [
    result('mc-right', { item: mcItem({ dimension: 1, duration: 100, vpType: 'rectangle' }) }),
    result('mc-wrong', { item: mcItem({ dimension: 2, duration: 600, vpType: null }), response: 'B' }),
    result('mc-bad', { item: mcItem({ dimension: 2, duration: 4000, vpType: 'arrow' }), response: '???' }),
    failed('failed', { item: mcItem({ duration: null }) }),
    result('open', { item: openItem({ dimension: 5 }), response: 'red' }),
    result('open-half', { item: openItem(), response: 'reddish' }),
    result('pending', { status: 'pending', response: null }),
  ]);
  const b = run('B', [result('mc-right', { response: 'B' }), result('mc-wrong', { response: 'B' })]);
  const rows = buildRows({ run: a, other: b, items: new Map(), judgements: { A: { 'open-half': judged(0.5), 'mc-right': judged(null) } } });
  const keys = (f: Partial<ReviewFilter>): string[] => filterRows(rows, { ...NO_FILTER, ...f }).map((r) => r.key);

  it('passes everything with no filter', () => {
    expect(keys({})).toHaveLength(7);
    expect(activeFilterCount(NO_FILTER)).toBe(0);
  });

  it('by dimension, duration bucket and visual prompt type', () => {
    expect(keys({ dimension: 2 })).toEqual(['mc-wrong', 'mc-bad']);
    expect(keys({ duration: 'medium' })).toEqual(['mc-wrong']);
    expect(keys({ duration: 'long' })).toEqual(['mc-bad']);
    expect(keys({ duration: 'short' })).not.toContain('failed');
    expect(keys({ vpType: 'unknown' })).toEqual(['mc-wrong']);
    expect(keys({ vpType: 'arrow' })).toEqual(['mc-bad']);
  });

  it('by outcome, unscored being unjudged or pending', () => {
    expect(keys({ outcome: 'correct' })).toEqual(['mc-right']);
    expect(keys({ outcome: 'wrong' })).toEqual(['mc-wrong']);
    expect(keys({ outcome: 'unparseable' })).toEqual(['mc-bad']);
    expect(keys({ outcome: 'failed' })).toEqual(['failed']);
    expect(keys({ outcome: 'partial' })).toEqual(['open-half']);
    expect(keys({ outcome: 'unscored' })).toEqual(['open', 'pending']);
  });

  it('by a person having judged (a note alone is not a verdict)', () => {
    expect(keys({ judged: 'judged' })).toEqual(['open-half']);
    expect(keys({ judged: 'unjudged' })).toHaveLength(6);
  });

  it('to the disagreements, and combined', () => {
    expect(keys({ disagree: true })).toEqual(['mc-right']);
    expect(keys({ disagree: true, dimension: 2 })).toEqual([]);
    expect(activeFilterCount({ ...NO_FILTER, disagree: true, dimension: 2, outcome: 'failed' })).toBe(3);
    expect(activeFilterCount({ video: 'v', source: 's', dimension: 1, duration: 'short', vpType: 'arrow', outcome: 'wrong', judged: 'judged', disagree: true })).toBe(8);
  });

  it('scores the rows shown, pending ones nowhere', () => {
    const s = rowsScore(rows);
    // MC: right 1, wrong 0, unparseable 0, failed 0; open: half 0.5; 'open' unjudged, 'pending' not counted.
    expect(s.overall).toMatchObject({ total: 5, correct: 1.5, unparseable: 1, failed: 1, unjudged: 1, humanJudged: 1 });
    expect(rowsScore(filterRows(rows, { ...NO_FILTER, dimension: 2 })).overall).toMatchObject({ total: 2, correct: 0 });
  });
});

describe('across a dataset: videos and sources', () => {
  // Three videos of two sources (V2P-Bench's video_id, video_path and source), one item without a source.
  const at = (videoId: string, source: string, over: Partial<ResultItem> = {}): ResultItem => mcItem({ videoId, source, videoPath: source === '' ? null : `${source}/${videoId}.mp4`, ...over });
  const items = new Map<string, ResultItem>([
    ['i1', at('cook_01', 'YouCook2')],
    ['i2', at('cook_01', 'YouCook2', { question: 'Which hand holds the knife?' })],
    ['i3', at('ego_07', 'Ego4D')],
    ['i4', at('anet_33', 'ActivityNet')],
    ['i5', at('made_here', '')],
  ]);
  const a = run('A', [
    result('i1', { item: items.get('i1')! }),
    result('i2', { item: items.get('i2')!, response: '<answer>C</answer>' }),
    result('i3', { item: items.get('i3')! }),
    result('i4', { item: items.get('i4')!, response: '<answer>B</answer>' }),
    result('i5', { item: items.get('i5')! }),
  ]);
  // Run B answered Ego4D's item wrong and YouCook2's second one right; it has no result for i5.
  const b = run('B', [
    result('i4', { item: items.get('i4')!, response: '<answer>B</answer>' }),
    result('i3', { item: items.get('i3')!, response: '<answer>D</answer>' }),
    result('i2', { item: items.get('i2')! }),
    result('i1', { item: items.get('i1')! }),
  ]);
  const rows = buildRows({ run: a, other: b, items, judgements: {} });
  const keys = (f: Partial<ReviewFilter>): string[] => filterRows(rows, { ...NO_FILTER, ...f }).map((r) => r.key);

  it('filters by video (video_id) and by source, alone and with other filters', () => {
    expect(keys({ video: 'cook_01' })).toEqual(['i1', 'i2']);
    expect(keys({ video: 'ego_07' })).toEqual(['i3']);
    expect(keys({ source: 'YouCook2' })).toEqual(['i1', 'i2']);
    expect(keys({ source: '' })).toEqual(['i5']);
    expect(keys({ source: 'YouCook2', outcome: 'wrong' })).toEqual(['i2']);
    expect(keys({ video: 'cook_01', source: 'Ego4D' })).toEqual([]);
    expect(activeFilterCount({ ...NO_FILTER, video: 'ego_07', source: 'Ego4D' })).toBe(2);
  });

  it('compares two runs over every video: each row meets the other run’s answer to the same item, wherever it sits in that run', () => {
    expect(rows.map((r) => [r.key, r.other?.key ?? null])).toEqual([
      ['i1', 'i1'],
      ['i2', 'i2'],
      ['i3', 'i3'],
      ['i4', 'i4'],
      ['i5', null],
    ]);
    expect(keys({ disagree: true })).toEqual(['i2', 'i3']);
    expect(keys({ disagree: true, source: 'Ego4D' })).toEqual(['i3']);
  });

  it('scores the filtered rows per source; the score table has a row per source', () => {
    const s = rowsScore(rows);
    expect(s.bySource).toEqual({
      ActivityNet: { correct: 0, total: 1, accuracy: 0, unparseable: 0, humanJudged: 0 },
      Ego4D: { correct: 1, total: 1, accuracy: 1, unparseable: 0, humanJudged: 0 },
      YouCook2: { correct: 1, total: 2, accuracy: 0.5, unparseable: 0, humanJudged: 0 },
    });
    expect(rowsScore(filterRows(rows, { ...NO_FILTER, video: 'cook_01' })).bySource).toEqual({ YouCook2: s.bySource.YouCook2 });
  });

  it('lists the videos (by path where known) and sources the filters can choose, with counts', () => {
    const f = reviewFacets(rows);
    expect(f.videos).toEqual([
      { value: 'anet_33', count: 1, path: 'ActivityNet/anet_33.mp4' },
      { value: 'ego_07', count: 1, path: 'Ego4D/ego_07.mp4' },
      { value: 'made_here', count: 1, path: null },
      { value: 'cook_01', count: 2, path: 'YouCook2/cook_01.mp4' },
    ]);
    expect(f.sources.map((x) => [x.value, x.count])).toEqual([
      ['ActivityNet', 1],
      ['Ego4D', 1],
      ['YouCook2', 2],
      ['', 1],
    ]);
  });
});
