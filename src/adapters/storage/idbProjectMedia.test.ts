// @vitest-environment node
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MediaStatus, ProjectMedia } from '../../core/project/media';
import { StorageQuotaError } from '../../core/project/repository';
import { installHandleCloning, MemoryVolume, type MemoryDirectoryHandle } from '../../testing/memoryFileSystem';
import { createIdbProjectMedia, mediaCapabilities } from './idbProjectMedia';
import { projectRange, studioDbConnection, type StudioDbConnection } from './studioDb';

let restoreCloning: () => void;
beforeAll(() => {
  restoreCloning = installHandleCloning();
});
afterAll(() => restoreCloning());

let dbCounter = 0;
const connections: StudioDbConnection[] = [];
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  for (const c of connections.splice(0)) c.close();
});

interface Setup {
  readonly media: ProjectMedia<Blob, FileSystemHandle>;
  readonly dbName: string;
  readonly connection: StudioDbConnection;
  /** The browser's private file system. */
  readonly opfs: MemoryVolume;
  /** The user's disk, with a "V2P-Bench" folder on it. */
  readonly disk: MemoryVolume;
  readonly bench: MemoryDirectoryHandle;
}

async function fresh(dbName = `media-${Date.now()}-${dbCounter++}`): Promise<Setup> {
  const connection = studioDbConnection(dbName);
  connections.push(connection);
  const opfs = new MemoryVolume();
  const disk = new MemoryVolume();
  const bench = (await disk.root().getDirectoryHandle('V2P-Bench', { create: true })) as MemoryDirectoryHandle;
  const media = createIdbProjectMedia(connection, { opfsRoot: async () => opfs.root() });
  return { media, dbName, connection, opfs, disk, bench };
}

/** `size` bytes of a pattern that differs per seed, as a Blob of several parts (Node streams a Blob part by part). */
function bytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return out;
}
function blobOf(data: Uint8Array, parts = 5): Blob {
  const step = Math.ceil(data.byteLength / parts);
  return new Blob(Array.from({ length: parts }, (_, i) => data.slice(i * step, (i + 1) * step)));
}

