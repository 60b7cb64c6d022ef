import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { querySettings, type SavedQuery } from '../agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../agent/settings';
import type { Trajectory } from '../agent/trajectory';
import { sampleQuery } from '../../testing/sampleQuery';
import { finishResult, markRunning, newBatchRun, nextPending, requeue, requeueFailed, resultFromQuery, resumeRun, runProgress, settleRun, stopRun, type QueryOutcome } from './batch';
import type { ResultItem, ReviewRun } from './run';

const item = (videoId: string): ResultItem => ({
  videoId,
  question: 'What is the target holding?',
  options: ['A bag', 'A phone'],
  answer: 'A',
  dimension: 1,
  category: null,
  duration: 30,
  source: 'Studio',
  vpType: 'rectangle',
  videoPath: null,
  framePath: null,
});

const T0 = 1_000_000;

function run(n: number): ReviewRun {
  return newBatchRun({
    id: 'r1',
    name: 'videoseeker-8b',
    createdAt: T0,
    model: 'videoseeker-8b',
    settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
    concurrency: 2,
    entries: Array.from({ length: n }, (_, i) => ({ itemId: `item-${i}`, item: item(`v${i}`) })),
  });
}

function withTrajectory(change: Partial<Trajectory>): SavedQuery {
  const q = sampleQuery();
  return { ...q, trajectory: { ...q.trajectory, ...change } };
}

const DONE: QueryOutcome = resultFromQuery(sampleQuery());
const FAILED: QueryOutcome = resultFromQuery(withTrajectory({ status: 'failed', problems: [{ kind: 'endpoint', message: 'server: HTTP 500' }] }));

describe('newBatchRun', () => {
  it('starts running with every item pending, keyed by item id', () => {
    const r = run(3);
    expect(r).toMatchObject({ kind: 'batch', state: 'running', activeMs: 0, resumedAt: T0, report: null, fileName: null, concurrency: 2 });
    expect(r.results.map((x) => [x.key, x.itemId, x.status, x.query])).toEqual([
      ['item-0', 'item-0', 'pending', null],
      ['item-1', 'item-1', 'pending', null],
      ['item-2', 'item-2', 'pending', null],
    ]);
    expect(r.results[1]!.item.videoId).toBe('v1');
  });

  it('is done at once with nothing to ask', () => {
    expect(run(0)).toMatchObject({ state: 'done', resumedAt: null });
  });
});

describe('nextPending and markRunning', () => {
  it('hands out items in order, each once', () => {
    let r = run(3);
    expect(nextPending(r)?.key).toBe('item-0');
    r = markRunning(r, 'item-0');
    expect(nextPending(r)?.key).toBe('item-1');
    r = markRunning(r, 'item-1');
    r = markRunning(r, 'item-2');
    expect(nextPending(r)).toBeNull();
    expect(r.results.map((x) => x.status)).toEqual(['running', 'running', 'running']);
  });

  it('leaves a result that is not pending, and unknown keys, alone', () => {
    const r = markRunning(run(2), 'item-0');
    expect(markRunning(r, 'item-0')).toBe(r);
    expect(markRunning(r, 'nope')).toBe(r);
  });
});

describe('resultFromQuery', () => {
  it('takes the response, the last round, the calls (arguments parsed) and the rounds of a done query', () => {
    const q = sampleQuery();
    expect(resultFromQuery(q)).toEqual({
      status: 'done',
      response: q.trajectory.response,
      rawOutput: '<think>A bag.</think><answer>A</answer>',
      userText: 'You are a helpful assistant...',
      toolCalls: [{ name: 'view_visual_prompt', arguments: { frame_path: 'v/frame_000000.jpg' } }],
      numRounds: 2,
      error: null,
      query: q,
    });
  });

  it('keeps arguments that are not JSON as written', () => {
    const q = sampleQuery();
    const round = q.trajectory.rounds[0]!;
    const bad = withTrajectory({ rounds: [{ ...round, toolCalls: [{ ...round.toolCalls[0]!, arguments: '{"frame_path": ' }] }, q.trajectory.rounds[1]!] });
    expect(resultFromQuery(bad).toolCalls).toEqual([{ name: 'view_visual_prompt', arguments: '{"frame_path": ' }]);
  });

  it("gives a failed query's problems as the error, and no response", () => {
    const q = withTrajectory({
      status: 'failed',
      problems: [
        { kind: 'environment', message: 'The video could not be read' },
        { kind: 'endpoint', message: 'timeout' },
      ],
    });
    expect(resultFromQuery(q)).toMatchObject({ status: 'failed', response: null, rawOutput: null, error: 'The video could not be read; timeout', numRounds: 2, query: q });
  });

  it("falls back on the failing round's detail when there is no problem", () => {
    const q = sampleQuery();
    const failing = { ...q.trajectory.rounds[1]!, content: '', failure: { kind: 'server' as const, status: 502, detail: 'Bad gateway', retryAfterS: null } };
    const r = resultFromQuery(withTrajectory({ status: 'failed', problems: [], rounds: [q.trajectory.rounds[0]!, failing] }));
    expect(r.error).toBe('Bad gateway');
    const silent = { ...failing, failure: { ...failing.failure, detail: '' } };
    expect(resultFromQuery(withTrajectory({ status: 'failed', problems: [], rounds: [silent] })).error).toBe('server');
  });
});

