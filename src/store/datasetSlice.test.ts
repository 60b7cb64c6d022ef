/**
 * Projects that are datasets, fed bad input through the real store: a video that does not decode,
 * a file that went missing, a folder waiting for permission, a disk that fills up while a dataset
 * is copied, a V2P-Bench folder without any of its videos. Each is said, marked where the Videos
 * panel reads it, and loses nothing: the open video, every video's work and the saved project.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey } from '../core/annotation/model';
import { videoMediaKey, type ProjectDocument, type VideoWork } from '../core/project/document';
import { videoRows } from '../core/project/videoList';
import type { ArchiveEntry } from './deps';
import type { ProjectFileSource } from './slices/datasetSlice';
import { datasetDocument, datasetStore, deferred, pathOf, VideoLibrary, videoFile, videoId, type DatasetSetUp, type TestVideo } from '../testing/datasetTestKit';
import { qaItem } from '../testing/qaTestKit';
import { settleABit, until } from '../testing/reviewTestKit';
import { streetObjectRle } from '../testing/streetVideo';
import type { AppStore } from './appStore';

/** One object `id` with a box and a mask on `frame`. */
const objectWork = (id: string, frame: number): VideoWork => ({
  instances: [{ id, name: id, color: '#f00', visible: true }],
  activeId: id,
  frames: { [annotationKey(id, frame)]: { prompts: [{ kind: 'box', x0: 20, y0: 10, x1: 30, y1: 22 }], mask: { rle: streetObjectRle(), score: 0.9 } } },
  queries: [],
  masklets: {},
});

const FACTS = { width: 64, height: 48, frameCount: 100, fps: 10, durationS: 10 };

const instanceNames = (store: AppStore): string[] => store.getState().annotation.history.present.instances.map((i) => i.name);

/** The project as the repository holds it after a save now. */
async function savedDocument({ store, projects, projectId }: DatasetSetUp): Promise<ProjectDocument> {
  await store.getState().saveNow();
  const saved = await projects.loadDocument(projectId);
  if (saved === null) throw new Error('nothing saved');
  return saved;
}