async function contents(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

async function readBytes(media: ProjectMedia<Blob, FileSystemHandle>, projectId: string, key: string): Promise<Uint8Array> {
  const read = await media.read(projectId, key);
  if (!read.ok) throw new Error(`expected ${key} to be readable, got ${JSON.stringify(read.status)}`);
  return contents(read.file);
}

/** The names in an OPFS folder ("a/b"), or null when the folder is not there. */
async function opfsNames(opfs: MemoryVolume, path: string): Promise<string[] | null> {
  let dir: FileSystemDirectoryHandle = opfs.root();
  try {
    for (const name of path.split('/')) dir = await dir.getDirectoryHandle(name);
  } catch {
    return null;
  }
  const names: string[] = [];
  for await (const name of dir.keys()) names.push(name);
  return names.sort();
}

async function recordCount(s: Setup, projectId: string): Promise<number> {
  return (await s.connection.get()).count('media', projectRange(projectId));
}

describe('copies in the private file system', () => {
  it('keeps a copy under projects/<id>/<key> that reads back byte for byte, with progress', async () => {
    const s = await fresh();
    const data = bytes(300_000);
    const progress: number[] = [];
    await s.media.copy('p1', 'videos/Source/a.mp4', blobOf(data), (n) => progress.push(n));

    expect(progress).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
    expect(await opfsNames(s.opfs, 'projects/p1/videos/Source')).toEqual(['a.mp4']);
    const read = await s.media.read('p1', 'videos/Source/a.mp4');
    expect(read.ok && read.keeping).toBe('copy');
    expect(await readBytes(s.media, 'p1', 'videos/Source/a.mp4')).toEqual(data);
    expect((await s.media.status('p1', ['videos/Source/a.mp4'])).get('videos/Source/a.mp4')).toEqual({ state: 'available', keeping: 'copy' });
  });

  it('replaces what the key held', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(1_000, 1)));
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(700, 2)));
    expect(await readBytes(s.media, 'p1', 'videos/a.mp4')).toEqual(bytes(700, 2));
    expect(await opfsNames(s.opfs, 'projects/p1/videos')).toEqual(['a.mp4']);
  });

  it('a full disk mid-write leaves no file and no record, throws StorageQuotaError, and keeps the earlier copy', async () => {
    const s = await fresh();
    const first = bytes(50_000, 3);
    await s.media.copy('p1', 'videos/a.mp4', blobOf(first));
    await s.media.copy('p1', 'videos/b.mp4', blobOf(bytes(10, 4)));
    s.opfs.quotaBytes = 200_000;
    const progress: number[] = [];

    const replacing = s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(300_000)), (n) => progress.push(n));
    await expect(replacing).rejects.toBeInstanceOf(StorageQuotaError);
    await expect(replacing).rejects.toThrow(/Not enough storage space to save a copy of “videos\/a\.mp4” \(300 kB\)/);
    const fresh1 = s.media.copy('p1', 'videos/c.mp4', blobOf(bytes(300_000)), (n) => progress.push(n));
    await expect(fresh1).rejects.toBeInstanceOf(StorageQuotaError);

    // It failed mid-write (some chunks were written), and nothing of either attempt is left.
    expect(progress.length).toBeGreaterThan(0);
    expect(await opfsNames(s.opfs, 'projects/p1/videos')).toEqual(['a.mp4', 'b.mp4']);
    expect(s.opfs.usedBytes()).toBe(50_010);
    expect(await readBytes(s.media, 'p1', 'videos/a.mp4')).toEqual(first);
    expect(await recordCount(s, 'p1')).toBe(2);
    expect((await s.media.status('p1', ['videos/c.mp4'])).get('videos/c.mp4')?.state).toBe('missing');
  });

  it('refuses a key that cannot be a file name, writing nothing', async () => {
    const s = await fresh();
    await expect(s.media.copy('p1', 'videos/../a.mp4', blobOf(bytes(10)))).rejects.toThrow(/“videos\/\.\.\/a\.mp4” cannot be kept as a file name/);
    expect(await opfsNames(s.opfs, 'projects')).toBeNull();
    expect(await recordCount(s, 'p1')).toBe(0);
  });

  it('a copy the browser lost reads as missing with a reason', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(100)));
    const dir = await (await (await (await s.opfs.root().getDirectoryHandle('projects')).getDirectoryHandle('p1')).getDirectoryHandle('videos'));
    await dir.removeEntry('a.mp4');
    const expected = { state: 'missing', reason: expect.stringMatching(/^The browser's copy of “videos\/a\.mp4” is gone/) };
    expect(await s.media.read('p1', 'videos/a.mp4')).toEqual({ ok: false, status: expected });
    expect((await s.media.status('p1', ['videos/a.mp4'])).get('videos/a.mp4')).toEqual(expected);
  });
  it('a copy cut short reads as missing, saying how much is left', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(3_000)));
    const dir = await (await (await s.opfs.root().getDirectoryHandle('projects')).getDirectoryHandle('p1')).getDirectoryHandle('videos');
    const writable = await (await dir.getFileHandle('a.mp4')).createWritable({ keepExistingData: true });
    await writable.truncate(1_000);
    await writable.close();
    expect(await s.media.read('p1', 'videos/a.mp4')).toEqual({
      ok: false,
      status: { state: 'missing', reason: 'The browser\'s copy of “videos/a.mp4” is incomplete (1.0 kB of 3.0 kB): add the file again.' },
    });
  });
});

