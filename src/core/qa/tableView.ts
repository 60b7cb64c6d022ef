/**
 * The QA table's view: which items it shows (dimension filter, search over the item's texts, its
 * object's name and its video's path) and in which order. The batch runner asks "the items shown" through it too.
 */
import { dimensionShort } from './dimensions';
import type { QaItem } from './model';

export type QaSortKey = 'created' | 'video' | 'object' | 'frame' | 'question' | 'dimension' | 'type';

export interface QaView {
  readonly search: string;
  /** A dimension code, or null for all. */
  readonly dimension: number | null;
  readonly sort: QaSortKey;
  readonly descending: boolean;
}

/** `videoPath` names an item's project video (searched and sorted like the object's name). */
export function visibleItems(items: readonly QaItem[], view: QaView, instanceName: (id: string | null) => string, videoPath: (id: string | null) => string = () => ''): QaItem[] {
  const q = view.search.trim().toLowerCase();
  const filtered = items.filter(
    (it) =>
      (view.dimension === null || it.dimension === view.dimension) &&
      (q === '' || [it.question, it.answer, it.notes, it.source, ...it.options, instanceName(it.instanceId), videoPath(it.projectVideoId)].some((t) => t.toLowerCase().includes(q))),
  );
  const key = (it: QaItem): string | number => {
    switch (view.sort) {
      case 'object':
        return instanceName(it.instanceId);
      case 'video':
        return videoPath(it.projectVideoId);
      case 'frame':
        return it.frame ?? -1;
      case 'question':
        return it.question.toLowerCase();
      case 'dimension':
        return it.dimension === null ? '' : dimensionShort(it.dimension);
      case 'type':
        return it.vpType;
      default:
        return it.createdAt;
    }
  };
  const sorted = [...filtered].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return view.descending ? sorted.reverse() : sorted;
}

/** Object names across the dataset's videos (each item's object belongs to its own video); '—' for none, '(deleted)' for one not found. */
export function objectNameLookup(instanceLists: Iterable<readonly { readonly id: string; readonly name: string }[]>): (id: string | null) => string {
  const names = new Map<string, string>();
  for (const list of instanceLists) for (const i of list) if (!names.has(i.id)) names.set(i.id, i.name);
  return (id) => (id === null ? '—' : (names.get(id) ?? '(deleted)'));
}

/** A project video's path by id; '—' for none. */
export function videoPathLookup(videos: readonly { readonly id: string; readonly path: string }[]): (id: string | null) => string {
  const paths = new Map(videos.map((v) => [v.id, v.path]));
  return (id) => (id === null ? '—' : (paths.get(id) ?? '—'));
}
