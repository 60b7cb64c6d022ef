import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { querySettings } from '../agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../agent/settings';
import { sampleQuery } from '../../testing/sampleQuery';
import type { ReviewRun, RunResult } from './run';
import { parseJudgements, parseRuns, quickRunResult, runResultSchema } from './runSchema';

/** An imported result, as a V2P-Bench results file gives it. */
function importedResult(n: number): RunResult {
  return {
    key: `line-${n}`,
    itemId: n % 3 === 0 ? `item-${n}` : null,
    item: {
      videoId: `video_${n % 97}`,
      question: 'What is the target in the highlighted box holding?',
      options: ['A bag', 'A phone', 'A cup', 'Nothing'],
      answer: 'B',
      dimension: n % 12,
      category: 3,
      duration: 42.5,
      source: 'V2P-Bench',
      vpType: n % 2 === 0 ? 'rectangle' : null,
      videoPath: `video_${n % 97}.mp4`,
      framePath: n % 5 === 0 ? ['f/1.jpg', 'f/2.jpg'] : `f/${n}.jpg`,
    },
    status: 'done',
    response: '<think>The person holds a phone.</think><answer>B</answer>',
    rawOutput: '<answer>B</answer>',
    userText: null,
    toolCalls: [{ name: 'crop_video', arguments: { video_path: `video_${n % 97}.mp4`, start: 1.5, end: 3, nested: [1, null, true] } }],
    numRounds: 2,
    error: null,
    model: 'qwen2.5-vl-7b',
    autoJudgement: n % 7 === 0 ? 0.5 : null,
    query: null,
  };
}

function importedRun(id: string, size: number, createdAt = 1_700_000_000_000): ReviewRun {
  return {
    id,
    name: 'results.jsonl',
    kind: 'import',
    createdAt,
    model: 'qwen2.5-vl-7b',
    settings: null,
    fileName: 'results.jsonl',
    concurrency: 1,
    state: 'imported',
    activeMs: 0,
    resumedAt: null,
    results: Array.from({ length: size }, (_, i) => importedResult(i + 1)),
    report: 'Matched 10 of 12 lines.',
  };
}

function batchRun(id: string): ReviewRun {
  const first = importedResult(1);
  return {
    id,
    name: 'videoseeker-8b, 10:42',
    kind: 'batch',
    createdAt: 1_700_000_100_000,
    model: 'videoseeker-8b',
    settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
    fileName: null,
    concurrency: 4,
    state: 'paused',
    activeMs: 12_345.5,
    resumedAt: null,
    results: [
      { ...first, key: 'item-1', itemId: 'item-1', userText: 'You are...', model: null, query: sampleQuery('q-7') },
      { ...first, key: 'item-2', itemId: 'item-2', status: 'failed', response: null, rawOutput: null, error: 'timeout', numRounds: null, toolCalls: [], query: null },
      { ...first, key: 'item-3', itemId: 'item-3', status: 'pending', response: null, rawOutput: null, toolCalls: [], numRounds: null, query: null },
    ],
    report: null,
    // Its results file: two lines written, then the file could not be written any more.
    resultsFile: { name: 'videoseeker-8b.jsonl', written: ['item-2', 'item-1'], failed: ['item-2'], problem: 'The file was moved or deleted.' },
  };
}

const runs: readonly ReviewRun[] = [importedRun('imp-1', 6), batchRun('batch-1')];

function errorOf(value: unknown): string {
  const result = parseRuns(value);
  if (result.ok) throw new Error('expected the runs to be rejected');
  return result.error;
}

/** A JSON copy of `runs` with `change` applied. */
function edited(change: (json: ReviewRun[]) => void): unknown {
  const copy = JSON.parse(JSON.stringify(runs)) as ReviewRun[];
  change(copy);
  return copy;
}

type Writable = Record<string, unknown>;

