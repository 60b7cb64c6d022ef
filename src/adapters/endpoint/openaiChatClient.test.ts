// @vitest-environment node
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../core/agent/messages';
import { EndpointError, type ChatCallOptions, type EndpointFailure } from '../../core/agent/ports';
import type { StreamChunk } from '../../core/agent/streamAssembler';
import { FAKE_MODEL_ID, startFakeEndpoint } from '../../../testing/fake-endpoint/server';
import { createChatClient, type ChatClientConfig } from './openaiChatClient';
import { StreamOptionsMemory } from './streamOptions';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

let server: http.Server;
let base: string;
let handler: Handler;
let seen: Seen[];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (b: Buffer) => parts.push(b));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
  handler = (_req, res) => res.writeHead(500).end();
});

const request = (stream: boolean, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'videoseeker',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is the red car doing? é 漢 😀' }] }],
  max_tokens: 8192,
  temperature: 0,
  ...(stream ? { stream: true } : {}),
  ...extra,
});

function client(config: Partial<ChatClientConfig> = {}) {
  return createChatClient({ baseUrl: base, apiKey: 'sk-test', probeReachable: () => Promise.reject(new Error('no probe expected')), ...config });
}

function options(extra: Partial<ChatCallOptions> = {}): ChatCallOptions {
  return { signal: new AbortController().signal, timeoutS: 5, ...extra };
}

async function failureOf(promise: Promise<unknown>): Promise<EndpointFailure> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointError);
    return (error as EndpointError).failure;
  }
  throw new Error('expected the call to fail');
}

const sse = (events: readonly unknown[]) => events.map((e) => `data: ${typeof e === 'string' ? e : JSON.stringify(e)}\n\n`).join('');
const chunk = (delta: object, finish: string | null = null) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] });
const eventStream = (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
const json = (res: ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}) =>
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));

const TOOL_STREAM = [
  chunk({ role: 'assistant', content: '' }),
  chunk({ reasoning_content: 'Look at ' }),
  chunk({ reasoning_content: 'the prompt.' }),
  chunk({ content: '<think>I need the frame.</think>' }),
  chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'view_visual_prompt', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"frame_path": ' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '"clip/frame_000391.jpg"}' } }] }),
  chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'crop_video', arguments: '{"video_path": "clip.mp4", ' } }] }),
  chunk({ tool_calls: [{ index: 1, function: { arguments: '"start_time": 1, "end_time": 4}' } }] }),
  chunk({}, 'tool_calls'),
  { object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 } },
  '[DONE]',
];

