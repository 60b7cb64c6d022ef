import { describe, expect, it } from 'vitest';
import { reply } from '../../testing/agentFakes';
import { CROP_ARGS, harness, OPEN, VIDEO, VP_ARGS } from '../../testing/agentTestKit';
import { SYSTEM_PROMPT } from './prompts';
import { applyVp } from './runAgent';
import { toolSchemas } from './tools';

const USAGE = { prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 };
const MCQ = 'What is the target in the highlighted box holding?\nA: A cup\nB: A phone\nC: A book\nD: Nothing';

const text = (t: string) => ({ type: 'text', text: t });
const image = (url: string) => ({ type: 'image_url', image_url: { url } });
const SUCCESS = text('The tool executed successfully. Here are the processed result: ');

/** Golden (protocol §2.1-2.4): frames at their real times, Python's tie rounding (1.25 -> 1.2, 3.75 -> 3.8). */
const USER = {
  role: 'user',
  content: [
    text('<0.0 seconds>'),
    image('data:image/jpeg;base64,F0'),
    text('<1.2 seconds>'),
    image('data:image/jpeg;base64,F5'),
    text('<2.5 seconds>'),
    image('data:image/jpeg;base64,F10'),
    text('<3.8 seconds>'),
    image('data:image/jpeg;base64,F15'),
    text(
      `${SYSTEM_PROMPT}\n\n${MCQ} Think first, call **view_visual_prompt** and **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: vtest.mp4, The visual prompt frame path for this video is: vtest/frame_000005.jpg.`,
    ),
  ],
};
const A1 = {
  role: 'assistant',
  content: '<think>I should look at the prompt.</think>',
  tool_calls: [{ id: 'chatcmpl-tool-1', type: 'function', function: { name: 'view_visual_prompt', arguments: '{"frame_path": "vtest/frame_000005.jpg"}' } }],
};
const T1 = { role: 'tool', tool_call_id: 'chatcmpl-tool-1', content: [image('data:image/png;base64,VP'), SUCCESS] };
const A2 = {
  role: 'assistant',
  content: '<think>The target is on the left. Check 1-3 s.</think>',
  tool_calls: [{ id: 'chatcmpl-tool-2', type: 'function', function: { name: 'crop_video', arguments: '{"video_path": "vtest.mp4", "start_time": 1, "end_time": 3}' } }],
};
/** crop_video(1, 3): frames 4, 7, 9, 12 at 1.0, 1.75, 2.25, 3.0 s. */
const T2 = {
  role: 'tool',
  tool_call_id: 'chatcmpl-tool-2',
  content: [
    text('<1.0 seconds>'),
    image('data:image/jpeg;base64,F4'),
    text('<1.8 seconds>'),
    image('data:image/jpeg;base64,F7'),
    text('<2.2 seconds>'),
    image('data:image/jpeg;base64,F9'),
    text('<3.0 seconds>'),
    image('data:image/jpeg;base64,F12'),
    SUCCESS,
  ],
};

function toolTrajectory() {
  return harness([
    reply('<think>I should look at the prompt.</think>', [{ id: 'chatcmpl-tool-1', name: 'view_visual_prompt', arguments: VP_ARGS }], USAGE),
    reply('<think>The target is on the left. Check 1-3 s.</think>', [{ id: 'chatcmpl-tool-2', name: 'crop_video', arguments: CROP_ARGS }], USAGE),
    reply('<think>It holds a phone.</think>\n<answer>B</answer>', [], { prompt_tokens: 3000, completion_tokens: 10, total_tokens: 3010 }),
  ]);
}