describe('parseRuns', () => {
  it('round-trips imported and batch runs through JSON exactly', () => {
    expect(parseRuns(JSON.parse(JSON.stringify(runs)))).toEqual({ ok: true, runs });
    expect(parseRuns([])).toEqual({ ok: true, runs: [] });
  });

  it('drops fields it does not know', () => {
    const json = edited((r) => {
      (r[0] as unknown as Writable).extra = 1;
      (r[0]!.results[0] as unknown as Writable).extra = 2;
      (r[0]!.results[0]!.item as unknown as Writable).extra = 3;
    });
    expect(parseRuns(json)).toEqual({ ok: true, runs });
  });

  it('names the first bad field by its path', () => {
    expect(errorOf({})).toBe('runs: expected an array of runs');
    expect(errorOf(edited((r) => ((r[1]!.results[2] as unknown as Writable).status = 'stuck')))).toMatch(/^runs\[1\]\.results\[2\]\.status: /);
    expect(errorOf(edited((r) => ((r[0]!.results[5]!.item as unknown as Writable).vpType = 'circle')))).toMatch(/^runs\[0\]\.results\[5\]\.item\.vpType: /);
    expect(errorOf(edited((r) => ((r[1]!.results[0]!.query!.trajectory.rounds[1] as unknown as Writable).content = 42)))).toMatch(
      /^runs\[1\]\.results\[0\]\.query\.trajectory\.rounds\[1\]\.content: /,
    );
    expect(errorOf(edited((r) => ((r[1]!.settings as unknown as Writable).mode = 'chat')))).toMatch(/^runs\[1\]\.settings\.mode: /);
    expect(errorOf(edited((r) => Reflect.deleteProperty(r[0]!.results[3]!, 'autoJudgement')))).toMatch(/^runs\[0\]\.results\[3\]\.autoJudgement: /);
    expect(errorOf(edited((r) => ((r[0] as unknown as Writable).kind = 'manual')))).toMatch(/^runs\[0\]\.kind: /);
    expect(errorOf(edited((r) => ((r[0] as unknown as Writable).id = '')))).toMatch(/^runs\[0\]\.id: /);
    expect(errorOf(edited((r) => ((r[0]!.results[1] as unknown as Writable).numRounds = 1.5)))).toMatch(/^runs\[0\]\.results\[1\]\.numRounds: /);
    expect(errorOf(edited((r) => ((r[1]!.resultsFile as unknown as Writable).written = [3])))).toMatch(/^runs\[1\]\.resultsFile\.written\[0\]: /);
  });

  it('requires unique run ids and unique result keys within a run', () => {
    expect(errorOf(edited((r) => ((r[1] as unknown as Writable).id = 'imp-1')))).toBe('runs[1].id "imp-1" is used by an earlier run');
    expect(errorOf(edited((r) => ((r[0]!.results[4] as unknown as Writable).key = 'line-2')))).toBe('runs[0].results[4].key "line-2" is used by an earlier result of the run');
    // The same key in two runs is fine: a run's results are its own.
    expect(parseRuns([importedRun('a', 2), importedRun('b', 2)]).ok).toBe(true);
  });

  it('keeps tool call arguments as any JSON, and refuses what JSON cannot hold', () => {
    const withArgs = (args: unknown): unknown => [{ ...runs[0]!, results: [{ ...runs[0]!.results[0]!, toolCalls: [{ name: 'f', arguments: args }] }] }];
    for (const args of ['{"not": "parsed"}', 3, null, [1, 'a'], { a: { b: [] } }]) expect(parseRuns(withArgs(args)).ok).toBe(true);
    expect(errorOf(withArgs(undefined))).toMatch(/^runs\[0\]\.results\[0\]\.toolCalls\[0\]\.arguments: expected JSON data/);
    expect(errorOf(withArgs({ at: new Date(0) }))).toMatch(/arguments: expected JSON data/);
    expect(errorOf(withArgs([Number.NaN]))).toMatch(/arguments: expected JSON data/);
    const cycle: Writable = {};
    cycle.self = cycle;
    expect(errorOf(withArgs(cycle))).toMatch(/arguments: expected JSON data/);
  });

  it('takes checked runs as they are, still counting their ids', () => {
    const imported = importedRun('imp', 3);
    const odd = { ...imported, extra: 'kept: not checked again' } as ReviewRun;
    const result = parseRuns([odd, JSON.parse(JSON.stringify(runs[1]))], 'runs', { checked: new Set([odd]) });
    expect(result.ok && result.runs[0]).toBe(odd);
    expect(result.ok && result.runs[1]).toEqual(runs[1]);
    expect(parseRuns([odd, odd], 'runs', { checked: new Set([odd]) })).toEqual({ ok: false, error: 'runs[1].id "imp" is used by an earlier run' });
  });

  it('takes checked results of a changed run as they are, and checks the others', () => {
    const before = batchRun('b');
    const finished: RunResult = { ...before.results[2]!, status: 'done', response: 'A', extra: 'dropped' } as RunResult;
    const after: ReviewRun = { ...before, results: [before.results[0]!, before.results[1]!, finished] };
    const result = parseRuns([after], 'runs', { checked: new Set(before.results) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.runs[0]).not.toBe(after);
    expect(result.runs[0]!.results[0]).toBe(before.results[0]);
    expect(result.runs[0]!.results[2]).toEqual({ ...before.results[2]!, status: 'done', response: 'A' });
    const clash = { ...after, results: [...after.results, { ...finished, key: 'item-1' }] };
    expect(parseRuns([clash], 'runs', { checked: new Set(before.results) })).toEqual({ ok: false, error: 'runs[0].results[3].key "item-1" is used by an earlier result of the run' });
    expect(parseRuns([{ ...after, results: [{ ...finished, status: 'lost' }] }], 'runs', { checked: new Set(before.results) })).toMatchObject({ ok: false, error: expect.stringMatching(/^runs\[0\]\.results\[0\]\.status: /) });
    expect(parseRuns([{ ...after, results: undefined }])).toEqual({ ok: false, error: 'runs[0].results: expected an array of results' });
  });

  it('reads 10,000 imported results (their time is logged; speed is measured by benchmarks, not asserted)', () => {
    const cold = JSON.parse(JSON.stringify([importedRun('cold', 10_000)])) as unknown;
    const t = performance.now();
    expect(parseRuns(cold).ok).toBe(true);
    const first = performance.now() - t;

    const big = JSON.parse(JSON.stringify([importedRun('big', 10_000)])) as unknown;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const result = parseRuns(big);
      times.push(performance.now() - t0);
      expect(result.ok && result.runs[0]!.results).toHaveLength(10_000);
    }
    const best = Math.min(...times);
    console.info(`parseRuns, 10,000 results: first ${first.toFixed(1)} ms, then best ${best.toFixed(1)} ms of ${times.map((t) => t.toFixed(1)).join(', ')}`);
  });
});

