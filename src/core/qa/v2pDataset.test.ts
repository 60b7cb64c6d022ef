import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vpPhrase } from '../agent/prompts';
import type { ProjectVideo } from '../project/document';
import { option, qaItem, text } from '../../testing/qaTestKit';
import { fromV2pRecord } from './v2p';
import type { QaItem } from './model';
import type { V2pRecord } from './v2p';
import { datasetInfoFiles, planV2pDataset, promptImageKeys, renderedFramePath, summarizeV2pPlan, v2pRecordsOfProject, type V2pDatasetFile, type V2pPlanOptions } from './v2pDataset';

const INSTRUCTION = '\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';
const opts: V2pPlanOptions = { newVideoId: (i) => `vid-${i}`, idPrefix: 'it-', createdAt: 7 };
const everything = (): boolean => true;
const phrase = (item: QaItem): string => vpPhrase(item.vpType, 1);
/** Export as the store does for a project that came from a benchmark: items made here get the rendered frame's name. */
const exportCtx = { framePathFor: renderedFramePath, phrase };

function record(i: number, over: Partial<V2pRecord> = {}): V2pRecord {
  return {
    video_id: `v_${i}`,
    video_path: `S/v_${i}.mp4`,
    duration: 20 + i,
    question: `Question ${i}?\nA: yes\nB: no${INSTRUCTION}`,
    answer: 'A',
    source: 'S',
    frame_path: `S/v_${i}.jpg`,
    dimension: 1,
    category: 2,
    ...over,
  };
}

const planOf = (files: readonly V2pDatasetFile[], has: (entry: string) => boolean = everything, o: V2pPlanOptions = opts) => {
  const result = planV2pDataset(files, has, o);
  if (!result.ok) throw new Error(result.error);
  return result.plan;
};

// A benchmark: records over a few videos (two with the same file name in different folders),
// multiple choice and open-ended, some frame_path lists, dimension and category 0 among them.
const VIDEO_PATHS = ['Ego4D/clip.mp4', 'ActivityNet/clip.mp4', 'ActivityNet/v_a1.mp4', 'top level.mkv', 'Charades/deep/x.webm'];
const framePath = fc.oneof(
  fc.tuple(fc.constantFrom('Ego4D', 'ActivityNet', 'Charades'), fc.nat(40)).map(([s, n]) => `${s}/q_${n}.jpg`),
  fc.nat(99).map((n) => `frames_of/frame_${String(n).padStart(5, '0')}.jpg`),
);
const benchRecord: fc.Arbitrary<V2pRecord> = fc
  .record({
    video_id: fc.constantFrom('v1', 'v2', 'v3', 'clip'),
    video_path: fc.constantFrom(...VIDEO_PATHS),
    duration: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 9000, noNaN: true, noDefaultInfinity: true })),
    body: text().filter((s) => s !== ''),
    options: fc.array(option, { maxLength: 4 }),
    pick: fc.nat(3),
    openAnswer: text(),
    source: text(true),
    frame_path: fc.oneof(framePath, fc.array(framePath, { minLength: 1, maxLength: 3 })),
    dimension: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 14 })),
    category: fc.oneof(fc.constant(0), fc.nat(40)),
  })
  .map(({ body, options, pick, openAnswer, ...rest }) => ({
    video_id: rest.video_id,
    video_path: rest.video_path,
    duration: rest.duration,
    question: options.length === 0 ? body : body + options.map((o, i) => `\n${'ABCD'[i]}: ${o}`).join('') + INSTRUCTION,
    answer: options.length === 0 ? openAnswer : 'ABCD'[pick % options.length]!,
    source: rest.source,
    frame_path: rest.frame_path,
    dimension: rest.dimension,
    category: rest.category,
  }));
const key = (r: V2pRecord): string => JSON.stringify([r.video_id, r.frame_path, r.question]);
/** The records split over files named in any order (the parser refuses duplicates within a file; across files they are a case of their own). */
const benchmark = fc
  .tuple(fc.uniqueArray(benchRecord, { selector: key, minLength: 1, maxLength: 25 }), fc.uniqueArray(fc.stringMatching(/^dataset_info[a-z_]{0,6}\.json$/), { minLength: 1, maxLength: 3 }))
  .chain(([records, names]) =>
    fc.array(fc.nat(names.length - 1), { minLength: records.length, maxLength: records.length }).map((where) => names.map((name, f) => ({ name, records: records.filter((_, i) => where[i] === f) }))),
  );
