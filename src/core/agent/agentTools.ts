/**
 * The tool half of a round: which calls a response made (the server's structured `tool_calls`,
 * or `<tool_call>` blocks written in the text), the assistant message that goes back into the
 * conversation, and running each call against the environment. A call never crashes the loop:
 * whatever goes wrong becomes a "Tool execution failed: ..." message the model reads.
 */
import { abortable, Cancelled, errorMessage } from './abortable';
import type { AgentVideo } from './agentTypes';
import { parseJson } from './jsonSource';
import { assistantToolCallMessage, frameParts, imagePart, toolFailureMessage, toolSuccessMessage, type AssistantMessage, type ToolMessage } from './messages';
import type { AgentEnvironment, EncodedImage } from './ports';
import type { EnabledTools } from './prompts';
import { sampleRange, smartResize } from './sampling';
import type { EndpointSettings } from './settings';
import type { AssembledMessage } from './streamAssembler';
import { parseToolCalls, type ParsedToolCall } from './toolCallParser';
import { checkToolCall, CROP_VIDEO, type ToolRequest } from './tools';
import type { ImageRef } from './trajectory';

/** One call of a response, as the loop will run it. */
export interface PlannedCall {
  readonly id: string;
  /** '' for a `<tool_call>` block that is not a well-formed call. */
  readonly name: string;
  /** As the model wrote them; for a malformed block, the block's raw text. */
  readonly arguments: string;
  readonly origin: 'structured' | 'text';
  /** Why a `<tool_call>` block could not be read as a call (it is answered with this error). */
  readonly parseError: string | null;
}

export interface ToolTurn {
  readonly calls: readonly PlannedCall[];
  /** The assistant message to append before the tool messages. */
  readonly assistant: AssistantMessage;
}

/** The id the client gives a call that has none: unique within the query. */
export function inventedCallId(roundIndex: number, callIndex: number): string {
  return `call_${roundIndex}_${callIndex}`;
}

/**
 * The calls of a response, or null when it made none: "the model called tools" is decided by
 * the presence of calls, not by finish_reason (§2). Structured calls win; only without them is the
 * text searched for `<tool_call>` blocks (a server without a tool parser leaves them there).
 */
export function planToolTurn(message: AssembledMessage, roundIndex: number): ToolTurn | null {
  if (message.toolCalls.length > 0) {
    const calls = message.toolCalls.map(
      (c, i): PlannedCall => ({ id: c.id !== '' ? c.id : inventedCallId(roundIndex, i), name: c.name, arguments: c.arguments, origin: 'structured', parseError: null }),
    );
    return { calls, assistant: assistantToolCallMessage(message.content, calls.map(wireCall)) };
  }
  const parsed = parseToolCalls(message.content);
  if (parsed.calls.length === 0) return null;
  const calls = parsed.calls.map(
    (c, i): PlannedCall =>
      c.ok
        ? { id: inventedCallId(roundIndex, i), name: c.name, arguments: c.arguments, origin: 'text', parseError: null }
        : { id: inventedCallId(roundIndex, i), name: '', arguments: c.raw, origin: 'text', parseError: c.error },
  );
  // The calls go back as structured tool_calls and their blocks leave the content: the server's
  // chat template renders tool_calls as <tool_call> blocks, so keeping them in the content too
  // would show the model every call twice. A malformed block stays in the content as written
  // (the error answering it refers to that text) and is paired with an empty placeholder call,
  // so that its tool message answers a call, as strict servers require.
  return { calls, assistant: assistantToolCallMessage(contentWithoutCalls(message.content, parsed.calls), calls.map(wireCall)) };
}

/**
 * A call as it goes back to the server. Arguments that are not a JSON object are sent as `{}`:
 * servers turn the arguments of past calls into objects for the chat template, and older vLLM
 * versions fail the whole request (every later round included) on a string that does not parse,
 * while newer ones replace it with `{}` themselves. The model still hears what was wrong from the
 * tool message. A malformed text block gets an empty name, as no name could be read from it.
 */
function wireCall(call: PlannedCall): { id: string; name: string; arguments: string } {
  return { id: call.id, name: call.name, arguments: call.parseError === null && isJsonObject(call.arguments) ? call.arguments : '{}' };
}

function isJsonObject(text: string): boolean {
  const parsed = parseJson(text);
  return parsed.ok && parsed.node.kind === 'object';
}

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/**
 * The text with its well-formed `<tool_call>` blocks removed and trimmed, as a tool parser would
 * leave it; malformed blocks are kept. Scans exactly as parseToolCalls does, so `calls[i]` is the
 * i-th block found (an unclosed last block runs to the end).
 */