describe('streamed completions', () => {
  it('assembles tool-call deltas, reasoning and usage, and passes each chunk on', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse(TOOL_STREAM));
    };
    const chunks: StreamChunk[] = [];
    const message = await client().complete(request(true), options({ onChunk: (c) => chunks.push(c) }));
    expect(message).toEqual({
      content: '<think>I need the frame.</think>',
      reasoningContent: 'Look at the prompt.',
      toolCalls: [
        { id: 'call_a', name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000391.jpg"}' },
        { id: 'call_b', name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 1, "end_time": 4}' },
      ],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 1200, completion_tokens: 40, total_tokens: 1240 },
    });
    expect(chunks).toHaveLength(TOOL_STREAM.length - 1);
    const sent = JSON.parse(seen[0]!.body) as Record<string, unknown>;
    expect(seen[0]!.url).toBe('/v1/chat/completions');
    expect(sent).toEqual({ ...request(true), stream_options: { include_usage: true } });
  });

  it('accepts a stream that has a finish_reason but no [DONE], or [DONE] but no finish_reason', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse([chunk({ content: 'A' }), chunk({}, 'stop')]));
    };
    expect((await client().complete(request(true), options())).finishReason).toBe('stop');
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse([chunk({ content: 'A' }), '[DONE]']));
    };
    expect(await client().complete(request(true), options())).toMatchObject({ content: 'A', finishReason: null });
  });

  it('calls a stream that ends without finish_reason or [DONE] truncated', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse([chunk({ content: '<think>The car' }), chunk({ content: ' turns' })]));
    };
    const failure = await failureOf(client().complete(request(true), options()));
    expect(failure).toMatchObject({ kind: 'truncated', status: null });
    expect(failure.detail).toContain('2 chunks');
  });

  it('calls a stream whose connection is destroyed mid-way truncated', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.write(sse([chunk({ content: '<think>The car' })]));
      setTimeout(() => res.socket?.destroy(), 50);
    };
    const chunks: StreamChunk[] = [];
    const failure = await failureOf(client().complete(request(true), options({ onChunk: (c) => chunks.push(c) })));
    expect(failure.kind).toBe('truncated');
    expect(failure.detail).toMatch(/connection broke/);
    expect(chunks).toHaveLength(1);
  });

  it('times out when no byte arrives between chunks for timeoutS', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.write(sse([chunk({ content: 'A' })]));
      // ...and nothing more: the server hangs.
    };
    const started = Date.now();
    const failure = await failureOf(client().complete(request(true), options({ timeoutS: 0.3 })));
    expect(failure).toMatchObject({ kind: 'timeout', status: null });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('keeps going while chunks keep arriving, even past timeoutS in total', async () => {
    handler = (_req, res) => {
      eventStream(res);
      let n = 0;
      const tick = setInterval(() => {
        if (n++ < 5) res.write(sse([chunk({ content: String(n) })]));
        else {
          clearInterval(tick);
          res.end(sse([chunk({}, 'stop'), '[DONE]']));
        }
      }, 100);
    };
    expect((await client().complete(request(true), options({ timeoutS: 0.35 }))).content).toBe('12345');
  });

  it('says cancelled when the caller aborts mid-stream', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.write(sse([chunk({ content: 'A' })]));
    };
    const controller = new AbortController();
    const failure = await failureOf(client().complete(request(true), options({ signal: controller.signal, onChunk: () => controller.abort() })));
    expect(failure.kind).toBe('cancelled');
  });

  it('calls a 200 that is a web page, not an event stream, bad-response', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Jupyter Server</title></head><body></body></html>');
    const failure = await failureOf(client().complete(request(true), options()));
    expect(failure).toMatchObject({ kind: 'bad-response' });
    expect(failure.detail).toContain('text/html: Jupyter Server');
  });

  it('classifies an error event inside the stream by the status it carries', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse([{ error: { object: 'error', message: "This model's maximum context length is 32768 tokens.", type: 'BadRequestError', code: 400 } }]));
    };
    expect(await failureOf(client().complete(request(true), options()))).toMatchObject({ kind: 'too-large', status: 400 });
    handler = (_req, res) => {
      eventStream(res);
      res.end(sse([chunk({ content: 'A' }), { object: 'error', message: 'CUDA out of memory', type: 'InternalServerError', code: 500 }]));
    };
    expect(await failureOf(client().complete(request(true), options()))).toEqual({ kind: 'server', status: 500, detail: 'CUDA out of memory', retryAfterS: null });
  });

  it('calls malformed event JSON bad-response', async () => {
    handler = (_req, res) => {
      eventStream(res);
      res.end('data: {"choices": [\n\n');
    };
    expect((await failureOf(client().complete(request(true), options()))).kind).toBe('bad-response');
  });
});

