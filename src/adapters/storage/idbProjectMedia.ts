/**
 * ProjectMedia in the browser: the bookkeeping in the shared IndexedDB database (`media` store of
 * studioDb.ts), copies in the origin private file system (OPFS) under
 * `projects/<project id>/<media key>`, and references as File System Access handles, which
 * Chromium structured-clones into IndexedDB.
 *
 * `media` records, key [project id, media key] or [project id, "folder:<prefix>"]:
 *   { kind: 'copy', byteLength, copiedAt }                the file is the OPFS copy
 *   { kind: 'reference', handle: FileSystemFileHandle }   the user's own file
 *   { kind: 'folder', prefix, handle: FileSystemDirectoryHandle }
 * They are validated when read (another build may have written them); a damaged record reads as
 * a missing file, never as a throw. The legacy `videos` store (one Blob per project of the
 * one-video era) is only read.
 *
 * What was found in Chromium 156 (headless, probed with Playwright):
 * - OPFS files have createWritable() in windows, so copies stream from the page (no worker and
 *   sync access handle needed; the write itself happens in the browser process). Writes commit on
 *   close(); a QuotaExceededError comes from write(), pipeTo() or close(), and the file keeps its
 *   old contents. FileSystemFileHandle.prototype.move(name) renames and replaces an existing file.
 * - Handles survive IndexedDB (isSameEntry is true after reading them back).
 * - Transient user activation is time based (about 5 s after the click): awaiting IndexedDB and
 *   queryPermission in a click handler leaves navigator.userActivation.isActive true, so
 *   requestAccess may read its records first. A prompt for a user's folder could not be shown in
 *   headless Chromium (Playwright cancels showDirectoryPicker), so that part is unverified there.
 */
import { migratedVideoPath } from '../../core/project/document';
import type { MediaKeeping, MediaRead, MediaStatus, ProjectMedia, StorageUse } from '../../core/project/media';
import { StorageQuotaError, formatByteSize } from '../../core/project/repository';
import { projectRange, type StudioDbConnection } from './studioDb';

/** Permission methods Chromium has on FileSystemHandle and lib.dom does not declare. */
interface HandlePermissions {
  queryPermission(descriptor: { readonly mode: 'read' | 'readwrite' }): Promise<PermissionState>;
  requestPermission(descriptor: { readonly mode: 'read' | 'readwrite' }): Promise<PermissionState>;
}
type PermissionedHandle = FileSystemHandle & Partial<HandlePermissions>;
/** FileSystemFileHandle.move (OPFS in Chromium, Firefox, Safari); not in lib.dom. */
type MovableFileHandle = FileSystemFileHandle & { move?(newName: string): Promise<void> };

export interface MediaCapabilities {
  /** Copies can be kept in the browser (OPFS with streaming writes). */
  readonly opfs: boolean;
  /** The user's files and folders can be kept as references (File System Access pickers). */
  readonly handles: boolean;
}

/** What this browser lets the media store do, for the UI to choose what to offer. */
export function mediaCapabilities(): MediaCapabilities {
  const g = globalThis as {
    navigator?: { storage?: { getDirectory?: unknown } };
    FileSystemFileHandle?: { prototype: object };
    showDirectoryPicker?: unknown;
  };
  const file = g.FileSystemFileHandle?.prototype;
  return {
    opfs: typeof g.navigator?.storage?.getDirectory === 'function' && file !== undefined && 'createWritable' in file && 'move' in file,
    handles: typeof g.showDirectoryPicker === 'function',
  };
}

export interface IdbProjectMediaOptions {
  /** The OPFS root; navigator.storage.getDirectory() unless given (tests pass an in-memory one). */
  readonly opfsRoot?: () => Promise<FileSystemDirectoryHandle>;
}

