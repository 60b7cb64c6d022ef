/**
 * Streaming ZIP writer over fflate's `Zip`.
 *
 * Memory: each entry is fed to fflate in chunks (a Blob through `blob.stream()`, a Uint8Array in
 * 1 MiB slices) and every chunk fflate emits is awaited into the sink before the next one is read,
 * so what this function holds at any time is about one input chunk plus fflate's deflate window —
 * not the entry and not the archive. Whether the *archive* ends up in memory is the sink's
 * business (see zipSinks.ts). Blobs (videos, images) are STORED by default: they are already
 * compressed, and deflating them costs time for nothing. Strings and byte arrays are DEFLATED.
 *
 * fflate streams entries with data descriptors (sizes and CRC after the data), so nothing needs to
 * be known before an entry starts; the central directory at the end has the real values.
 */
import { Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from 'fflate';
import { checkZipEntryName } from '../../core/formats/zipPaths.ts';

export interface ZipSink {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(reason?: unknown): Promise<void>;
}

export interface ZipEntry {
  name: string;
  data: Blob | Uint8Array | string;
  /** Default: false for a Blob (stored as is), true for a string or bytes (deflated). */
  compress?: boolean;
}

/** Slice size for in-memory byte arrays, so one huge array does not become one huge output. */
const SLICE = 1 << 20;

export async function writeZip(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  sink: ZipSink,
  onProgress?: (bytesIn: number) => void,
): Promise<void> {
  // fflate calls back synchronously from push(); chunks wait here until drained into the sink.
  const pending: Uint8Array[] = [];
  let failure: Error | null = null;
  let finished = false;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure ??= err;
    else pending.push(chunk);
    if (final) finished = true;
  });
  const drain = async () => {
    if (failure) throw failure;
    while (pending.length > 0) await sink.write(pending.shift()!);
  };

  let bytesIn = 0;
  const seen = new Set<string>();
  try {
    for await (const entry of entries) {
      const problem = checkZipEntryName(entry.name) ?? (seen.has(entry.name) ? `"${entry.name}" appears twice` : null);
      if (problem) throw new Error(`Cannot write the ZIP: ${problem}.`);
      seen.add(entry.name);

      const compress = entry.compress ?? !(entry.data instanceof Blob);
      const file: ZipInputFile & { push(chunk: Uint8Array, final?: boolean): void } = compress
        ? new ZipDeflate(entry.name, { level: 6 })
        : new ZipPassThrough(entry.name);
      zip.add(file);
      for await (const chunk of chunksOf(entry.data)) {
        file.push(chunk, false);
        await drain();
        bytesIn += chunk.length;
        onProgress?.(bytesIn);
        // Deflating a slice is 20–40 ms of this thread; a sink that answers at once (a download
        // assembled in memory) would chain every slice of the archive into one long task.
        if (compress) await yieldToEventLoop();
      }
      file.push(new Uint8Array(0), true);
      await drain();
    }
    zip.end();
    await drain();
    if (!finished) throw new Error('Cannot write the ZIP: the archive did not finish.');
    await sink.close();
  } catch (error) {
    zip.terminate();
    await sink.abort(error).catch(() => undefined);
    throw error;
  }
}

/** Lets the event loop run (input, paint) before going on: `scheduler.yield` where there is one. */
function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  // A message is a task of its own, without the clamping of nested timeouts.
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The entry's bytes in pieces: a Blob as its stream delivers them, bytes in 1 MiB slices. */
async function* chunksOf(data: Blob | Uint8Array | string): AsyncGenerator<Uint8Array> {
  if (data instanceof Blob) {
    const reader = data.stream().getReader();
    let done = false;
    try {
      while (!done) {
        const next = await reader.read();
        done = next.done;
        if (next.value && next.value.length > 0) yield next.value;
      }
    } finally {
      // Stopped early (the write failed): let the source release what it holds.
      if (!done) await reader.cancel().catch(() => undefined);
    }
    return;
  }
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  for (let at = 0; at < bytes.length; at += SLICE) yield bytes.subarray(at, at + SLICE);
}