describe('runAgent, tool mode: view_visual_prompt -> crop_video -> answer', () => {
  it('sends exactly the protocol messages in rounds 1 to 3 (golden)', async () => {
    const h = toolTrajectory();
    await h.run();
    expect(h.client.requests.map((r) => r.messages)).toEqual([[USER], [USER, A1, T1], [USER, A1, T1, A2, T2]]);
    const first: Record<string, unknown> = { ...h.client.requests[0]! };
    delete first.messages;
    expect(first).toEqual({ model: 'videoseeker-8b', max_tokens: 8192, temperature: 0, stream: true, tools: JSON.parse(JSON.stringify(toolSchemas({ viewVisualPrompt: true, cropVideo: true }))), tool_choice: 'auto' });
  });

  it('sizes and encodes frames as configured (588x336 for the video, 448x252 for a crop)', async () => {
    const h = toolTrajectory();
    await h.run();
    expect(h.environment.encodeCalls).toEqual([
      { indices: [0, 5, 10, 15], options: { width: 588, height: 336, format: 'jpeg', quality: 0.9 } },
      { indices: [4, 7, 9, 12], options: { width: 448, height: 252, format: 'jpeg', quality: 0.9 } },
    ]);
    expect(h.environment.visualPromptCalls).toEqual([{ format: 'jpeg', quality: 0.9 }]);
  });

  it('records the trajectory: rounds, calls, images, answer, format, usage', async () => {
    const h = toolTrajectory();
    const { trajectory: t, resume } = await h.run();
    expect(resume).toBeNull();
    expect(t.status).toBe('done');
    expect(t.answer).toBe('B');
    expect(t.problems).toEqual([]);
    expect(t.format).toEqual({ ok: true, reason: 'Well formed' });
    expect(t.response).toBe(
      '<think>I should look at the prompt.</think>\n<tool_call>\n{"name": "view_visual_prompt", "arguments": {"frame_path": "vtest/frame_000005.jpg"}}\n</tool_call>\n' +
        '<think>The target is on the left. Check 1-3 s.</think>\n<tool_call>\n{"name": "crop_video", "arguments": {"video_path": "vtest.mp4", "start_time": 1, "end_time": 3}}\n</tool_call>\n' +
        '<think>It holds a phone.</think>\n<answer>B</answer>',
    );
    expect(t.frames).toEqual([
      { source: 'frame', index: 0, timeS: 0, width: 588, height: 336, bytes: 1000 },
      { source: 'frame', index: 5, timeS: 1.25, width: 588, height: 336, bytes: 1005 },
      { source: 'frame', index: 10, timeS: 2.5, width: 588, height: 336, bytes: 1010 },
      { source: 'frame', index: 15, timeS: 3.75, width: 588, height: 336, bytes: 1015 },
    ]);
    expect(t.rounds.map((r) => [r.index, r.finishReason, r.toolCalls.length])).toEqual([
      [0, 'tool_calls', 1],
      [1, 'tool_calls', 1],
      [2, 'stop', 0],
    ]);
    const [vp] = t.rounds[0]!.toolCalls;
    expect(vp).toEqual({
      id: 'chatcmpl-tool-1',
      name: 'view_visual_prompt',
      arguments: VP_ARGS,
      origin: 'structured',
      status: 'done',
      images: [{ source: 'visual-prompt', frame: 5, width: 1280, height: 720, bytes: 5000 }],
      error: null,
      ms: 0,
    });
    expect(t.rounds[1]!.toolCalls[0]!.images).toEqual([
      { source: 'frame', index: 4, timeS: 1, width: 448, height: 252, bytes: 1004 },
      { source: 'frame', index: 7, timeS: 1.75, width: 448, height: 252, bytes: 1007 },
      { source: 'frame', index: 9, timeS: 2.25, width: 448, height: 252, bytes: 1009 },
      { source: 'frame', index: 12, timeS: 3, width: 448, height: 252, bytes: 1012 },
    ]);
    expect(t.usage).toEqual({ prompt_tokens: 5000, completion_tokens: 50, total_tokens: 5050 });
    expect(t.rounds.map((r) => r.usage?.total_tokens)).toEqual([1020, 1020, 3010]);
  });

  it('times each round and records the request size', async () => {
    const h = toolTrajectory();
    const { trajectory: t } = await h.run();
    const sent = h.client.requests.map((r) => JSON.stringify(r).length);
    expect(t.rounds.map((r) => r.requestBytes)).toEqual(sent);
    expect(t.rounds.map((r) => [r.firstTokenMs, r.latencyMs])).toEqual([
      [40, 250],
      [40, 250],
      [40, 250],
    ]);
    expect(t.rounds[1]!.startedAt - t.rounds[0]!.startedAt).toBe(250);
    expect(t.finishedAt! - t.startedAt).toBe(750);
  });

  it('reports every change as a new immutable trajectory: preparing, running, streamed text, done', async () => {
    const h = toolTrajectory();
    await h.run();
    const statuses = h.updates.map((u) => u.status);
    expect(statuses[0]).toBe('preparing');
    expect(statuses.indexOf('running')).toBeGreaterThan(0);
    expect(statuses.at(-1)).toBe('done');
    expect(statuses.filter((s) => s === 'done')).toHaveLength(1);
    expect(new Set(h.updates).size).toBe(h.updates.length);
    expect(h.updates[0]!.rounds).toEqual([]);
    expect(h.updates[0]!.frames).toEqual([]);
    // The first round's content grows as it streams in (three pieces).
    const seen = [...new Set(h.updates.filter((u) => u.rounds.length === 1).map((u) => u.rounds[0]!.content))];
    expect(seen.slice(0, 4)).toEqual(['', '<think>I should', '<think>I should look at the pr', '<think>I should look at the prompt.</think>']);
    // A running call is shown before it is done.
    expect(h.updates.some((u) => u.rounds[1]?.toolCalls[0]?.status === 'running')).toBe(true);
  });

  it('samples at least one frame pair: a 1 s clip gets 2 frames (min_frames 1)', async () => {
    const h = harness([reply('<think>x</think><answer>A</answer>')], {}, undefined, { ...VIDEO, timestamps: [0, 0.25, 0.5, 0.75], durationS: 1 });
    await h.run();
    expect(h.environment.encodeCalls[0]!.indices).toEqual([0, 3]);
  });

  it('uses max_tokens, temperature and stream from the settings', async () => {
    const h = harness([reply('<think>x</think><answer>A</answer>')], { maxTokens: 1024, temperature: 0.7, stream: false });
    await h.run();
    expect(h.client.requests[0]).toMatchObject({ max_tokens: 1024, temperature: 0.7 });
    expect(h.client.requests[0]).not.toHaveProperty('stream');
  });

  it('offers only the enabled tools, with the matching prompt', async () => {
    const h = harness([reply('<think>x</think><answer>A</answer>')], { tools: { viewVisualPrompt: false, cropVideo: true } });
    await h.run();
    const req = h.client.requests[0]!;
    expect(req.tools?.map((t) => t.function.name)).toEqual(['crop_video']);
    const last = req.messages[0]!.content.at(-1) as { text: string };
    expect(last.text).toContain('Think first, call **crop_video** if needed, then answer.');
  });

  it('with both tools disabled asks in reasoning form, without tools', async () => {
    const h = harness([reply('<think>x</think><answer>A</answer>')], { tools: { viewVisualPrompt: false, cropVideo: false } });
    const { trajectory } = await h.run();
    expect(h.client.requests[0]).not.toHaveProperty('tools');
    expect(h.client.requests[0]).not.toHaveProperty('tool_choice');
    expect(trajectory.userText).toBe(`${SYSTEM_PROMPT}\n\n${MCQ}`);
    expect(trajectory.format?.ok).toBe(true);
  });
});

