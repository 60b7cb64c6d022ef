/**
 * The checks a vLLM server (with `--enable-auto-tool-choice --tool-call-parser hermes`) makes
 * before it runs a chat request, plus a few the protocol makes exact (the tool schemas, role
 * order, data-URL images), each failing with a 400 (404 for an unknown model) whose message says
 * which field is wrong. A real vLLM is more lenient in places (it takes any tool schema or a system
 * message); the double is strict there on purpose, so that a client drifting from the contract
 * fails in tests rather than quietly against a real model.
 */
import { parseImageUrl } from './images';
import { TOOL_SCHEMAS, type ToolName } from './protocolText';
import type { ChatRequestView, MessageView, PartView, Role, ToolCallView } from './types';

export type Validation =
  | { readonly ok: true; readonly request: ChatRequestView; readonly imagePayloads: ReadonlyMap<string, StoredImage> }
  | { readonly ok: false; readonly status: 400 | 404; readonly type: string; readonly message: string };

class Invalid extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
    readonly type = 'BadRequestError',
  ) {
    super(message);
  }
}

/** An image's bytes and content hash, by `"<message>:<part>"`. */
export interface StoredImage {
  readonly key: string;
  readonly payload: Buffer;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
}

function parts(where: string, content: unknown, images: Map<string, StoredImage>, m: number, allowImages: boolean): PartView[] {
  if (!Array.isArray(content)) throw new Invalid(`${where}.content must be a string or an array of content parts, got ${describe(content)}`);
  return content.map((part: unknown, p): PartView => {
    const at = `${where}.content[${p}]`;
    if (!isObject(part)) throw new Invalid(`${at} must be an object, got ${describe(part)}`);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') throw new Invalid(`${at}.text must be a string, got ${describe(part.text)}`);
      return { type: 'text', text: part.text };
    }
    if (part.type === 'image_url') {
      if (!allowImages) throw new Invalid(`${at}: image parts are not allowed in this message`);
      const url = isObject(part.image_url) ? part.image_url.url : undefined;
      if (typeof url !== 'string') throw new Invalid(`${at}.image_url.url must be a string`);
      const parsed = parseImageUrl(url);
      if (!parsed.ok) throw new Invalid(`${at}: ${parsed.error}`);
      images.set(`${m}:${p}`, { key: parsed.key, payload: parsed.payload });
      return { type: 'image', image: parsed.info };
    }
    throw new Invalid(`${at}.type must be "text" or "image_url", got ${JSON.stringify(part.type)}`);
  });
}

function toolCalls(where: string, value: unknown): ToolCallView[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length === 0) throw new Invalid(`${where}.tool_calls must be a non-empty array when present`);
  const calls = value.map((call: unknown, c): ToolCallView => {
    const at = `${where}.tool_calls[${c}]`;
    if (!isObject(call)) throw new Invalid(`${at} must be an object`);
    if (typeof call.id !== 'string' || call.id === '') throw new Invalid(`${at}.id must be a non-empty string`);
    if (call.type !== 'function') throw new Invalid(`${at}.type must be "function", got ${JSON.stringify(call.type)}`);
    const fn = call.function;
    if (!isObject(fn) || typeof fn.name !== 'string') throw new Invalid(`${at}.function.name must be a string`);
    if (typeof fn.arguments !== 'string') throw new Invalid(`${at}.function.arguments must be a string (JSON text), got ${describe(fn.arguments)}`);
    return { id: call.id, name: fn.name, arguments: fn.arguments };
  });
  const ids = calls.map((c) => c.id);
  if (new Set(ids).size !== ids.length) throw new Invalid(`${where}.tool_calls has duplicate ids`);
  return calls;
}

function message(raw: unknown, m: number, images: Map<string, StoredImage>): MessageView {
  const where = `messages[${m}]`;
  if (!isObject(raw)) throw new Invalid(`${where} must be an object, got ${describe(raw)}`);
  const role = raw.role;
  if (role === 'system') throw new Invalid(`${where}: the VideoSeeker protocol sends no system message (SYSTEM_PROMPT is part of USER_TEXT, §2.2)`);
  if (role !== 'user' && role !== 'assistant' && role !== 'tool') throw new Invalid(`${where}.role must be "user", "assistant" or "tool", got ${JSON.stringify(role)}`);
  const content = raw.content;
  const stringContent = typeof content === 'string';
  const asParts = (allowImages: boolean): PartView[] => (stringContent ? [{ type: 'text', text: content }] : parts(where, content, images, m, allowImages));
  if (role === 'assistant') {
    const calls = toolCalls(where, raw.tool_calls);
    if ((content === undefined || content === null) && calls.length === 0) throw new Invalid(`${where}: an assistant message needs content or tool_calls`);
    return { role, parts: content === undefined || content === null ? [] : asParts(false), stringContent, toolCalls: calls, toolCallId: null };
  }
  if (content === undefined || content === null) throw new Invalid(`${where}.content is required for role "${role}"`);
  if (role === 'tool') {
    if (typeof raw.tool_call_id !== 'string') throw new Invalid(`${where}.tool_call_id must be a string`);
    return { role, parts: asParts(true), stringContent, toolCalls: [], toolCallId: raw.tool_call_id };
  }
  return { role, parts: asParts(true), stringContent, toolCalls: [], toolCallId: null };
}

