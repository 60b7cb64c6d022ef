/**
 * Datasets out and in through the real store: a V2P-Bench folder imported and exported again gives
 * back its records field by field, its frame images and its videos byte for byte; the export's
 * studio.json restores the project (videos, items, every video's work), with the videos or, left
 * out, as missing videos that take their file back when it is opened again. Items made here on
 * several videos are exported with frames of their own video.
 */
import { describe, expect, it } from 'vitest';
import { annotationKey, type AnnotationDoc } from '../core/annotation/model';
import { indexMapOfFrame, rlesFromIndexMap } from '../core/formats/davisIndex';
import { encodeRle, maskFromPredicate, type Rle } from '../core/mask/rle';
import { videoMediaKey, type ProjectDocument } from '../core/project/document';
import type { V2pRecord } from '../core/qa/v2p';
import { datasetStore, frameUrl, videoFile, videoId, type DatasetSetUp } from '../testing/datasetTestKit';
import { qaItem } from '../testing/qaTestKit';
import { until } from '../testing/reviewTestKit';
import { streetObjectRle } from '../testing/streetVideo';
import type { AppStore } from './appStore';
import type { ArchiveEntry, DatasetFiles, ExportEntry } from './deps';

/** A ZIP as the export wrote it: its entries in order, their bytes as they would be stored. */
interface Zip {
  readonly name: string;
  readonly entries: readonly { readonly name: string; readonly bytes: Uint8Array }[];
}

async function bytesOf(data: ExportEntry['data']): Promise<Uint8Array> {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  return new Uint8Array(await data.arrayBuffer());
}

const entry = (name: string, bytes: Uint8Array): ArchiveEntry => ({ name, size: bytes.byteLength, read: async () => bytes, blob: async () => new Blob([bytes as Uint8Array<ArrayBuffer>]) });

/** The DAVIS PNG encoder's calls (`encode <frames>`) and the entries written (`write <name>`), in order. */
interface DavisLog {
  readonly events: string[];
  inFlight: number;
  mostInFlight: number;
}

/**
 * File I/O that keeps what the export writes (`zips`) and reads it back as the ZIP of that name,
 * and gives a picked folder's files (`folder`), as the browser's adapters would list them. A DAVIS
 * "PNG" is its index map's bytes (the PNG codec is the adapter's, tested on its own).
 */
