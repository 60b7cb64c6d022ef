/**
 * QA items ⇄ V2P-Bench dataset records (protocol §4.1).
 *
 * A record has exactly the benchmark's fields, in the benchmark's order:
 *   {video_id, video_path, duration, question, answer, source, frame_path, dimension, category}
 * A multiple-choice question carries its options folded in, as the benchmark writes them:
 *   question + "\nA: ..." + "\nB: ..." + ... + MC_PROMPT
 * (MC_PROMPT starts with "\n": "...\nD: ...\nSelect the best option that accurately addresses the
 * question. Give only your option letter, no other words."). An open-ended question is the text alone.
 *
 * The `<vp>` policy:
 * - export: every `<vp>` in the question AND in the options is replaced by `ctx.phrase(item)`
 *   (the type's protocol phrase, or the user's own), so a record never contains `<vp>`;
 * - import: the question is taken verbatim. Benchmark questions are already phrased and carry no
 *   `<vp>`; a literal `<vp>` in an imported question is kept as text (and would be replaced if the
 *   item were exported again — the one case where record → item → record is not the identity).
 *
 * Import decisions:
 * - Options are split off only when the question ends with MC_PROMPT exactly AND is preceded by
 *   lines "A: ...", "B: ...", ... (in order, starting at A, at most four). Otherwise the whole text
 *   is kept as an open-ended question (instruction included), with a note; export then writes it
 *   back unchanged.
 * - `dimension` / `category` 0 mean "not set" (the benchmark's codes start at 1): 0 → null on
 *   import, null → 0 on export.
 * - `frame_path` as a list: `framePath` is its first element, and the whole list is kept on a line
 *   of `notes` (`FRAME_PATHS_NOTE` + JSON) so that export writes the list back (`v2pPathsOf`).
 *   QaItem has no field for it; the note is plain text the user may edit or delete (export then
 *   writes `framePath` alone).
 * - The frame number is read from the frame file's name when the name is only a number, optionally
 *   prefixed by frame/img/image and "_" or "-" (`frame_000391.jpg` → 391, `00012.png` → 12);
 *   otherwise null (`Source/video_12.jpg` names the video, not a frame).
 * - The visual prompt type is unknown (the benchmark ships frames with the prompt already drawn):
 *   `opts.vpType`, default 'rectangle'. It is inert for imported items: their questions have no
 *   `<vp>` to phrase, and their frames are not re-rendered.
 * - `instanceId` is null (the caller links items to instances), `resultQueryId` null,
 *   `id` = `${opts.idPrefix ?? 'v2p-'}${index}`, `createdAt` = `opts.createdAt ?? 0`.
 */
import { MC_PROMPT, OPTION_LETTERS, VP_PLACEHOLDER, questionWithOptions, type VisualPromptType } from '../agent/prompts';
import type { QaItem } from './model';

export interface V2pRecord {
  readonly video_id: string;
  /** Relative to `videos/`. */
  readonly video_path: string;
  /** Seconds. */
  readonly duration: number;
  readonly question: string;
  /** A letter A..D for multiple choice, the expected text otherwise. */
  readonly answer: string;
  readonly source: string;
  /** Relative to `frames/`; a list in a few benchmark records. */
  readonly frame_path: string | readonly string[];
  readonly dimension: number;
  readonly category: number;
}

/** The benchmark's field names, in its order. */
export const V2P_FIELDS = ['video_id', 'video_path', 'duration', 'question', 'answer', 'source', 'frame_path', 'dimension', 'category'] as const;

/** `dimension` / `category` value written for "not set". */
export const V2P_NOT_SET = 0;

/** The line of `notes` keeping a record's `frame_path` list. */
export const FRAME_PATHS_NOTE = 'V2P frame_path list: ';

export const IMPORTED_OPEN_NOTE =
  'Imported as open-ended: the question ends with the multiple-choice instruction but has no "A: ..." option lines before it.';

export interface V2pExportContext {
  /** Relative to `videos/`. */
  readonly videoPath: string;
  /** Relative to `frames/`; a list only to write back an imported record's list. */
  readonly framePath: string | readonly string[];
  /** Seconds. */
  readonly duration: number;
  /** What replaces `<vp>`: the type's phrase (`vpPhrase`) or the user's own. Called only when needed. */
  readonly phrase: (item: QaItem) => string;
}

/** The record for `item`. Throws a RangeError for more than four options. */
export function toV2pRecord(item: QaItem, ctx: V2pExportContext): V2pRecord {
  let phrase: string | null = null;
  const fill = (text: string): string => {
    if (!text.includes(VP_PLACEHOLDER)) return text;
    phrase ??= ctx.phrase(item);
    return text.split(VP_PLACEHOLDER).join(phrase);
  };
  const options = item.options.map(fill);
  const question = questionWithOptions(fill(item.question), options) + (options.length > 0 ? MC_PROMPT : '');
  return {
    video_id: item.videoId,
    video_path: ctx.videoPath,
    duration: ctx.duration,
    question,
    answer: item.answer,
    source: item.source,
    frame_path: typeof ctx.framePath === 'string' ? ctx.framePath : [...ctx.framePath],
    dimension: item.dimension ?? V2P_NOT_SET,
    category: item.category ?? V2P_NOT_SET,
  };
}

