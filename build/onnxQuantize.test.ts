/**
 * The int8 build step: weights round-trip within half a quantisation step (property test), a
 * rewritten MatMul computes what the fp32 one does (run by onnxruntime-web), small weights stay
 * fp32, and the app's int8 encoder is the same bytes every time it is built.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { buildInt8Encoder, ensureInt8Encoder, int8EncoderPaths } from './int8Encoder.mjs';
import { matMulModel, MIN_WEIGHT_ELEMENTS, quantizeMatMuls, quantizeSymmetric } from './onnxQuantize.mjs';

const ROOT = new URL('../', import.meta.url).pathname;
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function pseudoRandom(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
}

describe('quantizeSymmetric', () => {
  it('maps every weight to an int8 in [-127, 127] that gives it back within half a step, the largest to ±127', () => {
    // Weights of any sign and size a model has (float32 subnormals aside: see the next test).
    const weight = fc.float({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }).map((v) => (Math.abs(v) < 1e-30 ? 0 : v));
    fc.assert(
      fc.property(fc.array(weight, { minLength: 1, maxLength: 300 }), (values) => {
        const w = Float32Array.from(values);
        const { q, scale } = quantizeSymmetric(w);
        const maxAbs = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (let i = 0; i < w.length; i++) {
          expect(Math.abs(q[i]!)).toBeLessThanOrEqual(127);
          expect(Math.abs(q[i]! * scale - w[i]!)).toBeLessThanOrEqual(scale / 2 + maxAbs * 1e-6);
        }
        if (maxAbs > 0) expect(Math.max(...Array.from(q, Math.abs))).toBe(127);
      }),
    );
  });

  it('turns weights too small for a float32 scale into zeros (scale 1), not into ±127 times a scale of 0', () => {
    const { q, scale } = quantizeSymmetric(Float32Array.of(-1.4e-45, 1e-44));
    expect(scale).toBe(1);
    expect(Array.from(q)).toEqual([0, 0]);
  });
});

describe('quantizeMatMuls', () => {
  it('rewrites a MatMul with a large weight into the int8 form, which computes what the fp32 one does', async () => {
    const shape = { m: 32, k: 128, n: 160 };
    const rand = pseudoRandom(3);
    const w = Float32Array.from({ length: shape.k * shape.n }, () => rand() * 0.05);
    const x = Float32Array.from({ length: shape.m * shape.k }, () => rand());
    ort.env.wasm.numThreads = 1;
    const run = async (model: Uint8Array): Promise<Float32Array> => {
      const session = await ort.InferenceSession.create(model);
      const y = (await session.run({ X: new ort.Tensor('float32', x, [shape.m, shape.k]) }))['Y']!.data as Float32Array;
      await session.release();
      return y;
    };
    const fp32Model = matMulModel(shape, w, { int8: false });
    const q = quantizeMatMuls(fp32Model);
    expect(q).toMatchObject({ matmuls: 1, weights: 1, params: shape.k * shape.n });
    expect(q.bytes.length).toBeLessThan(fp32Model.length / 3); // the float weight is gone, int8 in its place
    const [want, got] = [await run(fp32Model), await run(q.bytes)];
    let err2 = 0;
    let norm2 = 0;
    for (let i = 0; i < want.length; i++) {
      err2 += (got[i]! - want[i]!) ** 2;
      norm2 += want[i]! ** 2;
    }
    expect(Math.sqrt(err2 / norm2)).toBeLessThan(0.02);
  });

  it('leaves MatMuls with small weights in fp32', () => {
    const rand = pseudoRandom(5);
    const small = { m: 4, k: 64, n: 64 };
    expect(small.k * small.n).toBeLessThan(MIN_WEIGHT_ELEMENTS);
    const model = matMulModel(small, Float32Array.from({ length: small.k * small.n }, rand), { int8: false });
    const q = quantizeMatMuls(model);
    expect(q.matmuls).toBe(0);
    expect(sha256(q.bytes)).toBe(sha256(quantizeMatMuls(model).bytes));
  });
});

describe("the app's int8 encoder", () => {
  it('is the same bytes every build, and the cached file is that build', () => {
    const paths = int8EncoderPaths(ROOT);
    const a = buildInt8Encoder(readFileSync(paths.source));
    const b = buildInt8Encoder(readFileSync(paths.source));
    expect(sha256(b.bytes)).toBe(sha256(a.bytes));
    expect(a.matmuls).toBe(40);
    const cached = ensureInt8Encoder(paths);
    expect(cached.sha256).toBe(sha256(a.bytes));
    expect(sha256(readFileSync(cached.path))).toBe(cached.sha256);
  }, 60_000);
});
