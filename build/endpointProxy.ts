/**
 * A same-origin way to a model server that sends no CORS headers: with
 * `VIDEOSEEKER_PROXY_TARGET=http://gpu-box:8000`, the app's own server (vite dev and vite preview,
 * i.e. `npm run dev` and `npm start`) forwards `/proxy/*` to `http://gpu-box:8000/*`, and the app
 * uses the base URL `/proxy/v1`. The browser then only talks to its own origin: no CORS, and
 * nothing for COEP to block.
 *
 * Vite's proxy (http-proxy-3) pipes the upstream response as it comes, so server-sent events
 * stream through unbuffered (preview's compression middleware is mounted after the proxy), and a
 * request the browser cancels destroys the upstream one, which makes vLLM stop generating.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin, ProxyOptions } from 'vite';

export const PROXY_ENV = 'VIDEOSEEKER_PROXY_TARGET';
export const PROXY_PREFIX = '/proxy';

export function endpointProxy(target = process.env[PROXY_ENV]): Plugin {
  return {
    name: 'videoseeker-endpoint-proxy',
    config() {
      if (!target) return;
      const proxy = { [`${PROXY_PREFIX}/`]: proxyOptions(target) };
      return { server: { proxy }, preview: { proxy } };
    },
  };
}

export function proxyOptions(target: string): ProxyOptions {
  if (!/^https?:\/\/[^/]+/i.test(target)) throw new Error(`${PROXY_ENV} must be an http(s) URL such as http://gpu-box:8000, not "${target}"`);
  return {
    target,
    changeOrigin: true,
    rewrite: (path) => path.slice(PROXY_PREFIX.length) || '/',
    configure(proxy) {
      // Server to server: the page's Origin would only make a strict server refuse the request.
      proxy.on('proxyReq', (proxyReq) => proxyReq.removeHeader('origin'));
      // Say in the body what failed, in the shape Chat Completions clients read ({error: {message}}).
      // Registered before Vite's own handler, which then sees the response already sent.
      proxy.on('error', (error, _req, res) => {
        if (!isResponse(res) || res.headersSent || res.writableEnded) return;
        const message = `The app's proxy could not reach ${target}: ${error.message}`;
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'proxy_error', code: 502 } }));
      });
    },
  };
}

function isResponse(res: unknown): res is ServerResponse<IncomingMessage> {
  return typeof res === 'object' && res !== null && 'writeHead' in res;
}
