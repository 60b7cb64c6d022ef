import { describe, expect, it } from 'vitest';
import {
  MC_PROMPT,
  SYSTEM_PROMPT,
  TOOL_PROMPT,
  TOOL_PROMPT_CROP_ONLY,
  TOOL_PROMPT_VP_ONLY,
  VISUAL_PROMPT_TYPES,
  buildUserText,
  questionWithOptions,
  replaceVp,
  toolPrompt,
  vpPhrase,
  type UserTextInput,
} from './prompts';

const both = { viewVisualPrompt: true, cropVideo: true };
const base: UserTextInput = {
  mode: 'tool',
  question: 'What colour is the target in the highlighted box?',
  options: ['Red', 'Blue', 'Green', 'White'],
  videoPath: 'clip.mp4',
  framePath: 'clip/frame_000391.jpg',
  tools: both,
};
const MCQ = 'What colour is the target in the highlighted box?\nA: Red\nB: Blue\nC: Green\nD: White';

describe('prompt strings', () => {
  it('are the reference strings, double spaces and all', () => {
    expect(SYSTEM_PROMPT.startsWith('You are a helpful assistant. When the user asks a question, your response must include two parts')).toBe(true);
    expect(SYSTEM_PROMPT.endsWith('within <answer></answer> tags that directly addresses the question.')).toBe(true);
    for (const p of [TOOL_PROMPT, TOOL_PROMPT_VP_ONLY, TOOL_PROMPT_CROP_ONLY]) {
      expect(p).toContain('Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>.');
    }
    expect(TOOL_PROMPT_VP_ONLY.startsWith('Think first, call **view_visual_prompt** and if needed, then answer.')).toBe(true);
    expect(MC_PROMPT).toBe('\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.');
  });
});

describe('buildUserText', () => {
  it('tool mode with both tools (golden)', () => {
    expect(buildUserText(base)).toBe(
      'You are a helpful assistant. When the user asks a question, your response must include two parts: first, the reasoning process enclosed in <think>...</think> tags, then the final answer enclosed in <answer>...</answer> tags. Please provide a clear, concise response within <answer></answer> tags that directly addresses the question.' +
        '\n\n' +
        MCQ +
        ' Think first, call **view_visual_prompt** and **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: clip.mp4, The visual prompt frame path for this video is: clip/frame_000391.jpg.',
    );
  });

  it('tool mode picks the variant for the tools offered', () => {
    expect(buildUserText({ ...base, tools: { viewVisualPrompt: true, cropVideo: false } })).toBe(
      `${SYSTEM_PROMPT}\n\n${MCQ} Think first, call **view_visual_prompt** and if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The visual prompt frame path for this video is: clip/frame_000391.jpg.`,
    );
    expect(buildUserText({ ...base, tools: { viewVisualPrompt: false, cropVideo: true } })).toBe(
      `${SYSTEM_PROMPT}\n\n${MCQ} Think first, call **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: clip.mp4.`,
    );
    // No tool offered: reasoning mode's text.
    expect(buildUserText({ ...base, tools: { viewVisualPrompt: false, cropVideo: false } })).toBe(`${SYSTEM_PROMPT}\n\n${MCQ}`);
  });

  it('reasoning mode', () => {
    expect(buildUserText({ ...base, mode: 'reasoning' })).toBe(`${SYSTEM_PROMPT}\n\n${MCQ}`);
    expect(buildUserText({ ...base, mode: 'reasoning', options: undefined })).toBe(`${SYSTEM_PROMPT}\n\nWhat colour is the target in the highlighted box?`);
  });

  it('direct mode', () => {
    expect(buildUserText({ ...base, mode: 'direct' })).toBe(
      'What colour is the target in the highlighted box?\nA: Red\nB: Blue\nC: Green\nD: White \nSelect the best option that accurately addresses the question. Give only your option letter, no other words.',
    );
    expect(buildUserText({ ...base, mode: 'direct', options: [] })).toBe('What colour is the target in the highlighted box?');
  });

  it('inserts paths literally, $ patterns and braces included', () => {
    expect(toolPrompt(both, 'a$&b {frame_path}.mp4', 'f$1.jpg')).toContain('is: a$&b {frame_path}.mp4, The visual prompt frame path for this video is: f$1.jpg.');
  });

  it('letters up to four options', () => {
    expect(questionWithOptions('Q?', ['x', 'y'])).toBe('Q?\nA: x\nB: y');
    expect(() => questionWithOptions('Q?', ['1', '2', '3', '4', '5'])).toThrow(RangeError);
  });
});

describe('visual prompt phrases', () => {
  it('has the eight phrases of §3', () => {
    expect(VISUAL_PROMPT_TYPES.map((t) => (t === 'set_of_mark' ? vpPhrase(t, 3) : vpPhrase(t)))).toEqual([
      'the target in the highlighted box',
      'the target outlined by the contour',
      'the target inside the ellipse',
      'the target indicated by the triangle marker',
      'the target under the scribble mark',
      'the target marked by the point',
      'the target indicated by the arrow',
      'the target marked with number 3',
    ]);
    expect(() => vpPhrase('set_of_mark')).toThrow(RangeError);
  });

  it('replaces every <vp>', () => {
    expect(replaceVp('What is <vp> doing?', 'arrow')).toBe('What is the target indicated by the arrow doing?');
    expect(replaceVp('Is <vp> left of <vp>?', 'set_of_mark', 2)).toBe('Is the target marked with number 2 left of the target marked with number 2?');
    expect(replaceVp('No placeholder', 'set_of_mark')).toBe('No placeholder');
  });
});
