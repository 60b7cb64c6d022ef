/**
 * Importing a V2P-Bench dataset_info.json through the store: a file over the dataset limit is
 * refused before it is read; one with more items than the threshold waits for the user's choice
 * (cancel changes nothing, add appends, a new project keeps them apart); progress is shown while
 * it is read and checked. Importing COCO / YouTube-VIS masks onto the open video: the right video
 * of the file, one object per track with its masks as anchors, one undoable step; a mismatched or
 * malformed file changes nothing and says why. And onto every video of a dataset the file names:
 * the others' work gets theirs (saved, not undoable), a video never opened is opened to learn its
 * size, videos not in the project or that do not fit are named.
 */
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_BYTES } from '../core/formats/zipPaths';
import { annotationKey } from '../core/annotation/model';
import { compressRle, encodeRle, maskFromPredicate, type Rle } from '../core/mask/rle';
import { CONFIRM_IMPORT_ITEMS, type DatasetImportProgress } from '../core/qa/datasetImport';
import type { V2pRecord } from '../core/qa/v2p';
import { agentTestDeps, noFiles } from '../testing/agentTestDeps';
import { memoryProjects } from '../testing/memoryProjects';
import { qaItem } from '../testing/qaTestKit';
import { idleSegmenter } from '../testing/segmenterStubs';
import { STREET_H, STREET_W, streetVideo } from '../testing/streetVideo';
import { createAppStore, type AppStore } from './appStore';
import type { AppDeps } from './deps';
import { videoMediaKey, type VideoWork } from '../core/project/document';
import { datasetStore } from '../testing/datasetTestKit';
import { until } from '../testing/reviewTestKit';

const record = (i: number): V2pRecord => ({
  video_id: `v_${i % 7}`,
  video_path: `S/v_${i % 7}.mp4`,
  duration: 20,
  question: `What happens in clip ${i}?`,
  answer: 'It stops.',
  source: 'S',
  frame_path: `S/f_${i}.jpg`,
  dimension: 9,
  category: 1,
});

const datasetFile = (count: number, name = 'dataset_info.json'): File => new File([JSON.stringify(Array.from({ length: count }, (_, i) => record(i)))], name, { type: 'application/json' });

/** A store on the street video with one QA item; `parse` stands in for the worker (default: the core's parser on this thread). */
async function setUp(parse: AppDeps['files']['parseDataset'] = noFiles.parseDataset) {
  const projects = memoryProjects();
  const progress: DatasetImportProgress[] = [];
  let parses = 0;
  const store = createAppStore({
    videoOpener: streetVideo(),
    clock: { now: () => 0, nextFrame: () => () => {} },
    segmenter: idleSegmenter,
    projects,
    ...agentTestDeps(),
    files: {
      ...noFiles,
      parseDataset: (file, name, onProgress) => {
        parses++;
        return parse(file, name, (p) => {
          progress.push(p);
          onProgress(p);
        });
      },
    },
  });
  await store.getState().startup({ kind: 'url', url: 'http://x/street.mp4' });
  store.getState().addQaItems([qaItem({ id: 'own', instanceId: null })]);
  await store.getState().saveNow();
  return { store, projects, progress, parses: () => parses };
}

/** Resolves once the import asks (or has ended). */
async function asked(store: AppStore): Promise<void> {
  for (let i = 0; i < 500 && store.getState().transfer.confirm === null && store.getState().transfer.busy !== null; i++) await new Promise((r) => setTimeout(r, 2));
}