/** user first; after an assistant with tool_calls, one tool message per call, in call order. */
function checkOrder(messages: readonly MessageView[]): void {
  if (messages[0]?.role !== 'user') throw new Invalid(`messages[0].role must be "user", got ${JSON.stringify(messages[0]?.role)}`);
  let pending: string[] = [];
  let previous: Role = 'user';
  for (let m = 1; m < messages.length; m++) {
    const msg = messages[m]!;
    const where = `messages[${m}]`;
    if (pending.length > 0) {
      if (msg.role !== 'tool') throw new Invalid(`${where}: expected a "tool" message for tool call ${pending[0]}, got role "${msg.role}" (every tool call needs exactly one tool message, in order)`);
      if (msg.toolCallId !== pending[0]) throw new Invalid(`${where}.tool_call_id ${JSON.stringify(msg.toolCallId)} does not match the next pending tool call id ${JSON.stringify(pending[0])}`);
      pending = pending.slice(1);
    } else if (msg.role === 'tool') {
      throw new Invalid(`${where}: a "tool" message (tool_call_id ${JSON.stringify(msg.toolCallId)}) without a pending tool call of the previous assistant message`);
    } else if (msg.role === previous) {
      throw new Invalid(`${where}: two "${msg.role}" messages in a row`);
    } else if (msg.role === 'user' && previous === 'tool') {
      throw new Invalid(`${where}: a "user" message right after tool results; the next message must be the assistant's`);
    }
    if (msg.role === 'assistant') pending = msg.toolCalls.map((c) => c.id);
    previous = msg.role;
  }
  if (pending.length > 0) throw new Invalid(`missing "tool" message(s) for tool call id(s) ${pending.join(', ')}`);
  if (previous === 'assistant') throw new Invalid('the last message is the assistant\'s; a request must end with a "user" or "tool" message');
}

function tools(body: Json): ToolName[] {
  if (body.tools === undefined || body.tools === null) {
    if (body.tool_choice !== undefined && body.tool_choice !== null && body.tool_choice !== 'none') throw new Invalid('When using `tool_choice`, `tools` must be set.');
    return [];
  }
  if (!Array.isArray(body.tools) || body.tools.length === 0) throw new Invalid('tools must be a non-empty array when present (omit it outside tool mode)');
  const names = body.tools.map((tool: unknown, t): ToolName => {
    const entry = Object.entries(TOOL_SCHEMAS).find(([, schema]) => deepEqual(tool, schema));
    if (entry === undefined) {
      const name = isObject(tool) && isObject(tool.function) ? JSON.stringify(tool.function.name) : '?';
      throw new Invalid(`tools[${t}] (name ${name}) is not exactly one of the protocol's tool schemas (view_visual_prompt, crop_video; §2.3)`);
    }
    return entry[0] as ToolName;
  });
  if (new Set(names).size !== names.length) throw new Invalid('tools lists the same tool twice');
  if (body.tool_choice !== 'auto') throw new Invalid(`tool_choice must be "auto" with tools (the server runs --enable-auto-tool-choice), got ${JSON.stringify(body.tool_choice)}`);
  return names;
}

/** What the double checks beyond vLLM's defaults. */
export interface ValidationOptions {
  /**
   * Refuse `stream_options`, which the protocol's request body does not list, as a strict
   * OpenAI-compatible server does: FastAPI with `extra="forbid"` answers 400 naming the field
   * (pydantic's message). vLLM itself takes it.
   */
  readonly rejectStreamOptions?: boolean;
}

function numbers(body: Json): void {
  for (const key of ['max_tokens', 'max_completion_tokens']) {
    const v = body[key];
    if (v !== undefined && v !== null && !(Number.isInteger(v) && (v as number) >= 1)) throw new Invalid(`${key} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  const t = body.temperature;
  if (t !== undefined && t !== null && !(typeof t === 'number' && t >= 0 && t <= 2)) throw new Invalid(`temperature must be a number in [0, 2], got ${JSON.stringify(t)}`);
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw new Invalid(`stream must be a boolean, got ${JSON.stringify(body.stream)}`);
  if (body.stream_options !== undefined && body.stream_options !== null) {
    if (body.stream !== true) throw new Invalid('Stream options can only be defined when `stream=True`.');
    if (!isObject(body.stream_options)) throw new Invalid('stream_options must be an object');
  }
}

export function validateChatRequest(bodyText: string, knownModels: readonly string[], options: ValidationOptions = {}): Validation {
  try {
    let body: unknown;
    try {
      body = JSON.parse(bodyText);
    } catch (e) {
      throw new Invalid(`JSON decode error: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!isObject(body)) throw new Invalid(`The request body must be a JSON object, got ${describe(body)}`);
    const model = body.model ?? null;
    if (model !== null && typeof model !== 'string') throw new Invalid(`model must be a string, got ${describe(model)}`);
    if (model !== null && !knownModels.includes(model)) throw new Invalid(`The model \`${model}\` does not exist.`, 404, 'NotFoundError');
    if (!Array.isArray(body.messages) || body.messages.length === 0) throw new Invalid('messages must be a non-empty array');
    const images = new Map<string, StoredImage>();
    const messages = body.messages.map((raw: unknown, m) => message(raw, m, images));
    checkOrder(messages);
    const toolNames = tools(body);
    numbers(body);
    if (options.rejectStreamOptions === true && body.stream_options !== undefined) {
      throw new Invalid(
        `1 validation error for ChatCompletionRequest\nstream_options\n  Extra inputs are not permitted [type=extra_forbidden, input_value=${JSON.stringify(body.stream_options)}, input_type=dict]`,
      );
    }
    const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;
    return { ok: true, request: { model, stream: body.stream === true, includeUsage, tools: toolNames, messages }, imagePayloads: images };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, status: e.status, type: e.type, message: e.message };
    throw e;
  }
}
