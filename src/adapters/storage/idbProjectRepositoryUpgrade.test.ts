// @vitest-environment node
/**
 * Databases written by earlier builds open with nothing lost: schema version 2 (one video per
 * project; the document of version 1 in `documents`, its runs in `runs`, the video as a Blob in
 * `videos`) and version 1 (no runs store). Each is written by hand with `idb`, as those builds
 * wrote it, then opened with the current repository and compared field by field.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATED_VIDEO_ID, emptyDocument, migratedVideoPath, type ProjectDocument } from '../../core/project/document';
import { importedRun, runResult } from '../../testing/reviewFixtures';
import { V1_DOCUMENT } from '../../testing/documentFixtures';
import { closeRepositories, countPuts, freshDbName, rawRecords, rawRuns, rawWork, repositoryOver } from '../../testing/idbTestKit';

afterEach(closeRepositories);

const WORK_FIELDS = ['instances', 'activeId', 'frames', 'queries', 'masklets', 'propagationRun'] as const;
const VIDEO_BYTES = new Uint8Array(70_000).map((_, i) => (i * 31 + 7) % 256);

/** What the repository must give for V1_DOCUMENT (or a part of it), checked field by field. */
function expectMigrated(doc: ProjectDocument | null, written: Partial<typeof V1_DOCUMENT> = V1_DOCUMENT): void {
  expect(doc).not.toBeNull();
  const v1 = { ...V1_DOCUMENT, ...written };
  const { name, byteLength, width, height, frameCount, fps, durationS } = v1.video!;
  expect(doc!.version).toBe(3);
  expect(doc!.videos).toEqual([{ id: MIGRATED_VIDEO_ID, path: migratedVideoPath(name), byteLength, facts: { width, height, frameCount, fps, durationS }, problem: null }]);
  expect(doc!.videos[0]!.path).toBe('clip.mp4');
  expect(doc!.openVideoId).toBe(MIGRATED_VIDEO_ID);
  expect(Object.keys(doc!.work)).toEqual([MIGRATED_VIDEO_ID]);
  const work = doc!.work[MIGRATED_VIDEO_ID]!;
  for (const field of WORK_FIELDS) expect(work[field], field).toEqual(v1[field]);
  expect(doc!.qaItems).toEqual((written.qaItems ?? []).map((item) => ({ ...item, projectVideoId: MIGRATED_VIDEO_ID, promptImage: null })));
  expect(doc!.runs).toEqual(written.runs ?? []);
  expect(doc!.judgements).toEqual(written.judgements ?? {});
}

async function legacyVideo(dbName: string, id: string): Promise<{ name: string; type: string; bytes: Uint8Array } | undefined> {
  const { video } = await rawRecords(dbName, id);
  if (video === undefined) return undefined;
  const { blob, name } = video as { blob: Blob; name: string };
  return { name, type: blob.type, bytes: new Uint8Array(await blob.arrayBuffer()) };
}

/** Writes a database of schema version 1 or 2 as those builds did. */
async function oldDatabase(version: 1 | 2, fill: (db: IDBPDatabase) => Promise<void>): Promise<string> {
  const dbName = freshDbName(`test-v${version}`);
  const db = await openDB(dbName, version, {
    upgrade(database) {
      database.createObjectStore('projects', { keyPath: 'id' });
      database.createObjectStore('documents');
      database.createObjectStore('videos');
      database.createObjectStore('settings');
      if (version === 2) database.createObjectStore('runs');
    },
  });
  await fill(db);
  db.close();
  return dbName;
}

