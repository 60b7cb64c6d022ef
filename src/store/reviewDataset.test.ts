/**
 * The review across a dataset through the real store: a result of another video's item opens
 * that video at the item's frame (and J follows on), results of V2P-Bench's published form find
 * the imported benchmark's items by video and question whatever their order, and each item is
 * filed with its own video's duration whichever video is open.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey } from '../core/annotation/model';
import type { VideoWork } from '../core/project/document';
import { fromV2pRecord, type V2pRecord } from '../core/qa/v2p';
import { parseResultLines } from '../core/review/resultLines';
import type { ReviewRun } from '../core/review/run';
import { datasetStore, VideoLibrary, videoId } from '../testing/datasetTestKit';
import { importedRun, runResult } from '../testing/reviewFixtures';
import { item, until } from '../testing/reviewTestKit';
import { streetObjectRle } from '../testing/streetVideo';
import type { AppStore } from './appStore';
import { selectProjectResultItems, selectReviewRows } from './reviewSelectors';

/** One object `id` with a mask on `frame`. */
const objectWork = (id: string, frame: number): VideoWork => ({
  instances: [{ id, name: id, color: '#f00', visible: true }],
  activeId: id,
  frames: { [annotationKey(id, frame)]: { prompts: [], mask: { rle: streetObjectRle(), score: 0.9 } } },
  queries: [],
  masklets: {},
});

/** Three videos, an item on each (a: frame 5, b: frame 7, c: frame 2); b was opened once before (7 s), c never. */
async function threeVideos() {
  const library = new VideoLibrary();
  library.frameCounts.set('b', 70);
  return datasetStore(
    [
      { tag: 'a', work: objectWork('man', 5) },
      { tag: 'b', work: objectWork('dog', 7), facts: { width: 64, height: 48, frameCount: 70, fps: 10, durationS: 7 } },
      { tag: 'c', work: objectWork('cat', 2) },
    ],
    {
      library,
      qaItems: [
        item(1, { projectVideoId: videoId('a'), videoId: 'a', source: 'Alpha' }),
        item(2, { projectVideoId: videoId('b'), videoId: 'b', instanceId: 'dog', frame: 7, source: 'Beta' }),
        item(3, { projectVideoId: videoId('c'), videoId: 'c', instanceId: 'cat', frame: 2, source: 'Beta' }),
      ],
    },
  );
}

/** A run with one answered result per item, reviewed. */
function reviewRun(store: AppStore, itemIds: readonly string[]): ReviewRun {
  const run = importedRun('r1', itemIds.map((id) => runResult(`line-${id}`, { itemId: id, response: '<answer>B</answer>' })));
  store.getState().addRun(run);
  return run;
}

const shown = (store: AppStore): { video: string | null; frame: number | null } => ({ video: store.getState().dataset.openVideoId, frame: store.getState().video.frame?.index ?? null });

describe('choosing a result', () => {
  it('of another video’s item opens that video at the item’s frame; J goes on to the next item’s video; one of the open video seeks', async () => {
    const { store } = await threeVideos();
    reviewRun(store, ['item-1', 'item-2', 'item-3']);
    expect(shown(store).video).toBe(videoId('a'));

    store.getState().selectResult('line-item-2');
    await until(store, (s) => s.dataset.openVideoId === videoId('b') && s.video.frame?.index === 7 && s.dataset.switching === null, 'b shows frame 7');
    // The object's mask is on that frame (the visual prompt the review draws).
    expect(store.getState().annotation.history.present.frames[annotationKey('dog', 7)]?.mask).toBeTruthy();

    store.getState().stepResult(1);
    await until(store, (s) => s.dataset.openVideoId === videoId('c') && s.video.frame?.index === 2 && s.dataset.switching === null, 'c shows frame 2');

    store.getState().selectResult('line-item-1');
    await until(store, (s) => s.dataset.openVideoId === videoId('a') && s.video.frame?.index === 5 && s.dataset.switching === null, 'a shows frame 5');
    // A result of the open video's item seeks without switching.
    store.getState().seek(40);
    await until(store, (s) => s.video.frame?.index === 40, 'a shows frame 40');
    store.getState().selectResult('line-item-1');
    await until(store, (s) => s.video.frame?.index === 5, 'back on frame 5');
    expect(shown(store)).toEqual({ video: videoId('a'), frame: 5 });
  });
});

