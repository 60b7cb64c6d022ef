/**
 * The test-only `/__fake/*` routes: how a test (or a benchmark) reads what the client sent and
 * steers the double. Unauthenticated and always CORS-open, which is fine for a test double only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http';
import { decodeImage, pixelAt } from './images';
import { isScriptName, SCRIPT_NAMES, type ScriptName, type ScriptOptions } from './scripts';
import type { RequestStore } from './store';

export interface ControlContext {
  readonly store: RequestStore;
  state(): object;
  setScript(name: ScriptName, options: ScriptOptions): void;
  /** Merges into the current expectations and returns the result. */
  expect(input: Record<string, unknown>): object;
  reset(): void;
}

export function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, bodyText: string, headers: Record<string, string>, ctx: ControlContext): void {
  const route = `${req.method} ${url.pathname}`;
  const json = (): Record<string, unknown> => {
    const v: unknown = bodyText === '' ? {} : JSON.parse(bodyText);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('body must be a JSON object');
    return v as Record<string, unknown>;
  };
  try {
    switch (route) {
      case 'GET /__fake/requests':
        return sendJson(res, 200, ctx.store.list(Number(url.searchParams.get('since') ?? 0)), headers);
      case 'GET /__fake/state':
        return sendJson(res, 200, ctx.state(), headers);
      case 'POST /__fake/script': {
        const { name, options } = json();
        if (!isScriptName(name)) return sendJson(res, 400, { error: `unknown script ${JSON.stringify(name)}; one of ${SCRIPT_NAMES.join(', ')}` }, headers);
        ctx.setScript(name, (options ?? {}) as ScriptOptions);
        return sendJson(res, 200, { ok: true, script: name }, headers);
      }
      case 'POST /__fake/expect':
        return sendJson(res, 200, { ok: true, expectations: ctx.expect(json()) }, headers);
      case 'POST /__fake/reset':
        ctx.reset();
        return sendJson(res, 200, { ok: true }, headers);
      case 'GET /__fake/image':
      case 'GET /__fake/pixel': {
        const found = ctx.store.findImage(url.searchParams);
        if (typeof found === 'string') return sendJson(res, 404, { error: found }, headers);
        if (route === 'GET /__fake/image') {
          const type = found.payload[0] === 0x89 ? 'image/png' : 'image/jpeg';
          res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': found.payload.length }).end(found.payload);
          return;
        }
        const img = decodeImage(found.payload);
        const x = Number(url.searchParams.get('x'));
        const y = Number(url.searchParams.get('y'));
        if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= img.width || y >= img.height) {
          return sendJson(res, 400, { error: `x, y must be integers inside ${img.width}x${img.height}` }, headers);
        }
        return sendJson(res, 200, { ...pixelAt(img, x, y), width: img.width, height: img.height, request: found.request, message: found.message, part: found.part }, headers);
      }
      default:
        return sendJson(res, 404, { error: `no such test-double route: ${route}` }, headers);
    }
  } catch (e) {
    sendJson(res, 400, { error: e instanceof Error ? e.message : String(e) }, headers);
  }
}
