/**
 * Protocol-level checks of what the client sent (docs/videoseeker-protocol.md §2): the frames of
 * the first user message, USER_TEXT, the assistant turns echoed back, and every tool result
 * against the call it answers. This is how tests see what the client did: each finding becomes a
 * line in the request record's `problems` (and, when the double is strict, a 400).
 *
 * Where the double cannot know the truth (no configured video size or duration) it infers what it
 * can (the visual prompt image is full resolution; the last frame label is about the duration)
 * and accepts every answer a correct client could give in the uncertain zone, so a correct
 * client never gets a false alarm.
 */
import { acceptableFrameCounts, smartResize, type ResizeRule } from './smartResize';
import { CROP_VIDEO, parseUserText, TOOL_FAILURE_PREFIX, TOOL_SUCCESS_TEXT, userTextProblems, VIEW_VISUAL_PROMPT, type ParsedUserText } from './protocolText';
import type { ChatRequestView, Expectations, ImageSummary, MessageView, PartView, ToolCallView, ToolResultSummary } from './types';

/** A reply the double sent, remembered so the echo in the next request can be compared. */
export interface EmittedCall {
  readonly name: string;
  readonly arguments: string;
  /** The assistant content sent with the call (null when none). */
  readonly content: string | null;
}

export interface ProtocolFindings {
  readonly frames: { count: number; labels: number[]; sizes: { width: number; height: number }[] } | null;
  readonly userText: string | null;
  readonly parsed: ParsedUserText | null;
  readonly images: ImageSummary[];
  readonly toolResults: ToolResultSummary[];
  readonly toolRounds: number;
  /** Best knowledge of the video duration: [lo, hi] seconds, or null when nothing tells. */
  readonly duration: { lo: number; hi: number } | null;
  readonly problems: string[];
  readonly notes: string[];
}

const LABEL = /^<(\d+\.\d) seconds>$/;
type Size = { width: number; height: number };
type Expected = { kind: 'success' } | { kind: 'failure'; phrase: string } | { kind: 'either'; why: string };

const sameSize = (a: Size, b: Size): boolean => a.width === b.width && a.height === b.height;
const fmt = (s: Size): string => `${s.width}x${s.height}`;
const textOf = (parts: readonly PartView[]): string => parts.map((p) => (p.type === 'text' ? p.text : '')).join('');

/** Splits `<t seconds>` + image pairs; null when the parts are not such pairs. */
function labelledImages(parts: readonly PartView[]): { labels: number[]; sizes: Size[]; badLabels: string[] } | null {
  if (parts.length % 2 !== 0) return null;
  const labels: number[] = [];
  const sizes: Size[] = [];
  const badLabels: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const label = parts[i]!;
    const image = parts[i + 1]!;
    if (label.type !== 'text' || image.type !== 'image') return null;
    const match = LABEL.exec(label.text);
    if (match === null) badLabels.push(label.text);
    labels.push(match === null ? NaN : Number(match[1]));
    sizes.push({ width: image.image.width, height: image.image.height });
  }
  return { labels, sizes, badLabels };
}

