/**
 * Serves chosen files from node_modules under a URL prefix (dev and preview), and copies them
 * into the build (onnxruntime-web's WASM runtime, the SAM models): the app ships everything it
 * runs and downloads nothing from third parties. A mount may make its files first (`prepare`: the
 * int8 encoder, built from the fp32 one), once, before the first request or the copy.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Plugin } from 'vite';

export interface StaticMount {
  /** URL prefix, e.g. "/ort/". */
  readonly prefix: string;
  /** Absolute file paths to expose under the prefix by their base names. */
  readonly files: readonly string[];
  /** Makes the files (when missing or stale); run once, when the first of them is needed. */
  readonly prepare?: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.onnx': 'application/octet-stream',
};

function contentType(file: string): string {
  const ext = file.slice(file.lastIndexOf('.'));
  return TYPES[ext] ?? 'application/octet-stream';
}

export function staticFiles(mounts: readonly StaticMount[]): Plugin {
  let outDir = 'dist';
  const lookup = new Map<string, string>();
  // The first use of a prepared file waits for its mount's prepare; the others are there already.
  const ready = new Map<string, () => Promise<void>>();
  for (const m of mounts) {
    const once = m.prepare && memo(m.prepare);
    for (const f of m.files) {
      lookup.set(m.prefix + basename(f), resolve(f));
      if (once) ready.set(resolve(f), once);
      else if (!existsSync(f)) throw new Error(`staticFiles: missing ${f} (run npm install)`);
    }
  }
  const prepared = (file: string): Promise<void> => ready.get(file)?.() ?? Promise.resolve();

  return {
    name: 'videoseeker-static-files',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      // Dev only: in preview the copies in dist/ are served by Vite's static handler. This
      // middleware answers before Vite adds `server.headers`, so it sets them itself: without
      // COEP/CORP the browser blocks onnxruntime's thread workers under cross-origin isolation.
      server.middlewares.use(async (req, res, next) => {
        const path = req.url?.split('?')[0] ?? '';
        const file = lookup.get(path);
        if (file === undefined) return next();
        try {
          await prepared(file);
        } catch (e) {
          return next(e);
        }
        for (const [name, value] of Object.entries(server.config.server.headers ?? {})) {
          if (value !== undefined) res.setHeader(name, value);
        }
        res.setHeader('Content-Type', contentType(file));
        res.setHeader('Content-Length', String(statSync(file).size));
        res.setHeader('Cache-Control', 'no-cache');
        createReadStream(file).pipe(res);
      });
    },
    async writeBundle() {
      for (const [url, file] of lookup) {
        await prepared(file);
        const target = join(outDir, url);
        await mkdir(join(target, '..'), { recursive: true });
        await copyFile(file, target);
      }
    },
  };
}

/** Runs `work` once; a failure is not kept, so the next request tries again. */
function memo(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () =>
    (running ??= work().catch((e: unknown) => {
      running = null;
      throw e;
    }));
}
