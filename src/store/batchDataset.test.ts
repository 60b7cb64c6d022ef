/**
 * Batch runs across the videos of a dataset through the real store: the decoder pool (its size,
 * LRU, never two decoders of one video, the open video's own used), frames prepared ahead within
 * a window while requests wait, crop_video on a video whose decoder was closed meanwhile, pause,
 * a reload and resume asking only what is left, a video that goes away mid-run, the endpoint going
 * down under concurrency, and progress per video.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey } from '../core/annotation/model';
import type { VideoWork } from '../core/project/document';
import type { QaItem } from '../core/qa/model';
import type { ResultStatus, ReviewRun } from '../core/review/run';
import { failure, reply } from '../testing/agentFakes';
import type { VideoLibrary} from '../testing/datasetTestKit';
import { datasetStore, framesIn, videoId, type DatasetSetUp, type TestVideo } from '../testing/datasetTestKit';
import { answerB, crashable, item, settleABit, until, type Responder } from '../testing/reviewTestKit';
import { streetObjectRle } from '../testing/streetVideo';
import type { AppStore } from './appStore';
import { batchProgressOf, selectItemsTableShows } from './batchSelectors';

/** One object `id` masked on frame 5 of its video. */
const objectWork = (id: string): VideoWork => ({
  instances: [{ id, name: id, color: '#f00', visible: true }],
  activeId: id,
  frames: { [annotationKey(id, 5)]: { prompts: [{ kind: 'box', x0: 20, y0: 10, x1: 30, y1: 22 }], mask: { rle: streetObjectRle(), score: 0.9 } } },
  queries: [],
  masklets: {},
});

/** Videos `tags`, each with its object (named after it), the first open. */
const videosOf = (tags: readonly string[]): TestVideo[] => tags.map((tag) => ({ tag, work: objectWork(`obj-${tag}`) }));

/** QA items 1..n, item k about video `tags[(k-1) % tags.length]` (so the videos interleave in the run's order). */
function itemsOver(tags: readonly string[], n: number): QaItem[] {
  return Array.from({ length: n }, (_, i) => {
    const tag = tags[i % tags.length]!;
    return item(i + 1, { projectVideoId: videoId(tag), videoId: tag, instanceId: `obj-${tag}`, frame: 5 });
  });
}

const videoOfItem = (items: readonly QaItem[]): Map<string, string> => new Map(items.map((i) => [i.id, i.videoId]));

const runOf = (store: AppStore, id: string): ReviewRun => store.getState().review.runs.find((r) => r.id === id)!;
const count = (run: ReviewRun, status: ResultStatus): number => run.results.filter((r) => r.status === status).length;

async function start(store: AppStore, items: readonly QaItem[]): Promise<string> {
  const id = await store.getState().startBatch(items.map((i) => i.id));
  if (id === null) throw new Error(`the run did not start: ${store.getState().review.error ?? ''}`);
  return id;
}

/** Releases held requests as they come until the run is no longer driven. */
async function drain({ store, client }: DatasetSetUp, runId: string): Promise<void> {
  const end = Date.now() + 3000;
  while (store.getState().batch.driving.includes(runId)) {
    if (Date.now() > end) throw new Error('the run did not finish');
    client.release(client.held);
    await new Promise((r) => setTimeout(r, 1));
  }
  await store.getState().saveNow();
}

/** Every request carries frames of its own item's video only (and some). */
function expectOwnFrames(setup: DatasetSetUp, items: readonly QaItem[]): void {
  const own = videoOfItem(items);
  for (const asked of setup.client.requests) {
    const frames = framesIn(JSON.stringify(asked.request));
    expect([...frames.keys()], `${asked.itemId} round ${asked.round}`).toEqual([own.get(asked.itemId!)]);
  }
}

/** Encodes of a video's question frames (more than one frame at once), and of single frames (visual prompts). */
const questionEncodes = (library: VideoLibrary, tag: string): number => library.encodes.filter((e) => e.tag === tag && e.indices.length > 1).length;
/** Single-frame encodes of the batch's videos (the open video `o` has no items: its encodes are the Ask preview's, drawn when it settles). */
const singleEncodes = (library: VideoLibrary): number => library.encodes.filter((e) => e.indices.length === 1 && e.tag !== 'o').length;