describe('idbProjectRepository on a database of an earlier build', () => {
  it('opens a version 2 database with nothing lost, and keeps it all when saved as version 3', async () => {
    const meta = { id: 'old', name: 'Old project', createdAt: 5, updatedAt: 6, videoName: 'clip.mp4' };
    const bare = { id: 'bare', name: 'Nothing yet', createdAt: 7, updatedAt: 8, videoName: null };
    // Version 2 builds stored the document without its runs (each run a record of the runs store).
    const { runs, ...record } = V1_DOCUMENT;
    const dbName = await oldDatabase(2, async (db) => {
      await db.put('projects', meta);
      await db.put('projects', bare);
      await db.put('documents', record, 'old');
      await db.put('documents', { version: 1, video: null, instances: [], activeId: null, frames: {}, queries: [], masklets: {}, qaItems: [], judgements: {} }, 'bare');
      for (const run of runs) await db.put('runs', run, ['old', run.id]);
      await db.put('videos', { blob: new Blob([VIDEO_BYTES], { type: 'video/mp4' }), name: 'clip.mp4' }, 'old');
      await db.put('settings', 'old', 'lastOpened');
    });
    const video = await legacyVideo(dbName, 'old');

    const repo = repositoryOver(dbName);
    expect(await repo.list()).toEqual([bare, meta]);
    expect(await repo.getLastOpened()).toBe('old');
    const loaded = await repo.loadDocument('old');
    expectMigrated(loaded);
    expect(await repo.loadDocument('bare')).toEqual(emptyDocument());
    // Reading rewrites nothing: the old record stays until the project is saved.
    expect((await rawRecords(dbName, 'old')).document).toEqual(record);

    // The first save writes the project in version 3's stores; the runs are already where it keeps them.
    expect(await countPuts(() => repo.saveDocument('old', loaded!))).toEqual({ documents: 1, work: 1, qa: 1, projects: 1 });
    const raw = await rawRecords(dbName, 'old');
    expect(raw.document).toEqual({ version: 3, videos: loaded!.videos, openVideoId: MIGRATED_VIDEO_ID, judgements: V1_DOCUMENT.judgements });
    expect(raw.qa).toEqual(loaded!.qaItems);
    expect([...(await rawWork(dbName, 'old')).keys()]).toEqual([MIGRATED_VIDEO_ID]);
    expect([...(await rawRuns(dbName, 'old')).keys()]).toEqual(['r1', 'r2']);
    expect(raw.meta).toEqual({ ...meta, updatedAt: (raw.meta as { updatedAt: number }).updatedAt, videoName: 'clip.mp4', videoCount: 1 });

    // Loaded again (a reload: a repository that remembers nothing), now from the version 3 stores.
    const reloaded = await repositoryOver(dbName).loadDocument('old');
    expectMigrated(reloaded);
    expect(reloaded).toEqual(loaded);

    // The old video row is the media store's to read: untouched, byte for byte.
    expect(video).toMatchObject({ name: 'clip.mp4', type: 'video/mp4' });
    expect(Buffer.compare(video!.bytes, VIDEO_BYTES)).toBe(0);
    const after = await legacyVideo(dbName, 'old');
    expect(after).toMatchObject({ name: 'clip.mp4', type: 'video/mp4' });
    expect(Buffer.compare(after!.bytes, VIDEO_BYTES)).toBe(0);

    const db = await openDB(dbName);
    expect(db.version).toBe(3);
    expect([...db.objectStoreNames].sort()).toEqual(['documents', 'media', 'projects', 'qa', 'runs', 'settings', 'videos', 'work']);
    db.close();
  });

  it('opens a version 1 database (no runs store), keeping its projects, documents and videos', async () => {
    const meta = { id: 'old', name: 'Old project', createdAt: 5, updatedAt: 6, videoName: 'clip.mp4' };
    // A document as version 1 builds wrote it: no QA items, runs or judgements.
    const { qaItems: _q, runs: _r, judgements: _j, ...oldDoc } = V1_DOCUMENT;
    const dbName = await oldDatabase(1, async (db) => {
      await db.put('projects', meta);
      await db.put('documents', oldDoc, 'old');
      await db.put('videos', { blob: new Blob([new Uint8Array([1, 2])]), name: 'clip.mp4' }, 'old');
      await db.put('settings', 'old', 'lastOpened');
    });

    const repo = repositoryOver(dbName);
    expect(await repo.list()).toEqual([meta]);
    expect(await repo.getLastOpened()).toBe('old');
    const loaded = await repo.loadDocument('old');
    expectMigrated(loaded, oldDoc);
    const withRun: ProjectDocument = { ...loaded!, runs: [importedRun('r', [runResult('line-1')])] };
    await repo.saveDocument('old', withRun);
    expect(await repo.loadDocument('old')).toEqual(withRun);
    expect(await repositoryOver(dbName).loadDocument('old')).toEqual(withRun);
    expect((await legacyVideo(dbName, 'old'))?.bytes).toEqual(new Uint8Array([1, 2]));
    const db = await openDB(dbName);
    expect(db.version).toBe(3);
    db.close();
  });
});
