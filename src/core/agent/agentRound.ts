/**
 * One model call of the loop: send the round's request, show the response as it streams in,
 * and retry a 429 or 5xx a few times with exponential backoff before giving up.
 */
import { abortable, Cancelled, errorMessage } from './abortable';
import type { TrajectoryState } from './agentState';
import type { ChatRequest } from './messages';
import { EndpointError, type AgentClock, type ChatClient, type EndpointFailure, type EndpointErrorKind } from './ports';
import { StreamAssembler, type AssembledMessage, type StreamChunk } from './streamAssembler';

/** Automatic retries of one request (so at most MAX_RETRIES + 1 attempts). */
export const MAX_RETRIES = 3;
/** First backoff; doubled for each further retry (1 s, 2 s, 4 s). */
export const BASE_RETRY_MS = 1000;
/** A server's Retry-After is honoured up to this; a longer wait is better left to the user. */
export const MAX_RETRY_WAIT_MS = 30_000;

/** Only these are worth repeating unchanged: the server was busy or broke, the request was fine. */
const RETRYABLE: ReadonlySet<EndpointErrorKind> = new Set(['rate-limited', 'server']);

/** The wait before retry number `retry` (0-based): Retry-After when the server gave one, else backoff. */
export function retryDelayMs(failure: EndpointFailure, retry: number): number {
  if (failure.retryAfterS !== null && Number.isFinite(failure.retryAfterS) && failure.retryAfterS >= 0) {
    return Math.min(MAX_RETRY_WAIT_MS, Math.round(failure.retryAfterS * 1000));
  }
  return Math.min(MAX_RETRY_WAIT_MS, BASE_RETRY_MS * 2 ** retry);
}

const SUMMARY: Readonly<Record<EndpointErrorKind, string>> = {
  unreachable: 'The server could not be reached',
  cors: 'The server answered, but does not allow this page to read it (CORS)',
  unauthorized: 'The server refused the API key',
  forbidden: 'The server forbade the request',
  'unknown-model': 'The server does not know this model',
  'too-large': 'The request is too large for the server or the model context',
  'rate-limited': 'The server is limiting the request rate',
  server: 'The server failed',
  timeout: 'The server did not answer in time',
  'bad-response': 'The server response could not be read',
  truncated: 'The response ended before it was complete',
  http: 'The server refused the request',
  cancelled: 'Cancelled',
};

/** A one-line description of a failed model call, for the trajectory's problem. */
export function describeFailure(failure: EndpointFailure, retries = 0): string {
  const status = failure.status !== null ? ` (HTTP ${failure.status})` : '';
  const retried = retries > 0 ? ` after ${retries} ${retries === 1 ? 'retry' : 'retries'}` : '';
  const detail = failure.detail !== '' ? `: ${failure.detail}` : '';
  return `${SUMMARY[failure.kind]}${status}${retried}${detail}`;
}

/** What the client threw, as data; anything but an EndpointError is a response the loop could not use. */
export function toFailure(error: unknown): EndpointFailure {
  if (error instanceof EndpointError) return error.failure;
  return { kind: 'bad-response', status: null, detail: errorMessage(error), retryAfterS: null };
}

export interface RoundCall {
  readonly state: TrajectoryState;
  readonly roundIndex: number;
  readonly request: ChatRequest;
  readonly client: ChatClient;
  readonly clock: AgentClock;
  readonly signal: AbortSignal;
  readonly timeoutS: number;
}

export type RoundOutcome = { readonly ok: true; readonly message: AssembledMessage } | { readonly ok: false; readonly failure: EndpointFailure };

/**
 * Sends the round's request until it succeeds, fails for good, or the run is cancelled
 * (`Cancelled` is thrown; the round keeps what had streamed in). Each attempt starts the round's
 * timing and text afresh; each retry leaves a RetryNote in the round before its wait.
 */
export async function requestRound(call: RoundCall): Promise<RoundOutcome> {
  const { state, roundIndex, clock, signal } = call;
  for (let attempt = 0; ; attempt++) {
    const result = await attemptOnce(call);
    if (result.ok) return result;
    const { failure } = result;
    if (!RETRYABLE.has(failure.kind) || attempt >= MAX_RETRIES) {
      state.patchRound(roundIndex, { failure });
      return result;
    }
    const waitMs = retryDelayMs(failure, attempt);
    state.patchRound(roundIndex, { retries: [...state.round(roundIndex).retries, { failure, waitMs }] });
    await abortable(clock.sleep(waitMs, signal), signal);
  }
}

async function attemptOnce({ state, roundIndex, request, client, clock, signal, timeoutS }: RoundCall): Promise<RoundOutcome> {
  const sentAt = clock.now();
  state.patchRound(roundIndex, { startedAt: sentAt, requestBytes: 0, firstTokenMs: null, latencyMs: null, content: '', reasoning: '', finishReason: null, usage: null });
  const assembler = new StreamAssembler();
  // A client that ignores the signal may still call back after the loop gave up on it.
  let live = true;
  const onChunk = (chunk: StreamChunk): void => {
    if (!live) return;
    assembler.push(chunk);
    const { content, reasoningContent, toolCalls } = assembler.result();
    const round = state.round(roundIndex);
    const first = round.firstTokenMs === null && (content !== '' || reasoningContent !== '' || toolCalls.length > 0);
    if (!first && content === round.content && reasoningContent === round.reasoning) return;
    state.patchRound(roundIndex, { content, reasoning: reasoningContent, ...(first ? { firstTokenMs: clock.now() - sentAt } : {}) });
  };
  const onSent = (bytes: number): void => {
    if (live) state.patchRound(roundIndex, { requestBytes: bytes });
  };
  try {
    const message = await abortable(client.complete(request, { signal, timeoutS, onChunk, onSent }), signal);
    live = false;
    state.patchRound(roundIndex, {
      latencyMs: clock.now() - sentAt,
      content: message.content,
      reasoning: message.reasoningContent,
      finishReason: message.finishReason,
      usage: message.usage,
    });
    return { ok: true, message };
  } catch (error) {
    live = false;
    if (error instanceof Cancelled || signal.aborted) throw new Cancelled();
    return { ok: false, failure: toFailure(error) };
  }
}
