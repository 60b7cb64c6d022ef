/**
 * Batch runs: QA items through the VideoSeeker loop, across every video of the dataset, with the
 * endpoint settings of the moment recorded on the run. Each run is driven by a two-stage pipeline
 * (core/schedule/batchPipeline): items are taken video by video (core/schedule/batchQueue),
 * prepared ahead — their video opened in the decoder pool, their question frames and visual
 * prompt encoded (batchPrepare) — while earlier items wait for the model, then asked, up to
 * `concurrency` at once. Every finished item is saved at once, so a reload or a crash loses at
 * most the items in flight; the run then shows as interrupted and resumes where it stopped. Pause
 * and cancel abort the items in flight and put them back in the queue; prepared items are dropped.
 */
import type { StateCreator } from 'zustand';
import { checkDraft, type DraftCheck, type ResolvedAsk } from '../../core/agent/draft';
import { EndpointError } from '../../core/agent/ports';
import { querySettings, type SavedQuery } from '../../core/agent/query';
import { emptyTrajectory, type Trajectory } from '../../core/agent/trajectory';
import { draftForItem, resolveImageItem } from '../../core/qa/askDraft';
import { EMPTY_WORK } from '../../core/project/document';
import type { QaItem } from '../../core/qa/model';
import { finishResult, markRunning, newBatchRun, requeue, requeueFailed, resultFromQuery, resumeRun, stopRun, type QueryOutcome } from '../../core/review/batch';
import { NO_FAILURES, recordOutcome, streakLength, type FailureStreak } from '../../core/review/failureStreak';
import type { ResultItem, ReviewRun } from '../../core/review/run';
import { BatchPipeline } from '../../core/schedule/batchPipeline';
import { BatchQueue, type QueueEntry } from '../../core/schedule/batchQueue';
import type { AppState } from '../appStore';
import type { AppDeps } from '../deps';
import { failureMessage } from './askSlice';
import { createBatchPreparer, type PreparedItem } from './batchPrepare';
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
/** Enough to keep a data-parallel vLLM deployment busy (the app balances nothing itself). */
export const MAX_CONCURRENCY = 64;
const CONCURRENCY_KEY = 'videoseeker.batch.concurrency.v1';
/** This many items failing in a row for the endpoint's reasons pause the run: the rest would fail too. */
const FAILURES_BEFORE_PAUSE = 3;
/** Trajectories of items in flight reach the store at most this often (64 streams would flood it). */
const LIVE_FLUSH_MS = 100;

const liveKey = (runId: string, key: string): string => `${runId}/${key}`;

/** An item that failed before the model was asked anything. */
const notAnswered = (error: string): QueryOutcome => ({ status: 'failed', response: null, rawOutput: null, userText: null, toolCalls: [], numRounds: 0, error, query: null });

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function clampConcurrency(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(MAX_CONCURRENCY, Math.max(1, Math.round(n))) : DEFAULT_CONCURRENCY;
}

/** An item the pipeline works on: its result's key and the video whose frames it needs. */
type Job = QueueEntry;

interface Prepared {
  readonly item: QaItem;
  readonly ask: ResolvedAsk;
  readonly frames: PreparedItem;
}

/** What this page keeps while it drives a run. */
interface Driver {
  readonly pipeline: BatchPipeline<Job, Prepared>;
  queue: BatchQueue<Job>;
  /** Keys this driver took (never taken twice). */
  readonly taken: Set<string>;
  /** Result index by key (results keep their places). */
  readonly index: Map<string, number>;
  /** Videos being prepared now, with how many items. */
  readonly preparing: Map<string, number>;
  streak: FailureStreak;
  sent: number;
  releasePool(): void;
}

