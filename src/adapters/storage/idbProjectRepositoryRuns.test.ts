// @vitest-environment node
/**
 * Review runs in the IndexedDB repository: each run is a record of its own, written only when it
 * is a new object, so a 10,000-result import is not checked or written again on every edit.
 */
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { querySettings } from '../../core/agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../core/agent/settings';
import type { ProjectDocument } from '../../core/project/document';
import { StorageQuotaError } from '../../core/project/repository';
import type { ReviewRun, RunResult } from '../../core/review/run';
import { DATASET } from '../../testing/documentFixtures';
import { closeRepositories, countPuts, fresh, rawRecords, rawRuns, repositoryOver } from '../../testing/idbTestKit';
import { qaItem } from '../../testing/qaTestKit';
import { sampleQuery } from '../../testing/sampleQuery';

afterEach(() => {
  vi.restoreAllMocks();
  closeRepositories();
});

/** A two-video dataset without runs. */
const doc: ProjectDocument = { ...DATASET, runs: [], judgements: {} };

function result(n: number): RunResult {
  return {
    key: `line-${n}`,
    itemId: null,
    item: {
      videoId: `video_${n % 97}`,
      question: 'What is the target in the highlighted box holding?',
      options: ['A bag', 'A phone', 'A cup', 'Nothing'],
      answer: 'B',
      dimension: 3,
      category: 1,
      duration: 42.5,
      source: 'V2P-Bench',
      vpType: null,
      videoPath: `video_${n % 97}.mp4`,
      framePath: `frames/${n}.jpg`,
    },
    status: 'done',
    response: '<think>The person holds a phone.</think><answer>B</answer>',
    rawOutput: '<answer>B</answer>',
    userText: null,
    toolCalls: [{ name: 'crop_video', arguments: { video_path: `video_${n % 97}.mp4`, start: 1.5, end: 3 } }],
    numRounds: 2,
    error: null,
    model: 'qwen2.5-vl-7b',
    autoJudgement: null,
    query: null,
  };
}

function importedRun(id: string, size: number, createdAt: number): ReviewRun {
  return {
    id,
    name: `results ${id}.jsonl`,
    kind: 'import',
    createdAt,
    model: 'qwen2.5-vl-7b',
    settings: null,
    fileName: `${id}.jsonl`,
    concurrency: 1,
    state: 'imported',
    activeMs: 0,
    resumedAt: null,
    results: Array.from({ length: size }, (_, i) => result(i + 1)),
    report: null,
  };
}

function batchRun(id: string, createdAt: number): ReviewRun {
  return {
    ...importedRun(id, 0, createdAt),
    name: 'videoseeker-8b',
    kind: 'batch',
    model: 'videoseeker-8b',
    settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
    fileName: null,
    concurrency: 4,
    state: 'paused',
    activeMs: 1234,
    results: [
      { ...result(1), key: 'qa-1', itemId: 'qa-1', model: null, userText: 'You are...', query: sampleQuery('q-1', 'inst-1') },
      { ...result(2), key: 'qa-2', itemId: 'qa-2', status: 'pending', response: null, rawOutput: null, toolCalls: [], numRounds: null, model: null },
    ],
  };
}

