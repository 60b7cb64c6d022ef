import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HTTP1_CONNECTIONS_PER_HOST, inFlightLimit } from './inFlightLimit';

describe('inFlightLimit', () => {
  it('a plain http endpoint is HTTP/1.1 in a browser: 6 requests at once; https is not known to be limited', () => {
    expect(inFlightLimit('http://gpu-box:8000/v1', 'https://studio.example/')).toEqual({ limit: 6, origin: 'http://gpu-box:8000' });
    expect(inFlightLimit(' https://vllm.lab.example/v1 ', 'http://127.0.0.1:4173/')).toEqual({ limit: null, origin: 'https://vllm.lab.example' });
  });

  it('a relative base URL (the same-origin proxy) takes the page’s scheme', () => {
    expect(inFlightLimit('/proxy/v1', 'http://127.0.0.1:4173/?sample=0')).toEqual({ limit: 6, origin: 'http://127.0.0.1:4173' });
    expect(inFlightLimit('/proxy/v1', 'https://studio.example/app/')).toEqual({ limit: null, origin: 'https://studio.example' });
  });

  it('an address that is not a URL limits nothing (the endpoint check says what is wrong with it)', () => {
    expect(inFlightLimit('http://', 'http://127.0.0.1/')).toEqual({ limit: null, origin: null });
  });

  it('for any host and port, the scheme alone decides', () => {
    fc.assert(
      fc.property(fc.domain(), fc.integer({ min: 1, max: 65535 }), fc.constantFrom('http', 'https'), (host, port, scheme) => {
        const r = inFlightLimit(`${scheme}://${host}:${port}/v1`, 'https://studio.example/');
        expect(r.limit).toBe(scheme === 'http' ? HTTP1_CONNECTIONS_PER_HOST : null);
        expect(r.origin).toBe(new URL(`${scheme}://${host}:${port}`).origin);
      }),
    );
  });
});
