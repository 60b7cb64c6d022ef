import { Zip, ZipPassThrough, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';
import { readZip, type ReadLimits, type ZipFileEntry } from './zipReader.ts';
import { blobSink } from './zipSinks.ts';
import { writeZip, type ZipEntry, type ZipSink } from './zipWriter.ts';

const unlimited = { maxEntryBytes: () => Number.MAX_SAFE_INTEGER };

function random(n: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

async function zipToBlob(entries: ZipEntry[]): Promise<Blob> {
  const sink = blobSink();
  await writeZip(entries, sink);
  return sink.blob();
}

async function entriesOf(file: Blob, limits: ReadLimits = unlimited): Promise<ZipFileEntry[]> {
  const result = await readZip(file, limits);
  if (!result.ok) throw new Error(result.error);
  return result.entries;
}

async function errorOf(file: Blob | Uint8Array, limits: ReadLimits = unlimited): Promise<string> {
  const result = await readZip(file instanceof Blob ? file : new Blob([file as Uint8Array<ArrayBuffer>]), limits);
  if (result.ok) throw new Error('expected a refusal');
  return result.error;
}

describe('writeZip + readZip round trip', () => {
  const video = random(2_500_000, 7);
  const bytes = random(100_000, 3);
  const entries: ZipEntry[] = [
    { name: 'dataset_info.json', data: JSON.stringify([{ video_id: 'a', answer: 'B' }]) },
    { name: 'videos/Source/clip.mp4', data: new Blob([video]) },
    { name: 'frames/vidéo/0001.png', data: bytes },
    { name: 'empty.txt', data: '' },
    { name: 'stored.bin', data: bytes, compress: false },
    { name: 'deflated-blob.json', data: new Blob(['{"x":1}'.repeat(1000)]), compress: true },
  ];

  it('gives back every name, size and byte', async () => {
    const progress: number[] = [];
    const sink = blobSink();
    await writeZip(entries, sink, (n) => progress.push(n));
    const read = await entriesOf(sink.blob());
    expect(read.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    expect(read.map((e) => e.size)).toEqual([31, video.length, bytes.length, 0, bytes.length, 7000]);
    expect(new TextDecoder().decode(await read[0]!.read())).toBe(entries[0]!.data);
    expect(same(await read[1]!.read(), video)).toBe(true);
    expect(same(new Uint8Array(await (await read[1]!.blob()).arrayBuffer()), video)).toBe(true);
    expect(same(await read[2]!.read(), bytes)).toBe(true);
    expect(await read[3]!.read()).toEqual(new Uint8Array(0));
    expect(same(await read[4]!.read(), bytes)).toBe(true);
    expect(new TextDecoder().decode(await (await read[5]!.blob()).arrayBuffer())).toBe('{"x":1}'.repeat(1000));
    expect(progress.at(-1)).toBe(31 + video.length + 2 * bytes.length + 7000);
  });

  it('stores Blobs and deflates text by default; another reader agrees', async () => {
    const blob = await zipToBlob(entries);
    const all = unzipSync(new Uint8Array(await blob.arrayBuffer()));
    expect(same(all['videos/Source/clip.mp4']!, video)).toBe(true);
    expect(same(all['frames/vidéo/0001.png']!, bytes)).toBe(true);
    // A stored video's bytes appear verbatim in the archive; the JSON's do not.
    const archive = new Uint8Array(await blob.arrayBuffer());
    expect(indexOf(archive, video.subarray(0, 64))).toBeGreaterThan(0);
    expect(indexOf(archive, strToU8('"video_id"'))).toBe(-1);
  });

  it('blob() of a stored entry is a slice of the archive, not a copy', async () => {
    const blob = await zipToBlob(entries);
    const [, clip] = await entriesOf(blob);
    const part = await clip!.blob();
    expect(part.size).toBe(video.length);
  });

  it('streams a 30 MB Blob in chunks without buffering it', async () => {
    // 480 parts of 64 KiB: Node's Blob stream yields one chunk per part, as a browser yields
    // chunks of its own choosing (typically 64 KiB).
    const part = random(1 << 16, 11);
    const source = new CountingBlob(Array.from({ length: 480 }, () => part));
    let written = 0;
    let writes = 0;
    let maxAhead = 0;
    const sink: ZipSink = {
      write: async (chunk) => {
        written += chunk.length;
        writes++;
        maxAhead = Math.max(maxAhead, source.pulled - written);
      },
      close: async () => undefined,
      abort: async () => undefined,
    };
    await writeZip([{ name: 'videos/big.mp4', data: source }], sink);
    expect(source.pulled).toBe(30 << 20);
    expect(written).toBeGreaterThan(30 << 20);
    expect(writes).toBeGreaterThan(100);
    // What was read from the source but not yet in the sink never exceeds about one chunk.
    expect(maxAhead).toBeLessThanOrEqual(1 << 16);
  });

  it('lets the event loop run between deflated slices, even into a sink that answers at once', async () => {
    // 4 MiB of text is four slices of deflate work (20–40 ms each in a browser); chained by
    // promises alone they would be one long task, and the page would not paint or take input.
    const text = 'x'.repeat(4 << 20);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await writeZip([{ name: 'masks/coco.json', data: text }], blobSink());
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('refuses bad names when writing and aborts the sink', async () => {
    for (const name of ['../evil', '/abs', 'C:\\x', 'a/../b', '']) {
      let aborted = false;
      const sink = { ...blobSink(), abort: async () => void (aborted = true) };
      await expect(writeZip([{ name, data: 'x' }], sink)).rejects.toThrow(/Cannot write the ZIP/);
      expect(aborted).toBe(true);
    }
    await expect(writeZip([{ name: 'a', data: 'x' }, { name: 'a', data: 'y' }], blobSink())).rejects.toThrow(/twice/);
  });
});

describe('readZip refuses', () => {
  const ok = zipSync({ 'dataset_info.json': strToU8('[]'), 'videos/a.mp4': [random(5000), { level: 0 }] });

  it.each(['../evil', '/abs', 'C:\\x', 'a/../../b', 'C:/windows'])('the entry name %s', async (name) => {
    const error = await errorOf(zipSync({ [name]: strToU8('x') }));
    expect(error).toMatch(/^Refused ZIP entry: /);
    expect(error).toContain(JSON.stringify(name).slice(1, -1).replace(/\\\\/g, '\\'));
  });

  it('an entry over its limit, naming it, before reading it', async () => {
    const spy = new SliceSpyBlob([ok]);
    const error = await errorOf(spy, { maxEntryBytes: (name) => (name.startsWith('videos/') ? 4000 : 100) });
    expect(spy.slices).toBe(2); // the tail and the directory: no entry was opened
    expect(error).toBe('The ZIP entry "videos/a.mp4" is 4.9 KiB; the limit for it is 3.9 KiB.');
  });

  it('a file that is not a ZIP, and an empty one', async () => {
    expect(await errorOf(strToU8('{"not": "a zip"}'))).toBe('This is not a ZIP file.');
    expect(await errorOf(new Uint8Array(0))).toBe('This is not a ZIP file.');
  });

  it('a truncated ZIP', async () => {
    for (const cut of [1, 30, 200, ok.length - 10]) {
      expect(await errorOf(ok.subarray(0, ok.length - cut))).toMatch(/truncated/);
    }
  });

  it('a ZIP whose directory points past its data', async () => {
    const damaged = ok.slice();
    const eocd = damaged.length - 22;
    new DataView(damaged.buffer).setUint32(eocd + 16, damaged.length, true);
    expect(await errorOf(damaged)).toMatch(/truncated or damaged/);
  });

  it('too many entries', async () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.txt`, strToU8('x')])));
    expect(await errorOf(many, { ...unlimited, maxEntries: 4 })).toBe('The ZIP has 5 entries; at most 4 are accepted.');
    expect((await entriesOf(new Blob([many]), { ...unlimited, maxEntries: 5 })).length).toBe(5);
  });

  it('a duplicate name', async () => {
    const parts: Uint8Array[] = [];
    const zip = new Zip((_, chunk) => parts.push(chunk));
    for (const body of ['one', 'two']) {
      const file = new ZipPassThrough('a.txt');
      zip.add(file);
      file.push(strToU8(body), true);
    }
    zip.end();
    expect(await errorOf(new Blob(parts as Uint8Array<ArrayBuffer>[]))).toBe('The ZIP contains "a.txt" twice.');
  });

  it('reading an entry that inflates past its declared size (zip bomb), or damaged data', async () => {
    const bomb = zipSync({ 'masks.json': strToU8('0'.repeat(1_000_000)) });
    const central = lastIndexOf(bomb, [0x50, 0x4b, 0x01, 0x02]);
    new DataView(bomb.buffer).setUint32(central + 24, 1000, true);
    const [entry] = await entriesOf(new Blob([bomb]), { maxEntryBytes: () => 2000 });
    await expect(entry!.read()).rejects.toThrow('The ZIP entry "masks.json" is damaged (its checksum does not match).');

    const flipped = ok.slice();
    flipped[flipped.length - 200] = flipped[flipped.length - 200]! ^ 0xff; // inside the stored video's data
    const [, video] = await entriesOf(new Blob([flipped]));
    await expect(video!.read()).rejects.toThrow(/"videos\/a.mp4" is damaged/);
  });

  it('skips directories and OS litter', async () => {
    const withJunk = zipSync({ 'a/': new Uint8Array(0), 'a/b.txt': strToU8('b'), '__MACOSX/a/._b.txt': strToU8('junk'), '.DS_Store': strToU8('junk') });
    expect((await entriesOf(new Blob([withJunk]))).map((e) => e.name)).toEqual(['a/b.txt']);
  });
});

describe('readZip ZIP64', () => {
  it('reads sizes, offsets and counts from the ZIP64 records', async () => {
    const entry = await entriesOf(new Blob([zip64Of('a.txt', strToU8('hello'))]));
    expect(entry.map((e) => [e.name, e.size])).toEqual([['a.txt', 5]]);
    expect(new TextDecoder().decode(await entry[0]!.read())).toBe('hello');
    expect(unzipSync(zip64Of('a.txt', strToU8('hello')))).toEqual({ 'a.txt': strToU8('hello') }); // the archive itself is valid
  });
});

/** A one-entry STORED archive written the ZIP64 way (saturated 32-bit fields, 64-bit records). */
function zip64Of(name: string, data: Uint8Array): Uint8Array<ArrayBuffer> {
  const n = strToU8(name);
  const crc = crc32(data);
  const local = new DataView(new ArrayBuffer(30));
  local.setUint32(0, 0x04034b50, true);
  local.setUint16(4, 45, true);
  local.setUint32(14, crc, true);
  local.setUint32(18, data.length, true);
  local.setUint32(22, data.length, true);
  local.setUint16(26, n.length, true);
  const central = new DataView(new ArrayBuffer(46 + n.length + 28));
  central.setUint32(0, 0x02014b50, true);
  central.setUint16(6, 45, true);
  central.setUint32(16, crc, true);
  central.setUint32(20, 0xffffffff, true);
  central.setUint32(24, 0xffffffff, true);
  central.setUint16(28, n.length, true);
  central.setUint16(30, 28, true);
  central.setUint32(42, 0xffffffff, true);
  new Uint8Array(central.buffer).set(n, 46);
  const x = 46 + n.length;
  central.setUint16(x, 1, true);
  central.setUint16(x + 2, 24, true);
  central.setBigUint64(x + 4, BigInt(data.length), true); // uncompressed
  central.setBigUint64(x + 12, BigInt(data.length), true); // compressed
  central.setBigUint64(x + 20, 0n, true); // local header offset
  const dirOffset = 30 + n.length + data.length;
  const end64 = new DataView(new ArrayBuffer(56 + 20 + 22));
  end64.setUint32(0, 0x06064b50, true);
  end64.setBigUint64(4, 44n, true);
  end64.setBigUint64(24, 1n, true);
  end64.setBigUint64(32, 1n, true);
  end64.setBigUint64(40, BigInt(central.byteLength), true);
  end64.setBigUint64(48, BigInt(dirOffset), true);
  end64.setUint32(56, 0x07064b50, true);
  end64.setBigUint64(64, BigInt(dirOffset + central.byteLength), true);
  end64.setUint32(68 + 4, 1, true);
  end64.setUint32(76, 0x06054b50, true);
  end64.setUint16(76 + 8, 0xffff, true);
  end64.setUint16(76 + 10, 0xffff, true);
  end64.setUint32(76 + 12, 0xffffffff, true);
  end64.setUint32(76 + 16, 0xffffffff, true);
  const out = new Uint8Array(dirOffset + central.byteLength + end64.byteLength);
  out.set(new Uint8Array(local.buffer), 0);
  out.set(n, 30);
  out.set(data, 30 + n.length);
  out.set(new Uint8Array(central.buffer), dirOffset);
  out.set(new Uint8Array(end64.buffer), dirOffset + central.byteLength);
  return out;
}

class SliceSpyBlob extends Blob {
  slices = 0;
  override slice(...args: Parameters<Blob['slice']>): Blob {
    this.slices++;
    return super.slice(...args);
  }
}

class CountingBlob extends Blob {
  pulled = 0;
  override stream(): ReturnType<Blob['stream']> {
    const reader = super.stream().getReader();
    return new ReadableStream({
      pull: async (controller) => {
        const next = await reader.read();
        if (next.done) controller.close();
        else {
          this.pulled += next.value.length;
          controller.enqueue(next.value);
        }
      },
    });
  }
}

/** Byte equality (vitest's deep equality is very slow on megabyte arrays). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(needle);
}

function lastIndexOf(haystack: Uint8Array, needle: number[]): number {
  for (let i = haystack.length - needle.length; i >= 0; i--) if (needle.every((b, j) => haystack[i + j] === b)) return i;
  return -1;
}
