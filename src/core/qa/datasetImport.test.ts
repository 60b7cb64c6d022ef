import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { v2pRecord } from '../../testing/qaTestKit';
import { CONFIRM_IMPORT_ITEMS, datasetSummary, needsConfirmation, parseDatasetText, type DatasetImportProgress } from './datasetImport';
import type { V2pRecord } from './v2p';

const record = (i: number, over: Partial<V2pRecord> = {}): V2pRecord => ({
  video_id: `v_${i}`,
  video_path: `S/v_${i}.mp4`,
  duration: 20,
  question: `Question ${i}?`,
  answer: 'yes',
  source: 'S',
  frame_path: `S/v_${i}.jpg`,
  dimension: 1,
  category: 2,
  ...over,
});

describe('parseDatasetText', () => {
  it('returns the records of a well-formed file, whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(v2pRecord, { maxLength: 6 }), (records) => {
        const key = (r: V2pRecord): string => JSON.stringify([r.video_id, r.frame_path, r.question]);
        const filled = (r: V2pRecord): boolean => r.video_id !== '' && r.video_path !== '' && r.question !== '' && (typeof r.frame_path === 'string' ? r.frame_path !== '' : r.frame_path.every((p) => p !== ''));
        const unique = records.filter((r, i) => filled(r) && records.findIndex((s) => key(s) === key(r)) === i);
        const parsed = parseDatasetText('d.json', JSON.stringify(unique));
        expect(parsed.ok && parsed.records).toEqual(unique);
      }),
    );
  });

  it('names the file in every error: not JSON, a bad record', () => {
    const broken = parseDatasetText('my big set.json', '[{"video_id": ');
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.error).toMatch(/^my big set\.json is not valid JSON \(.+\)$/);
    const bad = parseDatasetText('set.json', JSON.stringify([record(0), { ...record(1), duration: '12s' }]));
    expect(!bad.ok && bad.error).toBe('set.json: record 1 (video_id "v_1"): "duration" must be a number of seconds >= 0, found "12s"');
    const notList = parseDatasetText('set.json', '{"records": []}');
    expect(!notList.ok && notList.error).toBe('set.json: dataset_info.json must be a JSON array of records, found an object');
  });

  it('reports parsing, then checking about every 1 %, ending at the last record', () => {
    const seen: DatasetImportProgress[] = [];
    const parsed = parseDatasetText('d.json', JSON.stringify(Array.from({ length: 1234 }, (_, i) => record(i))), (p) => seen.push(p));
    expect(parsed.ok && parsed.records).toHaveLength(1234);
    expect(seen[0]).toEqual({ phase: 'parsing', done: 0, total: 1 });
    const checking = seen.slice(1);
    expect(checking.every((p) => p.phase === 'checking' && p.total === 1234)).toBe(true);
    expect(checking.length).toBeGreaterThanOrEqual(95);
    expect(checking.length).toBeLessThanOrEqual(101);
    expect(checking.map((p) => p.done)).toEqual([...checking.map((p) => p.done)].sort((a, b) => a - b));
    expect(checking.at(-1)!.done).toBe(1234);
  });
});

describe('needsConfirmation', () => {
  it('asks only above a few thousand items', () => {
    expect(CONFIRM_IMPORT_ITEMS).toBeGreaterThanOrEqual(2000);
    expect(CONFIRM_IMPORT_ITEMS).toBeLessThanOrEqual(10_000);
    expect(needsConfirmation(CONFIRM_IMPORT_ITEMS)).toBe(false);
    expect(needsConfirmation(CONFIRM_IMPORT_ITEMS + 1)).toBe(true);
    expect(needsConfirmation(2)).toBe(false);
  });
});

describe('datasetSummary', () => {
  it('counts the videos and frames found, and names a few missing videos only', () => {
    const records = Array.from({ length: 9 }, (_, i) => record(i, { video_path: `S/v_${i}.mp4` }));
    const has = (entry: string): boolean => entry === 'videos/S/v_0.mp4' || entry === 'frames/S/v_1.jpg' || entry === 'frames/S/v_2.jpg';
    expect(datasetSummary('set.zip', records, has, ['Ignored fields that are not V2P-Bench record fields: response.'])).toBe(
      'Imported 9 QA items from set.zip. Videos: 1 of 9 found; missing: S/v_1.mp4, S/v_2.mp4, S/v_3.mp4, S/v_4.mp4, S/v_5.mp4 and 3 more. Frames: 2 of 9 found. Ignored fields that are not V2P-Bench record fields: response.',
    );
    expect(datasetSummary('one.json', [record(0)], () => true)).toBe('Imported 1 QA item from one.json. Videos: 1 of 1 found. Frames: 1 of 1 found.');
  });
});
