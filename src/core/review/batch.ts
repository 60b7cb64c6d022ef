/**
 * The bookkeeping of a batch run: which item goes next, what a finished query leaves in its
 * result, and how the run's state and active time move as items finish, the user pauses, resumes
 * or cancels, and the page goes away. The store runs the items; everything here is a pure
 * function from one run to the next, so a run saved at any point reads back consistent.
 */
import type { QuerySettings, SavedQuery } from '../agent/query';
import { activeTime, countResults, runPace, type ItemCounts } from './batchProgress';
import type { RunResult, ResultItem, ReviewRun } from './run';

export interface BatchEntry {
  readonly itemId: string;
  readonly item: ResultItem;
}

export interface NewBatchRun {
  readonly id: string;
  readonly name: string;
  readonly createdAt: number;
  readonly model: string;
  readonly settings: QuerySettings;
  readonly concurrency: number;
  readonly entries: readonly BatchEntry[];
}

/** What a finished query sets on its result. */
export type QueryOutcome = Pick<RunResult, 'status' | 'response' | 'rawOutput' | 'userText' | 'toolCalls' | 'numRounds' | 'error' | 'query'>;

function pendingResult(entry: BatchEntry): RunResult {
  return {
    key: entry.itemId,
    itemId: entry.itemId,
    item: entry.item,
    status: 'pending',
    response: null,
    rawOutput: null,
    userText: null,
    toolCalls: [],
    numRounds: null,
    error: null,
    model: null,
    autoJudgement: null,
    query: null,
  };
}

/** A result sent back to the queue: whatever a cancelled or lost query had set is dropped. */
function requeued(r: RunResult): RunResult {
  return { ...r, status: 'pending', response: null, rawOutput: null, userText: null, toolCalls: [], numRounds: null, error: null, query: null };
}

function unfinished(r: RunResult): boolean {
  return r.status === 'pending' || r.status === 'running';
}

/** Time since the run last (re)started or finished an item; clamped so a clock step back never subtracts. */
function sinceResumed(run: ReviewRun, now: number): number {
  return run.resumedAt === null ? 0 : Math.max(0, now - run.resumedAt);
}

export function newBatchRun(input: NewBatchRun): ReviewRun {
  const results = input.entries.map(pendingResult);
  // A run with nothing to ask is finished from the start; 'running' would wait for a finish that never comes.
  const empty = results.length === 0;
  return {
    id: input.id,
    name: input.name,
    kind: 'batch',
    createdAt: input.createdAt,
    model: input.model,
    settings: input.settings,
    fileName: null,
    concurrency: input.concurrency,
    state: empty ? 'done' : 'running',
    activeMs: 0,
    resumedAt: empty ? null : input.createdAt,
    results,
    report: null,
  };
}

/** The first result still waiting, in the order asked. */
export function nextPending(run: ReviewRun): RunResult | null {
  return run.results.find((r) => r.status === 'pending') ?? null;
}

function updateResult(run: ReviewRun, key: string, change: (r: RunResult) => RunResult | null): ReviewRun {
  const i = run.results.findIndex((r) => r.key === key);
  if (i < 0) return run;
  const next = change(run.results[i]!);
  if (next === null) return run;
  const results = run.results.slice();
  results[i] = next;
  return { ...run, results };
}

/**
 * Only a pending result of a running run can start: a paused or stopped run asks nothing, and a
 * result already running or finished is left alone.
 */
export function markRunning(run: ReviewRun, key: string): ReviewRun {
  if (run.state !== 'running') return run;
  return updateResult(run, key, (r) => (r.status === 'pending' ? { ...r, status: 'running' } : null));
}

