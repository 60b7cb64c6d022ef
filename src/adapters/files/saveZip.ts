/**
 * "Save as ZIP": straight to disk where the browser can (showSaveFilePicker, Chromium), else a
 * Blob download.
 *
 * Memory: the picker path streams — about one chunk in memory whatever the size, so exporting
 * several GB of video works. The download path must hold the whole archive as a Blob until the
 * browser has taken it (see blobSink): an export about the size of the videos, which a tab may
 * not survive for very large projects. The UI should say so when the picker is missing.
 */
import { writeZip, type ZipEntry } from './zipWriter.ts';
import { blobSink, fileSystemSink } from './zipSinks.ts';

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description?: string; accept: Record<string, string[]> }[];
}
type ShowSaveFilePicker = (options?: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

export type SaveZipOutcome = 'saved' | 'downloaded' | 'cancelled';

/** Whether the export can stream to disk (the UI can warn about memory otherwise). */
export function canStreamToDisk(): boolean {
  return typeof picker() === 'function';
}

export async function saveZip(
  name: string,
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  onProgress?: (bytesIn: number) => void,
): Promise<SaveZipOutcome> {
  const handle = await pickSaveFile(name, { description: 'ZIP archive', mime: 'application/zip', extension: '.zip' });
  if (handle === 'cancelled') return 'cancelled';
  if (handle) {
    await writeZip(entries, await fileSystemSink(handle), onProgress);
    return 'saved';
  }
  const sink = blobSink();
  await writeZip(entries, sink, onProgress);
  downloadBlob(sink.blob(), name);
  return 'downloaded';
}

/** One small file (a results or scores file): the save dialog where there is one, else a download. */
export async function saveBlob(name: string, blob: Blob, kind: FileKind): Promise<SaveZipOutcome> {
  const handle = await pickSaveFile(name, kind);
  if (handle === 'cancelled') return 'cancelled';
  if (handle) {
    const writable = await handle.createWritable();
    await writable.write(blob);
    await writable.close();
    return 'saved';
  }
  downloadBlob(blob, name);
  return 'downloaded';
}

interface FileKind {
  readonly description: string;
  readonly mime: string;
  readonly extension: string;
}

/** Where to save: a file the user picked, 'cancelled', or null when there is no save dialog (download instead). */
async function pickSaveFile(name: string, kind: FileKind): Promise<FileSystemFileHandle | 'cancelled' | null> {
  const show = picker();
  if (!show) return null;
  try {
    return await show({ suggestedName: name, types: [{ description: kind.description, accept: { [kind.mime]: [kind.extension] } }] });
  } catch (error) {
    // The user closed the dialog; anything else (e.g. not allowed in this frame) → download.
    if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
    return null;
  }
}

function picker(): ShowSaveFilePicker | undefined {
  const fn = (globalThis as { showSaveFilePicker?: ShowSaveFilePicker }).showSaveFilePicker;
  return typeof fn === 'function' ? fn.bind(globalThis) : undefined;
}

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoking at once can cancel the download in some browsers; a minute is plenty for it to
  // start. Revoking lets the Blob (the whole archive) be collected.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
