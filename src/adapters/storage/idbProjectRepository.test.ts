// @vitest-environment node
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyDocument, type ProjectDocument } from '../../core/project/document';
import { StorageQuotaError } from '../../core/project/repository';
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
};

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
    expect((await rawRecords(dbName, p.id)).document).toEqual(doc);
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