export function createBatchSlice(deps: AppDeps): StateCreator<AppState, [], [], BatchSlice> {
  return (set, get) => {
    const patch = (p: Partial<BatchSlice['batch']>): void => set((s) => ({ batch: { ...s.batch, ...p } }));
    const drivers = new Map<string, Driver>();
    /** The ask that owns each running result, by `${runId}/${key}`: only it may file or requeue it. */
    const owners = new Map<string, symbol>();
    const preparer = createBatchPreparer(get);

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

    // Live trajectories are buffered and flushed together (see LIVE_FLUSH_MS).
    let liveChanges = new Map<string, Trajectory | null>();
    let liveTimer: ReturnType<typeof setTimeout> | null = null;
    const flushLive = (): void => {
      if (liveTimer !== null) clearTimeout(liveTimer);
      liveTimer = null;
      if (liveChanges.size === 0) return;
      const live = new Map(Object.entries(get().batch.live));
      for (const [k, t] of liveChanges) {
        if (t === null) live.delete(k);
        else live.set(k, t);
      }
      liveChanges = new Map();
      patch({ live: Object.fromEntries(live) });
    };
    const setLive = (runId: string, key: string, t: Trajectory | null): void => {
      liveChanges.set(liveKey(runId, key), t);
      // An item leaving shows at once; updates of streaming ones are coalesced.
      if (t === null) flushLive();
      else liveTimer ??= setTimeout(flushLive, LIVE_FLUSH_MS);
    };

    // Saves after finished items: one running and at most one waiting, which takes every finish that came meanwhile.
    let saveQueued = false;
    let saves: Promise<void> = Promise.resolve();
    const saveFinished = (): Promise<void> => {
      if (!saveQueued) {
        saveQueued = true;
        saves = saves.then(() => {
          saveQueued = false;
          return get().saveNow();
        });
      }
      return saves;
    };

    /** Whether a failed item failed at the endpoint (counts toward pausing the run). */
    const failedAtEndpoint = (t: Trajectory): boolean => t.status === 'failed' && (t.rounds.some((r) => r.failure !== null) || t.problems.some((p) => p.kind === 'endpoint'));
    /** Whether the endpoint answered at least one round of the query (it is up). */
    const endpointAnswered = (t: Trajectory): boolean => t.rounds.some((r) => r.failure === null && r.latencyMs !== null);

    const pauseForFailures = (runId: string, count: number, why: string | null): void => {
      const run = runOf(runId);
      if (!run || run.state !== 'running') return;
      get().updateRun(runId, (r) => stopRun(r, deps.agentClock.now(), 'paused'));
      stopDriver(runId, 'Paused');
      get().setReviewMessage(null, `Paused “${run.name}”: ${count} items in a row failed at the endpoint (${why ?? 'see the item'}). Check the endpoint settings, then resume; “Retry failed” asks the failed items again.`);
    };

    /** Files a finished item, if the ask that ran it still owns it (a pause or cancel took it back otherwise). */
    const finish = async (runId: string, key: string, owner: symbol | null, outcome: QueryOutcome): Promise<void> => {
      const run = runOf(runId);
      if (!run || run.results.find((r) => r.key === key)?.status !== 'running') return;
      if (owner !== null && owners.get(liveKey(runId, key)) !== owner) return;
      owners.delete(liveKey(runId, key));
      get().updateRun(runId, (r) => finishResult(r, key, outcome, deps.agentClock.now()));
      // Saved now, not debounced: a crash right after loses nothing that finished.
      await saveFinished();
    };

    const giveBack = (runId: string, key: string, owner: symbol): void => {
      if (owners.get(liveKey(runId, key)) !== owner) return;
      owners.delete(liveKey(runId, key));
      get().updateRun(runId, (r) => (r.results.find((x) => x.key === key)?.status === 'running' ? requeue(r, key) : r));
    };

    /** The next job of the run: pending, not taken by this driver, its video the readiest nearby. */
    const take = (runId: string, d: Driver): Job | null => {
      const run = runOf(runId);
      if (!run || run.state !== 'running') return null;
      const openVideo = get().dataset.openVideoId;
      const pooled = new Set(get().videoPool().openVideos());
      // See VideoReadiness: frames prepared, a decoder open and idle, nobody decoding it, being decoded.
      const readiness = (videoId: string | null): number => {
        if (videoId === null) return 1;
        if (preparer.framesReady(videoId)) return 3;
        if (d.preparing.has(videoId)) return 0;
        return pooled.has(videoId) || videoId === openVideo ? 2 : 1;
      };
      const job = d.queue.take(readiness, (j) => !d.taken.has(j.key) && run.results[d.index.get(j.key) ?? -1]?.status === 'pending');
      if (job) d.taken.add(job.key);
      return job;
    };

    const jobsOf = (run: ReviewRun, d: Pick<Driver, 'taken'>): Job[] => {
      const items = new Map(get().qa.history.present.map((i) => [i.id, i]));
      const openId = get().dataset.openVideoId;
      return run.results.filter((r) => r.status === 'pending' && !d.taken.has(r.key)).map((r) => ({ key: r.key, videoId: (r.itemId === null ? null : items.get(r.itemId)?.projectVideoId) ?? openId }));
    };

    const prepare = async (runId: string, d: Driver, job: Job, signal: AbortSignal): Promise<Prepared> => {
      const run = runOf(runId);
      const result = run?.results[d.index.get(job.key) ?? -1];
      if (!run || run.settings === null || !result) throw new Error('The run is gone.');
      const item = get().qa.history.present.find((x) => x.id === result.itemId);
      const check = askableItem(item);
      if (!item || !check.ok) throw new Error(`Not asked: ${check.ok ? 'The QA item was deleted.' : check.reason}`);
      const videoId = item.projectVideoId ?? get().dataset.openVideoId;
      if (videoId === null) throw new Error('Not asked: the item names no video of the project.');
      d.preparing.set(videoId, (d.preparing.get(videoId) ?? 0) + 1);
      try {
        const settings = { ...run.settings, apiKey: get().ask.settings.apiKey };
        const frames = await preparer.prepare(check.ask, videoId, settings, signal);
        return { item, ask: check.ask, frames };
      } finally {
        const n = (d.preparing.get(videoId) ?? 1) - 1;
        if (n > 0) d.preparing.set(videoId, n);
        else d.preparing.delete(videoId);
      }
    };

    /** An item that could not be prepared fails with why (a missing video, an item that cannot be asked). */
    const failed = async (runId: string, job: Job, error: unknown): Promise<void> => {
      const run = runOf(runId);
      if (!run || run.state !== 'running' || run.results.find((r) => r.key === job.key)?.status !== 'pending') return;
      get().updateRun(runId, (r) => markRunning(r, job.key));
      await finish(runId, job.key, null, notAnswered(errorText(error)));
    };

    const ask = async (runId: string, d: Driver, job: Job, prepared: Prepared, stop: AbortSignal): Promise<void> => {
      const keep = get().videoPool().keep(prepared.frames.videoId);
      try {
        const run = runOf(runId);
        if (!run || run.settings === null || run.state !== 'running' || run.results.find((r) => r.key === job.key)?.status !== 'pending') return;
        // Deleted while it waited in hand: as if it had been deleted before it was prepared.
        if (!get().qa.history.present.some((x) => x.id === prepared.item.id)) return await failed(runId, job, new Error('Not asked: The QA item was deleted.'));
        get().updateRun(runId, (r) => markRunning(r, job.key));
        const owner = Symbol(job.key);
        owners.set(liveKey(runId, job.key), owner);
        const sent = d.sent++;
        const { item, ask } = prepared;
        const settings = { ...run.settings, apiKey: get().ask.settings.apiKey };
        const base: SavedQuery = {
          id: `${runId}/${job.key}`,
          createdAt: deps.agentClock.now(),
          instanceId: ask.instanceId,
          instanceName: ask.instanceName,
          question: item.question,
          options: ask.options,
          sentQuestion: ask.sentQuestion,
          visualPrompt: { type: item.vpType, frame: ask.frame, colour: item.colour, ...(ask.image !== null ? { image: ask.image } : {}) },
          settings: run.settings,
          model: run.model,
          group: runId,
          trajectory: emptyTrajectory(deps.agentClock.now()),
        };
        const controller = new AbortController();
        const onStop = (): void => controller.abort(stop.reason);
        stop.addEventListener('abort', onStop);
        setLive(runId, job.key, base.trajectory);
        try {
          const trajectory = await get().runAskLoop(ask, settings, run.model, controller.signal, (t) => setLive(runId, job.key, t), prepared.frames.other);
          if (controller.signal.aborted || trajectory.status === 'cancelled') return giveBack(runId, job.key, owner);
          const endpoint = failedAtEndpoint(trajectory);
          d.streak = recordOutcome(d.streak, sent, endpoint ? 'endpoint' : endpointAnswered(trajectory) ? 'success' : 'other');
          const outcome = resultFromQuery({ ...base, trajectory });
          const filing = finish(runId, job.key, owner, outcome);
          if (endpoint && streakLength(d.streak) >= FAILURES_BEFORE_PAUSE) pauseForFailures(runId, streakLength(d.streak), outcome.error);
          await filing;
        } catch (e) {
          if (controller.signal.aborted) return giveBack(runId, job.key, owner);
          const why = e instanceof EndpointError ? failureMessage(e.failure, settings) : errorText(e);
          d.streak = recordOutcome(d.streak, sent, e instanceof EndpointError ? 'endpoint' : 'other');
          const filing = finish(runId, job.key, owner, notAnswered(why));
          if (e instanceof EndpointError && streakLength(d.streak) >= FAILURES_BEFORE_PAUSE) pauseForFailures(runId, streakLength(d.streak), why);
          await filing;
        } finally {
          stop.removeEventListener('abort', onStop);
          setLive(runId, job.key, null);
        }
      } finally {
        keep();
        prepared.frames.release();
      }
    };

    const setDriving = (): void => {
      const driving = [...drivers.keys()];
      if (driving.join('\n') !== get().batch.driving.join('\n')) patch({ driving });
    };

    /** Stops the run's driver: what is in flight is aborted (and put back by its ask), what was prepared is dropped. */
    function stopDriver(runId: string, reason: string): void {
      drivers.get(runId)?.pipeline.stop(new Error(reason));
    }

    const limitsOf = (run: ReviewRun): { concurrency: number; preparers: number; window: number } => {
      const concurrency = Math.max(1, run.concurrency);
      const preparers = get().dataset.poolSize;
      // Items in hand: every request slot, plus one being prepared per decoder of the pool.
      return { concurrency, preparers, window: concurrency + preparers };
    };

    /** Drives the run with a pipeline of its own, or wakes the one driving it (items came back to the queue). */
    const drive = (runId: string): void => {
      const run = runOf(runId);
      if (!run || run.state !== 'running') return;
      get().videoPool().forgetFailures();
      const current = drivers.get(runId);
      if (current && !current.pipeline.stopped && !current.pipeline.isDone) {
        current.queue = new BatchQueue(jobsOf(run, current));
        current.streak = NO_FAILURES;
        current.pipeline.setLimits(limitsOf(run));
        current.pipeline.wake();
        return;
      }
      const taken = new Set<string>();
      const index = new Map(run.results.map((r, i) => [r.key, i]));
      const d: Driver = {
        pipeline: new BatchPipeline<Job, Prepared>(
          {
            take: () => take(runId, d),
            prepare: (job, signal) => prepare(runId, d, job, signal),
            ask: (job, prepared, signal) => ask(runId, d, job, prepared, signal),
            failed: (job, error) => failed(runId, job, error),
            discard: (_job, prepared) => prepared.frames.release(),
          },
          limitsOf(run),
        ),
        queue: new BatchQueue(jobsOf(run, { taken })),
        taken,
        index,
        preparing: new Map(),
        streak: NO_FAILURES,
        sent: 0,
        // Decoders stay open between items of the run (LRU); only the open video's survives it.
        releasePool: get().videoPool().hold(),
      };
      drivers.set(runId, d);
      setDriving();
      d.pipeline.wake();
      void d.pipeline.done.then(() => {
        d.releasePool();
        if (drivers.get(runId) !== d) return;
        drivers.delete(runId);
        setDriving();
        if (drivers.size === 0) preparer.clearIdle();
        // Items that came back to the queue as the pipeline ended (an ask of an earlier drive let go late).
        const after = runOf(runId);
        if (after?.state === 'running' && after.results.some((r) => r.status === 'pending')) drive(runId);
      });
    };

    /**
     * Why a run cannot be asked now: right after a reload the open video may still be opening
     * (asking now would open a second decoder of it, or fail its items); null when it can.
     */
    const notReady = (): string | null => {
      if (get().video.opening !== null || get().dataset.switching !== null) return 'A video is being opened: start once it is shown.';
      const { openVideoId } = get().dataset;
      if (openVideoId !== null && get().video.info === null && get().project.missingVideo === null) return 'The video is not open yet: resume once it is shown.';
      return null;
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
        const waiting = notReady();
        if (waiting !== null) {
          get().setReviewMessage(null, waiting.replace('resume', 'start the run'));
          return null;
        }
        const entries: { itemId: string; item: ResultItem }[] = [];
        const skipped: string[] = [];
        const { openVideoId, videos } = get().dataset;
        const open = get().video.info;
        for (const id of itemIds) {
          const item = get().qa.history.present.find((x) => x.id === id);
          if (!item) continue;
          const check = askableItem(item);
          if (!check.ok) {
            skipped.push(check.reason);
            continue;
          }
          // Its own video's duration (scores are bucketed by it): the open one's, else what opening it once told.
          const videoId = item.projectVideoId ?? openVideoId;
          const videoDuration = videoId === openVideoId && open !== null ? open.durationS : (videos.find((v) => v.id === videoId)?.facts?.durationS ?? null);
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
          get().setReviewMessage(null, `The run did not start. ${e instanceof EndpointError ? failureMessage(e.failure, settings) : errorText(e)}`);
          return null;
        }
        const now = deps.agentClock.now();
        const stamp = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
        const run = newBatchRun({ id: newRunId(), name: `${model} · ${stamp}`, createdAt: now, model, settings: querySettings(settings), concurrency: get().batch.concurrency, entries });
        get().addRun(run);
        const videoCount = new Set(itemIds.map((id) => get().qa.history.present.find((x) => x.id === id)?.projectVideoId ?? openVideoId)).size;
        const left = skipped.length > 0 ? ` ${skipped.length} item${skipped.length === 1 ? ' was' : 's were'} left out: ${skipped[0]}` : '';
        const across = videoCount > 1 ? ` across ${videoCount} videos` : '';
        get().setReviewMessage(`Running ${entries.length} item${entries.length === 1 ? '' : 's'}${across} with ${model}, ${run.concurrency} at a time.${left}`);
        await get().saveNow();
        drive(run.id);
        return run.id;
      },

      pauseBatch(runId) {
        get().updateRun(runId, (r) => (r.state === 'running' ? stopRun(r, deps.agentClock.now(), 'paused') : r));
        stopDriver(runId, 'Paused');
        void get().saveNow();
      },

      resumeBatch(runId) {
        const run = runOf(runId);
        if (!run || run.kind !== 'batch') return;
        const waiting = notReady();
        if (waiting !== null) {
          get().setReviewMessage(null, waiting);
          return;
        }
        get().updateRun(runId, (r) => resumeRun(r, deps.agentClock.now()));
        get().setReviewMessage(null);
        drive(runId);
      },

      cancelBatch(runId) {
        get().updateRun(runId, (r) => (r.state === 'running' || r.state === 'paused' || r.state === 'interrupted' ? stopRun(r, deps.agentClock.now(), 'cancelled') : r));
        stopDriver(runId, 'Cancelled');
        void get().saveNow();
      },

      abortBatches() {
        for (const runId of drivers.keys()) stopDriver(runId, 'Another project was opened');
        owners.clear();
        liveChanges = new Map();
        if (liveTimer !== null) clearTimeout(liveTimer);
        liveTimer = null;
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
