/**
 * Telling "nothing is there" from "the server answered but the browser hid the answer (CORS)":
 * fetch reports both as the same TypeError. So after such a failure the URL is probed:
 *
 * 1. A plain GET in CORS mode (a "simple" request, no preflight). If it gets any answer, the server
 *    is there and lets this page read it: CORS was not the problem, the connection was dropped
 *    (a crash, a reset) — 'open'.
 * 2. A GET with `mode: 'no-cors'`: the browser asks no permission and hands back an opaque
 *    response when anything answers — 'no-cors'; a failure again means 'nothing'.
 *
 * This app is served cross-origin isolated (COEP `require-corp`, for onnxruntime's WASM threads),
 * and there the browser blocks the opaque response of a server that sends no
 * `Cross-Origin-Resource-Policy` header, which no model server does: step 2 fails as if nothing
 * answered. But that block happens only after a response came, and the browser files a COEP
 * report naming the blocked URL, which a ReportingObserver receives (Chromium 156, measured: ~1 ms
 * after the failure; the report body has only toJSON()). So a failed step 2 plus a COEP report
 * for that origin means 'no-cors'. Without ReportingObserver (Firefox by default) a CORS refusal
 * stays indistinguishable from an absent server and comes out as 'nothing'.
 */

export type Reachability = 'nothing' | 'no-cors' | 'open';

/** What answers at `url`; may reject when `signal` aborts (the caller then says cancelled). */
export type ReachabilityProbe = (url: string, signal: AbortSignal) => Promise<Reachability>;

/** How long to wait for the COEP report after step 2 failed. */
const REPORT_GRACE_MS = 500;

export const probeReachable: ReachabilityProbe = async (url, signal) => {
  try {
    await fetch(url, { credentials: 'omit', cache: 'no-store', signal });
    return 'open';
  } catch (error) {
    if (signal.aborted) throw error;
  }
  const blocked = watchCoepBlocks(url);
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', signal });
    return 'no-cors';
  } catch (error) {
    if (signal.aborted) throw error;
    return blocked && (await blocked.seen(REPORT_GRACE_MS, signal)) ? 'no-cors' : 'nothing';
  } finally {
    blocked?.stop();
  }
};

interface CoepWatch {
  seen(graceMs: number, signal: AbortSignal): Promise<boolean>;
  stop(): void;
}

function watchCoepBlocks(url: string): CoepWatch | null {
  if (!globalThis.crossOriginIsolated || typeof ReportingObserver === 'undefined') return null;
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  let hit = false;
  let wake: (() => void) | undefined;
  const observer = new ReportingObserver((reports) => {
    if (reports.some((r) => r.type === 'coep' && blockedOrigin(r) === origin)) {
      hit = true;
      wake?.();
    }
  }, { types: ['coep'] });
  observer.observe();
  return {
    seen: (graceMs, signal) =>
      new Promise<boolean>((resolve) => {
        if (hit) return resolve(true);
        const done = () => {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve(hit);
        };
        const timer = setTimeout(done, graceMs);
        wake = done;
        signal.addEventListener('abort', done, { once: true });
      }),
    stop: () => observer.disconnect(),
  };
}

function blockedOrigin(report: Report): string | null {
  // A COEP report body (not in TypeScript's DOM types); Chromium exposes its fields via toJSON() only.
  const body = report.body as { toJSON?: () => unknown } | null;
  const json = typeof body?.toJSON === 'function' ? body.toJSON() : body;
  const blockedURL = typeof json === 'object' && json !== null && 'blockedURL' in json ? json.blockedURL : null;
  if (typeof blockedURL !== 'string') return null;
  try {
    return new URL(blockedURL).origin;
  } catch {
    return null;
  }
}
