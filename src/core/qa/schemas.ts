/**
 * Validation of imported QA files: a V2P-Bench `dataset_info.json` and the app's own `studio.json`.
 * Both come from outside the program, so nothing is trusted: the first problem is reported with
 * the record index and field it concerns, and nothing is returned that has not been checked.
 *
 * V2P-Bench records have no id field. Decision: two records are DUPLICATES when they have the same
 * `video_id`, `frame_path` and `question` — the same question about the same visual prompt, which
 * is a copy-paste error, and is refused. The same question about the same video with a different
 * frame_path is normal (another target) and accepted. Extra fields (e.g. a results file's
 * `response`) are dropped, with a warning; a dimension code the benchmark does not define is
 * accepted (kept as data) with a warning.
 */
import { z } from 'zod';
import type { ProjectDocument } from '../project/document';
import { parseDocument } from '../project/document';
import { isKnownDimension } from './dimensions';
import { parseQaItems } from './itemSchema';
import type { QaItem } from './model';
import { V2P_FIELDS, V2P_NOT_SET, type V2pRecord } from './v2p';

const nonEmpty = z.string().min(1);
const code = z.number().int().nonnegative();

export const v2pRecordSchema = z.object({
  video_id: nonEmpty,
  video_path: nonEmpty,
  duration: z.number().finite().nonnegative(),
  question: nonEmpty,
  answer: z.string(),
  source: z.string(),
  frame_path: z.union([nonEmpty, z.array(nonEmpty).min(1)]),
  dimension: code,
  category: code,
});

const EXPECTED: Readonly<Record<(typeof V2P_FIELDS)[number], string>> = {
  video_id: 'a non-empty string',
  video_path: 'a non-empty string (a path relative to videos/)',
  duration: 'a number of seconds >= 0',
  question: 'a non-empty string',
  answer: 'a string',
  source: 'a string',
  frame_path: 'a non-empty string (a path relative to frames/) or a non-empty list of them',
  dimension: 'an integer >= 0 (a V2P-Bench dimension code, 0 for none)',
  category: 'an integer >= 0',
};

/** A short, printable rendering of a found value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type V2pDatasetParse =
  | { readonly ok: true; readonly records: V2pRecord[]; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

/**
 * Checks a parsed `dataset_info.json` (a JSON array of records with exactly the benchmark's field
 * names and types). Errors read like
 * `record 3 (video_id "v_12"): "duration" must be a number of seconds >= 0, found "12s"`.
 * `onRecord` is told after each accepted record (the progress of a large file).
 */
export function parseV2pDataset(json: unknown, onRecord?: (done: number, total: number) => void): V2pDatasetParse {
  if (!Array.isArray(json)) return { ok: false, error: `dataset_info.json must be a JSON array of records, found ${describeValue(json)}` };
  const records: V2pRecord[] = [];
  const seen = new Map<string, number>();
  const extra = new Set<string>();
  const unknownDimensions = new Map<number, number>();
  for (let i = 0; i < json.length; i++) {
    const raw: unknown = json[i];
    if (!isObject(raw)) return { ok: false, error: `record ${i} must be an object, found ${describeValue(raw)}` };
    const who = typeof raw.video_id === 'string' && raw.video_id !== '' ? `record ${i} (video_id ${describeValue(raw.video_id)})` : `record ${i}`;
    const result = v2pRecordSchema.safeParse(raw);
    if (!result.success) {
      const field = String(result.error.issues[0]?.path[0] ?? '') as (typeof V2P_FIELDS)[number];
      const value = raw[field];
      if (!Object.hasOwn(raw, field) || value === undefined) return { ok: false, error: `${who}: field "${field}" is missing` };
      const shown = field === 'frame_path' && Array.isArray(value) && value.length > 0 ? `a list containing ${describeValue(value.find((p) => typeof p !== 'string' || p === ''))}` : describeValue(value);
      return { ok: false, error: `${who}: "${field}" must be ${EXPECTED[field] ?? 'valid'}, found ${shown}` };
    }
    for (const key of Object.keys(raw)) if (!(V2P_FIELDS as readonly string[]).includes(key)) extra.add(key);
    const record = result.data;
    const key = JSON.stringify([record.video_id, record.frame_path, record.question]);
    const first = seen.get(key);
    if (first !== undefined) {
      return {
        ok: false,
        error: `records ${first} and ${i} are duplicates: the same question about the same video and frame (video_id ${describeValue(record.video_id)}, frame_path ${describeValue(typeof record.frame_path === 'string' ? record.frame_path : record.frame_path[0])})`,
      };
    }
    seen.set(key, i);
    if (record.dimension !== V2P_NOT_SET && !isKnownDimension(record.dimension) && !unknownDimensions.has(record.dimension)) unknownDimensions.set(record.dimension, i);
    records.push(record);
    onRecord?.(i + 1, json.length);
  }
  const warnings: string[] = [];
  if (extra.size > 0) warnings.push(`Ignored fields that are not V2P-Bench record fields: ${[...extra].sort().join(', ')}.`);
  for (const [dimension, i] of unknownDimensions) warnings.push(`Dimension ${dimension} (first in record ${i}) is not a V2P-Bench dimension code; kept as is.`);
  return { ok: true, records, warnings };
}

