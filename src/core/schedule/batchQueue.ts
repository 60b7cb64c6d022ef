/**
 * Which item of a batch run is prepared next. The run's items are taken video by video (each
 * video's items together, videos in the order their first item comes), so a video is opened once
 * and its question frames, the same for every item of the video, are encoded once. Within a short
 * look-ahead, an item whose video is ready (frames prepared, a decoder open and idle) goes first,
 * and an item whose video is being decoded for another item waits while one of another video can
 * use a second decoder.
 */
export interface QueueEntry {
  readonly key: string;
  /** The video whose frames the item needs; null when it needs none of a project video. */
  readonly videoId: string | null;
}

/**
 * How good a video is to work on now: 3 its question frames are prepared, 2 its decoder is open
 * and idle, 1 nobody decodes it, 0 it is being decoded.
 */
export type VideoReadiness = (videoId: string | null) => number;

/** The run's order regrouped video by video (stable: items of a video keep their order). */
export function videoMajorOrder<T extends QueueEntry>(entries: readonly T[]): T[] {
  const groups = new Map<string | null, T[]>();
  for (const e of entries) {
    const g = groups.get(e.videoId);
    if (g) g.push(e);
    else groups.set(e.videoId, [e]);
  }
  return [...groups.values()].flat();
}

export class BatchQueue<T extends QueueEntry> {
  private readonly order: T[];
  private next = 0;
  private readonly taken = new Set<string>();

  /** `lookahead`: how many waiting items are weighed against the first. */
  constructor(
    entries: readonly T[],
    private readonly lookahead = 32,
  ) {
    this.order = videoMajorOrder(entries);
  }

  /**
   * The next item: of the first `lookahead` still usable, the one whose video is readiest
   * (earliest on a tie), or null when none is left. `usable` says whether an item still waits (the
   * run may have moved on); one that does not is dropped.
   */
  take(readiness: VideoReadiness, usable: (entry: T) => boolean): T | null {
    let best = -1;
    let bestScore = -1;
    let seen = 0;
    for (let i = this.next; i < this.order.length && seen < this.lookahead; i++) {
      const e = this.order[i]!;
      if (this.taken.has(e.key)) continue;
      if (!usable(e)) {
        this.taken.add(e.key);
        continue;
      }
      seen++;
      const score = readiness(e.videoId);
      if (score > bestScore) {
        best = i;
        bestScore = score;
        if (score >= 3) break;
      }
    }
    while (this.next < this.order.length && this.taken.has(this.order[this.next]!.key)) this.next++;
    if (best < 0) return null;
    const chosen = this.order[best]!;
    this.taken.add(chosen.key);
    while (this.next < this.order.length && this.taken.has(this.order[this.next]!.key)) this.next++;
    return chosen;
  }

  /** Items not taken yet (usable or not). */
  get left(): number {
    let n = 0;
    for (let i = this.next; i < this.order.length; i++) if (!this.taken.has(this.order[i]!.key)) n++;
    return n;
  }
}
