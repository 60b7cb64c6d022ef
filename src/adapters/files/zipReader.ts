/**
 * Opens a ZIP (a File the user picked) as a list of entries that are read on demand.
 *
 * Memory: `readZip` reads only the file's tail and its central directory (zipDirectory.ts); every
 * check — names, limits, count — happens on that listing, before any entry is read, so an archive
 * is refused without inflating anything. An entry's bytes are read when asked for:
 * - `blob()` of a STORED entry (how videos are written) is a slice of the original File — no
 *   bytes are read or copied, the video can go straight to the player or to IndexedDB. Its CRC is
 *   not checked then (that would mean reading it all); `read()` does check it.
 * - `read()` reads the entry's compressed bytes and inflates them into a buffer of the declared
 *   size — never more: a "zip bomb" whose data inflates past its declared size is cut there and
 *   then fails the size/CRC check. So memory per read is bounded by the caller's own limit.
 * - `blob()` of a DEFLATED entry is `read()` wrapped in a Blob.
 */
import { inflateSync } from 'fflate';
import { crc32 } from './crc32.ts';
import { checkZipEntryName, isSystemJunk, printableName } from '../../core/formats/zipPaths.ts';
import { ZipFormatError, bytesAt, dataStart, readDirectory, type RawZipEntry } from './zipDirectory.ts';

export interface ZipFileEntry {
  name: string;
  size: number;
  read(): Promise<Uint8Array>;
  blob(): Promise<Blob>;
}

export interface ReadLimits {
  /** Largest accepted (uncompressed) size for an entry of this name, in bytes. */
  maxEntryBytes: (name: string) => number;
  /** Most entries accepted (directories and OS litter included); default 10 000. */
  maxEntries?: number;
}

export type ReadEntriesResult = { ok: true; entries: ZipFileEntry[] } | { ok: false; error: string };

export const DEFAULT_MAX_ENTRIES = 10_000;

export async function readZip(file: Blob, options: ReadLimits): Promise<ReadEntriesResult> {
  try {
    const raw = await readDirectory(file, options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    const entries: ZipFileEntry[] = [];
    const seen = new Set<string>();
    for (const e of raw) {
      const problem = entryProblem(e, seen, options.maxEntryBytes);
      if (problem) return { ok: false, error: problem };
      seen.add(e.name);
      if (!e.name.endsWith('/') && !isSystemJunk(e.name)) entries.push(zipFileEntry(file, e));
    }
    return { ok: true, entries };
  } catch (error) {
    if (error instanceof ZipFormatError) return { ok: false, error: error.message };
    return { ok: false, error: `Could not read the ZIP file: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Everything decidable from the directory alone, so nothing is read for a refused archive. */
function entryProblem(e: RawZipEntry, seen: ReadonlySet<string>, maxEntryBytes: (name: string) => number): string | null {
  const nameProblem = checkZipEntryName(e.name);
  if (nameProblem) return `Refused ZIP entry: ${nameProblem}.`;
  const name = `"${printableName(e.name)}"`;
  if (seen.has(e.name)) return `The ZIP contains ${name} twice.`;
  if (e.name.endsWith('/') || isSystemJunk(e.name)) return null;
  if (e.flags & 1) return `The ZIP entry ${name} is encrypted; encrypted archives are not supported.`;
  if (e.method !== 0 && e.method !== 8) return `The ZIP entry ${name} uses compression method ${e.method}; only stored and deflated entries are supported.`;
  const limit = maxEntryBytes(e.name);
  if (e.size > limit) return `The ZIP entry ${name} is ${formatBytes(e.size)}; the limit for it is ${formatBytes(limit)}.`;
  // Deflate adds at most a few bytes per 64 KiB block to incompressible data.
  const maxPacked = e.method === 0 ? e.size : e.size + Math.ceil(e.size / 8192) + 1024;
  if (e.compressedSize > maxPacked) return `The ZIP file is damaged: ${name} has impossible sizes.`;
  return null;
}

function zipFileEntry(file: Blob, e: RawZipEntry): ZipFileEntry {
  const packed = async (): Promise<Blob> => {
    const start = await dataStart(file, e);
    if (start + e.compressedSize > file.size) throw new ZipFormatError(`The ZIP file is truncated: "${printableName(e.name)}" is cut short.`);
    return file.slice(start, start + e.compressedSize);
  };
  const read = async (): Promise<Uint8Array> => {
    const start = await dataStart(file, e);
    const data = new Uint8Array((await bytesAt(file, start, e.compressedSize)).buffer);
    const bytes = e.method === 0 ? data : inflate(data, e.size, e.name);
    if (bytes.length !== e.size || crc32(bytes) !== e.crc) {
      throw new ZipFormatError(`The ZIP entry "${printableName(e.name)}" is damaged (its checksum does not match).`);
    }
    return bytes;
  };
  return {
    name: e.name,
    size: e.size,
    read,
    blob: async () => (e.method === 0 ? packed() : new Blob([(await read()) as Uint8Array<ArrayBuffer>])),
  };
}

function inflate(data: Uint8Array, size: number, name: string): Uint8Array {
  try {
    // With `out` given, fflate writes into it and never grows it: output past `size` is dropped.
    return inflateSync(data, { out: new Uint8Array(size) });
  } catch (error) {
    throw new ZipFormatError(`The ZIP entry "${printableName(name)}" is damaged (it does not inflate).`, { cause: error });
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}
