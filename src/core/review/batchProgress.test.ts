import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sampleQuery } from '../../testing/sampleQuery';
import { finishResult, markRunning, newBatchRun, resultFromQuery } from './batch';
import { activeTime, countResults, currentVideos, progressByVideo, runPace } from './batchProgress';
import type { ResultStatus, RunResult } from './run';
import { querySettings } from '../agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../agent/settings';

const T0 = 5_000_000;

/** A run of items over videos `videos[i]` (video of item i). */
function runOver(videos: readonly string[]) {
  const item = { question: 'q', options: [], answer: 'A', dimension: null, category: null, duration: null, source: 'S', vpType: null, videoPath: null, framePath: null };
  return newBatchRun({
    id: 'r',
    name: 'r',
    createdAt: T0,
    model: 'm',
    settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
    concurrency: 4,
    entries: videos.map((v, i) => ({ itemId: `i${i}`, item: { ...item, videoId: v } })),
  });
}

const withStatus = (r: RunResult, status: ResultStatus): RunResult => ({ ...r, status });

describe('progress across videos', () => {
  it('counts per video in the order their first item comes, and names the videos being asked now', () => {
    const run = runOver(['a', 'b', 'a', 'c', 'b', 'a']);
    const statuses: ResultStatus[] = ['done', 'running', 'failed', 'pending', 'pending', 'running'];
    const results = run.results.map((r, i) => withStatus(r, statuses[i]!));
    const byVideo = progressByVideo(results, (r) => r.item.videoId);
    expect(byVideo).toEqual([
      { videoId: 'a', total: 3, done: 1, failed: 1, left: 0, running: 1 },
      { videoId: 'b', total: 2, done: 0, failed: 0, left: 1, running: 1 },
      { videoId: 'c', total: 1, done: 0, failed: 0, left: 1, running: 0 },
    ]);
    expect(currentVideos(byVideo).map((v) => v.videoId)).toEqual(['a', 'b']);
  });

  it('items per minute and time left over the run’s active time', () => {
    let run = runOver(['a', 'a', 'b', 'b']);
    run = markRunning(run, 'i0');
    run = finishResult(run, 'i0', resultFromQuery(sampleQuery()), T0 + 30_000);
    const counts = countResults(run.results);
    // One item in 45 s: 1.33 a minute, three left: 135 s.
    const pace = runPace(counts, activeTime(run, T0 + 45_000));
    expect(pace.itemsPerMin).toBeCloseTo(60 / 45);
    expect(pace.etaMs).toBe(135_000);
    expect(runPace(countResults(runOver(['a']).results), 10_000)).toEqual({ itemsPerMin: null, etaMs: null });
  });

  it('(property) the per-video counts add up to the run’s, and each video’s to its items', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.constantFrom<ResultStatus>('pending', 'running', 'done', 'failed')), { maxLength: 60 }), (rows) => {
        const run = runOver(rows.map(([v]) => v));
        const results = run.results.map((r, i) => withStatus(r, rows[i]![1]));
        const byVideo = progressByVideo(results, (r) => r.item.videoId);
        const all = countResults(results);
        for (const k of ['total', 'done', 'failed', 'left', 'running'] as const) expect(byVideo.reduce((n, v) => n + v[k], 0)).toBe(all[k]);
        for (const v of byVideo) {
          expect(v.total).toBe(rows.filter(([x]) => x === v.videoId).length);
          expect(v.done + v.failed + v.left + v.running).toBe(v.total);
        }
        expect(new Set(byVideo.map((v) => v.videoId)).size).toBe(byVideo.length);
      }),
    );
  });

  it('(property) the pace times the active time gives back the items finished, and the time left is what is left at that pace', () => {
    fc.assert(
      fc.property(fc.nat(500), fc.nat(500), fc.nat(500), fc.integer({ min: 1, max: 10_000_000 }), (done, failed, left, ms) => {
        const counts = { total: done + failed + left, done, failed, left, running: 0 };
        const pace = runPace(counts, ms);
        if (done + failed === 0) {
          expect(pace).toEqual({ itemsPerMin: null, etaMs: null });
          return;
        }
        expect((pace.itemsPerMin! * ms) / 60_000).toBeCloseTo(done + failed, 6);
        if (left === 0) expect(pace.etaMs).toBeNull();
        else expect((pace.etaMs! * pace.itemsPerMin!) / 60_000).toBeCloseTo(left, 6);
      }),
    );
  });
});
