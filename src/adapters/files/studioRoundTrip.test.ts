/**
 * The app's own ZIP restores a project losslessly: a dataset document of two videos, each with
 * instances, prompts, masks, masklets and queries, with QA items (one whose prompt is an image),
 * runs and judgements, goes through studio.json and the ZIP writer and reader, and comes back
 * equal field by field and mask by mask.
 */
import { describe, expect, it } from 'vitest';
import { encodeRle, maskFromPredicate } from '../../core/mask/rle';
import type { ProjectDocument, VideoWork } from '../../core/project/document';
import { STUDIO_JSON } from '../../core/formats/zipPaths';
import { parseStudioJson, toStudioJson } from '../../core/qa/schemas';
import { finishResult, newBatchRun, resultFromQuery } from '../../core/review/batch';
import { sampleQuery } from '../../testing/sampleQuery';
import { blobSink } from './zipSinks';
import { writeZip } from './zipWriter';
import { readZip } from './zipReader';

const W = 40;
const H = 30;
const disc = (cx: number, cy: number, r: number) => encodeRle(maskFromPredicate(W, H, (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r));

const street: VideoWork = {
  instances: [
    { id: 'a', name: 'man', color: '#ff3b30', visible: true },
    { id: 'b', name: 'dog', color: '#34c759', visible: false },
  ],
  activeId: 'a',
  frames: {
    'a@0': { prompts: [{ kind: 'box', x0: 2, y0: 3, x1: 20, y1: 25 }, { kind: 'point', x: 9.5, y: 10.25, positive: false }], mask: { rle: disc(10, 12, 7), score: 0.93 } },
    'b@4': { prompts: [{ kind: 'scribble', path: [1, 2, 3, 4.5, 6, 7] }], mask: { rle: disc(30, 10, 4), score: 0.81 } },
  },
  queries: [sampleQuery('q-1', 'a')],
  masklets: {
    a: {
      1: { rle: disc(11, 12, 7), score: 0.9, confidence: 0.88, state: 'tracked', anchor: 0 },
      2: { rle: disc(12, 12, 6), score: 0.5, confidence: 0.31, state: 'low', anchor: 0 },
      3: { rle: null, score: 0.1, confidence: 0, state: 'absent', anchor: 0 },
    },
  },
};

const document: ProjectDocument = {
  version: 3,
  videos: [
    { id: 'v-street', path: 'street.webm', byteLength: 1234, facts: { width: W, height: H, frameCount: 20, fps: 10, durationS: 2 }, problem: null },
    { id: 'v-12', path: 'X/v_12.mp4', byteLength: null, facts: null, problem: null },
  ],
  openVideoId: 'v-street',
  work: {
    'v-street': street,
    'v-12': { instances: [{ id: 'c', name: 'car', color: '#007aff', visible: true }], activeId: 'c', frames: { 'c@3': { prompts: [{ kind: 'point', x: 5, y: 5, positive: true }], mask: { rle: disc(5, 5, 3), score: 0.7 } } }, queries: [], masklets: {} },
  },
  qaItems: [
    { id: 'qa-1', instanceId: 'a', videoId: 'street', frame: 0, vpType: 'arrow', colour: '#ffcc00', question: 'What is <vp> holding?', options: ['A bag', 'A phone'], answer: 'B', dimension: 2, category: 3, source: 'Street', notes: 'checked twice', createdAt: 1_700_000_000_000, resultQueryId: 'q-1', videoPath: null, framePath: null, duration: null, projectVideoId: 'v-street', promptImage: null },
    { id: 'qa-2', instanceId: null, videoId: 'v_12', frame: null, vpType: 'rectangle', colour: '#ff0000', question: 'Where does it go?', options: [], answer: 'Left', dimension: null, category: null, source: 'X', notes: '', createdAt: 0, resultQueryId: null, videoPath: 'X/v_12.mp4', framePath: 'X/v_12.jpg', duration: 12.5, projectVideoId: 'v-12', promptImage: 'frames/X/v_12.jpg' },
  ],
  runs: [
    finishResult(
      newBatchRun({
        id: 'run-1',
        name: 'vs-8b · 2026-11-21 12:00',
        createdAt: 1_700_000_000_500,
        model: 'vs-8b',
        settings: sampleQuery('q-1', 'a').settings,
        concurrency: 2,
        entries: [{ itemId: 'qa-1', item: { videoId: 'street', question: 'What is the target indicated by the arrow holding?', options: ['A bag', 'A phone'], answer: 'B', dimension: 2, category: 3, duration: 2, source: 'Street', vpType: 'arrow', videoPath: null, framePath: null } }],
      }),
      'qa-1',
      resultFromQuery(sampleQuery('q-1', 'a')),
      1_700_000_009_000,
    ),
  ],
  judgements: { 'run-1': { 'qa-1': { value: 0.5, note: 'half right', at: 1_700_000_010_000 } } },
};

describe("the app's own ZIP", () => {
  it('restores the project field by field and mask by mask', async () => {
    const sink = blobSink();
    const video = new Blob([new Uint8Array(5000).fill(7)]);
    await writeZip([{ name: STUDIO_JSON, data: JSON.stringify(toStudioJson('My street', document)) }, { name: 'videos/street.webm', data: video }], sink);
    const read = await readZip(sink.blob(), { maxEntryBytes: () => 1 << 30 });
    if (!read.ok) throw new Error(read.error);
    const studio = read.entries.find((e) => e.name === STUDIO_JSON)!;
    const parsed = parseStudioJson(JSON.parse(new TextDecoder().decode(await studio.read())) as unknown);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.studio.project.name).toBe('My street');
    expect(parsed.studio.document).toEqual(document);
    for (const [key, a] of Object.entries(street.frames)) expect(parsed.studio.document.work['v-street']!.frames[key]!.mask!.rle).toEqual(a.mask!.rle);
    const back = new Uint8Array(await (await read.entries.find((e) => e.name === 'videos/street.webm')!.blob()).arrayBuffer());
    expect(back).toEqual(new Uint8Array(5000).fill(7));
  });
});