type MediaRecord =
  | { readonly kind: 'copy'; readonly byteLength: number; readonly copiedAt: number }
  | { readonly kind: 'reference'; readonly handle: FileSystemFileHandle }
  | { readonly kind: 'folder'; readonly prefix: string; readonly handle: FileSystemDirectoryHandle };
type FolderRecord = Extract<MediaRecord, { kind: 'folder' }>;

const FOLDER = 'folder:';
const PROJECTS_DIR = 'projects';

function isHandle(value: unknown, kind: FileSystemHandleKind): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as { kind?: unknown; getFile?: unknown; getFileHandle?: unknown };
  return h.kind === kind && typeof (kind === 'file' ? h.getFile : h.getFileHandle) === 'function';
}

function parseRecord(value: unknown): MediaRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (r.kind === 'copy') {
    return typeof r.byteLength === 'number' && r.byteLength >= 0 && typeof r.copiedAt === 'number' ? { kind: 'copy', byteLength: r.byteLength, copiedAt: r.copiedAt } : null;
  }
  if (r.kind === 'reference') return isHandle(r.handle, 'file') ? { kind: 'reference', handle: r.handle as FileSystemFileHandle } : null;
  if (r.kind === 'folder') {
    return typeof r.prefix === 'string' && isHandle(r.handle, 'directory') ? { kind: 'folder', prefix: r.prefix, handle: r.handle as FileSystemDirectoryHandle } : null;
  }
  return null;
}

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : '';
}

function isQuotaError(error: unknown): boolean {
  // 22: the legacy DOMException code.
  return errorName(error) === 'QuotaExceededError' || (typeof DOMException !== 'undefined' && error instanceof DOMException && error.code === 22);
}

