/**
 * Where a batch run's time goes (bench:batch --profile): a Chromium trace of the page's renderer
 * over a task — the V8 CPU profiles of every JavaScript thread (the main thread and each video
 * worker, which come and go with the decoder pool; a trace keeps a worker's samples after it
 * ends, which per-target profiling does not) and how long each thread was busy with tasks at all
 * (also the native ones: WebCodecs decoding, image encoding, networking).
 *
 * Self time is put in buckets by where the code is (through the build's source maps) or, for the
 * browser's own functions, by name: demux + decode, resize + draw + JPEG, data URLs, request
 * building + sending, the app's state and UI, garbage collection, other.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { round } from './bench-lib.mjs';

interface TraceEvent {
  readonly name: string;
  readonly cat: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly id?: string;
  readonly args?: { readonly name?: string; readonly data?: ProfileChunkData };
}

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileChunkData {
  readonly cpuProfile?: { readonly nodes?: readonly { readonly id: number; readonly parent?: number; readonly callFrame: CallFrame }[]; readonly samples?: readonly number[] };
  readonly timeDeltas?: readonly number[];
}

export interface ThreadUse {
  readonly thread: string;
  /** Time in tasks (toplevel trace events), ms. */
  readonly busyMs: number;
  /** JavaScript self time sampled on it, ms (0 for native threads). */
  readonly jsMs: number;
  readonly jsByBucket: Readonly<Record<string, number>>;
}

export interface BatchProfile {
  readonly windowMs: number;
  readonly threads: readonly ThreadUse[];
  /** JavaScript self time of all threads by bucket, ms. */
  readonly jsByBucket: Readonly<Record<string, number>>;
  readonly top: readonly { readonly thread: string; readonly fn: string; readonly at: string; readonly selfMs: number }[];
  readonly note: string;
}

const BUCKETS: readonly (readonly [string, RegExp])[] = [
  ['demux + decode', /mediabunny|webcodecs\/(decoderLane|demux|frameService)|^(decode|flush|configure|VideoDecoder|VideoFrame|close)$/],
  ['resize + draw + JPEG', /adapters\/render|frameToBitmap|^(drawImage|convertToBlob|createImageBitmap|transferToImageBitmap|getContext|putImageData|getImageData|fillRect|stroke|fill)$/],
  ['data URLs', /^(readAsDataURL|btoa|atob|arrayBuffer|text)$/],
  ['request building + sending', /node_modules\/openai|adapters\/endpoint|core\/agent\/(messages|runAgent|agentRound|agentTools|streamAssembler|toolCallParser)|^(stringify|parse|fetch|JSON\.stringify|JSON\.parse|encode|decode_utf8)$/],
  ['app state + UI', /node_modules\/(react|react-dom|zustand|konva|react-konva|@tanstack)|src\/(store|features|ui|canvas)\//],
  ['garbage collection', /^\(garbage collector\)$/],
];

function bucketOf(fn: string, at: string): string {
  for (const [name, re] of BUCKETS) if (re.test(at) || re.test(fn)) return name;
  return 'other';
}

/** A build position → its source (through the .map file beside the asset), or null. */
function sourcePositions(dist: string): (url: string, line: number, column: number) => string | null {
  const maps = new Map<string, SourceMap | null>();
  return (url, line, column) => {
    const file = url.slice(url.lastIndexOf('/') + 1);
    if (!maps.has(file)) {
      const path = join(dist, 'assets', `${file}.map`);
      maps.set(file, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]) : null);
    }
    const entry = maps.get(file)?.findEntry(line, column);
    if (!entry || !('originalSource' in entry) || typeof entry.originalSource !== 'string') return null;
    return `${entry.originalSource.replace(/^.*?\/(src|node_modules)\//, '$1/')}:${entry.originalLine + 1}`;
  };
}

async function readStream(cdp: CDPSession, handle: string): Promise<string> {
  const parts: string[] = [];
  for (;;) {
    const r = await cdp.send('IO.read', { handle, size: 4 << 20 });
    parts.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data);
    if (r.eof) break;
  }
  await cdp.send('IO.close', { handle });
  return parts.join('');
}

/** Runs `task` under a trace of the page's renderer and says where the time went; the raw trace is kept at `keepAt` (chrome://tracing, Perfetto). */
export async function traced<T>(page: Page, dist: string, keepAt: string, task: () => Promise<T>): Promise<{ result: T; profile: BatchProfile }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: ['toplevel', 'disabled-by-default-v8.cpu_profiler', '__metadata'] },
  });
  const t0 = Date.now();
  const outcome = await task().then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const windowMs = Date.now() - t0;
  const complete = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream ?? '')));
  await cdp.send('Tracing.end');
  const stream = await complete;
  if (!outcome.ok) {
    await cdp.detach().catch(() => undefined);
    throw outcome.error;
  }
  const result = outcome.value;
  const text = await readStream(cdp, stream);
  await cdp.detach().catch(() => undefined);
  writeFileSync(keepAt, text);
  const parsed = JSON.parse(text) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  return { result, profile: summarise(events, dist, windowMs) };
}

