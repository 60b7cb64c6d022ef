/**
 * The port through which a project keeps its files (videos, visual prompt images) apart from its
 * document. A file is kept under a *media key*, a "/"-separated path relative to the project's
 * root as a V2P-Bench folder lays it out: `videos/Source/name.mp4`, `frames/Source/name.jpg`.
 *
 * How a file is kept (`MediaKeeping`):
 * - `reference`: a handle to the user's own file, or to a folder the key lies in (File System
 *   Access). Nothing is copied; after a reload the browser may ask the user to grant access again,
 *   once for the whole folder (`requestAccess`).
 * - `copy`: a copy in the browser's private file system (OPFS), when no handle can be had (a
 *   `<input>` pick, a drop, a ZIP, a URL) or the user asks for it.
 * - `legacy`: a Blob in IndexedDB, as projects of the one-video era kept their video; read only.
 *
 * The browser implementation is `adapters/storage/idbProjectMedia.ts`; `Handle` is a
 * FileSystemHandle there and `FileLike` a Blob (a File for references).
 */

export type MediaKeeping = 'reference' | 'copy' | 'legacy';

export type MediaStatus =
  | { readonly state: 'available'; readonly keeping: MediaKeeping }
  /** A reference the browser no longer lets the app read until the user grants access again. */
  | { readonly state: 'needs-permission'; readonly keeping: 'reference' }
  /** Not kept, or kept but gone (the file was moved or deleted, the copy was evicted). */
  | { readonly state: 'missing'; readonly reason: string };

export type MediaRead<FileLike> = { readonly ok: true; readonly file: FileLike; readonly keeping: MediaKeeping } | { readonly ok: false; readonly status: Exclude<MediaStatus, { state: 'available' }> };

export interface StorageUse {
  /** Bytes this origin uses (IndexedDB, OPFS copies, caches: what the browser counts). */
  readonly usedBytes: number;
  /** Bytes the browser lets this origin use. */
  readonly quotaBytes: number;
}

export interface ProjectMedia<FileLike, Handle> {
  /**
   * Copies `file` into the browser under `key`, replacing what the key held. Throws
   * StorageQuotaError when there is no space (nothing is left half-written).
   */
  copy(projectId: string, key: string, file: FileLike, onProgress?: (bytesWritten: number) => void): Promise<void>;
  /** Keeps a reference to the user's file under `key`. */
  reference(projectId: string, key: string, handle: Handle): Promise<void>;
  /**
   * Keeps a reference to a folder: every key under `prefix` ("" for all, else ending in "/") is
   * looked up in it by its path after the prefix, unless the key has a file of its own.
   */
  referenceFolder(projectId: string, prefix: string, folder: Handle): Promise<void>;
  /** The file under `key`, without asking the user anything. */
  read(projectId: string, key: string): Promise<MediaRead<FileLike>>;
  /** Where each key stands, without reading the files (cheap for thousands of keys). */
  status(projectId: string, keys: readonly string[]): Promise<ReadonlyMap<string, MediaStatus>>;
  /**
   * Asks the browser to let the app read the project's references again (one prompt per folder or
   * file kept). Must be called from a user gesture. Resolves with how many were granted and refused.
   */
  requestAccess(projectId: string): Promise<{ readonly granted: number; readonly refused: number }>;
  /** Forgets the project's references and deletes its copies. */
  removeProject(projectId: string): Promise<void>;
  /** Forgets one key (a video removed from the project); its copy is deleted. */
  remove(projectId: string, key: string): Promise<void>;
  /** What the origin uses and may use, or null where the browser does not say. */
  usage(): Promise<StorageUse | null>;
}

/** The media key of a file at `path` inside a project folder or archive: "/"-separated, no leading "/". */
export function mediaKey(...parts: readonly string[]): string {
  return parts
    .join('/')
    .split('/')
    .filter((s) => s !== '')
    .join('/');
}
