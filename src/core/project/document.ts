/**
 * What is persisted for a project: its metadata (listed without loading anything else) and its
 * document (its videos, what the user did on each, its QA items and review runs).
 *
 * Stored records come back from outside the program (an older build wrote them, a disk went bad,
 * someone edited them in the dev tools), so they are never trusted: `parseDocument` checks every
 * field and answers with an error naming the first bad one instead of letting a malformed value
 * reach the UI. It rebuilds the document from the fields it knows, so unknown extra fields are
 * dropped. Pure TypeScript, no library.
 */
import { annotationKey, type FrameAnnotation, type FrameMask, type Instance, type Prompt } from '../annotation/model';
import type { SavedQuery } from '../agent/query';
import { parseQueries } from '../agent/querySchema';
import type { Rle } from '../mask/rle';
import { parseMasklets } from '../propagation/documentMasklets';
import type { Masklets } from '../propagation/masklet';
import { parsePendingPropagation, type PendingPropagation } from '../propagation/pendingRun';
import { parseQaItems } from '../qa/itemSchema';
import type { QaItem } from '../qa/model';
import type { Judgements, ReviewRun } from '../review/run';
import { parseJudgements, parseRuns } from '../review/runSchema';
import { describeValue } from './describeValue';

export interface ProjectMeta {
  readonly id: string;
  readonly name: string;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Milliseconds since the epoch; the last time anything of the project was saved. */
  readonly updatedAt: number;
  /** The open video's name (a one-video project: its video), for the project list without loading the document. */
  readonly videoName: string | null;
  /** How many videos the project has (absent in records written before datasets: 0 or 1). */
  readonly videoCount?: number;
}

/** What the app learnt about a video when it opened it: enough to list it without opening it again. */
export interface VideoFacts {
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly fps: number;
  readonly durationS: number;
}

/**
 * The video of a document of version 1 (one video per project). Kept for reading old documents
 * and old project files; version 3 lists videos as ProjectVideo.
 */
export interface VideoRef extends VideoFacts {
  readonly name: string;
  readonly byteLength: number;
  /** The file bytes were in the repository, so the project reopened without the user picking the file again. */
  readonly stored: boolean;
}

/** One video of a project. Its bytes are not here: the project's media store keeps them under `path`. */
export interface ProjectVideo {
  /** Stable within the project; what QA items and the per-video work refer to. */
  readonly id: string;
  /**
   * Where the file is in the dataset, "/"-separated, unique in the project: `Source/name.mp4` as a
   * V2P-Bench `video_path` (relative to videos/), or the file name of a video added on its own.
   * The key of the file in the media store is `videos/<path>`.
   */
  readonly path: string;
  /** File size in bytes; null until known. */
  readonly byteLength: number | null;
  /** Null until the video was opened once (a dataset import lists videos without opening them). */
  readonly facts: VideoFacts | null;
  /** Why it could not be opened the last time it was tried (undecodable...); null when it opened. */
  readonly problem: string | null;
}

/** Everything the user did on one video: objects, prompts and masks, questions, propagated masks. */
export interface VideoWork {
  readonly instances: readonly Instance[];
  /** One of `instances`' ids, or null. */
  readonly activeId: string | null;
  /** By annotationKey(instanceId, frame); every key names an instance of `instances`. */
  readonly frames: Readonly<Record<string, FrameAnnotation>>;
  /** Questions asked about instances, with their trajectories, oldest first. */
  readonly queries: readonly SavedQuery[];
  /** Propagated masks by instance and frame (the user's own masks are in `frames`). */
  readonly masklets: Masklets;
  /** The propagation that was running when this was saved (absent or null: none). */
  readonly propagationRun?: PendingPropagation | null;
}

export const DOCUMENT_VERSION = 3;

/**
 * A project: a dataset of videos. Each video's work is apart (`work`, by video id), so that a save
 * after an edit on one video writes that video's record only (the repository compares objects:
 * every part is immutable, a change makes a new object). QA items and review runs belong to the
 * project; each item names its video.
 */
