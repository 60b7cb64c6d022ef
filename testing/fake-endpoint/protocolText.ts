/**
 * The contract's exact strings and tool schemas (docs/videoseeker-protocol.md §2.2-§2.4), copied
 * here from the document on purpose rather than imported from src/: a test double that shared the
 * client's constants would agree with a client bug instead of catching it.
 */

export const SYSTEM_PROMPT =
  'You are a helpful assistant. When the user asks a question, your response must include two parts: first, the reasoning process enclosed in <think>...</think> tags, then the final answer enclosed in <answer>...</answer> tags. Please provide a clear, concise response within <answer></answer> tags that directly addresses the question.';

export const TOOL_PROMPT =
  'Think first, call **view_visual_prompt** and **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: {video_path}, The visual prompt frame path for this video is: {frame_path}.';
export const TOOL_PROMPT_VP_ONLY =
  'Think first, call **view_visual_prompt** and if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The visual prompt frame path for this video is: {frame_path}.';
export const TOOL_PROMPT_CROP_ONLY =
  'Think first, call **crop_video** if needed, then answer. Format strictly as:  <think>...</think>  <tool_call>...</tool_call> (if tools needed)  <answer>...</answer>. The Video path for this video is: {video_path}.';
export const MC_PROMPT = '\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';

export const TOOL_SUCCESS_TEXT = 'The tool executed successfully. Here are the processed result: ';
export const TOOL_FAILURE_PREFIX = 'Tool execution failed: ';

export const VIEW_VISUAL_PROMPT = 'view_visual_prompt';
export const CROP_VIDEO = 'crop_video';
export type ToolName = typeof VIEW_VISUAL_PROMPT | typeof CROP_VIDEO;

// §2.3 verbatim (the JSON lines of the document), parsed once.
const VIEW_VISUAL_PROMPT_JSON =
  '{"type":"function","function":{"name":"view_visual_prompt","description":"View the visual prompt image for the current question.","parameters":{"type":"object","properties":{"frame_path":{"type":"string","description":"Path to the visual prompt frame image file"}},"required":["frame_path"]}}}';
const CROP_VIDEO_JSON =
  '{"type":"function","function":{"name":"crop_video","description":"Crop a video to a specified duration, returning extracted frames for inspection.","parameters":{"type":"object","properties":{"video_path":{"type":"string","description":"Path to the video file"},"start_time":{"type":"number","description":"Start time in seconds"},"end_time":{"type":"number","description":"End time in seconds, must be greater than start_time"}},"required":["video_path","start_time","end_time"]}}}';

export const TOOL_SCHEMAS: Readonly<Record<ToolName, unknown>> = {
  view_visual_prompt: JSON.parse(VIEW_VISUAL_PROMPT_JSON) as unknown,
  crop_video: JSON.parse(CROP_VIDEO_JSON) as unknown,
};

/** The tools array of a request offering both tools, in the reference's order (for tests). */
export function protocolTools(names: readonly ToolName[] = [VIEW_VISUAL_PROMPT, CROP_VIDEO]): unknown[] {
  return names.map((name) => structuredClone(TOOL_SCHEMAS[name]));
}

/** The TOOL_PROMPT variant the client must use for the offered tools; null when none. */
export function toolPromptTemplate(tools: readonly ToolName[]): string | null {
  const vp = tools.includes(VIEW_VISUAL_PROMPT);
  const crop = tools.includes(CROP_VIDEO);
  return vp ? (crop ? TOOL_PROMPT : TOOL_PROMPT_VP_ONLY) : crop ? TOOL_PROMPT_CROP_ONLY : null;
}

export function fillTemplate(template: string, values: { video_path: string; frame_path: string }): string {
  // A function replacer: a `$` in a path is not a replacement pattern.
  return template.replace(/\{(video_path|frame_path)\}/g, (_, name: 'video_path' | 'frame_path') => values[name]);
}

/** USER_TEXT of tool mode (§2.2), e.g. for tests building a valid first message. */
export function toolModeUserText(question: string, videoPath: string, framePath: string, tools: readonly ToolName[] = [VIEW_VISUAL_PROMPT, CROP_VIDEO]): string {
  const template = toolPromptTemplate(tools);
  const suffix = template === null ? '' : ` ${fillTemplate(template, { video_path: videoPath, frame_path: framePath })}`;
  return `${SYSTEM_PROMPT}\n\n${question}${suffix}`;
}

export interface ParsedUserText {
  readonly mode: 'tool' | 'reasoning' | 'direct';
  readonly question: string;
  readonly videoPath: string | null;
  readonly framePath: string | null;
  /** The question lists options ("\nA: ..."): the answer is a letter. */
  readonly multipleChoice: boolean;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Reads USER_TEXT back: which mode it is in and the two paths the client invented. Lenient on
 * purpose (it only finds the paths); whether the text is exactly right is checked separately by
 * `userTextProblems`.
 */
export function parseUserText(text: string): ParsedUserText {
  const framePath = /The visual prompt frame path for this video is: ([\s\S]+)\.\s*$/.exec(text)?.[1] ?? null;
  const videoPath = /The Video path for this video is: ([\s\S]+?)(?:, The visual prompt frame path for this video is: |\.\s*$)/.exec(text)?.[1] ?? null;
  const withSystem = text.startsWith(`${SYSTEM_PROMPT}\n\n`);
  const body = withSystem ? text.slice(SYSTEM_PROMPT.length + 2) : text;
  const cut = body.indexOf(' Think first, call **');
  const question = cut >= 0 ? body.slice(0, cut) : body;
  const mode = !withSystem ? 'direct' : videoPath !== null || framePath !== null ? 'tool' : 'reasoning';
  return { mode, question, videoPath, framePath, multipleChoice: /\nA: /.test(question) };
}

/** What is wrong with USER_TEXT given the tools the request offers ([] when none). */
export function userTextProblems(text: string, tools: readonly ToolName[]): string[] {
  const template = toolPromptTemplate(tools);
  if (template !== null) {
    const pattern = new RegExp(
      `^${escapeRegExp(`${SYSTEM_PROMPT}\n\n`)}[\\s\\S]+ ${escapeRegExp(template).replace(/\\\{(video_path|frame_path)\\\}/g, '[\\s\\S]+?')}$`,
    );
    return pattern.test(text) ? [] : [`USER_TEXT is not SYSTEM_PROMPT + "\\n\\n" + question + " " + the TOOL_PROMPT variant for tools [${tools.join(', ')}] (§2.2)`];
  }
  if (text.startsWith(SYSTEM_PROMPT)) {
    return text.startsWith(`${SYSTEM_PROMPT}\n\n`) && text.length > SYSTEM_PROMPT.length + 2 ? [] : ['USER_TEXT of reasoning mode must be SYSTEM_PROMPT + "\\n\\n" + question (§2.2)'];
  }
  if (text.includes('Think first, call **')) return ['USER_TEXT has a TOOL_PROMPT but the request offers no tools'];
  if (/\nA: /.test(text) && !text.endsWith(` ${MC_PROMPT}`)) return ['USER_TEXT of direct mode with options must end with " " + MC_PROMPT (§2.2)'];
  return [];
}
