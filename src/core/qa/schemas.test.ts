import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { querySettings } from '../agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../agent/settings';
import { EMPTY_WORK, MIGRATED_VIDEO_ID, emptyDocument, type ProjectDocument, type ProjectVideo } from '../project/document';
import type { ReviewRun, RunResult } from '../review/run';
import { sampleQuery } from '../../testing/sampleQuery';
import { V1_DOCUMENT } from '../../testing/documentFixtures';
import { qaItem, v2pRecord } from '../../testing/qaTestKit';
import { STUDIO_FORMAT, STUDIO_VERSION, checkItemLinks, parseStudioJson, parseV2pDataset, toStudioJson } from './schemas';

const good = {
  video_id: 'v_1',
  video_path: 'S/v_1.mp4',
  duration: 20,
  question: 'Is it red?',
  answer: 'yes',
  source: 'S',
  frame_path: 'S/v_1.jpg',
  dimension: 1,
  category: 2,
};

function error(json: unknown): string {
  const r = parseV2pDataset(json);
  if (r.ok) throw new Error('expected a failure');
  return r.error;
}

describe('parseV2pDataset', () => {
  it('accepts well-formed records (string or list frame_path) and returns them as they are', () => {
    const list = { ...good, video_id: 'v_2', frame_path: ['S/a.jpg', 'S/b.jpg'] };
    expect(parseV2pDataset([good, list])).toEqual({ ok: true, records: [good, list], warnings: [] });
    expect(parseV2pDataset([])).toEqual({ ok: true, records: [], warnings: [] });
  });

  it('accepts every generated record that is not a duplicate', () => {
    fc.assert(
      fc.property(fc.array(v2pRecord, { maxLength: 5 }), (records) => {
        const valid = records.filter((r) => r.video_id !== '' && r.video_path !== '' && r.question !== '' && (typeof r.frame_path === 'string' ? r.frame_path !== '' : r.frame_path.every((p) => p !== '')));
        const unique = valid.filter((r, i) => valid.findIndex((s) => JSON.stringify([s.video_id, s.frame_path, s.question]) === JSON.stringify([r.video_id, r.frame_path, r.question])) === i);
        const result = parseV2pDataset(JSON.parse(JSON.stringify(unique)));
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.records).toEqual(unique);
      }),
    );
  });

  it('rejects what is not an array of objects', () => {
    expect(error({ records: [] })).toBe('dataset_info.json must be a JSON array of records, found an object');
    expect(error([good, 3])).toBe('record 1 must be an object, found 3');
    expect(error([null])).toBe('record 0 must be an object, found null');
  });

  it('names the record and field of a missing field', () => {
    const { answer: _, ...noAnswer } = good;
    void _;
    expect(error([good, { ...noAnswer, video_id: 'v_9' }])).toBe('record 1 (video_id "v_9"): field "answer" is missing');
  });

  it('names the record and field of each wrong type', () => {
    expect(error([{ ...good, duration: '20s' }])).toBe('record 0 (video_id "v_1"): "duration" must be a number of seconds >= 0, found "20s"');
    expect(error([{ ...good, duration: -1 }])).toContain('"duration" must be a number of seconds >= 0, found -1');
    expect(error([{ ...good, dimension: 1.5 }])).toContain('"dimension" must be an integer >= 0 (a V2P-Bench dimension code, 0 for none), found 1.5');
    expect(error([{ ...good, category: '2' }])).toContain('"category" must be an integer >= 0, found "2"');
    expect(error([{ ...good, answer: 1 }])).toContain('"answer" must be a string, found 1');
    expect(error([{ ...good, video_id: 7 }])).toBe('record 0: "video_id" must be a non-empty string, found 7');
    expect(error([{ ...good, question: '' }])).toContain('"question" must be a non-empty string, found ""');
    expect(error([{ ...good, frame_path: [] }])).toContain('"frame_path" must be a non-empty string (a path relative to frames/) or a non-empty list of them, found an empty list');
    expect(error([{ ...good, frame_path: ['a.jpg', 3] }])).toContain('"frame_path" must be a non-empty string (a path relative to frames/) or a non-empty list of them, found a list containing 3');
    expect(error([{ ...good, frame_path: null }])).toContain('found null');
    expect(error([{ ...good, source: {} }])).toContain('"source" must be a string, found an object');
  });

  it('refuses duplicates (same video_id, frame_path and question) and accepts the same question on another frame', () => {
    expect(error([good, { ...good, answer: 'no' }])).toBe('records 0 and 1 are duplicates: the same question about the same video and frame (video_id "v_1", frame_path "S/v_1.jpg")');
    expect(parseV2pDataset([good, { ...good, frame_path: 'S/v_1_b.jpg' }]).ok).toBe(true);
    expect(parseV2pDataset([good, { ...good, frame_path: ['S/v_1.jpg'] }]).ok).toBe(true);
  });

  it('warns about extra fields (dropped) and unknown dimension codes (kept)', () => {
    const r = parseV2pDataset([{ ...good, response: 'A', predict: 'A' }, { ...good, video_id: 'v_2', dimension: 8 }]);
    expect(r).toEqual({
      ok: true,
      records: [good, { ...good, video_id: 'v_2', dimension: 8 }],
      warnings: ['Ignored fields that are not V2P-Bench record fields: predict, response.', 'Dimension 8 (first in record 1) is not a V2P-Bench dimension code; kept as is.'],
    });
  });
});

