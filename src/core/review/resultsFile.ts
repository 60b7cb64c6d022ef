/**
 * A batch run's results file: every result, as it finishes, appended as one line of the reference
 * client's JSON Lines (protocol §4.2, the record `resultRecord` writes) to a file the user picked,
 * while the run also keeps it in the project.
 *
 * The bookkeeping is kept on the run (`ReviewRun.resultsFile`, saved with it): the file's name,
 * the keys of the results whose line is in it, in the order written, and why writing stopped if
 * it did. A result goes to the file once: when it finishes, or — for results that finished while
 * the file was not open (before it was picked, after a reload) — when the file is opened again,
 * in the run's order. A failed result that is asked again ("Retry failed") leaves the list, so
 * that its new line follows its failed one.
 *
 * The file itself is the truth on re-opening: after a crash the saved list may be behind what
 * reached the file (or ahead of it), so `keysInFile` reads which results the file already has.
 */
import { resultRecord } from './exportResults';
import { matchKey } from './match';
import type { ResultItem, ReviewRun, RunResult } from './run';

export interface ResultsFileRecord {
  /** The file's name, as the browser gave it. */
  readonly name: string;
  /** Keys of the results whose current line is in the file, in the order they were written. */
  readonly written: readonly string[];
  /** Why the file could not be written any more (the run went on without it); null while it is fine. */
  readonly problem: string | null;
}

/** A file the results are appended to as they finish (the browser's: adapters/files/resultsFile.ts). */
export interface ResultsFileSink<FileData> {
  readonly name: string;
  /** What the file held when it was opened to add to it; null for a new (emptied) file. */
  readonly existing: FileData | null;
  /** Resolves once the text is in the file (on disk); rejects when the file cannot be written. */
  append(text: string): Promise<void>;
  close(): Promise<void>;
}

/** The port: where a user can pick a results file. */
export interface ResultsFiles<FileData> {
  /**
   * The browser's save dialog (call it straight from the user's click); resolves null when the
   * user cancels. 'new' empties the file; 'add' keeps what it holds and writes after it.
   */
  open(suggestedName: string, mode: 'new' | 'add'): Promise<ResultsFileSink<FileData> | null>;
}

export const newResultsFile = (name: string, written: readonly string[] = []): ResultsFileRecord => ({ name, written, problem: null });

const finished = (r: RunResult): boolean => r.status === 'done' || r.status === 'failed';

export interface Unwritten {
  /** Finished results the file lacks that are not on their way there (`queued`), in the run's order. */
  readonly results: readonly RunResult[];
  /** Keys the record lists whose result was sent back to be asked again: their next line is still to come. */
  readonly askedAgain: readonly string[];
}

/** What the file lacks (and what it lists that no longer counts) — cheap enough for every change of the run. */
export function unwritten(run: ReviewRun, queued: ReadonlySet<string> = new Set()): Unwritten {
  const record = run.resultsFile;
  if (record === undefined) return { results: [], askedAgain: [] };
  const written = new Set(record.written);
  const results: RunResult[] = [];
  const askedAgain: string[] = [];
  for (const r of run.results) {
    if (written.has(r.key)) {
      if (!finished(r)) askedAgain.push(r.key);
    } else if (finished(r) && !queued.has(r.key)) results.push(r);
  }
  return { results, askedAgain };
}

/** The record with these keys written (after the ones before). */
export function withWritten(record: ResultsFileRecord, keys: readonly string[]): ResultsFileRecord {
  return keys.length === 0 ? record : { ...record, written: [...record.written, ...keys] };
}

/** The record without these keys (their results are being asked again). */
export function withoutKeys(record: ResultsFileRecord, keys: readonly string[]): ResultsFileRecord {
  if (keys.length === 0) return record;
  const gone = new Set(keys);
  return { ...record, written: record.written.filter((k) => !gone.has(k)) };
}

/**
 * The lines for these results: the reference record of each, as the model was asked it (the
 * run's own copy of the item, not the project's item as edited since), no judgements yet.
 */
export function resultsFileText(run: ReviewRun, results: readonly RunResult[]): string {
  let out = '';
  for (const result of results) {
    const record = resultRecord({ item: result.item, result, judgement: null, model: run.model });
    if (record !== null) out += `${JSON.stringify(record)}\n`;
  }
  return out;
}

/** How many of the run's finished results the file has. */
export function writtenCount(run: ReviewRun): number {
  const written = new Set(run.resultsFile?.written ?? []);
  let n = 0;
  for (const r of run.results) if (finished(r) && written.has(r.key)) n++;
  return n;
}

export function finishedCount(run: ReviewRun): number {
  let n = 0;
  for (const r of run.results) if (finished(r)) n++;
  return n;
}

/** A line of a results file as keysInFile needs it (parseResultLines gives these). */
export interface FileLine {
  readonly item: ResultItem;
  readonly response: string | null;
  readonly error: string | null;
}

/** A failed result is written with `response: null` and an error; resultFromLine reads it back so. */
const failedLine = (l: FileLine): boolean => l.error !== null && l.response === null;

/**
 * Keys of the run's finished results whose line the file already has, in the run's order: a line
 * stands for one result with its video and question and its outcome (a failed line does not stand
 * for the answer a retry gave since). Two results of one question take two lines. Lines that
 * stand for none (another run's, a hand edit) are left alone.
 */
export function keysInFile(run: ReviewRun, lines: readonly FileLine[]): string[] {
  const count = new Map<string, number>();
  const keyOf = (item: ResultItem, failed: boolean): string => `${failed ? 'F' : 'D'}${matchKey(item)}`;
  for (const l of lines) {
    const k = keyOf(l.item, failedLine(l));
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const found: string[] = [];
  for (const r of run.results) {
    if (!finished(r)) continue;
    const k = keyOf(r.item, r.status === 'failed');
    const n = count.get(k) ?? 0;
    if (n === 0) continue;
    count.set(k, n - 1);
    found.push(r.key);
  }
  return found;
}
