/**
 * What the trajectory view shows: a query asked here (with the images it sent, made again from
 * the video) or a result read from a file (text only). A SavedQuery is one; `subjectOfQuery`
 * makes the view model for it.
 */
import type { SavedQuery } from '../../core/agent/query';
import type { Trajectory } from '../../core/agent/trajectory';
import type { QueryImageSource } from '../../store/slices/askSlice';

export interface TrajectorySubject {
  /** Stable per subject: keys images and scroll state. */
  readonly id: string;
  readonly trajectory: Trajectory;
  readonly model: string;
  /** The protocol mode, when known. */
  readonly mode: string | null;
  /** For explaining endpoint failures; null when the result came from a file. */
  readonly endpoint: { readonly baseUrl: string; readonly maxPixels: number; readonly timeoutS: number } | null;
  /** Who the question was about, when known. */
  readonly instanceName: string | null;
  readonly sentQuestion: string;
  readonly options: readonly string[];
  /** Where the sent images can be made again from; null when they cannot (an imported result). */
  readonly images: QueryImageSource | null;
}

export function subjectOfQuery(query: SavedQuery): TrajectorySubject {
  return {
    id: query.id,
    trajectory: query.trajectory,
    model: query.model,
    mode: query.settings.mode,
    endpoint: { baseUrl: query.settings.baseUrl, maxPixels: query.settings.sampling.maxPixels, timeoutS: query.settings.timeoutS },
    instanceName: query.instanceName,
    sentQuestion: query.sentQuestion,
    options: query.options,
    images: query,
  };
}