export function checkProtocol(req: ChatRequestView, exp: Expectations, emitted: (id: string) => EmittedCall | undefined): ProtocolFindings {
  const problems: string[] = [];
  const notes: string[] = [];
  const images: ImageSummary[] = [];
  req.messages.forEach((msg, m) =>
    msg.parts.forEach((part, p) => {
      if (part.type !== 'image') return;
      const { width, height, bytes, declared, actual } = part.image;
      images.push({ message: m, part: p, width, height, bytes, format: actual });
      if (actual !== declared) problems.push(`messages[${m}].content[${p}]: the data URL says image/${declared} but the bytes are ${actual}`);
    }),
  );

  // --- first user message: frames + USER_TEXT ---
  const first = req.messages[0]!;
  let frames: ProtocolFindings['frames'] = null;
  let userText: string | null = null;
  const last = first.parts[first.parts.length - 1];
  if (first.stringContent || last?.type !== 'text') {
    problems.push('messages[0] must be a part list: (<t seconds> text, image) pairs then the USER_TEXT text (§2.1)');
  } else {
    userText = last.text;
    const pairs = labelledImages(first.parts.slice(0, -1));
    if (pairs === null) problems.push('messages[0]: frames must come as a {"type":"text","text":"<t seconds>"} part followed by an image part, then USER_TEXT');
    else frames = { count: pairs.labels.length, labels: pairs.labels, sizes: pairs.sizes };
    if (pairs !== null && pairs.badLabels.length > 0) problems.push(`messages[0]: frame labels must read "<12.0 seconds>" (one decimal), got ${JSON.stringify(pairs.badLabels.slice(0, 3))}`);
  }
  const parsed = userText === null ? null : parseUserText(userText);
  if (userText !== null) problems.push(...userTextProblems(userText, req.tools).map((p) => `messages[0]: ${p}`));

  // --- what is known about the video ---
  const vpImage = findVisualPromptImage(req);
  const configured = exp.video.width !== undefined && exp.video.height !== undefined ? { width: exp.video.width, height: exp.video.height } : null;
  if (configured !== null && vpImage !== null && !sameSize(vpImage, configured)) {
    problems.push(`view_visual_prompt image is ${fmt(vpImage)}, but the visual prompt frame must be full resolution (${fmt(configured)})`);
  }
  const videoSize = configured ?? vpImage;
  const frameDur = exp.video.fps !== undefined ? 1 / exp.video.fps : null;
  let duration: ProtocolFindings['duration'] = null;
  if (exp.video.durationS !== undefined) duration = { lo: exp.video.durationS, hi: exp.video.durationS };
  else if (frames !== null && frames.count > 0 && Number.isFinite(frames.labels[frames.count - 1])) {
    // The last sampled frame is the video's last frame: duration is about one frame later.
    const lastLabel = frames.labels[frames.count - 1]!;
    duration = { lo: lastLabel - 0.05, hi: lastLabel + 0.05 + (frameDur ?? 0.5) };
  }

  if (frames !== null) {
    const where = 'messages[0]';
    if (frames.count === 0) problems.push(`${where}: no frames`);
    else if (frames.count % 2 !== 0) problems.push(`${where}: ${frames.count} frames; the count must be even (§2.1)`);
    const { labels } = frames;
    if (labels.some((t, i) => i > 0 && t < labels[i - 1]!)) problems.push(`${where}: frame labels are not ascending: ${labels.join(', ')}`);
    if (exp.video.durationS !== undefined) {
      const d = exp.video.durationS;
      if (labels.some((t) => t > d + 0.05)) problems.push(`${where}: a frame label is past the video duration ${d} s`);
      const fps = exp.video.fps ?? null;
      const accepted = acceptableFrameCounts(d, exp.sampling, fps);
      if (!accepted.has(frames.count)) problems.push(`${where}: ${frames.count} frames for a ${d} s video; expected ${[...accepted].join(' or ')} (fps ${exp.sampling.fps}, max_frames ${exp.sampling.maxFrames})`);
    } else if (frames.count > exp.sampling.maxFrames) {
      problems.push(`${where}: ${frames.count} frames, more than max_frames ${exp.sampling.maxFrames}`);
    }
    checkSizes(where, frames.sizes, videoSize, { factor: exp.sampling.factor, minPixels: exp.sampling.minPixels, maxPixels: exp.sampling.maxPixels }, problems, notes);
  }

  // --- assistant echoes and tool results ---
  const toolResults: ToolResultSummary[] = [];
  const calls = new Map<string, { call: ToolCallView; m: number }>();
  let toolRounds = 0;
  req.messages.forEach((msg, m) => {
    if (msg.role === 'assistant' && msg.toolCalls.length > 0) {
      toolRounds++;
      checkEcho(msg, m, emitted, problems);
      for (const call of msg.toolCalls) calls.set(call.id, { call, m });
    }
    if (msg.role === 'tool') {
      const found = calls.get(msg.toolCallId ?? '');
      if (found === undefined) return; // validate.ts already refused this
      const ctx = { req, exp, parsed, duration, videoSize, frameDur };
      toolResults.push(checkToolResult(msg, m, found.call, ctx, problems, notes));
    }
  });
  if (toolRounds > exp.maxToolRounds) problems.push(`${toolRounds} tool rounds in one query; at most ${exp.maxToolRounds} (§2.4)`);

  return { frames, userText, parsed, images, toolResults, toolRounds, duration, problems, notes: [...new Set(notes)] };
}

function findVisualPromptImage(req: ChatRequestView): Size | null {
  const vpIds = new Set(req.messages.flatMap((m) => m.toolCalls.filter((c) => c.name === VIEW_VISUAL_PROMPT).map((c) => c.id)));
  for (const msg of req.messages) {
    if (msg.role !== 'tool' || !vpIds.has(msg.toolCallId ?? '')) continue;
    const image = msg.parts.find((p) => p.type === 'image');
    if (image?.type === 'image') return { width: image.image.width, height: image.image.height };
  }
  return null;
}

