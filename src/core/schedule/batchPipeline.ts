/**
 * The two stages of a batch run: an item is first prepared (its question frames and visual prompt
 * decoded and encoded), then asked (the requests to the model). Items are prepared ahead, a few
 * at a time, while earlier ones wait for the model, so the model is not kept waiting for the
 * client; a window bounds how many items hold prepared frames at once (preparing, ready or being
 * asked), which bounds memory. An item is taken once and asked at most once by a pipeline.
 *
 * Generic over the item and what preparing it gives, and free of timers: the store supplies the
 * work, tests supply fakes and decide when each step ends.
 */
export interface PipelineLimits {
  /** Items asked at once (requests in flight). */
  readonly concurrency: number;
  /** Items prepared at once. */
  readonly preparers: number;
  /** Items holding prepared frames at most (preparing + ready + asking); raised to the concurrency. */
  readonly window: number;
}

export interface PipelineWork<I, P> {
  /** The next item to work on, never one taken before; null when none waits now. */
  take(): I | null;
  /** Prepares an item; rejects when it cannot be asked (the pipeline then calls `failed`). */
  prepare(item: I, signal: AbortSignal): Promise<P>;
  /** Asks a prepared item and files the outcome; should not reject. */
  ask(item: I, prepared: P, signal: AbortSignal): Promise<void>;
  /** Files an item whose preparation failed (it was not asked). */
  failed(item: I, error: unknown): Promise<void>;
  /** A prepared item that will not be asked (the pipeline stopped): free what it holds. */
  discard(item: I, prepared: P): void;
}

export interface PipelineCounts {
  readonly preparing: number;
  readonly ready: number;
  readonly asking: number;
}

export class BatchPipeline<I, P> {
  /** Resolves once nothing is left to do: every item taken has been asked or filed, or the pipeline stopped and its work ended. */
  readonly done: Promise<void>;
  private finish!: () => void;
  private readonly controller = new AbortController();
  private readonly ready: { item: I; prepared: P }[] = [];
  private preparing = 0;
  private asking = 0;
  private ended = false;

  constructor(
    private readonly work: PipelineWork<I, P>,
    private limits: PipelineLimits,
  ) {
    this.done = new Promise<void>((resolve) => (this.finish = resolve));
  }

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Ended: nothing to do was found with nothing in hand, or it stopped and its work ended. A new pipeline carries on. */
  get isDone(): boolean {
    return this.ended;
  }

  counts(): PipelineCounts {
    return { preparing: this.preparing, ready: this.ready.length, asking: this.asking };
  }

  /** Starts, or looks for new work (items put back in the queue). */
  wake(): void {
    this.pump();
  }

  setLimits(limits: PipelineLimits): void {
    this.limits = limits;
    this.pump();
  }

  /** Aborts what is being prepared and asked and starts nothing more. */
  stop(reason: unknown): void {
    if (this.stopped) return;
    this.controller.abort(reason);
    for (const { item, prepared } of this.ready.splice(0)) this.work.discard(item, prepared);
    this.checkEnd();
  }

  private pump(): void {
    if (this.stopped || this.ended) return;
    const { concurrency, preparers } = this.limits;
    const window = Math.max(this.limits.window, concurrency);
    while (this.asking < concurrency && this.ready.length > 0) this.startAsk(this.ready.shift()!);
    while (this.preparing < preparers && this.preparing + this.ready.length + this.asking < window) {
      const item = this.work.take();
      if (item === null) break;
      this.startPrepare(item);
    }
    this.checkEnd();
  }

  private startPrepare(item: I): void {
    this.preparing++;
    const signal = this.controller.signal;
    void (async () => {
      try {
        const prepared = await this.work.prepare(item, signal);
        if (this.stopped) this.work.discard(item, prepared);
        else this.ready.push({ item, prepared });
      } catch (e) {
        if (!this.stopped) await this.work.failed(item, e).catch(() => undefined);
      } finally {
        this.preparing--;
        this.pump();
        this.checkEnd();
      }
    })();
  }

  private startAsk(entry: { item: I; prepared: P }): void {
    this.asking++;
    void this.work
      .ask(entry.item, entry.prepared, this.controller.signal)
      .catch(() => undefined)
      .finally(() => {
        this.asking--;
        this.pump();
        this.checkEnd();
      });
  }

  private checkEnd(): void {
    if (this.ended || this.preparing > 0 || this.asking > 0 || this.ready.length > 0) return;
    // Running with nothing in hand: pump found nothing to take, so the run has nothing left now.
    this.ended = true;
    this.finish();
  }
}