describe('a project of many videos, with bad input', () => {
  it('a video that does not decode is said and marked; the open video and its work stay; the others open', async () => {
    const library = new VideoLibrary();
    library.failing.set('b', { kind: 'corrupt', title: '“b.mp4” is damaged', message: 'Its video data cannot be decoded.' });
    const setup = await datasetStore([{ tag: 'a', work: objectWork('man', 5) }, { tag: 'b', work: objectWork('dog', 3) }, { tag: 'c' }], { library });
    const { store, videos } = setup;
    const [a, b, c] = [videos[0]!, videos[1]!, videos[2]!];
    store.getState().renameInstance('man', 'walker');
    store.getState().seek(12);
    const work = store.getState().annotation.history;

    expect(await store.getState().switchVideo(b.id)).toBe(false);
    let s = store.getState();
    expect(s.dataset.message).toBe('“Set/b.mp4” cannot be opened: Its video data cannot be decoded.');
    expect(s.dataset.switching).toBeNull();
    // Marked where the Videos panel reads it ("Cannot be opened", sorted first by file state).
    const rows = videoRows(s.dataset.videos, s.datasetWork(), [], [], s.dataset.availability);
    expect(rows.map((r) => r.problem)).toEqual([null, 'Its video data cannot be decoded.', null]);
    // The open video is still open, on its frame, with its work and undo history.
    expect(s.dataset.openVideoId).toBe(a.id);
    expect(s.video.info?.name).toBe('a.mp4');
    expect(s.video.frameIndex).toBe(12);
    expect(s.annotation.history).toBe(work);
    expect(setup.library.liveTotal).toBe(1);
    // b's work is kept, and so is the mark.
    const saved = await savedDocument(setup);
    expect(saved.work[b.id]).toEqual(objectWork('dog', 3));
    expect(saved.videos.find((v) => v.id === b.id)?.problem).toBe('Its video data cannot be decoded.');

    expect(await store.getState().switchVideo(c.id)).toBe(true);
    expect(store.getState().video.info?.name).toBe('c.mp4');
    expect(await store.getState().switchVideo(a.id)).toBe(true);
    s = store.getState();
    expect(instanceNames(store)).toEqual(['walker']);
    expect(s.video.frameIndex).toBe(12);

    // Once the file decodes (a fixed copy), it opens with its work and the mark goes.
    library.failing.delete('b');
    expect(await store.getState().switchVideo(b.id)).toBe(true);
    expect(instanceNames(store)).toEqual(['dog']);
    expect(store.getState().dataset.videos.find((v) => v.id === b.id)?.problem).toBeNull();
  });

  it.each([
    ['never opened (its size unknown, as after an import)', null],
    ['opened before (its size known)', FACTS],
  ] as const)('a missing file, %s: said, marked missing, its work kept; the right file opened again takes its place', async (_, facts) => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', work: objectWork('dog', 3), facts }, { tag: 'c' }]);
    const { store, media, projectId, videos } = setup;
    const b = videos[1]!;
    media.lose(projectId, videoMediaKey(b));

    expect(await store.getState().switchVideo(b.id)).toBe(false);
    const s = store.getState();
    expect(s.dataset.message).toBe('“Set/b.mp4” cannot be opened: not kept in this browser');
    expect(s.dataset.availability[b.id]).toEqual({ state: 'missing', reason: 'not kept in this browser' });
    expect(s.dataset.openVideoId).toBe(videos[0]!.id);
    expect(s.video.info?.name).toBe('a.mp4');
    expect((await savedDocument(setup)).work[b.id]).toEqual(objectWork('dog', 3));

    // The user opens b.mp4 again (the file picker): it is the missing video, not a new one.
    expect(await store.getState().openVideo({ kind: 'file', file: videoFile('b'), name: 'b.mp4' })).toBe(true);
    const after = store.getState();
    expect(after.dataset.videos.map((v) => v.path)).toEqual(['Set/a.mp4', 'Set/b.mp4', 'Set/c.mp4']);
    expect(after.dataset.openVideoId).toBe(b.id);
    expect(instanceNames(store)).toEqual(['dog']);
    expect(after.dataset.availability[b.id]).toEqual({ state: 'available', keeping: 'copy' });
    expect(media.keys(projectId)).toContain('videos/Set/b.mp4');
    const saved = await savedDocument(setup);
    expect(saved.videos).toHaveLength(3);
    expect(saved.work[b.id]).toEqual(objectWork('dog', 3));
  });

  it('a file of the same name but another size is a new video, not the missing one', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', work: objectWork('dog', 3), facts: FACTS }]);
    const { store, media, projectId, videos } = setup;
    media.lose(projectId, videoMediaKey(videos[1]!));
    await store.getState().refreshAvailability();
    expect(await store.getState().openVideo({ kind: 'file', file: videoFile('bigger'), name: 'b.mp4' })).toBe(true);
    expect(store.getState().dataset.videos.map((v) => v.path)).toEqual(['Set/a.mp4', 'Set/b.mp4', 'b.mp4']);
    expect(instanceNames(store)).toEqual([]);
    expect(store.getState().dataset.availability[videos[1]!.id]?.state).toBe('missing');
    expect((await savedDocument(setup)).work[videos[1]!.id]).toEqual(objectWork('dog', 3));
  });

  it('two missing videos of one name in different folders: a file of that name is neither of them (which one cannot be told)', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', path: 'One/clip.mp4', work: objectWork('dog', 3) }, { tag: 'c', path: 'Two/clip.mp4', work: objectWork('cat', 4) }]);
    const { store, media, projectId, videos } = setup;
    for (const v of videos.slice(1)) media.lose(projectId, videoMediaKey(v));
    await store.getState().refreshAvailability();
    expect(await store.getState().openVideo({ kind: 'file', file: videoFile('b'), name: 'clip.mp4' })).toBe(true);
    expect(store.getState().dataset.videos.map((v) => v.path)).toEqual(['Set/a.mp4', 'One/clip.mp4', 'Two/clip.mp4', 'clip.mp4']);
    expect(instanceNames(store)).toEqual([]);
    const saved = await savedDocument(setup);
    expect([saved.work[videos[1]!.id], saved.work[videos[2]!.id]]).toEqual([objectWork('dog', 3), objectWork('cat', 4)]);
  });

  it('a folder waiting for permission: said; refused, the video stays unavailable with its work; granted, it opens', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', work: objectWork('dog', 3) }]);
    const { store, media, projectId, videos } = setup;
    const b = videos[1]!;
    media.block(projectId, videoMediaKey(b));

    expect(await store.getState().switchVideo(b.id)).toBe(false);
    expect(store.getState().dataset.message).toBe('“Set/b.mp4” is in a folder this browser needs your permission to read again: choose “Reconnect files”.');
    expect(store.getState().dataset.availability[b.id]).toEqual({ state: 'needs-permission', keeping: 'reference' });

    media.refuse = true;
    await store.getState().reconnectMedia();
    expect(store.getState().dataset.message).toBe('Access was refused to a folder or file of this project: its videos stay unavailable (their work is kept). Choose “Reconnect files” again to allow it.');
    expect(store.getState().dataset.availability[b.id]).toEqual({ state: 'needs-permission', keeping: 'reference' });
    expect(await store.getState().switchVideo(b.id)).toBe(false);
    expect(store.getState().video.info?.name).toBe('a.mp4');
    expect((await savedDocument(setup)).work[b.id]).toEqual(objectWork('dog', 3));

    media.refuse = false;
    await store.getState().reconnectMedia();
    expect(store.getState().dataset.message).toBeNull();
    expect(store.getState().dataset.availability[b.id]).toEqual({ state: 'available', keeping: 'copy' });
    expect(await store.getState().switchVideo(b.id)).toBe(true);
    expect(store.getState().video.info?.name).toBe('b.mp4');
    expect(instanceNames(store)).toEqual(['dog']);
  });

  describe('the disk fills up while a picked dataset is copied into the browser', () => {
    const bench: TestVideo[] = [{ tag: 'x' }, { tag: 'y' }, { tag: 'z' }];
    const items = bench.map((v, n) => qaItem({ id: `item-${n}`, instanceId: null, frame: null, projectVideoId: videoId(v.tag), promptImage: `frames/Set/${v.tag}.jpg`, framePath: `Set/${v.tag}.jpg`, videoPath: pathOf(v) }));
    // Videos first, then their frames (as the import lists them).
    const sources: ProjectFileSource[] = [
      ...bench.map((v) => ({ key: videoMediaKey({ path: pathOf(v) }), file: videoFile(v.tag) })),
      ...bench.map((v) => ({ key: `frames/Set/${v.tag}.jpg`, file: new Blob([`image of ${v.tag}`]) })),
    ].map(({ key, file }) => ({ key, size: file.size, blob: async () => file }));

    it.each([0, 2, 4])('after %i copies: how many are kept is said, the rest is read from the pick, the project is whole and saved', async (room) => {
      const setup = await datasetStore([{ tag: 'a' }]);
      const { store, media, projects } = setup;
      media.failAfter = media.copies + room;
      await store.getState().createDatasetProject('Bench', datasetDocument(bench, { qaItems: items }), { folder: null, files: sources });
      const benchId = store.getState().project.current!.id;
      expect(benchId).not.toBe(setup.projectId);
      await until(store, (s) => s.dataset.message !== null, 'the copy failure is said');

      const s = store.getState();
      expect(s.dataset.message).toBe(
        `The browser ran out of storage space while copying the dataset: ${room} of 6 files are kept, ${6 - room} are not (${sources[room]!.key} and after). They can be used until this page is closed; then open the folder again, or free space (remove projects you no longer need).`,
      );
      expect(s.dataset.copying).toBeNull();
      expect(media.keys(benchId).sort()).toEqual(sources.slice(0, room).map((f) => f.key).sort());
      // Every file, copied or not, reads back as it was picked (this session).
      for (const f of sources) {
        const read = await store.getState().readProjectFile(f.key);
        expect(read.ok && (await read.file.text()), f.key).toBe(await (await f.blob()).text());
      }
      expect(s.video.info?.name).toBe('x.mp4');
      expect(await store.getState().switchVideo(videoId('z'))).toBe(true);
      // The project and its items are whole, and saved.
      expect(store.getState().qa.history.present.map((i) => i.id)).toEqual(items.map((i) => i.id));
      await store.getState().saveNow();
      const saved = await projects.loadDocument(benchId);
      expect(saved?.videos.map((v) => v.path)).toEqual(['Set/x.mp4', 'Set/y.mp4', 'Set/z.mp4']);
      expect(saved?.qaItems.map((i) => [i.id, i.projectVideoId, i.promptImage])).toEqual(items.map((i) => [i.id, i.projectVideoId, i.promptImage]));
    });
  });

  it('the copying of a dataset is shown with its own project only; a failure while another project is open is said on coming back', async () => {
    const setup = await datasetStore([{ tag: 'a' }]);
    const { store, media } = setup;
    const bench: TestVideo[] = [{ tag: 'x' }, { tag: 'y' }];
    const gate = deferred();
    const files: ProjectFileSource[] = bench.map((v, n) => {
      const file = videoFile(v.tag);
      // The second file is read slowly (a large video).
      return { key: videoMediaKey({ path: pathOf(v) }), size: file.size, blob: async () => (n === 1 ? gate.promise.then(() => file) : file) };
    });
    media.failAfter = media.copies + 1;
    await store.getState().createDatasetProject('Bench', datasetDocument(bench), { folder: null, files });
    const benchId = store.getState().project.current!.id;
    await until(store, (s) => s.dataset.copying !== null, 'the copying shows');
    expect(store.getState().dataset.copying).toEqual({ done: 1, total: 2 });

    await store.getState().newProject('Empty');
    expect(store.getState().dataset.copying).toBeNull();
    expect(await store.getState().openProject(setup.projectId)).toBe(true);
    expect(store.getState().dataset.copying).toBeNull();
    gate.resolve();
    await settleABit();
    expect(store.getState().dataset.message).toBeNull();
    expect(store.getState().dataset.copying).toBeNull();

    expect(await store.getState().openProject(benchId)).toBe(true);
    await until(store, (s) => s.dataset.message !== null, 'the failure is said');
    expect(store.getState().dataset.message).toMatch(/^The browser ran out of storage space while copying the dataset: 1 of 2 files are kept, 1 are not \(videos\/Set\/y\.mp4 and after\)/);
  });

  it('a V2P-Bench folder none of whose videos is there imports nothing and makes no project', async () => {
    const record = (video: string, frame: string) => ({ video_id: video, video_path: video, duration: 3, question: 'What is in the box?\nA: 1\nB: 2', answer: 'A', source: 'S', frame_path: frame, dimension: 1, category: 1 });
    const records = [record('S/a.mp4', 'S/a.jpg'), record('S/b.mp4', 'S/b.jpg'), record('T/c.mp4', 'T/c1.jpg'), record('T/c.mp4', 'T/c2.jpg')];
    const entry = (name: string, data: string): ArchiveEntry => {
      const blob = new Blob([data]);
      return { name, size: blob.size, read: async () => new Uint8Array(await blob.arrayBuffer()), blob: async () => blob };
    };
    // The folder as the browser's folder input gives it: its frames are there, its videos are not.
    const entries = [entry('bench/dataset_info.json', JSON.stringify(records)), ...['S/a.jpg', 'S/b.jpg', 'T/c1.jpg', 'T/c2.jpg'].map((f) => entry(`bench/frames/${f}`, 'jpeg'))];
    const picked = [Object.defineProperty(new File([''], 'dataset_info.json'), 'webkitRelativePath', { value: 'bench/dataset_info.json' })];
    const setup = await datasetStore([{ tag: 'a' }], { qaItems: [qaItem({ id: 'mine', projectVideoId: videoId('a') })], datasetFiles: { readFolder: async () => ({ ok: true, entries }) } });
    const { store, projects } = setup;
    const before = await projects.list();

    await store.getState().importDataset(picked);
    const s = store.getState();
    expect(s.qa.error).toBe('Nothing was imported: None of the 3 videos the dataset names is in “bench”: S/a.mp4 (1 item), S/b.mp4 (1 item) and T/c.mp4 (2 items).');
    expect(s.qa.report).toBeNull();
    expect(await projects.list()).toEqual(before);
    expect(s.project.current?.id).toBe(setup.projectId);
    expect(s.qa.history.present.map((i) => i.id)).toEqual(['mine']);
    expect(s.transfer.busy).toBeNull();
  });
});
