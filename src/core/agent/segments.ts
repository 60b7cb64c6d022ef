/**
 * Splits model text into what the trajectory view shows differently: `<think>` blocks (collapsible),
 * `<tool_call>` blocks written in text, the `<answer>`, and plain text around them. Works on a
 * stream cut anywhere: an unclosed block runs to the end and is marked open, and a tag cut in
 * half at the end is held back rather than shown as text.
 */

export type SegmentKind = 'text' | 'think' | 'tool_call' | 'answer';

export interface Segment {
  readonly kind: SegmentKind;
  readonly text: string;
  /** False while the closing tag has not arrived (still streaming, or the model never closed it). */
  readonly closed: boolean;
}

const TAGS = ['think', 'tool_call', 'answer'] as const;
const OPEN = /<(think|tool_call|answer)>/g;

/** Length of a suffix of `text` that is the start of some tag ("<thi"), to hold back while streaming. */
function partialTagSuffix(text: string, tags: readonly string[]): number {
  const lt = text.lastIndexOf('<');
  if (lt < 0) return 0;
  const tail = text.slice(lt);
  return tags.some((t) => t.startsWith(tail) && t !== tail) ? tail.length : 0;
}

export function splitSegments(text: string, streaming = false): Segment[] {
  const out: Segment[] = [];
  const pushText = (s: string): void => {
    if (s.trim() !== '') out.push({ kind: 'text', text: s.trim(), closed: true });
  };
  let pos = 0;
  OPEN.lastIndex = 0;
  for (;;) {
    OPEN.lastIndex = pos;
    const m = OPEN.exec(text);
    if (!m) break;
    pushText(text.slice(pos, m.index));
    const kind = m[1] as (typeof TAGS)[number];
    const bodyStart = m.index + m[0].length;
    const closeTag = `</${kind}>`;
    const close = text.indexOf(closeTag, bodyStart);
    if (close < 0) {
      let body = text.slice(bodyStart);
      if (streaming) body = body.slice(0, body.length - partialTagSuffix(body, [closeTag]));
      out.push({ kind, text: body.trim(), closed: false });
      return out;
    }
    out.push({ kind, text: text.slice(bodyStart, close).trim(), closed: true });
    pos = close + closeTag.length;
  }
  let rest = text.slice(pos);
  if (streaming) rest = rest.slice(0, rest.length - partialTagSuffix(rest, TAGS.map((t) => `<${t}>`)));
  pushText(rest);
  return out;
}
