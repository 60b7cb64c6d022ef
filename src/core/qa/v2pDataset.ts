/**
 * A V2P-Bench download (a folder or ZIP: `dataset_info*.json`, `videos/<video_path>`,
 * `frames/<frame_path>`) as a dataset project, and such a project's items as records again.
 *
 * Import decisions (issue 14):
 * - Every `dataset_info*.json` is read (a download may have dataset_info.json and
 *   dataset_info_long.json): items in file-name order (code-unit order, so the same on every
 *   machine), then record order. A record found in two files (same video_id, question and
 *   frame_path, the parser's duplicate key) is one item, the first file's; counted in a warning,
 *   which also says how many copies differ in another field.
 * - One project video per distinct `video_path`, path exactly `video_path`, in order of first
 *   appearance: `A/clip.mp4` and `B/clip.mp4` are two videos. A `video_path` that cannot be a path
 *   inside videos/ (a ".." segment) gets no video: its items keep their record fields but have no
 *   `projectVideoId`, and it is listed as missing. Stray "/" and "." segments are dropped from the
 *   project path only (the item keeps its `videoPath`, so export writes the record as it came).
 * - Each item's visual prompt is the image the benchmark ships (the prompt already drawn on it):
 *   `promptImage` = `frames/<first frame_path>`, whether or not its frame number is known.
 * - Missing videos and frames (what `has` says is absent) are listed with the items they affect;
 *   the import goes on. Only "no dataset file", "no records" and "not one video found" are errors.
 */
import { fileStem, frameEntry, isSystemJunk, printableName, v2pFramePath, videoEntry } from '../formats/zipPaths';
import type { ProjectVideo } from '../project/document';
import type { QaItem } from './model';
import { framePathListOf, fromV2pRecord, toV2pRecord, V2P_FIELDS, type V2pImportOptions, type V2pRecord } from './v2p';

/** One parsed `dataset_info*.json` (entry name, its records, the parser's warnings). */
export interface V2pDatasetFile {
  readonly name: string;
  readonly records: readonly V2pRecord[];
  readonly warnings?: readonly string[];
}

export interface V2pPlanOptions extends V2pImportOptions {
  /** The id of the `index`-th video (first-appearance order); must give distinct ids. */
  readonly newVideoId: (index: number) => string;
  /** What messages call the source: default "the folder" (e.g. `"bench.zip"`). */
  readonly where?: string;
}

/** A file the dataset names that is not there, and the items it affects (in item order). */
export interface MissingEntry {
  /** As the records write it: relative to videos/ or frames/. */
  readonly path: string;
  readonly itemIds: readonly string[];
}

export interface V2pDatasetPlan {
  /** The dataset files read, in the order their items come. */
  readonly files: readonly string[];
  readonly videos: readonly ProjectVideo[];
  readonly items: readonly QaItem[];
  readonly missing: { readonly videos: readonly MissingEntry[]; readonly frames: readonly MissingEntry[] };
  /** How many distinct video and frame paths the records name (found or not). */
  readonly named: { readonly videos: number; readonly frames: number };
  readonly warnings: readonly string[];
}

export type V2pPlanResult = { readonly ok: true; readonly plan: V2pDatasetPlan } | { readonly ok: false; readonly error: string };

/** At most this many missing paths are named in a message; the rest are counted. */
const SHOWN = 5;

const DATASET_INFO_NAME = /^dataset_info[^/]*\.json$/;

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The message for a folder or archive without a dataset file. */
export function noDatasetFileError(where = 'the folder'): string {
  return `${capitalised(where)} has no dataset_info*.json: this is not a V2P-Bench dataset.`;
}

/** `video_path` as a project path (see the import decisions), or null when it leaves videos/. */
function projectPathOf(videoPath: string): string | null {
  const parts = videoPath.split('/').filter((s) => s !== '' && s !== '.');
  return parts.length === 0 || parts.includes('..') ? null : parts.join('/');
}

/** The duplicate key of schemas.ts: the same question about the same video and visual prompt. */
const recordKey = (r: V2pRecord): string => JSON.stringify([r.video_id, r.frame_path, r.question]);
const sameRecord = (a: V2pRecord, b: V2pRecord): boolean => V2P_FIELDS.every((f) => JSON.stringify(a[f]) === JSON.stringify(b[f]));

/** Appends `itemId` to the entry of `path`, keeping first-appearance order. */
function note(into: Map<string, string[]>, path: string, itemId: string): void {
  const ids = into.get(path);
  if (ids === undefined) into.set(path, [itemId]);
  else if (ids.at(-1) !== itemId) ids.push(itemId);
}

const entries = (m: ReadonlyMap<string, readonly string[]>): MissingEntry[] => [...m].map(([path, itemIds]) => ({ path, itemIds }));

