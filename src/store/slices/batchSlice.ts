/**
 * Batch runs: QA items through the VideoSeeker loop, a few at a time, with the endpoint settings
 * of the moment recorded on the run. Every finished item is saved at once, so a reload or a crash
 * loses at most the items in flight; the run then shows as interrupted and resumes where it
 * stopped. Pause and cancel abort the items in flight and put them back in the queue.
 */
import type { StateCreator } from 'zustand';
import { checkDraft, type DraftCheck } from '../../core/agent/draft';
import { EndpointError } from '../../core/agent/ports';
import { querySettings, type SavedQuery } from '../../core/agent/query';
import { emptyTrajectory, type Trajectory } from '../../core/agent/trajectory';
import { draftForItem, resolveImageItem } from '../../core/qa/askDraft';
import { EMPTY_WORK } from '../../core/project/document';
import type { QaItem } from '../../core/qa/model';
import { finishResult, markRunning, newBatchRun, nextPending, requeue, requeueFailed, resultFromQuery, resumeRun, stopRun, type QueryOutcome } from '../../core/review/batch';
import type { ResultItem, ReviewRun, RunResult } from '../../core/review/run';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';
import { failureMessage } from './askSlice';
import { newRunId } from './reviewSlice';

export interface BatchSlice {
  batch: {
    /** How many items a new run asks at once (kept on this machine). */
    readonly concurrency: number;
    /** The trajectories of items in flight, by `${runId}/${key}` (not saved: they restart after a reload). */
    readonly live: Readonly<Record<string, Trajectory>>;
    /** Runs this page is driving. */
    readonly driving: readonly string[];
  };
  setBatchConcurrency(n: number): void;
  /** A new run of these QA items (in this order) with the current endpoint settings; resolves with its id, or null when it could not start. */
  startBatch(itemIds: readonly string[]): Promise<string | null>;
  pauseBatch(runId: string): void;
  resumeBatch(runId: string): void;
  cancelBatch(runId: string): void;
  /** Puts a run's failed items back in the queue and resumes it. */
  retryFailed(runId: string): void;
  /** Stops every run this page drives without changing them (another project is being opened). */
  abortBatches(): void;
}

export const DEFAULT_CONCURRENCY = 2;
export const MAX_CONCURRENCY = 16;
const CONCURRENCY_KEY = 'videoseeker.batch.concurrency.v1';
/** This many items failing in a row for the endpoint's reasons pause the run: the rest would fail too. */
const FAILURES_BEFORE_PAUSE = 3;

const liveKey = (runId: string, key: string): string => `${runId}/${key}`;

/** An item that failed before the model was asked anything. */
const notAnswered = (error: string): QueryOutcome => ({ status: 'failed', response: null, rawOutput: null, userText: null, toolCalls: [], numRounds: 0, error, query: null });

function clampConcurrency(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(MAX_CONCURRENCY, Math.max(1, Math.round(n))) : DEFAULT_CONCURRENCY;
}

