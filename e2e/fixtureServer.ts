/**
 * A tiny HTTP server on 127.0.0.1 for the "open by URL" tests: serves e2e/fixtures with CORS
 * (as a video host must for a cross-origin page) and can be asked for a 404.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './helpers';

export async function startFixtureServer(): Promise<{ url: (name: string) => string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '');
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (!/^[\w.-]+$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    readFile(fixture(name)).then(
      (body) => {
        const type = name.endsWith('.mp4') ? 'video/mp4' : name.endsWith('.webm') ? 'video/webm' : 'application/octet-stream';
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length }).end(body);
      },
      () => res.writeHead(404, 'Not Found').end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
