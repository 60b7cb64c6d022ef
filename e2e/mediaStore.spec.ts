/**
 * The project media store (adapters/storage/idbProjectMedia.ts) against Chromium's real origin
 * private file system, IndexedDB and FileSystemHandles, which its unit tests replace with an
 * in-memory double. The adapter is bundled here (Vite, in memory) and loaded into the app's page,
 * so it runs at the app's origin as the app will run it.
 */
import path from 'node:path';
import { build, type Rolldown } from 'vite';
import type { createIdbProjectMedia } from '../src/adapters/storage/idbProjectMedia';
import type { studioDbConnection } from '../src/adapters/storage/studioDb';
import { expect, test, type Page } from './test';

interface MediaStoreBundle {
  readonly createIdbProjectMedia: typeof createIdbProjectMedia;
  readonly studioDbConnection: typeof studioDbConnection;
}
declare global {
  interface Window {
    mediaStore: MediaStoreBundle;
  }
}

let bundle = '';

test.beforeAll(async () => {
  const src = path.resolve('src');
  const entry = [
    `export { createIdbProjectMedia } from ${JSON.stringify(path.join(src, 'adapters/storage/idbProjectMedia.ts'))};`,
    `export { studioDbConnection } from ${JSON.stringify(path.join(src, 'adapters/storage/studioDb.ts'))};`,
  ].join('\n');
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [{ name: 'media-store-entry', resolveId: (id) => (id.endsWith('media-store-entry') ? '\0media-store-entry' : null), load: (id) => (id === '\0media-store-entry' ? entry : null) }],
    build: { write: false, minify: false, lib: { entry: 'media-store-entry', formats: ['iife'], name: 'mediaStore', fileName: 'mediaStore' } },
  });
  bundle = ((Array.isArray(output) ? output[0] : output) as Rolldown.RolldownOutput).output[0].code;
});

/**
 * An empty page at the app's origin: the store runs where the app's storage lives, but the app
 * itself does not start, so nothing else writes to the origin's storage (the app caches its
 * segmentation model at start, tens of MB, which made the quota test below race it).
 */
async function openStore(page: Page): Promise<void> {
  await page.route('**/media-store.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>media store</title>' }));
  await page.goto('./media-store.html');
  await page.addScriptTag({ content: bundle });
}

test('a copy streams into the private file system and reads back byte for byte; a full disk leaves nothing', async ({ page }) => {
  await openStore(page);
  const copied = await page.evaluate(async () => {
    const { createIdbProjectMedia, studioDbConnection } = window.mediaStore;
    const media = createIdbProjectMedia(studioDbConnection('media-e2e'));
    // 3 MB in 12 parts, each byte a function of its position.
    const parts = Array.from({ length: 12 }, (_, p) => Uint8Array.from({ length: 250_000 }, (_, i) => (p * 250_000 + i) % 251));
    const progress: number[] = [];
    await media.copy('p1', 'videos/Source/a.mp4', new Blob(parts), (n) => progress.push(n));
    const read = await media.read('p1', 'videos/Source/a.mp4');
    if (!read.ok) return { error: JSON.stringify(read.status) };
    const back = new Uint8Array(await read.file.arrayBuffer());
    const wrong = back.findIndex((b, i) => b !== i % 251);
    const dir = await (await (await (await navigator.storage.getDirectory()).getDirectoryHandle('projects')).getDirectoryHandle('p1')).getDirectoryHandle('videos');
    const names: string[] = [];
    for await (const name of (await dir.getDirectoryHandle('Source')).keys()) names.push(name);
    return { size: back.byteLength, wrong, keeping: read.keeping, names, lastProgress: progress.at(-1), progressSteps: progress.length };
  });
  expect(copied).toEqual({ size: 3_000_000, wrong: -1, keeping: 'copy', names: ['a.mp4'], lastProgress: 3_000_000, progressSteps: expect.any(Number) });
  expect(copied.progressSteps).toBeGreaterThan(1);

  // Chromium enforces an origin's quota on OPFS writes: leave about 2.5 MB free and copy 5 MB.
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(page.url()).origin;
  // The usage estimate can lag the 3 MB just written: a quota set from a stale figure is already
  // spent, and the copy then fails before writing anything. Wait until it counts the copy.
  const usage = (): Promise<number> => page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await expect.poll(usage, { timeout: 10_000 }).toBeGreaterThanOrEqual(3_000_000);
  const used = await usage();
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: used + 2_500_000 });
  const full = await page.evaluate(async () => {
    const { createIdbProjectMedia, studioDbConnection } = window.mediaStore;
    const connection = studioDbConnection('media-e2e');
    const media = createIdbProjectMedia(connection);
    const progress: number[] = [];
    const parts = Array.from({ length: 20 }, () => new Uint8Array(250_000).fill(7));
    const error = await media.copy('p1', 'videos/Source/big.mp4', new Blob(parts), (n) => progress.push(n)).then(
      () => null,
      (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: 'not an Error', message: String(e) }),
    );
    const names: string[] = [];
    const dir = await (await (await (await (await navigator.storage.getDirectory()).getDirectoryHandle('projects')).getDirectoryHandle('p1')).getDirectoryHandle('videos')).getDirectoryHandle('Source');
    for await (const name of dir.keys()) names.push(name);
    const status = await media.status('p1', ['videos/Source/a.mp4', 'videos/Source/big.mp4']);
    const records = await (await connection.get()).count('media');
    return { error, names, status: Object.fromEntries(status), records, wroteSome: progress.length > 0 };
  });
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  expect(full.error?.name).toBe('StorageQuotaError');
  expect(full.error?.message).toMatch(/^Not enough storage space to save a copy of “videos\/Source\/big\.mp4” \(5\.0 MB\)/);
  expect(full.wroteSome).toBe(true);
  expect(full.names).toEqual(['a.mp4']);
  expect(full.records).toBe(1);
  expect(full.status).toEqual({
    'videos/Source/a.mp4': { state: 'available', keeping: 'copy' },
    'videos/Source/big.mp4': { state: 'missing', reason: expect.stringContaining('is not kept in this browser') },
  });
});