function checkSizes(where: string, sizes: readonly Size[], video: Size | null, rule: ResizeRule, problems: string[], notes: string[]): void {
  if (sizes.length === 0) return;
  if (sizes.some((s) => !sameSize(s, sizes[0]!))) problems.push(`${where}: frames differ in size: ${[...new Set(sizes.map(fmt))].join(', ')}`);
  if (video !== null) {
    const want = smartResize(video.height, video.width, rule);
    const bad = sizes.find((s) => !sameSize(s, want));
    if (bad !== undefined) problems.push(`${where}: frame size ${fmt(bad)}; expected smart_resize(${video.height}, ${video.width}) = ${fmt(want)} (max_pixels ${rule.maxPixels}, factor ${rule.factor})`);
    return;
  }
  notes.push('video size unknown (not configured, no visual prompt image yet): frame sizes checked only for being multiples of the factor within max_pixels');
  const bad = sizes.find((s) => !sameSize(smartResize(s.height, s.width, rule), s));
  if (bad !== undefined) problems.push(`${where}: frame size ${fmt(bad)} is not a smart_resize output (multiples of ${rule.factor}, at most ${rule.maxPixels} px)`);
}

function isJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

function checkEcho(msg: MessageView, m: number, emitted: (id: string) => EmittedCall | undefined, problems: string[]): void {
  for (const call of msg.toolCalls) {
    const sent = emitted(call.id);
    if (sent === undefined) continue; // not one of ours (e.g. parsed by the client from content)
    // Arguments that are not a JSON object may come back as "{}": vLLM json.loads every echoed
    // call's arguments when it renders the chat template, so sending them back verbatim would
    // fail every later request; the model still hears the error in the tool message.
    const replacedGarbage = call.arguments === '{}' && !isJsonObject(sent.arguments);
    if (call.name !== sent.name || (call.arguments !== sent.arguments && !replacedGarbage)) {
      problems.push(`messages[${m}]: tool call ${call.id} echoed as ${call.name}(${call.arguments}); the model sent ${sent.name}(${sent.arguments})`);
    }
    const content = textOf(msg.parts);
    if (content !== (sent.content ?? '')) problems.push(`messages[${m}]: assistant content ${JSON.stringify(content.slice(0, 80))} is not the model's content ${JSON.stringify((sent.content ?? '').slice(0, 80))} (§2.4)`);
  }
}

interface ResultContext {
  readonly req: ChatRequestView;
  readonly exp: Expectations;
  readonly parsed: ParsedUserText | null;
  readonly duration: { lo: number; hi: number } | null;
  readonly videoSize: Size | null;
  readonly frameDur: number | null;
}

