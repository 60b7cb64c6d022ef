import { describe, expect, it } from 'vitest';
import { latestOnly } from './latestOnly';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('latestOnly', () => {
  it('runs the first call at once, then only the newest of those that queued', async () => {
    const started: number[] = [];
    const gates = new Map<number, ReturnType<typeof deferred<number>>>();
    const run = latestOnly((n: number) => {
      started.push(n);
      const d = deferred<number>();
      gates.set(n, d);
      return d.promise;
    });
    const p1 = run(1);
    const p2 = run(2);
    const p3 = run(3);
    expect(started).toEqual([1]);
    expect(await p2).toEqual({ status: 'superseded' });
    gates.get(1)!.resolve(10);
    expect(await p1).toEqual({ status: 'done', value: 10 });
    await Promise.resolve();
    expect(started).toEqual([1, 3]);
    gates.get(3)!.resolve(30);
    expect(await p3).toEqual({ status: 'done', value: 30 });
  });

  it('passes errors to their caller and keeps going', async () => {
    const run = latestOnly(async (n: number) => {
      if (n === 1) throw new Error('boom');
      return n;
    });
    await expect(run(1)).rejects.toThrow('boom');
    await expect(run(2)).resolves.toEqual({ status: 'done', value: 2 });
  });
});