describe('a batch over the videos of a dataset', () => {
  it('at concurrency 4 with a pool of 2: items prepared ahead within the window, each video’s question frames encoded once, never two decoders of a video, only the open video’s left at the end', async () => {
    const tags = ['a', 'b', 'c', 'd'];
    const items = itemsOver(tags, 12);
    // The open video (o) has no items: every encode counted below is the batch's (the Ask preview draws on o).
    const setup = await datasetStore(videosOf(['o', ...tags]), { qaItems: items });
    const { store, client, library } = setup;
    store.getState().setVideoPoolSize(2);
    store.getState().setBatchConcurrency(4);
    client.hold = true;
    const runId = await start(store, items);

    await until(store, () => client.held === 4, 'four requests wait');
    await settleABit(30);
    // Four items wait for the model and two more are prepared (the window: 4 + the pool's 2), not more.
    expect(singleEncodes(library)).toBe(6);
    expect(count(runOf(store, runId), 'running')).toBe(4);
    expect(client.maxInFlight).toBe(4);

    await drain(setup, runId);
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(count(run, 'done')).toBe(12);
    expect(client.maxInFlight).toBe(4);
    expectOwnFrames(setup, items);
    // Each video's frames were decoded once for its three items; each item's visual prompt once.
    expect(tags.map((t) => questionEncodes(library, t))).toEqual([1, 1, 1, 1]);
    expect(singleEncodes(library)).toBe(12);
    expect(library.maxLiveOfOne).toBe(1);
    expect(library.maxLive).toBe(3);
    expect(library.liveTotal).toBe(1);
    expect(library.liveOf('o')).toBe(1);
    expect(library.doubleCloses).toBe(0);
  });

  it('a pool of 1 over four videos: one decoder besides the open one at any time, each video opened once, the open video’s own decoder used for its items', async () => {
    const tags = ['a', 'b', 'c', 'd'];
    const items = itemsOver(tags, 8);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store, library } = setup;
    store.getState().setVideoPoolSize(1);
    store.getState().setBatchConcurrency(3);
    const runId = await start(store, items);
    await drain(setup, runId);
    expect(count(runOf(store, runId), 'done')).toBe(8);
    expect(library.maxLive).toBe(2);
    expect(library.maxLiveOfOne).toBe(1);
    // Video by video: b, c and d each opened once for both of their items.
    expect(library.opened).toEqual(['a', 'b', 'c', 'd']);
    expectOwnFrames(setup, items);
    expect(library.liveTotal).toBe(1);
  });

  it('crop_video of an item whose video was closed for others meanwhile opens it again and sends that video’s frames', async () => {
    const tags = ['a', 'b', 'c', 'd'];
    // b's item crops its video once it has been asked; c and d take the pool's one decoder meanwhile.
    const items = [item(1, { projectVideoId: videoId('b'), videoId: 'b', instanceId: 'obj-b', frame: 5 }), ...[2, 3].map((n) => item(n, { projectVideoId: videoId(tags[n]!), videoId: tags[n]!, instanceId: `obj-${tags[n]!}`, frame: 5 }))];
    const crop: Responder = (asked) => {
      if (asked.itemId !== 'item-1' || asked.round > 0) return answerB(asked);
      const path = /The Video path for this video is: (\S+?), The visual/.exec(JSON.stringify(asked.request))![1]!;
      return reply('<think>Look closer.</think>', [{ name: 'crop_video', arguments: JSON.stringify({ video_path: path, start_time: 2, end_time: 5 }) }]);
    };
    const setup = await datasetStore(videosOf(tags), { qaItems: items, respond: crop });
    const { store, client, library } = setup;
    store.getState().setVideoPoolSize(1);
    store.getState().setBatchConcurrency(3);
    client.hold = true;
    const runId = await start(store, items);
    await until(store, () => client.held === 3, 'three requests wait');
    await settleABit(20);
    // b was closed for c, c for d.
    expect(library.opened).toEqual(['a', 'b', 'c', 'd']);
    expect(library.liveOf('b')).toBe(0);
    client.releaseWhere((a) => a.itemId === 'item-1');
    await until(store, () => client.requests.some((r) => r.itemId === 'item-1' && r.round === 1), 'item 1 is asked again with the crop');
    const second = client.requests.find((r) => r.itemId === 'item-1' && r.round === 1)!;
    const frames = framesIn(JSON.stringify(second.request));
    expect([...frames.keys()]).toEqual(['b']);
    // The crop (2 s to 5 s at 1 fps) came from b's decoder, opened again.
    expect(library.opened).toEqual(['a', 'b', 'c', 'd', 'b']);
    expect(library.encodes.filter((e) => e.tag === 'b').at(-1)!.indices).toEqual([20, 30, 40, 50]);
    await drain(setup, runId);
    expect(count(runOf(store, runId), 'done')).toBe(3);
    expect(library.maxLiveOfOne).toBe(1);
    expect(library.liveTotal).toBe(1);
  });

  it('pause drops what was prepared and closes the pool’s decoders; resume asks the rest, no item asked while it is being asked, none answered twice', async () => {
    const tags = ['a', 'b', 'c'];
    const items = itemsOver(tags, 9);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store, client, library } = setup;
    store.getState().setBatchConcurrency(2);
    client.hold = true;
    const runId = await start(store, items);
    await until(store, () => client.held === 2, 'two requests wait');
    client.release(1);
    await until(store, () => count(runOf(store, runId), 'done') === 1 && client.held === 2, 'one done, two waiting');
    await settleABit(20);
    const inFlight = client.heldRequests.map((a) => a.itemId!);
    store.getState().pauseBatch(runId);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run stops');
    await settleABit(20);
    const paused = runOf(store, runId);
    expect(paused.state).toBe('paused');
    expect([count(paused, 'done'), count(paused, 'running'), count(paused, 'pending')]).toEqual([1, 0, 8]);
    expect(client.inFlight).toBe(0);
    // Only the open video keeps a decoder while the run is paused.
    expect(library.liveTotal).toBe(1);
    const asked = client.requests.length;

    client.hold = false;
    store.getState().resumeBatch(runId);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    expect(count(run, 'done')).toBe(9);
    // After the pause: the eight not done, each once (the two in flight at the pause again).
    const after = client.requests.slice(asked).map((r) => r.itemId);
    expect([...after].sort()).toEqual(items.map((i) => i.id).filter((id) => id !== paused.results.find((r) => r.status === 'done')!.key).sort());
    for (const id of inFlight) expect(client.askedFor(id)).toBe(2);
    expect(client.maxInFlight).toBe(2);
    expectOwnFrames(setup, items);
    expect(library.maxLiveOfOne).toBe(1);
  });

  it('a reload mid-run: the run reads back interrupted across videos, and resume asks only what is left, each item on its own video', async () => {
    const tags = ['a', 'b', 'c'];
    const items = itemsOver(tags, 9);
    let repository: ReturnType<typeof crashable> | null = null;
    const first = await datasetStore(videosOf(tags), { qaItems: items, wrapRepository: (r) => (repository = crashable(r)) });
    first.store.getState().setBatchConcurrency(3);
    first.client.hold = true;
    const runId = await start(first.store, items);
    await until(first.store, () => first.client.held === 3, 'three requests wait');
    first.client.release(2);
    await until(first.store, () => count(runOf(first.store, runId), 'done') === 2 && first.client.held === 3, 'two done, three in flight');
    await first.store.getState().saveNow();
    const doneBefore = runOf(first.store, runId).results.filter((r) => r.status === 'done');
    // The page goes away: nothing more is written.
    repository!.crash();

    const again = await datasetStore(videosOf(tags), { reload: { projects: first.projects, media: first.media } });
    const read = runOf(again.store, runId);
    expect(read.state).toBe('interrupted');
    expect([count(read, 'done'), count(read, 'running'), count(read, 'pending')]).toEqual([2, 0, 7]);
    again.store.getState().setBatchConcurrency(3);
    again.store.getState().resumeBatch(runId);
    await until(again.store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    const run = runOf(again.store, runId);
    expect(run.state).toBe('done');
    expect(count(run, 'done')).toBe(9);
    // Only the seven left were asked, each once, each on its own video's frames.
    const asked = again.client.requests.filter((r) => r.round === 0).map((r) => r.itemId);
    expect(asked).toHaveLength(7);
    expect(new Set(asked).size).toBe(7);
    for (const d of doneBefore) expect(again.client.askedFor(d.key)).toBe(0);
    expect(run.results.filter((r) => doneBefore.some((d) => d.key === r.key))).toEqual(doneBefore);
    expectOwnFrames(again, items);
  });
});

