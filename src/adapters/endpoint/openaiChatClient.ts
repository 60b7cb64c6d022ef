/**
 * The browser's ChatClient (core/agent/ports.ts) over the official `openai` SDK, for any
 * OpenAI-compatible Chat Completions server (vLLM above all).
 *
 * The SDK never retries (`maxRetries: 0`): the core loop retries, so that the user sees each
 * attempt. The SDK's own timeout only runs until the response headers, so the idle timeout ("no
 * byte for timeoutS") is ours, in CallTransport, across the headers and every stream chunk. Every
 * failure leaves as an EndpointError whose `failure` says what kind it was (endpointFailures.ts).
 *
 * What the SDK does that matters here (openai 7.55, src/core/streaming.ts):
 * - a stream that ends without `data: [DONE]` just ends: iteration finishes without an error, so a
 *   cut-off stream is recognised here (no finish_reason and no [DONE] seen by CallTransport);
 * - a connection destroyed mid-stream rethrows the body reader's error (a TypeError, "terminated"
 *   in Node, "network error" in browsers) out of the iteration;
 * - an abort during the stream is swallowed (iteration ends quietly), an abort before the headers
 *   is an APIUserAbortError: both are told apart by our own timeout and cancellation flags;
 * - a 200 body that is not JSON comes back as a string (non-streamed), or, streamed, yields no
 *   events at all; an SSE event `{"error": ...}` is thrown as an APIError without a status.
 */
import { OpenAI } from 'openai/client';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/core/error';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatRequest } from '../../core/agent/messages';
import { EndpointError, type ChatCallOptions, type ChatClient } from '../../core/agent/ports';
import { StreamAssembler, type AssembledMessage, type StreamChunk } from '../../core/agent/streamAssembler';
import { liftImageUrls } from '../../core/agent/requestBody';
import { CallTransport, type LiftedImages } from './callTransport';
import { completionToMessage, describeBody } from './completionBody';
import { endpointError, isRecord, messageOf, statusError, statusInPayload } from './endpointFailures';
import { probeReachable, type Reachability, type ReachabilityProbe } from './reachability';
import { refusesStreamOptions, sessionStreamOptions, type StreamOptionsMemory } from './streamOptions';

export interface ChatClientConfig {
  /** e.g. `http://localhost:8000/v1`, or `/proxy/v1` (resolved against the page). */
  readonly baseUrl: string;
  /** '' sends no Authorization header. */
  readonly apiKey: string;
  readonly fetch?: typeof fetch;
  /** After a network failure: what answers at this URL? (see reachability.ts) */
  readonly probeReachable?: ReachabilityProbe;
  /** Which endpoints refused `stream_options` (default: the page's, shared by every client). */
  readonly streamOptions?: StreamOptionsMemory;
}

/** The SDK's header timeout, kept out of the way of ours (a setTimeout must stay below 2^31 ms). */
const SDK_TIMEOUT_MS = 24 * 3600 * 1000;
/** A CORS-refusing server answers the probe at once; do not wait the whole call timeout for it. */
const PROBE_TIMEOUT_S = 10;

