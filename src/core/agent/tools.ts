/**
 * The two tools the model may call (protocol §2.3): their schemas, exactly as the model was
 * trained with them, and the checking of a call's arguments before the client runs it. A bad
 * call is never a crash: it becomes an error text the model reads in the tool message and can
 * correct ("Tool execution failed: <message>").
 *
 * Numbers in error messages are printed the way the Python reference prints them, since those
 * are the messages the model saw in training: `json.loads` keeps `5` an int and `5.0` a float,
 * and an f-string prints them as "5" and "5.0". So each argument's literal is kept as written
 * (jsonSource) and printed with pyNumberLiteralRepr; the video duration, a float in Python (frames
 * / fps), is printed as Python prints a float ("12.0", "12.345").
 */
import { member, parseJson, type JsonNode } from './jsonSource';
import type { EnabledTools } from './prompts';
import { pyFloatRepr, pyNumberLiteralRepr } from './pyNumbers';

export const VIEW_VISUAL_PROMPT = 'view_visual_prompt';
export const CROP_VIDEO = 'crop_video';

export const VIEW_VISUAL_PROMPT_TOOL = {
  type: 'function',
  function: {
    name: VIEW_VISUAL_PROMPT,
    description: 'View the visual prompt image for the current question.',
    parameters: {
      type: 'object',
      properties: { frame_path: { type: 'string', description: 'Path to the visual prompt frame image file' } },
      required: ['frame_path'],
    },
  },
} as const;

export const CROP_VIDEO_TOOL = {
  type: 'function',
  function: {
    name: CROP_VIDEO,
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
} as const;

export type ToolSchema = typeof VIEW_VISUAL_PROMPT_TOOL | typeof CROP_VIDEO_TOOL;

/** The `tools` of the request: the enabled ones, view_visual_prompt first (the reference's order). */
export function toolSchemas(tools: EnabledTools): ToolSchema[] {
  return [...(tools.viewVisualPrompt ? [VIEW_VISUAL_PROMPT_TOOL] : []), ...(tools.cropVideo ? [CROP_VIDEO_TOOL] : [])];
}

export const TOOL_SUCCESS_TEXT = 'The tool executed successfully. Here are the processed result: ';

export function toolFailureText(message: string): string {
  return `Tool execution failed: ${message}`;
}

/** What the client knows when it checks a call. */
export interface ToolContext {
  /** The names given to the model in USER_TEXT; a call must use them exactly. */
  readonly videoPath: string;
  readonly framePath: string;
  readonly durationS: number;
  readonly tools: EnabledTools;
}

export type ToolRequest =
  | { readonly tool: typeof VIEW_VISUAL_PROMPT; readonly framePath: string }
  | { readonly tool: typeof CROP_VIDEO; readonly videoPath: string; readonly startTime: number; readonly endTime: number };

export type Checked<T> = { readonly ok: true; readonly request: T } | { readonly ok: false; readonly error: string };

type Args = { readonly ok: true; readonly node: JsonNode } | { readonly ok: false; readonly error: string };

/**
 * The arguments string as a JSON object. An empty string counts as `{}` (some servers send it for
 * a call without arguments), so the model hears which argument is missing rather than "not JSON".
 */
function argumentObject(tool: string, raw: string): Args {
  const parsed = parseJson(raw.trim() === '' ? '{}' : raw);
  if (!parsed.ok) return { ok: false, error: `Invalid arguments for ${tool}: not valid JSON (${parsed.error})` };
  if (parsed.node.kind !== 'object') return { ok: false, error: `Invalid arguments for ${tool}: expected a JSON object, got ${parsed.node.kind}` };
  return parsed;
}

/** A required argument of the given JSON kind, or the error naming it. Extra arguments are ignored. */
function required<K extends 'string' | 'number'>(tool: string, args: JsonNode, name: string, kind: K): Extract<JsonNode, { kind: K }> | string {
  const node = member(args, name);
  if (node === undefined) return `Invalid arguments for ${tool}: missing required argument '${name}'`;
  if (node.kind !== kind) return `Invalid arguments for ${tool}: ${name} must be a ${kind}, got ${node.kind}`;
  return node as Extract<JsonNode, { kind: K }>;
}

/** view_visual_prompt(frame_path): the path must be the frame path given in USER_TEXT. */
export function checkViewVisualPrompt(raw: string, ctx: ToolContext): Checked<ToolRequest> {
  const args = argumentObject(VIEW_VISUAL_PROMPT, raw);
  if (!args.ok) return args;
  const path = required(VIEW_VISUAL_PROMPT, args.node, 'frame_path', 'string');
  if (typeof path === 'string') return { ok: false, error: path };
  // Worded like crop_video's "Video file not found"; the doc leaves this text to the client.
  if (path.value !== ctx.framePath) return { ok: false, error: `Visual prompt frame not found: ${path.value}` };
  return { ok: true, request: { tool: VIEW_VISUAL_PROMPT, framePath: path.value } };
}

/**
 * crop_video(video_path, start_time, end_time), checked in the reference's order: JSON, types
 * (in schema order), start < 0, end <= start, start > duration, end > duration, and last the
 * path. Booleans are not numbers here (Python would take True as 1), nor are numeric strings.
 */
export function checkCropVideo(raw: string, ctx: ToolContext): Checked<ToolRequest> {
  const args = argumentObject(CROP_VIDEO, raw);
  if (!args.ok) return args;
  const path = required(CROP_VIDEO, args.node, 'video_path', 'string');
  if (typeof path === 'string') return { ok: false, error: path };
  const start = required(CROP_VIDEO, args.node, 'start_time', 'number');
  if (typeof start === 'string') return { ok: false, error: start };
  const end = required(CROP_VIDEO, args.node, 'end_time', 'number');
  if (typeof end === 'string') return { ok: false, error: end };

  const s = pyNumberLiteralRepr(start.raw);
  const e = pyNumberLiteralRepr(end.raw);
  const d = pyFloatRepr(ctx.durationS);
  if (start.value < 0) return { ok: false, error: `start_time (${s}) must be non-negative` };
  if (end.value <= start.value) return { ok: false, error: `end_time (${e}) must be greater than start_time (${s})` };
  if (start.value > ctx.durationS) return { ok: false, error: `start_time (${s}s) exceeds video duration (${d}s)` };
  if (end.value > ctx.durationS) return { ok: false, error: `end_time (${e}s) exceeds video duration (${d}s)` };
  if (path.value !== ctx.videoPath) return { ok: false, error: `Video file not found: ${path.value}` };
  return { ok: true, request: { tool: CROP_VIDEO, videoPath: path.value, startTime: start.value, endTime: end.value } };
}

/** Checks a call to any tool; a tool that does not exist or was not offered is `Unknown tool: <name>`. */
export function checkToolCall(name: string, raw: string, ctx: ToolContext): Checked<ToolRequest> {
  if (name === VIEW_VISUAL_PROMPT && ctx.tools.viewVisualPrompt) return checkViewVisualPrompt(raw, ctx);
  if (name === CROP_VIDEO && ctx.tools.cropVideo) return checkCropVideo(raw, ctx);
  return { ok: false, error: `Unknown tool: ${name}` };
}