describe('finishResult', () => {
  it('banks the active time at every finish and ends the run with the last item', () => {
    let r = markRunning(markRunning(run(2), 'item-0'), 'item-1');
    r = finishResult(r, 'item-0', DONE, T0 + 1000);
    expect(r).toMatchObject({ state: 'running', activeMs: 1000, resumedAt: T0 + 1000 });
    expect(r.results[0]).toMatchObject({ status: 'done', response: DONE.response, numRounds: 2 });
    r = finishResult(r, 'item-1', FAILED, T0 + 2500);
    expect(r).toMatchObject({ state: 'done', activeMs: 2500, resumedAt: null });
    expect(r.results[1]).toMatchObject({ status: 'failed', response: null, error: 'server: HTTP 500' });
  });

  it('keeps a late answer after a pause, without counting paused time', () => {
    let r = markRunning(run(1), 'item-0');
    r = stopRun(r, T0 + 1000, 'paused');
    r = finishResult(r, 'item-0', DONE, T0 + 5000);
    expect(r).toMatchObject({ state: 'paused', activeMs: 1000, resumedAt: null });
    expect(resumeRun(r, T0 + 9000)).toMatchObject({ state: 'done', resumedAt: null, activeMs: 1000 });
  });

  it('ignores an unknown key', () => {
    const r = run(1);
    expect(finishResult(r, 'nope', DONE, T0 + 1)).toBe(r);
  });
});

describe('requeue', () => {
  it('puts a running (cancelled) item back in the queue without its query', () => {
    let r = markRunning(run(2), 'item-0');
    r = requeue(r, 'item-0');
    expect(r.results[0]).toMatchObject({ status: 'pending', query: null });
    expect(nextPending(r)?.key).toBe('item-0');
    expect(requeue(r, 'item-0')).toBe(r);
  });
});

describe('requeueFailed', () => {
  it('puts the failed items back in the queue, keeps the answered ones, and makes a finished run resumable', () => {
    let r = run(3);
    for (const [key, outcome] of [['item-0', DONE], ['item-1', FAILED], ['item-2', FAILED]] as const) r = finishResult(markRunning(r, key), key, outcome, T0 + 10);
    expect(r.state).toBe('done');
    const again = requeueFailed(r);
    expect(again.state).toBe('paused');
    expect(again.results.map((x) => [x.status, x.error, x.query])).toEqual([
      ['done', null, r.results[0]!.query],
      ['pending', null, null],
      ['pending', null, null],
    ]);
    expect(resumeRun(again, T0 + 20).state).toBe('running');
  });

  it('leaves a run without failures as it is', () => {
    const r = run(2);
    expect(requeueFailed(r)).toBe(r);
  });
});

describe('stopRun, resumeRun', () => {
  it('pauses (banking time, requeueing what ran) and resumes', () => {
    let r = markRunning(run(2), 'item-0');
    r = stopRun(r, T0 + 700, 'paused');
    expect(r).toMatchObject({ state: 'paused', activeMs: 700, resumedAt: null });
    expect(r.results.map((x) => x.status)).toEqual(['pending', 'pending']);
    r = resumeRun(r, T0 + 10_000);
    expect(r).toMatchObject({ state: 'running', activeMs: 700, resumedAt: T0 + 10_000 });
    r = stopRun(r, T0 + 10_300, 'cancelled');
    expect(r).toMatchObject({ state: 'cancelled', activeMs: 1000, resumedAt: null });
  });

  it('does not resume a cancelled or finished run, nor stop a finished one', () => {
    const cancelled = stopRun(run(1), T0 + 1, 'cancelled');
    expect(resumeRun(cancelled, T0 + 2)).toBe(cancelled);
    expect(stopRun(cancelled, T0 + 2, 'paused')).toBe(cancelled);
    const done = finishResult(markRunning(run(1), 'item-0'), 'item-0', DONE, T0 + 5);
    expect(resumeRun(done, T0 + 6)).toBe(done);
    expect(stopRun(done, T0 + 6, 'cancelled')).toBe(done);
  });
});