describe('stream_options, which the protocol does not list', () => {
  const toDouble = (): ChatRequest => request(true, { model: FAKE_MODEL_ID });
  it('is dropped after a strict server refuses it by name, and not sent to that server again in the session', async () => {
    // The test double as a strict server: a request carrying stream_options gets a 400 naming it.
    const strict = await startFakeEndpoint({ script: 'direct', scriptOptions: { answer: 'B' }, chunkDelayMs: 0, strictProtocol: false, rejectStreamOptions: true });
    try {
      const memory = new StreamOptionsMemory();
      const strictClient = () => createChatClient({ baseUrl: strict.url, apiKey: '', streamOptions: memory, probeReachable: () => Promise.reject(new Error('no probe expected')) });
      const chunks: StreamChunk[] = [];
      const first = await strictClient().complete(toDouble(), options({ onChunk: (c) => chunks.push(c) }));
      expect(first).toMatchObject({ content: 'B', finishReason: 'stop', usage: null });
      expect(chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('')).toBe('B');
      const [refused, retried] = strict.requests();
      expect(refused!.rejected).toMatch(/stream_options/);
      expect(retried!.rejected).toBeNull();
      expect(retried!.stream).toBe(true);
      expect(strict.requests()).toHaveLength(2);

      // A later query (a new client, as each query makes one) goes straight without it.
      expect((await strictClient().complete(toDouble(), options())).content).toBe('B');
      expect(strict.requests()).toHaveLength(3);
      expect(strict.requests()[2]!.rejected).toBeNull();
    } finally {
      await strict.close();
    }
  });

  it('is kept where the server takes it, and a 400 about something else is not retried', async () => {
    const lenient = await startFakeEndpoint({ script: 'direct', chunkDelayMs: 0, strictProtocol: false });
    try {
      const memory = new StreamOptionsMemory();
      const c = createChatClient({ baseUrl: lenient.url, apiKey: '', streamOptions: memory });
      const message = await c.complete(toDouble(), options());
      expect(message.usage).not.toBeNull();
      expect(lenient.requests()).toHaveLength(1);
      expect(memory.accepts(lenient.url)).toBe(true);
    } finally {
      await lenient.close();
    }
    const memory = new StreamOptionsMemory();
    handler = (_req, res) => json(res, 400, { error: { message: 'temperature must be a number in [0, 2]' } });
    const failure = await failureOf(client({ streamOptions: memory }).complete(request(true), options()));
    expect(failure).toMatchObject({ kind: 'http', status: 400 });
    expect(seen).toHaveLength(1);
    expect(memory.accepts(base)).toBe(true);
  });
});

describe('non-streamed completions', () => {
  it('maps choices[0].message and usage, without stream_options', async () => {
    handler = (_req, res) =>
      json(res, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            finish_reason: 'tool_calls',
            message: {
              role: 'assistant',
              content: '<think>...</think>',
              reasoning: 'thinking',
              tool_calls: [{ id: 'c1', type: 'function', function: { name: 'crop_video', arguments: '{"video_path":"clip.mp4","start_time":0,"end_time":2}' } }],
            },
          },
        ],
        usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
      });
    const message = await client().complete(request(false), options());
    expect(message).toEqual({
      content: '<think>...</think>',
      reasoningContent: 'thinking',
      toolCalls: [{ id: 'c1', name: 'crop_video', arguments: '{"video_path":"clip.mp4","start_time":0,"end_time":2}' }],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    });
    expect(JSON.parse(seen[0]!.body)).toEqual(request(false));
  });

  it('sends the key as a Bearer token and none of the SDK telemetry headers', async () => {
    handler = (_req, res) => json(res, 200, { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] });
    await client().complete(request(false), options());
    expect(seen[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(Object.keys(seen[0]!.headers).filter((h) => h.startsWith('x-stainless'))).toEqual([]);
    await client({ apiKey: '' }).complete(request(false), options());
    expect(seen[1]!.headers.authorization).toBeUndefined();
  });

  it('reports the UTF-8 size of the body actually sent', async () => {
    handler = (_req, res) => json(res, 200, { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] });
    const sizes: number[] = [];
    await client().complete(request(false), options({ onSent: (bytes) => sizes.push(bytes) }));
    expect(sizes).toEqual([Buffer.byteLength(seen[0]!.body, 'utf8')]);
    expect(sizes[0]).toBeGreaterThan(seen[0]!.body.length);
  });

  it('sends a body with images byte for byte as JSON.stringify writes it, in every round, and its size', async () => {
    handler = (_req, res) => json(res, 200, { choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] });
    const frame = (n: number) => `data:image/jpeg;base64,${Buffer.alloc(3000 + n, n).toString('base64')}`;
    const messages: ChatRequest['messages'] = [
      { role: 'user', content: [{ type: 'text', text: '<0.0 seconds>' }, { type: 'image_url', image_url: { url: frame(1) } }, { type: 'image_url', image_url: { url: frame(2) } }, { type: 'text', text: 'Which "car"?\né 😀' }] },
      { role: 'assistant', content: '', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'crop_video', arguments: '{"start_time": 0}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: [{ type: 'image_url', image_url: { url: frame(1) } }, { type: 'text', text: 'Tool execution succeeded.' }] },
    ];
    const sizes: number[] = [];
    for (const stream of [false, false]) await client().complete(request(stream, { messages }), options({ onSent: (bytes) => sizes.push(bytes) }));
    for (const k of [0, 1]) expect(seen[k]!.body).toBe(JSON.stringify(request(false, { messages })));
    expect(sizes).toEqual([0, 1].map((k) => Buffer.byteLength(seen[k]!.body, 'utf8')));
  });

  it('calls a 200 web page bad-response, and a JSON that is no completion too', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><body><h1>Welcome to nginx!</h1></body></html>');
    const page = await failureOf(client().complete(request(false), options()));
    expect(page).toMatchObject({ kind: 'bad-response', status: null });
    expect(page.detail).toContain('Welcome to nginx!');
    handler = (_req, res) => json(res, 200, { hello: 'world' });
    expect((await failureOf(client().complete(request(false), options()))).kind).toBe('bad-response');
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
    expect((await failureOf(client().complete(request(false), options()))).kind).toBe('bad-response');
  });

  it('calls a body cut off by the connection truncated', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
      res.write('{"choices": [{"message": {"content": "abc');
      setTimeout(() => res.socket?.destroy(), 50);
    };
    expect((await failureOf(client().complete(request(false), options()))).kind).toBe('truncated');
  });

  it('times out before the headers', async () => {
    handler = () => undefined;
    expect(await failureOf(client().complete(request(false), options({ timeoutS: 0.3 })))).toMatchObject({ kind: 'timeout', detail: 'no response for 0.3 s' });
  });

  it('says cancelled when aborted before the headers or before the start', async () => {
    handler = () => undefined;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    expect((await failureOf(client().complete(request(false), options({ signal: controller.signal })))).kind).toBe('cancelled');
    const before = seen.length;
    expect((await failureOf(client().complete(request(false), options({ signal: controller.signal })))).kind).toBe('cancelled');
    expect(seen.length).toBe(before);
  });
});

