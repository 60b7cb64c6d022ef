/** Types of int8Encoder.mjs. */
import type { Quantized } from './onnxQuantize.mjs';

export const INT8_ENCODER_FILE: string;
export function int8EncoderPaths(root: string): { source: string; output: string };
export function buildInt8Encoder(sourceBytes: Uint8Array): Quantized;
export interface Int8EncoderManifest {
  /** Hash of the quantiser's code: a new one makes a new file. */
  readonly builder: string;
  readonly sourceSha256: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly sourceBytes: number;
  readonly matmuls: number;
  readonly params: number;
}
export function ensureInt8Encoder(paths: { source: string; output: string }): Int8EncoderManifest & {
  readonly path: string;
  /** False when the cached file was used. */
  readonly built: boolean;
  readonly ms: number;
};