describe('bad input mid-run', () => {
  it('a video whose file goes away mid-run: its items fail naming the video, the rest go on and the run is not paused', async () => {
    const tags = ['a', 'b', 'c'];
    const items = itemsOver(tags, 12);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store, client, library, media, projectId } = setup;
    store.getState().setBatchConcurrency(1);
    store.getState().setVideoPoolSize(1);
    client.hold = true;
    const runId = await start(store, items);
    // Video-major: a's four items, then b's first (b's second is prepared meanwhile).
    for (let k = 0; k < 4; k++) {
      await until(store, () => client.held === 1, `request ${k + 1} waits`);
      client.release(1);
    }
    await until(store, () => client.held === 1 && count(runOf(store, runId), 'done') === 4, 'a done, b asked');
    await settleABit(20);
    expect(library.liveOf('b')).toBe(1);
    // b's file is deleted: its open decoder cannot read it any more, and the media store has lost it.
    library.broken.set('b', 'NotFoundError: the file was moved or deleted');
    media.lose(projectId, 'videos/Set/b.mp4');
    client.hold = false;
    client.release(client.held);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    const run = runOf(store, runId);
    expect(run.state).toBe('done');
    const ofVideo = (tag: string) => run.results.filter((r) => r.item.videoId === tag);
    expect(ofVideo('c').map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    // b's first two had their frames in hand; the third met the decoder's error, the fourth (the file opened again) that it is gone.
    expect(ofVideo('b').map((r) => [r.status, r.error])).toEqual([
      ['done', null],
      ['done', null],
      ['failed', '“Set/b.mp4” could not be read: NotFoundError: the file was moved or deleted'],
      ['failed', '“Set/b.mp4” is not available: not kept in this browser'],
    ]);
    expect(store.getState().review.error).toBeNull();
    expect(library.liveTotal).toBe(1);
  });

  it('a video waiting for permission: its items fail saying so (reconnect), the others are answered', async () => {
    const tags = ['a', 'b'];
    const items = itemsOver(tags, 4);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store, media, projectId } = setup;
    media.block(projectId, 'videos/Set/b.mp4');
    const runId = await start(store, items);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    const run = runOf(store, runId);
    expect(run.results.map((r) => [r.item.videoId, r.status])).toEqual([
      ['a', 'done'],
      ['b', 'failed'],
      ['a', 'done'],
      ['b', 'failed'],
    ]);
    expect(run.results[1]!.error).toBe('“Set/b.mp4” waits for permission to be read again (choose “Reconnect files”).');
  });

  it('the endpoint going down with 4 in flight pauses after 3 failures in the order sent, though an item sent before them is answered in between', async () => {
    const items = itemsOver(['a'], 8);
    let down = false;
    const setup = await datasetStore(videosOf(['a']), { qaItems: items, respond: (asked) => (down && asked.itemId !== 'item-1' ? failure('unreachable', null, null, 'connect ECONNREFUSED') : answerB(asked)) });
    const { store, client } = setup;
    store.getState().setBatchConcurrency(4);
    client.hold = true;
    const runId = await start(store, items);
    await until(store, () => client.held === 4, 'four requests wait');
    down = true;
    // Items 2 and 3 fail, then item 1 (sent before them) is answered, then item 4 fails: three in a row after the last one sent that was answered.
    client.releaseWhere((a) => a.itemId === 'item-2' || a.itemId === 'item-3');
    await until(store, () => count(runOf(store, runId), 'failed') === 2, 'two failed');
    client.releaseWhere((a) => a.itemId === 'item-1');
    await until(store, () => count(runOf(store, runId), 'done') === 1, 'item 1 answered');
    client.releaseWhere((a) => a.itemId === 'item-4');
    await until(store, () => runOf(store, runId).state === 'paused', 'the run pauses');
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run stops');
    const run = runOf(store, runId);
    expect([count(run, 'done'), count(run, 'failed'), count(run, 'running'), count(run, 'pending')]).toEqual([1, 3, 0, 4]);
    expect(store.getState().review.error).toMatch(/3 items in a row failed at the endpoint/);
    expect(client.inFlight).toBe(0);
  });
});

