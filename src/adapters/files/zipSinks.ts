/**
 * Where a streamed ZIP goes. Memory behaviour differs per sink, and is the whole point of
 * choosing one:
 *
 * - `fileSystemSink` writes each chunk to the file the user picked (File System Access API,
 *   Chromium). The browser writes into a temporary swap file and moves it into place on close,
 *   so memory stays at about one chunk whatever the archive's size; abort() discards the file.
 * - `blobSink` keeps every chunk as a small Blob and joins them (by reference, no copy) into one
 *   Blob at the end. The archive's whole size is held by the browser; Chromium may page large
 *   Blob data to disk, other browsers keep it in memory. Never concatenated into one ArrayBuffer,
 *   so there is no second copy and no single giant allocation.
 */
import type { ZipSink } from './zipWriter.ts';

export function blobSink(): ZipSink & { blob(): Blob } {
  let parts: Blob[] = [];
  let closed = false;
  return {
    // new Blob([chunk]) copies the bytes now, so fflate may reuse its buffers afterwards.
    write: async (chunk) => {
      parts.push(new Blob([chunk as Uint8Array<ArrayBuffer>]));
    },
    close: async () => {
      closed = true;
    },
    abort: async () => {
      parts = [];
    },
    blob: () => {
      if (!closed) throw new Error('The ZIP is not finished yet.');
      return new Blob(parts, { type: 'application/zip' });
    },
  };
}

/** A sink writing to a file handle from showSaveFilePicker (asks for the writable up front, so a
 * permission failure shows before any work is done). */
export async function fileSystemSink(handle: FileSystemFileHandle): Promise<ZipSink> {
  const writable = await handle.createWritable();
  return {
    write: (chunk) => writable.write(chunk as Uint8Array<ArrayBuffer>),
    close: () => writable.close(),
    abort: (reason) => writable.abort(reason),
  };
}
