/**
 * A strict JSON parser (RFC 8259, what JSON.parse accepts) that keeps what JSON.parse throws
 * away: how each number was written and where each value sits in the text. Tool arguments need
 * both: Python's `json.loads` makes `5` an int and `5.0` a float, and the tool's error messages
 * print them differently ("5" vs "5.0"); and the arguments of a tool call written inside a
 * `<tool_call>` block are passed on as their exact source text. Never throws.
 */

interface Span {
  /** Offsets into the parsed text: the value is text.slice(start, end). */
  readonly start: number;
  readonly end: number;
}

export type JsonNode =
  | (Span & { readonly kind: 'null' })
  | (Span & { readonly kind: 'boolean'; readonly value: boolean })
  | (Span & { readonly kind: 'number'; readonly value: number; readonly raw: string; readonly integer: boolean })
  | (Span & { readonly kind: 'string'; readonly value: string })
  | (Span & { readonly kind: 'array'; readonly items: readonly JsonNode[] })
  | (Span & { readonly kind: 'object'; readonly entries: readonly (readonly [string, JsonNode])[] });

export type JsonParse = { readonly ok: true; readonly node: JsonNode } | { readonly ok: false; readonly error: string };

/** Deeper nesting is refused rather than risking the stack (Python's json stops near 1000 too). */
const MAX_DEPTH = 500;

const ESCAPES = new Map([['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['f', '\f'], ['n', '\n'], ['r', '\r'], ['t', '\t']]);
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class JsonSyntaxError extends Error {}

export function parseJson(text: string): JsonParse {
  let pos = 0;

  const fail = (what: string): never => {
    throw new JsonSyntaxError(pos >= text.length ? `${what} at end of input` : `${what} at position ${pos}`);
  };
  const skipSpace = (): void => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (literal: string): void => {
    if (!text.startsWith(literal, pos)) fail(`Expected '${literal}'`);
    pos += literal.length;
  };

  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('Unterminated string');
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return out;
      }
      if (c < ' ') fail('Control character in string');
      if (c !== '\\') {
        out += c;
        pos++;
        continue;
      }
      const e = text[pos + 1];
      const simple = e === undefined ? undefined : ESCAPES.get(e);
      if (simple !== undefined) {
        out += simple;
        pos += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
        out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        fail('Invalid escape in string');
      }
    }
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail('Nesting too deep');
    skipSpace();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const entries: (readonly [string, JsonNode])[] = [];
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', entries, start, end: pos };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail('Expected a property name in double quotes');
        const key = parseString();
        skipSpace();
        expect(':');
        entries.push([key, parseValue(depth + 1)]);
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === '}') {
          pos++;
          return { kind: 'object', entries, start, end: pos };
        } else fail("Expected ',' or '}'");
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items, start, end: pos };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') pos++;
        else if (text[pos] === ']') {
          pos++;
          return { kind: 'array', items, start, end: pos };
        } else fail("Expected ',' or ']'");
      }
    }
    if (c === '"') {
      const value = parseString();
      return { kind: 'string', value, start, end: pos };
    }
    NUMBER.lastIndex = pos;
    const number = NUMBER.exec(text);
    if (number) {
      pos += number[0].length;
      const raw = number[0];
      return { kind: 'number', value: Number(raw), raw, integer: number[1] === undefined && number[2] === undefined, start, end: pos };
    }
    for (const [literal, node] of [
      ['true', { kind: 'boolean', value: true }],
      ['false', { kind: 'boolean', value: false }],
      ['null', { kind: 'null' }],
    ] as const) {
      if (text.startsWith(literal, pos)) {
        pos += literal.length;
        return { ...node, start, end: pos };
      }
    }
    return fail('Expected a value');
  };

  try {
    const node = parseValue(0);
    skipSpace();
    if (pos < text.length) fail('Unexpected text after the value');
    return { ok: true, node };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
}

/** An object's member; with duplicate keys the last one wins, as in Python and JSON.parse. */
export function member(node: JsonNode, key: string): JsonNode | undefined {
  if (node.kind !== 'object') return undefined;
  let found: JsonNode | undefined;
  for (const [k, v] of node.entries) if (k === key) found = v;
  return found;
}