/** The records in the order the import must read them: file-name order, then record order. */
const inReadingOrder = (files: readonly V2pDatasetFile[]): V2pRecord[] => [...files].sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((f) => f.records);

describe('planV2pDataset + v2pRecordsOfProject', () => {
  it('benchmark → items → records gives the records back field by field, in file-name then record order', () => {
    fc.assert(
      fc.property(benchmark, (files) => {
        const plan = planOf(files);
        const records = v2pRecordsOfProject(plan.items, plan.videos, exportCtx);
        expect(JSON.stringify(records)).toBe(JSON.stringify(inReadingOrder(files)));
      }),
      { numRuns: 300 },
    );
  });

  it('lists one video per distinct video_path, in first-appearance order, and links every item to its own', () => {
    fc.assert(
      fc.property(benchmark, (files) => {
        const input = inReadingOrder(files);
        const plan = planOf(files);
        expect(plan.videos.map((v) => v.path)).toEqual([...new Set(input.map((r) => r.video_path))]);
        expect(plan.videos.map((v) => v.id)).toEqual(plan.videos.map((_, i) => `vid-${i}`));
        expect(plan.videos.every((v) => v.byteLength === null && v.facts === null && v.problem === null)).toBe(true);
        const pathOf = new Map(plan.videos.map((v) => [v.id, v.path]));
        expect(plan.items.map((item) => pathOf.get(item.projectVideoId ?? ''))).toEqual(input.map((r) => r.video_path));
        expect(new Set(plan.items.map((i) => i.id)).size).toBe(input.length);
        expect(plan.items.map((i) => i.promptImage)).toEqual(input.map((r) => `frames/${typeof r.frame_path === 'string' ? r.frame_path : r.frame_path[0]}`));
        expect(plan.missing).toEqual({ videos: [], frames: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('makes two videos of two files with the same name in different folders', () => {
    const plan = planOf([{ name: 'dataset_info.json', records: [record(0, { video_path: 'A/clip.mp4' }), record(1, { video_path: 'B/clip.mp4' }), record(2, { video_path: 'A/clip.mp4' })] }]);
    expect(plan.videos.map((v) => [v.id, v.path])).toEqual([
      ['vid-0', 'A/clip.mp4'],
      ['vid-1', 'B/clip.mp4'],
    ]);
    expect(plan.items.map((i) => i.projectVideoId)).toEqual(['vid-0', 'vid-1', 'vid-0']);
  });

  it('gives an item whose frame is not named by its file its image prompt all the same', () => {
    const plan = planOf([{ name: 'dataset_info.json', records: [record(0, { frame_path: 'S/v_0.jpg' }), record(1, { frame_path: ['S/frame_00042.jpg', 'S/x.jpg'] })] }]);
    expect(plan.items.map((i) => [i.frame, i.promptImage])).toEqual([
      [null, 'frames/S/v_0.jpg'],
      [42, 'frames/S/frame_00042.jpg'],
    ]);
  });

  it('imports a record found in two files once, the first file’s (by name), and says how many were repeated and how many differed', () => {
    const long = { name: 'dataset_info_long.json', records: [record(1, { answer: 'B' }), record(2), record(3)] };
    const main = { name: 'dataset_info.json', records: [record(0), record(1), record(2)] };
    const plan = planOf([long, main]);
    expect(plan.files).toEqual(['dataset_info.json', 'dataset_info_long.json']);
    expect(plan.items.map((i) => [i.videoId, i.answer])).toEqual([
      ['v_0', 'A'],
      ['v_1', 'A'],
      ['v_2', 'A'],
      ['v_3', 'A'],
    ]);
    expect(plan.items.map((i) => i.id)).toEqual(['it-0', 'it-1', 'it-2', 'it-3']);
    expect(plan.warnings).toEqual([
      '2 records repeated a record of an earlier file (the same video_id, question and frame_path) and were imported once; 1 of them differed in another field, and the first file\'s version was kept.',
    ]);
    expect(summarizeV2pPlan(plan)).toContain('Imported 4 QA items over 4 videos from dataset_info.json and dataset_info_long.json.');
  });

  it('keeps the same question about another frame_path as its own item', () => {
    const plan = planOf([{ name: 'a.json', records: [record(0)] }, { name: 'b.json', records: [record(0, { frame_path: 'S/other.jpg' })] }]);
    expect(plan.items).toHaveLength(2);
    expect(plan.warnings).toEqual([]);
  });

  it('lists missing videos and frames with the items they affect, and the summary names a few and counts the rest', () => {
    const records = Array.from({ length: 9 }, (_, i) => record(i, { video_path: `S/v_${i % 8}.mp4`, frame_path: i === 8 ? ['S/v_8.jpg', 'S/gone.jpg'] : `S/v_${i}.jpg` }));
    const present = new Set(['videos/S/v_7.mp4', ...records.map((_, i) => `frames/S/v_${i}.jpg`).filter((f) => f !== 'frames/S/v_3.jpg')]);
    const plan = planOf([{ name: 'dataset_info.json', records }], (e) => present.has(e));
    expect(plan.missing.videos).toEqual([
      { path: 'S/v_0.mp4', itemIds: ['it-0', 'it-8'] },
      ...[1, 2, 3, 4, 5, 6].map((i) => ({ path: `S/v_${i}.mp4`, itemIds: [`it-${i}`] })),
    ]);
    expect(plan.missing.frames).toEqual([
      { path: 'S/v_3.jpg', itemIds: ['it-3'] },
      { path: 'S/gone.jpg', itemIds: ['it-8'] },
    ]);
    expect(plan.items.every((i) => i.projectVideoId !== null)).toBe(true);
    expect(summarizeV2pPlan(plan)).toBe(
      'Imported 9 QA items over 8 videos from dataset_info.json. ' +
        'Videos: 1 of 8 found; missing: S/v_0.mp4 (2 items), S/v_1.mp4 (1 item), S/v_2.mp4 (1 item), S/v_3.mp4 (1 item), S/v_4.mp4 (1 item) and 2 more (2 items). ' +
        'Frames: 8 of 10 found; missing: S/v_3.jpg (1 item) and S/gone.jpg (1 item).',
    );
  });

  it('adds each file’s parser warnings, named by file', () => {
    const plan = planOf([{ name: 'dataset_info.json', records: [record(0)], warnings: ['Dimension 99 (first in record 0) is not a V2P-Bench dimension code; kept as is.'] }]);
    expect(summarizeV2pPlan(plan)).toBe(
      'Imported 1 QA item over 1 video from dataset_info.json. Videos: 1 of 1 found. Frames: 1 of 1 found. dataset_info.json: Dimension 99 (first in record 0) is not a V2P-Bench dimension code; kept as is.',
    );
  });

  it('refuses a folder without a dataset file, files without records, and records none of whose videos are there', () => {
    expect(planV2pDataset([], everything, opts)).toEqual({ ok: false, error: 'The folder has no dataset_info*.json: this is not a V2P-Bench dataset.' });
    expect(planV2pDataset([{ name: 'dataset_info.json', records: [] }], everything, opts)).toEqual({ ok: false, error: 'dataset_info.json holds no records.' });
    const records = Array.from({ length: 8 }, (_, i) => record(i, { video_path: `S/v_${i % 7}.mp4` }));
    expect(planV2pDataset([{ name: 'dataset_info.json', records }], (e) => e.startsWith('frames/'), { ...opts, where: '"bench.zip"' })).toEqual({
      ok: false,
      error: 'None of the 7 videos the dataset names is in "bench.zip": S/v_0.mp4 (2 items), S/v_1.mp4 (1 item), S/v_2.mp4 (1 item), S/v_3.mp4 (1 item), S/v_4.mp4 (1 item) and 2 more (2 items).',
    });
    expect(planV2pDataset([{ name: 'dataset_info.json', records: [record(0), record(1, { video_path: 'S/v_0.mp4' })] }], () => false, opts)).toEqual({
      ok: false,
      error: 'The video the dataset names, S/v_0.mp4 (2 items), is not in the folder.',
    });
  });

  it('gives a video_path outside videos/ no video, lists it as missing and says why; stray "./" and "//" only leave the project path', () => {
    const records = [record(0, { video_path: '../up.mp4' }), record(1, { video_path: './S//v_1.mp4' }), record(2, { video_path: 'S/v_1.mp4' })];
    const plan = planOf([{ name: 'dataset_info.json', records }]);
    expect(plan.videos.map((v) => v.path)).toEqual(['S/v_1.mp4']);
    expect(plan.items.map((i) => [i.projectVideoId, i.videoPath])).toEqual([
      [null, '../up.mp4'],
      ['vid-0', './S//v_1.mp4'],
      ['vid-0', 'S/v_1.mp4'],
    ]);
    expect(plan.missing.videos).toEqual([{ path: '../up.mp4', itemIds: ['it-0'] }]);
    expect(plan.warnings).toEqual(['1 video_path is not inside videos/ ("../up.mp4"): their items have no video.']);
    expect(JSON.stringify(v2pRecordsOfProject(plan.items, plan.videos, exportCtx))).toBe(JSON.stringify(records));
  });

  it('refuses a newVideoId that repeats itself (two videos would become one)', () => {
    expect(() => planV2pDataset([{ name: 'd.json', records: [record(0), record(1)] }], everything, { ...opts, newVideoId: () => 'same' })).toThrow(/twice/);
  });
});

describe('v2pRecordsOfProject for items made here', () => {
  const video = (id: string, path: string, durationS: number | null): ProjectVideo => ({
    id,
    path,
    byteLength: 10,
    facts: durationS === null ? null : { width: 640, height: 480, frameCount: 100, fps: 25, durationS },
    problem: null,
  });
  const made = (over: Partial<QaItem>): QaItem => ({
    id: 'q1',
    instanceId: 'i1',
    videoId: '',
    frame: 12,
    vpType: 'rectangle',
    colour: '#ff0000',
    question: 'What colour is <vp>?',
    options: ['Red', 'Green'],
    answer: 'B',
    dimension: null,
    category: 3,
    source: 'Studio',
    notes: '',
    createdAt: 1,
    resultQueryId: null,
    videoPath: null,
    framePath: null,
    duration: null,
    projectVideoId: 'a',
    promptImage: null,
    ...over,
  });

  it('takes its video’s path and duration, the exporter’s frame name, and phrases <vp>', () => {
    const videos = [video('a', 'Mine/walk.mp4', 12.5), video('b', 'run.final.webm', null)];
    const items = [made({ id: 'q1', videoId: 'walk' }), made({ id: 'q2', projectVideoId: 'b', options: [], answer: 'red' }), made({ id: 'q3', projectVideoId: null })];
    const seen: [string, number, string | null][] = [];
    const records = v2pRecordsOfProject(items, videos, {
      framePathFor: (item, index, v) => {
        seen.push([item.id, index, v?.id ?? null]);
        return renderedFramePath(item, index, v);
      },
      phrase,
    });
    expect(seen).toEqual([
      ['q1', 0, 'a'],
      ['q2', 1, 'b'],
      ['q3', 2, null],
    ]);
    expect(records).toEqual([
      { video_id: 'walk', video_path: 'Mine/walk.mp4', duration: 12.5, question: `What colour is the target in the highlighted box?\nA: Red\nB: Green${INSTRUCTION}`, answer: 'B', source: 'Studio', frame_path: 'walk/0001_q1.jpg', dimension: 0, category: 3 },
      { video_id: '', video_path: 'run.final.webm', duration: 0, question: 'What colour is the target in the highlighted box?', answer: 'red', source: 'Studio', frame_path: 'run.final/0002_q2.jpg', dimension: 0, category: 3 },
      { video_id: '', video_path: '', duration: 0, question: `What colour is the target in the highlighted box?\nA: Red\nB: Green${INSTRUCTION}`, answer: 'B', source: 'Studio', frame_path: 'video/0003_q3.jpg', dimension: 0, category: 3 },
    ]);
  });

  it('names rendered frames as the exporter always has: <video_id>/<nnnn>_<item id>.jpg, made safe', () => {
    expect(renderedFramePath(made({ id: 'x/y', videoId: 'clip' }), 11, null)).toBe('clip/0012_x_y.jpg');
    expect(renderedFramePath(made({ id: 'q', videoId: '' }), 0, { path: 'Src/My: clip.mp4' })).toBe('My_ clip/0001_q.jpg');
  });
});

describe('datasetInfoFiles', () => {
  it('finds the dataset files at the root, sorted, with nothing to strip', () => {
    expect(datasetInfoFiles(['videos/S/a.mp4', 'dataset_info_long.json', 'frames/S/a.jpg', 'dataset_info.json', 'S/dataset_info.json', 'notes.json'])).toEqual({
      ok: true,
      prefix: '',
      names: ['dataset_info.json', 'dataset_info_long.json'],
    });
  });

  it('finds them one folder down (a ZIP of the folder V2P-Bench/), skipping archiver litter, with that folder to strip', () => {
    const names = ['__MACOSX/V2P-Bench/._dataset_info.json', '__MACOSX/dataset_info.json', 'V2P-Bench/', 'V2P-Bench/videos/S/a.mp4', 'V2P-Bench/dataset_info_long.json', 'V2P-Bench/dataset_info.json', 'README.md'];
    const listing = datasetInfoFiles(names);
    expect(listing).toEqual({ ok: true, prefix: 'V2P-Bench/', names: ['V2P-Bench/dataset_info.json', 'V2P-Bench/dataset_info_long.json'] });
  });

  it('reads the same files whether the layout is at the root or inside one folder', () => {
    const entry = fc.oneof(fc.constantFrom('dataset_info.json', 'dataset_info_long.json', 'dataset_info-2.json', 'datasetinfo.json', 'videos/S/a.mp4', 'dataset_info.txt'), fc.stringMatching(/^[a-z_.]{1,12}$/));
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: 12 }), fc.stringMatching(/^[A-Za-z0-9 -]{1,10}$/), (names, folder) => {
        const atRoot = datasetInfoFiles(names);
        const inside = datasetInfoFiles(names.map((n) => `${folder}/${n}`));
        expect(atRoot.ok).toBe(names.some((n) => /^dataset_info[^/]*\.json$/.test(n)));
        expect(inside.ok).toBe(atRoot.ok);
        if (atRoot.ok && inside.ok) {
          expect(inside.prefix).toBe(`${folder}/`);
          expect(inside.names.map((n) => n.slice(inside.prefix.length))).toEqual(atRoot.names);
          expect(atRoot.names).toEqual([...atRoot.names].sort());
        }
      }),
    );
  });

  it('says so when there is none, or when several folders each hold a dataset', () => {
    expect(datasetInfoFiles(['videos/a.mp4', 'a/b/dataset_info.json'])).toEqual({ ok: false, error: 'The folder has no dataset_info*.json: this is not a V2P-Bench dataset.' });
    expect(datasetInfoFiles(['B/dataset_info.json', 'A/dataset_info.json'], '"two.zip"')).toEqual({
      ok: false,
      error: '"two.zip" holds several datasets (dataset_info*.json in A/, B/): import one of these folders at a time.',
    });
  });
});

describe('promptImageKeys', () => {
  it('is the prompt image and every other frame of the record\'s frame_path list, each once', () => {
    const record: V2pRecord = { video_id: 'w', video_path: 'B/walk.mp4', duration: 2, question: 'How far apart?', answer: '38', source: 'B', frame_path: ['B/w_12.jpg', 'B/w_50.jpg', 'B/w_12.jpg'], dimension: 10, category: 4 };
    const item = { ...fromV2pRecord(record, 0), promptImage: 'frames/B/w_12.jpg' };
    expect(promptImageKeys(item)).toEqual(['frames/B/w_12.jpg', 'frames/B/w_50.jpg']);
    expect(promptImageKeys({ ...item, promptImage: null })).toEqual([]);
    expect(promptImageKeys(qaItem({ promptImage: 'images/mine.png' }))).toEqual(['images/mine.png']);
  });
});