export interface ProjectDocument {
  readonly version: typeof DOCUMENT_VERSION;
  readonly videos: readonly ProjectVideo[];
  /** The video shown when the project opens (one of `videos`), or null. */
  readonly openVideoId: string | null;
  /** By video id; a video nobody worked on has no entry. Every key is the id of one of `videos`. */
  readonly work: Readonly<Record<string, VideoWork>>;
  /** The QA dataset items of the project, each naming its video (`projectVideoId`). */
  readonly qaItems: readonly QaItem[];
  /**
   * Review runs (batch runs made here, imported results). Immutable: a change makes a new run
   * object, which is how the repository tells which runs it must write again.
   */
  readonly runs: readonly ReviewRun[];
  /** A person's verdicts on results, by run id and result key; only runs of `runs`. */
  readonly judgements: Judgements;
}

/** The key of a video's file in the project's media store. */
export function videoMediaKey(video: Pick<ProjectVideo, 'path'>): string {
  return `videos/${video.path}`;
}

/** The file name of a video ("clip.mp4" for "Source/clip.mp4"). */
export function videoFileName(video: Pick<ProjectVideo, 'path'>): string {
  const slash = video.path.lastIndexOf('/');
  return slash < 0 ? video.path : video.path.slice(slash + 1);
}

export const EMPTY_WORK: VideoWork = { instances: [], activeId: null, frames: {}, queries: [], masklets: {} };

/** True when the work holds nothing worth keeping (such an entry is left out of `work`). */
export function isEmptyWork(w: VideoWork): boolean {
  return w.instances.length === 0 && w.queries.length === 0 && Object.keys(w.frames).length === 0 && Object.keys(w.masklets).length === 0 && (w.propagationRun ?? null) === null;
}

export type ParseResult<T> = { readonly ok: true; readonly doc: T } | { readonly ok: false; readonly error: string };

export function emptyDocument(): ProjectDocument {
  return { version: DOCUMENT_VERSION, videos: [], openVideoId: null, work: {}, qaItems: [], runs: [], judgements: {} };
}

export interface DocumentParseOptions {
  /**
   * Runs and results (by object identity) validated before and unchanged since, taken as they
   * are: a repository passes the ones it last stored, so a save does not check a 10,000-result
   * import again. See parseRuns.
   */
  readonly checkedRuns?: ReadonlySet<object>;
}

/** Thrown inside the validator and turned into `{ ok: false }` at its boundary. */
class Invalid extends Error {}

type Json = Readonly<Record<string, unknown>>;

function fail(path: string, expected: string, value: unknown): never {
  throw new Invalid(`${path} must be ${expected}, found ${describeValue(value)}`);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Json {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0) fail(path, 'a non-empty string', value);
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'true or false', value);
  return value;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
  return value;
}

function nonNegative(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(path, 'a finite number >= 0', value);
  return value;
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'an integer >= 0', value);
  return value;
}

function field(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function parseVideo(value: unknown, path: string): VideoRef | null {
  if (value === null) return null;
  const o = record(value, path);
  return {
    name: string(o.name, `${path}.name`),
    byteLength: count(o.byteLength, `${path}.byteLength`),
    width: count(o.width, `${path}.width`),
    height: count(o.height, `${path}.height`),
    frameCount: count(o.frameCount, `${path}.frameCount`),
    fps: nonNegative(o.fps, `${path}.fps`),
    durationS: nonNegative(o.durationS, `${path}.durationS`),
    stored: boolean(o.stored, `${path}.stored`),
  };
}

function parseInstance(value: unknown, path: string): Instance {
  const o = record(value, path);
  return {
    id: nonEmptyString(o.id, `${path}.id`),
    name: string(o.name, `${path}.name`),
    color: nonEmptyString(o.color, `${path}.color`),
    visible: boolean(o.visible, `${path}.visible`),
  };
}

function parsePrompt(value: unknown, path: string): Prompt {
  const o = record(value, path);
  if (o.kind === 'point') {
    return { kind: 'point', x: finite(o.x, `${path}.x`), y: finite(o.y, `${path}.y`), positive: boolean(o.positive, `${path}.positive`) };
  }
  if (o.kind === 'box') {
    return {
      kind: 'box',
      x0: finite(o.x0, `${path}.x0`),
      y0: finite(o.y0, `${path}.y0`),
      x1: finite(o.x1, `${path}.x1`),
      y1: finite(o.y1, `${path}.y1`),
    };
  }
  if (o.kind === 'scribble') {
    const raw = array(o.path, `${path}.path`);
    if (raw.length % 2 !== 0) throw new Invalid(`${path}.path must be [x0, y0, x1, y1, ...], found ${raw.length} values (an odd number)`);
    return { kind: 'scribble', path: raw.map((v, i) => finite(v, `${path}.path[${i}]`)) };
  }
  return fail(`${path}.kind`, '"point", "box" or "scribble"', o.kind);
}

function parseRle(value: unknown, path: string): Rle {
  const o = record(value, path);
  const size = array(o.size, `${path}.size`);
  if (size.length !== 2) throw new Invalid(`${path}.size must be [height, width], found ${size.length} values`);
  const height = count(size[0], `${path}.size[0]`);
  const width = count(size[1], `${path}.size[1]`);
  const raw = array(o.counts, `${path}.counts`);
  const counts: number[] = new Array<number>(raw.length);
  let total = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    // Checked inline: masks have thousands of runs, and this runs on every load.
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) fail(`${path}.counts[${i}]`, 'an integer >= 0', c);
    counts[i] = c;
    total += c;
  }
  if (total !== height * width) {
    throw new Invalid(`${path}.counts add up to ${total} pixels, but size [${height}, ${width}] has ${height * width}`);
  }
  return { size: [height, width], counts };
}

