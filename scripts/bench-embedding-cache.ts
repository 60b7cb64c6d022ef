/**
 * bench:propagate's cache of SAM image embeddings: each frame is encoded once (the encoder is ~90 %
 * of the time), so a run over the development set after the first is decoder + tracker only.
 *
 * One file per frame and encoder: `.bench-cache/embeddings/<seq>/<frame>-<encoder sha256, 12 hex>.f32`.
 * Layout: uint32 LE header length, a JSON header (padded with spaces to a multiple of 4 bytes),
 * then the embedding as raw float32 LE [1, 256, 64, 64] (fp32: the decoder then sees exactly what
 * a fresh encoder pass gives, so cached and uncached runs give the same numbers).
 * The header names the encoder file (size and SHA-256: an int8 encoder never reads fp32
 * embeddings, and the other way round), the frame file's size (a changed frame is encoded again),
 * the geometry and the encoder time measured when the embedding was computed (the benchmark's
 * timings with a cache use it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SamEmbedding } from '../src/adapters/segmentation/ortSam';
import type { SamGeometry } from '../src/core/segmentation/samGeometry';

const EMBEDDING_LENGTH = 256 * 64 * 64;
const FORMAT = 'videoseeker-sam-embedding/1';

export interface EncoderIdentity {
  readonly file: string;
  readonly size: number;
  readonly sha256: string;
}

interface Header {
  readonly format: string;
  readonly encoder: EncoderIdentity;
  readonly frameFileSize: number;
  readonly dtype: 'float32';
  readonly dims: readonly number[];
  readonly geometry: SamGeometry;
  /** Encoder time when this embedding was computed (ms). */
  readonly encoderMs: number;
}

export interface CachedEmbedding {
  readonly embedding: SamEmbedding;
  readonly encoderMs: number;
}

export function encoderIdentity(path: string): EncoderIdentity {
  const bytes = readFileSync(path);
  return { file: basename(path), size: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export class EmbeddingCache {
  constructor(
    private readonly root: string,
    private readonly encoder: EncoderIdentity,
  ) {}

  private pathOf(sequence: string, frame: string): string {
    return join(this.root, sequence, `${frame}-${this.encoder.sha256.slice(0, 12)}.f32`);
  }

  /** The cached embedding of this frame by this encoder, or null (missing, other encoder, changed frame, damaged file). */
  read(sequence: string, frame: string, frameFile: string): CachedEmbedding | null {
    const path = this.pathOf(sequence, frame);
    if (!existsSync(path)) return null;
    const bytes = readFileSync(path);
    if (bytes.byteLength < 4) return null;
    const headerLength = bytes.readUInt32LE(0);
    if (4 + headerLength + EMBEDDING_LENGTH * 4 !== bytes.byteLength) return null;
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
    } catch {
      return null;
    }
    const same = header.format === FORMAT && header.encoder.size === this.encoder.size && header.encoder.sha256 === this.encoder.sha256 && header.dtype === 'float32';
    if (!same || header.frameFileSize !== statSync(frameFile).size) return null;
    // Copy into an aligned buffer (the header length keeps it 4-aligned, but the Buffer pool's offset may not be).
    const data = new Float32Array(EMBEDDING_LENGTH);
    new Uint8Array(data.buffer).set(bytes.subarray(4 + headerLength));
    return { embedding: { data, geometry: header.geometry }, encoderMs: header.encoderMs };
  }

  write(sequence: string, frame: string, frameFile: string, embedding: SamEmbedding, encoderMs: number): void {
    if (embedding.data.length !== EMBEDDING_LENGTH) throw new RangeError(`An embedding has ${EMBEDDING_LENGTH} values, got ${embedding.data.length}`);
    const header: Header = { format: FORMAT, encoder: this.encoder, frameFileSize: statSync(frameFile).size, dtype: 'float32', dims: [1, 256, 64, 64], geometry: embedding.geometry, encoderMs };
    let json = JSON.stringify(header);
    json += ' '.repeat((4 - (Buffer.byteLength(json) % 4)) % 4);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(Buffer.byteLength(json), 0);
    const path = this.pathOf(sequence, frame);
    mkdirSync(dirname(path), { recursive: true });
    // Written under a temporary name and renamed: an interrupted run never leaves half a file.
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, Buffer.concat([head, Buffer.from(json, 'utf8'), Buffer.from(embedding.data.buffer, embedding.data.byteOffset, embedding.data.byteLength)]));
    renameSync(tmp, path);
  }
}
