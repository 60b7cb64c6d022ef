// @vitest-environment node
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument, type ProjectDocument } from '../../core/project/document';
import { StorageQuotaError } from '../../core/project/repository';
import { CLIP_WORK, DATASET, OTHER_WORK } from '../../testing/documentFixtures';
import { closeRepositories, fresh, rawRecords, rawRuns, rawWork, repositoryOver } from '../../testing/idbTestKit';

afterEach(() => {
  vi.restoreAllMocks();
  closeRepositories();
});

/** A two-video dataset: work on both, QA items, runs and judgements. */
const doc: ProjectDocument = DATASET;

describe('idbProjectRepository', () => {
  it('works with fake-indexeddb and idb 8', async () => {
    const { repo } = fresh();
    expect(await repo.list()).toEqual([]);
    expect(await repo.getLastOpened()).toBeNull();
    expect(repo.lastSaveStats()).toBeNull();
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
    await expect(repo.setLastOpened('nope')).rejects.toThrow(/no project with id "nope"/);
    expect(await repo.loadDocument('nope')).toBeNull();
    // A failed save leaves nothing behind.
    expect(await repo.list()).toEqual([p]);
  });

  it('round-trips a dataset with objects, prompts, RLE masks, masklets and QA items exactly', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Cats');
    expect(await repo.loadDocument(p.id)).toBeNull();
    await repo.saveDocument(p.id, doc);
    expect(await repo.loadDocument(p.id)).toEqual(doc);

    // The list shows the open video's file name and how many videos there are.
    const [meta] = await repo.list();
    expect(meta).toMatchObject({ id: p.id, name: 'Cats', videoName: 'clip.mp4', videoCount: 2, createdAt: p.createdAt });
    expect(meta!.updatedAt).toBeGreaterThan(p.updatedAt);

    // A second connection (a reload) reads the same data.
    expect(await repositoryOver(dbName).loadDocument(p.id)).toEqual(doc);

    // Saving again replaces the document and its parts; a document without videos clears videoName.
    await repo.saveDocument(p.id, emptyDocument());
    expect(await repo.loadDocument(p.id)).toEqual(emptyDocument());
    expect((await repo.list())[0]).toMatchObject({ videoName: null, videoCount: 0 });
    expect((await rawWork(dbName, p.id)).size).toBe(0);
    expect((await rawRuns(dbName, p.id)).size).toBe(0);
    // No items: no chunk of them.
    expect((await rawRecords(dbName, p.id)).qa).toBeUndefined();
  });

  it('stores each part apart, as plain data, without fields it does not know', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Cats');
    const odd = { ...doc, extra: () => 'not cloneable', work: { ...doc.work, 'video-2': { ...OTHER_WORK, extra: () => 'not cloneable' } } } as ProjectDocument;
    await repo.saveDocument(p.id, odd);
    const raw = await rawRecords(dbName, p.id);
    // The project record: the videos, the open one and the judgements; the rest lives apart.
    expect(raw.document).toEqual({ version: 3, videos: doc.videos, openVideoId: doc.openVideoId, judgements: doc.judgements });
    expect(await rawWork(dbName, p.id)).toEqual(new Map([['video-1', CLIP_WORK], ['video-2', OTHER_WORK]]));
    expect(raw.qa).toEqual(doc.qaItems);
    expect([...(await rawRuns(dbName, p.id)).keys()]).toEqual(['r1', 'r2']);

    const ghost: ProjectDocument = { ...doc, work: { ...doc.work, 'video-1': { ...CLIP_WORK, activeId: 'ghost' } } };
    await expect(repo.saveDocument(p.id, ghost)).rejects.toThrow(/invalid document.*work\["video-1"\]\.activeId "ghost"/);
    const stray: ProjectDocument = { ...doc, work: { ...doc.work, 'video-9': OTHER_WORK } };
    await expect(repo.saveDocument(p.id, stray)).rejects.toThrow(/invalid document.*work\["video-9"\] refers to video "video-9", which is not in videos/);
    // An item's object and query are looked up in its own video: b@x and q-1 are video-1's.
    const otherObject: ProjectDocument = { ...doc, qaItems: [{ ...doc.qaItems[0]!, instanceId: 'b@x', resultQueryId: null, projectVideoId: 'video-2' }] };
    await expect(repo.saveDocument(p.id, otherObject)).rejects.toThrow(/invalid document.*qaItems\[0\]\.instanceId "b@x" is not the id of one of the instances of its video/);
    const otherQuery: ProjectDocument = { ...doc, qaItems: [{ ...doc.qaItems[0]!, projectVideoId: 'video-2' }] };
    await expect(repo.saveDocument(p.id, otherQuery)).rejects.toThrow(/invalid document.*qaItems\[0\]\.resultQueryId "q-1" is not the id of one of the queries of its video/);
    expect(await repo.loadDocument(p.id)).toEqual(doc);
  });

  it('remove deletes the meta, the project record, its work, QA items and runs, and a legacy video', async () => {
    const { repo, dbName } = fresh();
    const keep = await repo.create('Keep');
    const gone = await repo.create('Gone');
    const db = await openDB(dbName);
    for (const p of [keep, gone]) {
      await repo.saveDocument(p.id, doc);
      // The one video a project of the one-video era kept.
      await db.put('videos', { blob: new Blob([new Uint8Array([9, 8, 7])]), name: 'v.mp4' }, p.id);
    }
    db.close();
    expect(await rawRecords(dbName, gone.id)).toMatchObject({ meta: expect.anything(), document: expect.anything(), qa: expect.anything(), video: expect.anything() });

    await repo.remove(gone.id);
    expect(await rawRecords(dbName, gone.id)).toEqual({ meta: undefined, document: undefined, qa: undefined, video: undefined });
    expect((await rawWork(dbName, gone.id)).size).toBe(0);
    expect((await rawRuns(dbName, gone.id)).size).toBe(0);
    expect(await repo.loadDocument(gone.id)).toBeNull();
    // The other project is untouched.
    expect(await repo.loadDocument(keep.id)).toEqual(doc);
    expect((await rawWork(dbName, keep.id)).size).toBe(2);
    expect((await rawRecords(dbName, keep.id)).video).toMatchObject({ name: 'v.mp4' });
  });

  it('remembers the last opened project, and forgets it when it is removed', async () => {
    const { repo, dbName } = fresh();
    const a = await repo.create('A');
    const b = await repo.create('B');
    expect(await repo.getLastOpened()).toBeNull();
    await repo.setLastOpened(a.id);
    expect(await repo.getLastOpened()).toBe(a.id);
    await repo.setLastOpened(b.id);

    expect(await repositoryOver(dbName).getLastOpened()).toBe(b.id);

    await repo.remove(a.id);
    expect(await repo.getLastOpened()).toBe(b.id);
    await repo.remove(b.id);
    expect(await repo.getLastOpened()).toBeNull();
  });

  it('reports a damaged record clearly, naming the project and the field', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Holiday');
    await repo.saveDocument(p.id, doc);
    const path = await repo.create('Paths');
    await repo.saveDocument(path.id, doc);
    const items = await repo.create('Items');
    await repo.saveDocument(items.id, doc);
    const other = await repo.create('Old');

    const db = await openDB(dbName);
    const work = (await db.get('work', [p.id, 'video-1'])) as { instances: { visible: unknown }[] };
    work.instances[1]!.visible = 'sometimes';
    await db.put('work', work, [p.id, 'video-1']);
    const record = (await db.get('documents', path.id)) as { videos: { path: string }[] };
    record.videos[1]!.path = '../dog.webm';
    await db.put('documents', record, path.id);
    const qa = (await db.get('qa', [items.id, 0])) as { projectVideoId: unknown }[];
    qa[1]!.projectVideoId = 'video-7';
    await db.put('qa', qa, [items.id, 0]);
    await db.put('documents', { version: 0, shapes: [] }, other.id);
    db.close();

    // A fresh repository, as after a reload: nothing remembered.
    const reloaded = repositoryOver(dbName);
    await expect(reloaded.loadDocument(p.id)).rejects.toThrow(
      `The saved annotations of project "Holiday" (${p.id}) cannot be read: work["video-1"].instances[1].visible must be true or false, found "sometimes".`,
    );
    await expect(reloaded.loadDocument(path.id)).rejects.toThrow(`project "Paths" (${path.id}) cannot be read: videos[1].path must be a relative path like "Source/name.mp4", found "../dog.webm".`);
    await expect(reloaded.loadDocument(items.id)).rejects.toThrow(`project "Items" (${items.id}) cannot be read: qaItems[1].projectVideoId "video-7" is not the id of one of the videos.`);
    await expect(reloaded.loadDocument(other.id)).rejects.toThrow(/project "Old" .*version 0 is not supported/);
    // The rest of the repository still works.
    expect((await reloaded.list()).map((m) => m.name)).toEqual(['Old', 'Items', 'Paths', 'Holiday']);
  });

  it('leaves a damaged meta record out of the list instead of failing', async () => {
    const { repo, dbName } = fresh();
    const p = await repo.create('Fine');
    const db = await openDB(dbName);
    await db.put('projects', { id: 'bad', name: 42 });
    db.close();
    expect(await repo.list()).toEqual([p]);
  });

  describe('when storage is full', () => {
    it('throws StorageQuotaError from a failing put and keeps the earlier document and meta', async () => {
      const { repo } = fresh();
      const p = await repo.create('Cats');
      await repo.saveDocument(p.id, doc);
      const [before] = await repo.list();

      // The save's second put (of the edited video's work, then the meta) is refused; the first, already queued, must be rolled back.
      const put = IDBObjectStore.prototype.put;
      let calls = 0;
      const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        if (++calls === 2) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      });
      const bigger: ProjectDocument = { ...doc, work: { ...doc.work, 'video-1': { ...CLIP_WORK, instances: [...CLIP_WORK.instances, { id: 'inst-3', name: 'New', color: '#34c759', visible: true }] } } };
      const failure = repo.saveDocument(p.id, bigger);
      await expect(failure).rejects.toBeInstanceOf(StorageQuotaError);
      await expect(failure).rejects.toThrow(/Not enough storage space to save the annotations of project "Cats" \(\d+(\.\d)? (B|kB)\)\..*earlier saves are intact/);
      expect(spy.mock.contexts.map((store) => (store as IDBObjectStore).name).sort()).toEqual(['projects', 'work']);
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
      await repo.saveDocument(p.id, doc);
      const [before] = await repo.list();

      // What browsers do when the disk fills while committing: the transaction aborts with a
      // QuotaExceededError as its error, and its requests fail with AbortError.
      const put = IDBObjectStore.prototype.put;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
        const request = put.apply(this, args);
        if (this.name === 'work') (this.transaction as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
        return request;
      });
      const edited = { ...OTHER_WORK, activeId: 'a' };
      const failure = repo.saveDocument(p.id, { ...doc, work: { ...doc.work, 'video-2': edited } });
      await expect(failure).rejects.toBeInstanceOf(StorageQuotaError);
      const bytes = JSON.stringify(edited).length;
      expect(bytes).toBeGreaterThan(100);
      await expect(failure).rejects.toThrow(`Not enough storage space to save the annotations of project "Cats" (${bytes} B). Nothing was changed: earlier saves are intact.`);
      const error = (await failure.catch((e: unknown) => e)) as StorageQuotaError;
      expect(error.bytes).toBe(bytes);
      expect((error.cause as DOMException).name).toBe('QuotaExceededError');
      vi.restoreAllMocks();

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
