/**
 * What the agent loop needs from the outside world, as small interfaces: a Chat Completions
 * endpoint (an OpenAI-compatible server, reached with fetch in the browser) and the model's
 * environment (the user's video, decoded, resized and encoded by a worker). The loop itself
 * (runAgent) is pure and drives these.
 */
import type { ChatRequest } from './messages';
import type { ImageFormat } from './settings';
import type { AssembledMessage, StreamChunk } from './streamAssembler';

/** Why a call to the endpoint failed, as far as the client can tell. */
export type EndpointErrorKind =
  /** Nothing answered (connection refused, DNS, offline). */
  | 'unreachable'
  /** The server answered but the browser refused to show the answer (no CORS headers). */
  | 'cors'
  | 'unauthorized'
  | 'forbidden'
  /** 404 from the server, or its message says the model does not exist. */
  | 'unknown-model'
  /** 413, or a 400 saying the prompt is longer than the context. */
  | 'too-large'
  | 'rate-limited'
  /** 5xx. */
  | 'server'
  /** No byte for `timeoutS`. */
  | 'timeout'
  /** A body that is not the JSON (or event stream) a Chat Completions server sends. */
  | 'bad-response'
  /** A stream that ended before its end (no finish_reason, no [DONE]). */
  | 'truncated'
  /** Any other HTTP error status. */
  | 'http'
  /** The user cancelled. */
  | 'cancelled';

export interface EndpointFailure {
  readonly kind: EndpointErrorKind;
  /** HTTP status, when there was a response. */
  readonly status: number | null;
  /** What the server or the network layer said, shortened; '' when nothing. */
  readonly detail: string;
  /** Seconds the server asked to wait (Retry-After), when it did. */
  readonly retryAfterS: number | null;
}

/** Thrown by a ChatClient; `failure` is plain data that can be saved with the trajectory. */
export class EndpointError extends Error {
  constructor(readonly failure: EndpointFailure) {
    super(`${failure.kind}${failure.status !== null ? ` (HTTP ${failure.status})` : ''}: ${failure.detail}`);
    this.name = 'EndpointError';
  }
}

export interface ChatCallOptions {
  readonly signal: AbortSignal;
  /** Abandon the call (kind 'timeout') after this many seconds without a response byte. */
  readonly timeoutS: number;
  /** Each parsed chunk of a streamed response, as it arrives. */
  readonly onChunk?: (chunk: StreamChunk) => void;
  /** Called once the request body is on its way, with its size in bytes. */
  readonly onSent?: (bytes: number) => void;
}

/** One model call. A request with `stream: true` is streamed; otherwise one JSON body is read. */
export interface ChatClient {
  /** Resolves with the whole message (assembled from the stream); throws EndpointError. */
  complete(request: ChatRequest, options: ChatCallOptions): Promise<AssembledMessage>;
  /** `GET {base}/models`: the ids, in the server's order; throws EndpointError. */
  listModels(signal: AbortSignal, timeoutS: number): Promise<string[]>;
}

/** An image ready to send: a data URL and what it is. */
export interface EncodedImage {
  readonly url: string;
  readonly bytes: number;
  readonly width: number;
  readonly height: number;
}

export interface EncodeOptions {
  readonly width: number;
  readonly height: number;
  readonly format: ImageFormat;
  /** JPEG quality in (0, 1]; ignored for PNG. */
  readonly quality: number;
}

/** The model's environment: the frames of the user's video and the visual prompt frame. */
export interface AgentEnvironment {
  /** Frames by index, each resized to the given size and encoded, in the order asked. */
  encodeFrames(indices: readonly number[], options: EncodeOptions, signal: AbortSignal): Promise<EncodedImage[]>;
  /** The visual prompt frame: the chosen frame with the prompt drawn on it, full resolution. */
  visualPromptImage(options: Omit<EncodeOptions, 'width' | 'height'>, signal: AbortSignal): Promise<EncodedImage>;
}

/** Time, for latency and retry backoff; a test passes a fake. */
export interface AgentClock {
  now(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it is aborted first. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}