describe('studio.json', () => {
  const video = (id: string, path: string): ProjectVideo => ({ id, path, byteLength: 10, facts: { width: 4, height: 3, frameCount: 20, fps: 10, durationS: 2 }, problem: null });
  /** Two videos, an object on each (named alike), a query on the first; an item about each. */
  const doc: ProjectDocument = {
    ...emptyDocument(),
    videos: [video('video-1', 'Farm/dog.mp4'), video('video-2', 'Farm/cat.mp4')],
    openVideoId: 'video-2',
    work: {
      'video-1': { ...EMPTY_WORK, instances: [{ id: 'i1', name: 'dog', color: '#f00', visible: true }], queries: [sampleQuery('q-9', 'i1')] },
      'video-2': { ...EMPTY_WORK, instances: [{ id: 'i2', name: 'cat', color: '#0f0', visible: true }] },
    },
    qaItems: [
      qaItem({ id: 'q1', instanceId: 'i1', resultQueryId: 'q-9', projectVideoId: 'video-1' }),
      qaItem({ id: 'q2', instanceId: null, options: [], answer: 'x', projectVideoId: 'video-2', promptImage: 'frames/Farm/cat.jpg' }),
    ],
  };
  const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

  function studioError(value: unknown): string {
    const r = parseStudioJson(value);
    if (r.ok) throw new Error('expected a failure');
    return r.error;
  }

  it('writes version 2 and round-trips a dataset through JSON text', () => {
    const file = toStudioJson('My project', doc);
    expect(file.format).toBe(STUDIO_FORMAT);
    expect(file.version).toBe(2);
    expect(STUDIO_VERSION).toBe(2);
    const back = parseStudioJson(json(file));
    expect(back).toEqual({ ok: true, studio: file });
    expect(back.ok && back.studio.document.qaItems.map((i) => [i.projectVideoId, i.promptImage])).toEqual([
      ['video-1', null],
      ['video-2', 'frames/Farm/cat.jpg'],
    ]);
  });

  it('round-trips review runs and judgements, and reports a bad run by its path', () => {
    const result: RunResult = {
      key: 'q1',
      itemId: 'q1',
      item: { videoId: 'clip', question: 'What colour is the dog?', options: ['Red', 'Green'], answer: 'B', dimension: 1, category: 2, duration: 12, source: 'Studio', vpType: 'rectangle', videoPath: null, framePath: null },
      status: 'done',
      response: '<answer>B</answer>',
      rawOutput: '<answer>B</answer>',
      userText: 'You are...',
      toolCalls: [{ name: 'crop_video', arguments: { start: 1, end: 2.5 } }],
      numRounds: 2,
      error: null,
      model: null,
      autoJudgement: null,
      query: sampleQuery('q-9', 'i1'),
    };
    const run: ReviewRun = {
      id: 'run-1',
      name: 'videoseeker-8b',
      kind: 'batch',
      createdAt: 5,
      model: 'videoseeker-8b',
      settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
      fileName: null,
      concurrency: 2,
      state: 'done',
      activeMs: 1500,
      resumedAt: null,
      results: [result, { ...result, key: 'q2', itemId: 'q2', status: 'failed', response: null, rawOutput: null, error: 'timeout', query: null }],
      report: null,
    };
    const withRuns: ProjectDocument = { ...doc, runs: [run], judgements: { 'run-1': { q2: { value: 0, note: 'timed out', at: 9 } } } };
    const file = toStudioJson('My project', withRuns);
    expect(parseStudioJson(json(file))).toEqual({ ok: true, studio: file });
    const bad = json(file) as { document: { runs: { results: { status: unknown }[] }[] } };
    bad.document.runs[0]!.results[1]!.status = 'lost';
    expect(studioError(bad)).toMatch(/^studio\.json: document: runs\[0\]\.results\[1\]\.status: /);
  });

  it('reads a version 1 file (one video): its document migrates and its top-level QA items are about its video', () => {
    const { qaItems: items, ...v1Document } = V1_DOCUMENT;
    const file = { format: STUDIO_FORMAT, version: 1, project: { name: 'Old' }, document: { ...v1Document, qaItems: [] }, qaItems: items };
    const back = parseStudioJson(json(file));
    if (!back.ok) throw new Error(back.error);
    // Read as the current version: a save writes it as version 2.
    expect(back.studio.version).toBe(2);
    expect(back.studio.project).toEqual({ name: 'Old' });
    const document = back.studio.document;
    expect(document.videos.map((v) => [v.id, v.path])).toEqual([[MIGRATED_VIDEO_ID, 'clip.mp4']]);
    expect(document.work[MIGRATED_VIDEO_ID]!.instances).toEqual(V1_DOCUMENT.instances);
    expect(document.qaItems).toEqual(items.map((item) => ({ ...item, projectVideoId: MIGRATED_VIDEO_ID, promptImage: null })));
    // Items inside the version 1 document are linked by the document's own migration.
    const inside = parseStudioJson(json({ ...file, document: V1_DOCUMENT, qaItems: undefined }));
    expect(inside.ok && inside.studio.document.qaItems).toEqual(document.qaItems);
    // An item naming an object the video does not have is refused there too.
    expect(studioError(json({ ...file, qaItems: [{ ...items[0]!, instanceId: 'ghost' }] }))).toBe(
      'studio.json: document.qaItems[0].instanceId "ghost" is not the id of one of the instances of its video',
    );
  });

  it('reads QA items given at the top level, linking them only when the document has one video', () => {
    const unlinked = doc.qaItems.map((item) => ({ ...item, instanceId: null, resultQueryId: null, projectVideoId: null }));
    // Two videos: which one an item is about cannot be guessed.
    const two = parseStudioJson(json({ ...toStudioJson('p', { ...doc, qaItems: [] }), qaItems: unlinked }));
    expect(two.ok && two.studio.document.qaItems).toEqual(unlinked);
    const one = parseStudioJson(json({ ...toStudioJson('p', { ...doc, videos: [doc.videos[1]!], openVideoId: null, work: {}, qaItems: [] }), qaItems: unlinked }));
    expect(one.ok && one.studio.document.qaItems.map((i) => i.projectVideoId)).toEqual(['video-2', 'video-2']);
    // An item that names its video keeps it.
    const named = parseStudioJson(json({ ...toStudioJson('p', { ...doc, qaItems: [] }), qaItems: doc.qaItems }));
    expect(named.ok && named.studio.document.qaItems).toEqual(doc.qaItems);
    expect(studioError({ ...toStudioJson('p', doc), qaItems: doc.qaItems })).toBe('studio.json: QA items are given twice, in "qaItems" and in "document.qaItems"');
  });

  it('refuses other formats, versions and malformed headers', () => {
    expect(studioError([])).toBe('studio.json: must be a JSON object, found an empty list');
    expect(studioError({ ...toStudioJson('p', doc), format: 'x' })).toBe('studio.json: "format" must be "videoseeker-studio", found "x": this is not a VideoSeeker Studio file');
    expect(studioError({ ...toStudioJson('p', doc), version: 3 })).toBe('studio.json: version 3 is not supported (this build reads versions 1 and 2)');
    expect(studioError({ ...toStudioJson('p', doc), version: '2' })).toBe('studio.json: version "2" is not supported (this build reads versions 1 and 2)');
    expect(studioError({ ...toStudioJson('p', doc), project: { name: 3 } })).toBe('studio.json: "project.name" must be a string, found 3');
    expect(studioError({ ...toStudioJson('p', doc), project: null })).toBe('studio.json: "project.name" must be a string, found null');
  });

  it('reports a bad document with parseDocument’s message', () => {
    const bad = json(toStudioJson('p', doc)) as { document: { work: Record<string, { instances: { visible: unknown }[] }> } };
    bad.document.work['video-2']!.instances[0]!.visible = 'yes';
    expect(studioError(bad)).toBe('studio.json: document: work["video-2"].instances[0].visible must be true or false, found "yes"');
    expect(studioError(json(toStudioJson('p', { ...doc, qaItems: [qaItem({ instanceId: null, projectVideoId: 'ghost' })] })))).toBe(
      'studio.json: document: qaItems[0].projectVideoId "ghost" is not the id of one of the videos',
    );
  });

  it('refuses duplicate QA item ids and malformed items', () => {
    const dup = json(toStudioJson('p', { ...doc, qaItems: [] })) as Record<string, unknown>;
    dup.qaItems = [qaItem({ id: 'a', instanceId: null }), qaItem({ id: 'a', instanceId: null })];
    expect(studioError(dup)).toContain('qaItems[1].id "a" is used by an earlier item');
    dup.qaItems = [{ ...qaItem({ instanceId: null }), vpType: 'star' }];
    expect(studioError(dup)).toContain('qaItems[0].vpType');
  });

  it('refuses items linked to an instance or query their own video does not have', () => {
    const refused = (item: Parameters<typeof qaItem>[0]): string => studioError(json(toStudioJson('p', { ...doc, qaItems: [qaItem(item)] })));
    expect(refused({ instanceId: 'ghost', projectVideoId: 'video-1' })).toBe('studio.json: document.qaItems[0].instanceId "ghost" is not the id of one of the instances of its video');
    // i1 is an object of video-1: an item about video-2 cannot point at it.
    expect(refused({ instanceId: 'i1', projectVideoId: 'video-2' })).toBe('studio.json: document.qaItems[0].instanceId "i1" is not the id of one of the instances of its video');
    expect(refused({ instanceId: 'i1', projectVideoId: null })).toBe('studio.json: document.qaItems[0].instanceId "i1" is not the id of one of the instances of its video');
    expect(refused({ instanceId: 'i1', resultQueryId: 'q9', projectVideoId: 'video-1' })).toBe('studio.json: document.qaItems[0].resultQueryId "q9" is not the id of one of the queries of its video');
    // q-9 was asked on video-1.
    expect(refused({ instanceId: 'i2', resultQueryId: 'q-9', projectVideoId: 'video-2' })).toBe('studio.json: document.qaItems[0].resultQueryId "q-9" is not the id of one of the queries of its video');
    // A top-level item is checked the same way, its video included.
    const top = { ...toStudioJson('p', { ...doc, qaItems: [] }), qaItems: [qaItem({ instanceId: null, projectVideoId: 'ghost' })] };
    expect(studioError(json(top))).toBe('studio.json: document.qaItems[0].projectVideoId "ghost" is not the id of one of the videos');
  });

  it('checkItemLinks looks an item’s object and query up in its own video only', () => {
    expect(checkItemLinks(doc.qaItems, doc)).toBeNull();
    expect(checkItemLinks([qaItem({ id: 'x', instanceId: 'i2', projectVideoId: 'video-2' })], doc)).toBeNull();
    expect(checkItemLinks([doc.qaItems[0]!, qaItem({ id: 'x', instanceId: 'i2', projectVideoId: 'video-1' })], doc)).toBe('qaItems[1].instanceId "i2" is not the id of one of the instances of its video');
    // A video nobody worked on has no objects.
    const third: ProjectDocument = { ...doc, videos: [...doc.videos, video('video-3', 'Farm/cow.mp4')] };
    expect(checkItemLinks([qaItem({ instanceId: null, projectVideoId: 'video-3' })], third)).toBeNull();
    expect(checkItemLinks([qaItem({ instanceId: 'i1', projectVideoId: 'video-3' })], third, 'items')).toBe('items[0].instanceId "i1" is not the id of one of the instances of its video');
    expect(checkItemLinks([qaItem({ instanceId: null, projectVideoId: 'video-9' })], doc)).toBe('qaItems[0].projectVideoId "video-9" is not the id of one of the videos');
  });
});