describe('the fast path for results', () => {
  const samples: readonly RunResult[] = [importedResult(1), importedResult(10), ...batchRun('b').results];
  const tricky = fc.constantFrom<unknown>(undefined, null, '', 'x', 0, -0, 0.5, -1, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, [], [1], ['a'], {}, { a: 1 }, 'rectangle', 'done');

  /** Every path into a JSON value, the root included. */
  function paths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
    const out = [path];
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...path, i])));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...path, k]));
    return out;
  }

  it('accepts exactly what the schema accepts, and gives the same value', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.oneof(tricky, fc.anything()), fc.constantFrom('set', 'delete', 'hole', 'extra'), (pick, where, junk, how) => {
        const value = JSON.parse(JSON.stringify(samples[pick % samples.length])) as Record<string | number, unknown>;
        const all = paths(value);
        const path = all[where % all.length]!;
        if (path.length > 0) {
          let parent = value;
          for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
          const last = path[path.length - 1]!;
          if (how === 'delete') Reflect.deleteProperty(parent, last);
          else if (how === 'hole' && Array.isArray(parent)) parent.length += 1;
          else if (how === 'extra' && typeof parent[last] === 'object' && parent[last] !== null) (parent[last] as Record<string, unknown>).extra = junk;
          else parent[last] = junk;
        }
        const zod = runResultSchema.safeParse(value);
        const quick = quickRunResult(value);
        expect(quick !== null).toBe(zod.success);
        if (zod.success) expect(quick).toEqual(zod.data);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns a result with only known fields as it is, and copies one with more', () => {
    const plain = JSON.parse(JSON.stringify(importedResult(4))) as RunResult;
    expect(quickRunResult(plain)).toBe(plain);
    const extra = { ...plain, item: { ...plain.item, extra: 1 } };
    const copy = quickRunResult(extra);
    expect(copy).not.toBe(extra);
    expect(copy).toEqual(plain);
    expect(copy!.item).not.toHaveProperty('extra');
  });
});

describe('parseJudgements', () => {
  // Parsed from text: an object literal's "__proto__:" would set the prototype instead of a key.
  const json = JSON.parse(
    '{"imp-1":{"line-1":{"value":1,"note":"","at":5},"line-2":{"value":0.5,"note":"half right","at":6},"__proto__":{"value":null,"note":"odd key","at":7}},' +
      '"batch-1":{"item-2":{"value":0,"note":"","at":8}}}',
  ) as unknown;

  it('round-trips judgements of known runs, keeping any result key', () => {
    const result = parseJudgements(json, new Set(['imp-1', 'batch-1']));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.judgements['imp-1']!)).toEqual(['line-1', 'line-2', '__proto__']);
    expect(Object.getPrototypeOf(result.judgements['imp-1'])).toBe(Object.prototype);
    expect(result.judgements['batch-1']).toEqual({ 'item-2': { value: 0, note: '', at: 8 } });
    expect(parseJudgements({}, new Set())).toEqual({ ok: true, judgements: {} });
  });

  it('drops judgements of unknown runs', () => {
    expect(parseJudgements({ gone: { k: 'not even a judgement' }, 'batch-1': {} }, new Set(['batch-1']))).toEqual({ ok: true, judgements: { 'batch-1': {} } });
  });

  it('names the first bad judgement', () => {
    const ids = new Set(['imp-1', 'r']);
    expect(parseJudgements([], ids)).toEqual({ ok: false, error: 'judgements: expected an object of judgements by run id' });
    expect(parseJudgements({ r: 1 }, ids)).toEqual({ ok: false, error: 'judgements.r: expected an object of judgements by result key' });
    const bad = (j: unknown): string => {
      const result = parseJudgements({ 'imp-1': { 'line-3': j } }, ids);
      return result.ok ? 'accepted' : result.error;
    };
    expect(bad({ value: 0.7, note: '', at: 1 })).toMatch(/^judgements\["imp-1"\]\["line-3"\]\.value: /);
    expect(bad({ value: 1, at: 1 })).toMatch(/^judgements\["imp-1"\]\["line-3"\]\.note: /);
    expect(bad({ value: null, note: '', at: Number.POSITIVE_INFINITY })).toMatch(/\.at: /);
    expect(bad({ value: null, note: 'n', at: 1 })).toBe('accepted');
  });
});
