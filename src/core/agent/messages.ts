/**
 * The OpenAI Chat Completions messages of a VideoSeeker query (protocol §2.1 and §2.4), as plain
 * JSON-ready objects: the first user message (labelled frames, then USER_TEXT), the assistant
 * turn that called tools, and the tool results. Snake_case fields are the wire format.
 */
import { timeLabel } from './sampling';
import { toolFailureText, TOOL_SUCCESS_TEXT, type ToolSchema } from './tools';

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

export interface ImagePart {
  readonly type: 'image_url';
  /** Usually a data URL (`data:image/jpeg;base64,...`). */
  readonly image_url: { readonly url: string };
}

export type ContentPart = TextPart | ImagePart;

export interface UserMessage {
  readonly role: 'user';
  readonly content: readonly ContentPart[];
}

export interface ChatToolCall {
  readonly id: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface AssistantMessage {
  readonly role: 'assistant';
  readonly content: string;
  readonly tool_calls?: readonly ChatToolCall[];
}

export interface ToolMessage {
  readonly role: 'tool';
  readonly tool_call_id: string;
  readonly content: readonly ContentPart[];
}

export type ChatMessage = UserMessage | AssistantMessage | ToolMessage;

/** A sampled frame ready to send: its real time and its encoded image. */
export interface EncodedFrame {
  readonly timeS: number;
  readonly url: string;
}

export function textPart(text: string): TextPart {
  return { type: 'text', text };
}

export function imagePart(url: string): ImagePart {
  return { type: 'image_url', image_url: { url } };
}

/** Each frame as its `<t seconds>` label then its image, in order. */
export function frameParts(frames: readonly EncodedFrame[]): ContentPart[] {
  return frames.flatMap((f) => [textPart(timeLabel(f.timeS)), imagePart(f.url)]);
}

/** The first user message: the labelled frames of the whole video, then USER_TEXT. */
export function firstUserMessage(frames: readonly EncodedFrame[], userText: string): UserMessage {
  return { role: 'user', content: [...frameParts(frames), textPart(userText)] };
}

/** A tool call as the assistant made it; `arguments` is the raw JSON string. */
export interface ToolCallRecord {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

/** The assistant turn that called tools, appended before their results (content null becomes ""). */
export function assistantToolCallMessage(content: string | null, calls: readonly ToolCallRecord[]): AssistantMessage {
  return {
    role: 'assistant',
    content: content ?? '',
    tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
  };
}

/** The final assistant turn (no tool calls), for keeping a conversation going. */
export function assistantMessage(content: string | null): AssistantMessage {
  return { role: 'assistant', content: content ?? '' };
}

/**
 * A successful tool result: the tool's parts (one image for view_visual_prompt; labelled frames,
 * see frameParts, for crop_video), then the success sentence.
 */
export function toolSuccessMessage(toolCallId: string, parts: readonly ContentPart[]): ToolMessage {
  return { role: 'tool', tool_call_id: toolCallId, content: [...parts, textPart(TOOL_SUCCESS_TEXT)] };
}

/** A failed tool call: only "Tool execution failed: <message>". */
export function toolFailureMessage(toolCallId: string, message: string): ToolMessage {
  return { role: 'tool', tool_call_id: toolCallId, content: [textPart(toolFailureText(message))] };
}

export const MAX_TOKENS = 8192;
/** At most this many tool rounds, so at most MAX_TOOL_ROUNDS + 1 model calls per query. */
export const MAX_TOOL_ROUNDS = 5;

export interface ChatRequest {
  readonly model: string;
  readonly messages: readonly ChatMessage[];
  readonly max_tokens: number;
  readonly temperature: number;
  readonly stream?: boolean;
  readonly tools?: readonly ToolSchema[];
  readonly tool_choice?: 'auto';
}

/** What a client may change in the request body; the protocol's values (§2) when absent. */
export interface ChatRequestOptions {
  /** `max_tokens`; 8192 by default. */
  readonly maxTokens?: number;
  /** `temperature`; 0 by default. */
  readonly temperature?: number;
}

/** The request body of every round; `tools` and `tool_choice` only when tools are offered. */
export function chatRequest(model: string, messages: readonly ChatMessage[], tools: readonly ToolSchema[], stream = false, options: ChatRequestOptions = {}): ChatRequest {
  return {
    model,
    messages,
    max_tokens: options.maxTokens ?? MAX_TOKENS,
    temperature: options.temperature ?? 0,
    ...(stream ? { stream: true } : {}),
    ...(tools.length > 0 ? { tools, tool_choice: 'auto' as const } : {}),
  };
}
