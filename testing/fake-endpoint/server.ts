/**
 * TEST DOUBLE — a fake VideoSeeker endpoint for tests and benchmarks. NOT a server for real use:
 * there is no model behind it, it answers with scripted trajectories, keeps every request in
 * memory, and exposes them (and the Authorization header it received) on unauthenticated
 * `/__fake/*` routes. Bind it to 127.0.0.1 only.
 *
 * It stands in for `vllm serve <VideoSeeker> --tool-call-parser hermes --enable-auto-tool-choice`
 * (docs/videoseeker-protocol.md) so that the browser client can be tested end to end without a
 * GPU:
 * - `GET /v1/models`, `POST /v1/chat/completions` (streamed or not), CORS like vLLM (switchable
 *   off, to test the client's CORS message), optional API key (401 like vLLM);
 * - every chat request is validated as vLLM would (400/404, validate.ts) and against the
 *   protocol (protocol.ts): frames, sizes, USER_TEXT, tool results. Findings are recorded; in
 *   strict mode (default) a protocol violation is also a 400, so a client bug fails loudly;
 * - the answer is played from a named script (scripts.ts);
 * - tests read what the client sent back via `/__fake/*`:
 *     GET  /__fake/requests[?since=N]   RequestRecord[] (types.ts)
 *     GET  /__fake/state                script, options, expectations, counts (incl. GET /v1/models hits)
 *     GET  /__fake/pixel?request=N&message=M&part=P&x=X&y=Y   {r,g,b,a,width,height,message,part}
 *          (instead of message/part: `visualPrompt=1`, the image of view_visual_prompt's result;
 *          request defaults to the latest one)
 *     GET  /__fake/image?request=N&message=M&part=P   the image bytes (or visualPrompt=1)
 *     POST /__fake/script  {"name": "...", "options": {...}}   next requests use this script
 *          (options.latencyS: seconds every round waits before answering, for benchmarks)
 *     POST /__fake/expect  {"video": {"width","height","durationS","fps"}, "sampling": {...}, "crop": {...}}
 *     POST /__fake/reset   forget requests (indices restart at 0); script and expectations back to the start options
 *
 * Files: validate.ts (vLLM's checks), protocol.ts + protocolText.ts + smartResize.ts (the
 * contract's), scripts.ts (behaviours), sse.ts (response writing), images.ts, store.ts (memory),
 * control.ts (/__fake routes), testClient.ts (a minimal correct client), main.ts (the CLI).
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { handleControl } from './control';
import { readBody, sendJson, type Body } from './http';
import { checkProtocol, type EmittedCall } from './protocol';
import { gate, isScriptName, play, SCRIPT_NAMES, type Completion, type Reply, type ScriptName, type ScriptOptions } from './scripts';
import { newMeta, sendCompletionJson, streamCompletion, type Usage } from './sse';
import { RequestStore } from './store';
import { DEFAULT_EXPECTATIONS, type ChatRequestView, type Expectations, type RequestRecord, type ResponseSummary } from './types';
import { validateChatRequest } from './validate';

export { SCRIPT_NAMES, type ScriptName, type ScriptOptions } from './scripts';
export type { Expectations, RequestRecord, ToolResultSummary, ImageSummary } from './types';
export { jpegDataUrl, pngDataUrl } from './images';
export { smartResize } from './smartResize';
export { protocolTools, toolModeUserText, TOOL_SUCCESS_TEXT, TOOL_FAILURE_PREFIX } from './protocolText';

export const FAKE_MODEL_ID = 'videoseeker-fake';

/**
 * A self-signed certificate for 127.0.0.1 and localhost (made once with openssl, valid to 2036),
 * for the `tls` option: a test or benchmark trusts it explicitly (or its browser ignores
 * certificate errors). Test material only: the key is public.
 */
