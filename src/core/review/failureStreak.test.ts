import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NO_FAILURES, recordOutcome, streakLength, type FailureStreak } from './failureStreak';

const play = (events: readonly [number, 'success' | 'endpoint' | 'other'][]): FailureStreak => events.reduce((s, [sent, o]) => recordOutcome(s, sent, o), NO_FAILURES);

describe('failures in a row under concurrency', () => {
  it('counts endpoint failures of items sent after the last success, in any order they end', () => {
    // Items 1..4 are in flight; the server goes down after 1 was sent: 2, 3, 4 fail, then 1 answers late.
    expect(streakLength(play([[3, 'endpoint'], [2, 'endpoint'], [4, 'endpoint'], [1, 'success']]))).toBe(3);
  });

  it('a success of an item sent later clears the failures before it', () => {
    expect(streakLength(play([[1, 'endpoint'], [2, 'endpoint'], [3, 'success'], [4, 'endpoint']]))).toBe(1);
  });

  it('a failure that says nothing of the endpoint neither counts nor clears', () => {
    expect(streakLength(play([[1, 'endpoint'], [2, 'other'], [3, 'endpoint']]))).toBe(2);
  });

  it('(property) the streak is the endpoint failures sent after the latest-sent success, whatever order they end in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<'success' | 'endpoint' | 'other'>('success', 'endpoint', 'other'), { maxLength: 40 }).chain((outcomes) =>
          fc.shuffledSubarray(outcomes.map((o, sent) => [sent, o] as [number, typeof o]), { minLength: outcomes.length, maxLength: outcomes.length }),
        ),
        (events) => {
          const lastSuccess = Math.max(-1, ...events.filter(([, o]) => o === 'success').map(([s]) => s));
          const expected = events.filter(([s, o]) => o === 'endpoint' && s > lastSuccess).length;
          expect(streakLength(play(events))).toBe(expected);
        },
      ),
    );
  });
});
