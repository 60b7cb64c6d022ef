import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importedRun, runResult } from '../../testing/reviewFixtures';
import { qaItem } from '../../testing/qaTestKit';
import type { ProjectVideo } from './document';
import { videoRows, visibleVideoRows, DEFAULT_VIDEO_VIEW, type VideoRow } from './videoList';

const video = (id: string, path: string, durationS: number | null): ProjectVideo => ({
  id,
  path,
  byteLength: null,
  facts: durationS === null ? null : { width: 640, height: 360, frameCount: Math.round(durationS * 25), fps: 25, durationS },
  problem: null,
});

describe('videoRows', () => {
  it('counts each video’s objects, items and results, and carries its availability', () => {
    const videos = [video('a', 'Alpha/clip.mp4', 2), video('b', 'Beta/clip.mp4', 3), video('c', 'Beta/walk.mp4', null)];
    const items = [qaItem({ id: 'i1', projectVideoId: 'b' }), qaItem({ id: 'i2', projectVideoId: 'a' }), qaItem({ id: 'i3', projectVideoId: 'b' }), qaItem({ id: 'i4', projectVideoId: null })];
    const work = { b: { instances: [{ id: 'x', name: 'dog', color: '#f00', visible: true }], activeId: null, frames: {}, queries: [], masklets: {} } };
    const runs = [importedRun('r1', [{ ...runResult('k1'), itemId: 'i1' }, { ...runResult('k2'), itemId: 'i3' }, { ...runResult('k3'), itemId: 'i2' }, { ...runResult('k4'), itemId: null }])];
    const rows = videoRows(videos, work, items, runs, { a: { state: 'available', keeping: 'copy' }, c: { state: 'missing', reason: 'gone' } });
    expect(rows.map((r) => [r.path, r.objects, r.items, r.results, r.availability?.state ?? null, r.durationS])).toEqual([
      ['Alpha/clip.mp4', 0, 1, 1, 'available', 2],
      ['Beta/clip.mp4', 1, 2, 2, null, 3],
      ['Beta/walk.mp4', 0, 0, 0, 'missing', null],
    ]);
  });
});

const rowArb: fc.Arbitrary<VideoRow[]> = fc
  .array(fc.record({ path: fc.stringMatching(/^[A-Za-z]{1,6}\/[a-z0-9_]{1,8}\.mp4$/), durationS: fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: null }), items: fc.nat(20) }), { maxLength: 30 })
  .map((rs) => rs.map((r, i) => ({ id: `v${i}`, path: r.path, position: i + 1, durationS: r.durationS, width: null, height: null, objects: 0, items: r.items, results: 0, availability: null, problem: null })));

describe('visibleVideoRows', () => {
  it('finds videos by every word of the search, in any case', () => {
    const rows = videoRows([video('a', 'Alpha/clip.mp4', 2), video('b', 'Beta/clip.mp4', 3), video('c', 'Beta/walk.mp4', 1)], {}, [], [], {});
    expect(visibleVideoRows(rows, { ...DEFAULT_VIDEO_VIEW, search: 'beta CLIP' }).map((r) => r.id)).toEqual(['b']);
    expect(visibleVideoRows(rows, { ...DEFAULT_VIDEO_VIEW, search: 'clip' }).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('sorts by a column either way, unknown durations last, ties in project order; filtering never invents or loses rows', () => {
    fc.assert(
      fc.property(rowArb, fc.boolean(), fc.constantFrom('duration' as const, 'items' as const, 'path' as const), (rows, descending, sort) => {
        const shown = visibleVideoRows(rows, { search: '', sort, descending });
        expect(shown.map((r) => r.id).sort()).toEqual(rows.map((r) => r.id).sort());
        for (let i = 1; i < shown.length; i++) {
          const a = shown[i - 1]!;
          const b = shown[i]!;
          if (sort === 'duration') {
            const ka = a.durationS ?? Infinity;
            const kb = b.durationS ?? Infinity;
            expect(descending ? ka >= kb : ka <= kb).toBe(true);
            if (ka === kb) expect(a.position).toBeLessThan(b.position);
          } else if (sort === 'items') {
            expect(descending ? a.items >= b.items : a.items <= b.items).toBe(true);
            if (a.items === b.items) expect(a.position).toBeLessThan(b.position);
          }
        }
      }),
    );
  });
});
