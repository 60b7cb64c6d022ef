/**
 * Plumbing shared by the benchmark and screenshot scripts: Debian's Chromium with the flags that
 * work on this machine, a free loopback port, timeouts, percentiles, a seeded PRNG, and whether an
 * app build is out of date.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

/** An expected failure: printed as one line, without a stack. */
export class BenchError extends Error {}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Headless Debian Chromium (CHROMIUM_PATH or /usr/bin/chromium); Playwright's own download does not work here. */
export function launchChromium() {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) throw new BenchError(`Chromium not found at ${executablePath} (set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createNetServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new BenchError(`${what} took longer than ${ms / 1000} s (raise --timeout)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Percentile with linear interpolation between closest ranks (numpy's default). */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export const round = (x, digits = 2) => Number(x.toFixed(digits));

/** mulberry32: a tiny seeded PRNG, uniform in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an app build is made from: the newest of these decides whether it is out of date. */
const APP_SOURCES = ['src', 'public', 'build', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.base.json', 'tsconfig.app.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    // Tests are not part of the build.
    if (entry.isFile() && /\.test\.tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/**
 * 'missing' (no index.html in outDir), 'stale' (a source file — src/, public/, build/, index.html,
 * vite.config.ts, package.json — changed after the build) or 'fresh'.
 */
export function appBuildState(root, outDir) {
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) return 'missing';
  const built = statSync(index).mtimeMs;
  return APP_SOURCES.some((p) => newestMtime(join(root, p)) > built) ? 'stale' : 'fresh';
}