function parseMask(value: unknown, path: string): FrameMask | null {
  if (value === null) return null;
  const o = record(value, path);
  return { rle: parseRle(o.rle, `${path}.rle`), score: finite(o.score, `${path}.score`) };
}

/** Splits "instanceId@frame" (the id may itself contain "@"; the frame never does). */
function splitKey(key: string, path: string): { instanceId: string; frame: number } {
  const at = key.lastIndexOf('@');
  const frameText = key.slice(at + 1);
  if (at <= 0 || !/^(0|[1-9]\d*)$/.test(frameText) || !Number.isSafeInteger(Number(frameText))) {
    throw new Invalid(`${path} is not a key of the form "instanceId@frame"`);
  }
  return { instanceId: key.slice(0, at), frame: Number(frameText) };
}

function parseFrames(value: unknown, path: string, instanceIds: ReadonlySet<string>): Record<string, FrameAnnotation> {
  const o = record(value, path);
  const entries: [string, FrameAnnotation][] = [];
  for (const key of Object.keys(o)) {
    const at = field(path, key);
    const { instanceId, frame } = splitKey(key, at);
    if (!instanceIds.has(instanceId)) throw new Invalid(`${at} refers to instance ${JSON.stringify(instanceId)}, which is not in instances`);
    const annotation = record(o[key], at);
    const prompts = array(annotation.prompts, `${at}.prompts`).map((p, i) => parsePrompt(p, `${at}.prompts[${i}]`));
    entries.push([annotationKey(instanceId, frame), { prompts, mask: parseMask(annotation.mask, `${at}.mask`) }]);
  }
  // fromEntries defines own properties, so even a "__proto__" key could not change the prototype.
  return Object.fromEntries(entries);
}

function parseFacts(o: Json, path: string): VideoFacts {
  return {
    width: count(o.width, `${path}.width`),
    height: count(o.height, `${path}.height`),
    frameCount: count(o.frameCount, `${path}.frameCount`),
    fps: nonNegative(o.fps, `${path}.fps`),
    durationS: nonNegative(o.durationS, `${path}.durationS`),
  };
}

function parseProjectVideo(value: unknown, path: string): ProjectVideo {
  const o = record(value, path);
  const videoPath = nonEmptyString(o.path, `${path}.path`);
  if (videoPath.startsWith('/') || videoPath.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new Invalid(`${path}.path must be a relative path like "Source/name.mp4", found ${JSON.stringify(videoPath)}`);
  }
  return {
    id: nonEmptyString(o.id, `${path}.id`),
    path: videoPath,
    byteLength: o.byteLength === null ? null : count(o.byteLength, `${path}.byteLength`),
    facts: o.facts === null ? null : parseFacts(record(o.facts, `${path}.facts`), `${path}.facts`),
    problem: o.problem === null || o.problem === undefined ? null : string(o.problem, `${path}.problem`),
  };
}

