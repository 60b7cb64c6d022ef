/**
 * A minimal, correct VideoSeeker client for testing the test double itself (server.test.ts) and
 * for smoke-driving it from a benchmark: it builds the first message from synthetic frames, reads
 * streamed or whole answers, runs the two tools on synthetic images and loops (§2.4). It is
 * deliberately naive (no retries, no text-mode tool calls); the real client lives in src/.
 */
import { jpegDataUrl } from './images';
import { protocolTools, TOOL_FAILURE_PREFIX, TOOL_SUCCESS_TEXT, toolModeUserText, type ToolName } from './protocolText';
import { floor2 } from './smartResize';

export interface AssembledToolCall {
  id: string;
  type: string;
  function: { name: string; arguments: string };
}

export interface Assembled {
  status: number;
  content: string | null;
  toolCalls: AssembledToolCall[];
  finishReason: string | null;
  usage: unknown;
  /** Stream only: `data: [DONE]` was seen. */
  done: boolean;
  /** Stream only: the raw chunks (parsed JSON). */
  chunks: Record<string, unknown>[];
}

type Delta = { content?: string; tool_calls?: { index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }[] };
type Chunk = { choices: { delta: Delta; finish_reason: string | null }[]; usage?: unknown };

/** Assembles an SSE body as a client would (tool-call deltas merged by index). */
export function assembleSse(text: string, status = 200): Assembled {
  const out: Assembled = { status, content: null, toolCalls: [], finishReason: null, usage: null, done: false, chunks: [] };
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ')) continue;
    const data = line.slice(6);
    if (data === '[DONE]') {
      out.done = true;
      continue;
    }
    const chunk = JSON.parse(data) as Chunk;
    out.chunks.push(chunk as unknown as Record<string, unknown>);
    if (chunk.usage) out.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (choice === undefined) continue;
    if (choice.delta.content !== undefined) out.content = (out.content ?? '') + choice.delta.content;
    for (const d of choice.delta.tool_calls ?? []) {
      const call = (out.toolCalls[d.index] ??= { id: '', type: '', function: { name: '', arguments: '' } });
      if (d.id) call.id = d.id;
      if (d.type) call.type = d.type;
      if (d.function?.name) call.function.name += d.function.name;
      if (d.function?.arguments) call.function.arguments += d.function.arguments;
    }
    if (choice.finish_reason) out.finishReason = choice.finish_reason;
  }
  return out;
}

export async function postChat(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Assembled> {
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream')) return assembleSse(text, res.status);
  const json = JSON.parse(text) as { choices?: { message: { content: string | null; tool_calls?: AssembledToolCall[] }; finish_reason: string }[]; usage?: unknown };
  const choice = json.choices?.[0];
  return { status: res.status, content: choice?.message.content ?? null, toolCalls: choice?.message.tool_calls ?? [], finishReason: choice?.finish_reason ?? null, usage: json.usage ?? null, done: false, chunks: [] };
}

/** The synthetic video a query is about: 1280x720, `durationS` long, frames at 1 fps. */
export interface QueryFixture {
  readonly durationS: number;
  readonly videoPath: string;
  readonly framePath: string;
  readonly question: string;
  readonly tools: readonly ToolName[];
  readonly stream: boolean;
}

export const DEFAULT_FIXTURE: QueryFixture = {
  durationS: 10,
  videoPath: 'clip.mp4',
  framePath: 'clip/frame_000100.jpg',
  question: 'What does the marked object do?\nA: It stops.\nB: It rolls left.\nC: It jumps.\nD: It vanishes.',
  tools: ['view_visual_prompt', 'crop_video'],
  stream: true,
};

let cached: { frame: string; crop: string; vp: string } | null = null;
/** Frames at smart_resize(720, 1280): 588x336 (200704 px) and 448x252 (crop, 112896 px); the visual prompt at full size, red. */
export function images(): { frame: string; crop: string; vp: string } {
  cached ??= { frame: jpegDataUrl(588, 336), crop: jpegDataUrl(448, 252), vp: jpegDataUrl(1280, 720, () => [230, 20, 20]) };
  return cached;
}

export type Part = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };
export const text = (t: string): Part => ({ type: 'text', text: t });
export const image = (url: string): Part => ({ type: 'image_url', image_url: { url } });
const label = (t: number): string => `<${t.toFixed(1)} seconds>`;

