import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitSegments } from './segments';

describe('splitSegments', () => {
  it('splits a full VideoSeeker response into its blocks', () => {
    const text = '<think>look at the man</think>\n<tool_call>\n{"name": "crop_video", "arguments": {}}\n</tool_call>\n<think>he walks</think><answer>B</answer>';
    expect(splitSegments(text)).toEqual([
      { kind: 'think', text: 'look at the man', closed: true },
      { kind: 'tool_call', text: '{"name": "crop_video", "arguments": {}}', closed: true },
      { kind: 'think', text: 'he walks', closed: true },
      { kind: 'answer', text: 'B', closed: true },
    ]);
  });

  it('keeps text outside tags and text without any tags', () => {
    expect(splitSegments('B. The man.')).toEqual([{ kind: 'text', text: 'B. The man.', closed: true }]);
    expect(splitSegments('so <answer>A</answer> done')).toEqual([
      { kind: 'text', text: 'so', closed: true },
      { kind: 'answer', text: 'A', closed: true },
      { kind: 'text', text: 'done', closed: true },
    ]);
  });

  it('marks an unclosed block as open and holds back a half-received tag while streaming', () => {
    expect(splitSegments('<think>he is walk')).toEqual([{ kind: 'think', text: 'he is walk', closed: false }]);
    expect(splitSegments('<think>he walks</thi', true)).toEqual([{ kind: 'think', text: 'he walks', closed: false }]);
    expect(splitSegments('<think>a</think> <ans', true)).toEqual([{ kind: 'think', text: 'a', closed: true }]);
    // Not streaming: the text is shown as it is.
    expect(splitSegments('<think>a</think> <ans')).toEqual([
      { kind: 'think', text: 'a', closed: true },
      { kind: 'text', text: '<ans', closed: true },
    ]);
  });

  it('never loses non-whitespace characters of a complete text (property)', () => {
    const piece = fc.oneof(fc.constantFrom('<think>', '</think>', '<answer>', '</answer>', '<tool_call>', '</tool_call>'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join('');
        const segs = splitSegments(text);
        const strip = (s: string): string => s.replace(/<\/?(think|answer|tool_call)>/g, '').replace(/\s+/g, '');
        expect(segs.map((s) => strip(s.text)).join('')).toBe(strip(text));
      }),
    );
  });
});
