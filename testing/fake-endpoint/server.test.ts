import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jpegDataUrl } from './images';
import { protocolTools } from './protocolText';
import type { ScriptName } from './scripts';
import { connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { fakeTls, startFakeEndpoint, type FakeEndpoint, type RequestRecord } from './server';
import { roundHalfEven, smartResize } from './smartResize';
import { DEFAULT_FIXTURE, firstMessage, image, images, postChat, requestBody, runQuery, runTool, text, type Assembled, type QueryFixture } from './testClient';

let fake: FakeEndpoint;
const base = (): string => fake.url.replace(/\/v1$/, '');
const fx = (over: Partial<QueryFixture> = {}): QueryFixture => ({ ...DEFAULT_FIXTURE, ...over });

beforeAll(async () => {
  fake = await startFakeEndpoint({ port: 0, chunkDelayMs: 0, expectations: { video: { width: 1280, height: 720, durationS: 10 } } });
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

const last = (): RequestRecord => fake.requests().at(-1)!;
const args = (a: Assembled, i = 0): Record<string, unknown> => JSON.parse(a.toolCalls[i]!.function.arguments) as Record<string, unknown>;

describe('smart_resize (written from the protocol document)', () => {
  it('matches the examples of §2.1', () => {
    expect(smartResize(720, 1280, { factor: 28, minPixels: 784, maxPixels: 200704 })).toEqual({ width: 588, height: 336 });
    expect(smartResize(720, 1280, { factor: 28, minPixels: 784, maxPixels: 112896 })).toEqual({ width: 448, height: 252 });
  });
  it('rounds halves to even like Python', () => {
    expect([0.5, 1.5, 2.5, -1.5, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, -2, 2, 3]);
    // 42 / 28 = 1.5 -> 2 (56); 70 / 28 = 2.5 -> 2 (56)
    expect(smartResize(42, 70, { factor: 28, minPixels: 784, maxPixels: 1e9 })).toEqual({ width: 56, height: 56 });
  });
});

describe('models and HTTP basics', () => {
  it('lists the fake model with CORS headers', async () => {
    const res = await fetch(`${fake.url}/models`);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { object: string; data: { id: string; object: string }[] };
    expect(body.object).toBe('list');
    expect(body.data[0]).toMatchObject({ id: 'videoseeker-fake', object: 'model' });
  });
  it('answers a CORS preflight', async () => {
    const res = await fetch(`${fake.url}/chat/completions`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
  });
  it('can run without CORS and with an API key', async () => {
    const strict = await startFakeEndpoint({ cors: false, apiKey: 'sekret', chunkDelayMs: 0 });
    try {
      const pre = await fetch(`${strict.url}/chat/completions`, { method: 'OPTIONS', headers: { 'Access-Control-Request-Method': 'POST' } });
      expect(pre.status).toBe(405);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      const denied = await fetch(`${strict.url}/models`);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ error: { message: 'Unauthorized', code: 401 } });
      const bad = await postChat(strict.url, requestBody([firstMessage()]), { Authorization: 'Bearer wrong' });
      expect(bad.status).toBe(401);
      const ok = await postChat(strict.url, requestBody([firstMessage()]), { Authorization: 'Bearer sekret' });
      expect(ok.status).toBe(200);
      expect(strict.requests().map((r) => r.authorization)).toEqual(['Bearer wrong', 'Bearer sekret']);
    } finally {
      await strict.close();
    }
  });
  it('over TLS speaks HTTP/2, many requests in flight on one connection, and HTTP/1.1 to a client without h2', async () => {
    const tls = fakeTls();
    const secure = await startFakeEndpoint({ tls, chunkDelayMs: 0, latencyS: 1 });
    const origin = secure.url.replace(/\/v1$/, '');
    expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const session = connect(origin, { ca: tls.cert });
    try {
      // Ten chat rounds at once on one HTTP/2 connection (a browser would hold back all but 6 on HTTP/1.1).
      const body = JSON.stringify(requestBody([firstMessage()]));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          new Promise<{ status: number; text: string }>((resolve, reject) => {
            const stream = session.request({ ':method': 'POST', ':path': '/v1/chat/completions', 'content-type': 'application/json' });
            let status = 0;
            let text = '';
            stream.on('response', (h) => (status = Number(h[':status'])));
            stream.setEncoding('utf8');
            stream.on('data', (d: string) => (text += d));
            stream.on('end', () => resolve({ status, text }));
            stream.on('error', reject);
            stream.end(body);
          }),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(answers.every((a) => a.text.includes('[DONE]') || a.text.includes('"choices"'))).toBe(true);
      expect(secure.requests()).toHaveLength(10);
      // Each round is held 1 s: all ten were at the server together.
      expect(secure.maxChatsInFlight()).toBe(10);
      expect(session.alpnProtocol).toBe('h2');
      // Node's https client offers no ALPN: the server falls back to HTTP/1.1.
      const viaHttp1 = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpsRequest(`${origin}/v1/models`, { ca: tls.cert }, (res) => {
          let b = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (b += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        });
        req.on('error', reject);
        req.end();
      });
      expect(viaHttp1.status).toBe(200);
      expect(JSON.parse(viaHttp1.body)).toMatchObject({ object: 'list' });
    } finally {
      session.close();
      await secure.close();
    }
  });
  it('speaks the older vLLM error style on request', async () => {
    const old = await startFakeEndpoint({ errorStyle: 'vllm', apiKey: 'k' });
    try {
      expect(await (await fetch(`${old.url}/models`)).json()).toEqual({ error: 'Unauthorized' });
      const res = await fetch(`${old.url}/chat/completions`, { method: 'POST', headers: { Authorization: 'Bearer k' }, body: JSON.stringify({ model: 'gpt-4', messages: [] }) });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ object: 'error', message: 'The model `gpt-4` does not exist.', type: 'NotFoundError', param: null, code: 404 });
    } finally {
      await old.close();
    }
  });
});