/** `a, b, c (2 items) and 3 more (7 items)`: a few named with how many items each affects, the rest counted. */
export function listMissing(missing: readonly MissingEntry[]): string {
  const named = missing.slice(0, SHOWN).map((m) => `${printableName(m.path)} (${plural(m.itemIds.length, 'item')})`);
  const rest = missing.slice(SHOWN);
  if (rest.length === 0) return named.length <= 1 ? named.join('') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)!}`;
  const affected = new Set(rest.flatMap((m) => m.itemIds)).size;
  return `${named.join(', ')} and ${rest.length} more (${plural(affected, 'item')})`;
}

/** The project a V2P-Bench folder or archive becomes. `has(entry)` says whether `videos/…` / `frames/…` is there. */
export function planV2pDataset(files: readonly V2pDatasetFile[], has: (entry: string) => boolean, opts: V2pPlanOptions): V2pPlanResult {
  const where = opts.where ?? 'the folder';
  if (files.length === 0) return { ok: false, error: noDatasetFileError(where) };
  const ordered = [...files].sort((a, b) => byCodeUnits(a.name, b.name));
  const warnings = ordered.flatMap((f) => (f.warnings ?? []).map((w) => `${printableName(f.name)}: ${w}`));

  const firstOf = new Map<string, V2pRecord>();
  const records: V2pRecord[] = [];
  let copies = 0;
  let differing = 0;
  for (const file of ordered) {
    for (const record of file.records) {
      const key = recordKey(record);
      const first = firstOf.get(key);
      if (first === undefined) {
        firstOf.set(key, record);
        records.push(record);
      } else {
        copies++;
        if (!sameRecord(first, record)) differing++;
      }
    }
  }
  if (copies > 0) {
    warnings.push(
      `${plural(copies, 'record')} repeated a record of an earlier file (the same video_id, question and frame_path) and ${copies === 1 ? 'was' : 'were'} imported once` +
        (differing > 0 ? `; ${differing} of them differed in another field, and the first file's version was kept.` : '.'),
    );
  }
  if (records.length === 0) return { ok: false, error: `${ordered.map((f) => printableName(f.name)).join(', ')} ${ordered.length === 1 ? 'holds' : 'hold'} no records.` };

  const videos: ProjectVideo[] = [];
  const videoIdOfPath = new Map<string, string>();
  const ids = new Set<string>();
  const missingVideos = new Map<string, string[]>();
  const missingFrames = new Map<string, string[]>();
  const videoPaths = new Set<string>();
  const framePaths = new Set<string>();
  const foundPaths = new Set<string>();
  const items = records.map((record, index) => {
    const item = fromV2pRecord(record, index, opts);
    const frames = typeof record.frame_path === 'string' ? [record.frame_path] : record.frame_path;
    for (const frame of frames) {
      framePaths.add(frame);
      if (!has(frameEntry(frame))) note(missingFrames, frame, item.id);
    }
    videoPaths.add(record.video_path);
    const path = projectPathOf(record.video_path);
    let videoId: string | null = null;
    if (path !== null) {
      videoId = videoIdOfPath.get(path) ?? null;
      if (videoId === null) {
        videoId = opts.newVideoId(videos.length);
        if (ids.has(videoId)) throw new Error(`newVideoId gave the id ${JSON.stringify(videoId)} twice`);
        ids.add(videoId);
        videoIdOfPath.set(path, videoId);
        videos.push({ id: videoId, path, byteLength: null, facts: null, problem: null });
        if (has(videoEntry(path))) foundPaths.add(path);
      }
    }
    if (path === null || !foundPaths.has(path)) note(missingVideos, record.video_path, item.id);
    return { ...item, projectVideoId: videoId, promptImage: frames[0] === undefined ? null : frameEntry(frames[0]) };
  });

  const missing = { videos: entries(missingVideos), frames: entries(missingFrames) };
  const outside = [...videoPaths].filter((p) => projectPathOf(p) === null);
  if (outside.length > 0) warnings.push(`${plural(outside.length, 'video_path')} ${outside.length === 1 ? 'is' : 'are'} not inside videos/ (${outside.slice(0, SHOWN).map((p) => `"${printableName(p)}"`).join(', ')}${outside.length > SHOWN ? ', …' : ''}): their items have no video.`);
  if (foundPaths.size === 0) {
    const n = videoPaths.size;
    const error = n === 1 ? `The video the dataset names, ${listMissing(missing.videos)}, is not in ${where}.` : `None of the ${n} videos the dataset names is in ${where}: ${listMissing(missing.videos)}.`;
    return { ok: false, error };
  }
  return { ok: true, plan: { files: ordered.map((f) => f.name), videos, items, missing, named: { videos: videoPaths.size, frames: framePaths.size }, warnings } };
}

/**
 * What the import found, for the user, the way `datasetSummary` (datasetImport.ts) says it:
 * `Imported 12 QA items over 3 videos from dataset_info.json. Videos: 2 of 3 found; missing:
 * S/a.mp4 (4 items). Frames: 11 of 12 found; missing: S/a.jpg (1 item).` plus the warnings.
 */
