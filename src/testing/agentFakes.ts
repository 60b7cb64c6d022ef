/**
 * Hand-written fakes of the agent's ports, for tests (imported only by *.test.ts): a scripted
 * chat endpoint, an environment that makes recognisable data URLs and records what it was asked,
 * and a clock whose time moves only when told.
 */
import type { ChatRequest } from '../core/agent/messages';
import { EndpointError, type AgentClock, type AgentEnvironment, type ChatCallOptions, type ChatClient, type EncodedImage, type EncodeOptions, type EndpointFailure } from '../core/agent/ports';
import { assembleStream, type AssembledMessage, type StreamChunk, type Usage } from '../core/agent/streamAssembler';

export class FakeClock implements AgentClock {
  time = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  /** Replaces the immediate resolution of sleep (e.g. to hang until aborted). */
  sleepHook: ((ms: number, signal: AbortSignal) => Promise<void>) | null = null;

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (this.sleepHook) return this.sleepHook(ms, signal);
    this.time += ms;
    return Promise.resolve();
  }
}

/** A promise that settles only when the signal aborts (as fetch does), or never if `ignore`. */
export function untilAborted(signal: AbortSignal, ignore = false): Promise<never> {
  return new Promise((_, reject) => {
    if (!ignore) signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export type Step =
  | { readonly kind: 'reply'; readonly chunks: readonly StreamChunk[] }
  /** Streams `chunks` (if any), then fails. */
  | { readonly kind: 'error'; readonly failure: EndpointFailure; readonly chunks?: readonly StreamChunk[] }
  | { readonly kind: 'throw'; readonly error: unknown }
  /** Streams `chunks`, then waits for the abort (`ignoreSignal`: forever). */
  | { readonly kind: 'hang'; readonly chunks: readonly StreamChunk[]; readonly ignoreSignal?: boolean };

export interface ToolCallSpec {
  readonly id?: string;
  readonly name: string;
  readonly arguments: string;
}

/**
 * A streamed reply: the content in a few pieces (so live updates can be seen), each tool call as
 * vLLM's hermes parser streams it (id, type and name first, then argument fragments).
 */
export function reply(content: string, calls: readonly ToolCallSpec[] = [], usage: Usage | null = null, finishReason?: string): Step {
  const chunks: StreamChunk[] = [{ choices: [{ index: 0, delta: { role: 'assistant' } }] }];
  const third = Math.ceil(content.length / 3);
  for (let i = 0; i < content.length; i += third) chunks.push({ choices: [{ index: 0, delta: { content: content.slice(i, i + third) } }] });
  calls.forEach((c, index) => {
    chunks.push({ choices: [{ index: 0, delta: { tool_calls: [{ index, id: c.id ?? `srv_${index}`, type: 'function', function: { name: c.name, arguments: '' } }] } }] });
    const half = Math.ceil(c.arguments.length / 2);
    chunks.push({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: c.arguments.slice(0, half) } }] } }] });
    chunks.push({ choices: [{ index: 0, delta: { tool_calls: [{ index, function: { arguments: c.arguments.slice(half) } }] } }] });
  });
  chunks.push({ choices: [{ index: 0, delta: {}, finish_reason: finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop') }] });
  if (usage) chunks.push({ choices: [], usage });
  return { kind: 'reply', chunks };
}

export function failure(kind: EndpointFailure['kind'], status: number | null = null, retryAfterS: number | null = null, detail = ''): Step {
  return { kind: 'error', failure: { kind, status, detail, retryAfterS } };
}

export class FakeClient implements ChatClient {
  /** Every request as JSON on the wire. */
  readonly requests: ChatRequest[] = [];
  private next = 0;

  constructor(
    private readonly steps: readonly Step[],
    private readonly clock: FakeClock,
    /** Simulated ms to the first chunk and to the end. */
    private readonly timing = { firstMs: 40, totalMs: 250 },
  ) {}

  async complete(request: ChatRequest, options: ChatCallOptions): Promise<AssembledMessage> {
    const body = JSON.stringify(request);
    this.requests.push(JSON.parse(body) as ChatRequest);
    const step = this.steps[this.next++];
    if (!step) throw new Error(`FakeClient: no step ${this.next} scripted`);
    options.onSent?.(body.length);
    if (step.kind === 'throw') throw step.error;
    this.clock.time += this.timing.firstMs;
    for (const chunk of step.chunks ?? []) options.onChunk?.(chunk);
    if (step.kind === 'error') throw new EndpointError(step.failure);
    if (step.kind === 'hang') return untilAborted(options.signal, step.ignoreSignal);
    this.clock.time += this.timing.totalMs - this.timing.firstMs;
    return assembleStream(step.chunks);
  }

  async listModels(): Promise<string[]> {
    return ['fake-model'];
  }

  get calls(): number {
    return this.next;
  }
}

export interface EncodeCall {
  readonly indices: readonly number[];
  readonly options: EncodeOptions;
}

export class FakeEnvironment implements AgentEnvironment {
  readonly encodeCalls: EncodeCall[] = [];
  readonly visualPromptCalls: Omit<EncodeOptions, 'width' | 'height'>[] = [];
  /** Make the next encodeFrames calls fail (one entry per call, null: succeed). */
  encodeFailures: (Error | 'hang' | null)[] = [];
  visualPromptFailure: Error | 'hang' | null = null;

  constructor(private readonly visualPromptSize = { width: 1280, height: 720 }) {}

  async encodeFrames(indices: readonly number[], options: EncodeOptions, signal: AbortSignal): Promise<EncodedImage[]> {
    this.encodeCalls.push({ indices: [...indices], options });
    const fail = this.encodeFailures.shift() ?? null;
    if (fail === 'hang') return untilAborted(signal);
    if (fail) throw fail;
    return indices.map((i) => ({ url: `data:image/jpeg;base64,F${i}`, bytes: 1000 + i, width: options.width, height: options.height }));
  }

  async visualPromptImage(options: Omit<EncodeOptions, 'width' | 'height'>, signal: AbortSignal): Promise<EncodedImage> {
    this.visualPromptCalls.push(options);
    if (this.visualPromptFailure === 'hang') return untilAborted(signal);
    if (this.visualPromptFailure) throw this.visualPromptFailure;
    return { url: 'data:image/png;base64,VP', bytes: 5000, ...this.visualPromptSize };
  }
}
