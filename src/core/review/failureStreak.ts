/**
 * Failures in a row at the endpoint, under concurrency. With many items in flight, "in a row"
 * means in the order the items were sent: a success only clears the failures of items sent before
 * it, so an item sent before the server went down that still succeeds afterwards does not hide
 * the failures of the items sent after it. Failures that say nothing of the endpoint (a video
 * that went away) neither count nor clear.
 */
export interface FailureStreak {
  /** The send order of the latest success. */
  readonly lastSuccess: number;
  /** Send orders of endpoint failures after it. */
  readonly failures: readonly number[];
}

export const NO_FAILURES: FailureStreak = { lastSuccess: -1, failures: [] };

/** An item sent as number `sent` ended: `success` answered, `endpoint` failed at the endpoint, `other` failed otherwise. */
export function recordOutcome(streak: FailureStreak, sent: number, outcome: 'success' | 'endpoint' | 'other'): FailureStreak {
  if (outcome === 'other') return streak;
  if (outcome === 'success') {
    if (sent <= streak.lastSuccess) return streak;
    return { lastSuccess: sent, failures: streak.failures.filter((f) => f > sent) };
  }
  if (sent <= streak.lastSuccess) return streak;
  return { ...streak, failures: [...streak.failures, sent] };
}

/** How many endpoint failures in a row there are now. */
export function streakLength(streak: FailureStreak): number {
  return streak.failures.length;
}
