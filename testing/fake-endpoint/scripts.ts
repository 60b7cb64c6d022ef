/**
 * The scripted behaviours of the fake model: VideoSeeker-style trajectories (think, call tools,
 * answer), misbehaving models, and failing servers. A trajectory is decided from the request
 * alone (its round = the number of assistant turns already in it), so one script serves any
 * number of concurrent queries; only the "fail N times, then answer" scripts count requests.
 */
import { randomBytes } from 'node:crypto';
import { CROP_VIDEO, VIEW_VISUAL_PROMPT } from './protocolText';
import type { ChatRequestView } from './types';

export const TRAJECTORY_SCRIPTS = [
  'videoseeker',
  'videoseeker-text',
  'direct',
  'parallel-tools',
  'unknown-tool',
  'bad-arguments',
  'wrong-types',
  'start-after-end',
  'past-end',
  'endless-tools',
  'no-answer',
  'truncated-stream',
  'slow',
  'slow-stream',
] as const;

export const FAILURE_SCRIPTS = [
  'http-401',
  'http-403',
  'http-413',
  'http-429-then-ok',
  'http-500-always',
  'http-503-then-ok',
  'context-overflow',
  'hang',
  'non-json',
] as const;

export const SCRIPT_NAMES = [...TRAJECTORY_SCRIPTS, ...FAILURE_SCRIPTS] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];
export type TrajectoryScript = (typeof TRAJECTORY_SCRIPTS)[number];

export const isScriptName = (name: unknown): name is ScriptName => typeof name === 'string' && (SCRIPT_NAMES as readonly string[]).includes(name);

export interface ScriptOptions {
  /** The final answer: a letter for multiple choice (default "B"), else a sentence. */
  readonly answer?: string;
  /** `*-then-ok`: how many requests fail first (default 2). */
  readonly failures?: number;
  /** `http-429-then-ok` / `http-503-then-ok`: the Retry-After header, seconds (default 1). */
  readonly retryAfterS?: number;
  /** `*-then-ok`: the script played once the failures are over (default "videoseeker"). */
  readonly then?: TrajectoryScript;
  /** Milliseconds between stream chunks for this script (default: the server's; `slow`: 1000; `slow-stream`: 300). */
  readonly chunkDelayMs?: number;
  /** Seconds every round waits before its answer starts (default: the server's `latencyS`, else 0). */
  readonly latencyS?: number;
  /** The crop_video range asked for (default [0, 3], clamped to the duration). */
  readonly cropRange?: readonly [number, number];
  /** `truncated-stream`: chunks sent before the connection dies (default 3). */
  readonly truncateAfterChunks?: number;
  /** `truncated-stream`: 'destroy' the socket (default) or 'end' the response cleanly without [DONE]. */
  readonly truncateMode?: 'destroy' | 'end';
}

