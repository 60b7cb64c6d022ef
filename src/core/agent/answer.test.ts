import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkFormat, extractChoice, extractDirect, extractOpenAnswer, trajectoryText } from './answer';
import { renderToolCall } from './toolCallParser';

describe('answers', () => {
  it('reads the multiple-choice letter', () => {
    expect(extractChoice('<think>...</think><answer>B</answer>')).toBe('B');
    expect(extractChoice('<answer>\n  c) the red one</answer>')).toBe('C');
    expect(extractChoice('<answer>A</answer> then <answer>D</answer>')).toBe('A');
    expect(extractChoice('<answer>E</answer>')).toBe('');
    expect(extractChoice('The answer is B')).toBe('');
  });

  it('reads the open-ended answer from the last <answer>', () => {
    expect(extractOpenAnswer('<think>x</think><answer> first </answer><answer>\n It turns left.\n</answer>')).toBe('It turns left.');
    expect(extractOpenAnswer('<think>x</think><answer> cut off here')).toBe('cut off here');
    expect(extractOpenAnswer('no tags')).toBe('');
  });

  it('takes a direct answer whole', () => {
    expect(extractDirect('  B\n')).toBe('B');
  });
});

describe('checkFormat without tools', () => {
  it('applies the doc regex', () => {
    expect(checkFormat('<think>a\nb</think>\n<answer>C</answer>\n', false)).toEqual({ ok: true, reason: 'Well formed' });
    expect(checkFormat('<think>a</think>x<answer>C</answer>', false).ok).toBe(false);
    expect(checkFormat('<answer>C</answer>', false)).toEqual({ ok: false, reason: 'Expected <think>...</think> then <answer>...</answer> and nothing else; found <answer> </answer>' });
    expect(checkFormat('C', false).reason).toContain('found no tags');
    const call = renderToolCall('crop_video', '{}');
    // The regex is taken as the doc gives it: `.*?` still stretches over inner tags.
    expect(checkFormat(`<think>a</think>${call}<think>b</think><answer>C</answer>`, false).ok).toBe(true);
    expect(checkFormat('<think>a</think><answer>B</answer><answer>C</answer>', false).ok).toBe(true);
  });
});

describe('checkFormat with tools', () => {
  const call = renderToolCall('crop_video', '{"video_path": "clip.mp4", "start_time": 1, "end_time": 3}');

  it('accepts think (tool_call think)* answer', () => {
    expect(checkFormat('<think>a</think>\n<answer>B</answer>', true).ok).toBe(true);
    expect(checkFormat(`<think>a</think>\n${call}\n<think>b</think>\n${call}\n<think>c</think>\n<answer>B</answer>\n`, true).ok).toBe(true);
  });

  it('checks a trajectory whose calls the server parsed out of the content', () => {
    const rounds = [
      { content: '<think>I need the frames.</think>', toolCalls: [{ name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 1, "end_time": 3}' }] },
      { content: '<think>It is red.</think>\n<answer>A</answer>', toolCalls: [] },
    ];
    expect(trajectoryText(rounds)).toBe(`<think>I need the frames.</think>\n${call}\n<think>It is red.</think>\n<answer>A</answer>`);
    expect(checkFormat(trajectoryText(rounds), true).ok).toBe(true);
    // Without writing the calls back, the rounds' contents alone are not well formed.
    expect(checkFormat(rounds.map((r) => r.content).join('\n'), true).ok).toBe(false);
  });

  it('explains what is wrong', () => {
    expect(checkFormat('', true).reason).toBe('No <think> block');
    expect(checkFormat('<answer>B</answer>', true).reason).toBe('Expected <think> first, found <answer> at 0');
    expect(checkFormat(`<think>a</think>${call}${call}<think>b</think><answer>B</answer>`, true).reason).toMatch(/^Expected <think> after <\/tool_call>, found <tool_call> at \d+$/);
    expect(checkFormat(`<think>a</think>${call}<answer>B</answer>`, true).reason).toMatch(/^Expected <think> after <\/tool_call>, found <answer>/);
    expect(checkFormat('<think>a</think><answer>B</answer><answer>C</answer>', true).reason).toBe('Nothing may follow </answer>, found <answer> at 34');
    expect(checkFormat('<think>a</think>', true).reason).toBe('Missing <answer> after </think>');
    expect(checkFormat('<think>a</think>so<answer>B</answer>', true).reason).toBe('Text outside the tags at 16: "so"');
    expect(checkFormat('<think>a</think><answer>B</answer> bye', true).reason).toBe('Text outside the tags at 34: "bye"');
    expect(checkFormat('<think>a <answer>B</answer>', true).reason).toBe('<think> at 0 is not closed before <answer> at 9');
    expect(checkFormat('<think>a</think><answer>B', true).reason).toBe('<answer> at 16 is not closed before the end');
    expect(checkFormat('</think><answer>B</answer>', true).reason).toBe('</think> at 0 closes nothing');
  });

  it('accepts exactly the sequences of the pattern (property)', () => {
    const block = (tag: string) => fc.string({ maxLength: 8 }).filter((s) => !s.includes('<')).map((body) => `<${tag}>${body}</${tag}>`);
    const space = fc.constantFrom('', ' ', '\n', '\n\n');
    const tags = fc.array(fc.constantFrom('think', 'tool_call', 'answer'), { maxLength: 7 });
    fc.assert(
      fc.property(tags, fc.array(space, { minLength: 8, maxLength: 8 }), fc.array(block('x'), { minLength: 7, maxLength: 7 }), (seq, spaces, bodies) => {
        const text = seq.map((t, i) => spaces[i] + bodies[i]!.replace(/x>/g, `${t}>`)).join('') + spaces[7];
        const expected = /^think(tool_callthink)*answer$/.test(seq.join(''));
        expect(checkFormat(text, true).ok).toBe(expected);
      }),
    );
  });
});