describe('progress across videos', () => {
  it('per video and overall: done, failed, left, the videos being asked now, items per minute and time left', async () => {
    const tags = ['a', 'b', 'c'];
    const items = itemsOver(tags, 6);
    // Item 5 (b's second) fails at the endpoint.
    const setup = await datasetStore(videosOf(tags), { qaItems: items, respond: (asked) => (asked.itemId === 'item-5' ? failure('unreachable', null, null, 'connect ECONNREFUSED') : answerB(asked)) });
    const { store, client } = setup;
    store.getState().setBatchConcurrency(2);
    client.hold = true;
    const runId = await start(store, items);
    await until(store, () => client.held === 2, 'two requests wait');
    // Video-major: a's two items first.
    client.release(2);
    await until(store, () => count(runOf(store, runId), 'done') === 2 && client.held === 2, 'a done, b asked');
    const now = runOf(store, runId).resumedAt! + 0;
    const p = batchProgressOf(store.getState(), runId, now)!;
    expect(p.videos.map((v) => [v.path, v.done, v.failed, v.left, v.running])).toEqual([
      ['Set/a.mp4', 2, 0, 0, 0],
      ['Set/b.mp4', 0, 0, 0, 2],
      ['Set/c.mp4', 0, 0, 2, 0],
    ]);
    expect(p.current.map((v) => v.path)).toEqual(['Set/b.mp4']);
    expect(p.overall).toMatchObject({ total: 6, done: 2, failed: 0, left: 2, running: 2 });
    // 2 items in the run's active time so far: the pace and the time left follow from it.
    const active = runOf(store, runId).activeMs;
    expect(p.overall.itemsPerMin).toBeCloseTo((2 * 60_000) / active);
    expect(p.overall.etaMs).toBeCloseTo((active / 2) * 4);
    client.hold = false;
    client.release(client.held);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    const end = batchProgressOf(store.getState(), runId, now)!;
    expect(end.videos.map((v) => [v.path, v.done, v.failed, v.left])).toEqual([
      ['Set/a.mp4', 2, 0, 0],
      ['Set/b.mp4', 1, 1, 0],
      ['Set/c.mp4', 2, 0, 0],
    ]);
    expect(end.current).toEqual([]);
    expect(end.overall.etaMs).toBeNull();
  });
});

