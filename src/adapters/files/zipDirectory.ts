/**
 * Reads a ZIP's central directory straight from a Blob: the end record from the file's tail, then
 * the directory itself — two small slices, nothing inflated, no entry data touched. (fflate's
 * `unzip` needs the whole archive as one Uint8Array, i.e. every video in memory, even with a
 * filter; that is why the listing is done here.) ZIP64 archives are understood.
 *
 * Throws ZipFormatError with a message for the user.
 */

export class ZipFormatError extends Error {}

export interface RawZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** A directory bigger than this is not one we want to hold (≈ 500k entries). */
const MAX_DIRECTORY_BYTES = 64 << 20;

export async function bytesAt(file: Blob, start: number, length: number): Promise<DataView> {
  const buffer = await file.slice(start, start + length).arrayBuffer();
  if (buffer.byteLength !== length) throw new ZipFormatError('The ZIP file is truncated (it ends in the middle of an entry).');
  return new DataView(buffer);
}

export async function readDirectory(file: Blob, maxEntries: number): Promise<RawZipEntry[]> {
  const { count, dirOffset, dirSize, dirEnd } = await findEnd(file);
  if (count > maxEntries) throw new ZipFormatError(`The ZIP has ${count} entries; at most ${maxEntries} are accepted.`);
  if (dirOffset + dirSize > dirEnd) throw new ZipFormatError('The ZIP file is truncated or damaged (its directory lies outside the file).');
  if (dirSize > MAX_DIRECTORY_BYTES) throw new ZipFormatError('The ZIP directory is too large.');

  const dir = await bytesAt(file, dirOffset, dirSize);
  const decoder = new TextDecoder();
  const entries: RawZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > dir.byteLength || dir.getUint32(at, true) !== CENTRAL) {
      throw new ZipFormatError('The ZIP file is damaged (its directory is cut short or corrupt).');
    }
    const nameLength = dir.getUint16(at + 28, true);
    const extraLength = dir.getUint16(at + 30, true);
    const commentLength = dir.getUint16(at + 32, true);
    const next = at + 46 + nameLength + extraLength + commentLength;
    if (next > dir.byteLength) throw new ZipFormatError('The ZIP file is damaged (its directory is cut short or corrupt).');
    const name = decoder.decode(new Uint8Array(dir.buffer, at + 46, nameLength));
    const entry: RawZipEntry = {
      name,
      flags: dir.getUint16(at + 8, true),
      method: dir.getUint16(at + 10, true),
      crc: dir.getUint32(at + 16, true),
      compressedSize: dir.getUint32(at + 20, true),
      size: dir.getUint32(at + 24, true),
      localOffset: dir.getUint32(at + 42, true),
    };
    applyZip64Extra(entry, new DataView(dir.buffer, at + 46 + nameLength, extraLength));
    // The data lies between the entry's local header and the directory.
    if (entry.localOffset + 30 + entry.compressedSize > dirOffset) {
      throw new ZipFormatError(`The ZIP file is damaged: "${name}" runs past the data area.`);
    }
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Where the entry's data starts (after its local header, whose extra field may differ from the
 * directory's). */
export async function dataStart(file: Blob, entry: RawZipEntry): Promise<number> {
  const local = await bytesAt(file, entry.localOffset, 30);
  if (local.getUint32(0, true) !== LOCAL) throw new ZipFormatError(`The ZIP file is damaged: no local header for "${entry.name}".`);
  return entry.localOffset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
}

async function findEnd(file: Blob): Promise<{ count: number; dirOffset: number; dirSize: number; dirEnd: number }> {
  const tailStart = Math.max(0, file.size - (22 + 0xffff));
  const tail = await bytesAt(file, tailStart, file.size - tailStart);
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD && i + 22 + tail.getUint16(i + 20, true) <= tail.byteLength) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new ZipFormatError(
      (await startsWithLocal(file)) ? 'The ZIP file is truncated (its end, with the list of entries, is missing).' : 'This is not a ZIP file.',
    );
  }
  if (tail.getUint16(eocd + 4, true) !== 0 || tail.getUint16(eocd + 6, true) !== 0) {
    throw new ZipFormatError('Split (multi-part) ZIP archives are not supported.');
  }
  let count = tail.getUint16(eocd + 10, true);
  let dirSize = tail.getUint32(eocd + 12, true);
  let dirOffset = tail.getUint32(eocd + 16, true);
  let dirEnd = tailStart + eocd;
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || tail.getUint32(locator, true) !== EOCD64_LOCATOR) {
      throw new ZipFormatError('The ZIP file is damaged (its ZIP64 end record is missing).');
    }
    const at = safeNumber(tail.getBigUint64(locator + 8, true));
    const end64 = await bytesAt(file, at, 56);
    if (end64.getUint32(0, true) !== EOCD64) throw new ZipFormatError('The ZIP file is damaged (bad ZIP64 end record).');
    count = safeNumber(end64.getBigUint64(32, true));
    dirSize = safeNumber(end64.getBigUint64(40, true));
    dirOffset = safeNumber(end64.getBigUint64(48, true));
    dirEnd = at;
  }
  return { count, dirOffset, dirSize, dirEnd };
}

async function startsWithLocal(file: Blob): Promise<boolean> {
  const head = new DataView(await file.slice(0, 4).arrayBuffer());
  return head.byteLength === 4 && head.getUint32(0, true) === LOCAL;
}

/** ZIP64 extra field (0x0001): 64-bit values for the fields saturated at 0xFFFFFFFF, in order. */
function applyZip64Extra(entry: RawZipEntry, extra: DataView): void {
  for (let at = 0; at + 4 <= extra.byteLength; ) {
    const id = extra.getUint16(at, true);
    const length = extra.getUint16(at + 2, true);
    if (id === 0x0001) {
      let p = at + 4;
      const take = () => {
        if (p + 8 > at + 4 + length || p + 8 > extra.byteLength) throw new ZipFormatError(`The ZIP file is damaged: bad ZIP64 field for "${entry.name}".`);
        const v = safeNumber(extra.getBigUint64(p, true));
        p += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = take();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
      if (entry.localOffset === 0xffffffff) entry.localOffset = take();
      return;
    }
    at += 4 + length;
  }
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('The ZIP file is damaged (an offset is out of range).');
  return Number(value);
}
