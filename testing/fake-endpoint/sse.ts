/**
 * Writing a completion the way vLLM does: one `chat.completion` JSON body, or a Server-Sent Events
 * stream of `chat.completion.chunk`s ending in `data: [DONE]`. Tool calls stream like vLLM's
 * hermes parser: the first delta of a call carries index, id, type and function.name, later
 * deltas append fragments of function.arguments (§2). Content is cut into word-sized pieces so a
 * client sees many small deltas, as with a real model.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Completion } from './scripts';

export interface Usage {
  readonly prompt_tokens: number;
  readonly completion_tokens: number;
  readonly total_tokens: number;
}

export interface CompletionMeta {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

export const newMeta = (model: string): CompletionMeta => ({ id: `chatcmpl-${randomBytes(16).toString('hex')}`, created: Math.floor(Date.now() / 1000), model });

/** The non-streamed body; vLLM always includes usage there. */
export function completionBody(c: Completion, meta: CompletionMeta, usage: Usage): object {
  const toolCalls = c.toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.arguments } }));
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: { role: 'assistant', content: c.content, tool_calls: toolCalls, reasoning_content: null }, logprobs: null, finish_reason: c.finishReason, stop_reason: null }],
    usage,
  };
}

function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The `choices[0]` of every chunk, in order (without the usage-only chunk). */
export function chunkChoices(c: Completion): object[] {
  const choice = (delta: object, finish: string | null = null): object => ({ index: 0, delta, logprobs: null, finish_reason: finish, ...(finish !== null ? { stop_reason: null } : {}) });
  const out = [choice({ role: 'assistant', content: '' })];
  for (const word of (c.content ?? '').match(/\s*\S+\s*/g) ?? []) out.push(choice({ content: word }));
  c.toolCalls.forEach((t, index) => {
    out.push(choice({ tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name } }] }));
    for (const fragment of pieces(t.arguments, 16)) out.push(choice({ tool_calls: [{ index, function: { arguments: fragment } }] }));
  });
  out.push(choice({}, c.finishReason));
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface StreamOptions {
  readonly delayMs: number;
  /** Send `usage` in a last chunk (stream_options.include_usage). */
  readonly usage: Usage | null;
  /** Stop after this many chunks and kill the connection (truncated-stream). */
  readonly truncate?: { readonly afterChunks: number; readonly mode: 'destroy' | 'end' };
}

/** Streams the completion; resolves early (quietly) when the client goes away, as on cancel. */
export async function streamCompletion(res: ServerResponse, c: Completion, meta: CompletionMeta, options: StreamOptions): Promise<'done' | 'client-gone' | 'truncated'> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
  res.flushHeaders();
  const head = { id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.model };
  const events = chunkChoices(c).map((choice) => JSON.stringify({ ...head, choices: [choice] }));
  if (options.usage !== null) events.push(JSON.stringify({ ...head, choices: [], usage: options.usage }));
  events.push('[DONE]');
  for (let i = 0; i < events.length; i++) {
    if (options.truncate !== undefined && i === options.truncate.afterChunks) {
      // Mid-stream death: no finish_reason, no [DONE]. 'destroy' also breaks the chunked encoding.
      // The pause lets the chunks already written reach the client first.
      await sleep(Math.max(options.delayMs, 20));
      if (options.truncate.mode === 'destroy') res.socket?.destroy();
      else res.end();
      return 'truncated';
    }
    if (i > 0 && options.delayMs > 0) await sleep(options.delayMs);
    if (res.destroyed || res.writableEnded) return 'client-gone';
    res.write(`data: ${events[i]}\n\n`);
  }
  res.end();
  return 'done';
}

/** The whole body at once, after the time the stream would have taken. */
export async function sendCompletionJson(res: ServerResponse, c: Completion, meta: CompletionMeta, usage: Usage, delayMs: number, truncate: boolean): Promise<void> {
  const chunks = chunkChoices(c).length;
  if (delayMs > 0) await sleep(Math.min(delayMs * chunks, 30_000));
  if (res.destroyed) return;
  const body = Buffer.from(JSON.stringify(completionBody(c, meta, usage)));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
  if (truncate) {
    // Half the promised bytes, then the connection dies.
    res.write(body.subarray(0, Math.floor(body.length / 2)));
    setTimeout(() => res.socket?.destroy(), 10);
    return;
  }
  res.end(body);
}
