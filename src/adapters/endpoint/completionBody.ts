/**
 * A non-streamed Chat Completions body (`chat.completion`) read into the same AssembledMessage a
 * stream gives, checking its shape: it comes from outside the program, and a wrong base URL
 * easily answers 200 with a web page.
 */
import type { AssembledMessage, AssembledToolCall, Usage } from '../../core/agent/streamAssembler';
import type { CallTransport } from './callTransport';
import { endpointError, isRecord, messageOf, plainText, shorten, statusError, statusInPayload } from './endpointFailures';

/** "text/html: <title>" — what came instead of the expected body. */
export function describeBody(t: Pick<CallTransport, 'contentType' | 'head'>): string {
  const head = shorten(plainText(t.head), 200);
  return `${t.contentType || 'no content type'}${head ? `: ${head}` : ', empty body'}`;
}

export function completionToMessage(body: unknown, t: Pick<CallTransport, 'contentType' | 'head'>): AssembledMessage {
  if (!isRecord(body)) throw endpointError('bad-response', `expected a JSON chat.completion, got ${describeBody(t)}`);
  if (body.object === 'error' || isRecord(body.error)) {
    const status = statusInPayload(isRecord(body.error) ? body.error : body);
    throw status !== null ? statusError(status, messageOf(body), null) : endpointError('server', messageOf(body));
  }
  const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
  const message = isRecord(choice) ? choice.message : undefined;
  if (!isRecord(choice) || !isRecord(message)) throw endpointError('bad-response', `no choices[0].message in ${describeBody(t)}`);
  return {
    content: textOf(message.content),
    // vLLM's reasoning parser: `reasoning_content` in older versions, `reasoning` in newer ones.
    reasoningContent: textOf(message.reasoning_content) || textOf(message.reasoning),
    toolCalls: Array.isArray(message.tool_calls) ? message.tool_calls.flatMap(toolCall) : [],
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
    usage: usageOf(body.usage),
  };
}

/** A string, or (some servers) an array of `{type: "text", text}` parts. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return '';
  return value.map((part: unknown) => (isRecord(part) && typeof part.text === 'string' ? part.text : '')).join('');
}

function toolCall(value: unknown): AssembledToolCall[] {
  if (!isRecord(value) || !isRecord(value.function)) return [];
  const { name, arguments: args } = value.function;
  return [
    {
      id: typeof value.id === 'string' ? value.id : '',
      name: typeof name === 'string' ? name : '',
      // Always a JSON string on the wire; a server that sends the object gets it re-serialised.
      arguments: typeof args === 'string' ? args : args === undefined ? '' : JSON.stringify(args),
    },
  ];
}

function usageOf(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const { prompt_tokens: prompt, completion_tokens: completion, total_tokens: total } = value;
  if (typeof prompt !== 'number' || typeof completion !== 'number') return null;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: typeof total === 'number' ? total : prompt + completion };
}
