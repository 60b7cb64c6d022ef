/**
 * The File System Access directory picker: the folder's files as archive entries (read only when
 * asked) and its handle, which the project keeps as a reference so that a dataset of gigabytes is
 * never copied. Chromium and Edge have it; elsewhere `pickFolder` is null and the app uses a
 * folder `<input>` (whose files are copied into the browser instead).
 */
import { checkZipEntryName, isSystemJunk, printableName } from '../../core/formats/zipPaths';
import { DEFAULT_MAX_ENTRIES, formatBytes, type ReadLimits, type ZipFileEntry } from './zipReader';

export interface PickedDirectory {
  readonly name: string;
  readonly root: FileSystemDirectoryHandle;
  readonly entries: readonly ZipFileEntry[];
}

interface DirectoryHandle extends FileSystemDirectoryHandle {
  values(): AsyncIterableIterator<FileSystemFileHandle | DirectoryHandle>;
}

type PickerWindow = Window & { showDirectoryPicker?: (options?: { mode?: 'read' | 'readwrite'; id?: string }) => Promise<DirectoryHandle> };

async function collect(dir: DirectoryHandle, prefix: string, out: ZipFileEntry[], limits: ReadLimits): Promise<void> {
  for await (const handle of dir.values()) {
    const name = `${prefix}${handle.name}`;
    if (handle.kind === 'directory') {
      await collect(handle as DirectoryHandle, `${name}/`, out, limits);
      continue;
    }
    if (isSystemJunk(name)) continue;
    const problem = checkZipEntryName(name);
    if (problem) throw new Error(`Refused file in the folder: ${problem}.`);
    const file = await (handle as FileSystemFileHandle).getFile();
    const limit = limits.maxEntryBytes(name);
    if (file.size > limit) throw new Error(`The file "${printableName(name)}" is ${formatBytes(file.size)}; the limit for it is ${formatBytes(limit)}.`);
    const max = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
    if (out.length >= max) throw new Error(`The folder has more than ${max} files; at most ${max} are accepted.`);
    out.push({ name, size: file.size, read: async () => new Uint8Array(await file.arrayBuffer()), blob: async () => file });
  }
}

/** Null where the browser has no directory picker; the picker itself resolves null when the user cancels. */
export function folderPicker(): ((limits: ReadLimits) => Promise<PickedDirectory | null>) | null {
  const w = window as PickerWindow;
  const show = w.showDirectoryPicker;
  if (typeof show !== 'function') return null;
  return async (limits) => {
    let root: DirectoryHandle;
    try {
      root = await show.call(w, { mode: 'read', id: 'videoseeker-dataset' });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return null;
      throw e;
    }
    const entries: ZipFileEntry[] = [];
    await collect(root, '', entries, limits);
    return { name: root.name, root, entries };
  };
}
