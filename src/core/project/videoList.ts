/**
 * The rows of the Videos panel: each video of a project with what the user has on it (objects,
 * QA items, review results) and whether its file can be read, searched and sorted. Pure: the
 * panel renders what this returns, and 1,000 videos are counted in one pass over items and runs.
 */
import type { MediaStatus } from './media';
import type { ProjectDocument, ProjectVideo } from './document';
import type { ReviewRun } from '../review/run';

export type VideoSortKey = 'order' | 'path' | 'duration' | 'objects' | 'items' | 'results' | 'availability';

export interface VideoRow {
  readonly id: string;
  readonly path: string;
  /** Position in the project (1-based), the "order" sort. */
  readonly position: number;
  readonly durationS: number | null;
  readonly width: number | null;
  readonly height: number | null;
  readonly objects: number;
  readonly items: number;
  /** Results of review runs about the video's items (every run counts). */
  readonly results: number;
  readonly availability: MediaStatus | null;
  /** Why it could not be opened the last time it was tried. */
  readonly problem: string | null;
}

export interface VideoListView {
  readonly search: string;
  readonly sort: VideoSortKey;
  readonly descending: boolean;
}

export const DEFAULT_VIDEO_VIEW: VideoListView = { search: '', sort: 'order', descending: false };

/** Availability as a sort rank: the ones needing attention first when ascending. */
function availabilityRank(row: VideoRow): number {
  if (row.problem !== null) return 0;
  const a = row.availability;
  if (a === null) return 3;
  return a.state === 'missing' ? 1 : a.state === 'needs-permission' ? 2 : 4;
}

export function videoRows(
  videos: readonly ProjectVideo[],
  work: ProjectDocument['work'],
  items: ProjectDocument['qaItems'],
  runs: readonly ReviewRun[],
  availability: Readonly<Record<string, MediaStatus>>,
): VideoRow[] {
  const itemsOf = new Map<string, number>();
  const videoOfItem = new Map<string, string>();
  for (const item of items) {
    if (item.projectVideoId === null) continue;
    itemsOf.set(item.projectVideoId, (itemsOf.get(item.projectVideoId) ?? 0) + 1);
    videoOfItem.set(item.id, item.projectVideoId);
  }
  const resultsOf = new Map<string, number>();
  for (const run of runs) {
    for (const r of run.results) {
      const v = r.itemId === null ? undefined : videoOfItem.get(r.itemId);
      if (v !== undefined) resultsOf.set(v, (resultsOf.get(v) ?? 0) + 1);
    }
  }
  return videos.map((v, i) => ({
    id: v.id,
    path: v.path,
    position: i + 1,
    durationS: v.facts?.durationS ?? null,
    width: v.facts?.width ?? null,
    height: v.facts?.height ?? null,
    objects: work[v.id]?.instances.length ?? 0,
    items: itemsOf.get(v.id) ?? 0,
    results: resultsOf.get(v.id) ?? 0,
    availability: availability[v.id] ?? null,
    problem: v.problem,
  }));
}

const compareText = (a: string, b: string): number => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });

/** The rows the panel shows: those whose path contains every word of the search (any case), sorted; ties keep the project's order. */
export function visibleVideoRows(rows: readonly VideoRow[], view: VideoListView): VideoRow[] {
  const words = view.search.toLowerCase().split(/\s+/).filter((w) => w !== '');
  const shown = words.length === 0 ? [...rows] : rows.filter((r) => words.every((w) => r.path.toLowerCase().includes(w)));
  const key = (r: VideoRow): number | string => {
    switch (view.sort) {
      case 'order':
        return r.position;
      case 'path':
        return r.path;
      case 'duration':
        // Unknown durations (never opened) after every known one.
        return r.durationS ?? Number.POSITIVE_INFINITY;
      case 'objects':
        return r.objects;
      case 'items':
        return r.items;
      case 'results':
        return r.results;
      case 'availability':
        return availabilityRank(r);
    }
  };
  const sign = view.descending ? -1 : 1;
  return shown.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'string' && typeof kb === 'string' ? compareText(ka, kb) : (ka as number) - (kb as number);
    return c !== 0 && !Number.isNaN(c) ? sign * c : a.position - b.position;
  });
}