describe('references to the user’s files and folders', () => {
  it('a folder resolves nested keys by their path after the prefix; the longest prefix and a key’s own file win', async () => {
    const s = await fresh();
    await s.bench.write('videos/Source/a.mp4', bytes(500, 1));
    await s.bench.write('frames/Source/a.jpg', bytes(40, 2));
    const other = (await s.disk.root().getDirectoryHandle('Other', { create: true })) as MemoryDirectoryHandle;
    await other.write('b.mp4', bytes(60, 3));
    const own = await other.write('own.mp4', bytes(70, 4));

    await s.media.referenceFolder('p1', '', s.bench);
    await s.media.referenceFolder('p1', 'videos/Other/', other);
    await s.media.reference('p1', 'videos/Source/a.mp4', own);

    expect(await readBytes(s.media, 'p1', 'frames/Source/a.jpg')).toEqual(bytes(40, 2));
    expect(await readBytes(s.media, 'p1', 'videos/Other/b.mp4')).toEqual(bytes(60, 3));
    expect(await readBytes(s.media, 'p1', 'videos/Source/a.mp4')).toEqual(bytes(70, 4));
    const read = await s.media.read('p1', 'frames/Source/a.jpg');
    expect(read.ok && read.keeping).toBe('reference');
  });

  it('a file gone from the folder, or a referenced file gone, is missing with a reason naming it', async () => {
    const s = await fresh();
    await s.bench.write('videos/Source/a.mp4', bytes(10));
    const lone = await s.bench.write('lone.mp4', bytes(10));
    await s.media.referenceFolder('p1', 'videos/', (await s.bench.getDirectoryHandle('videos')) as MemoryDirectoryHandle);
    await s.media.reference('p1', 'extra/lone.mp4', lone);
    await (await s.bench.getDirectoryHandle('videos')).removeEntry('Source', { recursive: true });
    await s.bench.removeEntry('lone.mp4');

    expect(await s.media.read('p1', 'videos/Source/a.mp4')).toEqual({ ok: false, status: { state: 'missing', reason: '“Source/a.mp4” is no longer in the folder “videos”.' } });
    expect(await s.media.read('p1', 'extra/lone.mp4')).toEqual({
      ok: false,
      status: { state: 'missing', reason: 'The file “lone.mp4” is no longer where it was added from: it was moved, renamed or deleted.' },
    });
    expect(await s.media.read('p1', 'frames/x.jpg')).toEqual({
      ok: false,
      status: { state: 'missing', reason: '“frames/x.jpg” is not kept in this browser: add the file, or the folder it is in, to the project again.' },
    });
  });

  it('after a reload references need permission; requestAccess asks the folder first and then they are available', async () => {
    const s = await fresh();
    await s.bench.write('videos/Source/a.mp4', bytes(80, 5));
    const inside = await s.bench.write('videos/Source/b.mp4', bytes(90, 6));
    await s.media.referenceFolder('p1', '', s.bench);
    await s.media.referenceFolder('p1', 'mirror/', s.bench); // the same folder twice: one prompt, counted once
    await s.media.reference('p1', 'own/b.mp4', inside);
    s.disk.revokeAll();

    const keys = ['videos/Source/a.mp4', 'own/b.mp4'];
    const needs: MediaStatus = { state: 'needs-permission', keeping: 'reference' };
    expect([...(await s.media.status('p1', keys)).values()]).toEqual([needs, needs]);
    expect(await s.media.read('p1', 'videos/Source/a.mp4')).toEqual({ ok: false, status: needs });

    expect(await s.media.requestAccess('p1')).toEqual({ granted: 2, refused: 0 });
    expect(s.disk.prompts).toBe(1); // the file lies in the granted folder
    expect([...(await s.media.status('p1', keys)).values()]).toEqual([
      { state: 'available', keeping: 'reference' },
      { state: 'available', keeping: 'reference' },
    ]);
    expect(await readBytes(s.media, 'p1', 'videos/Source/a.mp4')).toEqual(bytes(80, 5));
    expect(await readBytes(s.media, 'p1', 'own/b.mp4')).toEqual(bytes(90, 6));
  });

  it('a refused prompt is counted and the files keep needing permission', async () => {
    const s = await fresh();
    const elsewhere = (await s.disk.root().getDirectoryHandle('Elsewhere', { create: true })) as MemoryDirectoryHandle;
    const file = await elsewhere.write('c.mp4', bytes(10));
    await s.bench.write('a.mp4', bytes(10));
    await s.media.referenceFolder('p1', 'videos/', s.bench);
    await s.media.reference('p1', 'other/c.mp4', file);
    s.disk.revokeAll();
    s.disk.promptAnswer = 'denied';

    expect(await s.media.requestAccess('p1')).toEqual({ granted: 0, refused: 2 });
    expect(s.disk.prompts).toBe(2);
    const status = await s.media.status('p1', ['videos/a.mp4', 'other/c.mp4']);
    expect([...status.values()].map((st) => st.state)).toEqual(['needs-permission', 'needs-permission']);
  });

  it('refuses a folder as a file, a file as a folder, and a prefix without "/"', async () => {
    const s = await fresh();
    const file = await s.bench.write('a.mp4', bytes(1));
    await expect(s.media.reference('p1', 'a.mp4', s.bench)).rejects.toThrow('Only a file can be kept as “a.mp4”; “V2P-Bench” is a folder.');
    await expect(s.media.referenceFolder('p1', 'videos/', file)).rejects.toThrow('“a.mp4” is a file, not a folder.');
    await expect(s.media.referenceFolder('p1', 'videos', s.bench)).rejects.toThrow(/must end with "\/"/);
    expect(await recordCount(s, 'p1')).toBe(0);
  });

  it('a reference replacing a copy deletes the copy', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(100, 1)));
    await s.media.reference('p1', 'videos/a.mp4', await s.bench.write('a.mp4', bytes(30, 2)));
    expect(await opfsNames(s.opfs, 'projects/p1/videos')).toEqual([]);
    expect(await readBytes(s.media, 'p1', 'videos/a.mp4')).toEqual(bytes(30, 2));
  });
});

