/**
 * A query as the project keeps it: what was asked about which instance, how it was pointed out,
 * with which settings, and the whole trajectory. Plus the small pure decisions around asking:
 * which frame the visual prompt is drawn on by default, and the names the model is told.
 */
import { annotationKey, type AnnotationDoc } from '../annotation/model';
import type { VisualPromptType } from './prompts';
import type { EndpointSettings } from './settings';
import type { Trajectory } from './trajectory';

export interface VisualPromptChoice {
  readonly type: VisualPromptType;
  /** The frame the prompt is drawn on. */
  readonly frame: number;
  readonly colour: string;
  /** The prompt was this image file of the project (a media key), not drawn by the app; absent: drawn. */
  readonly image?: string;
}

/** Settings as recorded with a query: never the API key. */
export type QuerySettings = Omit<EndpointSettings, 'apiKey'>;

export interface SavedQuery {
  readonly id: string;
  readonly createdAt: number;
  /** Null when the visual prompt was an image (`visualPrompt.image`). */
  readonly instanceId: string | null;
  /** The instance's name when asked (it may be renamed or deleted later); for an image prompt, the image's name. */
  readonly instanceName: string;
  /** As typed, `<vp>` included. */
  readonly question: string;
  /** Multiple-choice options A..D in order; empty for an open-ended question. */
  readonly options: readonly string[];
  /** The question as sent, `<vp>` replaced by the type's phrase. */
  readonly sentQuestion: string;
  readonly visualPrompt: VisualPromptChoice;
  readonly settings: QuerySettings;
  readonly model: string;
  /** Queries asked together ("Ask with every style") share a group id. */
  readonly group: string | null;
  readonly trajectory: Trajectory;
}

export function querySettings(settings: EndpointSettings): QuerySettings {
  const { apiKey, ...rest } = settings;
  return rest;
}

/** The frames on which an instance has a mask, ascending. */
export function maskedFrames(doc: AnnotationDoc, instanceId: string): number[] {
  const prefix = `${instanceId}@`;
  const out: number[] = [];
  for (const [key, a] of Object.entries(doc.frames)) {
    if (a.mask !== null && a.mask.rle.counts.length > 1 && key.startsWith(prefix)) out.push(Number(key.slice(prefix.length)));
  }
  return out.sort((a, b) => a - b);
}

/**
 * The frame a visual prompt is drawn on unless the user picks one: the current frame if the
 * instance has a mask there, else the nearest frame that has one (the earlier on a tie), else null.
 */
export function defaultPromptFrame(doc: AnnotationDoc, instanceId: string, current: number): number | null {
  if (doc.frames[annotationKey(instanceId, current)]?.mask) return current;
  let best: number | null = null;
  for (const f of maskedFrames(doc, instanceId)) {
    if (best === null || Math.abs(f - current) < Math.abs(best - current)) best = f;
  }
  return best;
}

/**
 * The names the model is told and echoes back in its tool calls (the client invents them, §2.2):
 * the video's file name, and `<stem>/frame_<000042>.jpg` for the visual prompt frame, as the
 * authors' data names them.
 */
export function toolPaths(videoName: string, frame: number): { videoPath: string; framePath: string } {
  const clean = videoName.replace(/[\\/]/g, '_').trim() || 'video.mp4';
  const dot = clean.lastIndexOf('.');
  const stem = dot > 0 ? clean.slice(0, dot) : clean;
  return { videoPath: clean, framePath: `${stem}/frame_${String(frame).padStart(6, '0')}.jpg` };
}