describe('settleRun', () => {
  it('turns a running run read back into an interrupted one, its running items pending again', () => {
    let r = markRunning(run(2), 'item-0');
    r = finishResult(markRunning(r, 'item-1'), 'item-1', DONE, T0 + 400);
    const settled = settleRun(r);
    expect(settled).toMatchObject({ state: 'interrupted', resumedAt: null, activeMs: 400 });
    expect(settled.results.map((x) => x.status)).toEqual(['pending', 'done']);
    expect(resumeRun(settled, T0 + 9000)).toMatchObject({ state: 'running', resumedAt: T0 + 9000 });
  });

  it('returns other runs as they are', () => {
    const paused = stopRun(run(2), T0 + 1, 'paused');
    expect(settleRun(paused)).toBe(paused);
    const done = finishResult(markRunning(run(1), 'item-0'), 'item-0', DONE, T0 + 5);
    expect(settleRun(done)).toBe(done);
  });
});

describe('runProgress', () => {
  it('counts and estimates the time left at the pace so far', () => {
    let r = run(4);
    expect(runProgress(r, T0 + 100)).toEqual({ total: 4, done: 0, failed: 0, left: 4, running: 0, itemsPerMin: null, etaMs: null });
    r = markRunning(markRunning(r, 'item-0'), 'item-1');
    r = finishResult(r, 'item-0', DONE, T0 + 1000);
    // 1000 ms banked + 1000 ms since, over one finished item (30 a minute); three to go.
    expect(runProgress(r, T0 + 2000)).toEqual({ total: 4, done: 1, failed: 0, left: 2, running: 1, itemsPerMin: 30, etaMs: 6000 });
    r = stopRun(r, T0 + 2000, 'paused');
    // Paused: the clock stands still.
    expect(runProgress(r, T0 + 99_000).etaMs).toBe(6000);
  });

  it('has no estimate when nothing is left', () => {
    const r = finishResult(markRunning(run(1), 'item-0'), 'item-0', FAILED, T0 + 10);
    expect(runProgress(r, T0 + 20)).toEqual({ total: 1, done: 0, failed: 1, left: 0, running: 0, itemsPerMin: 6000, etaMs: null });
  });
});

type Op =
  | { readonly op: 'mark'; readonly i: number }
  | { readonly op: 'finish'; readonly i: number; readonly ok: boolean }
  | { readonly op: 'requeue'; readonly i: number }
  | { readonly op: 'stop'; readonly state: 'paused' | 'cancelled' }
  | { readonly op: 'resume' }
  | { readonly op: 'settle' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('mark' as const), i: fc.nat(5) }),
  fc.record({ op: fc.constant('finish' as const), i: fc.nat(5), ok: fc.boolean() }),
  fc.record({ op: fc.constant('requeue' as const), i: fc.nat(5) }),
  fc.record({ op: fc.constant('stop' as const), state: fc.constantFrom('paused' as const, 'cancelled' as const) }),
  fc.record({ op: fc.constant('resume' as const) }),
  fc.record({ op: fc.constant('settle' as const) }),
);

describe('batch bookkeeping (property)', () => {
  it('keeps the counts whole, the active time growing, and is done exactly when everything finished', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(opArb, fc.nat(10_000)), { maxLength: 40 }), (n, ops) => {
        let r = run(n);
        let now = T0;
        for (const [op, dt] of ops) {
          now += dt;
          const before = r;
          const key = `item-${('i' in op ? op.i : 0) % n}`;
          if (op.op === 'mark') r = markRunning(r, key);
          else if (op.op === 'finish') {
            // The store only finishes items it is running.
            if (r.results.find((x) => x.key === key)?.status === 'running') r = finishResult(r, key, op.ok ? DONE : FAILED, now);
          } else if (op.op === 'requeue') r = requeue(r, key);
          else if (op.op === 'stop') r = stopRun(r, now, op.state);
          else if (op.op === 'resume') r = resumeRun(r, now);
          else r = settleRun(r);

          const p = runProgress(r, now);
          expect(p.total).toBe(n);
          expect(p.done + p.failed + p.left + p.running).toBe(p.total);
          expect(r.activeMs).toBeGreaterThanOrEqual(before.activeMs);
          const allFinished = p.left === 0 && p.running === 0;
          if (r.state === 'done') expect(allFinished).toBe(true);
          if (r.state === 'running') expect(allFinished).toBe(false);
          if (before.state === 'running' && allFinished && r.state !== 'cancelled' && r.state !== 'paused' && r.state !== 'interrupted') expect(r.state).toBe('done');
          expect(r.resumedAt === null).toBe(r.state !== 'running');
          if (r.state !== 'running') expect(p.running).toBe(0);
        }
      }),
    );
  });
});
