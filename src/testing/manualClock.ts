/**
 * A store Clock for tests that moves only when told (test support, not shipped): `advance` moves
 * the time, runs the animation-frame callbacks that were waiting, and lets their promises settle.
 */
import type { Clock } from '../store/deps';

export function manualClock(): { readonly clock: Clock; advance(ms: number): Promise<void> } {
  let now = 0;
  let callbacks: (() => void)[] = [];
  const clock: Clock = {
    now: () => now,
    nextFrame: (cb) => {
      callbacks.push(cb);
      return () => (callbacks = callbacks.filter((c) => c !== cb));
    },
  };
  return {
    clock,
    async advance(ms: number) {
      now += ms;
      const run = callbacks;
      callbacks = [];
      run.forEach((cb) => cb());
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}
