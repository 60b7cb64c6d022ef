/**
 * The transport of one endpoint call: the fetch the OpenAI SDK is given, wrapped so that the
 * adapter sees what the SDK hides. It owns the call's AbortController (the caller's signal and the
 * idle timer both abort it), re-arms the idle timer on every response byte, measures the body sent,
 * and taps the response body: its content type, its first characters (to explain a body that is
 * not what a Chat Completions server sends), whether `data: [DONE]` went by (the SDK swallows it),
 * and whether reading it broke (a connection cut after the headers).
 *
 * A body whose images were set apart (core/agent/requestBody) is sent as a Blob of parts: the
 * SDK serialises only the few kB around the images, and the images' text goes in as Blobs made
 * once per image (imageBlobs.ts), so a round costs the UI thread no multi-MB string and no copy
 * of one; the network service reads the parts itself.
 */
import { bodyPieces } from '../../core/agent/requestBody';
import { imageBlob } from './imageBlobs';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface CallTransportOptions {
  /** The caller's signal: aborting it cancels the call. */
  readonly signal: AbortSignal;
  /** Seconds without a response byte (before the headers and between body chunks); <= 0: none. */
  readonly timeoutS: number;
  /** The underlying fetch (the page's, or a test's). */
  readonly fetch: Fetch;
  /** '' sends no Authorization header at all (the SDK insists on some key). */
  readonly apiKey: string;
  readonly onSent?: (bytes: number) => void;
  /** The images of a lifted body: the SDK's body text has `${token}${k}` in place of urls[k]. */
  readonly images?: LiftedImages;
}

export interface LiftedImages {
  readonly token: string;
  readonly urls: readonly string[];
  readonly placed: number;
  /** The whole body text, for a body in which the placeholders cannot be told apart. */
  whole(): string;
}

const HEAD_CHARS = 400;
/** `data: [DONE]` at the start of a line; a JSON payload cannot contain a raw newline, so no false hit. */
const DONE = /\ndata: ?\[DONE\]/;

export class CallTransport {
  /** Aborted by the caller's signal or the idle timer; the SDK gets its signal. */
  readonly controller = new AbortController();
  timedOut = false;
  /** The last URL fetched, for the reachability probe. */
  url: string | null = null;
  /** The response's content type ('' before the headers). */
  contentType = '';
  /** The first characters of the response body. */
  head = '';
  sawDone = false;
  /** Set when reading the response body failed other than by our own abort. */
  bodyError: unknown = undefined;

  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => this.controller.abort(this.options.signal.reason);

  constructor(private readonly options: CallTransportOptions) {
    if (options.signal.aborted) this.controller.abort(options.signal.reason);
    else options.signal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The caller cancelled (and it was not our timer). */
  get cancelled(): boolean {
    return this.options.signal.aborted;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.options.signal.removeEventListener('abort', this.onCallerAbort);
  }

  /** Something arrived: the idle clock starts again. */
  private touch(): void {
    const { timeoutS } = this.options;
    if (!(timeoutS > 0) || this.controller.signal.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error(`no response byte for ${timeoutS} s`));
    }, timeoutS * 1000);
  }

  /** Given to the SDK as its `fetch`. */
  readonly fetch: Fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    this.url = url;
    const headers = new Headers(init.headers);
    // The SDK's x-stainless-* telemetry headers only widen the CORS preflight: a server that lists
    // its allowed headers would refuse them. They tell an OpenAI-compatible server nothing.
    for (const name of [...headers.keys()]) if (name.startsWith('x-stainless-')) headers.delete(name);
    if (this.options.apiKey === '') headers.delete('authorization');
    this.touch();
    const body = typeof init.body === 'string' && this.options.images ? withImages(init.body, this.options.images) : init.body;
    const pending = this.options.fetch(url, { ...init, headers, body });
    if (body instanceof Blob) this.options.onSent?.(body.size);
    // The body string already exists here: count it without encoding a multi-MB copy.
    else if (typeof body === 'string') this.options.onSent?.(utf8Length(body));
    const response = await pending;
    this.touch();
    this.contentType = response.headers.get('content-type') ?? '';
    if (!response.body || [204, 205, 304].includes(response.status)) return response;
    return new Response(this.tap(response.body), { status: response.status, statusText: response.statusText, headers: response.headers });
  };

  private tap(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let tail = '\n';
    return new ReadableStream<Uint8Array>({
      pull: async (sink) => {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          // An abort is ours or the SDK's (it aborts when it stops reading), never the server's.
          const aborted = this.controller.signal.aborted || (error instanceof Error && error.name === 'AbortError');
          if (!aborted) this.bodyError = error;
          throw error;
        }
        if (read.done) {
          sink.close();
          return;
        }
        this.touch();
        const text = decoder.decode(read.value, { stream: true });
        if (this.head.length < HEAD_CHARS) this.head += text.slice(0, HEAD_CHARS - this.head.length);
        if (!this.sawDone && DONE.test(tail + text)) this.sawDone = true;
        tail = (tail + text).slice(-16);
        sink.enqueue(read.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
  }
}

/** The SDK's body text with the images put back: a Blob of parts, or the whole text. */
function withImages(json: string, images: LiftedImages): Blob | string {
  const pieces = bodyPieces(json, images.token, images.urls.length, images.placed);
  if (pieces === null) return images.whole();
  return new Blob(
    pieces.map((p) => (typeof p === 'string' ? p : imageBlob(images.urls[p]!))),
    { type: 'application/json' },
  );
}

/** UTF-8 byte length of a string, without encoding it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