describe('a correct client gets a VideoSeeker trajectory', () => {
  for (const stream of [true, false]) {
    it(`plays view_visual_prompt, crop_video, answer (${stream ? 'streamed' : 'whole'})`, async () => {
      const answers = await runQuery(fake.url, fx({ stream }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      const [vp, crop, final] = answers as [Assembled, Assembled, Assembled];
      expect(vp.content).toMatch(/^<think>.*<\/think>\n$/s);
      expect(vp.toolCalls[0]).toMatchObject({ type: 'function', function: { name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000100.jpg"}' } });
      expect(vp.toolCalls[0]!.id).toMatch(/^chatcmpl-tool-/);
      expect(vp.finishReason).toBe('tool_calls');
      expect(crop.toolCalls[0]!.function).toEqual({ name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 0.0, "end_time": 3.0}' });
      expect(final.content).toMatch(/^<think>.*<\/think>\n<answer>B<\/answer>$/s);
      expect(final.finishReason).toBe('stop');
      expect(final.usage).toMatchObject({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) });
      if (stream) expect(answers.every((a) => a.done)).toBe(true);

      const records = fake.requests();
      expect(records.map((r) => r.problems)).toEqual([[], [], []]);
      expect(records.map((r) => r.rejected)).toEqual([null, null, null]);
      expect(records[0]!.frames).toMatchObject({ count: 10, sizes: Array(10).fill({ width: 588, height: 336 }) });
      expect(records[0]).toMatchObject({ videoPath: 'clip.mp4', framePath: 'clip/frame_000100.jpg', roles: ['user'], stream });
      expect(records[2]!.roles).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool']);
      expect(records[2]!.toolResults.map((t) => [t.name, t.outcome, t.expected])).toEqual([
        ['view_visual_prompt', 'success', 'success'],
        ['crop_video', 'success', 'success'],
      ]);
      expect(records[2]!.toolResults[1]!.labels).toEqual([0, 1, 2, 3]);
    });
  }

  it('streams tool calls like the hermes parser: id and name first, then argument fragments', async () => {
    const a = await postChat(fake.url, requestBody([firstMessage()]));
    const deltas = a.chunks.map((c) => (c.choices as { delta: { tool_calls?: { id?: string; function: { name?: string; arguments?: string } }[] } }[])[0]?.delta.tool_calls?.[0]).filter((d) => d !== undefined);
    expect(deltas[0]).toMatchObject({ id: expect.stringMatching(/^chatcmpl-tool-/), function: { name: 'view_visual_prompt' } });
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.slice(1).every((d) => d.id === undefined && d.function.name === undefined)).toBe(true);
    expect(a.content).not.toContain('<tool_call>');
    // The usage chunk comes last, with no choices.
    expect(a.chunks.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: expect.any(Number) } });
  });

  it('serves the pixels of the visual prompt image the client returned', async () => {
    await runQuery(fake.url, fx());
    const res = await fetch(`${base()}/__fake/pixel?request=1&visualPrompt=1&x=640&y=360`);
    const px = (await res.json()) as { r: number; g: number; b: number; width: number; height: number; message: number };
    expect(px).toMatchObject({ width: 1280, height: 720, message: 2 });
    expect(px.r).toBeGreaterThan(200);
    expect(px.g).toBeLessThan(50);
    const img = await fetch(`${base()}/__fake/image?request=0&message=0&part=1`);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
  });
});

describe('latency (seconds per round, for benchmarks)', () => {
  it('holds every round of a 3-round trajectory that long; concurrent queries wait side by side', async () => {
    const slow = await startFakeEndpoint({ chunkDelayMs: 0, latencyS: 0.25 });
    try {
      const t0 = performance.now();
      const answers = await runQuery(slow.url, fx());
      const one = performance.now() - t0;
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(one).toBeGreaterThanOrEqual(750);
      const t1 = performance.now();
      const both = await Promise.all([runQuery(slow.url, fx()), runQuery(slow.url, fx())]);
      expect(both.flat().map((a) => a.status)).toEqual(Array(6).fill(200));
      // Two at once take about as long as one, not twice as long.
      expect(performance.now() - t1).toBeLessThan(1.6 * one);
    } finally {
      await slow.close();
    }
  });

  it('is set per script through POST /__fake/script, and a client that leaves during it is let go', async () => {
    const res = await fetch(`${base()}/__fake/script`, { method: 'POST', body: JSON.stringify({ name: 'videoseeker', options: { latencyS: 0.3 } }) });
    expect(res.status).toBe(200);
    const t0 = performance.now();
    expect((await postChat(fake.url, requestBody([firstMessage()]))).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    const gone = new AbortController();
    const leaving = fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(requestBody([firstMessage()])), headers: { 'Content-Type': 'application/json' }, signal: gone.signal }).catch(() => 'aborted');
    setTimeout(() => gone.abort(), 50);
    expect(await leaving).toBe('aborted');
    await new Promise((r) => setTimeout(r, 100));
    expect(last().response?.note).toBe('the client went away during the latency');
  });
});

describe('vLLM-level validation (400 with a clear message)', () => {
  const reject = async (body: unknown, status: number, message: RegExp): Promise<void> => {
    const res = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
    const json = (await res.json()) as { error: { message: string; code: number } };
    expect(res.status).toBe(status);
    expect(json.error.message).toMatch(message);
    expect(last().rejected).toMatch(message);
  };
  const first = firstMessage();
  const call = { id: 'call-1', type: 'function', function: { name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000100.jpg"}' } };

  it('rejects a body that is not JSON', () => reject('{"model":', 400, /JSON decode error/));
  it('rejects an unknown model with 404', () => reject({ ...requestBody([first]), model: 'gpt-4o' }, 404, /^The model `gpt-4o` does not exist\.$/));
  it('rejects a conversation not starting with the user', () => reject(requestBody([{ role: 'assistant', content: 'hi' }, first]), 400, /messages\[0\]\.role must be "user"/));
  it('rejects two user messages in a row', () => reject(requestBody([first, { role: 'user', content: 'again' }]), 400, /two "user" messages in a row/));
  it('rejects a system message', () => reject(requestBody([{ role: 'system', content: 'x' }, first]), 400, /no system message/));
  it('rejects a tool result with a mismatched tool_call_id', () =>
    reject(requestBody([first, { role: 'assistant', content: '', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call-2', content: [text('x')] }]), 400, /tool_call_id "call-2" does not match .*"call-1"/));
  it('rejects a missing tool result', () => reject(requestBody([first, { role: 'assistant', content: '', tool_calls: [call] }]), 400, /missing "tool" message/));
  it('rejects tool schemas that differ from §2.3', () => {
    const tools = protocolTools() as { function: { description: string } }[];
    tools[1]!.function.description = 'Crop a video.';
    return reject({ ...requestBody([first]), tools }, 400, /tools\[1\] \(name "crop_video"\) is not exactly/);
  });
  it('rejects tools without tool_choice "auto"', () => reject({ ...requestBody([first]), tool_choice: 'required' }, 400, /tool_choice must be "auto"/));
  it('rejects an undecodable image', () => reject(requestBody([{ role: 'user', content: [text('<0.0 seconds>'), image('data:image/jpeg;base64,AAAAAAAA'), text('q')] }]), 400, /content\[1\]: cannot identify image file/));
  it('rejects an image that is not a data URL', () => reject(requestBody([{ role: 'user', content: [text('<0.0 seconds>'), image('https://example.com/a.jpg'), text('q')] }]), 400, /must be a data URL/));
  it('rejects bad numbers', () => reject({ ...requestBody([first]), max_tokens: 'lots' }, 400, /max_tokens must be a positive integer/));
});

describe('protocol checks (strict: 400; lenient: recorded)', () => {
  it('rejects frames of the wrong size', async () => {
    const wrong = jpegDataUrl(640, 360);
    const a = await postChat(fake.url, requestBody([firstMessage(DEFAULT_FIXTURE, wrong)]));
    expect(a.status).toBe(400);
    expect(last().problems.join('\n')).toMatch(/frame size 640x360; expected smart_resize\(720, 1280\) = 588x336/);
  });
  it('checks frame sizes against the visual prompt image when the video size is not configured', async () => {
    const lenient = await startFakeEndpoint({ strictProtocol: false, chunkDelayMs: 0 });
    try {
      const wrong = jpegDataUrl(560, 336); // multiples of 28, within max_pixels, but not 1280x720's size
      const messages: unknown[] = [firstMessage(DEFAULT_FIXTURE, wrong)];
      const r0 = await postChat(lenient.url, requestBody(messages));
      expect(r0.status).toBe(200);
      messages.push({ role: 'assistant', content: r0.content, tool_calls: r0.toolCalls }, { role: 'tool', tool_call_id: r0.toolCalls[0]!.id, content: runTool(r0.toolCalls[0]!) });
      const r1 = await postChat(lenient.url, requestBody(messages));
      expect(r1.status).toBe(200);
      const [before, after] = lenient.requests();
      expect(before!.problems).toEqual([]);
      expect(before!.notes.join()).toMatch(/video size unknown/);
      expect(after!.problems.join()).toMatch(/frame size 560x336; expected smart_resize\(720, 1280\) = 588x336/);
    } finally {
      await lenient.close();
    }
  });
  it('rejects an odd frame count and a wrong USER_TEXT', async () => {
    const content = firstMessage().content.slice(2);
    content[content.length - 1] = text('What is it?');
    expect((await postChat(fake.url, requestBody([{ role: 'user', content }]))).status).toBe(400);
    const problems = last().problems.join('\n');
    expect(problems).toMatch(/9 frames; the count must be even/);
    expect(problems).toMatch(/USER_TEXT is not SYSTEM_PROMPT/);
  });
  it('rejects a crop_video result with the wrong frame count', async () => {
    const messages: unknown[] = [firstMessage()];
    const call = { id: 'call-9', type: 'function', function: { name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 0.0, "end_time": 3.0}' } };
    const six = Array.from({ length: 6 }, (_, i) => [text(`<${(i * 0.6).toFixed(1)} seconds>`), image(images().crop)]).flat();
    messages.push({ role: 'assistant', content: '', tool_calls: [call] }, { role: 'tool', tool_call_id: 'call-9', content: [...six, text('The tool executed successfully. Here are the processed result: ')] });
    expect((await postChat(fake.url, requestBody(messages))).status).toBe(400);
    expect(last().problems.join()).toMatch(/6 frames for \[0, 3\] s; expected 4/);
  });
  it('rejects a client that runs an invalid call, and accepts one that reports the failure', async () => {
    fake.setScript('past-end');
    const messages: unknown[] = [firstMessage()];
    const r0 = await postChat(fake.url, requestBody(messages));
    expect(args(r0)).toMatchObject({ end_time: 20 });
    const assistant = { role: 'assistant', content: r0.content, tool_calls: r0.toolCalls };
    const frames = runTool({ ...r0.toolCalls[0]!, function: { name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 0.0, "end_time": 3.0}' } });
    const ran = [...messages, assistant, { role: 'tool', tool_call_id: r0.toolCalls[0]!.id, content: frames }];
    expect((await postChat(fake.url, requestBody(ran))).status).toBe(400);
    expect(last().problems.join()).toMatch(/the client ran an invalid call/);
    const edited = [...messages, { ...assistant, tool_calls: [{ ...r0.toolCalls[0]!, function: { name: 'crop_video', arguments: '{}' } }] }, { role: 'tool', tool_call_id: r0.toolCalls[0]!.id, content: [text('Tool execution failed: bad')] }];
    expect((await postChat(fake.url, requestBody(edited))).status).toBe(400);
    expect(last().problems.join()).toMatch(/echoed as crop_video\(\{\}\); the model sent/);
    const good = [...messages, assistant, { role: 'tool', tool_call_id: r0.toolCalls[0]!.id, content: runTool(r0.toolCalls[0]!) }];
    const r1 = await postChat(fake.url, requestBody(good));
    expect(r1.status).toBe(200);
    expect(last().toolResults[0]).toMatchObject({ outcome: 'failure', expected: 'failure ("exceeds video duration")', failureMessage: 'end_time (20s) exceeds video duration (10s)' });
  });
});

describe('scripts', () => {
  const round0 = async (name: ScriptName, over: Partial<QueryFixture> = {}): Promise<Assembled> => {
    fake.setScript(name);
    return postChat(fake.url, requestBody([firstMessage(fx(over))], fx(over)));
  };

  it('videoseeker-text writes the call inside the content', async () => {
    const a = await round0('videoseeker-text');
    expect(a.toolCalls).toEqual([]);
    expect(a.finishReason).toBe('stop');
    expect(a.content).toContain('<tool_call>\n{"name": "view_visual_prompt", "arguments": {"frame_path": "clip/frame_000100.jpg"}}\n</tool_call>');
  });
  it('direct answers with the bare letter, or a sentence when open-ended', async () => {
    expect((await round0('direct')).content).toBe('B');
    expect((await round0('direct', { question: 'What is it?' })).content).toMatch(/^The marked object/);
  });
  it('without view_visual_prompt, videoseeker starts with crop_video', async () => {
    const a = await round0('videoseeker', { tools: ['crop_video'] });
    expect(a.toolCalls[0]!.function.name).toBe('crop_video');
    expect(last().problems).toEqual([]);
  });
  it('parallel-tools calls both tools in one answer', async () => {
    const a = await round0('parallel-tools');
    expect(a.toolCalls.map((c) => c.function.name)).toEqual(['view_visual_prompt', 'crop_video']);
  });
  it('misbehaving calls', async () => {
    expect((await round0('unknown-tool')).toolCalls[0]!.function.name).toBe('zoom_in');
    const broken = (await round0('bad-arguments')).toolCalls[0]!.function.arguments;
    expect(() => JSON.parse(broken) as unknown).toThrow();
    expect(args(await round0('wrong-types'))).toMatchObject({ start_time: '0.0' });
    expect(args(await round0('start-after-end'))).toMatchObject({ start_time: 3, end_time: 1 });
  });
  for (const name of ['unknown-tool', 'bad-arguments', 'wrong-types', 'start-after-end', 'past-end'] as const) {
    it(`${name}: a correct client reports the failure and gets an answer`, async () => {
      fake.setScript(name);
      const answers = await runQuery(fake.url, fx());
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[1]!.content).toContain('<answer>B</answer>');
      expect(fake.requests()[1]!.toolResults[0]).toMatchObject({ outcome: 'failure' });
      expect(fake.requests().flatMap((r) => r.problems)).toEqual([]);
    });
  }
  it('endless-tools never stops calling; a sixth round is flagged', async () => {
    fake.setScript('endless-tools');
    const answers = await runQuery(fake.url, fx(), 7);
    expect(answers.slice(0, 6).every((a) => a.toolCalls[0]?.function.name === 'crop_video')).toBe(true);
    expect(answers[6]!.status).toBe(400);
    expect(last().problems.join()).toMatch(/6 tool rounds in one query; at most 5/);
  });
  it('no-answer ends with a think and no answer', async () => {
    fake.setScript('no-answer');
    const answers = await runQuery(fake.url, fx());
    expect(answers.at(-1)!.content).toMatch(/^<think>.*<\/think>$/s);
    expect(answers.at(-1)!.finishReason).toBe('stop');
  });
  it('truncated-stream dies without finish_reason or [DONE]', async () => {
    fake.setScript('truncated-stream');
    const res = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(requestBody([firstMessage()])) });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    fake.setScript('truncated-stream', { truncateMode: 'end' });
    const a = await postChat(fake.url, requestBody([firstMessage()]));
    expect(a.chunks.length).toBe(3);
    expect(a.done).toBe(false);
    expect(a.finishReason).toBeNull();
  });
  it('slow streams one chunk a second and notices a cancel', async () => {
    fake.setScript('slow');
    const abort = new AbortController();
    const res = await fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(requestBody([firstMessage()])), signal: abort.signal });
    const reader = res.body!.getReader();
    const t0 = Date.now();
    await reader.read();
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect(Date.now() - t0).toBeGreaterThan(1000);
    expect(last().response).toMatchObject({ note: 'client-gone' });
  });
});

describe('failure scripts', () => {
  const status = async (): Promise<Response> => fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(requestBody([firstMessage()], fx({ stream: false }))) });

  it('answer with their status', async () => {
    for (const [name, code] of [['http-401', 401], ['http-403', 403], ['http-413', 413], ['context-overflow', 400], ['http-500-always', 500]] as const) {
      fake.setScript(name);
      const res = await status();
      expect(res.status, name).toBe(code);
      if (name === 'http-413') expect(res.headers.get('content-type')).toBe('text/html');
      else expect(((await res.json()) as { error: { message: string } }).error.message).toBeTruthy();
    }
  });
  it('*-then-ok fail twice with Retry-After, then play the trajectory', async () => {
    for (const name of ['http-429-then-ok', 'http-503-then-ok'] as const) {
      fake.setScript(name);
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await status();
        codes.push(res.status);
        if (i === 0) expect(res.headers.get('retry-after')).toBe('1');
      }
      expect(codes, name).toEqual([name === 'http-429-then-ok' ? 429 : 503, name === 'http-429-then-ok' ? 429 : 503, 200]);
    }
  });
  it('non-json answers 200 with an HTML page', async () => {
    fake.setScript('non-json');
    const res = await status();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
  it('hang never answers', async () => {
    fake.setScript('hang');
    const res = fetch(`${fake.url}/chat/completions`, { method: 'POST', body: JSON.stringify(requestBody([firstMessage()])), signal: AbortSignal.timeout(300) });
    await expect(res).rejects.toThrow(/timeout|aborted/i);
  });
});

describe('control routes', () => {
  it('select a script, list requests and reset over HTTP', async () => {
    const set = await fetch(`${base()}/__fake/script`, { method: 'POST', body: JSON.stringify({ name: 'direct', options: { answer: 'C' } }) });
    expect(set.status).toBe(200);
    expect((await postChat(fake.url, requestBody([firstMessage()]))).content).toBe('C');
    expect((await fetch(`${base()}/__fake/script`, { method: 'POST', body: JSON.stringify({ name: 'nope' }) })).status).toBe(400);
    const records = (await (await fetch(`${base()}/__fake/requests`)).json()) as RequestRecord[];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ script: 'direct', roles: ['user'], frames: { count: 10 } });
    await fetch(`${base()}/__fake/reset`, { method: 'POST' });
    expect(fake.requests()).toEqual([]);
    expect(((await (await fetch(`${base()}/__fake/state`)).json()) as { script: string }).script).toBe('videoseeker');
  });
  it('sets expectations over HTTP', async () => {
    await fetch(`${base()}/__fake/expect`, { method: 'POST', body: JSON.stringify({ video: { width: 1024, height: 768 } }) });
    expect((await postChat(fake.url, requestBody([firstMessage()]))).status).toBe(400);
    expect(last().problems.join()).toMatch(/expected smart_resize\(768, 1024\) = 504x364/);
  });
});
