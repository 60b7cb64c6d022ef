/** Prompting, masks and undo/redo, with a fake segmenter that records what it was asked. */
import { describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, SegmentRequest, Segmenter, VideoOpener } from '../core/ports';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { annotationKey } from '../core/annotation/model';
import { createAppStore } from './appStore';
import type { FrameImage } from './deps';
import { agentTestDeps } from '../testing/agentTestDeps';
import { noTracking } from '../testing/segmenterStubs';
import { memoryProjects } from '../testing/memoryProjects';

const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;

function setup() {
  const requests: SegmentRequest<FrameImage>[] = [];
  const embedded = new Set<string>();
  const prepared: string[] = [];
  let area = 100;
  const segmenter: Segmenter<FrameImage> = {
    load: async () => ({ backend: 'wasm', encoder: 'int8', threads: 2, loadMs: 1, fromCache: true }),
    hasEmbedding: async (k) => embedded.has(k),
    async prepare(k) {
      prepared.push(k);
      embedded.add(k);
      return 1;
    },
    async segment(request) {
      requests.push(request);
      embedded.add(request.frameKey);
      area -= 10; // each refinement gives a different mask
      return { rle: { size: [10, 10], counts: [100 - area, area] }, score: 0.9, area, encoderMs: 0, decoderMs: 0 };
    },
    ...noTracking,
  dispose() {},
  };
  const source: FrameSource<FrameImage> = {
    info: { name: 'v.mp4', container: 'MP4', codec: 'avc1', width: 10, height: 10, durationS: 1, fps: 10, frameCount: 10, byteLength: 1, decoder: 'webcodecs' },
    timestamps: uniformTimestamps(10, 10),
    getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
    getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {},
  };
  const opener: VideoOpener<Blob, FrameImage> = { open: async () => ({ ok: true, source, bytes: null, notice: null }) };
  const projects = memoryProjects();
  const store = createAppStore({ videoOpener: opener, clock: { now: () => 0, nextFrame: () => () => {} }, segmenter, projects, ...agentTestDeps() });
  return { store, requests, projects, opener, prepared };
}

describe('annotation', () => {
  it('a first prompt creates an object and gives it a mask; the encoder picture is sent once per frame', async () => {
    const { store, requests } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    await store.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 });
    const doc = store.getState().annotation.history.present;
    expect(doc.instances).toHaveLength(1);
    const key = annotationKey(doc.activeId!, 0);
    expect(doc.frames[key]?.mask?.rle.counts).toEqual([10, 90]);
    expect(requests[0]!.image).not.toBeNull();
    expect(requests[0]!.refineFrom).toBeNull();

    await store.getState().addPrompt({ kind: 'point', x: 3, y: 3, positive: false });
    expect(requests[1]!.image).toBeNull(); // embedding cached: decoder only
    expect(requests[1]!.refineFrom).toBe(requests[0]!.storeAs); // previous logits fed back
    expect(requests[1]!.prompt.points).toEqual([{ x: 3, y: 3, positive: false }]);
    expect(store.getState().annotation.history.present.frames[key]?.mask?.rle.counts).toEqual([20, 80]);
  });

  it('undo restores the previous prompts and mask, redo brings the edit back', async () => {
    const { store } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    await store.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 });
    await store.getState().addPrompt({ kind: 'point', x: 3, y: 3, positive: false });
    const key = annotationKey(store.getState().annotation.history.present.activeId!, 0);
    const frames = () => store.getState().annotation.history.present.frames;
    store.getState().undo();
    expect(frames()[key]?.prompts).toHaveLength(1);
    expect(frames()[key]?.mask?.rle.counts).toEqual([10, 90]);
    store.getState().redo();
    expect(frames()[key]?.prompts).toHaveLength(2);
    expect(frames()[key]?.mask?.rle.counts).toEqual([20, 80]);
    // Undo all the way: the object itself goes away.
    store.getState().undo();
    store.getState().undo();
    store.getState().undo();
    expect(store.getState().annotation.history.present.instances).toHaveLength(0);
  });

  it('rename, hide and delete objects, each undoable', async () => {
    const { store } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    const id = store.getState().addInstance();
    const second = store.getState().addInstance();
    const doc = () => store.getState().annotation.history.present;
    store.getState().renameInstance(id, '  red car ');
    expect(doc().instances[0]!.name).toBe('red car');
    store.getState().renameInstance(id, '   ');
    expect(doc().instances[0]!.name).toBe('red car');
    store.getState().setInstanceVisible(id, false);
    expect(doc().instances[0]!.visible).toBe(false);
    store.getState().deleteInstance(second);
    expect(doc().instances.map((i) => i.id)).toEqual([id]);
    expect(doc().activeId).toBe(id);
    store.getState().undo();
    expect(doc().instances).toHaveLength(2);
    store.getState().undo();
    expect(doc().instances[0]!.visible).toBe(true);
  });

  it('a mask that arrives after its prompts were undone is dropped', async () => {
    const { store } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    await store.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 });
    const pending = store.getState().addPrompt({ kind: 'point', x: 2, y: 2, positive: true });
    store.getState().undo();
    await pending;
    const key = annotationKey(store.getState().annotation.history.present.activeId!, 0);
    expect(store.getState().annotation.history.present.frames[key]?.prompts).toHaveLength(1);
    expect(store.getState().annotation.history.present.frames[key]?.mask?.rle.counts).toEqual([10, 90]);
  });

  it('moves and deletes single prompts, re-segmenting each time', async () => {
    const { store, requests } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    await store.getState().addPrompt({ kind: 'point', x: 1, y: 1, positive: true });
    await store.getState().addPrompt({ kind: 'point', x: 8, y: 8, positive: false });
    const key = annotationKey(store.getState().annotation.history.present.activeId!, 0);
    await store.getState().updatePrompt(key, 1, { kind: 'point', x: 7, y: 6, positive: false });
    expect(requests.at(-1)!.prompt.points).toEqual([
      { x: 1, y: 1, positive: true },
      { x: 7, y: 6, positive: false },
    ]);
    store.getState().selectPrompt({ key, index: 0 });
    await store.getState().deleteSelectedPrompt();
    expect(store.getState().annotation.history.present.frames[key]?.prompts).toEqual([{ kind: 'point', x: 7, y: 6, positive: false }]);
    expect(store.getState().annotation.selection).toBeNull();
    store.getState().selectPrompt({ key, index: 0 });
    await store.getState().deleteSelectedPrompt();
    expect(store.getState().annotation.history.present.frames[key]).toBeUndefined();
    store.getState().undo();
    expect(store.getState().annotation.history.present.frames[key]?.prompts).toHaveLength(1);
  });

  it('with a prompt tool in hand, the frame that stays put is encoded ahead of the first click', async () => {
    const { store, requests, prepared } = setup();
    await store.getState().openVideo({ kind: 'file', file: new Blob([]), name: 'v.mp4' });
    await store.getState().loadModel();
    store.getState().setTool('box');
    store.getState().seek(3);
    store.getState().seek(4); // scrubbing: only where it stops counts
    await new Promise((r) => setTimeout(r, 400));
    expect(prepared).toEqual([`${store.getState().video.sourceId}#4`]);
    await store.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 });
    expect(requests[0]!.image).toBeNull(); // the decoder only
  });
});
