/**
 * A QA item: a question about one instance of a video, pointed out by a visual prompt, with its
 * answer — the unit of a V2P-Bench / VideoSeeker dataset (protocol §4.1). Items made in the app
 * are tied to an instance and a frame; imported ones may only carry the benchmark's paths.
 */
import type { VisualPromptType } from '../agent/prompts';

export interface QaItem {
  readonly id: string;
  /** The instance asked about; null for an imported item not linked to one. */
  readonly instanceId: string | null;
  /** V2P `video_id` (default: the video file's stem). */
  readonly videoId: string;
  /** The visual prompt frame; null when unknown (imported without a frame). */
  readonly frame: number | null;
  readonly vpType: VisualPromptType;
  readonly colour: string;
  /** As written, `<vp>` included; options are kept apart (see `options`). */
  readonly question: string;
  /** Multiple-choice options A..D in order; empty for an open-ended question. */
  readonly options: readonly string[];
  /** A letter A..D for multiple choice, the expected text otherwise. */
  readonly answer: string;
  /** V2P-Bench dimension code (1..14, see dimensions.ts); null when not set. */
  readonly dimension: number | null;
  readonly category: number | null;
  /** V2P `source` (the dataset the video comes from). */
  readonly source: string;
  readonly notes: string;
  readonly createdAt: number;
  /** The latest "Ask" of this item (a SavedQuery id of the project), if any. */
  readonly resultQueryId: string | null;
  /** Paths as a V2P file gave them (relative to videos/ and frames/); null for items made here. */
  readonly videoPath: string | null;
  readonly framePath: string | null;
  /** Video duration in seconds as a V2P file gave it (items made here use the open video's). */
  readonly duration: number | null;
  /** The project video the item is about (a ProjectVideo id); null when it has none (an imported item whose video is missing). */
  readonly projectVideoId: string | null;
  /**
   * The visual prompt as an image file of the project (its media key, e.g. `frames/Source/name.jpg`):
   * V2P-Bench ships each question's frame with the prompt already drawn, and a user may attach
   * one. `view_visual_prompt` then returns that file. Null: the app draws the prompt from the
   * item's object on its frame.
   */
  readonly promptImage: string | null;
}