/** The file or folder is not there (NotFoundError), or is the other kind (TypeMismatchError). */
function isGone(error: unknown): boolean {
  return errorName(error) === 'NotFoundError' || errorName(error) === 'TypeMismatchError';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The OPFS path of a copy, checked: OPFS refuses "", ".", ".." and names with "/" or "\". */
function copyPath(projectId: string, key: string): string[] {
  const segments = [PROJECTS_DIR, projectId, ...key.split('/')];
  if (key.startsWith(FOLDER) || segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\'))) {
    throw new Error(`“${key}” cannot be kept as a file name in the browser's storage (project ${JSON.stringify(projectId)}).`);
  }
  return segments;
}

type Unavailable = Exclude<MediaStatus, { state: 'available' }>;
const notKept = (key: string): Unavailable => ({ state: 'missing', reason: `“${key}” is not kept in this browser: add the file, or the folder it is in, to the project again.` });
const damagedRecord = (key: string): Unavailable => ({ state: 'missing', reason: `The browser's note of where “${key}” is kept is damaged: add the file to the project again.` });
const copyGone = (key: string): Unavailable => ({ state: 'missing', reason: `The browser's copy of “${key}” is gone (the browser may have cleared this site's storage): add the file again.` });
const referenceGone = (handle: FileSystemHandle): Unavailable => ({ state: 'missing', reason: `The file “${handle.name}” is no longer where it was added from: it was moved, renamed or deleted.` });
const notInFolder = (rest: string, folder: FileSystemHandle): Unavailable => ({ state: 'missing', reason: `“${rest}” is no longer in the folder “${folder.name}”.` });
const needsPermission: Unavailable = { state: 'needs-permission', keeping: 'reference' };
const available = (keeping: MediaKeeping): MediaStatus => ({ state: 'available', keeping });

/** Where a key's file is to be found, decided from the records alone. */
type Source =
  | { readonly kind: 'own'; readonly record: MediaRecord | null }
  | { readonly kind: 'folder'; readonly folder: FolderRecord; readonly rest: string }
  | { readonly kind: 'legacy'; readonly blob: Blob }
  | { readonly kind: 'none' };

interface ProjectRecords {
  /** By media key; null for a record that did not validate. */
  readonly own: ReadonlyMap<string, MediaRecord | null>;
  /** Longest prefix first. */
  readonly folders: readonly FolderRecord[];
  /** The one video a version 1/2 project kept, with the media key it has now. */
  readonly legacy: { readonly key: string; readonly blob: Blob } | null;
}

function sourceOf(records: ProjectRecords, key: string): Source {
  const own = records.own.get(key);
  if (own !== undefined && own?.kind !== 'folder') return { kind: 'own', record: own };
  const folder = records.folders.find((f) => key.startsWith(f.prefix) && key.length > f.prefix.length);
  if (folder) return { kind: 'folder', folder, rest: key.slice(folder.prefix.length) };
  if (records.legacy?.key === key) return { kind: 'legacy', blob: records.legacy.blob };
  return { kind: 'none' };
}

function legacyOf(row: unknown): ProjectRecords['legacy'] {
  if (typeof row !== 'object' || row === null) return null;
  const { blob, name } = row as { blob?: unknown; name?: unknown };
  return blob instanceof Blob && typeof name === 'string' ? { key: `videos/${migratedVideoPath(name)}`, blob } : null;
}

/** 'granted', 'prompt' or 'denied'; a browser without the permission model lets handles be read. */
async function readPermission(handle: FileSystemHandle): Promise<PermissionState> {
  const h = handle as PermissionedHandle;
  if (typeof h.queryPermission !== 'function') return 'granted';
  try {
    return await h.queryPermission({ mode: 'read' });
  } catch {
    return 'prompt';
  }
}

/** Walks `path` down from `dir`; null when a folder on the way is not there. */
async function directoryAt(dir: FileSystemDirectoryHandle, path: readonly string[], create: boolean): Promise<FileSystemDirectoryHandle | null> {
  let current = dir;
  for (const name of path) {
    try {
      current = await current.getDirectoryHandle(name, { create });
    } catch (error) {
      if (!create && isGone(error)) return null;
      throw error;
    }
  }
  return current;
}

/** The file at the "/"-separated `path` under `dir`. Throws NotFoundError / TypeMismatchError when it is not there. */
async function fileAt(dir: FileSystemDirectoryHandle, path: string): Promise<File> {
  const segments = path.split('/');
  const name = segments.pop()!;
  let current = dir;
  for (const segment of segments) current = await current.getDirectoryHandle(segment);
  return (await current.getFileHandle(name)).getFile();
}

/**
 * Streams `file` into the OPFS file `handle`, reporting bytes written after each chunk. On any
 * failure the writable is aborted (its contents are never committed) and the error rethrown.
 */
async function writeStreaming(handle: FileSystemFileHandle, file: Blob, onProgress: ((bytes: number) => void) | undefined): Promise<void> {
  const writable = await handle.createWritable();
  const reader = file.stream().getReader();
  let written = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writable.write(value);
      written += value.byteLength;
      onProgress?.(written);
    }
    await writable.close();
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    await writable.abort().catch(() => undefined);
    throw error;
  }
}