// ---------------------------------------------------------------------------------------------
// studio.json

export const STUDIO_FORMAT = 'videoseeker-studio';
/** Version 2: the document is a dataset (document version 3). Version 1 files (one video) are read too. */
export const STUDIO_VERSION = 2;

/**
 * The app's own project file, everything needed to restore a project exactly. QA items live in the
 * document (`document.qaItems`). A top-level `qaItems` array (the layout first sketched for this
 * file) is also read, when the document has none.
 */
export interface StudioFile {
  readonly format: typeof STUDIO_FORMAT;
  readonly version: typeof STUDIO_VERSION;
  readonly project: { readonly name: string };
  readonly document: ProjectDocument;
}

export type StudioParse = { readonly ok: true; readonly studio: StudioFile } | { readonly ok: false; readonly error: string };

export function toStudioJson(projectName: string, document: ProjectDocument): StudioFile {
  return { format: STUDIO_FORMAT, version: STUDIO_VERSION, project: { name: projectName }, document };
}

const header = z.object({ project: z.object({ name: z.string() }) });

/**
 * Checks a parsed `studio.json`: format and version, the project name, the document (with the
 * project's own `parseDocument`), QA items (zod, unique ids), and that every item's `instanceId`
 * names an instance of the document and every `resultQueryId` one of its queries.
 */
export function parseStudioJson(json: unknown): StudioParse {
  const fail = (error: string): StudioParse => ({ ok: false, error: `studio.json: ${error}` });
  if (!isObject(json)) return fail(`must be a JSON object, found ${describeValue(json)}`);
  if (json.format !== STUDIO_FORMAT) return fail(`"format" must be "${STUDIO_FORMAT}", found ${describeValue(json.format)}: this is not a VideoSeeker Studio file`);
  if (json.version !== STUDIO_VERSION && json.version !== 1) return fail(`version ${describeValue(json.version)} is not supported (this build reads versions 1 and ${STUDIO_VERSION})`);
  const head = header.safeParse(json);
  if (!head.success) return fail(`"project.name" must be a string, found ${describeValue(isObject(json.project) ? json.project.name : json.project)}`);
  const parsed = parseDocument(json.document);
  if (!parsed.ok) return fail(`document: ${parsed.error}`);
  let document = parsed.doc;
  if (json.qaItems !== undefined) {
    const items = parseQaItems(json.qaItems);
    if (!items.ok) return fail(items.error);
    if (items.items.length > 0 && document.qaItems.length > 0) return fail('QA items are given twice, in "qaItems" and in "document.qaItems"');
    // Such files are of the one-video era: their items are about its video.
    const only = document.videos.length === 1 ? document.videos[0]!.id : null;
    if (items.items.length > 0) document = { ...document, qaItems: items.items.map((item) => (item.projectVideoId === null ? { ...item, projectVideoId: only } : item)) };
  }
  const problem = checkItemLinks(document.qaItems, document, 'document.qaItems');
  if (problem !== null) return fail(problem);
  return { ok: true, studio: { format: STUDIO_FORMAT, version: STUDIO_VERSION, project: { name: head.data.project.name }, document } };
}

/**
 * The first QA item that refers to a video, instance or query the document does not have, or
 * null. An item's instance and query are those of its own video.
 */
export function checkItemLinks(items: readonly QaItem[], document: Pick<ProjectDocument, 'videos' | 'work'>, path = 'qaItems'): string | null {
  const videos = new Set(document.videos.map((v) => v.id));
  const instances = new Map<string, ReadonlySet<string>>();
  const queries = new Map<string, ReadonlySet<string>>();
  for (const [videoId, work] of Object.entries(document.work)) {
    instances.set(videoId, new Set(work.instances.map((i) => i.id)));
    queries.set(videoId, new Set(work.queries.map((q) => q.id)));
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const video = item.projectVideoId;
    if (video !== null && !videos.has(video)) return `${path}[${i}].projectVideoId ${JSON.stringify(video)} is not the id of one of the videos`;
    if (item.instanceId !== null && (video === null || !instances.get(video)?.has(item.instanceId))) {
      return `${path}[${i}].instanceId ${JSON.stringify(item.instanceId)} is not the id of one of the instances of its video`;
    }
    if (item.resultQueryId !== null && (video === null || !queries.get(video)?.has(item.resultQueryId))) {
      return `${path}[${i}].resultQueryId ${JSON.stringify(item.resultQueryId)} is not the id of one of the queries of its video`;
    }
  }
  return null;
}