describe('HTTP errors', () => {
  const cases: [string, number, unknown, http.OutgoingHttpHeaders, Partial<EndpointFailure>][] = [
    ['401', 401, { error: { message: 'Invalid API key', type: 'invalid_request_error' } }, {}, { kind: 'unauthorized', detail: 'Invalid API key' }],
    ['403', 403, { error: { message: 'Project does not have access' } }, {}, { kind: 'forbidden', detail: 'Project does not have access' }],
    [
      '404 (vLLM, top-level error)',
      404,
      { object: 'error', message: 'The model `foo` does not exist.', type: 'NotFoundError', param: null, code: 404 },
      {},
      { kind: 'unknown-model', detail: 'The model `foo` does not exist.' },
    ],
    ['400 naming a missing model', 400, { error: { message: 'The model `foo` does not exist.', code: 400 } }, {}, { kind: 'unknown-model', status: 400 }],
    ['413', 413, 'Request Entity Too Large', { 'content-type': 'text/plain' }, { kind: 'too-large', detail: 'Request Entity Too Large' }],
    [
      '400 over the context length',
      400,
      { error: { message: "This model's maximum context length is 32768 tokens. However, you requested 40000 tokens." } },
      {},
      { kind: 'too-large', status: 400 },
    ],
    ['429 with Retry-After seconds', 429, { error: { message: 'Slow down' } }, { 'retry-after': '7' }, { kind: 'rate-limited', retryAfterS: 7 }],
    ['500', 500, { detail: 'Engine crashed' }, {}, { kind: 'server', detail: 'Engine crashed' }],
    ['502 HTML page from a proxy', 502, '<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>', { 'content-type': 'text/html' }, { kind: 'server', detail: '502 Bad Gateway' }],
    ['422', 422, { detail: [{ loc: ['body', 'messages'], msg: 'field required' }] }, {}, { kind: 'http', status: 422 }],
  ];
  it.each(cases)('%s', async (_name, status, body, headers, expected) => {
    handler = (_req, res) => {
      if (typeof body === 'string') res.writeHead(status, headers).end(body);
      else json(res, status, body, headers);
    };
    const failure = await failureOf(client().complete(request(true), options()));
    expect(failure).toMatchObject({ status, retryAfterS: null, ...expected });
  });

  it('reads Retry-After as an HTTP-date too', async () => {
    handler = (_req, res) => json(res, 429, { error: { message: 'busy' } }, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() });
    const failure = await failureOf(client().complete(request(false), options()));
    expect(failure.retryAfterS).toBeGreaterThanOrEqual(28);
    expect(failure.retryAfterS).toBeLessThanOrEqual(31);
  });

  it('shortens a long server message', async () => {
    handler = (_req, res) => json(res, 500, { error: { message: 'x'.repeat(5000) } });
    expect((await failureOf(client().complete(request(false), options()))).detail.length).toBeLessThanOrEqual(300);
  });
});