describe('old projects and damaged records', () => {
  it('reads the Blob a version 2 project kept under its migrated key', async () => {
    const dbName = `media-legacy-${dbCounter++}`;
    const v2 = await openDB(dbName, 2, {
      upgrade(db) {
        for (const store of ['documents', 'videos', 'settings', 'runs']) db.createObjectStore(store);
        db.createObjectStore('projects', { keyPath: 'id' });
      },
    });
    const old = bytes(2_000, 9);
    await v2.put('videos', { blob: new Blob([old], { type: 'video/mp4' }), name: 'clips/cat.mp4' }, 'old-project');
    await v2.put('videos', { blob: new Blob([bytes(5)]), name: 'dog.mp4' }, 'another-project');
    v2.close();

    const s = await fresh(dbName);
    const key = 'videos/clips_cat.mp4';
    const read = await s.media.read('old-project', key);
    expect(read.ok && read.keeping).toBe('legacy');
    expect(await readBytes(s.media, 'old-project', key)).toEqual(old);
    const status = await s.media.status('old-project', [key, 'videos/dog.mp4', 'videos/clips/cat.mp4']);
    expect(status.get(key)).toEqual({ state: 'available', keeping: 'legacy' });
    expect(status.get('videos/dog.mp4')?.state).toBe('missing');
    expect(status.get('videos/clips/cat.mp4')?.state).toBe('missing');
  });

  it('a damaged record reads as missing, not as a throw', async () => {
    const s = await fresh();
    await (await s.connection.get()).put('media', { kind: 'copy', byteLength: 'lots' }, ['p1', 'videos/a.mp4']);
    const damaged = { state: 'missing', reason: expect.stringMatching(/note of where “videos\/a\.mp4” is kept is damaged/) };
    expect(await s.media.read('p1', 'videos/a.mp4')).toEqual({ ok: false, status: damaged });
    expect((await s.media.status('p1', ['videos/a.mp4'])).get('videos/a.mp4')).toEqual(damaged);
  });
});

describe('removal', () => {
  it('removeProject deletes the project’s records and copies, and nothing of another project', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(100)));
    await s.media.copy('p1', 'frames/S/a.jpg', blobOf(bytes(50)));
    await s.media.referenceFolder('p1', '', s.bench);
    await s.media.reference('p1', 'x.mp4', await s.bench.write('x.mp4', bytes(3)));
    await s.media.copy('p2', 'videos/a.mp4', blobOf(bytes(100, 2)));

    await s.media.removeProject('p1');
    expect(await recordCount(s, 'p1')).toBe(0);
    expect(await opfsNames(s.opfs, 'projects')).toEqual(['p2']);
    expect(s.opfs.usedBytes()).toBe(100);
    expect((await s.media.read('p1', 'videos/a.mp4')).ok).toBe(false);
    expect(await readBytes(s.media, 'p2', 'videos/a.mp4')).toEqual(bytes(100, 2));
    // The user's own files are never touched.
    expect(await contents(await (await s.bench.getFileHandle('x.mp4')).getFile())).toEqual(bytes(3));
  });

  it('remove forgets one key and deletes its copy', async () => {
    const s = await fresh();
    await s.media.copy('p1', 'videos/a.mp4', blobOf(bytes(100)));
    await s.media.copy('p1', 'videos/b.mp4', blobOf(bytes(10)));
    await s.media.remove('p1', 'videos/a.mp4');
    expect(await opfsNames(s.opfs, 'projects/p1/videos')).toEqual(['b.mp4']);
    const status = await s.media.status('p1', ['videos/a.mp4', 'videos/b.mp4']);
    expect(status.get('videos/a.mp4')?.state).toBe('missing');
    expect(status.get('videos/b.mp4')).toEqual({ state: 'available', keeping: 'copy' });
  });
});