export function summarizeV2pPlan(plan: V2pDatasetPlan): string {
  const { items, missing, named } = plan;
  const files = plan.files.map(printableName);
  const from = files.length <= 1 ? files.join('') : `${files.slice(0, -1).join(', ')} and ${files.at(-1)!}`;
  const part = (label: string, total: number, gone: readonly MissingEntry[]): string =>
    `${label}: ${total - gone.length} of ${total} found${gone.length > 0 ? `; missing: ${listMissing(gone)}` : ''}.`;
  return [
    `Imported ${plural(items.length, 'QA item')} over ${plural(named.videos, 'video')} from ${from}.`,
    part('Videos', named.videos, missing.videos),
    part('Frames', named.frames, missing.frames),
    ...plan.warnings,
  ].join(' ');
}

/**
 * The project files an item's visual prompt needs: its prompt image and, for a record whose
 * `frame_path` is a list, the list's other frames (kept with the project and exported with it, so
 * the record's every frame_path is in the export's frames/).
 */
export function promptImageKeys(item: QaItem): string[] {
  if (item.promptImage === null) return [];
  return [...new Set([item.promptImage, ...(framePathListOf(item) ?? []).map(frameEntry)])];
}

// ---------------------------------------------------------------------------------------------
// Export

export interface V2pProjectExportContext {
  /**
   * `frame_path` for an item that did not come from a dataset: the exporter renders its frame
   * with the prompt drawn and names it (`renderedFramePath`). `index`: the item's position.
   */
  readonly framePathFor: (item: QaItem, index: number, video: ProjectVideo | null) => string;
  /** What replaces `<vp>` (see toV2pRecord). */
  readonly phrase: (item: QaItem) => string;
}

/**
 * The name the exporter gives the rendered visual prompt frame of the `index`-th item:
 * `<video_id>/<nnnn>_<item id>.jpg` (video_id, else the stem of its video's file, else "video").
 */
export function renderedFramePath(item: QaItem, index: number, video: Pick<ProjectVideo, 'path'> | null): string {
  return v2pFramePath(item.videoId || (video !== null ? fileStem(video.path) : 'video'), `${String(index + 1).padStart(4, '0')}_${item.id}`);
}

/**
 * The V2P-Bench records of a project's items, in item order. An imported item writes back its own
 * paths (its `frame_path` list too) and duration; an item made here takes its video's path and
 * duration and the exporter's frame name. An item with neither a path of its own nor a video gets
 * an empty `video_path`.
 */
export function v2pRecordsOfProject(items: readonly QaItem[], videos: readonly ProjectVideo[], ctx: V2pProjectExportContext): V2pRecord[] {
  const byId = new Map(videos.map((v) => [v.id, v]));
  return items.map((item, index) => {
    const video = item.projectVideoId === null ? null : (byId.get(item.projectVideoId) ?? null);
    return toV2pRecord(item, {
      videoPath: item.videoPath ?? video?.path ?? '',
      framePath: item.framePath !== null ? (framePathListOf(item) ?? item.framePath) : ctx.framePathFor(item, index, video),
      duration: item.duration ?? video?.facts?.durationS ?? 0,
      phrase: ctx.phrase,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Entry listing

export type DatasetInfoListing =
  | {
      readonly ok: true;
      /** To strip from every entry name before reading the layout: '' or one folder (`V2P-Bench/`). */
      readonly prefix: string;
      /** The dataset files' full entry names (prefix included), sorted. */
      readonly names: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/**
 * The `dataset_info*.json` of a folder's or archive's entry names: those at the root, else those
 * one folder down when a single folder holds them (a ZIP of the folder `V2P-Bench/`, a picked
 * folder whose names start with its own). Archiver litter is skipped.
 */
export function datasetInfoFiles(entryNames: readonly string[], where = 'the folder'): DatasetInfoListing {
  const files = entryNames.filter((n) => !n.endsWith('/') && !isSystemJunk(n));
  const atRoot = files.filter((n) => DATASET_INFO_NAME.test(n));
  if (atRoot.length > 0) return { ok: true, prefix: '', names: atRoot.sort(byCodeUnits) };
  const byFolder = new Map<string, string[]>();
  for (const name of files) {
    const slash = name.indexOf('/');
    if (slash <= 0 || !DATASET_INFO_NAME.test(name.slice(slash + 1))) continue;
    const folder = name.slice(0, slash + 1);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), name]);
  }
  if (byFolder.size === 0) return { ok: false, error: noDatasetFileError(where) };
  if (byFolder.size > 1) {
    const folders = [...byFolder.keys()].sort(byCodeUnits).map(printableName);
    return { ok: false, error: `${capitalised(where)} holds several datasets (dataset_info*.json in ${folders.join(', ')}): import one of these folders at a time.` };
  }
  const [prefix, names] = [...byFolder][0]!;
  return { ok: true, prefix, names: names.sort(byCodeUnits) };
}
