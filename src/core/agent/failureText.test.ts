import { describe, expect, it } from 'vitest';
import { explainFailure, type FailureContext } from './failureText';
import type { EndpointErrorKind, EndpointFailure } from './ports';

const context: FailureContext = { baseUrl: 'http://localhost:8000/v1', model: 'VideoSeeker-8B', frames: 64, maxPixels: 200704, timeoutS: 120 };

function failure(kind: EndpointErrorKind, extra: Partial<EndpointFailure> = {}): EndpointFailure {
  return { kind, status: null, detail: '', retryAfterS: null, ...extra };
}

const all = (e: { title: string; message: string; hints: string[] }) => [e.title, e.message, ...e.hints].join('\n');

describe('explainFailure', () => {
  it('unreachable: names the URL, says how to start vLLM, and mentions CORS as the other cause', () => {
    const e = explainFailure(failure('unreachable', { detail: 'Failed to fetch' }), context);
    expect(e.title).toBe('Cannot reach http://localhost:8000/v1');
    expect(e.message).toContain('Failed to fetch');
    expect(e.hints[0]).toContain('vllm serve <checkpoint> --tool-call-parser hermes --enable-auto-tool-choice');
    expect(all(e)).toContain(`--allowed-origins '["*"]'`);
  });

  it('cors: explains the missing header and offers --allowed-origins and the proxy for this server', () => {
    const e = explainFailure(failure('cors'), { ...context, baseUrl: 'http://gpu-box:8000/v1' });
    expect(e.title).toContain('blocked');
    expect(e.message).toContain('Access-Control-Allow-Origin');
    expect(all(e)).toContain(`--allowed-origins '["*"]'`);
    expect(all(e)).toContain('VIDEOSEEKER_PROXY_TARGET=http://gpu-box:8000 npm start');
    expect(all(e)).toContain('/proxy/v1');
  });

  it('cors: keeps the path of an unusual base URL behind /proxy', () => {
    const e = explainFailure(failure('cors'), { ...context, baseUrl: 'https://llm.example.org/openai/v1/' });
    expect(all(e)).toContain('VIDEOSEEKER_PROXY_TARGET=https://llm.example.org npm start');
    expect(all(e)).toContain('/proxy/openai/v1');
  });

  it('401 and 403 point at the API key and quote the server', () => {
    const u = explainFailure(failure('unauthorized', { status: 401, detail: 'Invalid API key' }), context);
    expect(u.message).toContain('"Invalid API key"');
    expect(all(u)).toMatch(/API key/);
    const f = explainFailure(failure('forbidden', { status: 403 }), context);
    expect(f.message).toContain('403');
    expect(all(f)).toMatch(/API key/);
  });

  it('unknown-model names the model and suggests Refresh models', () => {
    const e = explainFailure(failure('unknown-model', { status: 404, detail: 'The model `VideoSeeker-8B` does not exist.' }), context);
    expect(e.title).toBe('The server has no model "VideoSeeker-8B"');
    expect(all(e)).toContain('Refresh models');
  });

  it('a bare 404 is a wrong path, not a wrong model', () => {
    const e = explainFailure(failure('unknown-model', { status: 404, detail: 'Not Found' }), context);
    expect(e.title).toContain('Not found');
    expect(e.hints[0]).toContain('/v1');
  });

  it('too-large suggests fewer frames and pixels with the current numbers', () => {
    const e = explainFailure(failure('too-large', { status: 400, detail: "This model's maximum context length is 32768 tokens." }), context);
    expect(e.message).toContain('maximum context length');
    expect(e.hints[0]).toBe('Use fewer frames (now 64; try 32).');
    expect(e.hints[1]).toContain('now 200704, about 448×448; try 100352');
    const bare = explainFailure(failure('too-large', { status: 413 }), { baseUrl: context.baseUrl, model: '' });
    expect(bare.hints).toContain('Use fewer frames.');
    expect(all(bare)).toContain('413');
  });

  it('rate-limited and server say the retries are used up', () => {
    const r = explainFailure(failure('rate-limited', { status: 429, retryAfterS: 30 }), context);
    expect(r.message).toMatch(/retries are used up/);
    expect(all(r)).toContain('30 s');
    const s = explainFailure(failure('server', { status: 500, detail: 'CUDA out of memory' }), context);
    expect(s.title).toBe('The server failed (HTTP 500)');
    expect(s.message).toMatch(/after the retries/);
    expect(s.message).toContain('CUDA out of memory');
  });

  it('a 502 through the app proxy points at the proxy target', () => {
    const e = explainFailure(failure('server', { status: 502 }), { ...context, baseUrl: '/proxy/v1' });
    expect(e.hints[0]).toContain('VIDEOSEEKER_PROXY_TARGET');
  });

  it('timeout names the timeout', () => {
    const e = explainFailure(failure('timeout', { detail: 'no response for 120 s' }), context);
    expect(e.title).toBe('No answer for 120 s');
    expect(all(e)).toMatch(/timeout/);
  });

  it('bad-response and truncated say what was received', () => {
    const b = explainFailure(failure('bad-response', { detail: 'expected an event stream, got text/html: Jupyter Server' }), context);
    expect(b.message).toContain('text/html: Jupyter Server');
    const t = explainFailure(failure('truncated', { detail: 'the stream ended after 12 chunks without a finish_reason or [DONE]' }), context);
    expect(t.message).toContain('12 chunks');
  });

  it('http: a server without a tool parser gets the vllm command', () => {
    const e = explainFailure(failure('http', { status: 400, detail: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set' }), context);
    expect(e.title).toBe('The server answered HTTP 400');
    expect(e.hints[0]).toContain('--tool-call-parser hermes');
  });

  it('every kind has a title and a message', () => {
    const kinds: EndpointErrorKind[] = ['unreachable', 'cors', 'unauthorized', 'forbidden', 'unknown-model', 'too-large', 'rate-limited', 'server', 'timeout', 'bad-response', 'truncated', 'http', 'cancelled'];
    for (const kind of kinds) {
      const e = explainFailure(failure(kind), { baseUrl: 'http://localhost:8000/v1', model: '' });
      expect(e.title, kind).not.toBe('');
      expect(e.message, kind).not.toBe('');
      expect(all(e), kind).not.toMatch(/undefined|null|NaN/);
    }
  });
});