export function fakeTls(): { key: string; cert: string } {
  const dir = new URL('./tls/', import.meta.url);
  return { key: readFileSync(new URL('key.pem', dir), 'utf8'), cert: readFileSync(new URL('cert.pem', dir), 'utf8') };
}
export const DEFAULT_FAKE_PORT = 8123;

export interface ExpectationsInput {
  readonly video?: Expectations['video'];
  readonly sampling?: Partial<Expectations['sampling']>;
  readonly crop?: Partial<Expectations['crop']>;
  readonly maxToolRounds?: number;
}

export interface FakeEndpointOptions {
  /** 0 (default for tests) picks a free port; the CLI uses 8123. */
  readonly port?: number;
  readonly script?: ScriptName;
  readonly scriptOptions?: ScriptOptions;
  /** Send vLLM's permissive CORS headers (default true). false: none, and OPTIONS gets a 405. */
  readonly cors?: boolean;
  /** Require `Authorization: Bearer <apiKey>` on /v1 (null/absent: no key, like vLLM's default). */
  readonly apiKey?: string | null;
  /** Delay between stream chunks (default 20 ms). */
  readonly chunkDelayMs?: number;
  /**
   * Seconds every chat round waits before its answer starts, as a model server's prefill and
   * decode take (default 0; a script's `latencyS` overrides it). Rounds wait side by side, as on a
   * server batching requests. Chunk delays come on top: with `chunkDelayMs: 0` a round takes this long.
   */
  readonly latencyS?: number;
  /** Answer 400 when the protocol checks find a problem (default true); false only records it. */
  readonly strictProtocol?: boolean;
  /** Error bodies: 'openai' `{"error":{message,type,param,code}}` (default, current vLLM) or 'vllm' (older vLLM's `{"object":"error",...}`). */
  readonly errorStyle?: 'openai' | 'vllm';
  readonly expectations?: ExpectationsInput;
  /** Larger bodies get a 413 (default 200 MB). */
  readonly maxBodyBytes?: number;
  /** Answer a request carrying `stream_options` with a 400 naming it, like a strict server (default false: vLLM takes it). */
  readonly rejectStreamOptions?: boolean;
  /**
   * Serve HTTPS with HTTP/2 (and HTTP/1.1 for clients that do not offer h2) with this key and
   * certificate (PEM), as a TLS reverse proxy in front of vLLM does. A browser opens at most 6
   * connections to an HTTP/1.1 server, so more than 6 requests in flight need HTTP/2's streams.
   */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** Called with each chat request's record once answered (the CLI logs it). */
  readonly onRequest?: (record: RequestRecord) => void;
}

export interface FakeEndpoint {
  /** Base URL, ending in /v1. */
  readonly url: string;
  readonly port: number;
  setScript(name: ScriptName, options?: ScriptOptions): void;
  setExpectations(expectations: ExpectationsInput): void;
  requests(): RequestRecord[];
  /** The most chat requests the server held at once since it started or was last reset (what a client really had in flight). */
  maxChatsInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

function mergeExpectations(base: Expectations, input: ExpectationsInput): Expectations {
  return {
    video: input.video ?? base.video,
    sampling: { ...base.sampling, ...input.sampling },
    crop: { ...base.crop, ...input.crop },
    maxToolRounds: input.maxToolRounds ?? base.maxToolRounds,
  };
}

/** Rough token counts: ~4 characters a token, one token per 28x28 image patch (Qwen). */
function usageOf(req: ChatRequestView | null, c: Completion | null): Usage {
  let prompt = 0;
  for (const m of req?.messages ?? []) {
    for (const p of m.parts) prompt += p.type === 'text' ? Math.ceil(p.text.length / 4) : Math.ceil((p.image.width * p.image.height) / 784);
    for (const t of m.toolCalls) prompt += Math.ceil((t.name.length + t.arguments.length) / 4);
  }
  const completion = c === null ? 0 : Math.ceil(((c.content ?? '').length + c.toolCalls.reduce((n, t) => n + t.name.length + t.arguments.length, 0)) / 4);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/** Waits `ms`; false (at once) when the client closes the connection meanwhile. */
function waitUnlessGone(res: ServerResponse, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const gone = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', gone);
      resolve(true);
    }, ms);
    res.once('close', gone);
  });
}

