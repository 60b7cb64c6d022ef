import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { querySettings } from '../agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../agent/settings';
import { emptyDocument, type ProjectDocument } from '../project/document';
import type { ReviewRun, RunResult } from '../review/run';
import { sampleQuery } from '../../testing/sampleQuery';
import { qaItem, v2pRecord } from '../../testing/qaTestKit';
import { STUDIO_FORMAT, parseStudioJson, parseV2pDataset, toStudioJson } from './schemas';

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
  const doc: ProjectDocument = {
    ...emptyDocument(),
    instances: [{ id: 'i1', name: 'dog', color: '#f00', visible: true }],
    qaItems: [qaItem({ id: 'q1', instanceId: 'i1' }), qaItem({ id: 'q2', instanceId: null, options: [], answer: 'x' })],
  };

  function studioError(json: unknown): string {
    const r = parseStudioJson(json);
    if (r.ok) throw new Error('expected a failure');
    return r.error;
  }

  it('round-trips through JSON text', () => {
    const file = toStudioJson('My project', doc);
    expect(file.format).toBe(STUDIO_FORMAT);
    const back = parseStudioJson(JSON.parse(JSON.stringify(file)));
    expect(back).toEqual({ ok: true, studio: file });
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
    expect(parseStudioJson(JSON.parse(JSON.stringify(file)))).toEqual({ ok: true, studio: file });
    const bad = JSON.parse(JSON.stringify(file)) as { document: { runs: { results: { status: unknown }[] }[] } };
    bad.document.runs[0]!.results[1]!.status = 'lost';
    expect(studioError(bad)).toMatch(/^studio\.json: document: runs\[0\]\.results\[1\]\.status: /);
  });

  it('reads QA items given at the top level', () => {
    const file = { ...toStudioJson('p', { ...doc, qaItems: [] }), qaItems: doc.qaItems };
    const back = parseStudioJson(JSON.parse(JSON.stringify(file)));
    expect(back.ok && back.studio.document.qaItems).toEqual(doc.qaItems);
    expect(studioError({ ...toStudioJson('p', doc), qaItems: doc.qaItems })).toBe('studio.json: QA items are given twice, in "qaItems" and in "document.qaItems"');
  });

  it('refuses other formats, versions and malformed headers', () => {
    expect(studioError([])).toBe('studio.json: must be a JSON object, found an empty list');
    expect(studioError({ ...toStudioJson('p', doc), format: 'x' })).toBe('studio.json: "format" must be "videoseeker-studio", found "x": this is not a VideoSeeker Studio file');
    expect(studioError({ ...toStudioJson('p', doc), version: 2 })).toBe('studio.json: version 2 is not supported (this build reads version 1)');
    expect(studioError({ ...toStudioJson('p', doc), project: { name: 3 } })).toBe('studio.json: "project.name" must be a string, found 3');
    expect(studioError({ ...toStudioJson('p', doc), project: null })).toBe('studio.json: "project.name" must be a string, found null');
  });

  it('reports a bad document with parseDocument’s message', () => {
    const bad = { ...JSON.parse(JSON.stringify(toStudioJson('p', doc))) };
    bad.document.instances[0].visible = 'yes';
    expect(studioError(bad)).toBe('studio.json: document: instances[0].visible must be true or false, found "yes"');
  });

  it('refuses duplicate QA item ids and malformed items', () => {
    const dup = JSON.parse(JSON.stringify(toStudioJson('p', { ...doc, qaItems: [] })));
    dup.qaItems = [qaItem({ id: 'a', instanceId: null }), qaItem({ id: 'a', instanceId: null })];
    expect(studioError(dup)).toContain('qaItems[1].id "a" is used by an earlier item');
    dup.qaItems = [{ ...qaItem({ instanceId: null }), vpType: 'star' }];
    expect(studioError(dup)).toContain('qaItems[0].vpType');
  });

  it('refuses items linked to an instance or query the document does not have', () => {
    expect(studioError(JSON.parse(JSON.stringify(toStudioJson('p', { ...doc, qaItems: [qaItem({ instanceId: 'ghost' })] }))))).toBe(
      'studio.json: document.qaItems[0].instanceId "ghost" is not the id of one of the instances',
    );
    expect(studioError(JSON.parse(JSON.stringify(toStudioJson('p', { ...doc, qaItems: [qaItem({ instanceId: 'i1', resultQueryId: 'q9' })] }))))).toBe(
      'studio.json: document.qaItems[0].resultQueryId "q9" is not the id of one of the queries',
    );
  });
});