test('a folder handle kept in IndexedDB resolves keys after a reload; a removed file is missing with its reason; removeProject clears the copies', async ({ page }) => {
  await openStore(page);
  await page.evaluate(async () => {
    const { createIdbProjectMedia, studioDbConnection } = window.mediaStore;
    const media = createIdbProjectMedia(studioDbConnection('media-e2e'));
    // A folder of the origin's private file system stands in for the user's picked folder: it is
    // a real FileSystemDirectoryHandle, cloned into IndexedDB the same way.
    const bench = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('user', { create: true })).getDirectoryHandle('V2P-Bench', { create: true });
    for (const name of ['a.mp4', 'b.mp4']) {
      const file = await (await bench.getDirectoryHandle('Source', { create: true })).getFileHandle(name, { create: true });
      const w = await file.createWritable();
      await w.write(`contents of ${name}`);
      await w.close();
    }
    await media.referenceFolder('p1', 'videos/', bench);
    await media.copy('p1', 'frames/x.jpg', new Blob(['a frame']));
  });

  await page.reload();
  await page.addScriptTag({ content: bundle });
  const after = await page.evaluate(async () => {
    const { createIdbProjectMedia, studioDbConnection } = window.mediaStore;
    const connection = studioDbConnection('media-e2e');
    const media = createIdbProjectMedia(connection);
    const text = async (key: string): Promise<string> => {
      const read = await media.read('p1', key);
      return read.ok ? `${read.keeping}: ${await read.file.text()}` : JSON.stringify(read.status);
    };
    const before = await text('videos/Source/a.mp4');
    const access = await media.requestAccess('p1');
    const source = await (await (await (await navigator.storage.getDirectory()).getDirectoryHandle('user')).getDirectoryHandle('V2P-Bench')).getDirectoryHandle('Source');
    await source.removeEntry('b.mp4');
    const gone = await text('videos/Source/b.mp4');
    const status = Object.fromEntries(await media.status('p1', ['videos/Source/a.mp4', 'frames/x.jpg']));

    await media.removeProject('p1');
    const projects: string[] = [];
    for await (const name of (await (await navigator.storage.getDirectory()).getDirectoryHandle('projects')).keys()) projects.push(name);
    const records = await (await connection.get()).count('media');
    const stillThere = await (await source.getFileHandle('a.mp4')).getFile().then((f) => f.text());
    return { before, access, gone, status, projects, records, stillThere };
  });
  expect(after).toEqual({
    before: 'reference: contents of a.mp4',
    access: { granted: 1, refused: 0 },
    gone: JSON.stringify({ state: 'missing', reason: '“Source/b.mp4” is no longer in the folder “V2P-Bench”.' }),
    status: { 'videos/Source/a.mp4': { state: 'available', keeping: 'reference' }, 'frames/x.jpg': { state: 'available', keeping: 'copy' } },
    projects: [],
    records: 0,
    stillThere: 'contents of a.mp4',
  });
});

test('the video a version 2 project kept as a Blob reads under its migrated key', async ({ page }) => {
  await openStore(page);
  const read = await page.evaluate(async () => {
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open('media-e2e-v2', 2);
      open.onupgradeneeded = () => {
        for (const store of ['documents', 'videos', 'settings', 'runs']) open.result.createObjectStore(store);
        open.result.createObjectStore('projects', { keyPath: 'id' });
      };
      open.onsuccess = () => {
        const tx = open.result.transaction('videos', 'readwrite');
        tx.objectStore('videos').put({ blob: new Blob(['old bytes'], { type: 'video/mp4' }), name: 'clips/cat.mp4' }, 'old');
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
        tx.onerror = () => reject(tx.error);
      };
      open.onerror = () => reject(open.error);
    });
    const { createIdbProjectMedia, studioDbConnection } = window.mediaStore;
    const result = await createIdbProjectMedia(studioDbConnection('media-e2e-v2')).read('old', 'videos/clips_cat.mp4');
    return result.ok ? `${result.keeping}: ${await result.file.text()}` : JSON.stringify(result.status);
  });
  expect(read).toBe('legacy: old bytes');
});
