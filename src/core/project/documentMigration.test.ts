/**
 * Version 1 documents (a project of one video, its work at the top level) read by parseDocument:
 * every field ends up where version 3 keeps it, nothing is lost, and the result is a valid
 * version 3 document.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { oldItem, v1Document, type V1Document } from '../../testing/documentArbitraries';
import { V1_DOCUMENT } from '../../testing/documentFixtures';
import { qaItem } from '../../testing/qaTestKit';
import { EMPTY_WORK, MIGRATED_VIDEO_ID, emptyDocument, migratedVideoPath, parseDocument, type ProjectDocument, type VideoWork } from './document';

const WORK_FIELDS = ['instances', 'activeId', 'frames', 'queries', 'masklets', 'propagationRun'] as const;

/** Reads a stored version 1 document (through JSON, as it comes from storage or a file). */
function migrate(v1: unknown): ProjectDocument {
  const result = parseDocument(JSON.parse(JSON.stringify(v1)));
  if (!result.ok) throw new Error(`expected the document to be read: ${result.error}`);
  return result.doc;
}

/** The migrated document is itself a valid version 3 document that reads back unchanged. */
function expectValidV3(doc: ProjectDocument): void {
  expect(doc.version).toBe(3);
  expect(parseDocument(JSON.parse(JSON.stringify(doc)))).toEqual({ ok: true, doc });
}