describe('status of a whole dataset', () => {
  it('answers 2,000 keys in one call from one transaction, one listing per copy folder and one permission query per handle', async () => {
    const s = await fresh();
    const keys: string[] = [];
    const expected = new Map<string, MediaStatus['state']>();
    for (let i = 0; i < 40; i++) {
      const key = `videos/S${i % 2}/copy${i}.mp4`;
      await s.media.copy('p1', key, new Blob([bytes(16, i)]));
      keys.push(key);
      expected.set(key, 'available');
    }
    // One copy lost behind the store's back.
    await (await (await (await (await s.opfs.root().getDirectoryHandle('projects')).getDirectoryHandle('p1')).getDirectoryHandle('videos')).getDirectoryHandle('S0')).removeEntry('copy0.mp4');
    expected.set('videos/S0/copy0.mp4', 'missing');
    await s.media.referenceFolder('p1', 'frames/', s.bench);
    for (let i = 0; i < 1_900; i++) {
      keys.push(`frames/Source/${i}.jpg`);
      expected.set(`frames/Source/${i}.jpg`, 'available');
    }
    const refs = (await s.disk.root().getDirectoryHandle('Refs', { create: true })) as MemoryDirectoryHandle;
    for (let i = 0; i < 50; i++) {
      const key = `refs/${i}.mp4`;
      await s.media.reference('p1', key, await refs.write(`${i}.mp4`, bytes(4, i)));
      keys.push(key);
      expected.set(key, 'available');
    }
    for (let i = 0; i < 10; i++) {
      keys.push(`unknown/${i}.mp4`);
      expected.set(`unknown/${i}.mp4`, 'missing');
    }
    expect(keys).toHaveLength(2_000);

    s.opfs.calls.clear();
    s.disk.calls.clear();
    const transaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    const started = performance.now();
    const status = await s.media.status('p1', keys);
    const ms = performance.now() - started;

    expect(new Map([...status].map(([k, v]) => [k, v.state]))).toEqual(expected);
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(s.opfs.count('entries')).toBe(2);
    expect(s.opfs.count('getFile') + s.opfs.count('getFileHandle')).toBe(0);
    expect(s.disk.count('queryPermission')).toBe(51);
    expect(s.disk.count('getFile') + s.disk.count('getFileHandle') + s.disk.count('getDirectoryHandle')).toBe(0);
    console.info(`status of 2,000 keys: ${ms.toFixed(0)} ms`);

    // Reading one file does not fetch (and clone) the other records.
    const clones = vi.spyOn(globalThis, 'structuredClone');
    expect(await readBytes(s.media, 'p1', 'refs/7.mp4')).toEqual(bytes(4, 7));
    expect(clones.mock.calls.length).toBeLessThan(20);
  });
});

describe('storage use and capabilities', () => {
  it('reports what navigator.storage.estimate says, and null where there is none', async () => {
    const s = await fresh();
    vi.stubGlobal('navigator', undefined);
    expect(await s.media.usage()).toBeNull();
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 1_234, quota: 99_000 }) } });
    expect(await s.media.usage()).toEqual({ usedBytes: 1_234, quotaBytes: 99_000 });
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({}) } });
    expect(await s.media.usage()).toBeNull();
  });

  it('says what the browser has', () => {
    vi.stubGlobal('navigator', undefined);
    expect(mediaCapabilities()).toEqual({ opfs: false, handles: false });
    class FileHandle {
      createWritable(): void {}
      move(): void {}
    }
    vi.stubGlobal('navigator', { storage: { getDirectory: () => undefined } });
    vi.stubGlobal('FileSystemFileHandle', FileHandle);
    vi.stubGlobal('showDirectoryPicker', () => undefined);
    expect(mediaCapabilities()).toEqual({ opfs: true, handles: true });
    delete (FileHandle.prototype as Partial<FileHandle>).move;
    expect(mediaCapabilities().opfs).toBe(false);
  });
});