function parseArgs(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** What a correct client must answer to this call (§2.3, checks in the document's order). */
export function expectedOutcome(call: ToolCallView, ctx: Pick<ResultContext, 'req' | 'parsed' | 'duration'>): Expected {
  if (!(ctx.req.tools as readonly string[]).includes(call.name)) return { kind: 'failure', phrase: '' };
  const args = parseArgs(call.arguments);
  if (args === null) return { kind: 'failure', phrase: '' };
  if (call.name === VIEW_VISUAL_PROMPT) {
    if (typeof args.frame_path !== 'string') return { kind: 'failure', phrase: '' };
    if (ctx.parsed?.framePath == null || args.frame_path !== ctx.parsed.framePath) return { kind: 'either', why: 'frame_path is not the one in USER_TEXT' };
    return { kind: 'success' };
  }
  const { video_path: path, start_time: s, end_time: e } = args;
  if (typeof path !== 'string' || typeof s !== 'number' || typeof e !== 'number') return { kind: 'failure', phrase: '' };
  if (s < 0) return { kind: 'failure', phrase: 'must be non-negative' };
  if (e <= s) return { kind: 'failure', phrase: 'must be greater than start_time' };
  const d = ctx.duration;
  if (d === null) return { kind: 'either', why: 'video duration unknown' };
  if (s > d.hi) return { kind: 'failure', phrase: 'exceeds video duration' };
  if (e > d.hi) return { kind: 'failure', phrase: 'exceeds video duration' };
  if (s > d.lo || e > d.lo) return { kind: 'either', why: `too close to the video duration (~${d.lo.toFixed(2)}-${d.hi.toFixed(2)} s) to tell` };
  if (ctx.parsed?.videoPath == null) return { kind: 'either', why: 'no video_path in USER_TEXT' };
  if (path !== ctx.parsed.videoPath) return { kind: 'failure', phrase: 'Video file not found' };
  return { kind: 'success' };
}

function describeExpected(x: Expected): string {
  return x.kind === 'success' ? 'success' : x.kind === 'failure' ? `failure${x.phrase ? ` ("${x.phrase}")` : ''}` : `either (${x.why})`;
}

function checkToolResult(msg: MessageView, m: number, call: ToolCallView, ctx: ResultContext, problems: string[], notes: string[]): ToolResultSummary {
  const where = `messages[${m}] (tool result of ${call.name} ${call.id})`;
  const expected = expectedOutcome(call, ctx);
  if (msg.stringContent) problems.push(`${where}: content must be a part list, not a string (§2.4)`);
  const parts = msg.parts;
  const lastPart = parts[parts.length - 1];
  const images: ImageSummary[] = parts.flatMap((p, i) => (p.type === 'image' ? [{ message: m, part: i, width: p.image.width, height: p.image.height, bytes: p.image.bytes, format: p.image.actual }] : []));
  let outcome: ToolResultSummary['outcome'] = 'malformed';
  let failureMessage: string | null = null;
  let labels: number[] = [];
  if (parts.length === 1 && lastPart?.type === 'text' && lastPart.text.startsWith(TOOL_FAILURE_PREFIX)) {
    outcome = 'failure';
    failureMessage = lastPart.text.slice(TOOL_FAILURE_PREFIX.length);
  } else if (lastPart?.type === 'text' && lastPart.text === TOOL_SUCCESS_TEXT) {
    outcome = 'success';
    const body = parts.slice(0, -1);
    if (call.name === VIEW_VISUAL_PROMPT) {
      if (body.length !== 1 || body[0]!.type !== 'image') problems.push(`${where}: must be exactly one image then the success text`);
      else if (ctx.videoSize === null) notes.push('video size unknown: visual prompt resolution not checked');
    } else if (call.name === CROP_VIDEO) {
      labels = checkCrop(where, body, call, ctx, problems, notes);
    }
  } else {
    problems.push(`${where}: neither images + "${TOOL_SUCCESS_TEXT}" nor one "${TOOL_FAILURE_PREFIX}<message>" text part`);
  }
  if (expected.kind === 'success' && outcome === 'failure') problems.push(`${where}: the client failed a valid call: ${failureMessage}`);
  if (expected.kind === 'failure' && outcome === 'success') problems.push(`${where}: the client ran an invalid call instead of returning "${TOOL_FAILURE_PREFIX}..."`);
  if (expected.kind === 'failure' && outcome === 'failure' && expected.phrase !== '' && !failureMessage!.includes(expected.phrase)) {
    problems.push(`${where}: failure message ${JSON.stringify(failureMessage)} should say "${expected.phrase}" (§2.3)`);
  }
  return { message: m, toolCallId: call.id, name: call.name, arguments: call.arguments, outcome, expected: describeExpected(expected), failureMessage, labels, images };
}

function checkCrop(where: string, body: readonly PartView[], call: ToolCallView, ctx: ResultContext, problems: string[], notes: string[]): number[] {
  const pairs = labelledImages(body);
  if (pairs === null || pairs.labels.length === 0) {
    problems.push(`${where}: must be (<t seconds>, image) pairs then the success text`);
    return [];
  }
  if (pairs.badLabels.length > 0) problems.push(`${where}: labels must read "<t seconds>" with one decimal, got ${JSON.stringify(pairs.badLabels.slice(0, 3))}`);
  const args = parseArgs(call.arguments);
  const s = Number(args?.start_time);
  const e = Number(args?.end_time);
  const { labels } = pairs;
  if (labels.some((t, i) => i > 0 && t < labels[i - 1]!)) problems.push(`${where}: labels not ascending: ${labels.join(', ')}`);
  // The first frame may be the one on screen at start (up to a frame earlier); labels round to 0.1 s.
  const tol = (ctx.frameDur ?? 0.1) + 0.05 + 1e-9;
  const outside = labels.filter((t) => t < s - tol || t > e + tol);
  if (outside.length > 0) problems.push(`${where}: labels ${outside.join(', ')} outside the requested [${s}, ${e}] s`);
  const { crop } = ctx.exp;
  const accepted = acceptableFrameCounts(e - s, crop, ctx.exp.video.fps ?? null);
  if (!accepted.has(labels.length)) problems.push(`${where}: ${labels.length} frames for [${s}, ${e}] s; expected ${[...accepted].join(' or ')} (1 fps, min 4, max 64)`);
  checkSizes(where, pairs.sizes, ctx.videoSize, { factor: ctx.exp.sampling.factor, minPixels: crop.minPixels, maxPixels: crop.maxPixels }, problems, notes);
  return labels;
}
