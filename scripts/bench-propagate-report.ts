/**
 * bench:propagate's summaries: means over sequences, the J of frames by the state the tracker gave
 * them (is a "tracked" frame right, an "absent" one really empty?), and issue 15's targets.
 */
import type { TrackState } from '../src/core/propagation/tracker';
import type { BrowserRun } from './bench-propagate-browser';
import { round } from './bench-lib.mjs';

/** Frames given one state, and the sum of their J. */
export interface StateTally {
  frames: number;
  sumJ: number;
}

export interface SequenceResult {
  readonly name: string;
  readonly set: string;
  readonly frames: number;
  /** J of the anchor (the decoder's mask for the first ground-truth box) on frame 0. */
  readonly anchorJ: number;
  readonly J: number;
  readonly F: number;
  readonly JF: number;
  readonly fps: number;
  readonly nonEncoderMsPerFrame: number;
  readonly encoderMsPerFrame: number;
  readonly decoderMsPerFrame: number;
  readonly decoderCallsPerFrame: number;
  readonly trackerMsPerFrame: number;
  readonly nonEncoderShareOfEncoder: number;
  readonly peakMemoryMB: number;
  readonly states: Record<TrackState, number>;
  readonly byState: Record<TrackState, { frames: number; meanJ: number | null }>;
  readonly tallies: Record<TrackState, StateTally>;
}

export type Mean = { J: number; F: number; JF: number; fps: number; nonEncoderMsPerFrame: number; nonEncoderShareOfEncoder: number; sequences: number };

/** Unweighted means over sequences (each sequence counts once, as DAVIS reports). */
export function meanOf(rows: readonly SequenceResult[]): Mean {
  const m = (k: 'J' | 'F' | 'JF' | 'fps' | 'nonEncoderMsPerFrame' | 'nonEncoderShareOfEncoder'): number => round(rows.reduce((s, r) => s + r[k], 0) / rows.length, 4);
  return { J: m('J'), F: m('F'), JF: m('JF'), fps: m('fps'), nonEncoderMsPerFrame: m('nonEncoderMsPerFrame'), nonEncoderShareOfEncoder: m('nonEncoderShareOfEncoder'), sequences: rows.length };
}

/** Every frame of the given tallies pooled by state: how many and their mean J (null when none). */
export function stateReport(tallies: readonly Record<TrackState, StateTally>[]): Record<TrackState, { frames: number; meanJ: number | null }> {
  const out = {} as Record<TrackState, { frames: number; meanJ: number | null }>;
  for (const state of ['tracked', 'low', 'absent'] as const) {
    const frames = tallies.reduce((s, t) => s + t[state].frames, 0);
    const sumJ = tallies.reduce((s, t) => s + t[state].sumJ, 0);
    out[state] = { frames, meanJ: frames === 0 ? null : round(sumJ / frames, 4) };
  }
  return out;
}

/** J&F of the two vos sequences before issue 15 (docs/propagation-method.md): they must not drop. */
const VOS_BEFORE: Readonly<Record<string, number>> = { blackswan: 0.952, 'scooter-black': 0.795 };

/** Issue 15's targets; null where this run does not have what a target needs. */
export function targetsOf(ours: readonly SequenceResult[], baseline: readonly SequenceResult[] | null, browser: BrowserRun | null): Record<string, boolean | null> {
  const davis = ours.filter((r) => r.set === 'davis-train');
  const vos = ours.filter((r) => VOS_BEFORE[r.name] !== undefined);
  const frames = ours.reduce((s, r) => s + r.frames, 0);
  const nonEncoder = ours.reduce((s, r) => s + r.nonEncoderMsPerFrame * r.frames, 0);
  const encoder = ours.reduce((s, r) => s + r.encoderMsPerFrame * r.frames, 0);
  return {
    davisTrainMeanJFAtLeast080: davis.length === 0 ? null : meanOf(davis).JF >= 0.8,
    noSequenceMoreThan005BelowBaseline: baseline === null ? null : ours.every((r) => r.JF >= (baseline.find((b) => b.name === r.name)?.JF ?? 0) - 0.05),
    // The values before are rounded to 3 digits, so compare at that precision.
    vosNoLowerThanBefore: vos.length === 0 ? null : vos.every((r) => round(r.JF, 3) >= VOS_BEFORE[r.name]!),
    nonEncoderAtMost30PercentOfEncoder: frames === 0 ? null : nonEncoder <= 0.3 * encoder,
    nonEncoderAtMost30PercentOfEncoderInBrowser: browser ? browser.sequences.every((r) => r.nonEncoderShareOfEncoder <= 0.3) : null,
  };
}