/** One video's work (version 3), or a version 1 document's fields (the same names at its top level). */
function parseWork(o: Json, path: string): VideoWork {
  const at = (name: string): string => (path === '' ? name : `${path}.${name}`);
  const instances = array(o.instances, at('instances')).map((v, i) => parseInstance(v, `${at('instances')}[${i}]`));
  const ids = new Set<string>();
  instances.forEach((instance, i) => {
    if (ids.has(instance.id)) throw new Invalid(`${at('instances')}[${i}].id ${JSON.stringify(instance.id)} is used by an earlier instance`);
    ids.add(instance.id);
  });
  let activeId: string | null = null;
  if (o.activeId !== null) {
    activeId = string(o.activeId, at('activeId'));
    if (!ids.has(activeId)) throw new Invalid(`${at('activeId')} ${JSON.stringify(activeId)} is not the id of one of the instances`);
  }
  const frames = parseFrames(o.frames, at('frames'), ids);
  // Documents written before queries existed have none.
  const queries = o.queries === undefined ? { ok: true as const, queries: [] } : parseQueries(o.queries);
  if (!queries.ok) throw new Invalid(path === '' ? queries.error : `${path}.${queries.error}`);
  // Documents written before propagation existed have no masklets.
  const masklets = o.masklets === undefined ? { ok: true as const, masklets: {} } : parseMasklets(o.masklets, ids);
  if (!masklets.ok) throw new Invalid(path === '' ? masklets.error : `${path}.${masklets.error}`);
  const pending = parsePendingPropagation(o.propagationRun, ids);
  if (!pending.ok) throw new Invalid(path === '' ? pending.error : `${path}.${pending.error}`);
  return { instances, activeId, frames, queries: queries.queries, masklets: masklets.masklets, ...(pending.pending !== null ? { propagationRun: pending.pending } : {}) };
}

function parseReview(o: Json, options: DocumentParseOptions): Pick<ProjectDocument, 'runs' | 'judgements'> {
  // Documents written before the review existed have no runs and no judgements.
  const runs = o.runs === undefined ? { ok: true as const, runs: [] } : parseRuns(o.runs, 'runs', { checked: options.checkedRuns });
  if (!runs.ok) throw new Invalid(runs.error);
  const judgements = o.judgements === undefined ? { ok: true as const, judgements: {} } : parseJudgements(o.judgements, new Set(runs.runs.map((r) => r.id)));
  if (!judgements.ok) throw new Invalid(judgements.error);
  return { runs: runs.runs, judgements: judgements.judgements };
}

function parseItems(value: unknown): readonly QaItem[] {
  const qa = value === undefined ? { ok: true as const, items: [] } : parseQaItems(value);
  if (!qa.ok) throw new Invalid(qa.error);
  return qa.items;
}

/**
 * The path the one video of a version 1 document gets: its file name as one path segment. The
 * media store finds an old project's stored Blob under `videos/<this>`.
 */
export function migratedVideoPath(name: string): string {
  return /^\.*$/.test(name) ? 'video' : name.replace(/[\\/]/g, '_');
}

/** The id the one video of a version 1 document gets. */
export const MIGRATED_VIDEO_ID = 'video-1';

/**
 * A version 1 document (one video, its work at the top level) as version 3: one video (the same
 * name, size and facts), its work, every QA item linked to it. The video's bytes, if the old
 * project kept them, are found by the repository under the video's media key.
 */
function migrateV1(o: Json, options: DocumentParseOptions): ProjectDocument {
  const ref = parseVideo(o.video, 'video');
  const work = parseWork(o, '');
  const items = parseItems(o.qaItems);
  const review = parseReview(o, options);
  // Annotations without a video cannot be shown, but they are the user's: they keep a video entry to come back to.
  const needsVideo = ref !== null || !isEmptyWork(work) || items.length > 0;
  const video: ProjectVideo | null = needsVideo
    ? {
        id: MIGRATED_VIDEO_ID,
        path: migratedVideoPath(ref?.name ?? ''),
        byteLength: ref?.byteLength ?? null,
        facts: ref !== null ? { width: ref.width, height: ref.height, frameCount: ref.frameCount, fps: ref.fps, durationS: ref.durationS } : null,
        problem: null,
      }
    : null;
  return {
    version: DOCUMENT_VERSION,
    videos: video ? [video] : [],
    openVideoId: video?.id ?? null,
    work: video && !isEmptyWork(work) ? { [video.id]: work } : {},
    qaItems: video ? items.map((item) => (item.projectVideoId === null ? { ...item, projectVideoId: video.id } : item)) : items,
    ...review,
  };
}

