/**
 * A trajectory for a result that has none recorded (read from a results file): the rounds are
 * rebuilt from the response text, so the trajectory view can show an imported answer the way it
 * shows one asked here. The reference client writes all rounds' content joined by "\n" with the
 * calls in it as `<tool_call>` blocks (§4.2): a round ends after its block(s) and the next begins
 * with the text that follows. Nothing else was recorded, so images, timing and usage are empty.
 */
import { checkFormat, extractOpenAnswer } from '../agent/answer';
import { inventedCallId } from '../agent/agentTools';
import { parseToolCalls } from '../agent/toolCallParser';
import type { QueryProblem, QueryStatus, RoundRecord, ToolCallRun, Trajectory } from '../agent/trajectory';
import type { RunResult, ToolCallRecord } from './run';
import { predictedLetter } from './score';

const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';

/**
 * The text of each round. A round's calls are the blocks that follow one another with only
 * whitespace between; text after them starts the next round. An unclosed last block (generation
 * stopped at the closing tag) runs to the end, as the tool-call parser reads it.
 */
export function splitRounds(text: string): string[] {
  const rounds: string[] = [];
  let start = 0;
  let pos = 0;
  for (;;) {
    const open = text.indexOf(OPEN, pos);
    if (open < 0) break;
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) break;
    pos = close + CLOSE.length;
    const next = text.indexOf(OPEN, pos);
    // Another block right after this one belongs to the same round.
    if (next >= 0 && text.slice(pos, next).trim() === '') continue;
    rounds.push(text.slice(start, pos));
    // The "\n" that joined the rounds is not part of the next one.
    start = text.startsWith('\n', pos) ? pos + 1 : pos;
    pos = start;
  }
  const rest = text.slice(start);
  if (rest.trim() !== '' || rounds.length === 0) rounds.push(rest);
  return rounds;
}

function textCalls(content: string, round: number): ToolCallRun[] {
  return parseToolCalls(content).calls.map((c, i): ToolCallRun => {
    const common = { id: inventedCallId(round, i), origin: 'text' as const, images: [], ms: null };
    // A block that is not a call stays visible with why, as the loop would have answered it.
    return c.ok ? { ...common, name: c.name, arguments: c.arguments, status: 'done', error: null } : { ...common, name: '', arguments: c.raw, status: 'failed', error: c.error };
  });
}

/** Calls a file lists apart from the text came from the server's parser; their arguments as JSON text. */
function fileCalls(records: readonly ToolCallRecord[]): ToolCallRun[] {
  return records.map((c, i) => ({
    id: inventedCallId(0, i),
    name: c.name,
    arguments: typeof c.arguments === 'string' ? c.arguments : (JSON.stringify(c.arguments) ?? '{}'),
    origin: 'structured',
    status: 'done',
    images: [],
    error: null,
    ms: null,
  }));
}

function round(index: number, content: string, toolCalls: readonly ToolCallRun[]): RoundRecord {
  return {
    index,
    startedAt: 0,
    requestBytes: 0,
    firstTokenMs: null,
    latencyMs: null,
    content,
    reasoning: '',
    toolCalls,
    finishReason: null,
    usage: null,
    retries: [],
    failure: null,
  };
}

function statusOf(result: RunResult): QueryStatus {
  if (result.status === 'failed') return 'failed';
  // Not asked yet: there is nothing to show but the question.
  if (result.status === 'pending' || result.status === 'running') return 'preparing';
  return 'done';
}

/**
 * The answer as scoring reads it: for multiple choice the `<answer>` letter, or — without tags
 * (direct mode, V2P-Bench's published files) — the response's first character; for an open
 * question the last `<answer>`, or the whole reply without one.
 */
function answerOf(response: string, multipleChoice: boolean): string {
  if (multipleChoice) return predictedLetter(response);
  return response.includes('<answer>') ? extractOpenAnswer(response) : response.trim();
}

export function trajectoryFromResult(result: RunResult, multipleChoice: boolean): Trajectory {
  const response = result.response ?? '';
  const texts = response === '' ? [] : splitRounds(response);
  const rounds = texts.map((content, i) => round(i, content, textCalls(content, i)));
  if (result.toolCalls.length > 0 && !rounds.some((r) => r.toolCalls.length > 0)) {
    // The file lists calls its text does not show (a server's parser took them out of the content).
    const first = rounds[0] ?? round(0, '', []);
    rounds[0] = { ...first, toolCalls: fileCalls(result.toolCalls) };
  }
  const status = statusOf(result);
  const problems: QueryProblem[] = status === 'failed' ? [{ kind: 'endpoint', message: result.error ?? 'Failed' }] : [];
  const answered = status === 'done';
  return {
    status,
    userText: result.userText ?? '',
    frames: [],
    rounds,
    answer: answered ? answerOf(response, multipleChoice) : null,
    response,
    format: answered ? checkFormat(response, result.toolCalls.length > 0 || response.includes(OPEN)) : null,
    problems,
    startedAt: 0,
    finishedAt: 0,
    usage: null,
  };
}
