import { nearestIndex } from '../sorted';

/**
 * The index of a video track's packets, and the plan for decoding a given frame.
 *
 * Packets arrive in decode order; with B-frames that differs from presentation order. Frame i
 * is the i-th packet by presentation time. To decode it, a decoder must start at a key packet at
 * or before it in decode order and be fed until frame i comes out (a decoder may hold frames
 * back to reorder them, so that can be a few packets later).
 */
export interface PacketMeta {
  /** Presentation time in seconds. */
  readonly timestamp: number;
  /** Seconds; 0 when unknown. */
  readonly duration: number;
  readonly isKey: boolean;
}

export class PacketIndex {
  /** Presentation timestamps, ascending; index = frame index. */
  readonly timestamps: readonly number[];
  /** The video's end: last frame's start plus its duration. */
  readonly endS: number;
  private readonly decodePosOfFrame: Int32Array;
  private readonly frameOfDecodePos: Int32Array;
  /** keyBefore[p] = decode position of the last key packet at or before p. */
  private readonly keyBefore: Int32Array;
  /** Frame indices of key packets, ascending. */
  readonly keyFrames: readonly number[];
  private readonly frameByMicros = new Map<number, number>();

  constructor(packets: readonly PacketMeta[]) {
    const n = packets.length;
    if (n === 0) throw new Error('The video track has no frames');
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => packets[a]!.timestamp - packets[b]!.timestamp || a - b,
    );
    this.decodePosOfFrame = Int32Array.from(order);
    this.frameOfDecodePos = new Int32Array(n);
    order.forEach((pos, frame) => (this.frameOfDecodePos[pos] = frame));
    this.timestamps = order.map((pos) => packets[pos]!.timestamp);
    this.keyBefore = new Int32Array(n);
    // A stream that does not start with a key packet is decoded from its first packet anyway.
    let lastKey = 0;
    for (let p = 0; p < n; p++) {
      if (packets[p]!.isKey) lastKey = p;
      this.keyBefore[p] = lastKey;
    }
    this.keyFrames = order
      .map((pos, frame) => (packets[pos]!.isKey || pos === 0 ? frame : -1))
      .filter((f) => f >= 0);
    let end = 0;
    for (const p of packets) end = Math.max(end, p.timestamp + p.duration);
    this.endS = end;
    this.timestamps.forEach((t, frame) => this.frameByMicros.set(Math.round(t * 1e6), frame));
  }

  get frameCount(): number {
    return this.timestamps.length;
  }

  decodePosOf(frame: number): number {
    return this.decodePosOfFrame[frame]!;
  }

  frameAtDecodePos(pos: number): number {
    return this.frameOfDecodePos[pos]!;
  }

  /** Decode position of the key packet a decoder must start from to reach `frame`. */
  keyPosFor(frame: number): number {
    return this.keyBefore[this.decodePosOf(frame)]!;
  }

  /**
   * Maps a decoded frame's timestamp (integer microseconds, as WebCodecs reports it) back to a
   * frame index; falls back to the nearest frame when a decoder rounds differently.
   */
  frameForMicros(us: number): number {
    return this.frameByMicros.get(us) ?? nearestIndex(this.timestamps, us / 1e6);
  }

  /** The key frame nearest to `frame` in time (cheapest frame to show near it). */
  nearestKeyFrame(frame: number): number {
    return this.keyFrames[nearestIndex(this.keyFrames, frame)]!;
  }
}

/** Where a running decoder is: the packets it has been fed since its last reset. */
export interface DecoderCursor {
  /** Decode position it was reset to (a key packet). */
  readonly start: number;
  /** Next decode position to feed. */
  readonly next: number;
  /** Frame index of the last frame it output since the reset, or -1. */
  readonly lastOutput: number;
}

export type DecodeStep = { readonly kind: 'continue' } | { readonly kind: 'reset'; readonly from: number };

/**
 * Decides whether a decoder can keep going to reach `frame` or must restart at a key packet.
 * Continuing is chosen only when the frame is still ahead of it and restarting would not skip
 * packets (restarting at a later key packet is cheaper than decoding everything before it).
 */
export function planDecode(index: PacketIndex, frame: number, cursor: DecoderCursor | null): DecodeStep {
  const pos = index.decodePosOf(frame);
  const key = index.keyPosFor(frame);
  if (cursor !== null && pos >= cursor.start && frame > cursor.lastOutput && key <= cursor.next) {
    return { kind: 'continue' };
  }
  return { kind: 'reset', from: key };
}
