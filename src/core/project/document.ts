/**
 * What is persisted for a project: its metadata (listed without loading anything else) and its
 * document (the video it refers to and everything the user annotated on it).
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
  /** The document's video name, for the project list without loading the document. */
  readonly videoName: string | null;
}

/** The video a project is about; enough to show it and to check a re-opened file is the same one. */
export interface VideoRef {
  readonly name: string;
  readonly byteLength: number;
  readonly width: number;
  readonly height: number;
  readonly frameCount: number;
  readonly fps: number;
  readonly durationS: number;
  /** The file bytes are in the repository (saveVideo), so the project reopens without the user picking the file again. */
  readonly stored: boolean;
}

export const DOCUMENT_VERSION = 1;

export interface ProjectDocument {
  readonly version: typeof DOCUMENT_VERSION;
  readonly video: VideoRef | null;
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
  /** The QA dataset items of this video. */
  readonly qaItems: readonly QaItem[];
  /**
   * Review runs (batch runs made here, imported results). Immutable: a change makes a new run
   * object, which is how the repository tells which runs it must write again.
   */
  readonly runs: readonly ReviewRun[];
  /** A person's verdicts on results, by run id and result key; only runs of `runs`. */
  readonly judgements: Judgements;
}

export type ParseResult<T> = { readonly ok: true; readonly doc: T } | { readonly ok: false; readonly error: string };

export function emptyDocument(): ProjectDocument {
  return { version: DOCUMENT_VERSION, video: null, instances: [], activeId: null, frames: {}, queries: [], masklets: {}, qaItems: [], runs: [], judgements: {} };
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

/**
 * Checks a stored or imported value and rebuilds it as a ProjectDocument. Never throws: an invalid
 * value gives `{ ok: false, error }` where `error` names the first offending field, e.g.
 * `instances[2].visible must be true or false, found "yes"`.
 */
export function parseDocument(json: unknown, options: DocumentParseOptions = {}): ParseResult<ProjectDocument> {
  try {
    const o = record(json, 'document');
    if (o.version !== DOCUMENT_VERSION) {
      if (o.version === undefined) throw new Invalid('version is missing: this is not a project document');
      throw new Invalid(`version ${describeValue(o.version)} is not supported (this build reads version ${DOCUMENT_VERSION})`);
    }
    const video = parseVideo(o.video, 'video');
    const instances = array(o.instances, 'instances').map((v, i) => parseInstance(v, `instances[${i}]`));
    const ids = new Set<string>();
    instances.forEach((instance, i) => {
      if (ids.has(instance.id)) throw new Invalid(`instances[${i}].id ${JSON.stringify(instance.id)} is used by an earlier instance`);
      ids.add(instance.id);
    });
    let activeId: string | null = null;
    if (o.activeId !== null) {
      activeId = string(o.activeId, 'activeId');
      if (!ids.has(activeId)) throw new Invalid(`activeId ${JSON.stringify(activeId)} is not the id of one of the instances`);
    }
    const frames = parseFrames(o.frames, 'frames', ids);
    // Documents written before queries existed have none.
    const queries = o.queries === undefined ? { ok: true as const, queries: [] } : parseQueries(o.queries);
    if (!queries.ok) throw new Invalid(queries.error);
    // Documents written before propagation existed have no masklets.
    const masklets = o.masklets === undefined ? { ok: true as const, masklets: {} } : parseMasklets(o.masklets, ids);
    if (!masklets.ok) throw new Invalid(masklets.error);
    const pending = parsePendingPropagation(o.propagationRun, ids);
    if (!pending.ok) throw new Invalid(pending.error);
    const qa = o.qaItems === undefined ? { ok: true as const, items: [] } : parseQaItems(o.qaItems);
    if (!qa.ok) throw new Invalid(qa.error);
    // Documents written before the review existed have no runs and no judgements.
    const runs = o.runs === undefined ? { ok: true as const, runs: [] } : parseRuns(o.runs, 'runs', { checked: options.checkedRuns });
    if (!runs.ok) throw new Invalid(runs.error);
    const judgements = o.judgements === undefined ? { ok: true as const, judgements: {} } : parseJudgements(o.judgements, new Set(runs.runs.map((r) => r.id)));
    if (!judgements.ok) throw new Invalid(judgements.error);
    return {
      ok: true,
      doc: { version: DOCUMENT_VERSION, video, instances, activeId, frames, queries: queries.queries, masklets: masklets.masklets, ...(pending.pending !== null ? { propagationRun: pending.pending } : {}), qaItems: qa.items, runs: runs.runs, judgements: judgements.judgements },
    };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    // A bug here must not take the app down either; report it as a bad record.
    return { ok: false, error: `unreadable document (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Checks a stored project metadata record; null when it is not one. */
export function parseProjectMeta(json: unknown): ProjectMeta | null {
  if (!isRecord(json)) return null;
  const { id, name, createdAt, updatedAt, videoName } = json;
  if (typeof id !== 'string' || id.length === 0 || typeof name !== 'string') return null;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || typeof updatedAt !== 'number' || !Number.isFinite(updatedAt)) return null;
  if (videoName !== null && typeof videoName !== 'string') return null;
  return { id, name, createdAt, updatedAt, videoName };
}
