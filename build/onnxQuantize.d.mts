/** Types of onnxQuantize.mjs. */
export const MIN_WEIGHT_ELEMENTS: number;
export function quantizeSymmetric(values: Float32Array): { q: Int8Array; scale: number };
export interface Quantized {
  /** The rewritten model. */
  readonly bytes: Uint8Array;
  /** MatMul nodes rewritten. */
  readonly matmuls: number;
  /** Distinct weights quantised. */
  readonly weights: number;
  /** Values in those weights. */
  readonly params: number;
}
export function quantizeMatMuls(modelBytes: Uint8Array, options?: { minElements?: number; metadata?: Record<string, string> }): Quantized;
export function matMulModel(shape: { m: number; k: number; n: number }, weights: Float32Array, options: { int8: boolean }): Uint8Array;