export function createBatchSlice(deps: AppDeps): StateCreator<AppState, [], [], BatchSlice> {
  return (set, get) => {
    const patch = (p: Partial<BatchSlice['batch']>): void => set((s) => ({ batch: { ...s.batch, ...p } }));
    /** Abort controllers of the items in flight, by run. */
    const inFlight = new Map<string, Map<string, AbortController>>();
    /** Endpoint failures in a row, by run. */
    const failuresInRow = new Map<string, number>();

    /**
     * Whether an item can be asked, as what. An item must name its own object and frame: a draft
     * without an object means "the active one", which would ask about whatever is selected.
     */
    const askableItem = (item: QaItem | undefined): DraftCheck => {
      if (!item) return { ok: false, reason: 'The QA item was deleted.' };
      if (item.promptImage !== null) return resolveImageItem(item, get().ask.draft);
      if (item.instanceId === null || item.frame === null) return { ok: false, reason: 'the item is not linked to an object and frame of its video (link it in the QA editor).' };
      const { openVideoId, stash } = get().dataset;
      const videoId = item.projectVideoId ?? openVideoId;
      const work = videoId === openVideoId ? get().annotation.history.present : (stash[videoId ?? ''] ?? EMPTY_WORK);
      return checkDraft(draftForItem(item, get().ask.draft), work, item.frame);
    };

    const runOf = (id: string): ReviewRun | null => get().review.runs.find((r) => r.id === id) ?? null;

    const setLive = (runId: string, key: string, t: Trajectory | null): void => {
      const k = liveKey(runId, key);
      const { [k]: _old, ...rest } = get().batch.live;
      patch({ live: t === null ? rest : { ...rest, [k]: t } });
    };

    const abortAll = (runId: string, reason: string): void => {
      for (const c of inFlight.get(runId)?.values() ?? []) c.abort(new Error(reason));
    };

    /** Whether a failed item failed at the endpoint (counts toward pausing the run). */
    const failedAtEndpoint = (t: Trajectory): boolean => t.status === 'failed' && (t.rounds.some((r) => r.failure !== null) || t.problems.some((p) => p.kind === 'endpoint'));

    const finish = async (runId: string, key: string, outcome: QueryOutcome, endpointFailure: boolean): Promise<void> => {
      const run = runOf(runId);
      // Paused or cancelled meanwhile: stopRun already put the item back in the queue.
      if (!run || run.results.find((r) => r.key === key)?.status !== 'running') return;
      get().updateRun(runId, (r) => finishResult(r, key, outcome, deps.agentClock.now()));
      const row = endpointFailure ? (failuresInRow.get(runId) ?? 0) + 1 : 0;
      failuresInRow.set(runId, row);
      if (row >= FAILURES_BEFORE_PAUSE && runOf(runId)?.state === 'running') {
        get().updateRun(runId, (r) => stopRun(r, deps.agentClock.now(), 'paused'));
        abortAll(runId, 'Paused');
        get().setReviewMessage(null, `Paused “${run.name}”: ${row} items in a row failed at the endpoint (${outcome.error ?? 'see the item'}). Check the endpoint settings, then resume; “Retry failed” asks the failed items again.`);
      }
      // Saved now, not debounced: a crash right after loses nothing that finished.
      await get().saveNow();
    };

    const runItem = async (runId: string, result: RunResult): Promise<void> => {
      const run = runOf(runId);
      if (!run || run.settings === null) return;
      const item = get().qa.history.present.find((x) => x.id === result.itemId);
      const now = deps.agentClock.now();
      const check = askableItem(item);
      if (!item || !check.ok) {
        const reason = check.ok ? 'The QA item was deleted.' : check.reason;
        await finish(runId, result.key, notAnswered(`Not asked: ${reason}`), false);
        return;
      }
      const ask = check.ask;
      const settings = { ...run.settings, apiKey: get().ask.settings.apiKey };
      const base: SavedQuery = {
        id: `${runId}/${result.key}`,
        createdAt: now,
        instanceId: ask.instanceId,
        instanceName: ask.instanceName,
        question: item.question,
        options: ask.options,
        sentQuestion: ask.sentQuestion,
        visualPrompt: { type: item.vpType, frame: ask.frame, colour: item.colour, ...(ask.image !== null ? { image: ask.image } : {}) },
        settings: run.settings,
        model: run.model,
        group: runId,
        trajectory: emptyTrajectory(now),
      };
      const controller = new AbortController();
      let flights = inFlight.get(runId);
      if (!flights) inFlight.set(runId, (flights = new Map()));
      flights.set(result.key, controller);
      setLive(runId, result.key, base.trajectory);
      try {
        const onUpdate = (t: Trajectory): void => setLive(runId, result.key, t);
        const videoId = item.projectVideoId ?? get().dataset.openVideoId;
        // Each item is asked on frames of its own video (the open one's decoder, or one opened for it).
        const trajectory =
          videoId === null
            ? await get().runAskLoop(ask, settings, run.model, controller.signal, onUpdate)
            : await get().withVideoFrames(videoId, (frames) => get().runAskLoop(ask, settings, run.model, controller.signal, onUpdate, { frames, key: `video:${videoId}` }));
        if (controller.signal.aborted || trajectory.status === 'cancelled') {
          get().updateRun(runId, (r) => (r.results.find((x) => x.key === result.key)?.status === 'running' ? requeue(r, result.key) : r));
          return;
        }
        await finish(runId, result.key, resultFromQuery({ ...base, trajectory }), failedAtEndpoint(trajectory));
      } catch (e) {
        if (controller.signal.aborted) {
          get().updateRun(runId, (r) => (r.results.find((x) => x.key === result.key)?.status === 'running' ? requeue(r, result.key) : r));
          return;
        }
        const why = e instanceof EndpointError ? failureMessage(e.failure, settings) : e instanceof Error ? e.message : String(e);
        await finish(runId, result.key, notAnswered(why), e instanceof EndpointError);
      } finally {
        flights.delete(result.key);
        setLive(runId, result.key, null);
      }
    };

    /** Workers taking items of each run, by run id. */
    const workers = new Map<string, number>();

    const setWorkers = (runId: string, n: number): void => {
      if (n > 0) workers.set(runId, n);
      else workers.delete(runId);
      const driving = [...workers.keys()];
      if (driving.join('\n') !== get().batch.driving.join('\n')) patch({ driving });
    };

    /** One worker: takes the run's next pending item until the run is paused, cancelled or done. */
    const worker = async (runId: string): Promise<void> => {
      setWorkers(runId, (workers.get(runId) ?? 0) + 1);
      try {
        for (;;) {
          const run = runOf(runId);
          if (!run || run.state !== 'running') return;
          const next = nextPending(run);
          if (next === null) return;
          get().updateRun(runId, (r) => markRunning(r, next.key));
          await runItem(runId, next);
        }
      } finally {
        setWorkers(runId, (workers.get(runId) ?? 1) - 1);
        if (!workers.has(runId)) inFlight.delete(runId);
      }
    };

    /**
     * Brings the run up to `concurrency` workers. Workers of an earlier start that are still
     * finishing (a save after their last item) count, so a quick pause and resume neither
     * doubles nor loses workers.
     */
    const drive = (runId: string): void => {
      const run = runOf(runId);
      if (!run || run.state !== 'running') return;
      failuresInRow.set(runId, 0);
      const missing = Math.max(1, run.concurrency) - (workers.get(runId) ?? 0);
      for (let i = 0; i < missing; i++) void worker(runId);
    };

    return {
      batch: { concurrency: clampConcurrency(deps.preferences.load(CONCURRENCY_KEY)), live: {}, driving: [] },

      setBatchConcurrency(n) {
        const concurrency = clampConcurrency(n);
        patch({ concurrency });
        deps.preferences.save(CONCURRENCY_KEY, concurrency);
      },

      async startBatch(itemIds) {
        const settings = get().ask.settings;
        const info = get().video.info;
        if (info === null) {
          get().setReviewMessage(null, 'Open the project’s video first: the items are asked about it.');
          return null;
        }
        const entries: { itemId: string; item: ResultItem }[] = [];
        const skipped: string[] = [];
        for (const id of itemIds) {
          const item = get().qa.history.present.find((x) => x.id === id);
          if (!item) continue;
          const check = askableItem(item);
          if (!check.ok) {
            skipped.push(check.reason);
            continue;
          }
          // Its own video's duration (scores are bucketed by it): the open one's, else what opening it once told.
          const videoId = item.projectVideoId ?? get().dataset.openVideoId;
          const videoDuration = videoId === get().dataset.openVideoId ? info.durationS : (get().dataset.videos.find((v) => v.id === videoId)?.facts?.durationS ?? null);
          entries.push({
            itemId: id,
            item: {
              videoId: item.videoId,
              question: check.ask.sentQuestion,
              options: check.ask.options,
              answer: item.answer,
              dimension: item.dimension,
              category: item.category,
              duration: item.duration ?? videoDuration,
              source: item.source,
              vpType: item.vpType,
              videoPath: item.videoPath,
              framePath: item.framePath,
            },
          });
        }
        if (entries.length === 0) {
          get().setReviewMessage(null, itemIds.length === 0 ? 'There are no QA items to run.' : `None of these items can be asked: ${skipped[0] ?? ''}`);
          return null;
        }
        let model: string;
        try {
          model = await get().resolveModel(settings, new AbortController().signal);
        } catch (e) {
          get().setReviewMessage(null, `The run did not start. ${e instanceof EndpointError ? failureMessage(e.failure, settings) : e instanceof Error ? e.message : String(e)}`);
          return null;
        }
        const now = deps.agentClock.now();
        const stamp = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
        const run = newBatchRun({ id: newRunId(), name: `${model} · ${stamp}`, createdAt: now, model, settings: querySettings(settings), concurrency: get().batch.concurrency, entries });
        get().addRun(run);
        const left = skipped.length > 0 ? ` ${skipped.length} item${skipped.length === 1 ? ' was' : 's were'} left out: ${skipped[0]}` : '';
        get().setReviewMessage(`Running ${entries.length} item${entries.length === 1 ? '' : 's'} with ${model}, ${run.concurrency} at a time.${left}`);
        await get().saveNow();
        drive(run.id);
        return run.id;
      },

      pauseBatch(runId) {
        get().updateRun(runId, (r) => (r.state === 'running' ? stopRun(r, deps.agentClock.now(), 'paused') : r));
        abortAll(runId, 'Paused');
        void get().saveNow();
      },

      resumeBatch(runId) {
        const run = runOf(runId);
        if (!run || run.kind !== 'batch') return;
        // Right after a reload the video may still be opening: asking now would fail every item.
        if (get().video.info === null) {
          get().setReviewMessage(null, 'The video is not open yet: resume once it is shown.');
          return;
        }
        get().updateRun(runId, (r) => resumeRun(r, deps.agentClock.now()));
        get().setReviewMessage(null);
        drive(runId);
      },

      cancelBatch(runId) {
        get().updateRun(runId, (r) => (r.state === 'running' || r.state === 'paused' || r.state === 'interrupted' ? stopRun(r, deps.agentClock.now(), 'cancelled') : r));
        abortAll(runId, 'Cancelled');
        void get().saveNow();
      },

      abortBatches() {
        for (const runId of inFlight.keys()) abortAll(runId, 'Another project was opened');
        inFlight.clear();
        patch({ live: {} });
      },

      retryFailed(runId) {
        const run = runOf(runId);
        if (!run || run.kind !== 'batch') return;
        get().updateRun(runId, requeueFailed);
        get().resumeBatch(runId);
      },
    };
  };
}