function parsedArguments(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Why a query failed, in one line: its problems, else the failure that ended a round. */
function failureMessage(query: SavedQuery): string {
  const t = query.trajectory;
  const problems = t.problems.map((p) => p.message).filter((m) => m !== '');
  if (problems.length > 0) return problems.join('; ');
  const failures = t.rounds.flatMap((r) => (r.failure === null ? [] : [r.failure.detail !== '' ? r.failure.detail : r.failure.kind]));
  if (failures.length > 0) return failures.join('; ');
  // A query that ended otherwise (cancelled, or never finished) is not an answer either.
  return t.status === 'failed' ? 'Failed' : `The query ended ${t.status}`;
}

/**
 * What a finished query leaves on its result, in the reference client's terms (§4.2): the
 * response of all rounds, the last round's content, the calls made. Anything but a 'done'
 * trajectory is a failure with its reason; the query itself is kept either way (it is what the
 * trajectory view shows).
 */
export function resultFromQuery(query: SavedQuery): QueryOutcome {
  const t = query.trajectory;
  const toolCalls = t.rounds.flatMap((r) => r.toolCalls.map((c) => ({ name: c.name, arguments: parsedArguments(c.arguments) })));
  const common = { userText: t.userText, toolCalls, numRounds: t.rounds.length, query };
  if (t.status === 'done') {
    return { ...common, status: 'done', response: t.response, rawOutput: t.rounds[t.rounds.length - 1]?.content ?? null, error: null };
  }
  return { ...common, status: 'failed', response: null, rawOutput: null, error: failureMessage(query) };
}

/**
 * Sets a finished item's result. The run's active time is banked at every finish (and the clock
 * restarted), so a run read back after a crash loses at most the time since the last finished
 * item. The last item to finish ends a running run.
 */
export function finishResult(run: ReviewRun, key: string, outcome: QueryOutcome, now: number): ReviewRun {
  const set = updateResult(run, key, (r) => ({ ...r, ...outcome }));
  if (set === run) return run;
  const activeMs = run.activeMs + sinceResumed(run, now);
  const finished = run.state === 'running' && !set.results.some(unfinished);
  return {
    ...set,
    activeMs,
    resumedAt: finished || run.resumedAt === null ? null : now,
    state: finished ? 'done' : run.state,
  };
}

/**
 * "Retry failed": the failed results back in the queue. A finished or cancelled run becomes
 * paused, so that resuming it asks them again.
 */
export function requeueFailed(run: ReviewRun): ReviewRun {
  if (run.kind !== 'batch' || !run.results.some((r) => r.status === 'failed')) return run;
  const results = run.results.map((r) => (r.status === 'failed' ? requeued(r) : r));
  return { ...run, results, state: run.state === 'done' || run.state === 'cancelled' ? 'paused' : run.state };
}

/** A running result back to the queue (its query was cancelled, not answered). */
export function requeue(run: ReviewRun, key: string): ReviewRun {
  return updateResult(run, key, (r) => (r.status === 'running' ? requeued(r) : null));
}

function requeueRunning(results: readonly RunResult[]): readonly RunResult[] {
  return results.some((r) => r.status === 'running') ? results.map((r) => (r.status === 'running' ? requeued(r) : r)) : results;
}

/**
 * Pause or cancel: the time so far is banked and the items in flight go back to the queue (the
 * store aborts their queries). A finished, cancelled or imported run has nothing to stop.
 */
export function stopRun(run: ReviewRun, now: number, state: 'paused' | 'cancelled'): ReviewRun {
  if (run.state === 'done' || run.state === 'cancelled' || run.state === 'imported') return run;
  if (run.state === state && run.resumedAt === null && !run.results.some((r) => r.status === 'running')) return run;
  return { ...run, state, activeMs: run.activeMs + sinceResumed(run, now), resumedAt: null, results: requeueRunning(run.results) };
}

/**
 * Carry on with a paused or interrupted run. One whose items all finished meanwhile (a query that
 * completed just as the run was paused) is done rather than running with nothing to run.
 */
export function resumeRun(run: ReviewRun, now: number): ReviewRun {
  if (run.state !== 'paused' && run.state !== 'interrupted') return run;
  if (!run.results.some(unfinished)) return { ...run, state: 'done', resumedAt: null };
  return { ...run, state: 'running', resumedAt: now };
}

/**
 * A run as read back after a reload or crash: nothing is running any more. A run that was
 * running becomes interrupted (resumable); the time since its last finished item is lost, as
 * nobody knows when the page went away.
 */
export function settleRun(run: ReviewRun): ReviewRun {
  const results = requeueRunning(run.results);
  if (run.state === 'running') return { ...run, state: 'interrupted', resumedAt: null, results };
  return results === run.results ? run : { ...run, results };
}

export interface RunProgress extends ItemCounts {
  /** Items finished per minute of the run's active time; null before the first one finishes. */
  readonly itemsPerMin: number | null;
  /** Estimated time to finish at the pace so far; null before the first item finishes or when nothing is left. */
  readonly etaMs: number | null;
}

export function runProgress(run: ReviewRun, now: number): RunProgress {
  const counts = countResults(run.results);
  return { ...counts, ...runPace(counts, activeTime(run, now)) };
}