function zipFiles(folder: readonly ArchiveEntry[] = []): Partial<DatasetFiles> & { readonly zips: Zip[]; readonly davis: DavisLog } {
  const zips: Zip[] = [];
  const davis: DavisLog = { events: [], inFlight: 0, mostInFlight: 0 };
  return {
    zips,
    davis,
    saveZip: async (name, entries) => {
      const out: { name: string; bytes: Uint8Array }[] = [];
      for await (const e of entries) {
        if (e.name.startsWith('masks/davis/')) davis.events.push(`write ${e.name}`);
        out.push({ name: e.name, bytes: await bytesOf(e.data) });
      }
      zips.push({ name, entries: out });
      return 'saved';
    },
    readZip: async (file) => {
      const zip = zips.find((z) => z.name === (file as File).name);
      return zip ? { ok: true, entries: zip.entries.map((e) => entry(e.name, e.bytes)) } : { ok: false, error: 'not a ZIP this test wrote' };
    },
    readFolder: async () => ({ ok: true, entries: folder }),
    encodeDavisPngs: async ({ width, height, frames }) => {
      davis.events.push(`encode ${frames.map((f) => f.frame).join(',')}`);
      davis.mostInFlight = Math.max(davis.mostInFlight, ++davis.inFlight);
      // As a worker would: the answer comes later.
      await new Promise((resolve) => setTimeout(resolve, 2));
      davis.inFlight--;
      return frames.map((f) => ({ frame: f.frame, png: indexMapOfFrame(f, { width, height }) }));
    },
  };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const files = (zip: Zip, prefix: string): Record<string, string> => Object.fromEntries(zip.entries.filter((e) => e.name.startsWith(prefix)).map((e) => [e.name, text(e.bytes)]));
const zipEntry = (zip: Zip, name: string): Uint8Array => {
  const found = zip.entries.find((e) => e.name === name);
  if (!found) throw new Error(`${name} is not in ${zip.name}`);
  return found.bytes;
};

/** V2P-Bench as distributed, in small: two clip.mp4 in different folders, a frame_path list, MC and open questions. */
const RECORDS: V2pRecord[] = [
  { video_id: 'beta_clip', video_path: 'Beta/clip.mp4', duration: 3, question: 'What number is written inside the highlighted box?\nA: 12\nB: 30\nC: 40\nD: 50\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.', answer: 'B', source: 'Beta', frame_path: 'Beta/clip.jpg', dimension: 1, category: 1 },
  { video_id: 'alpha_clip', video_path: 'Alpha/clip.mp4', duration: 2, question: 'How many white squares are in the grey strip above the target in the highlighted box?\nA: 4\nB: 3\nC: 2\nD: 1\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.', answer: 'C', source: 'Alpha', frame_path: 'Alpha/clip.jpg', dimension: 14, category: 2 },
  { video_id: 'beta_clip', video_path: 'Beta/clip.mp4', duration: 3, question: 'What number is written inside the highlighted box, and what number is shown one second later?', answer: '40, then 65', source: 'Beta', frame_path: 'Beta/clip_0040.jpg', dimension: 9, category: 3 },
  { video_id: 'beta_walk', video_path: 'Beta/walk.mp4', duration: 2.4, question: 'How many frames apart are the two frames with a highlighted box?\nA: 38\nB: 25\nC: 12\nD: 50\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.', answer: 'A', source: 'Beta', frame_path: ['Beta/walk_0012.jpg', 'Beta/walk_0050.jpg'], dimension: 10, category: 4 },
];
/** Each video's bytes name it (the test opener reads them back); sizes differ, as real files' do. */
const VIDEOS: Record<string, Blob> = { 'Beta/clip.mp4': videoFile('betaclip'), 'Alpha/clip.mp4': videoFile('alphaclip0'), 'Beta/walk.mp4': videoFile('betawalk00') };
const FRAMES = ['Beta/clip.jpg', 'Alpha/clip.jpg', 'Beta/clip_0040.jpg', 'Beta/walk_0012.jpg', 'Beta/walk_0050.jpg'];
const frameBytes = (path: string): Uint8Array => new TextEncoder().encode(`\xff\xd8 jpeg of ${path}`);

async function benchFolder(): Promise<ArchiveEntry[]> {
  const videos = await Promise.all(Object.entries(VIDEOS).map(async ([path, blob]) => entry(`bench/videos/${path}`, new Uint8Array(await blob.arrayBuffer()))));
  return [entry('bench/dataset_info.json', new TextEncoder().encode(JSON.stringify(RECORDS))), ...videos, ...FRAMES.map((f) => entry(`bench/frames/${f}`, frameBytes(f)))];
}

/** The folder as the browser's folder input gives it (the files themselves come from `readFolder`). */
const picked = [Object.defineProperty(new File([''], 'dataset_info.json'), 'webkitRelativePath', { value: 'bench/dataset_info.json' })];

/** A 64×48 mask of the rectangle [x0, x1) × [y0, y1). */
const rect = (x0: number, y0: number, x1: number, y1: number): Rle => encodeRle(maskFromPredicate(64, 48, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1));

/** One object `id` with a mask on `frame` (the street object's unless said). */
const objectOn = (id: string, frame: number, rle: Rle = streetObjectRle()): AnnotationDoc => ({
  instances: [{ id, name: id, color: '#0f0', visible: true }],
  activeId: id,
  frames: { [annotationKey(id, frame)]: { prompts: [{ kind: 'box', x0: 20, y0: 10, x1: 30, y1: 22 }], mask: { rle, score: 0.9 } } },
});
const SQUARE = rect(40, 30, 50, 40);

const idOfPath = (store: AppStore, path: string): string => store.getState().dataset.videos.find((v) => v.path === path)!.id;

/** A store on a small project, a V2P-Bench folder imported into a new one, its copies made, and work on two of its videos. */
async function imported(): Promise<{ setup: DatasetSetUp; io: ReturnType<typeof zipFiles>; doc: ProjectDocument }> {
  const io = zipFiles(await benchFolder());
  const setup = await datasetStore([{ tag: 'x' }], { datasetFiles: io });
  const { store } = setup;
  await store.getState().importDataset(picked);
  expect(store.getState().qa.error).toBeNull();
  expect(store.getState().project.current?.name).toBe('bench');
  await until(store, (s) => s.dataset.copying === null, 'the dataset to be copied');
  // Work on the open video (the first with its file) and on the other clip.mp4.
  expect(store.getState().dataset.openVideoId).toBe(idOfPath(store, 'Beta/clip.mp4'));
  store.getState().replaceAnnotations(objectOn('walker', 5));
  expect(await store.getState().switchVideo(idOfPath(store, 'Alpha/clip.mp4'))).toBe(true);
  store.getState().replaceAnnotations(objectOn('square', 5, SQUARE));
  await store.getState().saveNow();
  return { setup, io, doc: store.getState().projectDocument() };
}

/** The work, items and videos of a project, as studio.json must carry them (what opening a video learns aside). */
const carried = (doc: ProjectDocument) => ({ videos: doc.videos.map((v) => ({ id: v.id, path: v.path })), qaItems: doc.qaItems, work: doc.work });

describe('a V2P-Bench dataset imported and exported again', () => {
  it('gives back its records field by field, its frames and videos byte for byte, and a studio.json that restores the project', async () => {
    const { setup, io, doc } = await imported();
    const { store } = setup;
    await store.getState().exportDataset({ includeVideos: true });
    expect(store.getState().qa.error).toBeNull();
    expect(store.getState().qa.report).toBe('Exported 4 QA items.');
    const zip = io.zips.at(-1)!;
    expect(zip.name).toBe('bench-dataset.zip');
    const names = zip.entries.map((e) => e.name);
    expect(new Set(names).size, 'entry names are unique').toBe(names.length);

    // The records as the benchmark had them: same order, same fields (in its key order), same values.
    const records = JSON.parse(text(zipEntry(zip, 'dataset_info.json'))) as V2pRecord[];
    expect(records).toEqual(RECORDS);
    expect(records.map((r) => Object.keys(r))).toEqual(RECORDS.map((r) => Object.keys(r)));
    // frames/ and videos/: the same files under the same names.
    expect(files(zip, 'frames/')).toEqual(Object.fromEntries(FRAMES.map((f) => [`frames/${f}`, text(frameBytes(f))])));
    const videos = Object.fromEntries(await Promise.all(Object.entries(VIDEOS).map(async ([path, blob]) => [`videos/${path}`, await blob.text()])));
    expect(files(zip, 'videos/')).toEqual(videos);
    // Masks under a name of each video's own: the two clip.mp4 do not share masks/davis/clip/.
    expect(Object.keys(files(zip, 'masks/davis/')).sort()).toEqual(['masks/davis/Alpha_clip/00005.png', 'masks/davis/Beta_clip/00005.png']);
    expect(rlesFromIndexMap(zipEntry(zip, 'masks/davis/Beta_clip/00005.png'), 64, 48)).toEqual(new Map([[1, streetObjectRle()]]));
    expect(rlesFromIndexMap(zipEntry(zip, 'masks/davis/Alpha_clip/00005.png'), 64, 48).get(1)).toEqual(SQUARE);

    // studio.json restores it as a new project: the same videos, items and work, every file readable.
    const before = (await setup.projects.list()).length;
    await store.getState().importDataset(new File([], 'bench-dataset.zip'));
    let s = store.getState();
    expect(s.qa.error).toBeNull();
    expect(s.qa.report).toBe('Restored “bench”: 3 videos, 2 objects, 4 QA items, 0 queries.');
    expect(await setup.projects.list()).toHaveLength(before + 1);
    expect(carried(s.projectDocument())).toEqual(carried(doc));
    for (const v of s.dataset.videos) expect((await s.readProjectFile(videoMediaKey(v))).ok, v.path).toBe(true);
    for (const f of FRAMES) expect((await s.readProjectFile(`frames/${f}`)).ok, f).toBe(true);

    // Its masks/coco.json goes back onto the same videos (each clip.mp4 its own masks).
    const coco = new File([zipEntry(zip, 'masks/coco.json') as Uint8Array<ArrayBuffer>], 'coco.json');
    await store.getState().importCocoMasks(coco);
    s = store.getState();
    expect(s.qa.report).toBe('Imported 2 objects with 2 masks on 2 videos from coco.json: 1 object on “Beta/clip.mp4”, 1 object on the open video. Masks put on a video that is not open cannot be undone.');
    const alpha = s.annotation.history.present;
    expect(alpha.instances.map((i) => i.name)).toEqual(['square', 'COCO square 2']);
    expect(alpha.frames[annotationKey(alpha.instances[1]!.id, 5)]?.mask?.rle).toEqual(SQUARE);
    const beta = s.dataset.stash[idOfPath(store, 'Beta/clip.mp4')]!;
    expect(beta.instances.map((i) => i.name)).toEqual(['walker', 'COCO walker 1']);
    expect(beta.frames[annotationKey(beta.instances[1]!.id, 5)]?.mask?.rle).toEqual(streetObjectRle());
    store.getState().undo();
    // Its videos open with their work.
    expect(await store.getState().switchVideo(idOfPath(store, 'Alpha/clip.mp4'))).toBe(true);
    s = store.getState();
    expect(s.video.info?.name).toBe('clip.mp4');
    expect(s.annotation.history.present.instances.map((i) => i.name)).toEqual(['square']);
  });

  it('without its videos: the report says so, and after import each video is missing until its file is opened again, which takes its place with its work', async () => {
    const { setup, io, doc } = await imported();
    const { store } = setup;
    await store.getState().exportDataset({ includeVideos: false });
    expect(store.getState().qa.report).toBe('Exported 4 QA items; the videos themselves were left out (studio.json names them and their sizes, to reconnect them on import).');
    const zip = io.zips.at(-1)!;
    expect(files(zip, 'videos/')).toEqual({});
    expect(Object.keys(files(zip, 'frames/'))).toHaveLength(FRAMES.length);

    await store.getState().importDataset(new File([], 'bench-dataset.zip'));
    let s = store.getState();
    expect(s.qa.report).toBe('Restored “bench”: 3 videos, 2 objects, 4 QA items, 0 queries; its videos were not in the archive: open them again to see them.');
    expect(carried(s.projectDocument())).toEqual(carried(doc));
    await until(store, (st) => Object.keys(st.dataset.availability).length === 3, 'the availability of the videos');
    s = store.getState();
    expect(s.video.info).toBeNull();
    expect(s.dataset.videos.map((v) => [v.path, s.dataset.availability[v.id]?.state])).toEqual([
      ['Beta/clip.mp4', 'missing'],
      ['Alpha/clip.mp4', 'missing'],
      ['Beta/walk.mp4', 'missing'],
    ]);
    expect(await store.getState().switchVideo(idOfPath(store, 'Beta/walk.mp4'))).toBe(false);
    expect(store.getState().dataset.message).toMatch(/^“Beta\/walk\.mp4” cannot be opened: /);

    // Opening each file again (same name and size) takes its missing video's place; its work is there.
    const ids = s.dataset.videos.map((v) => v.id);
    for (const [path, work] of [['Beta/clip.mp4', ['walker']], ['Alpha/clip.mp4', ['square']], ['Beta/walk.mp4', []]] as const) {
      expect(await store.getState().openVideo({ kind: 'file', file: VIDEOS[path]!, name: path.split('/')[1]! })).toBe(true);
      s = store.getState();
      expect(s.dataset.videos.map((v) => v.id), `${path} is no new video`).toEqual(ids);
      expect(s.dataset.openVideoId).toBe(idOfPath(store, path));
      expect(s.dataset.availability[s.dataset.openVideoId!]).toEqual({ state: 'available', keeping: 'copy' });
      expect(s.annotation.history.present.instances.map((i) => i.name)).toEqual(work);
    }
    expect(carried(store.getState().projectDocument())).toEqual(carried(doc));
  });
});

describe('items made here on several videos', () => {
  it('are exported with the visual prompt frame rendered from their own video, named in their records', async () => {
    const man = objectOn('man', 5);
    const dog = objectOn('dog', 3);
    const io = zipFiles();
    const setup = await datasetStore(
      [
        { tag: 'a', work: { ...man, queries: [], masklets: {} } },
        { tag: 'b', work: { ...dog, queries: [], masklets: {} } },
      ],
      {
        datasetFiles: io,
        qaItems: [
          qaItem({ id: 'on-a', videoId: '', instanceId: 'man', frame: 5, projectVideoId: videoId('a') }),
          qaItem({ id: 'on-b', videoId: '', instanceId: 'dog', frame: 3, projectVideoId: videoId('b'), question: 'Where does <vp> go?' }),
        ],
      },
    );
    const { store, library } = setup;
    library.encodes.length = 0;
    await store.getState().exportDataset({ includeVideos: false });
    expect(store.getState().qa.error).toBeNull();
    expect(store.getState().qa.report).toBe('Exported 2 QA items; the videos themselves were left out (studio.json names them and their sizes, to reconnect them on import).');
    // Each frame was encoded by its own video's source: a's by the open decoder, b's by one opened for it.
    expect(library.encodes).toEqual([
      { tag: 'a', indices: [5] },
      { tag: 'b', indices: [3] },
    ]);
    const zip = io.zips.at(-1)!;
    const records = JSON.parse(text(zipEntry(zip, 'dataset_info.json'))) as V2pRecord[];
    expect(records.map((r) => [r.video_path, r.frame_path])).toEqual([
      ['Set/a.mp4', 'a/0001_on-a.jpg'],
      ['Set/b.mp4', 'b/0002_on-b.jpg'],
    ]);
    // The image under each record's frame_path is that video's frame (its bytes name video and frame).
    const image = (url: string): string => atob(url.slice(url.indexOf(',') + 1));
    expect(text(zipEntry(zip, 'frames/a/0001_on-a.jpg'))).toBe(image(frameUrl('a', 5)));
    expect(text(zipEntry(zip, 'frames/b/0002_on-b.jpg'))).toBe(image(frameUrl('b', 3)));
    // And their masks: one YouTube-VIS file with both videos, DAVIS PNGs per video.
    const coco = JSON.parse(text(zipEntry(zip, 'masks/coco.json'))) as { videos: { file_names: string[] }[] };
    expect(coco.videos.map((v) => v.file_names[0])).toEqual(['a/00000.jpg', 'b/00000.jpg']);
  });
});

describe('the DAVIS masks of a long propagated video', () => {
  it('are made in batches off the caller, one batch ahead at most, and written in frame order with later objects over earlier ones', async () => {
    const { setup, io } = await imported();
    const { store } = setup;
    // Two objects on frames 0..39 of the open video; the second covers part of the first on even frames.
    const frames: Record<string, AnnotationDoc['frames'][string]> = {};
    for (let f = 0; f < 40; f++) {
      frames[annotationKey('a', f)] = { prompts: [{ kind: 'box', x0: f, y0: 0, x1: f + 10, y1: 20 }], mask: { rle: rect(f, 0, f + 10, 20), score: 0.9 } };
      if (f % 2 === 0) frames[annotationKey('b', f)] = { prompts: [{ kind: 'box', x0: f + 5, y0: 10, x1: f + 20, y1: 30 }], mask: { rle: rect(f + 5, 10, f + 20, 30), score: 0.9 } };
    }
    store.getState().replaceAnnotations({ instances: [{ id: 'a', name: 'a', color: '#0f0', visible: true }, { id: 'b', name: 'b', color: '#f00', visible: true }], activeId: 'a', frames });
    await store.getState().saveNow();
    io.davis.events.length = 0;
    await store.getState().exportDataset({ includeVideos: false });
    expect(store.getState().qa.error).toBeNull();
    const range = (from: number, to: number): string => Array.from({ length: to - from }, (_, i) => from + i).join(',');
    const alpha = (e: string): boolean => !e.includes('Beta_clip') && e !== 'encode 5';
    const png = (f: number): string => `write masks/davis/Alpha_clip/${String(f).padStart(5, '0')}.png`;
    // Batches of 16 frames; the next batch is asked for before the entries of this one are written, never two at once.
    expect(io.davis.events.filter(alpha)).toEqual([`encode ${range(0, 16)}`, `encode ${range(16, 32)}`, ...range(0, 16).split(',').map((f) => png(Number(f))), `encode ${range(32, 40)}`, ...range(16, 40).split(',').map((f) => png(Number(f)))]);
    expect(io.davis.mostInFlight).toBe(1);
    const zip = io.zips.at(-1)!;
    const names = zip.entries.map((e) => e.name).filter((n) => n.startsWith('masks/davis/Alpha_clip/'));
    expect(names).toEqual(Array.from({ length: 40 }, (_, f) => `masks/davis/Alpha_clip/${String(f).padStart(5, '0')}.png`));
    for (const f of [0, 1, 17, 38, 39]) {
      const index = zipEntry(zip, names[f]!);
      const at = (x: number, y: number): number => index[y * 64 + x]!;
      // Where only a is: 1; where b is (even frames): 2, over a; elsewhere 0.
      expect([at(f, 5), at(f + 7, 15), at(f + 15, 25), at(f + 30 > 63 ? 0 : f + 30, 45)]).toEqual([1, f % 2 === 0 ? 2 : 1, f % 2 === 0 ? 2 : 0, 0]);
    }
  });
});
