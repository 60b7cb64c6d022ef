import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { member, parseJson, type JsonNode } from './jsonSource';

/** The plain value of a node, to compare with JSON.parse. */
function plain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'null':
      return null;
    case 'boolean':
    case 'number':
    case 'string':
      return node.value;
    case 'array':
      return node.items.map(plain);
    case 'object':
      return Object.fromEntries(node.entries.map(([k, v]) => [k, plain(v)]));
  }
}

describe('parseJson', () => {
  it('agrees with JSON.parse on any JSON text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const parsed = parseJson(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(plain(parsed.node)).toEqual(JSON.parse(text));
      }),
    );
  });

  it('rejects what JSON.parse rejects, without throwing', () => {
    for (const bad of ['', '{', '{"a":1,}', "{'a': 1}", '[1 2]', 'NaN', 'Infinity', '01', '-', '"\\x"', '"a\nb"', '{"a" 1}', 'tru', '1 2', '{"a":1}}']) {
      expect(() => JSON.parse(bad)).toThrow();
      const parsed = parseJson(bad);
      expect(parsed.ok).toBe(false);
    }
    expect(parseJson('{"a": [1, 2').ok).toBe(false);
    expect(parseJson('['.repeat(10_000)).ok).toBe(false);
  });

  it('says where it failed', () => {
    expect(parseJson('{"a": x}')).toEqual({ ok: false, error: 'Expected a value at position 6' });
    expect(parseJson('{"a": 1')).toEqual({ ok: false, error: "Expected ',' or '}' at end of input" });
  });

  it('keeps number literals and spans', () => {
    const parsed = parseJson(' {"a": 5, "b": 5.0, "c": -1e2, "a": [true]} ');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const text = ' {"a": 5, "b": 5.0, "c": -1e2, "a": [true]} ';
    expect(text.slice(parsed.node.start, parsed.node.end)).toBe('{"a": 5, "b": 5.0, "c": -1e2, "a": [true]}');
    expect(member(parsed.node, 'b')).toMatchObject({ kind: 'number', value: 5, raw: '5.0', integer: false });
    expect(member(parsed.node, 'c')).toMatchObject({ kind: 'number', value: -100, raw: '-1e2', integer: false });
    // Duplicate keys: the last wins, as in Python and JSON.parse.
    expect(member(parsed.node, 'a')?.kind).toBe('array');
    expect(member(parsed.node, 'zz')).toBeUndefined();
    const five = parseJson('5');
    expect(five.ok && five.node).toMatchObject({ kind: 'number', raw: '5', integer: true });
  });

  it('decodes escapes', () => {
    const parsed = parseJson('"a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"');
    expect(parsed.ok && parsed.node.kind === 'string' && parsed.node.value).toBe('a"b\\c/d\né😀');
  });
});
