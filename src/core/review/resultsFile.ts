/**
 * A batch run's results file: every result, as it finishes, appended as one line of the reference
 * client's JSON Lines (protocol §4.2, the record `resultRecord` writes) to a file the user picked,
 * while the run also keeps it in the project.
 *
 * The bookkeeping is kept on the run (`ReviewRun.resultsFile`, saved with it): the file's name,
 * the keys of the results whose line is in it, in the order written, which of those lines are
 * failures, and why writing stopped if it did. A result goes to the file once: when it finishes,
 * or — for results that finished while the file was not open (before it was picked, after a
 * reload) — when the file is opened again, in the run's order. A failed result asked again
 * ("Retry failed") leaves the list, so that its new line follows its failed one.
 *
 * The file itself is the truth on re-opening: after a crash the saved list may be behind what
 * reached the file, so `inFile` reads which results the file already has — an answer that reached
 * the file before the run could save it (the item will be asked again) included: its line stays
 * the item's only one.
 */
import { resultRecord } from './exportResults';
import { matchKey } from './match';
import type { ResultItem, ReviewRun, RunResult } from './run';

export interface ResultsFileRecord {
  /** The file's name, as the browser gave it. */
  readonly name: string;
  /** Keys of the results whose current line is in the file, in the order they were written. */
  readonly written: readonly string[];
  /** Of `written`: the keys whose line is a failure (asked again, the result gets a new line). */
  readonly failed: readonly string[];
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

export const newResultsFile = (name: string, lines: Pick<ResultsFileRecord, 'written' | 'failed'> = { written: [], failed: [] }): ResultsFileRecord => ({ name, written: lines.written, failed: lines.failed, problem: null });

const finished = (r: RunResult): boolean => r.status === 'done' || r.status === 'failed';

export interface Unwritten {
  /** Finished results the file lacks that are not on their way there (`queued`), in the run's order. */
  readonly results: readonly RunResult[];
  /** Keys whose failed line the record lists and whose result was sent back to be asked again: their next line is still to come. */
  readonly askedAgain: readonly string[];
}

/** What the file lacks (and what it lists that no longer counts) — cheap enough for every change of the run. */
export function unwritten(run: ReviewRun, queued: ReadonlySet<string> = new Set()): Unwritten {
  const record = run.resultsFile;
  if (record === undefined) return { results: [], askedAgain: [] };
  const written = new Set(record.written);
  const failed = new Set(record.failed);
  const results: RunResult[] = [];
  const askedAgain: string[] = [];
  for (const r of run.results) {
    if (written.has(r.key)) {
      // An answer in the file whose result is pending again (it reached the file, the run was not
      // saved in time) is not written again: the file keeps one line per item.
      if (!finished(r) && failed.has(r.key)) askedAgain.push(r.key);
    } else if (finished(r) && !queued.has(r.key)) results.push(r);
  }
  return { results, askedAgain };
}

/** The record with these results' lines written (after the ones before). */
export function withWritten(record: ResultsFileRecord, results: readonly Pick<RunResult, 'key' | 'status'>[]): ResultsFileRecord {
  if (results.length === 0) return record;
  const failed = results.filter((r) => r.status === 'failed').map((r) => r.key);
  return { ...record, written: [...record.written, ...results.map((r) => r.key)], failed: failed.length === 0 ? record.failed : [...record.failed, ...failed] };
}

/** The record without these keys (their results are being asked again). */
export function withoutKeys(record: ResultsFileRecord, keys: readonly string[]): ResultsFileRecord {
  if (keys.length === 0) return record;
  const gone = new Set(keys);
  return { ...record, written: record.written.filter((k) => !gone.has(k)), failed: record.failed.filter((k) => !gone.has(k)) };
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
 * Which of the run's results the file already has, in the run's order: a line stands for one
 * result with its video and question and its outcome (a failed line does not stand for the
 * answer a retry gave since). Two results of one question take two lines. A result not finished
 * in the run takes a line too (it reached the file before the run was saved): an answer stays its
 * line, a failure is asked again and written again. Lines that stand for no result (another
 * run's, a hand edit) are left alone.
 */
export function inFile(run: ReviewRun, lines: readonly FileLine[]): Pick<ResultsFileRecord, 'written' | 'failed'> {
  const count = new Map<string, number>();
  const keyOf = (item: ResultItem, failed: boolean): string => `${failed ? 'F' : 'D'}${matchKey(item)}`;
  for (const l of lines) {
    const k = keyOf(l.item, failedLine(l));
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const take = (k: string): boolean => {
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    return n > 0;
  };
  const found = new Set<string>();
  const failed = new Set<string>();
  for (const r of run.results) {
    if (finished(r) && take(keyOf(r.item, r.status === 'failed'))) {
      found.add(r.key);
      if (r.status === 'failed') failed.add(r.key);
    }
  }
  for (const r of run.results) {
    if (finished(r)) continue;
    if (take(keyOf(r.item, false))) found.add(r.key);
    else if (take(keyOf(r.item, true))) {
      found.add(r.key);
      failed.add(r.key);
    }
  }
  const order = run.results.map((r) => r.key).filter((k) => found.has(k));
  return { written: order, failed: order.filter((k) => failed.has(k)) };
}