describe('runAgent, reasoning and direct modes', () => {
  it('reasoning mode: no tools, SYSTEM_PROMPT + question (golden first request)', async () => {
    const h = harness([reply('<think>It is a phone.</think>\n<answer>B</answer>')], { mode: 'reasoning' });
    const { trajectory: t } = await h.run();
    expect(h.client.requests).toEqual([
      {
        model: 'videoseeker-8b',
        messages: [{ role: 'user', content: [...USER.content.slice(0, 8), text(`${SYSTEM_PROMPT}\n\n${MCQ}`)] }],
        max_tokens: 8192,
        temperature: 0,
        stream: true,
      },
    ]);
    expect([t.status, t.answer, t.format?.ok]).toEqual(['done', 'B', true]);
  });

  it('reasoning mode ignores <tool_call> text: the response ends the query', async () => {
    const h = harness([reply(`<think>hm</think><tool_call>\n{"name": "crop_video", "arguments": ${CROP_ARGS}}\n</tool_call>`)], { mode: 'reasoning' });
    const { trajectory: t } = await h.run();
    expect(h.client.calls).toBe(1);
    expect(t.rounds[0]!.toolCalls).toEqual([]);
    expect(t.problems).toEqual([{ kind: 'no-answer', message: 'The response has no <answer>' }]);
    expect(t.format?.ok).toBe(false);
  });

  it('direct mode: question + " " + MC_PROMPT (golden first request); the letter it starts with', async () => {
    const h = harness([reply('B. A phone')], { mode: 'direct' });
    const { trajectory: t } = await h.run();
    expect(h.client.requests).toEqual([
      {
        model: 'videoseeker-8b',
        messages: [
          {
            role: 'user',
            content: [...USER.content.slice(0, 8), text(`${MCQ} \nSelect the best option that accurately addresses the question. Give only your option letter, no other words.`)],
          },
        ],
        max_tokens: 8192,
        temperature: 0,
        stream: true,
      },
    ]);
    expect([t.status, t.answer, t.format, t.response, t.problems]).toEqual(['done', 'B', null, 'B. A phone', []]);
  });

  it.each([
    [' c\n', 'C'],
    ['<answer>D</answer>', 'D'],
    ['Banana', ''],
    ['The answer is B', ''],
  ])('direct multiple choice reads %j as %j', async (content, letter) => {
    const h = harness([reply(content)], { mode: 'direct' });
    const { trajectory: t } = await h.run();
    expect(t.answer).toBe(letter);
    expect(t.problems).toEqual(letter === '' ? [{ kind: 'no-answer', message: 'The response does not start with an option letter (A-D)' }] : []);
  });

  it('direct open-ended: the question alone, the whole response trimmed', async () => {
    const h = harness([reply('  A red phone.\n')], { mode: 'direct' }, OPEN);
    const { trajectory: t } = await h.run();
    expect(t.userText).toBe(OPEN.question);
    expect(t.answer).toBe('A red phone.');
  });

  it('open-ended tool mode: the text of the last <answer>', async () => {
    const h = harness([reply('<think>x</think>\n<answer> A red phone </answer>')], {}, OPEN);
    const { trajectory: t } = await h.run();
    expect([t.answer, t.problems]).toEqual(['A red phone', []]);
  });
});

