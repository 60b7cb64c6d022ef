import { describe, expect, it } from 'vitest';
import { trajectoryText } from '../agent/answer';
import { splitRounds, trajectoryFromResult } from './importedTrajectory';
import type { RunResult } from './run';

const CROP = '<tool_call>\n{"name": "crop_video", "arguments": {"video_path": "clip.mp4", "start_time": 12.5, "end_time": 20}}\n</tool_call>';
const VIEW = '<tool_call>\n{"name": "view_visual_prompt", "arguments": {"frame_path": "clip/frame_000042.jpg"}}\n</tool_call>';

/** As the reference client writes a three-round VideoSeeker answer: the rounds' content joined by "\n". */
const RESPONSE = [
  `<think>The person in the box appears around 13 s; I should look closer.</think>\n${CROP}`,
  `<think>They pick something up, but the box is small. Let me see the prompt frame.</think>\n${VIEW}`,
  '<think>The highlighted person holds a red cup.</think>\n<answer>B</answer>',
].join('\n');

function result(over: Partial<RunResult> = {}): RunResult {
  return {
    key: 'line-1',
    itemId: null,
    item: {
      videoId: 'clip',
      question: 'What is the person in the box holding?',
      options: ['A phone', 'A red cup', 'A bag', 'Nothing'],
      answer: 'B',
      dimension: 1,
      category: null,
      duration: 60,
      source: 'V2P-Bench',
      vpType: null,
      videoPath: 'clip.mp4',
      framePath: 'clip/frame_000042.jpg',
    },
    status: 'done',
    response: RESPONSE,
    rawOutput: '<think>The highlighted person holds a red cup.</think>\n<answer>B</answer>',
    userText: 'USER TEXT',
    toolCalls: [
      { name: 'crop_video', arguments: { video_path: 'clip.mp4', start_time: 12.5, end_time: 20 } },
      { name: 'view_visual_prompt', arguments: { frame_path: 'clip/frame_000042.jpg' } },
    ],
    numRounds: 3,
    error: null,
    model: null,
    autoJudgement: null,
    query: null,
    ...over,
  };
}

