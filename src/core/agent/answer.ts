/**
 * Reading the model's answer and checking its format (protocol §2.5). The model writes
 * `<think>...</think>`, then `<tool_call>...</tool_call>` blocks each followed by another
 * `<think>`, and ends with `<answer>...</answer>`.
 */
import { renderToolCall } from './toolCallParser';

const CHOICE = /<answer>\s*([A-Da-d])/;

/** Multiple choice: the first `<answer>\s*([A-Da-d])`, upper-cased; '' if there is none. */
export function extractChoice(response: string): string {
  return CHOICE.exec(response)?.[1]?.toUpperCase() ?? '';
}

/**
 * Open-ended: the text between the last `<answer>` and the `</answer>` after it, trimmed; '' with
 * no `<answer>`. An unclosed last `<answer>` yields the rest of the text: a server whose stop
 * strings include `</answer>` leaves the closing tag out.
 */
export function extractOpenAnswer(response: string): string {
  const open = response.lastIndexOf('<answer>');
  if (open < 0) return '';
  const start = open + '<answer>'.length;
  const close = response.indexOf('</answer>', start);
  return response.slice(start, close < 0 ? undefined : close).trim();
}

/** Direct mode: the whole response, trimmed. */
export function extractDirect(response: string): string {
  return response.trim();
}

export interface FormatCheck {
  readonly ok: boolean;
  /** Why not, naming the first offending place; 'Well formed' when ok. */
  readonly reason: string;
}

const WELL_FORMED: FormatCheck = { ok: true, reason: 'Well formed' };

const NO_TOOLS_FORMAT = /^\s*<think>.*?<\/think>\s*<answer>.*?<\/answer>\s*$/s;

/**
 * Whether a response is well formed.
 *
 * Without tools: the doc's regex `^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*$` (dotall),
 * as given; its lazy `.*?` still stretches over other tags, so e.g. a tool call inside the think
 * span passes.
 *
 * With tools: the whole trajectory (see trajectoryText) must be, block by block,
 * `think (tool_call think)* answer`, with only whitespace between blocks and no tag inside a
 * block; so two calls in a row without a `<think>` between them are not well formed.
 */
export function checkFormat(response: string, withTools: boolean): FormatCheck {
  if (!withTools) {
    if (NO_TOOLS_FORMAT.test(response)) return WELL_FORMED;
    return { ok: false, reason: `Expected <think>...</think> then <answer>...</answer> and nothing else; ${describeTags(response)}` };
  }
  return checkToolTrajectory(response);
}

/** One model response of a query: its content and the tool calls the server parsed out of it. */
export interface RoundText {
  readonly content: string;
  /** Empty when the server has no tool parser (the blocks are then still in `content`). */
  readonly toolCalls: readonly { readonly name: string; readonly arguments: string }[];
}

/**
 * The text the model actually generated over all rounds, joined by "\n": a server's tool parser
 * takes the `<tool_call>` blocks out of `content`, so they are written back (as Qwen's chat
 * template renders them) before the format is checked.
 */
export function trajectoryText(rounds: readonly RoundText[]): string {
  return rounds.map((r) => [r.content, ...r.toolCalls.map((c) => renderToolCall(c.name, c.arguments))].filter((s) => s !== '').join('\n')).join('\n');
}

type Tag = 'think' | 'tool_call' | 'answer';
const TAG = /<(\/?)(think|tool_call|answer)>/g;

/** The tag sequence, for a reason message: "found <think> </think> <answer>". */
function describeTags(text: string): string {
  const tags = [...text.matchAll(TAG)].map((m) => m[0]);
  return tags.length === 0 ? 'found no tags' : `found ${tags.join(' ')}`;
}

/** What may follow a closed block (null: the start). */
function allowedAfter(previous: Tag | null): readonly Tag[] {
  if (previous === null || previous === 'tool_call') return ['think'];
  if (previous === 'think') return ['tool_call', 'answer'];
  return [];
}

function checkToolTrajectory(text: string): FormatCheck {
  let previous: Tag | null = null;
  let pos = 0;
  const blocks = [...text.matchAll(TAG)];
  for (let i = 0; i < blocks.length; i++) {
    const m = blocks[i]!;
    const at = m.index;
    const between = text.slice(pos, at);
    if (between.trim() !== '') return { ok: false, reason: `Text outside the tags at ${pos}: "${excerpt(between)}"` };
    const tag = m[2] as Tag;
    if (m[1] === '/') return { ok: false, reason: `</${tag}> at ${at} closes nothing` };
    const allowed = allowedAfter(previous);
    if (!allowed.includes(tag)) {
      if (allowed.length === 0) return { ok: false, reason: `Nothing may follow </answer>, found <${tag}> at ${at}` };
      const expected = allowed.map((t) => `<${t}>`).join(' or ');
      return { ok: false, reason: `Expected ${expected}${previous === null ? ' first' : ` after </${previous}>`}, found <${tag}> at ${at}` };
    }
    // The block's body runs to the next tag, which must close it: no tags inside a block.
    const next = blocks[i + 1];
    if (!next || next[0] !== `</${tag}>`) return { ok: false, reason: `<${tag}> at ${at} is not closed before ${next ? `${next[0]} at ${next.index}` : 'the end'}` };
    pos = next.index + next[0].length;
    previous = tag;
    i++;
  }
  const rest = text.slice(pos);
  if (rest.trim() !== '') return { ok: false, reason: `Text outside the tags at ${pos}: "${excerpt(rest)}"` };
  if (previous !== 'answer') return { ok: false, reason: previous === null ? 'No <think> block' : `Missing <answer> after </${previous}>` };
  return WELL_FORMED;
}

function excerpt(s: string): string {
  const t = s.trim();
  return t.length > 40 ? `${t.slice(0, 40)}...` : t;
}
