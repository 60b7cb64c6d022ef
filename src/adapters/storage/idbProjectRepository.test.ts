// @vitest-environment node
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument, type ProjectDocument } from '../../core/project/document';
import { StorageQuotaError } from '../../core/project/repository';
import type { ReviewRun, RunResult } from '../../core/review/run';
import { querySettings } from '../../core/agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../../core/agent/settings';
import { sampleQuery } from '../../testing/sampleQuery';
import { createIdbProjectRepository, type IdbProjectRepository } from './idbProjectRepository';

let dbCounter = 0;
const open: IdbProjectRepository[] = [];

/** A repository over a database no other test uses, with a clock that ticks 1 ms per reading. */
function fresh(): { repo: IdbProjectRepository; dbName: string } {
  const dbName = `test-${Date.now()}-${dbCounter++}`;
  let t = 1_000;
  const repo = createIdbProjectRepository(dbName, { now: () => t++ });
  open.push(repo);
  return { repo, dbName };
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const repo of open.splice(0)) repo.close();
});

const doc: ProjectDocument = {
  version: 1,
  video: { name: 'cats.mp4', byteLength: 5, width: 4, height: 3, frameCount: 12, fps: 30, durationS: 0.4, stored: true },
  instances: [
    { id: 'inst-1', name: 'Object 1', color: '#ff3b30', visible: true },
    { id: 'inst-2', name: 'Tabby', color: '#ffcc00', visible: false },
  ],
  activeId: 'inst-2',
  frames: {
    'inst-1@0': {
      prompts: [
        { kind: 'point', x: 1.25, y: 2.5, positive: true },
        { kind: 'point', x: 3, y: 0, positive: false },
        { kind: 'box', x0: 0, y0: 0.5, x1: 3.75, y1: 2 },
        { kind: 'scribble', path: [0.5, 0.5, 1.25, 1, 2, 1.75] },
      ],
      mask: { rle: { size: [3, 4], counts: [0, 2, 1, 3, 6] }, score: 0.912345678 },
    },
    'inst-2@11': { prompts: [{ kind: 'point', x: 2, y: 1, positive: true }], mask: null },
  },
  queries: [],
  masklets: {},
  qaItems: [],
  runs: [],
  judgements: {},
};

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

/** The raw run records of a project, by run id. */
async function rawRuns(dbName: string, id: string): Promise<Map<string, unknown>> {
  const db = await openDB(dbName);
  try {
    const range = IDBKeyRange.bound([id], [id, []]);
    const [keys, values] = await Promise.all([db.getAllKeys('runs', range), db.getAll('runs', range)]);
    return new Map(keys.map((k, i) => [(k as [string, string])[1], values[i]]));
  } finally {
    db.close();
  }
}

/** Counts the puts per object store while `body` runs. */
async function countPuts(body: () => Promise<void>): Promise<Record<string, number>> {
  const puts: Record<string, number> = {};
  const spy = vi.spyOn(IDBObjectStore.prototype, 'put');
  try {
    await body();
    for (const store of spy.mock.contexts) {
      const name = (store as IDBObjectStore).name;
      puts[name] = (puts[name] ?? 0) + 1;
    }
    return puts;
  } finally {
    spy.mockRestore();
  }
}

/** Reads the raw records of a project straight from the database. */
async function rawRecords(dbName: string, id: string): Promise<{ meta: unknown; document: unknown; video: unknown }> {
  const db = await openDB(dbName);
  try {
    const [meta, document, video] = await Promise.all([db.get('projects', id), db.get('documents', id), db.get('videos', id)]);
    return { meta, document, video };
  } finally {
    db.close();
  }
}