function contentWithoutCalls(text: string, calls: readonly ParsedToolCall[]): string {
  let out = '';
  let pos = 0;
  for (let i = 0; ; i++) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) break;
    const close = text.indexOf(CLOSE, open + OPEN.length);
    const end = close < 0 ? text.length : close + CLOSE.length;
    out += text.slice(pos, open);
    if (!calls[i]?.ok) out += text.slice(open, end);
    pos = end;
  }
  return (out + text.slice(pos)).trim();
}

/** What a tool needs from the query. */
export interface ToolEnvironment {
  readonly environment: AgentEnvironment;
  readonly video: AgentVideo;
  readonly settings: EndpointSettings;
  /** The tools offered in this query. */
  readonly tools: EnabledTools;
  readonly signal: AbortSignal;
}

export interface CallResult {
  readonly message: ToolMessage;
  readonly images: readonly ImageRef[];
  /** The text after "Tool execution failed: ", or null on success. */
  readonly error: string | null;
  /** Set when the environment (not the model) was at fault: the query records it as a problem. */
  readonly environmentError: string | null;
}

function failed(id: string, error: string, environmentError: string | null = null): CallResult {
  return { message: toolFailureMessage(id, error), images: [], error, environmentError };
}

/** Runs one call; throws only `Cancelled`. */
export async function executeCall(call: PlannedCall, env: ToolEnvironment): Promise<CallResult> {
  if (call.parseError !== null) return failed(call.id, call.parseError);
  const { video } = env;
  const checked = checkToolCall(call.name, call.arguments, { videoPath: video.videoPath, framePath: video.framePath, durationS: video.durationS, tools: env.tools });
  if (!checked.ok) return failed(call.id, checked.error);
  try {
    return await run(call.id, checked.request, env);
  } catch (error) {
    if (error instanceof Cancelled || env.signal.aborted) throw new Cancelled();
    // Worded for the model, which only knows the tool failed, not why the browser could not do it.
    const what = checked.request.tool === CROP_VIDEO ? 'Could not extract frames from the video' : 'Could not load the visual prompt frame';
    const message = `${what} (${errorMessage(error)})`;
    return failed(call.id, message, message);
  }
}

async function run(id: string, request: ToolRequest, { environment, video, settings, signal }: ToolEnvironment): Promise<CallResult> {
  const encoding = { format: settings.imageFormat, quality: settings.jpegQuality };
  if (request.tool !== CROP_VIDEO) {
    const image = await abortable(environment.visualPromptImage(encoding, signal), signal);
    const ref: ImageRef = { source: 'visual-prompt', frame: video.visualPromptFrame, width: image.width, height: image.height, bytes: image.bytes };
    return { message: toolSuccessMessage(id, [imagePart(image.url)]), images: [ref], error: null, environmentError: null };
  }
  const { crop, sampling } = settings;
  const sample = sampleRange(video.timestamps, request.startTime, request.endTime, { fps: crop.fps, minFrames: crop.minFrames, maxFrames: crop.maxFrames });
  if (sample.indices.length === 0) throw new Error('no frames in the range');
  const size = smartResize(video.height, video.width, { factor: sampling.factor, minPixels: sampling.minPixels, maxPixels: crop.maxPixels });
  const images = await encodeAll(environment, sample.indices, { ...size, ...encoding }, signal);
  const parts = frameParts(images.map((image, k) => ({ timeS: sample.times[k]!, url: image.url })));
  const refs = images.map((image, k): ImageRef => frameRef(sample.indices[k]!, sample.times[k]!, image));
  return { message: toolSuccessMessage(id, parts), images: refs, error: null, environmentError: null };
}

/** encodeFrames, checked to return one image per index. */
export async function encodeAll(
  environment: AgentEnvironment,
  indices: readonly number[],
  options: Parameters<AgentEnvironment['encodeFrames']>[1],
  signal: AbortSignal,
): Promise<EncodedImage[]> {
  const images = await abortable(environment.encodeFrames(indices, options, signal), signal);
  if (images.length !== indices.length) throw new Error(`${images.length} images for ${indices.length} frames`);
  return images;
}

export function frameRef(index: number, timeS: number, image: EncodedImage): ImageRef {
  return { source: 'frame', index, timeS, width: image.width, height: image.height, bytes: image.bytes };
}
