import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleStream, StreamAssembler, type AssembledMessage, type StreamChunk, type StreamDelta, type ToolCallDelta } from './streamAssembler';

describe('StreamAssembler', () => {
  it('assembles a vLLM hermes stream (content, then two tool calls)', () => {
    const chunks: StreamChunk[] = [
      { choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
      { choices: [{ index: 0, delta: { content: '<think>Need the ' } }] },
      { choices: [{ index: 0, delta: { content: 'frame.</think>' } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'chatcmpl-tool-a', type: 'function', function: { name: 'view_visual_prompt' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"frame_path": "clip/' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'frame_000391.jpg"}' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'chatcmpl-tool-b', type: 'function', function: { name: 'crop_video', arguments: '' } }] } }] },
      { choices: [{ index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{"video_path": "clip.mp4", "start_time": 2, "end_time": 4}' } }] } }] },
      { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
      { choices: [], usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 } },
    ];
    expect(assembleStream(chunks)).toEqual({
      content: '<think>Need the frame.</think>',
      reasoningContent: '',
      toolCalls: [
        { id: 'chatcmpl-tool-a', name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000391.jpg"}' },
        { id: 'chatcmpl-tool-b', name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 2, "end_time": 4}' },
      ],
      finishReason: 'tool_calls',
      usage: { prompt_tokens: 900, completion_tokens: 60, total_tokens: 960 },
    });
  });

  it('reads reasoning_content or reasoning, never both', () => {
    const a = new StreamAssembler();
    a.push({ choices: [{ delta: { reasoning_content: 'a', reasoning: 'a' } }] });
    a.push({ choices: [{ delta: { reasoning: 'b', content: null } }] });
    a.push({ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] });
    expect(a.result()).toMatchObject({ reasoningContent: 'ab', content: 'x', finishReason: 'stop', usage: null, toolCalls: [] });
  });

  it('reads only the first choice and tolerates empty chunks', () => {
    const r = assembleStream([{}, { choices: null }, { choices: [{ index: 1, delta: { content: 'no' } }, { index: 0, delta: { content: 'yes' } }] }, { choices: [{ index: 0, delta: null }] }]);
    expect(r).toEqual({ content: 'yes', reasoningContent: '', toolCalls: [], finishReason: null, usage: null });
  });

  it('copes with servers that omit the index', () => {
    const r = assembleStream([
      { choices: [{ delta: { tool_calls: [{ id: 'x', type: 'function', function: { name: 'a', arguments: '{"k":' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ function: { arguments: '1}' } }] } }] },
      { choices: [{ delta: { tool_calls: [{ id: 'y', function: { name: 'b', arguments: '{}' } }] } }] },
    ]);
    expect(r.toolCalls).toEqual([
      { id: 'x', name: 'a', arguments: '{"k":1}' },
      { id: 'y', name: 'b', arguments: '{}' },
    ]);
  });
});

/** Cuts `s` at the given fractions into pieces that concatenate back to `s`. */
function cut(s: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * (s.length + 1))))].filter((p) => p > 0 && p < s.length).sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(s.slice(from, p));
    from = p;
  }
  pieces.push(s.slice(from));
  return pieces;
}

type Event = { content: string } | { reasoning: string } | { call: ToolCallDelta };

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

const message = fc.record({
  content: fc.string({ unit: 'grapheme', maxLength: 40 }),
  reasoningContent: fc.string({ maxLength: 40 }),
  toolCalls: fc.uniqueArray(
    fc.record({ id: fc.string({ minLength: 1, maxLength: 10 }), name: fc.stringMatching(/^[a-z_]{1,16}$/), arguments: fc.json({ maxDepth: 2 }) }),
    { maxLength: 3, selector: (c) => c.id },
  ),
  finishReason: fc.constantFrom('stop', 'tool_calls', 'length'),
  usage: fc.option(fc.record({ prompt_tokens: fc.nat(), completion_tokens: fc.nat(), total_tokens: fc.nat() }), { nil: null }),
});

/** The events a server could send for `m`, each string cut at arbitrary places, in vLLM's order. */
const streamOf = (m: AssembledMessage) =>
  fc
    .record({
      reasoning: cuts,
      content: cuts,
      args: fc.array(cuts, { minLength: m.toolCalls.length, maxLength: m.toolCalls.length }),
      argsInHead: fc.array(fc.boolean(), { minLength: m.toolCalls.length, maxLength: m.toolCalls.length }),
      groups: cuts,
      finishAlone: fc.boolean(),
    })
    .map(({ reasoning, content, args, argsInHead, groups, finishAlone }) => {
      const events: Event[] = [
        ...cut(m.reasoningContent, reasoning).map((r) => ({ reasoning: r })),
        ...cut(m.content, content).map((c) => ({ content: c })),
      ];
      m.toolCalls.forEach((call, index) => {
        const pieces = cut(call.arguments, args[index]!);
        const head = argsInHead[index] ? pieces.shift() : '';
        events.push({ call: { index, id: call.id, type: 'function', function: { name: call.name, arguments: head ?? '' } } });
        for (const p of pieces) events.push({ call: { index, function: { arguments: p } } });
      });
      // Group consecutive events into chunks at arbitrary boundaries.
      const chunks: StreamChunk[] = [{ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }];
      const bounds = [...new Set(groups.map((g) => Math.floor(g * events.length)))].sort((a, b) => a - b);
      let from = 0;
      for (const b of [...bounds, events.length]) {
        if (b <= from) continue;
        const group = events.slice(from, b);
        from = b;
        const delta: { content?: string; reasoning_content?: string; tool_calls?: ToolCallDelta[] } = {};
        for (const e of group) {
          if ('content' in e) delta.content = (delta.content ?? '') + e.content;
          else if ('reasoning' in e) delta.reasoning_content = (delta.reasoning_content ?? '') + e.reasoning;
          else (delta.tool_calls ??= []).push(e.call);
        }
        chunks.push({ choices: [{ index: 0, delta: delta as StreamDelta, finish_reason: null }] });
      }
      if (finishAlone || chunks.length === 1) chunks.push({ choices: [{ index: 0, delta: {}, finish_reason: m.finishReason }] });
      else chunks[chunks.length - 1] = { choices: [{ ...chunks[chunks.length - 1]!.choices![0]!, finish_reason: m.finishReason }] };
      if (m.usage) chunks.push({ choices: [], usage: m.usage });
      return chunks;
    });

describe('StreamAssembler (property)', () => {
  it('assembles any message back from any split into deltas', () => {
    fc.assert(
      fc.property(
        message.chain((m) => fc.tuple(fc.constant(m), streamOf(m))),
        ([m, chunks]) => {
          expect(assembleStream(chunks)).toEqual(m);
        },
      ),
    );
  });
});
