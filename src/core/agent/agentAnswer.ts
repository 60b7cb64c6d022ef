/**
 * The end of a query: the full response text and the answer read from it (protocol §2.5).
 */
import { checkFormat, extractChoice, extractDirect, extractOpenAnswer, trajectoryText, type FormatCheck, type RoundText } from './answer';
import type { QueryProblem, RoundRecord } from './trajectory';

/**
 * A round as the model generated it. A server with a reasoning parser moves the `<think>` span to
 * a separate channel (without its tags); it is put back in front of the content, so that the
 * response reads as generated and its format can be checked. Calls the server parsed out of the
 * text are written back by trajectoryText; calls found in the text are already in `content`.
 */
export function roundText(round: RoundRecord): RoundText {
  return {
    content: round.reasoning !== '' ? `<think>${round.reasoning}</think>${round.content}` : round.content,
    toolCalls: round.toolCalls.filter((c) => c.origin === 'structured'),
  };
}

/**
 * All rounds' text joined by "\n" (the result record's `response`). A round whose request failed
 * for good is left out: it never produced a response (a cut stream's text stays in its record).
 */
export function responseText(rounds: readonly RoundRecord[]): string {
  return trajectoryText(rounds.filter((r) => r.failure === null).map(roundText));
}

export interface AnswerInput {
  /** 'direct' reads the whole response; the others read `<answer>`. */
  readonly direct: boolean;
  /** Whether tools were offered: the format expected then allows tool calls. */
  readonly withTools: boolean;
  readonly multipleChoice: boolean;
  readonly rounds: readonly RoundRecord[];
}

export interface AnswerOutput {
  readonly response: string;
  readonly answer: string;
  readonly format: FormatCheck | null;
  readonly problem: QueryProblem | null;
}

/** A direct multiple-choice reply that starts with its letter ("B", "B.", "b) a cup"). */
const LEADING_LETTER = /^([A-Da-d])\b/;

/**
 * The answer of a finished query.
 * - Direct mode: the last response's content, trimmed (§2.5); for multiple choice the letter it
 *   starts with, upper-cased — or, failing that, a letter after `<answer>` if the model used the
 *   tags anyway; '' if neither. There is no format to check (null).
 * - Otherwise: multiple choice takes the first `<answer>\s*[A-D]`, open-ended the text of the last
 *   `<answer>`; the format is checked with or without tools as they were offered.
 * An answer that cannot be found is '' and a 'no-answer' problem.
 */
export function readAnswer({ direct, withTools, multipleChoice, rounds }: AnswerInput): AnswerOutput {
  const response = responseText(rounds);
  if (direct) {
    const reply = extractDirect(rounds[rounds.length - 1]?.content ?? '');
    if (!multipleChoice) return { response, answer: reply, format: null, problem: reply === '' ? noAnswer('The response is empty') : null };
    const letter = LEADING_LETTER.exec(reply)?.[1]?.toUpperCase() ?? extractChoice(reply);
    return { response, answer: letter, format: null, problem: letter === '' ? noAnswer('The response does not start with an option letter (A-D)') : null };
  }
  const format = checkFormat(response, withTools);
  if (!response.includes('<answer>')) return { response, answer: '', format, problem: noAnswer('The response has no <answer>') };
  const answer = multipleChoice ? extractChoice(response) : extractOpenAnswer(response);
  const problem = answer !== '' ? null : noAnswer(multipleChoice ? 'No option letter (A-D) after <answer>' : 'The <answer> is empty');
  return { response, answer, format, problem };
}

function noAnswer(message: string): QueryProblem {
  return { kind: 'no-answer', message };
}