describe('runAgent, calls written in the text (no server tool parser)', () => {
  const block = (name: string, args: string) => `<tool_call>\n{"name": "${name}", "arguments": ${args}}\n</tool_call>`;

  it('runs them with invented ids and sends them back once, as structured calls', async () => {
    const content = `<think>Look first.</think>\n${block('view_visual_prompt', VP_ARGS)}`;
    const h = harness([reply(content), reply(`<think>Now crop.</think>\n${block('crop_video', CROP_ARGS)}`), reply('<think>Phone.</think>\n<answer>B</answer>')]);
    const { trajectory: t } = await h.run();
    expect(h.client.requests[2]!.messages.slice(1)).toEqual([
      { role: 'assistant', content: '<think>Look first.</think>', tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'view_visual_prompt', arguments: VP_ARGS } }] },
      { role: 'tool', tool_call_id: 'call_0_0', content: [image('data:image/png;base64,VP'), SUCCESS] },
      { role: 'assistant', content: '<think>Now crop.</think>', tool_calls: [{ id: 'call_1_0', type: 'function', function: { name: 'crop_video', arguments: CROP_ARGS } }] },
      { ...T2, tool_call_id: 'call_1_0' },
    ]);
    expect(t.rounds[0]!.content).toBe(content);
    expect(t.rounds[0]!.toolCalls.map((c) => [c.id, c.origin, c.status])).toEqual([['call_0_0', 'text', 'done']]);
    // Each block appears once in the response, as the model wrote it.
    expect(t.response.split('<tool_call>')).toHaveLength(3);
    expect([t.answer, t.format?.ok]).toEqual(['B', true]);
  });

  it('answers a malformed block with its parse error and a placeholder call, and goes on', async () => {
    const broken = '<tool_call>\n{"name": "crop_video", "arguments": {"start_time": 1,}}\n</tool_call>';
    const h = harness([reply(`<think>Crop.</think>\n${broken}\n${block('view_visual_prompt', VP_ARGS)}`), reply('<think>ok</think><answer>A</answer>')]);
    const { trajectory: t } = await h.run();
    const [assistant, failedTool, okTool] = h.client.requests[1]!.messages.slice(1);
    expect(assistant).toEqual({
      role: 'assistant',
      content: `<think>Crop.</think>\n${broken}`,
      tool_calls: [
        { id: 'call_0_0', type: 'function', function: { name: '', arguments: '{}' } },
        { id: 'call_0_1', type: 'function', function: { name: 'view_visual_prompt', arguments: VP_ARGS } },
      ],
    });
    expect(failedTool).toEqual({ role: 'tool', tool_call_id: 'call_0_0', content: [text("Tool execution failed: Tool call is not valid JSON: Expected a property name in double quotes at position 53")] });
    expect(okTool).toMatchObject({ tool_call_id: 'call_0_1' });
    expect(t.rounds[0]!.toolCalls.map((c) => [c.name, c.status, c.origin])).toEqual([
      ['', 'failed', 'text'],
      ['view_visual_prompt', 'done', 'text'],
    ]);
    expect(t.rounds[0]!.toolCalls[0]!.arguments).toContain('"start_time": 1,}');
    expect(t.status).toBe('done');
  });

  it('prefers structured calls when the server parsed some', async () => {
    const h = harness([reply(`<think>x</think>${block('crop_video', CROP_ARGS)}`, [{ id: 's1', name: 'view_visual_prompt', arguments: VP_ARGS }]), reply('<think>y</think><answer>A</answer>')]);
    const { trajectory: t } = await h.run();
    expect(t.rounds[0]!.toolCalls.map((c) => [c.id, c.name, c.origin])).toEqual([['s1', 'view_visual_prompt', 'structured']]);
  });

  it('invents an id for a structured call that came without one', async () => {
    const h = harness([reply('<think>x</think>', [{ id: '', name: 'view_visual_prompt', arguments: VP_ARGS }]), reply('<think>y</think><answer>A</answer>')]);
    const { trajectory: t } = await h.run();
    expect(t.rounds[0]!.toolCalls[0]!.id).toBe('call_0_0');
    expect(h.client.requests[1]!.messages[2]).toMatchObject({ role: 'tool', tool_call_id: 'call_0_0' });
  });

  it('decides by the calls, not by finish_reason', async () => {
    const h = harness([reply('<think>x</think>', [{ name: 'view_visual_prompt', arguments: VP_ARGS }], null, 'stop'), reply('<think>y</think><answer>A</answer>')]);
    await h.run();
    expect(h.client.calls).toBe(2);
  });
});