export function createChatClient(config: ChatClientConfig): ChatClient {
  const baseFetch = config.fetch ?? ((input, init) => fetch(input, init));
  const probe = config.probeReachable ?? probeReachable;
  const streamOptions = config.streamOptions ?? sessionStreamOptions;

  /** Runs one SDK call over its own transport and turns whatever it throws into an EndpointError. */
  async function call<T>(signal: AbortSignal, timeoutS: number, onSent: ((bytes: number) => void) | undefined, run: (sdk: OpenAI, t: CallTransport) => Promise<T>, images?: LiftedImages): Promise<T> {
    if (signal.aborted) throw endpointError('cancelled');
    const baseURL = resolveBaseUrl(config.baseUrl);
    const t = new CallTransport({ signal, timeoutS, fetch: baseFetch, apiKey: config.apiKey, onSent, ...(images ? { images } : {}) });
    try {
      const sdk = new OpenAI({
        baseURL,
        // The SDK refuses to start without a key; an empty one is dropped again in CallTransport.
        apiKey: config.apiKey || 'EMPTY',
        adminAPIKey: null,
        organization: null,
        project: null,
        webhookSecret: null,
        dangerouslyAllowBrowser: true,
        maxRetries: 0,
        timeout: SDK_TIMEOUT_MS,
        logLevel: 'off',
        fetch: t.fetch,
      });
      return await run(sdk, t);
    } catch (error) {
      throw await classify(error, t, timeoutS, baseURL);
    } finally {
      t.dispose();
    }
  }

  async function classify(error: unknown, t: CallTransport, timeoutS: number, baseURL: string): Promise<EndpointError> {
    if (error instanceof EndpointError) return error;
    if (t.timedOut || error instanceof APIConnectionTimeoutError) return endpointError('timeout', `no response for ${timeoutS} s`);
    if (t.cancelled || error instanceof APIUserAbortError) return endpointError('cancelled');
    if (error instanceof APIError && typeof error.status === 'number') {
      const detail = error.error !== undefined ? messageOf(error.error) : messageOf(error.message.replace(/^\d{3}\s+(status code \(no body\))?/, ''));
      return statusError(error.status, detail, error.headers);
    }
    if (error instanceof APIConnectionError) return unreachableOrCors(messageChain(error.cause ?? error), t, timeoutS, baseURL);
    if (error instanceof APIError) {
      // An `{"error": ...}` event inside a stream: vLLM puts the HTTP status in `code`.
      const status = statusInPayload(error.error);
      const detail = messageOf(error.error) || error.message;
      return status !== null ? statusError(status, detail, null) : endpointError('server', detail);
    }
    if (error instanceof SyntaxError) return endpointError('bad-response', `${error.message} (${describeBody(t)})`);
    if (t.bodyError !== undefined) return endpointError('truncated', `the connection broke while the response was read: ${messageChain(t.bodyError)}`);
    return endpointError('bad-response', messageChain(error));
  }

  async function unreachableOrCors(detail: string, t: CallTransport, timeoutS: number, baseURL: string): Promise<EndpointError> {
    // Bounded by its own timer and by the call's signal (not AbortSignal.any: Safari 17.0 lacks it).
    const probeCall = new AbortController();
    const stop = () => probeCall.abort();
    t.signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(stop, Math.min(timeoutS > 0 ? timeoutS : PROBE_TIMEOUT_S, PROBE_TIMEOUT_S) * 1000);
    let found: Reachability;
    try {
      found = await probe(t.url ?? baseURL, probeCall.signal);
    } catch {
      found = 'nothing';
    } finally {
      clearTimeout(timer);
      t.signal.removeEventListener('abort', stop);
    }
    if (t.cancelled) return endpointError('cancelled');
    if (found === 'no-cors') return endpointError('cors', detail);
    // The server is there and readable: it dropped this request without an answer (crashed, reset).
    if (found === 'open') return endpointError('server', `the server closed the connection without answering (${detail})`);
    return endpointError('unreachable', detail);
  }

  /** One streamed call, with or without `stream_options.include_usage`. */
  function stream(request: ChatRequest, options: ChatCallOptions, withUsage: boolean): Promise<AssembledMessage> {
    const whole = { ...request, stream: true, ...(withUsage ? { stream_options: { include_usage: true } } : {}) };
    const { body, images } = lifted(whole);
    return call(options.signal, options.timeoutS, options.onSent, async (sdk, t) => {
      const events = await sdk.chat.completions.create(body as unknown as ChatCompletionCreateParamsStreaming, { signal: t.signal });
      const assembler = new StreamAssembler();
      let chunks = 0;
      for await (const raw of events as AsyncIterable<unknown>) {
        const chunk = streamChunk(raw, t);
        chunks++;
        assembler.push(chunk);
        options.onChunk?.(chunk);
      }
      // The SDK ends the iteration quietly when the call was aborted: say why.
      if (t.timedOut || t.cancelled) throw new APIUserAbortError();
      const message = assembler.result();
      if (message.finishReason === null && !t.sawDone) {
        if (chunks === 0 && !/text\/event-stream/i.test(t.contentType)) throw endpointError('bad-response', `expected an event stream, got ${describeBody(t)}`);
        throw endpointError('truncated', `the stream ended after ${chunks} chunk${chunks === 1 ? '' : 's'} without a finish_reason or [DONE]`);
      }
      return message;
    }, images);
  }

  return {
    async complete(request: ChatRequest, options: ChatCallOptions): Promise<AssembledMessage> {
      if (!request.stream) {
        const { body, images } = lifted(request);
        return call(
          options.signal,
          options.timeoutS,
          options.onSent,
          async (sdk, t) => {
            // The ChatRequest is exactly the wire body; the SDK's own param types are narrower than
            // what vLLM accepts, so the cast stays at this boundary.
            const completion: unknown = await sdk.chat.completions.create(body as unknown as ChatCompletionCreateParamsNonStreaming, { signal: t.signal });
            return completionToMessage(completion, t);
          },
          images,
        );
      }
      // stream_options.include_usage makes the server end with a usage chunk (token counts for the
      // user). The core's chatRequest leaves it out because it is not part of the protocol, and
      // OpenAI rejects stream_options on a request that is not streamed, so it is added only here,
      // and only for an endpoint that has not refused it in this session (streamOptions.ts).
      const withUsage = streamOptions.accepts(config.baseUrl);
      try {
        return await stream(request, options, withUsage);
      } catch (error) {
        if (!withUsage || !(error instanceof EndpointError) || !refusesStreamOptions(error.failure) || options.signal.aborted) throw error;
        streamOptions.rememberRefusal(config.baseUrl);
        return stream(request, options, false);
      }
    },


    listModels(signal: AbortSignal, timeoutS: number): Promise<string[]> {
      return call(signal, timeoutS, undefined, async (sdk, t) => {
        const page = await sdk.models.list({ signal: t.signal });
        // The SDK makes an empty page of any non-JSON body (an HTML page at a wrong URL).
        if (!/json/i.test(t.contentType)) throw endpointError('bad-response', `expected a JSON model list, got ${describeBody(t)}`);
        const data: unknown = page.data;
        if (!Array.isArray(data)) throw endpointError('bad-response', `expected a JSON model list, got ${describeBody(t)}`);
        return data.flatMap((m: unknown) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []));
      });
    },
  };
}

