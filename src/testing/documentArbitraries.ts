/**
 * fast-check arbitraries of project documents, version 3 (a dataset: videos, work per video, QA
 * items naming their video) and version 1 (one video, its work at the top level, as builds before
 * datasets wrote it), for the parser and migration tests. Every value they make is valid and
 * survives JSON (no -0, no NaN, no undefined fields).
 */
import fc from 'fast-check';
import type { FrameAnnotation, Instance, Prompt } from '../core/annotation/model';
import type { Rle } from '../core/mask/rle';
import type { ProjectDocument, ProjectVideo, VideoFacts, VideoRef, VideoWork } from '../core/project/document';
import type { Masklet, Masklets, PropagatedMask } from '../core/propagation/masklet';
import type { PendingPropagation } from '../core/propagation/pendingRun';
import type { QaItem } from '../core/qa/model';
import type { Judgements, ReviewRun } from '../core/review/run';
import { mcItem, openItem } from './qaTestKit';
import { importedRun, runResult } from './reviewFixtures';
import { sampleQuery } from './sampleQuery';

/** A QA item as builds before datasets stored it: without `projectVideoId` and `promptImage`. */
export type OldQaItem = Omit<QaItem, 'projectVideoId' | 'promptImage'>;

/** A project document of version 1: one video (or none) and its work at the top level. */
export interface V1Document extends VideoWork {
  readonly version: 1;
  readonly video: VideoRef | null;
  readonly qaItems: readonly OldQaItem[];
  readonly runs: readonly ReviewRun[];
  readonly judgements: Judgements;
}

export function oldItem(item: QaItem): OldQaItem {
  const { projectVideoId: _video, promptImage: _image, ...old } = item;
  return old;
}

const noNegativeZero = (x: number): number => (Object.is(x, -0) ? 0 : x);

/** Finite doubles without -0 (JSON writes -0 as 0). */
export const coord = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map(noNegativeZero);

export const facts: fc.Arbitrary<VideoFacts> = fc.record({
  width: fc.nat({ max: 8192 }),
  height: fc.nat({ max: 8192 }),
  frameCount: fc.nat(),
  fps: fc.double({ noNaN: true, min: 0, max: 240 }).map(noNegativeZero),
  durationS: fc.double({ noNaN: true, min: 0, max: 1e5 }).map(noNegativeZero),
});

export const videoRef: fc.Arbitrary<VideoRef> = fc
  .record({ facts, name: fc.string(), byteLength: fc.nat(), stored: fc.boolean() })
  .map(({ facts: f, ...rest }) => ({ ...rest, ...f }));

export const prompt: fc.Arbitrary<Prompt> = fc.oneof(
  fc.record({ kind: fc.constant('point' as const), x: coord, y: coord, positive: fc.boolean() }),
  fc.record({ kind: fc.constant('box' as const), x0: coord, y0: coord, x1: coord, y1: coord }),
  fc.record({ kind: fc.constant('scribble' as const), path: fc.array(fc.tuple(coord, coord), { maxLength: 20 }).map((pts) => pts.flat()) }),
);

/** A valid RLE: runs that cover height * width exactly (zero-length runs included). */
export const rle: fc.Arbitrary<Rle> = fc
  .tuple(fc.nat({ max: 12 }), fc.nat({ max: 12 }))
  .chain(([height, width]) =>
    fc.array(fc.nat({ max: height * width }), { maxLength: 12 }).map((cuts): Rle => {
      const points = [0, ...cuts.sort((a, b) => a - b), height * width];
      return { size: [height, width], counts: points.slice(1).map((p, i) => p - points[i]!) };
    }),
  );

export const annotation: fc.Arbitrary<FrameAnnotation> = fc.record({
  prompts: fc.array(prompt, { maxLength: 5 }),
  mask: fc.option(fc.record({ rle, score: coord }), { nil: null }),
});

export const instance: fc.Arbitrary<Instance> = fc.record({
  id: fc.string({ minLength: 1 }),
  name: fc.string(),
  color: fc.string({ minLength: 1 }),
  visible: fc.boolean(),
});

const propagated: fc.Arbitrary<PropagatedMask> = fc.oneof(
  fc.record({ rle, state: fc.constantFrom('tracked' as const, 'low' as const) }),
  fc.record({ rle: fc.constant(null), state: fc.constant('absent' as const) }),
).chain((mask) =>
  fc.record({ score: coord, confidence: fc.double({ noNaN: true, min: 0, max: 1 }).map(noNegativeZero), anchor: fc.nat({ max: 100_000 }) }).map((rest) => ({ ...mask, ...rest })),
);

const masklet: fc.Arbitrary<Masklet> = fc.array(fc.tuple(fc.nat({ max: 100_000 }), propagated), { maxLength: 4 }).map((entries) => Object.fromEntries(entries));