describe('trajectoryFromResult', () => {
  it('rebuilds the rounds of a multi-round VideoSeeker response', () => {
    const t = trajectoryFromResult(result(), true);
    expect(t.rounds.map((r) => r.content)).toEqual([
      `<think>The person in the box appears around 13 s; I should look closer.</think>\n${CROP}`,
      `<think>They pick something up, but the box is small. Let me see the prompt frame.</think>\n${VIEW}`,
      '<think>The highlighted person holds a red cup.</think>\n<answer>B</answer>',
    ]);
    expect(t.rounds.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(t.rounds[0]!.toolCalls).toEqual([
      { id: 'call_0_0', name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 12.5, "end_time": 20}', origin: 'text', status: 'done', images: [], error: null, ms: null },
    ]);
    expect(t.rounds[1]!.toolCalls).toEqual([
      { id: 'call_1_0', name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000042.jpg"}', origin: 'text', status: 'done', images: [], error: null, ms: null },
    ]);
    expect(t.rounds[2]!.toolCalls).toEqual([]);
    expect(t.rounds[0]).toMatchObject({ startedAt: 0, requestBytes: 0, firstTokenMs: null, latencyMs: null, reasoning: '', usage: null, retries: [], failure: null });
    expect(t).toMatchObject({ status: 'done', userText: 'USER TEXT', frames: [], answer: 'B', response: RESPONSE, problems: [], startedAt: 0, finishedAt: 0, usage: null });
    expect(t.format).toEqual({ ok: true, reason: 'Well formed' });
    // The calls are in the content (origin text), so the rounds give the response back as it was.
    expect(trajectoryText(t.rounds.map((r) => ({ content: r.content, toolCalls: [] })))).toBe(RESPONSE);
  });

  it('keeps calls that follow one another in one round', () => {
    const text = `<think>Both at once.</think>\n${CROP}\n${VIEW}\n<think>Seen.</think>\n<answer>A</answer>`;
    const t = trajectoryFromResult(result({ response: text }), true);
    expect(t.rounds).toHaveLength(2);
    expect(t.rounds[0]!.toolCalls.map((c) => [c.id, c.name])).toEqual([
      ['call_0_0', 'crop_video'],
      ['call_0_1', 'view_visual_prompt'],
    ]);
    expect(t.answer).toBe('A');
    // Two calls without a <think> between them are not well formed.
    expect(t.format?.ok).toBe(false);
  });

  it('reads an open answer from <answer>, or the whole reply without one', () => {
    expect(trajectoryFromResult(result({ response: '<think>x</think>\n<answer> a red cup </answer>' }), false).answer).toBe('a red cup');
    expect(trajectoryFromResult(result({ response: '  a red cup\n', toolCalls: [] }), false).answer).toBe('a red cup');
  });

  it('shows a direct-mode answer as one round', () => {
    const t = trajectoryFromResult(result({ response: 'B. A red cup', rawOutput: 'B. A red cup', toolCalls: [], numRounds: 1 }), true);
    expect(t.rounds).toHaveLength(1);
    expect(t.rounds[0]).toMatchObject({ index: 0, content: 'B. A red cup', toolCalls: [] });
    expect(t.status).toBe('done');
    expect(t.answer).toBe('B');
    // Checked without tools: no tags is not the <think><answer> format.
    expect(t.format?.ok).toBe(false);
    expect(t.format?.reason).toContain('found no tags');
  });

  it('puts calls the file lists but the text does not show on the first round', () => {
    const text = '<think>Look at the prompt.</think>\n<think>A red cup.</think>\n<answer>B</answer>';
    const t = trajectoryFromResult(result({ response: text, toolCalls: [{ name: 'view_visual_prompt', arguments: { frame_path: 'clip/frame_000042.jpg' } }, { name: 'crop_video', arguments: '{"start_time": 1}' }] }), true);
    expect(t.rounds).toHaveLength(1);
    expect(t.rounds[0]!.toolCalls).toEqual([
      { id: 'call_0_0', name: 'view_visual_prompt', arguments: '{"frame_path":"clip/frame_000042.jpg"}', origin: 'structured', status: 'done', images: [], error: null, ms: null },
      { id: 'call_0_1', name: 'crop_video', arguments: '{"start_time": 1}', origin: 'structured', status: 'done', images: [], error: null, ms: null },
    ]);
  });

  it('shows a failed result with its error as an endpoint problem', () => {
    const t = trajectoryFromResult(result({ status: 'failed', response: null, rawOutput: null, toolCalls: [], numRounds: null, error: 'HTTP 500: Internal Server Error', userText: null }), true);
    expect(t).toEqual({
      status: 'failed',
      userText: '',
      frames: [],
      rounds: [],
      answer: null,
      response: '',
      format: null,
      problems: [{ kind: 'endpoint', message: 'HTTP 500: Internal Server Error' }],
      startedAt: 0,
      finishedAt: 0,
      usage: null,
    });
  });

  it('keeps the rounds a failed result still carries, and a malformed block as a failed call', () => {
    const text = '<think>Crop.</think>\n<tool_call>\n{"name": "crop_video", "arguments": {"video_path": \n</tool_call>';
    const t = trajectoryFromResult(result({ status: 'failed', response: text, toolCalls: [], error: 'timeout' }), true);
    expect(t.status).toBe('failed');
    expect(t.rounds).toHaveLength(1);
    expect(t.rounds[0]!.toolCalls[0]).toMatchObject({ id: 'call_0_0', name: '', status: 'failed', origin: 'text' });
    expect(t.rounds[0]!.toolCalls[0]!.error).toMatch(/not valid JSON/);
    expect(t.problems).toEqual([{ kind: 'endpoint', message: 'timeout' }]);
  });
});

describe('splitRounds', () => {
  it('ends a round after its calls; an unclosed last block runs to the end', () => {
    expect(splitRounds('a')).toEqual(['a']);
    expect(splitRounds(`a\n${CROP}\nb`)).toEqual([`a\n${CROP}`, 'b']);
    expect(splitRounds(`a\n${CROP}`)).toEqual([`a\n${CROP}`]);
    expect(splitRounds(`a\n${CROP}\nb\n<tool_call>{"name": "x"`)).toEqual([`a\n${CROP}`, 'b\n<tool_call>{"name": "x"']);
    expect(splitRounds(`${CROP}${VIEW}b`)).toEqual([`${CROP}${VIEW}`, 'b']);
  });
});
