/**
 * Results files in the browser (File System Access): the file the user picks in the save dialog,
 * results appended to it as they arrive (the port is core/review/resultsFile.ts).
 *
 * The handle is kept open for the run; each append opens a writable on it, writes after the
 * file's end and closes it. A writable's data reaches the file only when it is closed (Chromium
 * writes into a swap file and moves it into place), so one writable kept open all night would
 * lose every line to a crash; this way a line is on disk once its append resolves. Each close
 * copies the file once (keepExistingData), a few milliseconds for a benchmark's results, in the
 * browser process; appends are serialised and the store sends what finished meanwhile together.
 *
 * `opfsResultsFiles` picks a file of the origin's private file system by name instead of asking:
 * for tests (a test cannot answer the save dialog), where the same writable code runs on it.
 */
import type { ResultsFiles, ResultsFileSink } from '../../core/review/resultsFile';

/** Where a results file is: a handle, or null when the user cancelled. */
export type PickResultsFile = (suggestedName: string) => Promise<FileSystemFileHandle | null>;

interface SaveFilePickerOptions {
  suggestedName?: string;
  types?: { description?: string; accept: Record<string, string[]> }[];
}
type ShowSaveFilePicker = (options?: SaveFilePickerOptions) => Promise<FileSystemFileHandle>;

export function createResultsFiles(pick: PickResultsFile): ResultsFiles<Blob> {
  return {
    async open(suggestedName, mode) {
      const handle = await pick(suggestedName);
      return handle === null ? null : openSink(handle, mode);
    },
  };
}

/** The browser's save dialog, or null where there is none (results then stay in the project). */
export function saveDialogResultsFiles(): ResultsFiles<Blob> | null {
  const show = (globalThis as { showSaveFilePicker?: ShowSaveFilePicker }).showSaveFilePicker;
  if (typeof show !== 'function') return null;
  return createResultsFiles(async (suggestedName) => {
    try {
      return await show.call(globalThis, { suggestedName, types: [{ description: 'JSON Lines results', accept: { 'application/jsonl': ['.jsonl'] } }] });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return null;
      throw e;
    }
  });
}

/** The folder of the private file system the test path writes to. */
export const OPFS_RESULTS_FOLDER = 'results-files';

/** Files of the origin's private file system, named as suggested (`?results=opfs`, for tests). */
export function opfsResultsFiles(): ResultsFiles<Blob> {
  return createResultsFiles(async (name) => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(OPFS_RESULTS_FOLDER, { create: true });
    return dir.getFileHandle(name, { create: true });
  });
}

async function openSink(handle: FileSystemFileHandle, mode: 'new' | 'add'): Promise<ResultsFileSink<Blob>> {
  let existing: Blob | null = null;
  // A file that does not end its last line: the first append starts a line of its own.
  let newline = false;
  if (mode === 'new') {
    // Emptied now, which also asks for write access before the run starts.
    const writable = await handle.createWritable();
    await writable.close();
  } else {
    const file = await handle.getFile();
    if (file.size > 0) {
      // A copy: the File is a snapshot that cannot be read once the file changes.
      existing = new Blob([await file.arrayBuffer()]);
      newline = (await existing.slice(existing.size - 1).text()) !== '\n';
    }
  }
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const appendNow = async (text: string): Promise<void> => {
    if (closed) throw new Error('the results file was closed');
    const data = newline ? `\n${text}` : text;
    const { size } = await handle.getFile();
    const writable = await handle.createWritable({ keepExistingData: true });
    try {
      await writable.write({ type: 'write', position: size, data });
      await writable.close();
    } catch (e) {
      await writable.abort().catch(() => undefined);
      throw e;
    }
    newline = false;
  };
  return {
    name: handle.name,
    existing,
    append(text) {
      const done = queue.then(() => appendNow(text));
      queue = done.catch(() => undefined);
      return done;
    },
    async close() {
      await queue;
      closed = true;
    },
  };
}