describe('the pool and the open video', () => {
  it('switching to a video the pool holds closes the pool’s decoder of it: never two of one video', async () => {
    const tags = ['a', 'b'];
    const items = itemsOver(['b'], 2);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store, client, library } = setup;
    client.hold = true;
    const runId = await start(store, items);
    await until(store, () => client.held === 2, 'two requests wait');
    expect(library.liveOf('b')).toBe(1);
    expect(await store.getState().switchVideo(videoId('b'))).toBe(true);
    // The open b's decoder is the only one of b.
    expect(library.liveOf('b')).toBe(1);
    expect(library.opened).toEqual(['a', 'b', 'b']);
    await drain(setup, runId);
    expect(count(runOf(store, runId), 'done')).toBe(2);
    expect(library.liveTotal).toBe(1);
  });
});

describe('the items the QA table shows', () => {
  it('are found by the object names and paths of every video, not only the open one’s, and a run of them covers their videos', async () => {
    const tags = ['a', 'b', 'c'];
    const items = itemsOver(tags, 6);
    const setup = await datasetStore(videosOf(tags), { qaItems: items });
    const { store } = setup;
    // obj-b is an object of b, which is not open.
    store.getState().setQaView({ search: 'obj-b' });
    expect(selectItemsTableShows(store.getState()).map((i) => i.id)).toEqual(['item-2', 'item-5']);
    store.getState().setQaView({ search: 'Set/c.mp4' });
    const shown = selectItemsTableShows(store.getState());
    expect(shown.map((i) => i.id)).toEqual(['item-3', 'item-6']);
    const runId = await start(store, shown);
    await until(store, (s) => !s.batch.driving.includes(runId), 'the run finishes');
    expect(runOf(store, runId).results.map((r) => [r.key, r.status])).toEqual([
      ['item-3', 'done'],
      ['item-6', 'done'],
    ]);
    expectOwnFrames(setup, items);
  });
});
