import { describe, expect, it } from 'vitest';
import { utf8Length } from './callTransport';
import { kindOfStatus, messageOf, parseRetryAfter, plainText, shorten } from './endpointFailures';

describe('endpoint failure helpers', () => {
  it('reads Retry-After as seconds or as an HTTP-date, never negative', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it('classifies statuses, and 400s by their message', () => {
    expect(kindOfStatus(400, 'The decoder prompt (length 40000) is longer than the maximum model length of 32768.')).toBe('too-large');
    expect(kindOfStatus(400, 'At most 8 image(s) may be provided in one prompt.')).toBe('too-large');
    expect(kindOfStatus(400, "model 'foo' not found, try pulling it first")).toBe('unknown-model');
    expect(kindOfStatus(400, 'messages: field required')).toBe('http');
    expect(kindOfStatus(503, '')).toBe('server');
  });

  it('finds the message in the error shapes servers use', () => {
    expect(messageOf({ error: { message: 'a' } })).toBe('a');
    expect(messageOf({ object: 'error', message: 'b', code: 404 })).toBe('b');
    expect(messageOf({ detail: 'Not Found' })).toBe('Not Found');
    expect(plainText('<html><body><h1>Bad Gateway</h1><p>nginx</p></body></html>')).toBe('Bad Gateway nginx');
    expect(shorten('x'.repeat(400))).toHaveLength(300);
  });

  it('counts UTF-8 bytes like an encoder', () => {
    for (const text of ['', 'abc', 'é', '漢字', '😀 ok', '\ud800 lone']) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });
});
