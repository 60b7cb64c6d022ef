import { describe, expect, it } from 'vitest';
import { assistantMessage, assistantToolCallMessage, chatRequest, firstUserMessage, frameParts, imagePart, toolFailureMessage, toolSuccessMessage, type EncodedFrame } from './messages';
import { buildUserText, SYSTEM_PROMPT, type Mode } from './prompts';
import { toolSchemas } from './tools';

const frames: EncodedFrame[] = [
  { timeS: 0, url: 'data:image/jpeg;base64,AAA' },
  { timeS: 12.04, url: 'data:image/jpeg;base64,BBB' },
];
const tools = { viewVisualPrompt: true, cropVideo: true };
const input = (mode: Mode) => ({ mode, question: 'What is it holding?', options: ['A cup', 'A phone'], videoPath: 'clip.mp4', framePath: 'clip/frame_000391.jpg', tools });

/** The request of a first round, as JSON on the wire. */
function firstRequest(mode: Mode): unknown {
  const user = firstUserMessage(frames, buildUserText(input(mode)));
  return JSON.parse(JSON.stringify(chatRequest('videoseeker-8b', [user], mode === 'tool' ? toolSchemas(tools) : [])));
}

const framesJson = [
  { type: 'text', text: '<0.0 seconds>' },
  { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AAA' } },
  { type: 'text', text: '<12.0 seconds>' },
  { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,BBB' } },
];

describe('first request (golden, from protocol §2.1-2.3)', () => {
  it('tool mode', () => {
    expect(firstRequest('tool')).toEqual({
      model: 'videoseeker-8b',
      messages: [
        {
          role: 'user',
          content: [
            ...framesJson,
            {
              type: 'text',
              text:
                SYSTEM_PROMPT +
                '\n\nWhat is it holding?\nA: A cup\nB: A phone Think first, call **view_visual_prompt** and **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: clip.mp4, The visual prompt frame path for this video is: clip/frame_000391.jpg.',
            },
          ],
        },
      ],
      max_tokens: 8192,
      temperature: 0,
      tools: [
        {
          type: 'function',
          function: {
            name: 'view_visual_prompt',
            description: 'View the visual prompt image for the current question.',
            parameters: { type: 'object', properties: { frame_path: { type: 'string', description: 'Path to the visual prompt frame image file' } }, required: ['frame_path'] },
          },
        },
        {
          type: 'function',
          function: {
            name: 'crop_video',
            description: 'Crop a video to a specified duration, returning extracted frames for inspection.',
            parameters: {
              type: 'object',
              properties: {
                video_path: { type: 'string', description: 'Path to the video file' },
                start_time: { type: 'number', description: 'Start time in seconds' },
                end_time: { type: 'number', description: 'End time in seconds, must be greater than start_time' },
              },
              required: ['video_path', 'start_time', 'end_time'],
            },
          },
        },
      ],
      tool_choice: 'auto',
    });
  });

  it('reasoning mode', () => {
    expect(firstRequest('reasoning')).toEqual({
      model: 'videoseeker-8b',
      messages: [{ role: 'user', content: [...framesJson, { type: 'text', text: SYSTEM_PROMPT + '\n\nWhat is it holding?\nA: A cup\nB: A phone' }] }],
      max_tokens: 8192,
      temperature: 0,
    });
  });

  it('direct mode', () => {
    expect(firstRequest('direct')).toEqual({
      model: 'videoseeker-8b',
      messages: [
        {
          role: 'user',
          content: [
            ...framesJson,
            {
              type: 'text',
              text: 'What is it holding?\nA: A cup\nB: A phone \nSelect the best option that accurately addresses the question. Give only your option letter, no other words.',
            },
          ],
        },
      ],
      max_tokens: 8192,
      temperature: 0,
    });
  });

  it('asks for a stream when told to', () => {
    expect(chatRequest('m', [], [], true)).toEqual({ model: 'm', messages: [], max_tokens: 8192, temperature: 0, stream: true });
  });

  it('takes max_tokens and temperature from the options', () => {
    expect(chatRequest('m', [], [], false, { maxTokens: 512, temperature: 0.3 })).toEqual({ model: 'm', messages: [], max_tokens: 512, temperature: 0.3 });
    expect(chatRequest('m', [], [], false, {})).toEqual({ model: 'm', messages: [], max_tokens: 8192, temperature: 0 });
  });
});

describe('tool round messages (golden, from protocol §2.4)', () => {
  it('appends the assistant call, then one tool message per call', () => {
    const calls = [
      { id: 'call_1', name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000391.jpg"}' },
      { id: 'call_2', name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 3, "end_time": 5}' },
      { id: 'call_3', name: 'crop_video', arguments: '{"video_path": "other.mp4", "start_time": 3, "end_time": 5}' },
    ];
    const round = [
      assistantToolCallMessage(null, calls),
      toolSuccessMessage('call_1', [imagePart('data:image/jpeg;base64,VP')]),
      toolSuccessMessage('call_2', frameParts([{ timeS: 3, url: 'data:image/jpeg;base64,F3' }, { timeS: 4.25, url: 'data:image/jpeg;base64,F4' }])),
      toolFailureMessage('call_3', 'Video file not found: other.mp4'),
    ];
    expect(JSON.parse(JSON.stringify(round))).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'view_visual_prompt', arguments: '{"frame_path": "clip/frame_000391.jpg"}' } },
          { id: 'call_2', type: 'function', function: { name: 'crop_video', arguments: '{"video_path": "clip.mp4", "start_time": 3, "end_time": 5}' } },
          { id: 'call_3', type: 'function', function: { name: 'crop_video', arguments: '{"video_path": "other.mp4", "start_time": 3, "end_time": 5}' } },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_1',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,VP' } },
          { type: 'text', text: 'The tool executed successfully. Here are the processed result: ' },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_2',
        content: [
          { type: 'text', text: '<3.0 seconds>' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,F3' } },
          { type: 'text', text: '<4.2 seconds>' },
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,F4' } },
          { type: 'text', text: 'The tool executed successfully. Here are the processed result: ' },
        ],
      },
      { role: 'tool', tool_call_id: 'call_3', content: [{ type: 'text', text: 'Tool execution failed: Video file not found: other.mp4' }] },
    ]);
  });

  it('keeps the content of the assistant turn', () => {
    expect(assistantToolCallMessage('<think>look</think>', []).content).toBe('<think>look</think>');
    expect(assistantMessage(null)).toEqual({ role: 'assistant', content: '' });
  });
});
