/**
 * Which of the project's QA items each line of an imported results file answers.
 *
 * First by key: the video id and the question as the benchmark folds it (options and instruction
 * included), whitespace collapsed — a file written by another tool may wrap or pad differently,
 * but the words are the item's. Two items asking the same question of the same video are told
 * apart by order: the n-th line with a key takes the n-th unused item with it.
 *
 * Then by position, for lines left over: line i takes item i when nothing else took it and the
 * video agrees (or the line names none). A results file is usually the dataset's items in order,
 * so this catches questions edited after the run without pairing answers with another video.
 *
 * Each item answers at most one line.
 */
import { foldedQuestion } from './resultItem';
import type { ResultItem } from './run';

export interface MatchResult {
  /** Per line, in order: the matched item's id, or null. */
  readonly itemIds: readonly (string | null)[];
  readonly byKey: number;
  readonly byPosition: number;
  /** 1-based line numbers (the lines' own `line`) of the lines that matched no item. */
  readonly unmatchedLines: readonly number[];
  /** Ids of the items no line answers, in the items' order. */
  readonly itemsWithoutResult: readonly string[];
  /** One or two sentences for a person. */
  readonly report: string;
}

/** The key a line and an item are matched by. */
export function matchKey(item: Pick<ResultItem, 'videoId' | 'question' | 'options'>): string {
  // Only runs and non-space whitespace are rewritten: replacing every single space too (/\s+/)
  // made this 3x slower on 10,000 lines. "\u0000" keeps ("ab", "c") and ("a", "bc") apart.
  return `${item.videoId}\u0000${foldedQuestion(item).replace(/\s{2,}|[^\S ]/g, ' ').trim()}`;
}

/** How many line numbers a report lists before "and N more". */
const LISTED_LINES = 5;

export function matchResults(lines: readonly { line: number; item: ResultItem }[], items: readonly { id: string; item: ResultItem }[]): MatchResult {
  // Nothing to match against: no keys to build (40 ms for 10,000 lines).
  if (items.length === 0) return { itemIds: lines.map(() => null), byKey: 0, byPosition: 0, unmatchedLines: lines.map((l) => l.line), itemsWithoutResult: [], report: matchReport(lines.length, 0, 0, 0, lines.map((l) => l.line), 0) };
  const queues = new Map<string, number[]>();
  for (let j = 0; j < items.length; j++) {
    const key = matchKey(items[j]!.item);
    const queue = queues.get(key);
    if (queue) queue.push(j);
    else queues.set(key, [j]);
  }
  const used = new Array<boolean>(items.length).fill(false);
  const matched = new Array<number | null>(lines.length).fill(null);
  let byKey = 0;
  for (let i = 0; i < lines.length; i++) {
    // Each item sits in exactly one queue and only this pass takes from queues, so the head is unused.
    const j = queues.get(matchKey(lines[i]!.item))?.shift();
    if (j === undefined) continue;
    used[j] = true;
    matched[i] = j;
    byKey++;
  }
  let byPosition = 0;
  for (let i = 0; i < lines.length && i < items.length; i++) {
    if (matched[i] !== null || used[i]) continue;
    const lineVideo = lines[i]!.item.videoId;
    if (lineVideo !== '' && lineVideo !== items[i]!.item.videoId) continue;
    used[i] = true;
    matched[i] = i;
    byPosition++;
  }
  const unmatchedLines = lines.filter((_, i) => matched[i] === null).map((l) => l.line);
  const itemsWithoutResult = items.filter((_, j) => !used[j]).map((it) => it.id);
  return {
    itemIds: matched.map((j) => (j === null ? null : items[j]!.id)),
    byKey,
    byPosition,
    unmatchedLines,
    itemsWithoutResult,
    report: matchReport(lines.length, items.length, byKey, byPosition, unmatchedLines, itemsWithoutResult.length),
  };
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function lineList(lines: readonly number[]): string {
  const shown = lines.slice(0, LISTED_LINES).join(', ');
  const more = lines.length - LISTED_LINES;
  return `${lines.length === 1 ? 'line' : 'lines'} ${shown}${more > 0 ? ` and ${more} more` : ''}`;
}

function matchReport(lineCount: number, itemCount: number, byKey: number, byPosition: number, unmatched: readonly number[], withoutResult: number): string {
  const results = plural(lineCount, 'result', 'results');
  const missing = withoutResult === 1 ? '1 item has no result' : `${withoutResult} items have no result`;
  if (lineCount === 0) return itemCount === 0 ? 'No results, and the project has no QA items.' : `No results; ${missing}.`;
  if (itemCount === 0) return `${results}, shown on their own: the project has no QA items.`;
  const parts: string[] = [];
  if (byKey > 0) parts.push(`${byKey} matched by video and question`);
  if (byPosition > 0) parts.push(byKey > 0 ? `${byPosition} by position` : `${byPosition} matched by position`);
  if (unmatched.length > 0) parts.push(`${unmatched.length} matched no item (${lineList(unmatched)})`);
  const head = `${results}: ${parts.join(', ')}`;
  return withoutResult === 0 ? `${head}.` : `${head}; ${missing}.`;
}