export function createIdbProjectMedia(connection: StudioDbConnection, options: IdbProjectMediaOptions = {}): ProjectMedia<Blob, FileSystemHandle> {
  const hasOpfs = options.opfsRoot !== undefined || mediaCapabilities().opfs;
  const opfsRoot =
    options.opfsRoot ??
    (() => (hasOpfs ? navigator.storage.getDirectory() : Promise.reject(new Error('This browser cannot keep copies of files: it has no private file system with streaming writes.'))));

  /**
   * One transaction: the project's records (all of them, or for `onlyKey` its own record and the
   * folders, so that reading one file of a large dataset does not clone every record) and its
   * legacy video row.
   */
  async function loadRecords(projectId: string, onlyKey?: string): Promise<ProjectRecords> {
    const tx = (await connection.get()).transaction(['media', 'videos'], 'readonly');
    const media = tx.objectStore('media');
    // Folder records sort together: "folder;" is the first string after every "folder:…".
    const range = onlyKey === undefined ? projectRange(projectId) : IDBKeyRange.bound([projectId, FOLDER], [projectId, 'folder;'], false, true);
    const [keys, values, keyRecord, row] = await Promise.all([
      media.getAllKeys(range),
      media.getAll(range),
      onlyKey === undefined ? undefined : media.get([projectId, onlyKey]),
      tx.objectStore('videos').get(projectId),
      tx.done,
    ]);
    if (onlyKey !== undefined && keyRecord !== undefined) {
      keys.push([projectId, onlyKey]);
      values.push(keyRecord);
    }
    const own = new Map<string, MediaRecord | null>();
    const folders: FolderRecord[] = [];
    keys.forEach(([, key], i) => {
      const record = parseRecord(values[i]);
      if (!key.startsWith(FOLDER)) own.set(key, record);
      else if (record?.kind === 'folder' && record.prefix === key.slice(FOLDER.length)) folders.push(record);
    });
    folders.sort((a, b) => b.prefix.length - a.prefix.length);
    return { own, folders, legacy: legacyOf(row) };
  }

  async function ownRecord(projectId: string, key: string): Promise<MediaRecord | null> {
    return parseRecord(await (await connection.get()).get('media', [projectId, key]));
  }

  /** Writes one record; a full disk becomes StorageQuotaError describing `what`. */
  async function putRecord(projectId: string, key: string, record: MediaRecord, what: string, bytes: number): Promise<void> {
    const tx = (await connection.get()).transaction('media', 'readwrite');
    try {
      await Promise.all([tx.store.put(record, [projectId, key]), tx.done]);
    } catch (error) {
      if (isQuotaError(error) || isQuotaError(tx.error)) throw new StorageQuotaError(what, bytes, { cause: error });
      throw error;
    }
  }

  /** Deletes the OPFS copy of `key`, if there is one. */
  async function deleteCopy(projectId: string, key: string): Promise<void> {
    const segments = copyPath(projectId, key);
    const dir = await directoryAt(await opfsRoot(), segments.slice(0, -1), false);
    await dir?.removeEntry(segments.at(-1)!).catch((error: unknown) => {
      if (!isGone(error)) throw error;
    });
  }

  async function readSource(projectId: string, key: string, source: Source): Promise<MediaRead<Blob>> {
    const fail = (status: Unavailable): MediaRead<Blob> => ({ ok: false, status });
    const readHandle = async (handle: FileSystemHandle, read: () => Promise<File>, gone: Unavailable): Promise<MediaRead<Blob>> => {
      if ((await readPermission(handle)) !== 'granted') return fail(needsPermission);
      try {
        return { ok: true, file: await read(), keeping: 'reference' };
      } catch (error) {
        if (isGone(error)) return fail(gone);
        if (errorName(error) === 'NotAllowedError' || errorName(error) === 'SecurityError') return fail(needsPermission);
        return fail({ state: 'missing', reason: `“${key}” could not be read: ${message(error)}` });
      }
    };
    switch (source.kind) {
      case 'none':
        return fail(notKept(key));
      case 'legacy':
        return { ok: true, file: source.blob, keeping: 'legacy' };
      case 'folder':
        return readHandle(source.folder.handle, () => fileAt(source.folder.handle, source.rest), notInFolder(source.rest, source.folder.handle));
      case 'own': {
        const { record } = source;
        if (record === null || record.kind === 'folder') return fail(damagedRecord(key));
        if (record.kind === 'reference') return readHandle(record.handle, () => record.handle.getFile(), referenceGone(record.handle));
        try {
          const file = await fileAt(await opfsRoot(), copyPath(projectId, key).join('/'));
          if (file.size !== record.byteLength) {
            return fail({ state: 'missing', reason: `The browser's copy of “${key}” is incomplete (${formatByteSize(file.size)} of ${formatByteSize(record.byteLength)}): add the file again.` });
          }
          return { ok: true, file, keeping: 'copy' };
        } catch (error) {
          if (isGone(error)) return fail(copyGone(key));
          return fail({ state: 'missing', reason: `The browser's copy of “${key}” could not be read: ${message(error)}` });
        }
      }
    }
  }

  return {
    async copy(projectId, key, file, onProgress) {
      const segments = copyPath(projectId, key);
      const name = segments.at(-1)!;
      const what = `a copy of “${key}”`;
      const dir = (await directoryAt(await opfsRoot(), segments.slice(0, -1), true))!;
      // Written under a temporary name and renamed when complete, so the key never names half a file.
      const tempName = `${name}.${crypto.randomUUID()}.partial`;
      try {
        const temp: MovableFileHandle = await dir.getFileHandle(tempName, { create: true });
        if (typeof temp.move !== 'function' || typeof temp.createWritable !== 'function') {
          throw new Error('This browser cannot keep copies of files: its private file system cannot stream or rename files.');
        }
        await writeStreaming(temp, file, onProgress);
        await temp.move(name);
      } catch (error) {
        await dir.removeEntry(tempName).catch(() => undefined);
        if (isQuotaError(error)) throw new StorageQuotaError(what, file.size, { cause: error });
        throw error;
      }
      try {
        await putRecord(projectId, key, { kind: 'copy', byteLength: file.size, copiedAt: Date.now() }, what, file.size);
      } catch (error) {
        // Without its record the copy would only take space.
        await dir.removeEntry(name).catch(() => undefined);
        throw error;
      }
    },

    async reference(projectId, key, handle) {
      if (!isHandle(handle, 'file')) throw new Error(`Only a file can be kept as “${key}”; “${handle.name}” is a folder.`);
      copyPath(projectId, key);
      const previous = await ownRecord(projectId, key);
      await putRecord(projectId, key, { kind: 'reference', handle: handle as FileSystemFileHandle }, `the reference to “${handle.name}”`, 0);
      if (previous?.kind === 'copy') await deleteCopy(projectId, key);
    },

    async referenceFolder(projectId, prefix, folder) {
      if (prefix !== '' && !prefix.endsWith('/')) throw new Error(`A folder's place in the project must end with "/" (got “${prefix}”).`);
      if (!isHandle(folder, 'directory')) throw new Error(`“${folder.name}” is a file, not a folder.`);
      await putRecord(projectId, FOLDER + prefix, { kind: 'folder', prefix, handle: folder as FileSystemDirectoryHandle }, `the reference to the folder “${folder.name}”`, 0);
    },

    async read(projectId, key) {
      return readSource(projectId, key, sourceOf(await loadRecords(projectId, key), key));
    },

    async status(projectId, keys) {
      const records = await loadRecords(projectId);
      // Each handle's permission is asked once; each OPFS folder is listed once.
      const permissions = new Map<FileSystemHandle, Promise<PermissionState>>();
      const permission = (handle: FileSystemHandle): Promise<PermissionState> => {
        let p = permissions.get(handle);
        if (!p) permissions.set(handle, (p = readPermission(handle)));
        return p;
      };
      const listings = new Map<string, Promise<ReadonlySet<string>>>();
      const listing = (path: readonly string[]): Promise<ReadonlySet<string>> => {
        const id = path.join('/');
        let p = listings.get(id);
        if (!p) listings.set(id, (p = listFiles(path)));
        return p;
      };
      const listFiles = async (path: readonly string[]): Promise<ReadonlySet<string>> => {
        const names = new Set<string>();
        const dir = await directoryAt(await opfsRoot(), path, false);
        if (dir) for await (const [name, entry] of dir.entries()) if (entry.kind === 'file') names.add(name);
        return names;
      };
      const byHandle = async (handle: FileSystemHandle): Promise<MediaStatus> => ((await permission(handle)) === 'granted' ? available('reference') : needsPermission);

      const statusOf = async (key: string): Promise<MediaStatus> => {
        try {
          return await decide(key);
        } catch (error) {
          return { state: 'missing', reason: `Whether “${key}” is still kept could not be checked: ${message(error)}` };
        }
      };
      const decide = async (key: string): Promise<MediaStatus> => {
        const source = sourceOf(records, key);
        switch (source.kind) {
          case 'none':
            return notKept(key);
          case 'legacy':
            return available('legacy');
          // A granted folder's files are not looked up one by one (slow through handles): read() finds a missing one.
          case 'folder':
            return byHandle(source.folder.handle);
          case 'own': {
            const { record } = source;
            if (record === null || record.kind === 'folder') return damagedRecord(key);
            if (record.kind === 'reference') return byHandle(record.handle);
            const path = copyPath(projectId, key);
            return (await listing(path.slice(0, -1))).has(path.at(-1)!) ? available('copy') : copyGone(key);
          }
        }
      };
      const statuses = await Promise.all(keys.map(statusOf));
      return new Map(keys.map((key, i) => [key, statuses[i]!]));
    },

    async requestAccess(projectId) {
      // Only IndexedDB is awaited before the first prompt: the click's activation lasts about 5 s.
      const records = await loadRecords(projectId);
      const files = [...records.own.values()].flatMap((r) => (r?.kind === 'reference' ? [r.handle] : []));
      // Folders first: a grant on a folder covers the files in it, which then need no prompt (an
      // already granted handle resolves at once, without activation).
      const asked: FileSystemHandle[] = [];
      let granted = 0;
      let refused = 0;
      for (const handle of [...records.folders.map((f) => f.handle), ...files]) {
        // The same folder kept under two prefixes is asked (and counted) once; checked only after
        // the first request, so that nothing but IndexedDB is awaited before it.
        if (handle.kind === 'directory' && asked.length > 0 && (await isAmong(handle, asked))) continue;
        asked.push(handle);
        if ((await requestRead(handle)) === 'granted') granted += 1;
        else refused += 1;
      }
      return { granted, refused };
    },

    async removeProject(projectId) {
      const tx = (await connection.get()).transaction('media', 'readwrite');
      await Promise.all([tx.store.delete(projectRange(projectId)), tx.done]);
      if (!hasOpfs) return;
      const projects = await directoryAt(await opfsRoot(), [PROJECTS_DIR], false);
      await projects?.removeEntry(projectId, { recursive: true }).catch((error: unknown) => {
        if (!isGone(error)) throw error;
      });
    },

    async remove(projectId, key) {
      const previous = await ownRecord(projectId, key);
      await (await connection.get()).delete('media', [projectId, key]);
      if (previous?.kind === 'copy') await deleteCopy(projectId, key);
    },

    usage,
  };
}

/** True when `handle` is the same entry as one of `others` (the same folder kept twice). */
async function isAmong(handle: FileSystemHandle, others: readonly FileSystemHandle[]): Promise<boolean> {
  for (const other of others) if (await handle.isSameEntry(other).catch(() => false)) return true;
  return false;
}

/** requestPermission; a refusal to prompt (no user activation, a gone handle) counts as refused. */
async function requestRead(handle: FileSystemHandle): Promise<PermissionState> {
  const h = handle as PermissionedHandle;
  if (typeof h.requestPermission !== 'function') return 'granted';
  try {
    return await h.requestPermission({ mode: 'read' });
  } catch {
    return 'denied';
  }
}

async function usage(): Promise<StorageUse | null> {
  const storage = (globalThis as { navigator?: { storage?: Partial<StorageManager> } }).navigator?.storage;
  if (typeof storage?.estimate !== 'function') return null;
  try {
    const { usage: used, quota } = await storage.estimate();
    return typeof used === 'number' && typeof quota === 'number' ? { usedBytes: used, quotaBytes: quota } : null;
  } catch {
    return null;
  }
}