export interface ToolCallOut {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export interface Completion {
  /** null when the model wrote nothing but tool calls. */
  readonly content: string | null;
  readonly toolCalls: readonly ToolCallOut[];
  readonly finishReason: 'stop' | 'tool_calls';
}

export type Reply =
  | { readonly kind: 'completion'; readonly completion: Completion }
  | { readonly kind: 'truncated'; readonly completion: Completion; readonly afterChunks: number; readonly mode: 'destroy' | 'end' }
  | { readonly kind: 'error'; readonly status: number; readonly type: string; readonly message: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly kind: 'hang' };

/** What the trajectory needs to know about the query, found by the protocol checks. */
export interface QueryFacts {
  readonly videoPath: string | null;
  readonly framePath: string | null;
  readonly multipleChoice: boolean;
  /** Best guess of the video duration in seconds (configured, else the last frame label). */
  readonly durationS: number | null;
}

/**
 * Failure scripts that answer before looking at the request, as a proxy or an overloaded server
 * would: `{reply}`, or `{play}` when the request is to be answered by that trajectory script.
 */
export function gate(name: ScriptName, options: ScriptOptions, served: number): { reply: Reply } | { play: TrajectoryScript } {
  const failures = options.failures ?? 2;
  const retry = { 'Retry-After': String(options.retryAfterS ?? 1) };
  switch (name) {
    case 'http-401':
      return { reply: { kind: 'error', status: 401, type: 'AuthenticationError', message: 'Unauthorized' } };
    case 'http-403':
      return { reply: { kind: 'error', status: 403, type: 'PermissionDeniedError', message: 'Forbidden: this key may not use this model' } };
    case 'http-413':
      // What a reverse proxy (nginx) in front of the model says: HTML, not JSON.
      return { reply: { kind: 'raw', status: 413, contentType: 'text/html', body: '<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' } };
    case 'http-429-then-ok':
      return served < failures ? { reply: { kind: 'error', status: 429, type: 'RateLimitError', message: 'Too many requests, please retry later', headers: retry } } : { play: options.then ?? 'videoseeker' };
    case 'http-500-always':
      return { reply: { kind: 'error', status: 500, type: 'InternalServerError', message: 'Internal server error (fake endpoint: http-500-always)' } };
    case 'http-503-then-ok':
      return served < failures ? { reply: { kind: 'error', status: 503, type: 'ServiceUnavailableError', message: 'The server is loading the model, try again', headers: retry } } : { play: options.then ?? 'videoseeker' };
    case 'context-overflow':
      return {
        reply: {
          kind: 'error',
          status: 400,
          type: 'BadRequestError',
          message: "This model's maximum context length is 32768 tokens. However, you requested 40960 tokens (32768 in the messages, 8192 in the completion). Please reduce the length of the messages or completion.",
        },
      };
    case 'hang':
      return { reply: { kind: 'hang' } };
    case 'non-json':
      return { reply: { kind: 'raw', status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>\n' } };
    default:
      return { play: name };
  }
}

const toolCallId = (): string => `chatcmpl-tool-${randomBytes(16).toString('hex')}`;

/** A JSON value printed as Python's json.dumps does: ", " and ": " separators, 3.0 not 3. */
export function pyJson(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  if (Array.isArray(value)) return `[${value.map(pyJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pyJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

const LONG_THINKING = Array.from({ length: 200 }, (_, i) => `step${i + 1}`).join(' ');

type Step = { think: string; calls: { name: string; args: string }[] } | { final: string };

function steps(script: TrajectoryScript, req: ChatRequestView, facts: QueryFacts, options: ScriptOptions): Step[] {
  const hasVp = req.tools.includes(VIEW_VISUAL_PROMPT);
  const hasCrop = req.tools.includes(CROP_VIDEO);
  const framePath = facts.framePath ?? 'frame.jpg';
  const videoPath = facts.videoPath ?? 'video.mp4';
  const d = facts.durationS ?? 3;
  const [from, to] = options.cropRange ?? [0, 3];
  const cropArgs = (s: number, e: unknown): string => pyJson({ video_path: videoPath, start_time: s, end_time: e });
  const vp = { think: '<think>The question is about one marked instance. I should first look at the visual prompt to see which object is marked.</think>\n', calls: [{ name: VIEW_VISUAL_PROMPT, args: pyJson({ frame_path: framePath }) }] };
  const crop = {
    think: '<think>I can see the marked object now. I will inspect the first seconds of the video more closely to follow it.</think>\n',
    calls: [{ name: CROP_VIDEO, args: cropArgs(Math.min(from, d), round1(Math.min(to, d))) }],
  };
  const letter = options.answer ?? 'B';
  const answer = facts.multipleChoice ? letter : (options.answer ?? 'The marked object is a red ball rolling to the left.');
  const final = { final: `<think>The frames show the marked object clearly; comparing what it does with the question, the answer is ${answer}.</think>\n<answer>${answer}</answer>` };
  const bad = (name: string, args: string): Step => ({ think: '<think>Let me look more closely.</think>\n', calls: [{ name, args }] });
  if (req.tools.length === 0) return [script === 'direct' ? { final: answer } : final];
  switch (script) {
    case 'direct':
      return [{ final: answer }];
    case 'parallel-tools':
      return [{ think: vp.think, calls: [...(hasVp ? vp.calls : []), ...(hasCrop ? crop.calls : [])] }, final];
    case 'unknown-tool':
      return [bad('zoom_in', pyJson({ frame_path: framePath, bbox: [0.1, 0.1, 0.5, 0.5] })), final];
    case 'bad-arguments':
      return [bad(CROP_VIDEO, `{"video_path": "${videoPath}", "start_time": 0.0, "end_time": `), final];
    case 'wrong-types':
      return [bad(CROP_VIDEO, pyJson({ video_path: videoPath, start_time: '0.0', end_time: round1(Math.min(3, d)) })), final];
    case 'start-after-end':
      return [bad(CROP_VIDEO, cropArgs(3, 1)), final];
    case 'past-end':
      return [bad(CROP_VIDEO, cropArgs(0, round1(d + 10))), final];
    case 'endless-tools':
      return []; // every round: a tool call (see play)
    case 'slow-stream':
      // A long answer streamed a word at a time (300 ms apart by default): about a minute of
      // chunks, each one a change in the app's store, as a thinking model on a busy server.
      return [{ final: `<think>${LONG_THINKING}</think>\n<answer>${answer}</answer>` }];
    case 'no-answer':
      return [...(hasVp ? [vp] : []), ...(hasCrop ? [crop] : []), { final: '<think>I looked at the frames but I still cannot tell what the marked object does.</think>' }];
    default:
      return [...(hasVp ? [vp] : []), ...(hasCrop ? [crop] : []), final];
  }
}

/** The model's answer for this round of a trajectory script. */
export function play(script: TrajectoryScript, req: ChatRequestView, facts: QueryFacts, options: ScriptOptions): Reply {
  const round = req.messages.filter((m) => m.role === 'assistant').length;
  const plan = steps(script, req, facts, options);
  const step: Step =
    script === 'endless-tools' && req.tools.length > 0
      ? { think: `<think>Round ${round + 1}: I need to look again.</think>\n`, calls: [req.tools.includes(CROP_VIDEO) ? { name: CROP_VIDEO, args: pyJson({ video_path: facts.videoPath ?? 'video.mp4', start_time: 0, end_time: round1(Math.min(3, facts.durationS ?? 3)) }) } : { name: VIEW_VISUAL_PROMPT, args: pyJson({ frame_path: facts.framePath ?? 'frame.jpg' }) }] }
      : (plan[Math.min(round, plan.length - 1)] ?? { final: '' });
  let completion: Completion;
  if ('final' in step) completion = { content: step.final, toolCalls: [], finishReason: 'stop' };
  else if (script === 'videoseeker-text') {
    // A server without a tool parser: the calls stay in the text (§2.4).
    const blocks = step.calls.map((c) => `<tool_call>\n{"name": ${JSON.stringify(c.name)}, "arguments": ${c.args}}\n</tool_call>`).join('\n');
    completion = { content: `${step.think}${blocks}`, toolCalls: [], finishReason: 'stop' };
  } else {
    completion = { content: step.think, toolCalls: step.calls.map((c) => ({ id: toolCallId(), name: c.name, arguments: c.args })), finishReason: 'tool_calls' };
  }
  if (script === 'truncated-stream') return { kind: 'truncated', completion, afterChunks: options.truncateAfterChunks ?? 3, mode: options.truncateMode ?? 'destroy' };
  return { kind: 'completion', completion };
}
