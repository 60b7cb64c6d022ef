/** Projects: created with the first video, datasets of the videos opened since, saved as the user works, reopened at start-up. */
import { describe, expect, it, vi } from 'vitest';
import { annotationKey } from '../core/annotation/model';
import type { DecodedFrame, FrameSource, Segmenter, VideoOpener } from '../core/ports';
import type { ProjectDocument } from '../core/project/document';
import { StorageQuotaError, type ProjectRepository } from '../core/project/repository';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { agentTestDeps } from '../testing/agentTestDeps';
import { noTracking } from '../testing/segmenterStubs';
import { memoryMedia, type MemoryMedia } from '../testing/memoryMedia';
import { memoryProjects } from '../testing/memoryProjects';
import { createAppStore } from './appStore';
import type { FrameImage } from './deps';

const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;

function source(name: string, byteLength: number): FrameSource<FrameImage> {
  return {
    info: { name, container: 'MP4', codec: 'avc1', width: 10, height: 10, durationS: 1, fps: 10, frameCount: 10, byteLength, decoder: 'webcodecs' },
    timestamps: uniformTimestamps(10, 10),
    getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
    getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
    encodeFrames: () => Promise.reject(new Error('not in this test')),
    close() {},
  };
}

const opener: VideoOpener<Blob, FrameImage> = {
  async open(request) {
    const file = request.kind === 'file' ? request.file : new Blob(['sample bytes']);
    const name = request.kind === 'file' ? request.name : 'sample.webm';
    return { ok: true, source: source(name, file.size), bytes: file, notice: null };
  },
};

const segmenter: Segmenter<FrameImage> = {
  load: async () => ({ backend: 'wasm', encoder: 'int8', threads: 1, loadMs: 1, fromCache: true }),
  hasEmbedding: async () => true,
  prepare: async () => 0,
  segment: async () => ({ rle: { size: [10, 10], counts: [40, 60] }, score: 0.8, area: 60, encoderMs: 0, decoderMs: 0 }),
  ...noTracking,
  dispose() {},
};

const makeStore = (projects: ProjectRepository, media: MemoryMedia = memoryMedia()) =>
  createAppStore({ videoOpener: opener, clock: { now: () => 0, nextFrame: () => () => {} }, segmenter, projects, ...agentTestDeps(), media });

const openWork = (doc: ProjectDocument | null) => (doc ? doc.work[doc.openVideoId ?? ''] : undefined);