describe('network failures', () => {
  async function closedPort(): Promise<number> {
    const s = http.createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    const { port } = s.address() as AddressInfo;
    await new Promise((resolve) => s.close(resolve));
    return port;
  }

  it('asks the probe: nothing there is unreachable, a server hiding its answers is cors', async () => {
    const port = await closedPort();
    const probed: string[] = [];
    const nobody = await failureOf(
      client({ baseUrl: `http://127.0.0.1:${port}/v1`, probeReachable: (url) => (probed.push(url), Promise.resolve('nothing')) }).complete(request(true), options()),
    );
    expect(nobody).toMatchObject({ kind: 'unreachable', status: null });
    expect(nobody.detail).toMatch(/ECONNREFUSED|fetch failed/);
    expect(probed).toEqual([`http://127.0.0.1:${port}/v1/chat/completions`]);
    const refused = await failureOf(client({ baseUrl: `http://127.0.0.1:${port}/v1`, probeReachable: () => Promise.resolve('no-cors') }).complete(request(false), options()));
    expect(refused.kind).toBe('cors');
  });

  it('calls a connection dropped by a server that is there and readable a server failure', async () => {
    const port = await closedPort();
    const failure = await failureOf(client({ baseUrl: `http://127.0.0.1:${port}/v1`, probeReachable: () => Promise.resolve('open') }).complete(request(false), options()));
    expect(failure).toMatchObject({ kind: 'server', status: null });
    expect(failure.detail).toMatch(/closed the connection without answering/);
  });

  it('calls a probe that throws unreachable', async () => {
    const port = await closedPort();
    const failure = await failureOf(client({ baseUrl: `http://127.0.0.1:${port}/v1`, probeReachable: () => Promise.reject(new TypeError('Failed to fetch')) }).listModels(new AbortController().signal, 5));
    expect(failure.kind).toBe('unreachable');
  });

  it('calls a base URL that is no URL unreachable, without a request', async () => {
    const failure = await failureOf(client({ baseUrl: 'localhost:8000 /v1 x' }).complete(request(false), options()));
    expect(failure.kind).toBe('unreachable');
  });
});

describe('listModels', () => {
  it('lists the ids in the server order', async () => {
    handler = (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'VideoSeeker-8B', object: 'model' }, { id: 'qwen3-vl', object: 'model' }] });
    expect(await client().listModels(new AbortController().signal, 5)).toEqual(['VideoSeeker-8B', 'qwen3-vl']);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v1/models' });
    expect(seen[0]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('classifies failures like complete', async () => {
    handler = (_req, res) => json(res, 401, { error: { message: 'bad key' } });
    expect(await failureOf(client().listModels(new AbortController().signal, 5))).toMatchObject({ kind: 'unauthorized', detail: 'bad key' });
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><title>Grafana</title></html>');
    expect((await failureOf(client().listModels(new AbortController().signal, 5))).kind).toBe('bad-response');
    handler = () => undefined;
    expect((await failureOf(client().listModels(new AbortController().signal, 0.2))).kind).toBe('timeout');
  });
});