/** The first user message: n = duration frames (1 fps, even), labels 0.0, 1.0, ... */
export function firstMessage(fx: QueryFixture = DEFAULT_FIXTURE, frame = images().frame): { role: 'user'; content: Part[] } {
  const n = floor2(Math.min(Math.max(fx.durationS, 2), 64));
  const step = n > 1 ? (fx.durationS - 0.1) / (n - 1) : 0;
  const frames = Array.from({ length: n }, (_, i) => [text(label(i * step)), image(frame)]).flat();
  return { role: 'user', content: [...frames, text(toolModeUserText(fx.question, fx.videoPath, fx.framePath, fx.tools))] };
}

export function requestBody(messages: unknown[], fx: QueryFixture = DEFAULT_FIXTURE): Record<string, unknown> {
  return {
    model: 'videoseeker-fake',
    messages,
    max_tokens: 8192,
    temperature: 0,
    ...(fx.tools.length > 0 ? { tools: protocolTools(fx.tools), tool_choice: 'auto' } : {}),
    ...(fx.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** Runs one tool call the way §2.3 says: images + success text, or one failure text. */
export function runTool(call: AssembledToolCall, fx: QueryFixture = DEFAULT_FIXTURE): Part[] {
  const fail = (message: string): Part[] => [text(`${TOOL_FAILURE_PREFIX}${message}`)];
  let args: Record<string, unknown>;
  try {
    args = JSON.parse(call.function.arguments) as Record<string, unknown>;
  } catch {
    return fail(`Invalid arguments for ${call.function.name}: not JSON`);
  }
  if (call.function.name === 'view_visual_prompt') {
    return args.frame_path === fx.framePath ? [image(images().vp), text(TOOL_SUCCESS_TEXT)] : fail(`Frame file not found: ${String(args.frame_path)}`);
  }
  if (call.function.name !== 'crop_video') return fail(`Unknown tool: ${call.function.name}`);
  const { video_path: path, start_time: s, end_time: e } = args;
  if (typeof s !== 'number' || typeof e !== 'number' || typeof path !== 'string') return fail('Invalid arguments for crop_video: wrong types');
  const d = fx.durationS;
  if (s < 0) return fail(`start_time (${s}) must be non-negative`);
  if (e <= s) return fail(`end_time (${e}) must be greater than start_time (${s})`);
  if (s > d) return fail(`start_time (${s}s) exceeds video duration (${d}s)`);
  if (e > d) return fail(`end_time (${e}s) exceeds video duration (${d}s)`);
  if (path !== fx.videoPath) return fail(`Video file not found: ${path}`);
  const n = floor2(Math.min(Math.max((e - s) * 1, 4), 64));
  const frames = Array.from({ length: n }, (_, i) => [text(label(s + (i * (e - s)) / (n - 1))), image(images().crop)]).flat();
  return [...frames, text(TOOL_SUCCESS_TEXT)];
}

/** A whole query: at most 6 model calls. Returns every answer. */
export async function runQuery(url: string, fx: QueryFixture = DEFAULT_FIXTURE, maxCalls = 6): Promise<Assembled[]> {
  const messages: unknown[] = [firstMessage(fx)];
  const answers: Assembled[] = [];
  for (let i = 0; i < maxCalls; i++) {
    const answer = await postChat(url, requestBody(messages, fx));
    answers.push(answer);
    if (answer.status !== 200 || answer.toolCalls.length === 0) break;
    messages.push({ role: 'assistant', content: answer.content ?? '', tool_calls: answer.toolCalls });
    for (const call of answer.toolCalls) messages.push({ role: 'tool', tool_call_id: call.id, content: runTool(call, fx) });
  }
  return answers;
}
