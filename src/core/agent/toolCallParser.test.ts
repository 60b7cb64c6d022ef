import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseToolCalls, renderToolCall } from './toolCallParser';

describe('parseToolCalls', () => {
  it('reads hermes blocks from content', () => {
    const text =
      '<think>I should look at the prompt.</think>\n<tool_call>\n{"name": "view_visual_prompt", "arguments": {"frame_path": "clip/frame_000391.jpg"}}\n</tool_call>';
    expect(parseToolCalls(text)).toEqual({
      calls: [
        {
          ok: true,
          name: 'view_visual_prompt',
          arguments: '{"frame_path": "clip/frame_000391.jpg"}',
          raw: '\n{"name": "view_visual_prompt", "arguments": {"frame_path": "clip/frame_000391.jpg"}}\n',
        },
      ],
      content: '<think>I should look at the prompt.</think>',
    });
  });

  it('reads several blocks, any whitespace, arguments as an object or as a JSON string', () => {
    const text = [
      '<tool_call>{"name":"crop_video","arguments":{"video_path":"clip.mp4","start_time":3,"end_time":5.0}}</tool_call>',
      'between',
      '<tool_call>  \n\t{ "arguments" : "{\\"frame_path\\": \\"f.jpg\\"}", "name" : "view_visual_prompt" }\n\n</tool_call>',
    ].join('\n');
    const { calls, content } = parseToolCalls(text);
    expect(calls.map((c) => (c.ok ? [c.name, c.arguments] : c.error))).toEqual([
      ['crop_video', '{"video_path":"clip.mp4","start_time":3,"end_time":5.0}'],
      ['view_visual_prompt', '{"frame_path": "f.jpg"}'],
    ]);
    expect(content).toBe('between');
  });

  it('keeps the arguments source exactly (so 5.0 stays a float)', () => {
    const { calls } = parseToolCalls('<tool_call>\n{"name": "crop_video", "arguments": {"start_time": 5.0,  "end_time": 1e1}}\n</tool_call>');
    expect(calls[0]).toMatchObject({ ok: true, arguments: '{"start_time": 5.0,  "end_time": 1e1}' });
  });

  it('reports malformed blocks with their raw text, never throws', () => {
    const { calls } = parseToolCalls(
      '<tool_call>{"name": "crop_video", "arguments": {"start_time": 1,}}</tool_call><tool_call>[1]</tool_call><tool_call>{"arguments": {}}</tool_call><tool_call>{"name": "x", "arguments": 3}</tool_call>',
    );
    expect(calls).toEqual([
      { ok: false, error: 'Tool call is not valid JSON: Expected a property name in double quotes at position 53', raw: '{"name": "crop_video", "arguments": {"start_time": 1,}}' },
      { ok: false, error: 'Tool call must be a JSON object, got array', raw: '[1]' },
      { ok: false, error: 'Tool call has no "name" string', raw: '{"arguments": {}}' },
      { ok: false, error: 'Tool call "arguments" must be an object, got number', raw: '{"name": "x", "arguments": 3}' },
    ]);
  });

  it('takes an unclosed last block and a missing arguments', () => {
    expect(parseToolCalls('<think>x</think><tool_call>\n{"name": "view_visual_prompt"}\n').calls).toEqual([
      { ok: true, name: 'view_visual_prompt', arguments: '{}', raw: '\n{"name": "view_visual_prompt"}\n' },
    ]);
    expect(parseToolCalls('<tool_call>{"name": "a", "argu').calls[0]).toMatchObject({ ok: false, raw: '{"name": "a", "argu' });
  });

  it('finds nothing in plain text', () => {
    expect(parseToolCalls('  <think>a</think><answer>B</answer> ')).toEqual({ calls: [], content: '<think>a</think><answer>B</answer>' });
  });

  it('reads back what renderToolCall writes (property)', () => {
    const name = fc.stringMatching(/^[a-z_]{1,20}$/);
    const args = fc.dictionary(fc.string(), fc.jsonValue()).map((o) => JSON.stringify(o, null, 1));
    fc.assert(
      fc.property(fc.array(fc.tuple(name, args), { maxLength: 4 }), fc.array(fc.string().filter((s) => !s.includes('<tool_call>')), { minLength: 5, maxLength: 5 }), (calls, texts) => {
        const text = calls.map(([n, a], i) => texts[i] + renderToolCall(n, a)).join('') + texts[4];
        const parsed = parseToolCalls(text);
        expect(parsed.calls.map((c) => (c.ok ? [c.name, c.arguments] : c.error))).toEqual(calls);
      }),
    );
  });

  it('renders like the chat template', () => {
    expect(renderToolCall('crop_video', '{"start_time": 1}')).toBe('<tool_call>\n{"name": "crop_video", "arguments": {"start_time": 1}}\n</tool_call>');
  });
});
