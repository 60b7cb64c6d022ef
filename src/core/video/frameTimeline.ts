import { lastAtOrBefore } from '../sorted';

/**
 * Frame-index and time maths over a video's presentation timestamps. Works for variable frame
 * rate: frame i is shown from timestamps[i] until timestamps[i + 1] (or the end of the video).
 */
export class FrameTimeline {
  readonly timestamps: readonly number[];
  readonly durationS: number;
  /** Time of the first frame; usually 0. */
  readonly startS: number;

  constructor(timestamps: readonly number[], endS: number) {
    if (timestamps.length === 0) throw new Error('A video needs at least one frame');
    for (let i = 1; i < timestamps.length; i++) {
      if (!(timestamps[i]! > timestamps[i - 1]!)) throw new Error(`Timestamps must increase (frame ${i})`);
    }
    this.timestamps = timestamps;
    this.startS = timestamps[0]!;
    const last = timestamps[timestamps.length - 1]!;
    this.durationS = Math.max(endS, last) - this.startS;
  }

  get frameCount(): number {
    return this.timestamps.length;
  }

  /** Average frame rate, the way players report it. */
  get fps(): number {
    return this.durationS > 0 ? this.frameCount / this.durationS : 0;
  }

  clampIndex(index: number): number {
    if (!Number.isFinite(index)) return 0;
    return Math.min(this.frameCount - 1, Math.max(0, Math.round(index)));
  }

  /** Start time of frame `index` (clamped). */
  timeOf(index: number): number {
    return this.timestamps[this.clampIndex(index)]!;
  }

  /** Time inside frame `index`'s display interval that is safest to seek a media element to. */
  midTimeOf(index: number): number {
    const i = this.clampIndex(index);
    const start = this.timestamps[i]!;
    const end = i + 1 < this.frameCount ? this.timestamps[i + 1]! : this.startS + this.durationS;
    return start + (end - start) / 2;
  }

  /** The frame shown at time `t`: the last frame whose start is at or before `t`. */
  indexAt(t: number): number {
    if (!(t >= this.startS)) return 0;
    // Tolerate float noise: a time printed from timeOf(i) must map back to i.
    return Math.max(0, lastAtOrBefore(this.timestamps, t + 1e-9));
  }

  /** The frame `deltaS` seconds away from frame `index`, clamped to the video; never stays put. */
  stepSeconds(index: number, deltaS: number): number {
    const from = this.clampIndex(index);
    const target = this.indexAt(this.timeOf(from) + deltaS);
    if (target === from && deltaS !== 0) return this.clampIndex(from + Math.sign(deltaS));
    return target;
  }
}

/** A timeline for a constant-rate video where only the rate and length are known. */
export function uniformTimestamps(frameCount: number, fps: number, startS = 0): number[] {
  return Array.from({ length: frameCount }, (_, i) => startS + i / fps);
}
