// @vitest-environment node
/**
 * "Add a folder of videos" with the directory picker: the folder's videos join the project as
 * references to the folder (the real media store over fake-indexeddb and an in-memory file
 * system: nothing is copied), each folder under a prefix of its own.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodedFrame, FrameSource, VideoOpener } from '../core/ports';
import { uniformTimestamps } from '../core/video/frameTimeline';
import { createIdbProjectMedia } from '../adapters/storage/idbProjectMedia';
import { studioDbConnection } from '../adapters/storage/studioDb';
import { agentTestDeps } from '../testing/agentTestDeps';
import { installHandleCloning, MemoryVolume, type MemoryDirectoryHandle } from '../testing/memoryFileSystem';
import { memoryProjects } from '../testing/memoryProjects';
import { idleSegmenter } from '../testing/segmenterStubs';
import { createAppStore } from '../store/appStore';
import type { ArchiveEntry, FrameImage, PickedFolder } from '../store/deps';

let restoreCloning: () => void;
beforeAll(() => {
  restoreCloning = installHandleCloning();
});
afterAll(() => restoreCloning());

const image = (): FrameImage => ({ close() {} }) as unknown as FrameImage;

/** A video whose name is the text of its file: what was opened is what the bytes say. */
const opener = (opened: string[]): VideoOpener<Blob, FrameImage> => ({
  async open(request) {
    if (request.kind !== 'file') throw new Error('files only');
    const text = await request.file.text();
    opened.push(text);
    const source: FrameSource<FrameImage> = {
      info: { name: request.name, container: 'MP4', codec: 'avc1', width: 8, height: 8, durationS: 1, fps: 10, frameCount: 10, byteLength: request.file.size, decoder: 'webcodecs' },
      timestamps: uniformTimestamps(10, 10),
      getFrame: async (index): Promise<DecodedFrame<FrameImage>> => ({ index, timeS: index / 10, image: image() }),
      getThumbnail: async (index) => ({ index, timeS: 0, image: image() }),
      encodeFrames: () => Promise.reject(new Error('not in this test')),
      close() {},
    };
    return { ok: true, source, bytes: request.file, notice: null };
  },
});

async function folderOn(disk: MemoryVolume, name: string, files: Record<string, string>): Promise<PickedFolder> {
  const root = (await disk.root().getDirectoryHandle(name, { create: true })) as MemoryDirectoryHandle;
  const entries: ArchiveEntry[] = [];
  for (const [path, text] of Object.entries(files)) {
    await root.write(path, text);
    entries.push({ name: path, size: text.length, read: async () => new TextEncoder().encode(text), blob: async () => new Blob([text]) });
  }
  return { name, root, entries };
}

let n = 0;

describe('a folder of videos', () => {
  it('joins the project as references under the folder’s name; a second folder of the same name gets its own prefix', async () => {
    const disk = new MemoryVolume();
    const opfs = new MemoryVolume();
    const first = await folderOn(disk, 'Clips', { 'a.mp4': 'first a', 'sub/b.webm': 'first b', 'notes.txt': 'not a video' });
    const again = await folderOn(new MemoryVolume(), 'Clips', { 'a.mp4': 'second a' });
    const picks = [first, again];
    const opened: string[] = [];
    const store = createAppStore({
      videoOpener: opener(opened),
      clock: { now: () => 0, nextFrame: () => () => {} },
      segmenter: idleSegmenter,
      projects: memoryProjects(),
      ...agentTestDeps(),
      media: createIdbProjectMedia(studioDbConnection(`folder-${n++}`), { opfsRoot: async () => opfs.root() }),
      files: { ...agentTestDeps().files, pickFolder: async () => picks.shift() ?? null },
    });
    expect(await store.getState().pickVideoFolder()).toBe(true);
    const d = store.getState().dataset;
    expect(d.videos.map((v) => v.path)).toEqual(['Clips/a.mp4', 'Clips/sub/b.webm']);
    expect(Object.values(d.availability)).toEqual([
      { state: 'available', keeping: 'reference' },
      { state: 'available', keeping: 'reference' },
    ]);
    // The first one opened from the folder itself; nothing went into the browser's storage.
    expect(opened).toEqual(['first a']);
    expect(opfs.usedBytes()).toBe(0);
    expect(await store.getState().switchVideo(d.videos[1]!.id)).toBe(true);
    expect(opened.at(-1)).toBe('first b');

    expect(await store.getState().pickVideoFolder()).toBe(true);
    const all = store.getState().dataset.videos;
    expect(all.map((v) => v.path)).toEqual(['Clips/a.mp4', 'Clips/sub/b.webm', 'Clips (2)/a.mp4']);
    expect(await store.getState().switchVideo(all[2]!.id)).toBe(true);
    expect(opened.at(-1)).toBe('second a');
    expect(await store.getState().switchVideo(all[0]!.id)).toBe(true);
    expect(opened.at(-1)).toBe('first a');
  });

  it('says so when the folder has no videos, and adds nothing', async () => {
    const empty = await folderOn(new MemoryVolume(), 'Docs', { 'readme.txt': 'x' });
    const store = createAppStore({
      videoOpener: opener([]),
      clock: { now: () => 0, nextFrame: () => () => {} },
      segmenter: idleSegmenter,
      projects: memoryProjects(),
      ...agentTestDeps(),
      files: { ...agentTestDeps().files, pickFolder: async () => empty },
    });
    expect(await store.getState().pickVideoFolder()).toBe(true);
    expect(store.getState().dataset.message).toMatch(/“Docs” has no video files/);
    expect(store.getState().dataset.videos).toEqual([]);
    expect(store.getState().project.current).toBeNull();
  });
});