function pendingOf(ids: readonly string[]): fc.Arbitrary<PendingPropagation> {
  return fc
    .record({
      instanceIds: fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1 }),
      direction: fc.constantFrom('forward' as const, 'backward' as const, 'both' as const),
      range: fc.option(fc.tuple(fc.nat(), fc.nat()), { nil: null }),
      step: fc.oneof(fc.constant({ kind: 'every' as const }), fc.record({ kind: fc.constant('nth' as const), k: fc.integer({ min: 2, max: 30 }) })),
      total: fc.nat(),
      startedAt: fc.nat(),
    })
    .chain((p) => fc.nat({ max: p.total }).map((done) => ({ ...p, done })));
}

/** One video's work: instances, their frames, queries, masklets and maybe an interrupted propagation. */
export const work: fc.Arbitrary<VideoWork> = fc.uniqueArray(instance, { selector: (i) => i.id, maxLength: 5 }).chain((instances) => {
  const ids = instances.map((i) => i.id);
  if (ids.length === 0) return fc.constant<VideoWork>({ instances: [], activeId: null, frames: {}, queries: [], masklets: {} });
  return fc
    .record({
      instances: fc.constant(instances),
      activeId: fc.option(fc.constantFrom(...ids), { nil: null }),
      frames: fc
        .array(fc.tuple(fc.constantFrom(...ids), fc.nat({ max: 100_000 }), annotation), { maxLength: 8 })
        .map((entries): Record<string, FrameAnnotation> => Object.fromEntries(entries.map(([id, frame, a]) => [`${id}@${frame}`, a]))),
      queries: fc.subarray(ids, { maxLength: Math.min(2, ids.length) }).map((asked) => asked.map((id, k) => sampleQuery(`q-${k}`, id))),
      masklets: fc.array(fc.tuple(fc.constantFrom(...ids), masklet), { maxLength: 3 }).map((entries): Masklets => Object.fromEntries(entries)),
      propagationRun: fc.option(pendingOf(ids), { nil: undefined }),
    })
    .map(({ propagationRun, ...rest }): VideoWork => (propagationRun ? { ...rest, propagationRun } : rest));
});

/** QA items with unique ids, not linked to a video yet. */
export const qaItems: fc.Arbitrary<QaItem[]> = fc.array(fc.oneof(mcItem, openItem), { maxLength: 4 }).map((items) => items.map((item, i) => ({ ...item, id: `qa-${i}` })));

/** No runs, or two small imported runs with a judgement (the review's schemas have their own tests). */
const review: fc.Arbitrary<Pick<ProjectDocument, 'runs' | 'judgements'>> = fc.constantFrom<Pick<ProjectDocument, 'runs' | 'judgements'>>(
  { runs: [], judgements: {} },
  {
    runs: [importedRun('r1', [runResult('line-1'), runResult('line-2')]), importedRun('r2', [runResult('line-7')])],
    judgements: { r1: { 'line-2': { value: 0.5, note: 'half', at: 3 } } },
  },
);

/** Any version 1 document, as builds before datasets saved it. */
export const v1Document: fc.Arbitrary<V1Document> = fc
  .record({ video: fc.option(videoRef, { nil: null }), work, qaItems, review })
  .map(({ video, work: w, qaItems: items, review: r }) => ({ version: 1 as const, video, ...w, qaItems: items.map(oldItem), ...r }));

/** A path segment the document accepts: not empty, no "/", not "." or "..". */
const segment = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('/') && s !== '.' && s !== '..');

const projectVideo: fc.Arbitrary<ProjectVideo> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 10 }),
  path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
  byteLength: fc.option(fc.nat(), { nil: null }),
  facts: fc.option(facts, { nil: null }),
  problem: fc.option(fc.string(), { nil: null }),
});

/** Any version 3 document: several videos, work on some of them, items naming one of them (or none). */
export const v3Document: fc.Arbitrary<ProjectDocument> = fc
  .uniqueArray(projectVideo, { comparator: (a, b) => a.id === b.id || a.path === b.path, maxLength: 4 })
  .chain((videos) => {
    const ids = videos.map((v) => v.id);
    const someVideo = ids.length ? fc.option(fc.constantFrom(...ids), { nil: null }) : fc.constant(null);
    return fc.record({
      version: fc.constant(3 as const),
      videos: fc.constant(videos),
      openVideoId: someVideo,
      work: fc.subarray(ids).chain((worked) => fc.tuple(...worked.map((id) => work.map((w) => [id, w] as const))).map((entries) => Object.fromEntries(entries))),
      qaItems: qaItems.chain((items) =>
        fc.tuple(...items.map((item) => fc.record({ projectVideoId: someVideo, promptImage: fc.option(fc.string({ minLength: 1 }), { nil: null }) }).map((link) => ({ ...item, ...link })))),
      ),
      runs: fc.constant([]),
      judgements: fc.constant({}),
    }).chain((doc) => review.map((r) => ({ ...doc, ...r })));
  });