export interface SplitQuestion {
  readonly question: string;
  readonly options: readonly string[];
  /** The text ended with MC_PROMPT but no option lines preceded it (kept whole as open-ended). */
  readonly instructionWithoutOptions: boolean;
}

/** The inverse of the folding in `toV2pRecord` (see the import decisions above). */
export function splitV2pQuestion(text: string): SplitQuestion {
  if (!text.endsWith(MC_PROMPT)) return { question: text, options: [], instructionWithoutOptions: false };
  const lines = text.slice(0, text.length - MC_PROMPT.length).split('\n');
  // The longest run of "A: ", "B: ", ... lines at the end, after at least one line of question.
  // (Options start at A, so a question's own trailing "A: ..." lines cannot extend the run.)
  for (let k = Math.min(OPTION_LETTERS.length, lines.length - 1); k >= 1; k--) {
    const start = lines.length - k;
    let match = true;
    for (let i = 0; i < k && match; i++) match = lines[start + i]!.startsWith(`${OPTION_LETTERS[i]}: `);
    if (match) {
      return {
        question: lines.slice(0, start).join('\n'),
        options: lines.slice(start).map((line, i) => line.slice(`${OPTION_LETTERS[i]}: `.length)),
        instructionWithoutOptions: false,
      };
    }
  }
  return { question: text, options: [], instructionWithoutOptions: true };
}

const FRAME_NAME = /^(?:frame|img|image)?[_-]?(\d{1,9})\.[A-Za-z0-9]+$/i;

/** The frame number in a frame file's name (`frame_000391.jpg` → 391), or null when it is not one. */
export function frameNumberFromPath(path: string): number | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const m = FRAME_NAME.exec(base);
  return m ? Number(m[1]) : null;
}

export interface V2pImportOptions {
  /** Ids are `${idPrefix}${index}`; default 'v2p-'. */
  readonly idPrefix?: string;
  readonly createdAt?: number;
  /** Default 'rectangle' (the benchmark does not say; see above). */
  readonly vpType?: VisualPromptType;
  /** Default '#ff0000'. */
  readonly colour?: string;
}

/** The QA item for the `index`-th record of a dataset. */
export function fromV2pRecord(record: V2pRecord, index: number, opts: V2pImportOptions = {}): QaItem {
  const split = splitV2pQuestion(record.question);
  const list = typeof record.frame_path === 'string' ? null : record.frame_path;
  const framePath = list === null ? (record.frame_path as string) : (list[0] ?? null);
  const notes: string[] = [];
  if (list !== null) notes.push(FRAME_PATHS_NOTE + JSON.stringify(list));
  if (split.instructionWithoutOptions) notes.push(IMPORTED_OPEN_NOTE);
  return {
    id: `${opts.idPrefix ?? 'v2p-'}${index}`,
    instanceId: null,
    videoId: record.video_id,
    frame: framePath === null ? null : frameNumberFromPath(framePath),
    vpType: opts.vpType ?? 'rectangle',
    colour: opts.colour ?? '#ff0000',
    question: split.question,
    options: split.options,
    answer: record.answer,
    dimension: record.dimension === V2P_NOT_SET ? null : record.dimension,
    category: record.category === V2P_NOT_SET ? null : record.category,
    source: record.source,
    notes: notes.join('\n'),
    createdAt: opts.createdAt ?? 0,
    resultQueryId: null,
    videoPath: record.video_path,
    framePath,
    duration: record.duration,
    projectVideoId: null,
    promptImage: null,
  };
}

/** The `frame_path` list kept in `notes` by `fromV2pRecord`, or null (none, or no longer readable). */
export function framePathListOf(item: Pick<QaItem, 'notes' | 'framePath'>): string[] | null {
  for (const line of item.notes.split('\n')) {
    if (!line.startsWith(FRAME_PATHS_NOTE)) continue;
    try {
      const list: unknown = JSON.parse(line.slice(FRAME_PATHS_NOTE.length));
      if (Array.isArray(list) && list.length > 0 && list.every((p): p is string => typeof p === 'string') && list[0] === item.framePath) return list;
    } catch {
      // An edited note: fall back to framePath alone.
    }
    return null;
  }
  return null;
}

/**
 * The paths and duration an imported item came with, ready for `toV2pRecord`'s context (the
 * `frame_path` list when the note keeps one), or null when the item was not imported (no paths):
 * its frame is rendered and named by the exporter, see zipPaths.ts.
 */
export function v2pPathsOf(item: QaItem): { videoPath: string; framePath: string | readonly string[]; duration: number } | null {
  if (item.videoPath === null || item.framePath === null || item.duration === null) return null;
  return { videoPath: item.videoPath, framePath: framePathListOf(item) ?? item.framePath, duration: item.duration };
}
