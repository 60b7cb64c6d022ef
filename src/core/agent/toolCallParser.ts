/**
 * Tool calls written in the text itself: when the server has no tool-call parser, the model's
 * `<tool_call>\n{"name": ..., "arguments": {...}}\n</tool_call>` blocks arrive inside `content`
 * (protocol §2.4). This reads them as vLLM's hermes parser does, and renders them back the way
 * Qwen's chat template writes them (for a trajectory's full text). Never throws: a block that is
 * not a well-formed call is returned as an error with its raw text.
 */
import { member, parseJson } from './jsonSource';

export type ParsedToolCall =
  | {
      readonly ok: true;
      readonly name: string;
      /** The arguments as a JSON string: the object's exact source text, or the string's value. */
      readonly arguments: string;
      readonly raw: string;
    }
  | { readonly ok: false; readonly error: string; readonly raw: string };

export interface ParsedToolCalls {
  readonly calls: readonly ParsedToolCall[];
  /** The text with the blocks removed, trimmed: what a tool parser would leave as `content`. */
  readonly content: string;
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/**
 * Every `<tool_call>...</tool_call>` block, in order. As in vLLM's hermes parser, a last block
 * left unclosed (generation stopped at the closing tag, or ran out of tokens) still counts.
 * `arguments` may be an object or a JSON string holding one; a missing `arguments` counts as `{}`.
 */
export function parseToolCalls(text: string): ParsedToolCalls {
  const calls: ParsedToolCall[] = [];
  let content = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) break;
    content += text.slice(pos, open);
    const bodyStart = open + OPEN.length;
    const close = text.indexOf(CLOSE, bodyStart);
    const raw = text.slice(bodyStart, close < 0 ? text.length : close);
    calls.push(parseCall(raw));
    pos = close < 0 ? text.length : close + CLOSE.length;
  }
  content += text.slice(pos);
  return { calls, content: content.trim() };
}

function parseCall(raw: string): ParsedToolCall {
  const parsed = parseJson(raw.trim());
  if (!parsed.ok) return { ok: false, error: `Tool call is not valid JSON: ${parsed.error}`, raw };
  const node = parsed.node;
  if (node.kind !== 'object') return { ok: false, error: `Tool call must be a JSON object, got ${node.kind}`, raw };
  const name = member(node, 'name');
  if (name?.kind !== 'string') return { ok: false, error: 'Tool call has no "name" string', raw };
  const args = member(node, 'arguments');
  if (args === undefined) return { ok: true, name: name.value, arguments: '{}', raw };
  if (args.kind === 'string') return { ok: true, name: name.value, arguments: args.value, raw };
  if (args.kind === 'object') return { ok: true, name: name.value, arguments: raw.trim().slice(args.start, args.end), raw };
  return { ok: false, error: `Tool call "arguments" must be an object, got ${args.kind}`, raw };
}

/**
 * A call as Qwen's chat template renders it into the conversation:
 * `<tool_call>\n{"name": "<name>", "arguments": <arguments>}\n</tool_call>`.
 */
export function renderToolCall(name: string, args: string): string {
  return `${OPEN}\n{"name": ${JSON.stringify(name)}, "arguments": ${args}}\n${CLOSE}`;
}
