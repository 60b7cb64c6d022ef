/**
 * Frames of a project's videos through the real store: only the open video holds a decoder, other
 * videos get one of the pool, opened for a call and closed after it (at most the pool's size at a
 * time), switching videos keeps each video's work and stops what streams, and a batch asks every
 * item on frames of its own video.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey } from '../core/annotation/model';
import { sampleQuery } from '../testing/sampleQuery';
import type { EncodedImage } from '../core/agent/ports';
import type { VideoWork } from '../core/project/document';
import { reply } from '../testing/agentFakes';
import { datasetStore, deferred, frameUrl, framesIn, VideoLibrary, videoId, type DatasetSetUp } from '../testing/datasetTestKit';
import { answerB, item, settleABit, until, type Responder } from '../testing/reviewTestKit';
import { streetObjectRle } from '../testing/streetVideo';
import type { VideoFrames } from './slices/datasetSlice';

/** One object `id` with a box and a mask on `frame`. */
const objectWork = (id: string, frame: number): VideoWork => ({
  instances: [{ id, name: id, color: '#f00', visible: true }],
  activeId: id,
  frames: { [annotationKey(id, frame)]: { prompts: [{ kind: 'box', x0: 20, y0: 10, x1: 30, y1: 22 }], mask: { rle: streetObjectRle(), score: 0.9 } } },
  queries: [],
  masklets: {},
});

const ENCODE = { width: 32, height: 24, format: 'jpeg', quality: 0.8 } as const;
const urls = (images: readonly EncodedImage[]): string[] => images.map((i) => i.url);

