/**
 * Damaged videos: files whose data ends before their index says (a cut download with the index
 * at the front) and frames whose data cannot be decoded. The app keeps working on the good
 * frames; these are the facts and the words for the rest.
 */

/** Why frames cannot be shown: their bytes are not in the file, or the decoder rejected them. */
export type BadFrameKind = 'missing' | 'undecodable';

/** Frames `from`..`to` (inclusive) that cannot be shown. */
export interface BadFrames {
  readonly from: number;
  readonly to: number;
  readonly kind: BadFrameKind;
}

/** One frame that could not be produced, as a worker reports it (plain data, crosses threads). */
export interface FrameProblem {
  readonly frame: number;
  readonly kind: BadFrameKind;
  /** What the decoder or demuxer said. */
  readonly detail: string;
}

/** Thrown by a FrameSource for a frame it cannot produce; the app marks it and carries on. */
export class FrameDecodeError extends Error {
  readonly frame: number;
  readonly kind: BadFrameKind;
  readonly detail: string;

  constructor(problem: FrameProblem) {
    super(`Frame ${problem.frame} cannot be ${problem.kind === 'missing' ? 'read' : 'decoded'}: ${problem.detail}`);
    this.name = 'FrameDecodeError';
    this.frame = problem.frame;
    this.kind = problem.kind;
    this.detail = problem.detail;
  }
}

/**
 * `ranges` with `add` merged in: sorted, disjoint, touching ranges of the same kind joined. Where
 * kinds overlap, 'missing' wins (no data is the stronger statement).
 */
export function addBadFrames(ranges: readonly BadFrames[], add: BadFrames): BadFrames[] {
  if (add.to < add.from) return [...ranges];
  const pieces: BadFrames[] = [];
  const overlaps: BadFrames[] = [];
  for (const r of ranges) {
    if (r.to < add.from || r.from > add.to) {
      pieces.push(r);
      continue;
    }
    if (r.from < add.from) pieces.push({ ...r, to: add.from - 1 });
    if (r.to > add.to) pieces.push({ ...r, from: add.to + 1 });
    const kind = r.kind === 'missing' || add.kind === 'missing' ? 'missing' : 'undecodable';
    overlaps.push({ from: Math.max(r.from, add.from), to: Math.min(r.to, add.to), kind });
  }
  // The parts of `add` that no existing range covered.
  let next = add.from;
  for (const o of overlaps.sort((a, b) => a.from - b.from)) {
    if (o.from > next) pieces.push({ from: next, to: o.from - 1, kind: add.kind });
    next = o.to + 1;
  }
  if (next <= add.to) pieces.push({ from: next, to: add.to, kind: add.kind });
  const out: BadFrames[] = [];
  for (const p of [...pieces, ...overlaps].sort((a, b) => a.from - b.from)) {
    const last = out[out.length - 1];
    if (last && last.kind === p.kind && last.to + 1 === p.from) out[out.length - 1] = { ...last, to: p.to };
    else out.push(p);
  }
  return out;
}

export function badFramesAt(ranges: readonly BadFrames[], frame: number): BadFrames | null {
  return ranges.find((r) => r.from <= frame && frame <= r.to) ?? null;
}

/**
 * How many leading positions 0..count-1 pass `readable`, for a predicate that holds up to some
 * position and fails after it (packets stored in decode order: a cut file loses a tail). Tries
 * the last position first, so a whole file costs one read; a cut one about log2(count).
 */
export async function countReadable(count: number, readable: (pos: number) => Promise<boolean>): Promise<number> {
  if (count === 0 || (await readable(count - 1))) return count;
  let lo = 0; // positions < lo are readable
  let hi = count - 1; // position hi is not
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (await readable(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Where a cut file's playable part ends. */
export interface DataEnd {
  /** The first frame (presentation order) whose data, or data it depends on, is not in the file. */
  readonly firstMissingFrame: number;
  /** Seconds from the video's start to that frame: how much can be played. */
  readonly playableS: number;
}

export interface DecodeOrder {
  readonly frameCount: number;
  /** Presentation timestamps in seconds, ascending. */
  readonly timestamps: readonly number[];
  decodePosOf(frame: number): number;
}

/**
 * The end of a file whose first `readablePackets` packets (decode order) are present; null when
 * all are. A frame needs its own packet and, through its references, earlier ones only, so the
 * frames that show are those decoded before the cut; with B-frames a few after the first missing
 * one could still decode, but everything from it on is treated as gone so that what the timeline
 * marks and what shows agree.
 */
export function dataEndOf(index: DecodeOrder, readablePackets: number): DataEnd | null {
  if (readablePackets >= index.frameCount) return null;
  let first = index.frameCount;
  for (let f = 0; f < index.frameCount; f++) {
    if (index.decodePosOf(f) >= readablePackets) {
      first = f;
      break;
    }
  }
  return { firstMissingFrame: first, playableS: index.timestamps[first]! - index.timestamps[0]! };
}

const seconds = (s: number): string => `${s.toFixed(1)} s`;

/** Said when a cut file opens: how much of it plays. */
export function dataEndNotice(end: DataEnd, durationS: number): string {
  return (
    `The file ends at ${seconds(end.playableS)} of ${seconds(durationS)}: frames after #${end.firstMissingFrame - 1} cannot be shown ` +
    '(its data stops before its index says; it may be an unfinished download or copy).'
  );
}

/** Said while the frame asked for cannot be shown. */
export function badFrameText(frame: number, kind: BadFrameKind, detail?: string): string {
  return kind === 'missing'
    ? `Frame #${frame} cannot be shown: the file ends before its data. Earlier frames still show.`
    : `Frame #${frame} cannot be decoded: the file is damaged there${detail ? ` (${detail})` : ''}. Other frames still show.`;
}

/** "#12", "#12–#40": a range as the timeline names it. */
export function badFramesLabel(r: BadFrames): string {
  const frames = r.from === r.to ? `Frame #${r.from}` : `Frames #${r.from}–#${r.to}`;
  return `${frames}: ${r.kind === 'missing' ? 'not in the file' : 'cannot be decoded'}`;
}