describe('the items results are filed under', () => {
  it('take their own video’s duration, whichever video is open (10 s open, 7 s learnt before, unknown never opened)', async () => {
    const { store } = await threeVideos();
    const durations = (): (number | null)[] => ['item-1', 'item-2', 'item-3'].map((id) => selectProjectResultItems(store.getState()).get(id)!.duration);
    expect(durations()).toEqual([10, 7, null]);
    reviewRun(store, ['item-1', 'item-2', 'item-3']);
    const rowsBefore = selectReviewRows(store.getState());
    expect(await store.getState().switchVideo(videoId('b'))).toBe(true);
    expect(durations()).toEqual([10, 7, null]);
    // Rows are rebuilt on the switch (the open video's work changed) but file every item as before.
    expect(selectReviewRows(store.getState()).map((r) => r.item.duration)).toEqual(rowsBefore.map((r) => r.item.duration));
  });
});

describe('V2P-Bench’s published results', () => {
  const mc = (q: string): string => `${q}\nA: 12\nB: 30\nC: 40\nD: 50\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.`;
  const records: V2pRecord[] = [
    { video_id: 'beta_clip', video_path: 'Beta/clip.mp4', duration: 3, question: mc('What number is in the box?'), answer: 'B', source: 'Beta', frame_path: 'Beta/clip.jpg', dimension: 1, category: 1 },
    { video_id: 'alpha_clip', video_path: 'Alpha/clip.mp4', duration: 2, question: mc('What number is in the box?'), answer: 'C', source: 'Alpha', frame_path: 'Alpha/clip.jpg', dimension: 14, category: 2 },
    { video_id: 'beta_clip', video_path: 'Beta/clip.mp4', duration: 3, question: 'What number is written, and what one second later?', answer: '40, then 65', source: 'Beta', frame_path: 'Beta/clip_0040.jpg', dimension: 9, category: 3 },
    { video_id: 'beta_walk', video_path: 'Beta/walk.mp4', duration: 2.4, question: mc('How many frames apart?'), answer: 'A', source: 'Beta', frame_path: ['Beta/walk_0012.jpg', 'Beta/walk_0050.jpg'], dimension: 10, category: 4 },
  ];

  it('match the imported benchmark’s items by video_id and question, in any order (one question asked of two videos included)', async () => {
    const items = records.map((r, i) => ({ ...fromV2pRecord(r, i), projectVideoId: videoId(r.video_id.replace('_', '')) }));
    const { store } = await datasetStore([{ tag: 'betaclip' }, { tag: 'alphaclip' }, { tag: 'betawalk' }], {
      qaItems: items,
      datasetFiles: { readResults: async (file) => parseResultLines(await file.text()) },
    });
    // As V2P-Bench publishes them: the record, `response` as a list, the model; in another order than the dataset.
    const published = [3, 1, 0, 2].map((i) => ({ ...records[i]!, response: [i === 1 ? 'C' : 'A'], model: 'gpt-4o' }));
    const text = [...published, { ...records[0]!, video_id: 'not_in_dataset', response: ['B'], model: 'gpt-4o' }].map((l) => JSON.stringify(l)).join('\n');
    await store.getState().importResults(new Blob([text]), 'gpt-4o.jsonl');

    const run = store.getState().review.runs.at(-1)!;
    expect(run.report).toBe('5 results: 4 matched by video and question, 1 matched no item (line 5).');
    expect(run.results.map((r) => r.itemId)).toEqual(['v2p-3', 'v2p-1', 'v2p-0', 'v2p-2', null]);
    expect(run.model).toBe('gpt-4o');
    // Scored against the project's items: the Alpha item right (C), Beta/clip's multiple-choice one wrong (A, not B).
    const rows = selectReviewRows(store.getState());
    expect(rows.map((r) => r.outcome)).toEqual(['correct', 'correct', 'wrong', 'unjudged', 'correct']);
    expect(rows[1]!.item).toMatchObject({ videoId: 'alpha_clip', source: 'Alpha', videoPath: 'Alpha/clip.mp4', duration: 2 });
  });
});