/**
 * The body with its image URLs set apart (core/agent/requestBody): the SDK serialises a few kB,
 * the transport sends the images' text beside it. A body without images goes as it is.
 */
function lifted<T extends ChatRequest>(whole: T): { body: T; images: LiftedImages | undefined } {
  // getRandomValues, not randomUUID: the page may be served over plain http (not a secure context).
  const token = `vs-img-${Array.from(crypto.getRandomValues(new Uint32Array(4)), (n) => n.toString(36)).join('')}-`;
  const { body, urls, placed } = liftImageUrls(whole, token);
  if (urls.length === 0) return { body: whole, images: undefined };
  return { body, images: { token, urls, placed, whole: () => JSON.stringify(whole) } };
}

/** One parsed SSE event as a StreamChunk, or the error it carries. */
function streamChunk(raw: unknown, t: CallTransport): StreamChunk {
  if (!isRecord(raw)) throw endpointError('bad-response', `an event that is not a JSON object: ${JSON.stringify(raw)}`);
  // vLLM before 0.10 sent an error mid-stream as a bare ErrorResponse, which the SDK passes on.
  if (raw.object === 'error') {
    const status = statusInPayload(raw);
    throw status !== null ? statusError(status, messageOf(raw), null) : endpointError('server', messageOf(raw));
  }
  if (raw.choices !== undefined && raw.choices !== null && !Array.isArray(raw.choices)) throw endpointError('bad-response', `an event that is not a chat.completion.chunk (${describeBody(t)})`);
  return raw as StreamChunk;
}

/** The SDK needs an absolute URL; `/proxy/v1` is relative to the page. */
function resolveBaseUrl(baseUrl: string): string {
  try {
    return new URL(baseUrl.trim(), globalThis.location?.href).href.replace(/\/+$/, '');
  } catch {
    throw endpointError('unreachable', `"${baseUrl}" is not a valid URL`);
  }
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:1" from an error and its causes. */
function messageChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (message && !parts.includes(message)) parts.push(message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}
