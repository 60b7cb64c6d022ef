/**
 * A folder picked with `<input type="file" webkitdirectory>` as the same entry list a ZIP gives,
 * so importers do not care which one the user chose.
 *
 * The picker names files `picked/sub/file.ext` (webkitRelativePath); the picked folder's own
 * name is stripped, so `dataset_info.json` sits at the root as it does in a ZIP. Files without a
 * relative path (plain multi-file pick, drag and drop) keep their bare name.
 *
 * Memory: nothing is read here — each entry's `blob()` is the File itself and `read()` reads it
 * when called. Sizes come from the File, so limits are checked before any byte is read.
 */
import { checkZipEntryName, isSystemJunk, printableName } from '../../core/formats/zipPaths.ts';
import { DEFAULT_MAX_ENTRIES, formatBytes, type ReadEntriesResult, type ReadLimits, type ZipFileEntry } from './zipReader.ts';

export async function readFolder(files: Iterable<File> | ArrayLike<File>, options: ReadLimits): Promise<ReadEntriesResult> {
  const list = Array.from(files);
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (list.length > maxEntries) return { ok: false, error: `The folder has ${list.length} files; at most ${maxEntries} are accepted.` };

  const entries: ZipFileEntry[] = [];
  const seen = new Set<string>();
  for (const file of list) {
    const name = relativeName(file);
    const problem = checkZipEntryName(name);
    if (problem) return { ok: false, error: `Refused file in the folder: ${problem}.` };
    if (isSystemJunk(name)) continue;
    if (seen.has(name)) return { ok: false, error: `The folder contains "${printableName(name)}" twice.` };
    seen.add(name);
    // Read once: File.size is a blocking call into the browser, and a benchmark folder has thousands of files.
    const size = file.size;
    const limit = options.maxEntryBytes(name);
    if (size > limit) {
      return { ok: false, error: `The file "${printableName(name)}" is ${formatBytes(size)}; the limit for it is ${formatBytes(limit)}.` };
    }
    entries.push({
      name,
      size,
      read: async () => new Uint8Array(await file.arrayBuffer()),
      blob: async () => file,
    });
  }
  return { ok: true, entries };
}

/** `picked/a/b.json` → `a/b.json`; a bare name stays as it is. */
function relativeName(file: File): string {
  const path = file.webkitRelativePath;
  if (!path) return file.name;
  const slash = path.indexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}
