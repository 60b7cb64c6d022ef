/**
 * A small pool of video decoders for work across the videos of a dataset (batch runs, exports):
 * a video is opened when a task needs it, at most `size` of the pool's own decoders are open, and
 * the least recently used idle one is closed to make room; one video is never decoded by two tasks
 * at once (tasks of one video take turns) and never has two decoders of the pool. A video the app
 * already has a decoder for (the open video) is served by that one (`borrowed`), outside the count.
 *
 * While someone holds the pool (a batch run), idle decoders stay open for the next task of their
 * video, videos with items in flight (`keep`) are closed last, and a video that failed to open is
 * not tried again; otherwise a decoder is closed as soon as no task of its video is left.
 * An urgent task (the frames an item waiting on the model asks for: crop_video) goes before the
 * normal ones (preparing items not asked yet): first in its video's turn, first to a decoder freed
 * for room. Otherwise tasks of a video run in the order asked.
 *
 * Generic over the decoder so the core can test it; the store gives it the real ones.
 */
export interface PoolDecoders<S> {
  /** Opens a decoder of the video; rejects with the reason the user reads. */
  open(videoId: string): Promise<S>;
  close(source: S): void;
  /** A decoder the pool does not own that serves the video now (the open video's), or null. */
  borrowed(videoId: string): S | null;
}

export type TaskPriority = 'normal' | 'urgent';

interface Turn {
  readonly urgent: boolean;
  readonly start: () => void;
}

interface Entry<S> {
  source: S | null;
  busy: boolean;
  /** Close when its task ends (the video became the open one, the project changed). */
  doomed: boolean;
}

export class VideoPool<S> {
  /** The pool's own decoders (or ones being opened), least recently used first (Map order). */
  private readonly entries = new Map<string, Entry<S>>();
  /** Each video's tasks waiting for their turn (urgent ones first), and whether one runs. */
  private readonly turns = new Map<string, { running: boolean; queue: Turn[] }>();
  /** Tasks asked for and not ended, by video (keeps a decoder open for a task waiting its turn). */
  private readonly tasks = new Map<string, number>();
  private readonly kept = new Map<string, number>();
  private readonly failures = new Map<string, unknown>();
  /** Tasks waiting for room for a decoder, woken urgent first. */
  private waiting: { readonly urgent: boolean; readonly go: () => void }[] = [];
  private holds = 0;

  constructor(
    private readonly decoders: PoolDecoders<S>,
    private capacity: number,
  ) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  get size(): number {
    return this.capacity;
  }

  /** A new size; idle decoders beyond it are closed at once, busy ones when their task ends. */
  setSize(n: number): void {
    this.capacity = Math.max(1, Math.floor(n));
    this.trim();
    this.wake();
  }