describe('importing a dataset_info.json', () => {
  it('refuses a file over the dataset limit before reading it, naming the file, its size and the limit', async () => {
    const { store, parses } = await setUp();
    const big = new File([new Uint8Array(MAX_IMPORT_BYTES.dataset + 1024 * 1024)], 'huge_benchmark.json');
    await store.getState().importDataset(big);
    expect(store.getState().qa.error).toBe('Nothing was imported: "huge_benchmark.json" is 65 MiB, more than the 64 MiB allowed for a dataset_info.json');
    expect(parses()).toBe(0);
    expect(store.getState().qa.history.present).toHaveLength(1);
    expect(store.getState().transfer.busy).toBeNull();
  });

  it('adds a small file at once, with progress while it is read and checked', async () => {
    const { store, progress } = await setUp();
    await store.getState().importDataset(datasetFile(300));
    expect(store.getState().qa.history.present).toHaveLength(301);
    expect(store.getState().qa.report).toMatch(/^Imported 300 QA items from dataset_info\.json\. Videos: 0 of 7 found/);
    expect(progress.map((p) => p.phase)).toContain('checking');
    expect(progress.at(-1)).toEqual({ phase: 'checking', done: 300, total: 300 });
    expect(store.getState().transfer.importProgress).toBeNull();
  });

  it('shows no progress once the file is read, even when a report arrives after the result', async () => {
    let late: (() => void) | null = null;
    const { store } = await setUp(async (file, name, onProgress) => {
      const parsed = await noFiles.parseDataset(file, name, () => {});
      late = () => onProgress({ phase: 'checking', done: 10, total: 300 });
      return parsed;
    });
    await store.getState().importDataset(datasetFile(300));
    late!();
    expect(store.getState().transfer.importProgress).toBeNull();
  });

  it('asks before adding more than the threshold: cancel changes nothing', async () => {
    const { store, projects } = await setUp();
    const before = store.getState().qa.history.present;
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1, 'bench.json'));
    await asked(store);
    expect(store.getState().transfer.confirm).toEqual({ name: 'bench.json', count: CONFIRM_IMPORT_ITEMS + 1, projectName: 'bench' });
    expect(store.getState().qa.history.present).toBe(before);
    store.getState().chooseImport('cancel');
    await done;
    expect(store.getState().qa.history.present).toBe(before);
    expect(store.getState().transfer).toMatchObject({ busy: null, confirm: null });
    expect((await projects.list()).length).toBe(1);
  });

  it('adds them to this project when asked to, as one undoable step', async () => {
    const { store } = await setUp();
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1));
    await asked(store);
    store.getState().chooseImport('add');
    await done;
    expect(store.getState().qa.history.present).toHaveLength(CONFIRM_IMPORT_ITEMS + 2);
    store.getState().undoQa();
    expect(store.getState().qa.history.present).toHaveLength(1);
  });

  it('or puts them in a new project, leaving the open one as it was', async () => {
    const { store, projects } = await setUp();
    const first = store.getState().project.current!;
    const done = store.getState().importDataset(datasetFile(CONFIRM_IMPORT_ITEMS + 1, 'bench.json'));
    await asked(store);
    store.getState().chooseImport('new-project');
    await done;
    expect(store.getState().project.current?.name).toBe('bench');
    expect(store.getState().qa.history.present).toHaveLength(CONFIRM_IMPORT_ITEMS + 1);
    expect(store.getState().qa.report).toMatch(/They are in the new project “bench”\.$/);
    expect((await projects.loadDocument(first.id))?.qaItems).toHaveLength(1);
  });
});

/** A `w`×`h` mask of the rectangle [x0, x1) × [y0, y1). */
const rect = (x0: number, y0: number, x1: number, y1: number, w = STREET_W, h = STREET_H): Rle => encodeRle(maskFromPredicate(w, h, (x, y) => x >= x0 && x < x1 && y >= y0 && y < y1));

interface Track {
  readonly id: number;
  readonly video: number;
  readonly category: number;
  readonly masks: Readonly<Record<number, Rle>>;
}

/** A YouTube-VIS JSON written field by field (not by the app's exporter), as a picked file. */
function cocoFile(videos: readonly { id: number; name: string; width?: number; height?: number; length?: number }[], tracks: readonly Track[], name = 'coco.json'): File {
  const json = {
    videos: videos.map((v) => ({ id: v.id, width: v.width ?? STREET_W, height: v.height ?? STREET_H, length: v.length ?? 200, file_names: Array.from({ length: v.length ?? 200 }, (_, f) => `${v.name}/${String(f).padStart(5, '0')}.jpg`) })),
    categories: [
      { id: 1, name: 'person', supercategory: 'object' },
      { id: 2, name: 'car', supercategory: 'object' },
    ],
    annotations: tracks.map((t) => {
      const length = videos.find((v) => v.id === t.video)?.length ?? 200;
      return { id: t.id, video_id: t.video, category_id: t.category, iscrowd: 0, segmentations: Array.from({ length }, (_, f) => (t.masks[f] ? compressRle(t.masks[f]) : null)) };
    }),
  };
  return new File([JSON.stringify(json)], name, { type: 'application/json' });
}

