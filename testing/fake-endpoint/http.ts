/** Small HTTP helpers of the fake endpoint. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': data.length }).end(data);
}

export interface Body {
  readonly text: string;
  readonly bytes: number;
  readonly tooLarge: boolean;
}

/** Reads the whole body; past the limit it keeps draining (so the client can read the 413) but stores nothing. */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve({ text: bytes <= limit ? Buffer.concat(chunks).toString('utf8') : '', bytes, tooLarge: bytes > limit }));
    req.on('error', reject);
  });
}