describe('idbProjectRepository: review runs', () => {
  it('round-trips runs (ordered by creation, then id) and judgements; the document record holds no runs', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Review');
    const [late, early, sameTime] = [batchRun('b-late', 300), importedRun('i-early', 3, 100), importedRun('a-same', 2, 300)];
    const withRuns: ProjectDocument = { ...doc, runs: [late, early, sameTime], judgements: { 'b-late': { 'qa-1': { value: 1, note: 'right', at: 7 } }, 'i-early': { 'line-2': { value: null, note: 'check', at: 8 } } } };
    await repo.saveDocument(p.id, withRuns);

    const ordered = { ...withRuns, runs: [early, sameTime, late] };
    expect(await repo.loadDocument(p.id)).toEqual(ordered);
    const again = repositoryOver(dbName);
    expect(await again.loadDocument(p.id)).toEqual(ordered);

    const raw = await rawRecords(dbName, p.id);
    expect(raw.document).not.toHaveProperty('runs');
    expect(raw.document).toMatchObject({ judgements: withRuns.judgements });
    expect([...(await rawRuns(dbName, p.id)).keys()].sort()).toEqual(['a-same', 'b-late', 'i-early']);
  });

  it('writes an unchanged 10,000-result run once: a judgement or QA item change does not look at it again', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Big import');
    const big = importedRun('big', 10_000, 1);
    // Counts every look at the run's results from here on (a check, a copy, a measurement).
    const results = big.results;
    let looks = 0;
    const watched = Object.defineProperty({ ...big }, 'results', { enumerable: true, get: () => (looks++, results) }) as ReviewRun;
    const first: ProjectDocument = { ...doc, runs: [watched], judgements: {} };

    let t = performance.now();
    expect(await countPuts(() => repo.saveDocument(p.id, first))).toEqual({ runs: 1, documents: 1, work: 2, qa: 1, projects: 1 });
    const changedMs = performance.now() - t;

    looks = 0;
    const judged: ProjectDocument = { ...first, judgements: { big: { 'line-9999': { value: 0.5, note: '', at: 3 } } } };
    t = performance.now();
    expect(await countPuts(() => repo.saveDocument(p.id, judged))).toEqual({ documents: 1, projects: 1 });
    const unchangedMs = performance.now() - t;
    const withItem: ProjectDocument = { ...judged, qaItems: [...judged.qaItems, qaItem({ id: 'qa-9', instanceId: null, projectVideoId: 'video-2' })] };
    expect(await countPuts(() => repo.saveDocument(p.id, withItem))).toEqual({ qa: 1, projects: 1 });
    expect(looks).toBe(0);
    console.info(`saveDocument with a 10,000-result run: written ${changedMs.toFixed(0)} ms, unchanged ${unchangedMs.toFixed(1)} ms`);

    // A new run object (here: renamed) is written again, even with the same results; nothing else is.
    const renamed: ReviewRun = { ...big, name: 'renamed' };
    t = performance.now();
    expect(await countPuts(() => repo.saveDocument(p.id, { ...withItem, runs: [renamed] }))).toEqual({ runs: 1, projects: 1 });
    console.info(`saveDocument, the 10,000-result run renamed: ${(performance.now() - t).toFixed(0)} ms`);
    expect((await rawRuns(dbName, p.id)).get('big')).toMatchObject({ name: 'renamed' });
    expect(await repo.loadDocument(p.id)).toEqual({ ...withItem, runs: [renamed] });
  });

  it('remembers the runs it loaded: saving a loaded document rewrites none of them', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Reload');
    await repo.saveDocument(p.id, { ...doc, runs: [importedRun('i', 50, 1), batchRun('b', 2)] });
    const reloaded = repositoryOver(dbName);
    const loaded = (await reloaded.loadDocument(p.id))!;
    expect(await countPuts(() => reloaded.saveDocument(p.id, { ...loaded, judgements: { i: { 'line-1': { value: 1, note: '', at: 1 } } } }))).toEqual({ documents: 1, projects: 1 });
    // A repository that has not seen the project writes every run.
    const other = repositoryOver(dbName);
    expect(await countPuts(() => other.saveDocument(p.id, loaded))).toEqual({ runs: 2, documents: 1, work: 2, qa: 1, projects: 1 });
  });

  it('writes a batch run again as its results finish', async () => {
    const { repo } = fresh();
    const p = await repo.create('Batch');
    const before = batchRun('b', 1);
    await repo.saveDocument(p.id, { ...doc, runs: [before] });
    const after: ReviewRun = { ...before, results: [before.results[0]!, { ...before.results[1]!, status: 'done', response: 'B', rawOutput: 'B', numRounds: 1 }] };
    expect(await countPuts(() => repo.saveDocument(p.id, { ...doc, runs: [after] }))).toEqual({ runs: 1, projects: 1 });
    expect((await repo.loadDocument(p.id))!.runs).toEqual([after]);
    // A result that became invalid is still found, though the run's other results are not checked again.
    const broken = { ...after, results: [after.results[0]!, { ...after.results[1]!, status: 'lost' }] } as unknown as ReviewRun;
    await expect(repo.saveDocument(p.id, { ...doc, runs: [broken] })).rejects.toThrow(/invalid document.*runs\[0\]\.results\[1\]\.status/);
  });

  it('deletes runs the document no longer has, with their judgements', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Delete');
    const [a, b] = [importedRun('a', 3, 1), importedRun('b', 3, 2)];
    await repo.saveDocument(p.id, { ...doc, runs: [a, b], judgements: { a: { 'line-1': { value: 1, note: '', at: 1 } }, b: { 'line-1': { value: 0, note: '', at: 1 } } } });
    expect(await countPuts(() => repo.saveDocument(p.id, { ...doc, runs: [b], judgements: { a: { 'line-1': { value: 1, note: '', at: 1 } }, b: { 'line-1': { value: 0, note: '', at: 1 } } } }))).toEqual({ documents: 1, projects: 1 });
    expect([...(await rawRuns(dbName, p.id)).keys()]).toEqual(['b']);
    expect(await repo.loadDocument(p.id)).toEqual({ ...doc, runs: [b], judgements: { b: { 'line-1': { value: 0, note: '', at: 1 } } } });
  });

  it('writes a run again that is missing from the database although it was saved (another tab deleted it)', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Tabs');
    const a = importedRun('a', 3, 1);
    await repo.saveDocument(p.id, { ...doc, runs: [a] });
    const db = await openDB(dbName);
    await db.delete('runs', [p.id, 'a']);
    db.close();
    expect(await countPuts(() => repo.saveDocument(p.id, { ...doc, runs: [a] }))).toEqual({ runs: 1, projects: 1 });
    expect((await repo.loadDocument(p.id))!.runs).toEqual([a]);
  });

  it('remove deletes the project’s runs and no other project’s', async () => {
    const { repo, dbName } = fresh();
    const keep = await repo.create('Keep');
    const gone = await repo.create('Gone');
    for (const p of [keep, gone]) await repo.saveDocument(p.id, { ...doc, runs: [importedRun('r', 2, 1), importedRun('s', 2, 2)] });
    await repo.remove(gone.id);
    expect((await rawRuns(dbName, gone.id)).size).toBe(0);
    expect([...(await rawRuns(dbName, keep.id)).keys()]).toEqual(['r', 's']);
    expect(await repo.loadDocument(gone.id)).toBeNull();
    expect((await repo.loadDocument(keep.id))!.runs.map((r) => r.id)).toEqual(['r', 's']);
  });

  it('reports a damaged run record, naming the project and the field', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Damaged');
    await repo.saveDocument(p.id, { ...doc, runs: [importedRun('a', 3, 1)] });
    const db = await openDB(dbName);
    const stored = (await db.get('runs', [p.id, 'a'])) as { results: { status: unknown }[] };
    stored.results[2]!.status = 'lost';
    await db.put('runs', stored, [p.id, 'a']);
    db.close();
    await expect(repo.loadDocument(p.id)).rejects.toThrow(new RegExp(`^The saved annotations of project "Damaged" \\(${p.id}\\) cannot be read: runs\\[0\\]\\.results\\[2\\]\\.status: `));
  });

  it('keeps everything as it was when a save with runs fails, and writes the runs on the next try', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Atomic');
    const [a, b] = [importedRun('a', 3, 1), importedRun('b', 3, 2)];
    const saved: ProjectDocument = { ...doc, runs: [a, b], judgements: { a: { 'line-1': { value: 1, note: '', at: 1 } } } };
    await repo.saveDocument(p.id, saved);
    const [before] = await repo.list();

    // Changes run a, adds c, deletes b; the last put (the meta) is refused for lack of space.
    const next: ProjectDocument = { ...doc, runs: [{ ...a, name: 'changed' }, importedRun('c', 2, 3)], judgements: {} };
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'projects') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(repo.saveDocument(p.id, next)).rejects.toBeInstanceOf(StorageQuotaError);
    vi.restoreAllMocks();
    expect(await repo.loadDocument(p.id)).toEqual(saved);
    expect([...(await rawRuns(dbName, p.id)).keys()]).toEqual(['a', 'b']);
    expect(await repo.list()).toEqual([before]);

    // What failed is not taken as stored: the retry writes both new runs (and the other parts,
    // since the repository now remembers the copies it loaded, not the objects of `next`).
    expect(await countPuts(() => repo.saveDocument(p.id, next))).toEqual({ runs: 2, documents: 1, work: 2, qa: 1, projects: 1 });
    expect(await repo.loadDocument(p.id)).toEqual(next);
  });

  it('maps a quota failure while writing a run to StorageQuotaError, counting the run’s size', async () => {
    const { repo } = fresh();
    const p = await repo.create('Full');
    await repo.saveDocument(p.id, doc);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'runs') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const failure = repo.saveDocument(p.id, { ...doc, runs: [importedRun('big', 2_000, 1)] });
    await expect(failure).rejects.toThrow(/Not enough storage space to save the annotations of project "Full" \(\d+(\.\d)? MB\)/);
    vi.restoreAllMocks();
    expect(await repo.loadDocument(p.id)).toEqual(doc);
  });
});