describe('idbProjectRepository', () => {
  it('works with fake-indexeddb and idb 8', async () => {
    const { repo } = fresh();
    expect(await repo.list()).toEqual([]);
    expect(await repo.getLastOpened()).toBeNull();
  });

  it('creates, lists newest first, renames and removes projects', async () => {
    const { repo } = fresh();
    const a = await repo.create('  Cats  ');
    const b = await repo.create('Dogs');
    const c = await repo.create('Birds');
    expect(a).toMatchObject({ name: 'Cats', videoName: null });
    expect(a.createdAt).toBe(a.updatedAt);
    expect(new Set([a.id, b.id, c.id]).size).toBe(3);
    expect((await repo.list()).map((p) => p.name)).toEqual(['Birds', 'Dogs', 'Cats']);

    const renamed = await repo.rename(a.id, 'Kittens');
    expect(renamed).toMatchObject({ id: a.id, name: 'Kittens', createdAt: a.createdAt });
    expect(renamed.updatedAt).toBeGreaterThan(a.updatedAt);
    expect((await repo.list()).map((p) => p.name)).toEqual(['Kittens', 'Birds', 'Dogs']);

    // Saving moves a project to the top too.
    await repo.saveDocument(b.id, emptyDocument());
    expect((await repo.list()).map((p) => p.name)).toEqual(['Dogs', 'Kittens', 'Birds']);

    await repo.remove(c.id);
    expect((await repo.list()).map((p) => p.id)).toEqual([b.id, a.id]);
    await repo.remove('no-such-project');
    expect(await repo.list()).toHaveLength(2);
  });

  it('rejects empty names and unknown projects', async () => {
    const { repo } = fresh();
    await expect(repo.create('   ')).rejects.toThrow(/name cannot be empty/);
    const p = await repo.create('Cats');
    await expect(repo.rename(p.id, '')).rejects.toThrow(/name cannot be empty/);
    await expect(repo.rename('nope', 'x')).rejects.toThrow(/no project with id "nope"/);
    await expect(repo.saveDocument('nope', doc)).rejects.toThrow(/no project with id "nope"/);
    await expect(repo.saveVideo('nope', new Blob(['x']), 'x.mp4')).rejects.toThrow(/no project with id "nope"/);
    await expect(repo.setLastOpened('nope')).rejects.toThrow(/no project with id "nope"/);
    expect(await repo.loadDocument('nope')).toBeNull();
    expect(await repo.loadVideo('nope')).toBeNull();
    // A failed save leaves nothing behind.
    expect(await repo.list()).toEqual([p]);
  });

  it('round-trips a document with instances, prompts and RLE masks exactly', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Cats');
    expect(await repo.loadDocument(p.id)).toBeNull();
    await repo.saveDocument(p.id, doc);
    expect(await repo.loadDocument(p.id)).toEqual(doc);

    const [meta] = await repo.list();
    expect(meta).toMatchObject({ id: p.id, name: 'Cats', videoName: 'cats.mp4', createdAt: p.createdAt });
    expect(meta!.updatedAt).toBeGreaterThan(p.updatedAt);

    // A second connection (a reload) reads the same data.
    const again = createIdbProjectRepository(dbName);
    open.push(again);
    expect(await again.loadDocument(p.id)).toEqual(doc);

    // Saving again replaces the document; a document without a video clears videoName.
    await repo.saveDocument(p.id, emptyDocument());
    expect(await repo.loadDocument(p.id)).toEqual(emptyDocument());
    expect((await repo.list())[0]!.videoName).toBeNull();
  });

  it('stores the document as plain data, without fields it does not know', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Cats');
    await repo.saveDocument(p.id, { ...doc, extra: () => 'not cloneable' } as ProjectDocument);
    // Runs are kept in their own store.
    const { runs: _runs, ...withoutRuns } = doc;
    expect((await rawRecords(dbName, p.id)).document).toEqual(withoutRuns);
    await expect(repo.saveDocument(p.id, { ...doc, activeId: 'ghost' })).rejects.toThrow(/invalid document.*activeId "ghost"/);
    expect(await repo.loadDocument(p.id)).toEqual(doc);
  });

  it('round-trips a video Blob byte for byte', async () => {
    const { repo } = fresh();
    const p = await repo.create('Cats');
    expect(await repo.loadVideo(p.id)).toBeNull();
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) % 256);
    await repo.saveVideo(p.id, new Blob([bytes], { type: 'video/mp4' }), 'cats.mp4');

    const loaded = await repo.loadVideo(p.id);
    expect(loaded).not.toBeNull();
    expect(loaded!.name).toBe('cats.mp4');
    expect(loaded!.file).toBeInstanceOf(Blob);
    expect(loaded!.file.type).toBe('video/mp4');
    const read = new Uint8Array(await loaded!.file.arrayBuffer());
    expect(read.length).toBe(bytes.length);
    expect(Buffer.compare(read, bytes)).toBe(0);

    await repo.saveVideo(p.id, new Blob([new Uint8Array([1, 2, 3])]), 'short.webm');
    const replaced = await repo.loadVideo(p.id);
    expect(replaced!.name).toBe('short.webm');
    expect([...new Uint8Array(await replaced!.file.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('remove deletes the meta, the document and the video', async () => {
    const { repo, dbName } = fresh();
    const keep = await repo.create('Keep');
    const gone = await repo.create('Gone');
    for (const p of [keep, gone]) {
      await repo.saveDocument(p.id, doc);
      await repo.saveVideo(p.id, new Blob([new Uint8Array([9, 8, 7])]), 'v.mp4');
    }
    expect(await rawRecords(dbName, gone.id)).toMatchObject({ meta: expect.anything(), document: expect.anything(), video: expect.anything() });

    await repo.remove(gone.id);
    expect(await rawRecords(dbName, gone.id)).toEqual({ meta: undefined, document: undefined, video: undefined });
    expect(await repo.loadDocument(gone.id)).toBeNull();
    expect(await repo.loadVideo(gone.id)).toBeNull();
    // The other project is untouched.
    expect(await repo.loadDocument(keep.id)).toEqual(doc);
    expect((await repo.loadVideo(keep.id))!.name).toBe('v.mp4');
  });

  it('remembers the last opened project, and forgets it when it is removed', async () => {
    const { repo, dbName } = fresh();
    const a = await repo.create('A');
    const b = await repo.create('B');
    expect(await repo.getLastOpened()).toBeNull();
    await repo.setLastOpened(a.id);
    expect(await repo.getLastOpened()).toBe(a.id);
    await repo.setLastOpened(b.id);

    const again = createIdbProjectRepository(dbName);
    open.push(again);
    expect(await again.getLastOpened()).toBe(b.id);

    await repo.remove(a.id);
    expect(await repo.getLastOpened()).toBe(b.id);
    await repo.remove(b.id);
    expect(await repo.getLastOpened()).toBeNull();
  });

  it('reports a corrupted or old document clearly, naming the project', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Holiday');
    await repo.saveDocument(p.id, doc);

    const db = await openDB(dbName);
    const stored = (await db.get('documents', p.id)) as { instances: { visible: unknown }[] };
    stored.instances[1]!.visible = 'sometimes';
    await db.put('documents', stored, p.id);
    const other = await repo.create('Old');
    await db.put('documents', { version: 0, shapes: [] }, other.id);
    db.close();

    await expect(repo.loadDocument(p.id)).rejects.toThrow(
      `The saved annotations of project "Holiday" (${p.id}) cannot be read: instances[1].visible must be true or false, found "sometimes".`,
    );
    await expect(repo.loadDocument(other.id)).rejects.toThrow(/project "Old" .*version 0 is not supported/);
    // The rest of the repository still works.
    expect((await repo.list()).map((m) => m.name)).toEqual(['Old', 'Holiday']);
  });

  it('leaves a damaged meta record out of the list instead of failing', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Fine');
    const db = await openDB(dbName);
    await db.put('projects', { id: 'bad', name: 42 });
    db.close();
    expect(await repo.list()).toEqual([p]);
  });

  describe('review runs', () => {
    it('round-trips runs (ordered by creation, then id) and judgements; the document record holds no runs', async () => {
      const { repo, dbName } = fresh();
      const p = await repo.create('Review');
      const [late, early, sameTime] = [batchRun('b-late', 300), importedRun('i-early', 3, 100), importedRun('a-same', 2, 300)];
      const withRuns: ProjectDocument = { ...doc, runs: [late, early, sameTime], judgements: { 'b-late': { 'qa-1': { value: 1, note: 'right', at: 7 } }, 'i-early': { 'line-2': { value: null, note: 'check', at: 8 } } } };
      await repo.saveDocument(p.id, withRuns);

      const ordered = { ...withRuns, runs: [early, sameTime, late] };
      expect(await repo.loadDocument(p.id)).toEqual(ordered);
      const again = createIdbProjectRepository(dbName);
      open.push(again);
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
      expect(await countPuts(() => repo.saveDocument(p.id, first))).toEqual({ runs: 1, documents: 1, projects: 1 });
      const changedMs = performance.now() - t;

      looks = 0;
      const judged: ProjectDocument = { ...first, judgements: { big: { 'line-9999': { value: 0.5, note: '', at: 3 } } } };
      t = performance.now();
      expect(await countPuts(() => repo.saveDocument(p.id, judged))).toEqual({ documents: 1, projects: 1 });
      const unchangedMs = performance.now() - t;
      const withItem: ProjectDocument = { ...judged, qaItems: [{ id: 'qa-1', instanceId: null, videoId: 'v', frame: null, vpType: 'point', colour: '#f00', question: 'Q?', options: [], answer: 'A', dimension: null, category: null, source: '', notes: '', createdAt: 1, resultQueryId: null, videoPath: null, framePath: null, duration: null }] };
      expect(await countPuts(() => repo.saveDocument(p.id, withItem))).toEqual({ documents: 1, projects: 1 });
      expect(looks).toBe(0);
      console.info(`saveDocument with a 10,000-result run: written ${changedMs.toFixed(0)} ms, unchanged ${unchangedMs.toFixed(1)} ms`);

      // A new run object (here: renamed) is written again, even with the same results.
      const renamed: ReviewRun = { ...big, name: 'renamed' };
      t = performance.now();
      expect(await countPuts(() => repo.saveDocument(p.id, { ...withItem, runs: [renamed] }))).toEqual({ runs: 1, documents: 1, projects: 1 });
      console.info(`saveDocument, the 10,000-result run renamed: ${(performance.now() - t).toFixed(0)} ms`);
      expect((await rawRuns(dbName, p.id)).get('big')).toMatchObject({ name: 'renamed' });
      expect(await repo.loadDocument(p.id)).toEqual({ ...withItem, runs: [renamed] });
    });

    it('remembers the runs it loaded: saving a loaded document rewrites none of them', async () => {
      const { repo, dbName } = fresh();
      const p = await repo.create('Reload');
      await repo.saveDocument(p.id, { ...doc, runs: [importedRun('i', 50, 1), batchRun('b', 2)] });
      const reloaded = createIdbProjectRepository(dbName);
      open.push(reloaded);
      const loaded = (await reloaded.loadDocument(p.id))!;
      expect(await countPuts(() => reloaded.saveDocument(p.id, { ...loaded, judgements: { i: { 'line-1': { value: 1, note: '', at: 1 } } } }))).toEqual({ documents: 1, projects: 1 });
      // A repository that has not seen the project writes every run.
      const other = createIdbProjectRepository(dbName);
      open.push(other);
      expect(await countPuts(() => other.saveDocument(p.id, loaded))).toEqual({ runs: 2, documents: 1, projects: 1 });
    });

    it('writes a batch run again as its results finish', async () => {
      const { repo } = fresh();
      const p = await repo.create('Batch');
      const before = batchRun('b', 1);
      await repo.saveDocument(p.id, { ...doc, runs: [before] });
      const after: ReviewRun = { ...before, results: [before.results[0]!, { ...before.results[1]!, status: 'done', response: 'B', rawOutput: 'B', numRounds: 1 }] };
      expect(await countPuts(() => repo.saveDocument(p.id, { ...doc, runs: [after] }))).toEqual({ runs: 1, documents: 1, projects: 1 });
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
      expect(await countPuts(() => repo.saveDocument(p.id, { ...doc, runs: [a] }))).toEqual({ runs: 1, documents: 1, projects: 1 });
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

    it('upgrades a version 1 database, keeping its projects, documents and videos', async () => {
      const dbName = `test-v1-${Date.now()}-${dbCounter++}`;
      const v1 = await openDB(dbName, 1, {
        upgrade(database) {
          database.createObjectStore('projects', { keyPath: 'id' });
          database.createObjectStore('documents');
          database.createObjectStore('videos');
          database.createObjectStore('settings');
        },
      });
      const meta = { id: 'old', name: 'Old project', createdAt: 5, updatedAt: 6, videoName: 'cats.mp4' };
      // A document as version 1 builds wrote it: no QA items, runs or judgements.
      const { qaItems: _q, runs: _r, judgements: _j, ...oldDoc } = doc;
      await v1.put('projects', meta);
      await v1.put('documents', oldDoc, 'old');
      await v1.put('videos', { blob: new Blob([new Uint8Array([1, 2])]), name: 'cats.mp4' }, 'old');
      await v1.put('settings', 'old', 'lastOpened');
      v1.close();

      const repo = createIdbProjectRepository(dbName);
      open.push(repo);
      expect(await repo.list()).toEqual([meta]);
      expect(await repo.getLastOpened()).toBe('old');
      expect(await repo.loadDocument('old')).toEqual(doc);
      expect((await repo.loadVideo('old'))!.name).toBe('cats.mp4');
      const withRun = { ...doc, runs: [importedRun('r', 2, 1)] };
      await repo.saveDocument('old', withRun);
      expect(await repo.loadDocument('old')).toEqual(withRun);
      const db = await openDB(dbName);
      expect(db.version).toBe(2);
      db.close();
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

      // What failed is not taken as stored: the retry writes both new runs.
      expect(await countPuts(() => repo.saveDocument(p.id, next))).toEqual({ runs: 2, documents: 1, projects: 1 });
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

  describe('when storage is full', () => {
    it('throws StorageQuotaError from a failing put and keeps the earlier document and meta', async () => {
      const { repo } = fresh();
      const p = await repo.create('Cats');
      await repo.saveDocument(p.id, doc);
      const [before] = await repo.list();

      // The save's second put (of document and meta) is refused; the first, already queued, must be rolled back.
      const put = IDBObjectStore.prototype.put;
      let calls = 0;
      const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (++calls === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      });
      const bigger: ProjectDocument = { ...doc, instances: [...doc.instances, { id: 'inst-3', name: 'New', color: '#34c759', visible: true }] };
      const failure = repo.saveDocument(p.id, bigger);
      await expect(failure).rejects.toBeInstanceOf(StorageQuotaError);
      await expect(failure).rejects.toThrow(/Not enough storage space to save the annotations of project "Cats" \(\d+(\.\d)? (B|kB)\)\..*earlier saves are intact/);
      expect(spy.mock.contexts.map((store) => (store as IDBObjectStore).name).sort()).toEqual(['documents', 'projects']);
      spy.mockRestore();

      expect(await repo.loadDocument(p.id)).toEqual(doc);
      expect(await repo.list()).toEqual([before]);
      // And the repository is usable afterwards.
      await repo.saveDocument(p.id, bigger);
      expect(await repo.loadDocument(p.id)).toEqual(bigger);
    });

    it('throws StorageQuotaError when the transaction aborts with a quota error (AbortError on the requests)', async () => {
      const { repo } = fresh();
      const p = await repo.create('Cats');
      const video = new Blob([new Uint8Array([1, 2, 3, 4])], { type: 'video/mp4' });
      await repo.saveVideo(p.id, video, 'first.mp4');
      await repo.saveDocument(p.id, doc);
      const [before] = await repo.list();

      // What browsers do when the disk fills while committing: the transaction aborts with a
      // QuotaExceededError as its error, and its requests fail with AbortError.
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, args);
        if (this.name === 'videos') (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
        return request;
      });
      const failure = repo.saveVideo(p.id, new Blob([new Uint8Array(2_500_000)]), 'second.mp4');
      await expect(failure).rejects.toBeInstanceOf(StorageQuotaError);
      await expect(failure).rejects.toThrow('Not enough storage space to save the video "second.mp4" of project "Cats" (2.5 MB). Nothing was changed: earlier saves are intact.');
      const error = (await failure.catch((e: unknown) => e)) as StorageQuotaError;
      expect(error.bytes).toBe(2_500_000);
      expect((error.cause as DOMException).name).toBe('QuotaExceededError');
      vi.restoreAllMocks();

      const loaded = await repo.loadVideo(p.id);
      expect(loaded!.name).toBe('first.mp4');
      expect([...new Uint8Array(await loaded!.file.arrayBuffer())]).toEqual([1, 2, 3, 4]);
      expect(await repo.loadDocument(p.id)).toEqual(doc);
      expect(await repo.list()).toEqual([before]);
    });

    it('passes other failures through unchanged', async () => {
      const { repo } = fresh();
      const p = await repo.create('Cats');
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
        throw new DOMException('Disk on fire', 'UnknownError');
      });
      await expect(repo.saveDocument(p.id, doc)).rejects.toThrow('Disk on fire');
      vi.restoreAllMocks();
      expect(await repo.loadDocument(p.id)).toBeNull();
    });
  });
});