describe('runAgent, bad calls become error texts the model reads (§2.3)', () => {
  it.each([
    ['unknown tool', 'zoom_in', '{"x": 1}', 'Unknown tool: zoom_in'],
    ['not JSON', 'crop_video', '{"video_path": "vtest.mp4", "start_time": 1', 'Invalid arguments for crop_video: not valid JSON (Expected \',\' or \'}\' at end of input)'],
    ['a wrong type', 'crop_video', '{"video_path": "vtest.mp4", "start_time": "1", "end_time": 3}', 'Invalid arguments for crop_video: start_time must be a number, got string'],
    ['a negative start', 'crop_video', '{"video_path": "vtest.mp4", "start_time": -1, "end_time": 3}', 'start_time (-1) must be non-negative'],
    ['start after end', 'crop_video', '{"video_path": "vtest.mp4", "start_time": 3, "end_time": 1.0}', 'end_time (1.0) must be greater than start_time (3)'],
    ['a start past the end', 'crop_video', '{"video_path": "vtest.mp4", "start_time": 5, "end_time": 6}', 'start_time (5s) exceeds video duration (4.0s)'],
    ['an end past the end', 'crop_video', '{"video_path": "vtest.mp4", "start_time": 1, "end_time": 4.5}', 'end_time (4.5s) exceeds video duration (4.0s)'],
    ['another video', 'crop_video', '{"video_path": "other.mp4", "start_time": 1, "end_time": 3}', 'Video file not found: other.mp4'],
    ['another frame', 'view_visual_prompt', '{"frame_path": "x.jpg"}', 'Visual prompt frame not found: x.jpg'],
  ])('%s', async (_, name, args, error) => {
    const h = harness([reply('<think>x</think>', [{ id: 'c1', name, arguments: args }]), reply('<think>y</think><answer>A</answer>')]);
    const { trajectory: t } = await h.run();
    expect(h.client.requests[1]!.messages[2]).toEqual({ role: 'tool', tool_call_id: 'c1', content: [text(`Tool execution failed: ${error}`)] });
    expect(t.rounds[0]!.toolCalls[0]).toMatchObject({ status: 'failed', error, images: [], arguments: args });
    expect([t.status, t.answer, t.problems]).toEqual(['done', 'A', []]);
    expect(h.environment.encodeCalls).toHaveLength(1);
  });

  it('sends arguments that are not a JSON object back as {}', async () => {
    const h = harness([reply('<think>x</think>', [{ id: 'c1', name: 'crop_video', arguments: '{"start_time": 1' }]), reply('<think>y</think><answer>A</answer>')]);
    await h.run();
    expect(h.client.requests[1]!.messages[1]).toMatchObject({ tool_calls: [{ id: 'c1', function: { name: 'crop_video', arguments: '{}' } }] });
  });

  it('runs several calls of one round in order, each answered', async () => {
    const h = harness([
      reply('<think>x</think>', [
        { id: 'a', name: 'crop_video', arguments: '{"video_path": "vtest.mp4", "start_time": 0, "end_time": 9}' },
        { id: 'b', name: 'view_visual_prompt', arguments: VP_ARGS },
      ]),
      reply('<think>y</think><answer>A</answer>'),
    ]);
    await h.run();
    expect(h.client.requests[1]!.messages.slice(2).map((m) => [m.role, 'tool_call_id' in m ? m.tool_call_id : null])).toEqual([
      ['tool', 'a'],
      ['tool', 'b'],
    ]);
  });
});

