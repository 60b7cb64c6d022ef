/**
 * A V2P-Bench `dataset_info.json` on its way into a project: parsed and checked (in the browser
 * this runs in a worker — a 50 MB file holds a thread for seconds), the summary the user reads,
 * and whether to ask before adding its items: a project with tens of thousands of items is slow to
 * save and to reopen, so a file that large is not appended to the open project without asking.
 *
 * The file's size is checked before it is read, against the same limit as a ZIP entry of that
 * kind (`MAX_IMPORT_BYTES.dataset`, zipPaths.ts): see `checkEntrySize`.
 */
import { frameEntry, printableName, videoEntry } from '../formats/zipPaths';
import { parseV2pDataset, type V2pDatasetParse } from './schemas';
import type { V2pRecord } from './v2p';

/** Where a dataset file is: reading (`done`/`total` in bytes), parsing the JSON, checking records (`done`/`total` records). */
export interface DatasetImportProgress {
  readonly phase: 'reading' | 'parsing' | 'checking';
  readonly done: number;
  readonly total: number;
}

/** More items than this in one import and the user is asked first (add here / into a new project / cancel). */
export const CONFIRM_IMPORT_ITEMS = 5000;

export function needsConfirmation(itemCount: number): boolean {
  return itemCount > CONFIRM_IMPORT_ITEMS;
}

/** Progress is reported about every 1 % (not once per record: each report crosses from the worker). */
export function progressStep(total: number): number {
  return Math.max(1, Math.ceil(total / 100));
}

/**
 * Parses and checks the text of the dataset file `name` (the name goes into messages). Errors read
 * like `big.json is not valid JSON (…)` or `big.json: record 3 (…): "duration" must be …`.
 */
export function parseDatasetText(name: string, text: string, onProgress?: (p: DatasetImportProgress) => void): V2pDatasetParse {
  const shown = printableName(name);
  onProgress?.({ phase: 'parsing', done: 0, total: 1 });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${shown} is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  let step = 1;
  const parsed = parseV2pDataset(json, (done, total) => {
    if (done === 1) step = progressStep(total);
    if (done % step === 0 || done === total) onProgress?.({ phase: 'checking', done, total });
  });
  return parsed.ok ? parsed : { ok: false, error: `${shown}: ${parsed.error}` };
}

/** At most this many missing video paths are named in a summary; the rest are counted. */
const MISSING_SHOWN = 5;

/**
 * What an import found, for the user: how many items, which videos and frames the archive (or
 * folder) holds. `has(entry)` tells whether an entry name (`videos/…`, `frames/…`) is there; a lone
 * JSON file has none. A list of missing videos is cut after a few (a benchmark file names
 * thousands), so the message stays a few lines.
 */
export function datasetSummary(name: string, records: readonly V2pRecord[], has: (entry: string) => boolean, warnings: readonly string[] = []): string {
  const videos = new Set(records.map((r) => r.video_path));
  const missing = [...videos].filter((v) => !has(videoEntry(v)));
  let framesFound = 0;
  for (const r of records) {
    const frames = typeof r.frame_path === 'string' ? [r.frame_path] : r.frame_path;
    if (frames.some((f) => has(frameEntry(f)))) framesFound++;
  }
  const missingList = missing.slice(0, MISSING_SHOWN).join(', ') + (missing.length > MISSING_SHOWN ? ` and ${missing.length - MISSING_SHOWN} more` : '');
  return (
    `Imported ${records.length} QA item${records.length === 1 ? '' : 's'} from ${printableName(name)}. ` +
    `Videos: ${videos.size - missing.length} of ${videos.size} found${missing.length ? `; missing: ${missingList}` : ''}. ` +
    `Frames: ${framesFound} of ${records.length} found.` +
    (warnings.length ? ` ${warnings.join(' ')}` : '')
  );
}
