/**
 * A query's trajectory as plain data: what was sent, every round the model took, each tool call
 * and what the client returned, and how it ended. This is what the trajectory view shows live and
 * what a project saves; images are kept as references (frame index and time, or the visual prompt
 * frame), not as bytes, since they can be made again from the video.
 */
import type { FormatCheck } from './answer';
import type { EndpointFailure } from './ports';
import type { Usage } from './streamAssembler';

export type ImageRef =
  | { readonly source: 'frame'; readonly index: number; readonly timeS: number; readonly width: number; readonly height: number; readonly bytes: number }
  | { readonly source: 'visual-prompt'; readonly frame: number; readonly width: number; readonly height: number; readonly bytes: number };

export type ToolCallStatus = 'running' | 'done' | 'failed';

export interface ToolCallRun {
  /** The server's id, or one the client invented (`call_<round>_<i>`) for a call written in text. */
  readonly id: string;
  readonly name: string;
  /** The raw arguments string, as the model wrote it. */
  readonly arguments: string;
  /** Structured `tool_calls` from the server's parser, or a `<tool_call>` block found in content. */
  readonly origin: 'structured' | 'text';
  readonly status: ToolCallStatus;
  /** The images returned to the model (empty on failure). */
  readonly images: readonly ImageRef[];
  /**
   * The message the model was sent after "Tool execution failed: ", when it failed; or why the
   * call was never run ("Cancelled", or "Not executed: ..." past the round limit), when the
   * model was sent nothing.
   */
  readonly error: string | null;
  readonly ms: number | null;
}

/** A retry of a round's request after a 429 or 5xx. */
export interface RetryNote {
  readonly failure: EndpointFailure;
  readonly waitMs: number;
  /**
   * True for the failure that ended an earlier attempt of the round for good, after which the
   * user resumed the query (runAgent with an AgentResume); `waitMs` is then the time until the
   * resume. Absent for the automatic retries.
   */
  readonly manual?: boolean;
}

export interface RoundRecord {
  /** 0 for the first model call. */
  readonly index: number;
  /** Epoch ms when the request was sent. */
  readonly startedAt: number;
  readonly requestBytes: number;
  /** ms from sending to the first streamed token; null until then (or when not streaming). */
  readonly firstTokenMs: number | null;
  /** ms from sending to the complete response; null while running. */
  readonly latencyMs: number | null;
  readonly content: string;
  /** The server's separate reasoning channel (reasoning_content), when it has one. */
  readonly reasoning: string;
  readonly toolCalls: readonly ToolCallRun[];
  readonly finishReason: string | null;
  readonly usage: Usage | null;
  readonly retries: readonly RetryNote[];
  /** Why the round's request failed for good. */
  readonly failure: EndpointFailure | null;
}

/** 'interrupted': the page went away while it ran (set when a saved query is read back running). */
export type QueryStatus = 'preparing' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/** Something wrong that is not the endpoint's fault: the environment, or the model's behaviour. */
export interface QueryProblem {
  readonly kind: 'environment' | 'round-limit' | 'no-answer' | 'endpoint';
  readonly message: string;
}

export interface Trajectory {
  readonly status: QueryStatus;
  /** USER_TEXT as sent. */
  readonly userText: string;
  /** The frames of the first message. */
  readonly frames: readonly ImageRef[];
  readonly rounds: readonly RoundRecord[];
  /** The extracted answer: a letter for multiple choice, the text otherwise; null until done. */
  readonly answer: string | null;
  /** All rounds' content joined by "\n", tool calls written back (trajectoryText). */
  readonly response: string;
  readonly format: FormatCheck | null;
  /** What went wrong, if anything; a cancelled query has none. */
  readonly problems: readonly QueryProblem[];
  readonly startedAt: number;
  readonly finishedAt: number | null;
  /** Sums over the rounds that reported usage; null if none did. */
  readonly usage: Usage | null;
}

/** A query's trajectory before anything was sent: frames are being prepared. */
export function emptyTrajectory(now: number): Trajectory {
  return { status: 'preparing', userText: '', frames: [], rounds: [], answer: null, response: '', format: null, problems: [], startedAt: now, finishedAt: null, usage: null };
}