/** Waits (a real millisecond at a time) until `ok` holds. */
async function waitFor(ok: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 2000;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

const tags = (n: number): string[] => Array.from({ length: n }, (_, i) => `v${String(i).padStart(2, '0')}`);

describe('frames of videos that are not open', () => {
  it('ten videos of fifty asked at once: at most the pool’s size (2) besides the open one, each closed after, never two of one video; the open video’s own is used', async () => {
    const { store, library } = await datasetStore(tags(50).map((tag) => ({ tag })));
    expect(library.opened).toEqual(['v00']);
    const wanted = ['v03', 'v11', 'v17', 'v20', 'v26', 'v31', 'v38', 'v42', 'v45', 'v49'];
    const seen: { tag: string; live: number; own: number }[] = [];
    const task = (tag: string) => async (frames: VideoFrames) => {
      seen.push({ tag, live: library.liveTotal, own: library.liveOf(tag) });
      const images = await frames.encodeFrames([0, frames.info.frameCount - 1], ENCODE);
      await new Promise((r) => setTimeout(r, 2));
      return urls(images);
    };
    const calls = wanted.map((tag) => store.getState().withVideoFrames(videoId(tag), task(tag)));
    const onOpen = store.getState().withVideoFrames(videoId('v00'), task('v00'));

    expect(await Promise.all(calls)).toEqual(wanted.map((tag) => [frameUrl(tag, 0), frameUrl(tag, 99)]));
    expect(await onOpen).toEqual([frameUrl('v00', 0), frameUrl('v00', 99)]);
    // The open video's decoder served its call; each other video got one decoder, two at a time.
    expect(library.opened).toEqual(['v00', ...wanted]);
    expect(seen.filter((s) => s.tag !== 'v00').every((s) => s.live <= 3 && s.own === 1)).toBe(true);
    expect(library.maxLive).toBe(3);
    expect(library.maxLiveOfOne).toBe(1);
    // Afterwards only the open video holds a decoder.
    expect(library.liveTotal).toBe(1);
    expect(library.liveOf('v00')).toBe(1);
    expect(library.doubleCloses).toBe(0);
  });

  it('a call that fails closes its decoder and the next goes on; a missing video is said without opening anything', async () => {
    const setup = await datasetStore(tags(4).map((tag) => ({ tag })));
    const { store, library, media, projectId, videos } = setup;
    media.lose(projectId, `videos/${videos[2]!.path}`);
    const failing = store.getState().withVideoFrames(videoId('v01'), async (frames) => {
      await frames.encodeFrames([1], ENCODE);
      throw new Error('the task broke');
    });
    const missing = store.getState().withVideoFrames(videoId('v02'), async () => 'never');
    const next = store.getState().withVideoFrames(videoId('v03'), async (frames) => urls(await frames.encodeFrames([4], ENCODE)));
    await expect(failing).rejects.toThrow('the task broke');
    await expect(missing).rejects.toThrow('“Set/v02.mp4” is not available: not kept in this browser');
    expect(await next).toEqual([frameUrl('v03', 4)]);
    expect(library.opened).toEqual(['v00', 'v01', 'v03']);
    expect(library.liveTotal).toBe(1);
  });

  it('the open video is served at once; a call waiting for room whose video is opened meanwhile uses the open decoder, not a second one', async () => {
    const { store, library } = await datasetStore(tags(3).map((tag) => ({ tag })));
    store.getState().setVideoPoolSize(1);
    const hold = deferred();
    const first = store.getState().withVideoFrames(videoId('v01'), async (frames) => {
      await hold.promise;
      return urls(await frames.encodeFrames([2], ENCODE));
    });
    const waiting = store.getState().withVideoFrames(videoId('v02'), async (frames) => {
      const own = library.liveOf('v02');
      return { own, urls: urls(await frames.encodeFrames([3], ENCODE)) };
    });
    await waitFor(() => library.liveOf('v01') === 1, 'v01 is opened for its call');
    // The open video's frames do not wait behind calls about other videos.
    expect(await store.getState().withVideoFrames(videoId('v00'), async (frames) => urls(await frames.encodeFrames([1], ENCODE)))).toEqual([frameUrl('v00', 1)]);
    expect(await store.getState().switchVideo(videoId('v02'))).toBe(true);
    hold.resolve();
    expect(await first).toEqual([frameUrl('v01', 2)]);
    expect(await waiting).toEqual({ own: 1, urls: [frameUrl('v02', 3)] });
    expect(library.maxLiveOfOne).toBe(1);
    expect(library.opened).toEqual(['v00', 'v01', 'v02']);
    expect(library.liveTotal).toBe(1);
  });
});

describe('switching videos', () => {
  it('keeps each video’s undo history and frame; a question streaming on the video left is stopped there, the other video’s work untouched', async () => {
    const bWork: VideoWork = { ...objectWork('dog', 3), queries: [sampleQuery('q-b', 'dog')] };
    const setup = await datasetStore([{ tag: 'a', work: objectWork('man', 5) }, { tag: 'b', work: bWork }]);
    const { store, client, projects, projectId } = setup;
    store.getState().renameInstance('man', 'walker');
    store.getState().seek(42);
    store.getState().setDraft({ question: 'What is <vp> doing?', instanceId: 'man', frame: 5 });
    client.hold = true;
    const asked = await store.getState().askQuestion();
    expect(asked).not.toBeNull();
    await waitFor(() => client.held === 1, 'the question is streaming');

    expect(await store.getState().switchVideo(videoId('b'))).toBe(true);
    // The request in flight was aborted, and the question is marked as stopped on its own video.
    await waitFor(() => client.inFlight === 0, 'the request is aborted');
    const left = store.getState().dataset.stash[videoId('a')]!.queries;
    expect(left.map((q) => [q.id, q.trajectory.status])).toEqual([[asked, 'interrupted']]);
    expect(left[0]!.trajectory.problems.at(-1)?.message).toBe('Interrupted: another video was opened while this query was running.');
    // b is as it was saved.
    expect(store.getState().ask.queries).toEqual(bWork.queries);
    expect(store.getState().annotation.history.present.instances.map((i) => i.name)).toEqual(['dog']);
    expect(store.getState().ask.running).toEqual([]);
    await settleABit();
    await store.getState().saveNow();
    const saved = (await projects.loadDocument(projectId))!;
    expect(saved.work[videoId('a')]!.queries.map((q) => q.trajectory.status)).toEqual(['interrupted']);
    expect(saved.work[videoId('b')]).toEqual(bWork);

    expect(await store.getState().switchVideo(videoId('a'))).toBe(true);
    const s = store.getState();
    expect(s.video.frameIndex).toBe(42);
    expect(s.annotation.history.present.instances.map((i) => i.name)).toEqual(['walker']);
    expect(s.ask.queries.map((q) => q.trajectory.status)).toEqual(['interrupted']);
    store.getState().undo();
    expect(store.getState().annotation.history.present.instances.map((i) => i.name)).toEqual(['man']);
    // And b kept its frame too.
    expect(await store.getState().switchVideo(videoId('b'))).toBe(true);
    expect(store.getState().video.frameIndex).toBe(0);
    expect(store.getState().ask.queries).toEqual(bWork.queries);
  });
});

describe('a batch over items of several videos', () => {
  /** The frame path the model is told, so that it calls view_visual_prompt as it should. */
  const toldFramePath = (body: string): string => /The visual prompt frame path for this video is: (\S+?\.jpg)/.exec(body)![1]!;
  /** Items 2 and 3 look at their visual prompt first. */
  const respond: Responder = (asked) => {
    if ((asked.itemId === 'item-2' || asked.itemId === 'item-3') && asked.round === 0) {
      return reply('<think>Look first.</think>', [{ name: 'view_visual_prompt', arguments: JSON.stringify({ frame_path: toldFramePath(JSON.stringify(asked.request)) }) }]);
    }
    return answerB(asked);
  };

  async function setUp(): Promise<DatasetSetUp> {
    const library = new VideoLibrary();
    library.frameCounts.set('b', 70);
    const items = [
      item(1, { projectVideoId: videoId('a'), videoId: 'a' }),
      item(2, { projectVideoId: videoId('b'), videoId: 'b', instanceId: 'dog', frame: 7 }),
      item(3, { projectVideoId: videoId('b'), videoId: 'b', instanceId: null, frame: null, promptImage: 'frames/Set/b.jpg', framePath: 'Set/b.jpg', videoPath: 'Set/b.mp4', duration: null }),
      item(4, { projectVideoId: videoId('c'), videoId: 'c', instanceId: 'cat', frame: 2 }),
      item(5, { projectVideoId: videoId('a'), videoId: 'a' }),
    ];
    return datasetStore(
      [
        { tag: 'a', work: objectWork('man', 5) },
        { tag: 'b', work: objectWork('dog', 7), facts: { width: 64, height: 48, frameCount: 70, fps: 10, durationS: 7 } },
        { tag: 'c', work: objectWork('cat', 2), kept: false },
      ],
      {
        library,
        qaItems: items,
        respond,
        files: { 'frames/Set/b.jpg': new Blob(['b-prompt']) },
        // The prompt image as the model gets it: marked with the file's own bytes.
        datasetFiles: { readImage: async (file) => ({ url: `data:image/jpeg;base64,IMG${btoa(await file.text())}`, bytes: file.size, width: 640, height: 480 }) },
      },
    );
  }

  it('asks each item on frames of its own video, sends an image item its own image, and fails the items of a missing video naming it', async () => {
    const setup = await setUp();
    const { store, client, library } = setup;
    store.getState().setBatchConcurrency(2);
    const runId = await store.getState().startBatch(['item-1', 'item-2', 'item-3', 'item-4', 'item-5']);
    expect(runId).not.toBeNull();
    await until(store, (s) => !s.batch.driving.includes(runId!), 'the run stops');

    const run = store.getState().review.runs.find((r) => r.id === runId)!;
    const byItem = new Map(run.results.map((r) => [r.itemId, r]));
    expect([1, 2, 3, 5].map((n) => byItem.get(`item-${n}`)?.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(byItem.get('item-4')?.status).toBe('failed');
    expect(byItem.get('item-4')?.error).toBe('“Set/c.mp4” is not available: not kept in this browser');
    expect(client.askedFor('item-4')).toBe(0);

    // Every request of an item carries frames of its own video only.
    const videoOf: Record<string, string> = { 'item-1': 'a', 'item-2': 'b', 'item-3': 'b', 'item-5': 'a' };
    for (const asked of client.requests) {
      const frames = framesIn(JSON.stringify(asked.request));
      expect([...frames.keys()], `${asked.itemId} round ${asked.round}`).toEqual([videoOf[asked.itemId!]]);
    }
    // The image item is told its own paths, as the reference client tells the benchmark's.
    expect(toldFramePath(JSON.stringify(client.requests.find((r) => r.itemId === 'item-3')!.request))).toBe('Set/b.jpg');
    const secondRound = (itemId: string): string => JSON.stringify(client.requests.find((r) => r.itemId === itemId && r.round === 1)!.request);
    // Item 2's visual prompt frame is drawn on frame 7 of b; item 3's is its own image file.
    expect(secondRound('item-2')).toContain(frameUrl('b', 7));
    expect(secondRound('item-3')).toContain(`data:image/jpeg;base64,IMG${btoa('b-prompt')}`);
    // b's frames came from b's decoder, opened for the calls and closed after.
    expect(library.encodes.filter((e) => e.tag === 'b').flatMap((e) => e.indices)).toContain(7);
    expect(library.maxLive).toBe(2);
    expect(library.liveTotal).toBe(1);
    // Each result is filed with its own video's duration (scores are bucketed by it).
    expect(['item-1', 'item-2'].map((id) => byItem.get(id)?.item.duration)).toEqual([10, 7]);
  });
});