  /** Videos with a decoder of the pool (or one opening), least recently used first. */
  openVideos(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * Runs `task` with a decoder of the video once no other task of that video runs. Rejects with
   * the open failure, or with what the task threw (the decoder is then closed: the next task
   * opens the file again and meets the real reason, say a file that went away).
   */
  use<T>(videoId: string, task: (source: S) => Promise<T>, priority: TaskPriority = 'normal'): Promise<T> {
    this.tasks.set(videoId, (this.tasks.get(videoId) ?? 0) + 1);
    const urgent = priority === 'urgent';
    const run = new Promise<void>((start) => this.enqueue(videoId, { urgent, start })).then(() => this.run(videoId, task, urgent));
    void run
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        const left = (this.tasks.get(videoId) ?? 1) - 1;
        if (left > 0) this.tasks.set(videoId, left);
        else this.tasks.delete(videoId);
        this.nextTurn(videoId);
        this.settle(videoId);
      });
    return run;
  }

  /** Queues a task for its video's turn: an urgent one after the urgent ones already waiting, before the rest. */
  private enqueue(videoId: string, turn: Turn): void {
    const t = this.turns.get(videoId) ?? { running: false, queue: [] };
    this.turns.set(videoId, t);
    const at = turn.urgent ? t.queue.findIndex((q) => !q.urgent) : -1;
    if (at < 0) t.queue.push(turn);
    else t.queue.splice(at, 0, turn);
    if (!t.running) this.startTurn(videoId);
  }

  private startTurn(videoId: string): void {
    const t = this.turns.get(videoId);
    const next = t?.queue.shift();
    if (!t || !next) {
      this.turns.delete(videoId);
      return;
    }
    t.running = true;
    next.start();
  }

  /** The video's running task ended: the next one waiting takes its turn. */
  private nextTurn(videoId: string): void {
    const t = this.turns.get(videoId);
    if (!t) return;
    t.running = false;
    this.startTurn(videoId);
  }

  /** Keeps idle decoders open (up to the size) until the returned function is called. */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) {
        this.failures.clear();
        for (const id of [...this.entries.keys()]) this.settle(id);
      }
    };
  }

  /** The video has work in flight that will need it again: its decoder is closed last. */
  keep(videoId: string): () => void {
    this.kept.set(videoId, (this.kept.get(videoId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.kept.get(videoId) ?? 1) - 1;
      if (n > 0) this.kept.set(videoId, n);
      else this.kept.delete(videoId);
    };
  }

  /** The pool's decoder of this video goes (now if idle, else when its task ends): another serves it now. */
  drop(videoId: string): void {
    const e = this.entries.get(videoId);
    if (!e) return;
    if (e.busy) e.doomed = true;
    else this.closeEntry(videoId);
  }

  /** A video that failed to open is tried again by its next task (the user may have reconnected its folder). */
  forgetFailures(): void {
    this.failures.clear();
  }

  /** Another project: every decoder goes (busy ones when their task ends) and failures are forgotten. */
  reset(): void {
    this.failures.clear();
    for (const id of [...this.entries.keys()]) this.drop(id);
  }

  private async run<T>(videoId: string, task: (source: S) => Promise<T>, urgent: boolean): Promise<T> {
    let source: S | null = null;
    while (source === null) {
      // Checked again after waiting for room: the video may have become the open one meanwhile.
      const borrowed = this.decoders.borrowed(videoId);
      if (borrowed !== null) {
        // Never two decoders of one video: the app's own serves it, ours is not needed.
        this.drop(videoId);
        return task(borrowed);
      }
      source = await this.acquire(videoId, urgent);
    }
    let failed = false;
    try {
      return await task(source);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      const e = this.entries.get(videoId);
      if (e) {
        e.busy = false;
        if (failed) e.doomed = true;
        this.touch(videoId);
      }
      this.settle(videoId);
    }
  }

  /** The video's decoder, marked busy; null after waiting for room (the caller looks again). */
  private async acquire(videoId: string, urgent: boolean): Promise<S | null> {
    const known = this.entries.get(videoId);
    if (known?.source != null) {
      known.busy = true;
      this.touch(videoId);
      return known.source;
    }
    if (this.failures.has(videoId)) throw this.failures.get(videoId);
    if (this.entries.size >= this.capacity) {
      const victim = this.victim();
      if (victim === null) {
        await new Promise<void>((go) => this.waiting.push({ urgent, go }));
        return null;
      }
      this.closeEntry(victim);
    }
    const entry: Entry<S> = { source: null, busy: true, doomed: false };
    this.entries.set(videoId, entry);
    try {
      entry.source = await this.decoders.open(videoId);
      return entry.source;
    } catch (e) {
      this.entries.delete(videoId);
      if (this.holds > 0) this.failures.set(videoId, e);
      this.wake();
      throw e;
    }
  }

  /** The idle decoder to close for room: the least recently used of videos nobody keeps, else of any. */
  private victim(): string | null {
    let fallback: string | null = null;
    for (const [id, e] of this.entries) {
      if (e.busy || e.source === null) continue;
      if (!this.kept.has(id)) return id;
      fallback ??= id;
    }
    return fallback;
  }

  /** After a task: close the decoder if it is doomed, beyond the size, or not held and not waited for. */
  private settle(videoId: string): void {
    const e = this.entries.get(videoId);
    if (!e || e.busy || e.source === null) return;
    const waited = (this.tasks.get(videoId) ?? 0) > 0;
    if (e.doomed || this.entries.size > this.capacity || (this.holds === 0 && !waited)) this.closeEntry(videoId);
    this.wake();
  }

  private trim(): void {
    for (const [id, e] of [...this.entries]) {
      if (this.entries.size <= this.capacity) return;
      if (!e.busy && e.source !== null) this.closeEntry(id);
    }
  }

  private touch(videoId: string): void {
    const e = this.entries.get(videoId);
    if (!e) return;
    this.entries.delete(videoId);
    this.entries.set(videoId, e);
  }

  private closeEntry(videoId: string): void {
    const e = this.entries.get(videoId);
    if (!e || e.source === null) return;
    this.entries.delete(videoId);
    this.decoders.close(e.source);
    this.wake();
  }

  /** Everyone waiting for room looks again, urgent tasks first (the first to look takes the room). */
  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) if (w.urgent) w.go();
    for (const w of waiting) if (!w.urgent) w.go();
  }
}