export function summarise(events: readonly TraceEvent[], dist: string, windowMs: number): BatchProfile {
  const threadKey = (e: TraceEvent): string => `${e.pid}:${e.tid}`;
  const names = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name) names.set(threadKey(e), e.args.name);
  // Time in tasks per thread. Toplevel events may nest (a task running a nested loop): count the outermost only.
  const busy = new Map<string, number>();
  const openUntil = new Map<string, number>();
  for (const e of [...events].filter((x) => x.ph === 'X' && x.cat.includes('toplevel') && x.dur !== undefined).sort((a, b) => a.ts - b.ts)) {
    const k = threadKey(e);
    if ((openUntil.get(k) ?? -1) > e.ts) continue;
    openUntil.set(k, e.ts + e.dur!);
    busy.set(k, (busy.get(k) ?? 0) + e.dur! / 1000);
  }
  // The V8 CPU profiles, in chunks, per thread.
  const profiles = new Map<string, { thread: string; nodes: Map<number, CallFrame>; samples: number[]; deltas: number[] }>();
  for (const e of events) {
    if (e.ph !== 'P' || (e.name !== 'Profile' && e.name !== 'ProfileChunk') || e.id === undefined) continue;
    const key = `${e.pid}:${e.id}`;
    let p = profiles.get(key);
    if (!p) profiles.set(key, (p = { thread: threadKey(e), nodes: new Map(), samples: [], deltas: [] }));
    const data = e.args?.data;
    // Frames of the browser's own code may come without a url or position.
    for (const n of data?.cpuProfile?.nodes ?? []) p.nodes.set(n.id, { functionName: n.callFrame.functionName ?? '', url: n.callFrame.url ?? '', lineNumber: n.callFrame.lineNumber ?? 0, columnNumber: n.callFrame.columnNumber ?? 0 });
    p.samples.push(...(data?.cpuProfile?.samples ?? []));
    p.deltas.push(...(data?.timeDeltas ?? []));
  }
  const source = sourcePositions(dist);
  const place = (f: CallFrame): string => (f.url ? (source(f.url, f.lineNumber, f.columnNumber) ?? f.url.slice(f.url.lastIndexOf('/') + 1)) : '');
  const jsByThread = new Map<string, Map<string, number>>();
  const fnTime = new Map<string, { thread: string; fn: string; at: string; us: number }>();
  const threadLabel = (k: string, urls: Set<string>): string => {
    const name = names.get(k) ?? k;
    if (name === 'CrRendererMain') return 'main thread';
    if ([...urls].some((u) => u.includes('videoFrames.worker'))) return 'video workers';
    if ([...urls].some((u) => u.includes('segmentation.worker'))) return 'segmentation worker';
    if ([...urls].some((u) => u.includes('.worker'))) return 'other workers';
    return name;
  };
  for (const p of profiles.values()) {
    const urls = new Set([...p.nodes.values()].map((f) => f.url).filter((u) => u !== ''));
    const label = threadLabel(p.thread, urls);
    const buckets = jsByThread.get(label) ?? new Map<string, number>();
    jsByThread.set(label, buckets);
    for (let i = 0; i < p.samples.length; i++) {
      const f = p.nodes.get(p.samples[i]!);
      if (!f || f.functionName === '(idle)' || f.functionName === '(root)') continue;
      const us = p.deltas[i + 1] ?? 0;
      const at = place(f);
      const fn = f.functionName || '(anonymous)';
      const bucket = fn === '(program)' ? 'browser internals (program)' : bucketOf(fn, at);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + us / 1000);
      const key = `${label}|${fn}|${at}`;
      const entry = fnTime.get(key) ?? { thread: label, fn, at, us: 0 };
      entry.us += us;
      fnTime.set(key, entry);
    }
  }
  // Busy time by label: the video workers (many threads) together.
  const busyByLabel = new Map<string, number>();
  const labelOfThread = new Map<string, string>();
  for (const p of profiles.values()) labelOfThread.set(p.thread, threadLabel(p.thread, new Set([...p.nodes.values()].map((f) => f.url).filter((u) => u !== ''))));
  for (const [k, ms] of busy) {
    const label = labelOfThread.get(k) ?? (names.get(k) ?? 'unnamed thread').replace(/\d+$/, '').trim();
    busyByLabel.set(label, (busyByLabel.get(label) ?? 0) + ms);
  }
  const all = new Map<string, number>();
  for (const b of jsByThread.values()) for (const [k, v] of b) all.set(k, (all.get(k) ?? 0) + v);
  const rounded = (m: ReadonlyMap<string, number>): Record<string, number> => Object.fromEntries([...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, round(v, 0)]));
  const labels = new Set([...busyByLabel.keys(), ...jsByThread.keys()]);
  const threads = [...labels]
    .map((thread) => ({ thread, busyMs: round(busyByLabel.get(thread) ?? 0, 0), jsMs: round([...(jsByThread.get(thread)?.values() ?? [])].reduce((a, b) => a + b, 0), 0), jsByBucket: rounded(jsByThread.get(thread) ?? new Map()) }))
    .filter((t) => t.busyMs >= 50 || t.jsMs >= 50)
    .sort((a, b) => b.busyMs - a.busyMs);
  return {
    windowMs,
    threads,
    jsByBucket: rounded(all),
    top: [...fnTime.values()].sort((a, b) => b.us - a.us).slice(0, 20).map((e) => ({ thread: e.thread, fn: e.fn, at: e.at, selfMs: round(e.us / 1000, 0) })),
    note: 'A trace of the page renderer: busyMs is time in tasks per thread (native work included: WebCodecs decoding and image encoding run on the media / thread-pool threads), jsMs the JavaScript sampled on it, by bucket. Profiled runs are slowed by the tracing: not for the figures.',
  };
}