function parseV3(o: Json, options: DocumentParseOptions): ProjectDocument {
  const videos = array(o.videos, 'videos').map((v, i) => parseProjectVideo(v, `videos[${i}]`));
  const ids = new Set<string>();
  const paths = new Set<string>();
  videos.forEach((v, i) => {
    if (ids.has(v.id)) throw new Invalid(`videos[${i}].id ${JSON.stringify(v.id)} is used by an earlier video`);
    if (paths.has(v.path)) throw new Invalid(`videos[${i}].path ${JSON.stringify(v.path)} is used by an earlier video`);
    ids.add(v.id);
    paths.add(v.path);
  });
  let openVideoId: string | null = null;
  if (o.openVideoId !== null) {
    openVideoId = string(o.openVideoId, 'openVideoId');
    if (!ids.has(openVideoId)) throw new Invalid(`openVideoId ${JSON.stringify(openVideoId)} is not the id of one of the videos`);
  }
  const rawWork = record(o.work, 'work');
  const work: [string, VideoWork][] = [];
  for (const key of Object.keys(rawWork)) {
    const at = field('work', key);
    if (!ids.has(key)) throw new Invalid(`${at} refers to video ${JSON.stringify(key)}, which is not in videos`);
    work.push([key, parseWork(record(rawWork[key], at), at)]);
  }
  const qaItems = parseItems(o.qaItems);
  qaItems.forEach((item, i) => {
    if (item.projectVideoId !== null && !ids.has(item.projectVideoId)) {
      throw new Invalid(`qaItems[${i}].projectVideoId ${JSON.stringify(item.projectVideoId)} is not the id of one of the videos`);
    }
  });
  // fromEntries defines own properties, so even a "__proto__" video id could not change the prototype.
  return { version: DOCUMENT_VERSION, videos, openVideoId, work: Object.fromEntries(work), qaItems, ...parseReview(o, options) };
}

/**
 * Checks a stored or imported value and rebuilds it as a ProjectDocument. Never throws: an invalid
 * value gives `{ ok: false, error }` where `error` names the first offending field, e.g.
 * `work["video-1"].instances[2].visible must be true or false, found "yes"`. A document of version
 * 1 (a project of one video, saved before projects were datasets) is read and migrated.
 */
export function parseDocument(json: unknown, options: DocumentParseOptions = {}): ParseResult<ProjectDocument> {
  try {
    const o = record(json, 'document');
    if (o.version === DOCUMENT_VERSION) return { ok: true, doc: parseV3(o, options) };
    if (o.version === 1) return { ok: true, doc: migrateV1(o, options) };
    if (o.version === undefined) throw new Invalid('version is missing: this is not a project document');
    throw new Invalid(`version ${describeValue(o.version)} is not supported (this build reads versions 1 and ${DOCUMENT_VERSION})`);
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    // A bug here must not take the app down either; report it as a bad record.
    return { ok: false, error: `unreadable document (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Checks one video's work on its own (the repository stores each apart); never throws. */
export function parseVideoWork(json: unknown, path = 'work'): ParseResult<VideoWork> {
  try {
    return { ok: true, doc: parseWork(record(json, path), path) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    return { ok: false, error: `unreadable record (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Checks a stored project metadata record; null when it is not one. */
export function parseProjectMeta(json: unknown): ProjectMeta | null {
  if (!isRecord(json)) return null;
  const { id, name, createdAt, updatedAt, videoName, videoCount } = json;
  if (typeof id !== 'string' || id.length === 0 || typeof name !== 'string') return null;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) return null;
  if (videoName !== null && typeof videoName !== 'string') return null;
  if (videoCount !== undefined && (typeof videoCount !== 'number' || !Number.isSafeInteger(videoCount) || videoCount < 0)) return null;
  return { id, name, createdAt, updatedAt, videoName, ...(videoCount !== undefined ? { videoCount } : {}) };
}
