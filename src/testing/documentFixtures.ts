/**
 * Fixed project documents with something in every field, for the document, migration and
 * repository tests: a version 1 document as a one-video build saved it, and a two-video dataset
 * (version 3).
 */
import { MIGRATED_VIDEO_ID, type ProjectDocument, type VideoWork } from '../core/project/document';
import { oldItem, type V1Document } from './documentArbitraries';
import { qaItem } from './qaTestKit';
import { importedRun, runResult } from './reviewFixtures';
import { sampleQuery } from './sampleQuery';

/** A clip's work (4x3 frames): two objects, all three prompt kinds, masks, a query, masklets, a propagation that was running. */
export const CLIP_WORK: VideoWork = {
  instances: [
    { id: 'a', name: 'Object 1', color: '#ff3b30', visible: true },
    { id: 'b@x', name: 'Object 2', color: '#ffcc00', visible: false },
  ],
  activeId: 'a',
  frames: {
    'a@0': {
      prompts: [
        { kind: 'point', x: 1.5, y: 2, positive: true },
        { kind: 'box', x0: 0, y0: 0, x1: 3, y1: 2 },
        { kind: 'scribble', path: [0.5, 1, 2, 1.5, 3, 2] },
      ],
      mask: { rle: { size: [3, 4], counts: [2, 5, 5] }, score: 0.93 },
    },
    'b@x@7': { prompts: [{ kind: 'point', x: 0, y: 0, positive: false }], mask: null },
  },
  queries: [sampleQuery('q-1', 'a')],
  masklets: {
    a: {
      1: { rle: { size: [3, 4], counts: [3, 4, 5] }, score: 0.8, confidence: 0.75, state: 'tracked', anchor: 0 },
      2: { rle: { size: [3, 4], counts: [4, 2, 6] }, score: 0.4, confidence: 0.2, state: 'low', anchor: 0 },
      3: { rle: null, score: 0.1, confidence: 0, state: 'absent', anchor: 0 },
    },
  },
  propagationRun: { instanceIds: ['a'], direction: 'forward', range: [0, 9], step: { kind: 'nth', k: 2 }, total: 5, done: 3, startedAt: 1_700_000_000_000 },
};

/** A second video's work: one object with a mask on frame 2. */
export const OTHER_WORK: VideoWork = {
  instances: [{ id: 'a', name: 'Dog', color: '#34c759', visible: true }],
  activeId: null,
  frames: { 'a@2': { prompts: [{ kind: 'box', x0: 1, y0: 1, x1: 5, y1: 4 }], mask: { rle: { size: [6, 8], counts: [10, 30, 8] }, score: 0.5 } } },
  queries: [],
  masklets: {},
};

export const RUNS = [importedRun('r1', [runResult('line-1', { rawOutput: 'a cat' }), runResult('line-2', { rawOutput: 'a cat' })]), importedRun('r2', [runResult('line-7', { rawOutput: 'a cat' })])];
export const JUDGEMENTS = { r1: { 'line-2': { value: 0.5 as const, note: 'half', at: 3 } }, r2: {} };

/** A project as a one-video build saved it: the video, its work at the top level, QA items (without the fields datasets added), runs, judgements. */
export const V1_DOCUMENT: V1Document = {
  version: 1,
  video: { name: 'clip.mp4', byteLength: 1234, width: 4, height: 3, frameCount: 10, fps: 25, durationS: 0.4, stored: true },
  ...CLIP_WORK,
  qaItems: [
    oldItem(qaItem({ id: 'qa-1', instanceId: 'a', frame: 0, resultQueryId: 'q-1' })),
    oldItem(qaItem({ id: 'qa-2', instanceId: null, frame: null, options: [], answer: 'It jumps', videoPath: 'Src/clip.mp4', framePath: 'Src/clip.jpg', duration: 0.4 })),
  ],
  runs: RUNS,
  judgements: JUDGEMENTS,
};

/** A dataset of two videos with work on both, items on each and one on no video. */
export const DATASET: ProjectDocument = {
  version: 3,
  videos: [
    { id: MIGRATED_VIDEO_ID, path: 'Source/clip.mp4', byteLength: 1234, facts: { width: 4, height: 3, frameCount: 10, fps: 25, durationS: 0.4 }, problem: null },
    { id: 'video-2', path: 'dog.webm', byteLength: null, facts: null, problem: 'The file could not be decoded.' },
  ],
  openVideoId: MIGRATED_VIDEO_ID,
  work: { [MIGRATED_VIDEO_ID]: CLIP_WORK, 'video-2': OTHER_WORK },
  qaItems: [
    qaItem({ id: 'qa-1', instanceId: 'a', frame: 0, resultQueryId: 'q-1', projectVideoId: MIGRATED_VIDEO_ID }),
    qaItem({ id: 'qa-2', instanceId: null, frame: 2, projectVideoId: 'video-2', promptImage: 'frames/dog.jpg' }),
    qaItem({ id: 'qa-3', instanceId: null, frame: null, projectVideoId: null, videoPath: 'Gone/missing.mp4' }),
  ],
  runs: RUNS,
  judgements: JUDGEMENTS,
};