export async function startFakeEndpoint(options: FakeEndpointOptions = {}): Promise<FakeEndpoint> {
  const cors = options.cors ?? true;
  const apiKey = options.apiKey ?? null;
  const strict = options.strictProtocol ?? true;
  const errorStyle = options.errorStyle ?? 'openai';
  const maxBody = options.maxBodyBytes ?? 200 * 1024 * 1024;
  const initialExpectations = mergeExpectations(DEFAULT_EXPECTATIONS, options.expectations ?? {});
  const initialScript = options.script ?? 'videoseeker';
  if (!isScriptName(initialScript)) throw new Error(`Unknown script "${String(initialScript)}"; one of ${SCRIPT_NAMES.join(', ')}`);

  // Mutable state of the double.
  let script: { name: ScriptName; options: ScriptOptions; served: number } = { name: initialScript, options: options.scriptOptions ?? {}, served: 0 };
  let expectations = initialExpectations;
  const store = new RequestStore();
  const emitted = new Map<string, EmittedCall>();
  const hanging = new Set<ServerResponse>();
  let modelListings = 0;

  const setScript = (name: ScriptName, scriptOptions: ScriptOptions = {}): void => {
    if (!isScriptName(name)) throw new Error(`Unknown script "${String(name)}"; one of ${SCRIPT_NAMES.join(', ')}`);
    script = { name, options: scriptOptions, served: 0 };
  };

  const corsHeaders = (req: IncomingMessage, force = false): Record<string, string> =>
    cors || force
      ? {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
          // vLLM exposes nothing; a rate-limiting gateway in front of a browser client must expose
          // Retry-After for the client to read it, and that is what the *-then-ok scripts model.
          'Access-Control-Expose-Headers': 'Retry-After',
          'Access-Control-Max-Age': '600',
        }
      : {};

  function errorBody(status: number, type: string, message: string): unknown {
    if (errorStyle === 'vllm') return status === 401 ? { error: 'Unauthorized' } : { object: 'error', message, type, param: null, code: status };
    return { error: { message, type, param: null, code: status } };
  }

  function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
    sendJson(res, status, errorBody(status, type, message), headers);
  }

  const authorized = (req: IncomingMessage): boolean => apiKey === null || req.headers.authorization === `Bearer ${apiKey}`;

  async function respond(req: IncomingMessage, res: ServerResponse, reply: Reply, view: ChatRequestView | null, delayMs: number): Promise<ResponseSummary> {
    const base = corsHeaders(req);
    switch (reply.kind) {
      case 'error':
        sendError(res, reply.status, reply.type, reply.message, { ...base, ...reply.headers });
        return { status: reply.status, content: null, toolCalls: [], finishReason: null, note: `error: ${reply.message}` };
      case 'raw':
        res.writeHead(reply.status, { ...base, 'Content-Type': reply.contentType }).end(reply.body);
        return { status: reply.status, content: null, toolCalls: [], finishReason: null, note: `raw ${reply.contentType} body` };
      case 'hang':
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return { status: 0, content: null, toolCalls: [], finishReason: null, note: 'hang: never answered' };
      default:
        break;
    }
    const completion = reply.completion;
    const truncate = reply.kind === 'truncated' ? { afterChunks: reply.afterChunks, mode: reply.mode } : undefined;
    for (const call of completion.toolCalls) {
      emitted.set(call.id, { name: call.name, arguments: call.arguments, content: completion.content });
      if (emitted.size > 10_000) emitted.delete(emitted.keys().next().value!);
    }
    const meta = newMeta(view?.model ?? FAKE_MODEL_ID);
    const usage = usageOf(view, completion);
    for (const [k, v] of Object.entries(base)) res.setHeader(k, v);
    let note: string | null;
    if (view?.stream === true) {
      const how = await streamCompletion(res, completion, meta, { delayMs, usage: view.includeUsage ? usage : null, truncate });
      note = how === 'done' ? null : how;
    } else {
      await sendCompletionJson(res, completion, meta, usage, delayMs, truncate !== undefined);
      note = truncate !== undefined ? 'truncated' : null;
    }
    return { status: 200, content: completion.content, toolCalls: completion.toolCalls, finishReason: completion.finishReason, note };
  }

  async function chat(req: IncomingMessage, res: ServerResponse, body: Body): Promise<void> {
    const index = store.nextIndex();
    const validation = body.tooLarge ? null : validateChatRequest(body.text, [FAKE_MODEL_ID], { rejectStreamOptions: options.rejectStreamOptions ?? false });
    const view = validation?.ok === true ? validation.request : null;
    const findings = view === null ? null : checkProtocol(view, expectations, (id) => emitted.get(id));
    const record: RequestRecord = {
      index,
      at: new Date().toISOString(),
      method: req.method ?? '',
      path: req.url ?? '',
      script: script.name,
      origin: req.headers.origin ?? null,
      authorization: req.headers.authorization ?? null,
      bodyBytes: body.bytes,
      model: view?.model ?? null,
      stream: view?.stream ?? false,
      roles: view?.messages.map((m) => m.role) ?? [],
      texts: view?.messages.map((m) => m.parts.flatMap((p) => (p.type === 'text' ? [p.text] : []))) ?? [],
      frames: findings?.frames ?? null,
      userText: findings?.userText ?? null,
      videoPath: findings?.parsed?.videoPath ?? null,
      framePath: findings?.parsed?.framePath ?? null,
      images: findings?.images ?? [],
      toolResults: findings?.toolResults ?? [],
      toolRounds: findings?.toolRounds ?? 0,
      rejected: body.tooLarge ? `body of ${body.bytes} bytes exceeds ${maxBody}` : validation?.ok === false ? validation.message : null,
      problems: findings?.problems ?? [],
      notes: findings?.notes ?? [],
      response: null,
    };
    store.remember(record, validation?.ok === true ? validation.imagePayloads : null, findings);

    let reply: Reply;
    if (!authorized(req)) reply = { kind: 'error', status: 401, type: 'AuthenticationError', message: 'Unauthorized' };
    else if (body.tooLarge) reply = { kind: 'error', status: 413, type: 'BadRequestError', message: record.rejected! };
    else {
      const gated = gate(script.name, script.options, script.served++);
      if ('reply' in gated) reply = gated.reply;
      else if (validation !== null && !validation.ok) reply = { kind: 'error', status: validation.status, type: validation.type, message: validation.message };
      else if (strict && findings!.problems.length > 0) {
        reply = { kind: 'error', status: 400, type: 'BadRequestError', message: `Fake VideoSeeker endpoint (test double): protocol violation: ${findings!.problems.join(' | ')}` };
      } else {
        const d = findings!.duration;
        const facts = {
          videoPath: findings!.parsed?.videoPath ?? null,
          framePath: findings!.parsed?.framePath ?? null,
          multipleChoice: findings!.parsed?.multipleChoice ?? false,
          durationS: expectations.video.durationS ?? (d === null ? null : d.lo + 0.05),
        };
        reply = play(gated.play, view!, facts, script.options);
      }
    }
    const delayMs = script.options.chunkDelayMs ?? (script.name === 'slow' ? 1000 : script.name === 'slow-stream' ? 300 : (options.chunkDelayMs ?? 20));
    const latencyMs = (script.options.latencyS ?? options.latencyS ?? 0) * 1000;
    if (latencyMs > 0 && reply.kind !== 'hang' && !(await waitUnlessGone(res, latencyMs))) {
      record.response = { status: 0, content: null, toolCalls: [], finishReason: null, note: 'the client went away during the latency' };
      options.onRequest?.(record);
      return;
    }
    record.response = await respond(req, res, reply, view, delayMs);
    options.onRequest?.(record);
  }

  /** Chat requests the server holds now (arrived, response not ended), and the most at once since the last reset. */
  let inFlight = 0;
  let maxInFlight = 0;
  function countInFlight(res: ServerResponse): void {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      inFlight--;
    };
    res.once('finish', end);
    res.once('close', end);
  }

  function reset(): void {
    maxInFlight = inFlight;
    store.clear();
    emitted.clear();
    modelListings = 0;
    expectations = initialExpectations;
    script = { name: initialScript, options: options.scriptOptions ?? {}, served: 0 };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v1/chat/completions' && req.method === 'POST') countInFlight(res);
    const body = await readBody(req, maxBody);
    if (url.pathname.startsWith('/__fake/')) {
      if (req.method === 'OPTIONS') return void res.writeHead(204, corsHeaders(req, true)).end();
      return handleControl(req, res, url, body.text, corsHeaders(req, true), {
        store,
        state: () => ({ script: script.name, options: script.options, served: script.served, expectations, requests: store.size, modelListings, scripts: SCRIPT_NAMES }),
        setScript,
        expect: (input) => (expectations = mergeExpectations(expectations, input as ExpectationsInput)),
        reset,
      });
    }
    const headers = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      // Without CORS middleware a FastAPI server has no OPTIONS route: 405, so the preflight fails.
      if (!cors) return sendJson(res, 405, { detail: 'Method Not Allowed' });
      return void res.writeHead(200, { ...headers, 'Content-Length': 0 }).end();
    }
    if (req.method === 'GET' && url.pathname === '/health') return void res.writeHead(200, headers).end();
    if (url.pathname === '/v1/models' && req.method === 'GET') {
      modelListings++;
      if (!authorized(req)) return sendError(res, 401, 'AuthenticationError', 'Unauthorized', headers);
      const created = Math.floor(Date.now() / 1000);
      return sendJson(res, 200, { object: 'list', data: [{ id: FAKE_MODEL_ID, object: 'model', created, owned_by: 'vllm', root: FAKE_MODEL_ID, parent: null, max_model_len: 32768, permission: [] }] }, headers);
    }
    if (url.pathname === '/v1/chat/completions' && req.method === 'POST') return chat(req, res, body);
    if (url.pathname === '/v1/chat/completions' || url.pathname === '/v1/models') return sendJson(res, 405, { detail: 'Method Not Allowed' }, headers);
    sendJson(res, 404, { detail: 'Not Found' }, headers);
  }

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendError(res, 500, 'InternalServerError', `fake endpoint bug: ${e instanceof Error ? e.stack : String(e)}`);
      else res.destroy();
    });
  };
  // Node's HTTP/2 compatibility API gives the handler request and response objects of the same
  // shape (method, url, headers, writeHead, write, end, 'close'), which is all the handler uses.
  const server: Server | Http2SecureServer = options.tls
    ? createSecureServer({ key: options.tls.key, cert: options.tls.cert, allowHTTP1: true }, serve as unknown as Parameters<typeof createSecureServer>[1])
    : createServer(serve);
  // Every TLS connection (HTTP/2 or HTTP/1.1 on it), closed with the server: closeAllConnections is plain HTTP's.
  const sockets = new Set<TLSSocket>();
  if (options.tls) {
    (server as Http2SecureServer).on('secureConnection', (socket: TLSSocket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/v1`,
    port,
    setScript,
    setExpectations: (input) => {
      expectations = mergeExpectations(expectations, input);
    },
    requests: () => store.list(),
    maxChatsInFlight: () => maxInFlight,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