describe('runAgent, limits and answers', () => {
  const call = reply('<think>again</think>', [{ name: 'view_visual_prompt', arguments: VP_ARGS }]);

  it('stops after maxToolRounds tool rounds: the last calls are recorded, not run', async () => {
    const h = harness([call, call, call, call, call, call, call]);
    const { trajectory: t } = await h.run();
    expect(h.client.calls).toBe(6);
    expect(h.environment.visualPromptCalls).toHaveLength(5);
    expect(t.status).toBe('done');
    expect(t.rounds[5]!.toolCalls).toEqual([
      { id: 'srv_0', name: 'view_visual_prompt', arguments: VP_ARGS, origin: 'structured', status: 'failed', images: [], error: 'Not executed: the limit is 5 rounds of tool calls', ms: null },
    ]);
    expect(t.problems).toEqual([
      { kind: 'round-limit', message: 'The model still called tools after 5 rounds' },
      { kind: 'no-answer', message: 'The response has no <answer>' },
    ]);
    expect(t.answer).toBe('');
  });

  it('honours a lower limit, and 0 runs no tool at all', async () => {
    const two = harness([call, call, call, call], { maxToolRounds: 2 });
    expect((await two.run()).trajectory.problems[0]).toEqual({ kind: 'round-limit', message: 'The model still called tools after 2 rounds' });
    expect(two.client.calls).toBe(3);
    const none = harness([call], { maxToolRounds: 0 });
    await none.run();
    expect(none.environment.visualPromptCalls).toEqual([]);
  });

  it('a response without <answer> is a no-answer problem', async () => {
    const h = harness([reply('<think>I am not sure.</think> It might be B.')]);
    const { trajectory: t } = await h.run();
    expect([t.status, t.answer, t.problems]).toEqual(['done', '', [{ kind: 'no-answer', message: 'The response has no <answer>' }]]);
    expect(t.format?.ok).toBe(false);
  });

  it('an <answer> without a letter is a no-answer problem for multiple choice', async () => {
    const h = harness([reply('<think>x</think><answer>the phone</answer>')]);
    const { trajectory: t } = await h.run();
    expect(t.problems).toEqual([{ kind: 'no-answer', message: 'No option letter (A-D) after <answer>' }]);
  });

  it('puts a separate reasoning channel back in front of the content', async () => {
    const h = harness([{ kind: 'reply', chunks: [{ choices: [{ index: 0, delta: { reasoning_content: 'thinking' } }] }, { choices: [{ index: 0, delta: { content: '<answer>C</answer>' }, finish_reason: 'stop' }] }] }]);
    const { trajectory: t } = await h.run();
    expect(t.rounds[0]!.reasoning).toBe('thinking');
    expect([t.response, t.answer, t.format?.ok]).toEqual(['<think>thinking</think><answer>C</answer>', 'C', true]);
  });

  it('sums usage over the rounds that report it', async () => {
    const u = (n: number) => ({ prompt_tokens: n, completion_tokens: 1, total_tokens: n + 1 });
    const h = harness([reply('<think>a</think>', [{ name: 'view_visual_prompt', arguments: VP_ARGS }], u(10)), reply('<think>b</think>', [{ name: 'view_visual_prompt', arguments: VP_ARGS }]), reply('<answer>A</answer>', [], u(30))]);
    const { trajectory: t } = await h.run();
    expect(t.usage).toEqual({ prompt_tokens: 40, completion_tokens: 2, total_tokens: 42 });
  });
});

describe('applyVp', () => {
  it('replaces <vp> with the type phrase', () => {
    expect(applyVp('What is <vp> doing?', 'rectangle')).toBe('What is the target in the highlighted box doing?');
    expect(applyVp('Is <vp> moving?', 'set_of_mark', 3)).toBe('Is the target marked with number 3 moving?');
  });
});
