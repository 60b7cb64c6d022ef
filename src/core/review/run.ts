/**
 * Runs of a model over a QA dataset, as the review keeps them: batch runs made here (each item
 * through the VideoSeeker loop, saved as it finishes) and results imported from a file (the
 * reference client's JSON Lines or V2P-Bench's published form). Plain data, kept in the project.
 *
 * A person's judgements are kept apart from the runs (`Judgements`): a verdict on one of 10,000
 * imported results then re-saves a few bytes, not the run, and an imported run stays immutable.
 */
import type { VisualPromptType } from '../agent/prompts';
import type { QuerySettings, SavedQuery } from '../agent/query';
import type { ResultsFileRecord } from './resultsFile';

/** 1 correct, 0.5 partly correct, 0 wrong. */
export type JudgementValue = 0 | 0.5 | 1;

export interface Judgement {
  /** null: a note without a verdict. */
  readonly value: JudgementValue | null;
  readonly note: string;
  /** Epoch ms of the last change. */
  readonly at: number;
}

/** By run id, then result key. */
export type Judgements = Readonly<Record<string, Readonly<Record<string, Judgement>>>>;

/**
 * The QA item a result answers, as it was asked (a batch run takes a snapshot: later edits of the
 * item do not rewrite what the model was asked) or as a results file gives it.
 */
export interface ResultItem {
  readonly videoId: string;
  /** As the model got it: `<vp>` replaced; multiple-choice options and instruction not folded in. */
  readonly question: string;
  /** Multiple-choice options A..D in order; empty for an open-ended question. */
  readonly options: readonly string[];
  /** A letter A..D for multiple choice, the expected text otherwise. */
  readonly answer: string;
  /** V2P-Bench dimension code; null when not set. */
  readonly dimension: number | null;
  readonly category: number | null;
  /** Seconds; null when unknown. */
  readonly duration: number | null;
  readonly source: string;
  /** null when unknown (V2P-Bench files ship frames with the prompt drawn, and no type). */
  readonly vpType: VisualPromptType | null;
  /** Relative to videos/ and frames/, as a dataset names them; null when unknown. */
  readonly videoPath: string | null;
  readonly framePath: string | readonly string[] | null;
}

/** A tool call as a results file lists it (§4.2): `arguments` is whatever JSON the file has. */
export interface ToolCallRecord {
  readonly name: string;
  readonly arguments: unknown;
}

export type ResultStatus = 'pending' | 'running' | 'done' | 'failed';

export interface RunResult {
  /** Unique within the run: the QA item's id for a batch run, `line-<n>` for an import. */
  readonly key: string;
  /** The project's QA item it answers; null when it matched none (shown on its own). */
  readonly itemId: string | null;
  readonly item: ResultItem;
  readonly status: ResultStatus;
  /** All rounds' content joined by "\n" (§4.2); null when the item failed or has not run. */
  readonly response: string | null;
  /** The last round's content as received. */
  readonly rawOutput: string | null;
  /** USER_TEXT as sent. */
  readonly userText: string | null;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly numRounds: number | null;
  /** Why the item failed. */
  readonly error: string | null;
  /** The model a results line names (V2P-Bench's published form), else null (the run's). */
  readonly model: string | null;
  /** Judge-model score of an open answer (0..1) when a results file carries one. */
  readonly autoJudgement: number | null;
  /** The whole query (trajectory, settings, visual prompt) of an item run here; null for imported results. */
  readonly query: SavedQuery | null;
}

/**
 * running: items are being asked; paused: stopped by the user, resumable; interrupted: the page
 * went away while running (resumable); cancelled: stopped for good; done: every item has a result;
 * imported: read from a file.
 */
export type RunState = 'running' | 'paused' | 'interrupted' | 'cancelled' | 'done' | 'imported';

export interface ReviewRun {
  readonly id: string;
  /** Shown in run pickers: the model and when, or the file's name. */
  readonly name: string;
  readonly kind: 'batch' | 'import';
  readonly createdAt: number;
  /** The model that answered: the served model of a batch run, a file's `model` field (or '') for an import. */
  readonly model: string;
  /** A batch run's endpoint settings (never the API key); null for an import. */
  readonly settings: QuerySettings | null;
  /** The imported file's name. */
  readonly fileName: string | null;
  /** How many items a batch run asks at once. */
  readonly concurrency: number;
  readonly state: RunState;
  /** Time spent running so far, pauses excluded (with the items finished: the time left). */
  readonly activeMs: number;
  /** Epoch ms when the run last started or resumed, while it runs; else null. */
  readonly resumedAt: number | null;
  /** In the order asked (batch) or the file's order (import). */
  readonly results: readonly RunResult[];
  /** What an import matched and did not (kept to show later); null for a batch run. */
  readonly report: string | null;
  /** A batch run's results file (see resultsFile.ts); absent when its results go to none. */
  readonly resultsFile?: ResultsFileRecord;
}