describe('parseDocument of a version 1 document', () => {
  it('moves every field of a full document to where version 3 keeps it', () => {
    const v1 = V1_DOCUMENT;
    const doc = migrate(v1);
    // The video: its name becomes its path; size and facts are kept. Whether its bytes were
    // stored is the media store's business now (it finds the old Blob under the path).
    expect(doc.videos).toHaveLength(1);
    const video = doc.videos[0]!;
    expect(video.id).toBe(MIGRATED_VIDEO_ID);
    expect(video.path).toBe('clip.mp4');
    expect(video.byteLength).toBe(1234);
    expect(video.facts).toEqual({ width: 4, height: 3, frameCount: 10, fps: 25, durationS: 0.4 });
    expect(video.problem).toBeNull();
    expect(doc.openVideoId).toBe(MIGRATED_VIDEO_ID);
    // The work: every field identical, under the video's id, nothing else.
    expect(Object.keys(doc.work)).toEqual([MIGRATED_VIDEO_ID]);
    const work = doc.work[MIGRATED_VIDEO_ID]!;
    for (const field of WORK_FIELDS) expect(work[field], field).toEqual(v1[field]);
    expect(Object.keys(work).sort()).toEqual([...WORK_FIELDS].sort());
    expect(work.frames['a@0']!.prompts.map((p) => p.kind)).toEqual(['point', 'box', 'scribble']);
    expect(work.frames['a@0']!.mask).toEqual({ rle: { size: [3, 4], counts: [2, 5, 5] }, score: 0.93 });
    // Every item is about the one video and has no prompt image; all else is as it was.
    expect(doc.qaItems).toHaveLength(v1.qaItems.length);
    doc.qaItems.forEach((item, i) => {
      expect(item.projectVideoId, `qaItems[${i}]`).toBe(MIGRATED_VIDEO_ID);
      expect(item.promptImage, `qaItems[${i}]`).toBeNull();
      expect(oldItem(item), `qaItems[${i}]`).toEqual(v1.qaItems[i]);
    });
    // Runs and judgements are the project's, as they were.
    expect(doc.runs).toEqual(v1.runs);
    expect(doc.judgements).toEqual(v1.judgements);
    expect(Object.keys(doc).sort()).toEqual(['judgements', 'openVideoId', 'qaItems', 'runs', 'version', 'videos', 'work']);
    expectValidV3(doc);
  });

  it('keeps the items of a document without a video, under a video entry to come back to', () => {
    const items = [qaItem({ id: 'qa-1', instanceId: null }), qaItem({ id: 'qa-2', instanceId: null, options: [], answer: 'x' })].map(oldItem);
    const v1: V1Document = { version: 1, video: null, ...EMPTY_WORK, qaItems: items, runs: [], judgements: {} };
    const doc = migrate(v1);
    expect(doc.videos).toEqual([{ id: MIGRATED_VIDEO_ID, path: 'video', byteLength: null, facts: null, problem: null }]);
    expect(doc.openVideoId).toBe(MIGRATED_VIDEO_ID);
    expect(doc.work).toEqual({});
    expect(doc.qaItems).toEqual(items.map((item) => ({ ...item, projectVideoId: MIGRATED_VIDEO_ID, promptImage: null })));
    expectValidV3(doc);
  });

  it('keeps the work of a document without a video the same way', () => {
    const { video: _video, ...rest } = V1_DOCUMENT;
    const doc = migrate({ ...rest, video: null, qaItems: [] });
    expect(doc.videos).toEqual([{ id: MIGRATED_VIDEO_ID, path: 'video', byteLength: null, facts: null, problem: null }]);
    for (const field of WORK_FIELDS) expect(doc.work[MIGRATED_VIDEO_ID]![field], field).toEqual(V1_DOCUMENT[field]);
  });

  it('lists a video nobody worked on without a work entry, and an empty document as empty', () => {
    const bare: V1Document = { ...V1_DOCUMENT, ...EMPTY_WORK, propagationRun: null, qaItems: [], runs: [], judgements: {} };
    const doc = migrate(bare);
    expect(doc.videos.map((v) => v.path)).toEqual(['clip.mp4']);
    expect(doc.work).toEqual({});
    expect(migrate({ version: 1, video: null, ...EMPTY_WORK })).toEqual(emptyDocument());
  });

  it('gives the video a path version 3 accepts, whatever its name', () => {
    expect(migratedVideoPath('clip.mp4')).toBe('clip.mp4');
    expect(migratedVideoPath('holiday/clip.mp4')).toBe('holiday_clip.mp4');
    expect(migratedVideoPath('C:\\Videos\\clip.mp4')).toBe('C:_Videos_clip.mp4');
    expect(migratedVideoPath('../clip.mp4')).toBe('.._clip.mp4');
    for (const name of ['', '.', '..', '...']) expect(migratedVideoPath(name)).toBe('video');
    const doc = migrate({ ...V1_DOCUMENT, video: { ...V1_DOCUMENT.video!, name: '../up.mp4' } });
    expect(doc.videos[0]!.path).toBe('.._up.mp4');
    expectValidV3(doc);
  });

  it('names the field of a bad version 1 video', () => {
    const error = (video: unknown): string => {
      const result = parseDocument({ ...V1_DOCUMENT, video });
      if (result.ok) throw new Error('expected the document to be rejected');
      return result.error;
    };
    const ref = V1_DOCUMENT.video!;
    expect(error('clip.mp4')).toBe('video must be an object, found "clip.mp4"');
    expect(error({ ...ref, name: undefined })).toBe('video.name must be a string, found nothing');
    expect(error({ ...ref, byteLength: -1 })).toBe('video.byteLength must be an integer >= 0, found -1');
    expect(error({ ...ref, width: 1.5 })).toMatch(/^video\.width /);
    expect(error({ ...ref, height: '3' })).toMatch(/^video\.height /);
    expect(error({ ...ref, frameCount: null })).toBe('video.frameCount must be an integer >= 0, found null');
    expect(error({ ...ref, fps: null })).toMatch(/^video\.fps must be a finite number >= 0/);
    expect(error({ ...ref, durationS: -2 })).toMatch(/^video\.durationS /);
    expect(error({ ...ref, stored: 'yes' })).toBe('video.stored must be true or false, found "yes"');
  });

  it('migrates any version 1 document without loss (property)', () => {
    fc.assert(
      fc.property(v1Document, (v1) => {
        const doc = migrate(v1);
        const video = doc.videos[0];
        expect(doc.videos.length).toBeLessThanOrEqual(1);
        if (v1.video !== null) {
          const { name, byteLength, stored: _stored, ...facts } = v1.video;
          expect(doc.videos).toEqual([{ id: MIGRATED_VIDEO_ID, path: migratedVideoPath(name), byteLength, facts, problem: null }]);
        }
        // The work, wherever it went, is all there.
        const keys = Object.keys(doc.work);
        expect(keys.every((k) => k === MIGRATED_VIDEO_ID)).toBe(true);
        const work: VideoWork = doc.work[MIGRATED_VIDEO_ID] ?? EMPTY_WORK;
        for (const field of WORK_FIELDS) expect(work[field] ?? null, field).toEqual(v1[field] ?? null);
        // Every item is there, linked to the video (which exists whenever there are items).
        if (v1.qaItems.length > 0) expect(video).toBeDefined();
        expect(doc.qaItems).toEqual(v1.qaItems.map((item) => ({ ...item, projectVideoId: video?.id ?? null, promptImage: null })));
        expect(doc.runs).toEqual(v1.runs);
        expect(doc.judgements).toEqual(v1.judgements);
        expect(doc.openVideoId).toBe(video?.id ?? null);
        expectValidV3(doc);
      }),
      { numRuns: 300 },
    );
  });
});
