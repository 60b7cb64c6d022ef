/**
 * Puts a streamed Chat Completions response (`stream: true`, server-sent `chat.completion.chunk`s)
 * back together into one message. vLLM's hermes parser streams a tool call as deltas: the first
 * has `index`, `id`, `type` and `function.name`, later ones append `function.arguments`
 * fragments (protocol §2). Only the first choice is read (the client asks for one).
 */

export interface ToolCallDelta {
  readonly index?: number;
  readonly id?: string | null;
  readonly type?: string | null;
  readonly function?: { readonly name?: string | null; readonly arguments?: string | null } | null;
}

export interface StreamDelta {
  readonly role?: string | null;
  readonly content?: string | null;
  /** vLLM's reasoning parser output (older versions); newer ones call it `reasoning`. */
  readonly reasoning_content?: string | null;
  readonly reasoning?: string | null;
  readonly tool_calls?: readonly ToolCallDelta[] | null;
}

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export interface StreamChunk {
  readonly choices?: readonly { readonly index?: number; readonly delta?: StreamDelta | null; readonly finish_reason?: string | null }[] | null;
  /** Only in the last chunk, and only when the server was asked for it (`stream_options.include_usage`). */
  readonly usage?: Usage | null;
}

export interface AssembledToolCall {
  /** '' if the server never sent one (the caller then invents one). */
  readonly id: string;
  readonly name: string;
  /** The raw JSON string, as concatenated from the fragments. */
  readonly arguments: string;
}

export interface AssembledMessage {
  readonly content: string;
  readonly reasoningContent: string;
  readonly toolCalls: readonly AssembledToolCall[];
  /** The last finish_reason seen, or null if the stream ended without one (cut off). */
  readonly finishReason: string | null;
  readonly usage: Usage | null;
}

interface CallBuilder {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

export class StreamAssembler {
  private content = '';
  private reasoning = '';
  private readonly calls: CallBuilder[] = [];
  private finishReason: string | null = null;
  private usage: Usage | null = null;

  push(chunk: StreamChunk): void {
    if (chunk.usage) this.usage = chunk.usage;
    const choices = chunk.choices ?? [];
    const choice = choices.find((c) => c.index === 0) ?? (choices[0]?.index === undefined ? choices[0] : undefined);
    if (!choice) return;
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    const delta = choice.delta;
    if (!delta) return;
    if (delta.content) this.content += delta.content;
    // A server that sends both names carries the same text in each: take one, never both.
    const reasoning = delta.reasoning_content ?? delta.reasoning;
    if (reasoning) this.reasoning += reasoning;
    for (const d of delta.tool_calls ?? []) this.pushToolCall(d);
  }

  /**
   * Fragments are concatenated per `index`, as the OpenAI SDK accumulates them, `name` included
   * (vLLM sends it whole, once). The id is taken from the first delta that has one. A server that
   * omits `index` gets a new call for each new id and appends to the last call otherwise.
   */
  private pushToolCall(d: ToolCallDelta): void {
    let call: CallBuilder | undefined;
    if (d.index !== undefined) call = this.calls.find((c) => c.index === d.index);
    else {
      const last = this.calls[this.calls.length - 1];
      call = last && (!d.id || d.id === last.id) ? last : undefined;
    }
    if (!call) {
      call = { index: d.index ?? this.calls.length, id: '', name: '', arguments: '' };
      this.calls.push(call);
    }
    if (d.id && !call.id) call.id = d.id;
    if (d.function?.name) call.name += d.function.name;
    if (d.function?.arguments) call.arguments += d.function.arguments;
  }

  result(): AssembledMessage {
    const toolCalls = [...this.calls].sort((a, b) => a.index - b.index).map(({ id, name, arguments: args }) => ({ id, name, arguments: args }));
    return { content: this.content, reasoningContent: this.reasoning, toolCalls, finishReason: this.finishReason, usage: this.usage };
  }
}

export function assembleStream(chunks: Iterable<StreamChunk>): AssembledMessage {
  const assembler = new StreamAssembler();
  for (const chunk of chunks) assembler.push(chunk);
  return assembler.result();
}
