/**
 * The inputs and outputs of runAgent (see runAgent.ts, which re-exports them), kept apart so
 * that the loop's helpers can use them without importing the loop.
 */
import type { ChatMessage } from './messages';
import type { AgentClock, AgentEnvironment, ChatClient } from './ports';
import type { EnabledTools, Mode } from './prompts';
import type { Trajectory } from './trajectory';

export interface AgentQuestion {
  /** `<vp>` already replaced by the caller (applyVp). */
  readonly question: string;
  /** [] for an open-ended question; else the options, lettered A to D. */
  readonly options: readonly string[];
}

export interface AgentVideo {
  /** Every frame's presentation time in seconds, ascending, from 0. */
  readonly timestamps: readonly number[];
  readonly durationS: number;
  readonly width: number;
  readonly height: number;
  /** Invented names the model echoes back in its calls (e.g. "vtest.mp4", "vtest/frame_000042.jpg"). */
  readonly videoPath: string;
  readonly framePath: string;
  /** Frame index of the visual prompt frame (recorded in the ImageRef of view_visual_prompt). */
  readonly visualPromptFrame: number;
}

export interface AgentDeps {
  readonly client: ChatClient;
  readonly environment: AgentEnvironment;
  readonly clock: AgentClock;
}

export interface AgentRun {
  readonly signal: AbortSignal;
  /** Every visible change, as a new immutable Trajectory. */
  readonly onUpdate: (t: Trajectory) => void;
}

/** What the query was built with; a resumed query keeps it, whatever the settings say now. */
export interface QueryShape {
  readonly mode: Mode;
  readonly tools: EnabledTools;
}

/**
 * Enough to retry the round whose request failed for good: the trajectory as it ended and the
 * conversation before that round's request. It holds the encoded images, so it is kept in
 * memory only (never saved with a project).
 */
export interface AgentResume {
  readonly trajectory: Trajectory;
  readonly messages: readonly ChatMessage[];
  readonly shape: QueryShape;
}

export interface AgentResult {
  readonly trajectory: Trajectory;
  /** Set when the query failed at a model call: pass it back to runAgent to retry that round. */
  readonly resume: AgentResume | null;
}