describe('importing COCO / YouTube-VIS masks', () => {
  const person0 = rect(20, 10, 30, 22);
  const person5 = rect(24, 10, 34, 22);
  const car3 = rect(40, 30, 60, 40);

  it('puts each track of the open video on it as an object with its masks as anchors, and says how many', async () => {
    const { store } = await setUp();
    await store.getState().importCocoMasks(cocoFile([{ id: 7, name: 'street' }], [{ id: 3, video: 7, category: 1, masks: { 0: person0, 5: person5 } }, { id: 4, video: 7, category: 2, masks: { 3: car3 } }]));
    expect(store.getState().qa.error).toBeNull();
    expect(store.getState().qa.report).toBe('Imported 2 objects with 3 masks from coco.json.');
    const doc = store.getState().annotation.history.present;
    expect(doc.instances.map((i) => i.name)).toEqual(['COCO person 3', 'COCO car 4']);
    const [person, car] = doc.instances;
    expect(doc.frames[annotationKey(person!.id, 0)]).toEqual({ prompts: [{ kind: 'box', x0: 20, y0: 10, x1: 30, y1: 22 }], mask: { rle: person0, score: 1 } });
    expect(doc.frames[annotationKey(person!.id, 5)]?.mask?.rle).toEqual(person5);
    expect(doc.frames[annotationKey(car!.id, 3)]?.mask?.rle).toEqual(car3);
    expect(Object.keys(doc.frames)).toHaveLength(3);
  });

  it('takes the video named as the open one from a file with several, and lists them when none is', async () => {
    const { store } = await setUp();
    const other = rect(0, 0, 8, 8);
    const videos = [{ id: 1, name: 'bear' }, { id: 2, name: 'street' }, { id: 3, name: 'dog' }];
    const tracks: Track[] = [{ id: 1, video: 1, category: 2, masks: { 0: other } }, { id: 2, video: 2, category: 1, masks: { 0: person0 } }, { id: 3, video: 3, category: 2, masks: { 1: other } }];
    await store.getState().importCocoMasks(cocoFile(videos, tracks));
    const doc = store.getState().annotation.history.present;
    expect(doc.instances.map((i) => i.name)).toEqual(['COCO person 2']);
    expect(doc.frames[annotationKey(doc.instances[0]!.id, 0)]?.mask?.rle).toEqual(person0);
    store.getState().undo();

    await store.getState().importCocoMasks(cocoFile([videos[0]!, videos[2]!], [tracks[0]!, tracks[2]!], 'zoo.json'));
    expect(store.getState().qa.error).toBe('Nothing was imported: "zoo.json": none of the file\'s 2 videos is named "street"; it has "bear", "dog"');
    expect(store.getState().annotation.history.present.instances).toEqual([]);
  });

  it('uses the only video of a file under another name when its frame size matches, and says so', async () => {
    const { store } = await setUp();
    await store.getState().importCocoMasks(cocoFile([{ id: 1, name: 'clip_0042' }], [{ id: 1, video: 1, category: 1, masks: { 0: person0 } }]));
    expect(store.getState().qa.report).toBe('Imported 1 object with 1 mask from coco.json. The file\'s only video, "clip_0042", is not named "street" but has its frame size (64×48), so its masks were put on this video.');
    expect(store.getState().annotation.history.present.instances).toHaveLength(1);
  });

  it('refuses masks of another size, named or not, and changes nothing', async () => {
    const { store } = await setUp();
    const small = rect(2, 2, 6, 6, 32, 24);
    await store.getState().importCocoMasks(cocoFile([{ id: 1, name: 'street', width: 32, height: 24 }], [{ id: 1, video: 1, category: 1, masks: { 0: small } }]));
    expect(store.getState().qa.error).toBe('Nothing was imported: "coco.json": the file\'s video "street" is 32×24, the open video 64×48');
    await store.getState().importCocoMasks(cocoFile([{ id: 1, name: 'bear', width: 32, height: 24 }], [{ id: 1, video: 1, category: 1, masks: { 0: small } }]));
    expect(store.getState().qa.error).toBe('Nothing was imported: "coco.json": the file\'s only video, "bear", is not named "street" and is 32×24, the open video 64×48');
    expect(store.getState().annotation.history.present.instances).toEqual([]);
    expect(store.getState().annotation.history.past).toHaveLength(0);
  });

  it('refuses a malformed file, or masks on frames the video does not have, naming the problem and changing nothing', async () => {
    const { store } = await setUp();
    const refused = async (file: File): Promise<string | null> => {
      await store.getState().importCocoMasks(file);
      expect(store.getState().annotation.history.present.instances).toEqual([]);
      expect(store.getState().transfer.busy).toBeNull();
      return store.getState().qa.error;
    };
    expect(await refused(new File(['{"videos": ['], 'broken.json'))).toMatch(/^Nothing was imported: "broken\.json" is not JSON: /);
    expect(await refused(new File([JSON.stringify({ videos: [{ id: 1, width: 64, height: 48, length: 1 }] })], 'c.json'))).toMatch(/^Nothing was imported: "c\.json": annotations: /);
    const polygon = { videos: [{ id: 1, width: 64, height: 48, length: 1, file_names: ['street/0.jpg'] }], annotations: [{ id: 1, video_id: 1, category_id: 1, segmentations: [[1, 2, 3, 4, 5, 6]] }] };
    expect(await refused(new File([JSON.stringify(polygon)], 'c.json'))).toBe('Nothing was imported: "c.json": annotations[0].segmentations[0]: polygons are not supported, only RLE masks');
    const long = cocoFile([{ id: 1, name: 'street', length: 300 }], [{ id: 9, video: 1, category: 1, masks: { 0: person0, 250: person0 } }]);
    expect(await refused(long)).toBe('Nothing was imported: "coco.json": track 9 ("person") has a mask on frame 250, but the open video has 200 frames (0–199)');
    expect(await refused(cocoFile([{ id: 1, name: 'street' }], [{ id: 1, video: 1, category: 1, masks: { 4: rect(0, 0, 0, 0) } }]))).toBe('Nothing was imported: "coco.json" has no mask for the video "street" (every track is empty).');
  });

  it('is one undoable step: undo takes every imported object and mask away, redo brings them back', async () => {
    const { store } = await setUp();
    const before = store.getState().annotation.history.present;
    await store.getState().importCocoMasks(cocoFile([{ id: 1, name: 'street' }], [{ id: 1, video: 1, category: 1, masks: { 0: person0, 5: person5 } }, { id: 2, video: 1, category: 2, masks: { 3: car3 } }]));
    expect(store.getState().annotation.history.present.instances).toHaveLength(2);
    store.getState().undo();
    expect(store.getState().annotation.history.present).toBe(before);
    store.getState().redo();
    expect(Object.keys(store.getState().annotation.history.present.frames)).toHaveLength(3);
  });
});