describe('projects', () => {
  it('the sample opens in a new project; work is saved and comes back in a new session', async () => {
    const projects = memoryProjects();
    const media = memoryMedia();
    const first = makeStore(projects, media);
    await first.getState().startup({ kind: 'url', url: 'http://app/samples/vtest.webm' });
    expect(first.getState().project.current?.name).toBe('sample.webm');
    await first.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 6, y1: 6 });
    first.getState().renameInstance(first.getState().annotation.history.present.activeId!, 'walker');
    await first.getState().saveNow();
    expect(first.getState().project.status).toBe('saved');

    const second = makeStore(projects, media); // a reload
    await second.getState().startup({ kind: 'url', url: 'http://app/samples/vtest.webm' });
    const doc = second.getState().annotation.history.present;
    expect(second.getState().video.info?.name).toBe('sample.webm');
    expect(doc.instances.map((i) => i.name)).toEqual(['walker']);
    expect(doc.frames[annotationKey(doc.activeId!, 0)]?.mask?.rle.counts).toEqual([40, 60]);
    expect(second.getState().annotation.history.past).toHaveLength(0); // a fresh history
    expect(second.getState().project.list).toHaveLength(1);
    expect(second.getState().dataset.videos.map((v) => v.path)).toEqual(['sample.webm']);
    expect(second.getState().dataset.videos[0]!.facts).toEqual({ width: 10, height: 10, frameCount: 10, fps: 10, durationS: 1 });
  });

  it('opening another video adds it to the project; switching back brings each video\'s work and undo history; a new project starts empty', async () => {
    const projects = memoryProjects();
    const media = memoryMedia();
    const store = makeStore(projects, media);
    await store.getState().openVideo({ kind: 'file', file: new Blob(['a']), name: 'a.mp4' });
    await store.getState().addPrompt({ kind: 'point', x: 2, y: 2, positive: true });
    await store.getState().openVideo({ kind: 'file', file: new Blob(['bb']), name: 'b.mp4' });
    expect(store.getState().annotation.history.present.instances).toHaveLength(0);
    expect(store.getState().project.list.map((p) => p.name)).toEqual(['a.mp4']);
    const [a, b] = store.getState().dataset.videos;
    expect([a!.path, b!.path]).toEqual(['a.mp4', 'b.mp4']);
    expect(store.getState().dataset.openVideoId).toBe(b!.id);
    await store.getState().addPrompt({ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 });
    await store.getState().addPrompt({ kind: 'box', x0: 2, y0: 2, x1: 6, y1: 6 });
    store.getState().seek(7);

    expect(await store.getState().switchVideo(a!.id)).toBe(true);
    expect(store.getState().video.info?.name).toBe('a.mp4');
    expect(store.getState().annotation.history.present.frames[annotationKey(store.getState().annotation.history.present.activeId!, 0)]?.prompts).toEqual([{ kind: 'point', x: 2, y: 2, positive: true }]);
    // Undo on a.mp4 undoes a.mp4's own step.
    store.getState().undo();
    expect(Object.keys(store.getState().annotation.history.present.frames)).toHaveLength(0);
    store.getState().redo();

    expect(await store.getState().switchVideo(b!.id)).toBe(true);
    expect(store.getState().video.frameIndex).toBe(7);
    const bDoc = store.getState().annotation.history.present;
    expect(bDoc.frames[annotationKey(bDoc.activeId!, 0)]?.prompts).toHaveLength(2);
    expect(store.getState().annotation.history.past.length).toBeGreaterThan(0);
    await store.getState().saveNow();
    const saved = (await projects.loadDocument(store.getState().project.current!.id))!;
    expect(saved.videos).toHaveLength(2);
    expect(saved.work[a!.id]!.instances).toHaveLength(1);
    expect(saved.work[b!.id]!.frames[annotationKey(bDoc.activeId!, 0)]?.prompts).toHaveLength(2);

    const first = store.getState().project.current!;
    await store.getState().newProject('Empty');
    expect(store.getState().dataset.videos).toEqual([]);
    expect(store.getState().video.info).toBeNull();
    expect(store.getState().annotation.history.present.instances).toHaveLength(0);
    await store.getState().openProject(first.id);
    expect(store.getState().video.info?.name).toBe('b.mp4');
    await store.getState().renameProject(first.id, 'Campus walk');
    expect(store.getState().project.current?.name).toBe('Campus walk');
    await store.getState().deleteProject(first.id);
    expect(store.getState().project.current).toBeNull();
    expect(store.getState().video.info).toBeNull();
    expect(media.keys(first.id)).toEqual([]);
    expect(store.getState().project.list.map((p) => p.name)).toEqual(['Empty']);
  });

  it('without room for the video, annotations are still kept and the file is asked for again', async () => {
    const projects = memoryProjects();
    const media = memoryMedia();
    media.failCopies = true;
    const store = makeStore(projects, media);
    await store.getState().openVideo({ kind: 'file', file: new Blob(['abc']), name: 'big.mp4' });
    expect(store.getState().dataset.message).toMatch(/not kept in this browser.*Not enough storage space/s);
    await store.getState().addPrompt({ kind: 'point', x: 2, y: 2, positive: true });
    await store.getState().saveNow();

    media.failCopies = false;
    const reloaded = makeStore(projects, media);
    await reloaded.getState().startup(null);
    expect(reloaded.getState().video.info).toBeNull();
    expect(reloaded.getState().project.missingVideo?.path).toBe('big.mp4');
    expect(reloaded.getState().annotation.history.present.instances).toHaveLength(1);
    // The right file again: it takes the missing video's place, annotations kept.
    await reloaded.getState().openVideo({ kind: 'file', file: new Blob(['abc']), name: 'big.mp4' });
    expect(reloaded.getState().project.missingVideo).toBeNull();
    expect(reloaded.getState().project.list).toHaveLength(1);
    expect(reloaded.getState().dataset.videos).toHaveLength(1);
    expect(reloaded.getState().annotation.history.present.instances).toHaveLength(1);
    expect(reloaded.getState().dataset.availability[reloaded.getState().dataset.videos[0]!.id]).toEqual({ state: 'available', keeping: 'copy' });
  });

  it('a failed save is reported, loses nothing in memory, and the next save retries', async () => {
    const projects = memoryProjects();
    let fail = true;
    const flaky: ProjectRepository = {
      ...projects,
      saveDocument: async (id, doc) => {
        if (fail) throw new StorageQuotaError('the annotations', 1234);
        return projects.saveDocument(id, doc);
      },
    };
    const store = makeStore(flaky);
    await store.getState().openVideo({ kind: 'file', file: new Blob(['a']), name: 'a.mp4' });
    await store.getState().addPrompt({ kind: 'point', x: 2, y: 2, positive: true });
    await store.getState().saveNow();
    expect(store.getState().project.status).toBe('error');
    expect(store.getState().project.saveError).toContain('Not enough storage space');
    expect(store.getState().annotation.history.present.instances).toHaveLength(1);
    fail = false;
    await store.getState().saveNow();
    expect(store.getState().project.status).toBe('saved');
    expect(openWork(await projects.loadDocument(store.getState().project.current!.id))?.instances).toHaveLength(1);
  });

  it('keeps saving while the store changes every 300 ms (a streaming answer): never more than ~1 s behind', async () => {
    const projects = memoryProjects();
    const saved: { at: number; name: string | undefined }[] = [];
    const watched: ProjectRepository = {
      ...projects,
      saveDocument: async (id, doc) => {
        saved.push({ at: Date.now(), name: openWork(doc)?.instances[0]?.name });
        return projects.saveDocument(id, doc);
      },
    };
    const store = makeStore(watched);
    await store.getState().openVideo({ kind: 'file', file: new Blob(['a']), name: 'a.mp4' });
    await store.getState().addPrompt({ kind: 'point', x: 2, y: 2, positive: true });
    await store.getState().saveNow();
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      saved.length = 0;
      const id = store.getState().annotation.history.present.activeId!;
      const changes: number[] = [];
      // 20 changes, one every 300 ms: a 400 ms debounce alone would wait until they stop.
      for (let k = 1; k <= 20; k++) {
        store.getState().renameInstance(id, `name ${k}`);
        changes.push(Date.now());
        await vi.advanceTimersByTimeAsync(300);
      }
      await vi.advanceTimersByTimeAsync(1000);
      // Every change is in a save that started at most a second after it.
      for (const at of changes) {
        const next = saved.find((s) => s.at >= at);
        expect(next, `change at +${at - changes[0]!} ms`).toBeDefined();
        expect(next!.at - at).toBeLessThanOrEqual(1000);
      }
      expect(saved[saved.length - 1]!.name).toBe('name 20');
      expect(store.getState().project.status).toBe('saved');
    } finally {
      vi.useRealTimers();
    }
  });
});
