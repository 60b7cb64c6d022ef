/**
 * The text the model reads (protocol §2.2 and §3): the prompt strings, verbatim — the model was
 * trained on these exact strings, double spaces and odd wording included, so they are copied,
 * never reworded — the USER_TEXT built from them, and the `<vp>` placeholder phrases.
 */

export const SYSTEM_PROMPT =
  'You are a helpful assistant. When the user asks a question, your response must include two parts: first, the reasoning process enclosed in <think>...</think> tags, then the final answer enclosed in <answer>...</answer> tags. Please provide a clear, concise response within <answer></answer> tags that directly addresses the question.';

export const TOOL_PROMPT =
  'Think first, call **view_visual_prompt** and **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: {video_path}, The visual prompt frame path for this video is: {frame_path}.';

/** TOOL_PROMPT when only view_visual_prompt is offered ("and if needed" is the reference's wording). */
export const TOOL_PROMPT_VP_ONLY =
  'Think first, call **view_visual_prompt** and if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The visual prompt frame path for this video is: {frame_path}.';

/** TOOL_PROMPT when only crop_video is offered. */
export const TOOL_PROMPT_CROP_ONLY =
  'Think first, call **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: {video_path}.';

/** Appended (after a space) to a multiple-choice question in direct mode. Starts with a newline. */
export const MC_PROMPT = '\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';

export type Mode = 'tool' | 'reasoning' | 'direct';

export interface EnabledTools {
  readonly viewVisualPrompt: boolean;
  readonly cropVideo: boolean;
}

export interface UserTextInput {
  readonly mode: Mode;
  readonly question: string;
  /** Multiple-choice options, lettered A to D in order; absent or empty for an open-ended question. */
  readonly options?: readonly string[];
  /** The names the model echoes back in tool calls (the client invents them). */
  readonly videoPath: string;
  readonly framePath: string;
  readonly tools: EnabledTools;
}

export const OPTION_LETTERS = ['A', 'B', 'C', 'D'] as const;

/**
 * The question with its options, one per line: `question + "\nA: ...\nB: ..."`.
 * Throws a RangeError for more than four options: answers are read with `[A-D]`.
 */
export function questionWithOptions(question: string, options: readonly string[] = []): string {
  if (options.length > OPTION_LETTERS.length) throw new RangeError(`At most ${OPTION_LETTERS.length} options (A-D), got ${options.length}`);
  return question + options.map((option, i) => `\n${OPTION_LETTERS[i]}: ${option}`).join('');
}

/** Fills `{name}` placeholders; a function replacer so that `$` in a path is not a pattern. */
function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** The TOOL_PROMPT variant for the tools offered, or null when none is. */
export function toolPrompt(tools: EnabledTools, videoPath: string, framePath: string): string | null {
  const template = tools.viewVisualPrompt ? (tools.cropVideo ? TOOL_PROMPT : TOOL_PROMPT_VP_ONLY) : tools.cropVideo ? TOOL_PROMPT_CROP_ONLY : null;
  return template === null ? null : fill(template, { video_path: videoPath, frame_path: framePath });
}

/**
 * USER_TEXT, the last part of the first user message (§2.2):
 * - tool:      SYSTEM_PROMPT + "\n\n" + question + " " + TOOL_PROMPT(...)
 * - reasoning: SYSTEM_PROMPT + "\n\n" + question
 * - direct:    question + " " + MC_PROMPT for multiple choice, else question
 * where question includes the options. Tool mode with no tool enabled is reasoning mode: a
 * prompt inviting calls to tools the request does not offer would only produce failed calls.
 */
export function buildUserText({ mode, question, options, videoPath, framePath, tools }: UserTextInput): string {
  const full = questionWithOptions(question, options);
  const multipleChoice = (options?.length ?? 0) > 0;
  switch (mode) {
    case 'direct':
      return multipleChoice ? `${full} ${MC_PROMPT}` : full;
    case 'reasoning':
      return `${SYSTEM_PROMPT}\n\n${full}`;
    case 'tool': {
      const prompt = toolPrompt(tools, videoPath, framePath);
      return prompt === null ? `${SYSTEM_PROMPT}\n\n${full}` : `${SYSTEM_PROMPT}\n\n${full} ${prompt}`;
    }
  }
}

export const VISUAL_PROMPT_TYPES = ['rectangle', 'mask_contour', 'ellipse', 'triangle', 'scribble', 'point', 'arrow', 'set_of_mark'] as const;
export type VisualPromptType = (typeof VISUAL_PROMPT_TYPES)[number];

const VP_PHRASES: Readonly<Record<VisualPromptType, string>> = {
  rectangle: 'the target in the highlighted box',
  mask_contour: 'the target outlined by the contour',
  ellipse: 'the target inside the ellipse',
  triangle: 'the target indicated by the triangle marker',
  scribble: 'the target under the scribble mark',
  point: 'the target marked by the point',
  arrow: 'the target indicated by the arrow',
  set_of_mark: 'the target marked with number {n}',
};

export const VP_PLACEHOLDER = '<vp>';

/** The phrase for a visual prompt type (§3). set_of_mark needs its tag number `n` (RangeError without). */
export function vpPhrase(type: VisualPromptType, n?: number): string {
  if (type !== 'set_of_mark') return VP_PHRASES[type];
  if (n === undefined || !Number.isFinite(n)) throw new RangeError('set_of_mark needs the number on its tag');
  return fill(VP_PHRASES.set_of_mark, { n: String(n) });
}

/** The question with every `<vp>` replaced by the type's phrase; unchanged when it has none. */
export function replaceVp(question: string, type: VisualPromptType, n?: number): string {
  if (!question.includes(VP_PLACEHOLDER)) return question;
  return question.split(VP_PLACEHOLDER).join(vpPhrase(type, n));
}