describe('importing COCO / YouTube-VIS masks onto the videos of a dataset', () => {
  const FACTS = { width: 64, height: 48, frameCount: 100, fps: 10, durationS: 10 };
  const person = rect(20, 10, 30, 22);
  const dog = rect(40, 30, 60, 40);
  const dog9 = rect(42, 30, 62, 40);
  /** The video `tag` as a file of 100 frames names it (`<tag>/00000.jpg`, as the app's export writes it). */
  const clip = (id: number, tag: string) => ({ id, name: tag, length: 100 });
  /** Work already on b: one object of its own. */
  const bWork: VideoWork = {
    instances: [{ id: 'own', name: 'Own', color: '#f00', visible: true }],
    activeId: 'own',
    frames: { [annotationKey('own', 2)]: { prompts: [{ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 5 }], mask: { rle: rect(1, 1, 5, 5), score: 0.9 } } },
    queries: [],
    masklets: {},
  };
  const framesOf = (frames: Readonly<Record<string, { readonly mask: { readonly rle: Rle } | null }>>, instanceId: string): Record<string, Rle | undefined> =>
    Object.fromEntries(Object.entries(frames).filter(([k]) => k.startsWith(`${instanceId}@`)).map(([k, f]) => [k.slice(instanceId.length + 1), f.mask?.rle]));

  it('puts each video\'s tracks on its own video: the open one undoably, one not open into its work, a never-opened one after learning its size; a video not in the project is named', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', facts: FACTS, work: bWork }, { tag: 'c' }]);
    const { store, videos, library } = setup;
    const [a, b, c] = [videos[0]!, videos[1]!, videos[2]!];
    expect(c.facts).toBeNull();
    const file = cocoFile(
      [clip(1, 'b'), clip(2, 'zebra'), clip(3, 'a'), clip(4, 'c')],
      [
        { id: 1, video: 1, category: 2, masks: { 0: dog, 9: dog9 } },
        { id: 2, video: 2, category: 1, masks: { 0: person } },
        { id: 3, video: 3, category: 1, masks: { 4: person } },
        { id: 4, video: 4, category: 1, masks: { 7: person } },
        { id: 5, video: 4, category: 2, masks: { 8: dog } },
      ],
    );
    await store.getState().importCocoMasks(file);
    const s = store.getState();
    expect(s.qa.error).toBeNull();
    expect(s.qa.report).toBe('Imported 4 objects with 5 masks on 3 videos from coco.json: 1 object on “Set/b.mp4”, 1 object on the open video, 2 objects on “Set/c.mp4”. Masks put on videos that are not open cannot be undone. Not in this project: "zebra".');
    // The open video: its track as an object with its mask where the file put it.
    const open = s.annotation.history.present;
    expect(open.instances.map((i) => i.name)).toEqual(['COCO person 3']);
    expect(framesOf(open.frames, open.instances[0]!.id)).toEqual({ '4': person });
    // b: its own object kept, the file's track added with both its masks.
    const bNow = s.dataset.stash[b.id]!;
    expect(bNow.instances.map((i) => i.name)).toEqual(['Own', 'COCO car 1']);
    expect(bNow.frames[annotationKey('own', 2)]).toEqual(bWork.frames[annotationKey('own', 2)]);
    expect(framesOf(bNow.frames, bNow.instances[1]!.id)).toEqual({ '0': dog, '9': dog9 });
    // c: never opened, so it was opened (and closed) once to learn its size, which it keeps.
    expect(library.opened.filter((t) => t === 'c')).toHaveLength(1);
    expect(library.liveOf('c')).toBe(0);
    expect(s.dataset.videos.find((v) => v.id === c.id)?.facts).toMatchObject({ width: 64, height: 48, frameCount: 100 });
    const cNow = s.dataset.stash[c.id]!;
    expect(cNow.instances.map((i) => i.name)).toEqual(['COCO person 4', 'COCO car 5']);
    expect(framesOf(cNow.frames, cNow.instances[0]!.id)).toEqual({ '7': person });
    expect(framesOf(cNow.frames, cNow.instances[1]!.id)).toEqual({ '8': dog });

    // Saved with the project (the stash changed, nothing else did).
    await until(store, (st) => st.project.status === 'saved', 'the project to be saved');
    const saved = await setup.projects.loadDocument(setup.projectId);
    expect(saved?.work[b.id]?.instances.map((i) => i.name)).toEqual(['Own', 'COCO car 1']);
    expect(saved?.work[c.id]?.frames).toEqual(cNow.frames);

    // Undo takes the open video's objects away, and only those.
    store.getState().undo();
    expect(store.getState().annotation.history.present.instances).toEqual([]);
    expect(store.getState().dataset.stash[b.id]).toBe(bNow);

    // Opening b shows its imported masks, anchors of their object.
    expect(await store.getState().switchVideo(b.id)).toBe(true);
    const shown = store.getState().annotation.history.present;
    expect(shown.instances.map((i) => i.name)).toEqual(['Own', 'COCO car 1']);
    expect(shown.frames[annotationKey(shown.instances[1]!.id, 9)]).toEqual({ prompts: [{ kind: 'box', x0: 42, y0: 30, x1: 62, y1: 40 }], mask: { rle: dog9, score: 1 } });
    expect(store.getState().dataset.openVideoId).not.toBe(a.id);
  });

  it('saves masks put on a video that is not open, as it saves an edit', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', facts: FACTS }]);
    const { store, videos } = setup;
    await store.getState().saveNow();
    expect(store.getState().project.status).toBe('saved');
    await store.getState().importCocoMasks(cocoFile([clip(1, 'b')], [{ id: 1, video: 1, category: 2, masks: { 3: dog } }]));
    expect(store.getState().qa.report).toBe('Imported 1 object with 1 mask on 1 video from coco.json: 1 object on “Set/b.mp4”. Masks put on a video that is not open cannot be undone.');
    expect(store.getState().project.status).toBe('saving');
    await until(store, (st) => st.project.status === 'saved', 'the project to be saved');
    const saved = await setup.projects.loadDocument(setup.projectId);
    expect(framesOf(saved?.work[videos[1]!.id]?.frames ?? {}, saved?.work[videos[1]!.id]?.instances[0]?.id ?? '')).toEqual({ '3': dog });
  });

  it('names the videos it could not take, and imports the rest: another size, a name two videos share, a file that is not there', async () => {
    const setup = await datasetStore([{ tag: 'a' }, { tag: 'b', facts: FACTS }, { tag: 'd' }, { tag: 'k1', path: 'One/clip.mp4' }, { tag: 'k2', path: 'Two/clip.mp4' }], {});
    const { store, videos, media, projectId } = setup;
    media.lose(projectId, videoMediaKey(videos[2]!));
    const file = cocoFile(
      [clip(1, 'a'), { id: 2, name: 'b', width: 32, height: 24, length: 100 }, clip(3, 'd'), clip(4, 'clip')],
      [
        { id: 1, video: 1, category: 1, masks: { 0: person } },
        { id: 2, video: 2, category: 1, masks: { 0: rect(1, 1, 4, 4, 32, 24) } },
        { id: 3, video: 3, category: 1, masks: { 0: person } },
        { id: 4, video: 4, category: 1, masks: { 0: person } },
      ],
    );
    await store.getState().importCocoMasks(file);
    expect(store.getState().qa.report).toBe(
      'Imported 1 object with 1 mask from coco.json. Not imported: the file\'s video "b" is 32×24, “Set/b.mp4” 64×48; ' +
        'the file\'s video "clip" is named as 2 videos of this project (“One/clip.mp4”, “Two/clip.mp4”), so it cannot say which one its masks are of; ' +
        'the masks of "d" need its video\'s size, but “Set/d.mp4” is not available: not kept in this browser.',
    );
    expect(store.getState().annotation.history.present.instances.map((i) => i.name)).toEqual(['COCO person 1']);
    expect(store.getState().dataset.stash).toEqual({});
  });

  it('changes nothing when none of the file\'s videos can be taken, and says why', async () => {
    const { store } = await datasetStore([{ tag: 'a' }, { tag: 'b', facts: FACTS }]);
    await store.getState().importCocoMasks(cocoFile([{ id: 1, name: 'b', width: 32, height: 24, length: 100 }, clip(2, 'x')], [{ id: 1, video: 1, category: 1, masks: { 0: rect(1, 1, 4, 4, 32, 24) } }]));
    expect(store.getState().qa.error).toBe('Nothing was imported: "coco.json": the file\'s video "b" is 32×24, “Set/b.mp4” 64×48');
    await store.getState().importCocoMasks(cocoFile([clip(1, 'x'), clip(2, 'y')], []));
    expect(store.getState().qa.error).toBe('Nothing was imported: "coco.json": none of the file\'s 2 videos is named as one of this project\'s 2 videos; it has "x", "y"');
    expect(store.getState().annotation.history.past).toHaveLength(0);
    expect(store.getState().dataset.stash).toEqual({});
  });
});
