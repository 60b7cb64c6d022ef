import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchPipeline, type PipelineLimits, type PipelineWork } from './batchPipeline';

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** Items 0..n-1 whose preparing and asking end when the test opens their gate; every step logged. */
function fakeWork(n: number, failing: ReadonlySet<number> = new Set()) {
  const prepares = Array.from({ length: n }, gate);
  const asks = Array.from({ length: n }, gate);
  const log: string[] = [];
  let next = 0;
  const state = { preparing: 0, ready: 0, asking: 0, maxAsking: 0, maxPreparing: 0, maxHeld: 0 };
  const held = (): number => state.preparing + state.ready + state.asking;
  const work: PipelineWork<number, string> = {
    take: () => (next < n ? next++ : null),
    async prepare(i, signal) {
      state.preparing++;
      state.maxPreparing = Math.max(state.maxPreparing, state.preparing);
      state.maxHeld = Math.max(state.maxHeld, held());
      log.push(`prepare ${i}`);
      try {
        await Promise.race([prepares[i]!.promise, new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)))]);
        if (failing.has(i)) throw new Error(`item ${i} cannot be asked`);
        state.ready++;
        return `frames of ${i}`;
      } finally {
        state.preparing--;
      }
    },
    async ask(i, prepared, signal) {
      state.ready--;
      state.asking++;
      state.maxAsking = Math.max(state.maxAsking, state.asking);
      state.maxHeld = Math.max(state.maxHeld, held());
      log.push(`ask ${i} with ${prepared}`);
      try {
        await Promise.race([asks[i]!.promise, new Promise<void>((r) => signal.addEventListener('abort', () => r()))]);
        log.push(signal.aborted ? `aborted ${i}` : `answered ${i}`);
      } finally {
        state.asking--;
      }
    },
    async failed(i, e) {
      log.push(`failed ${i}: ${(e as Error).message}`);
    },
    discard(i) {
      state.ready--;
      log.push(`discarded ${i}`);
    },
  };
  return { work, prepares, asks, log, state };
}

describe('BatchPipeline', () => {
  it('prepares the next items while earlier ones are asked, within the concurrency, the preparers and the window', async () => {
    const { work, prepares, asks, log, state } = fakeWork(6);
    const p = new BatchPipeline(work, { concurrency: 2, preparers: 1, window: 3 });
    p.wake();
    await flush();
    expect(log).toEqual(['prepare 0']);
    prepares[0]!.open();
    await flush();
    expect(log).toEqual(['prepare 0', 'ask 0 with frames of 0', 'prepare 1']);
    prepares[1]!.open();
    await flush();
    // Item 2 is prepared while 0 and 1 wait for the model: the window (3) holds it.
    expect(log.slice(3)).toEqual(['ask 1 with frames of 1', 'prepare 2']);
    prepares[2]!.open();
    await flush();
    expect(p.counts()).toEqual({ preparing: 0, ready: 1, asking: 2 });
    // The window is full: nothing more is prepared until an item is answered.
    expect(log).not.toContain('prepare 3');
    asks[0]!.open();
    await flush();
    expect(log.slice(5)).toEqual(['answered 0', 'ask 2 with frames of 2', 'prepare 3']);
    for (const g of [...prepares, ...asks]) g.open();
    await p.done;
    expect(log.filter((l) => l.startsWith('answered')).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `answered ${i}`));
    expect(state.maxAsking).toBe(2);
    expect(state.maxPreparing).toBe(1);
    expect(state.maxHeld).toBe(3);
    expect(p.isDone).toBe(true);
  });

  it('an item that cannot be prepared is filed as failed and not asked; the others go on', async () => {
    const { work, prepares, asks, log } = fakeWork(3, new Set([1]));
    const p = new BatchPipeline(work, { concurrency: 2, preparers: 2, window: 4 });
    p.wake();
    for (const g of [...prepares, ...asks]) g.open();
    await p.done;
    expect(log).toContain('failed 1: item 1 cannot be asked');
    expect(log.filter((l) => l.startsWith('ask')).sort()).toEqual(['ask 0 with frames of 0', 'ask 2 with frames of 2']);
  });

  it('stop aborts what is asked and prepared, drops what was ready, takes nothing more, and is done when that work has ended', async () => {
    const { work, prepares, log, state } = fakeWork(8);
    const p = new BatchPipeline(work, { concurrency: 1, preparers: 2, window: 4 });
    p.wake();
    prepares[0]!.open();
    prepares[1]!.open();
    await flush();
    // 0 asked, 1 ready, 2 and 3 being prepared.
    expect(p.counts()).toEqual({ preparing: 2, ready: 1, asking: 1 });
    p.stop(new Error('Paused'));
    await p.done;
    expect(log).toContain('discarded 1');
    expect(log).toContain('aborted 0');
    // Preparations aborted by the stop are not filed as failures.
    expect(log.filter((l) => l.startsWith('failed'))).toEqual([]);
    expect(log.filter((l) => l.startsWith('prepare')).length).toBe(4);
    expect(state.ready).toBe(0);
    p.wake();
    await flush();
    expect(log.filter((l) => l.startsWith('prepare')).length).toBe(4);
  });

  it('an item whose preparing ends after the stop (the decoder does not listen) is dropped, not asked', async () => {
    const late = gate();
    const log: string[] = [];
    const work: PipelineWork<number, number> = {
      take: (() => {
        let n = 0;
        return () => (n < 1 ? n++ : null);
      })(),
      prepare: async (i) => {
        await late.promise;
        return i;
      },
      ask: async (i) => void log.push(`ask ${i}`),
      failed: async (i) => void log.push(`failed ${i}`),
      discard: (i) => void log.push(`discarded ${i}`),
    };
    const p = new BatchPipeline(work, { concurrency: 1, preparers: 1, window: 1 });
    p.wake();
    p.stop(new Error('Cancelled'));
    late.open();
    await p.done;
    expect(log).toEqual(['discarded 0']);
  });

  it('wake after items came back to the queue takes them', async () => {
    let queue = [1];
    const asked: number[] = [];
    const work: PipelineWork<number, number> = {
      take: () => queue.shift() ?? null,
      prepare: async (i) => i,
      ask: async (i) => {
        asked.push(i);
        if (i === 1) queue = [2, 3];
      },
      failed: async () => undefined,
      discard: () => undefined,
    };
    const p = new BatchPipeline(work, { concurrency: 1, preparers: 1, window: 1 });
    p.wake();
    await p.done;
    expect(asked).toEqual([1, 2, 3]);
  });
});

describe('BatchPipeline (property)', () => {
  it('under any timing: within every limit, each item asked or filed exactly once, done at the end', async () => {
    const limitsArb = fc.record({ concurrency: fc.integer({ min: 1, max: 5 }), preparers: fc.integer({ min: 1, max: 3 }), window: fc.integer({ min: 1, max: 9 }) });
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), limitsArb, fc.array(fc.boolean(), { minLength: 0, maxLength: 12 }), async (s, limits: PipelineLimits, failing) => {
        const window = Math.max(limits.window, limits.concurrency);
        const counts = { preparing: 0, ready: 0, asking: 0 };
        const problems: string[] = [];
        const check = (): void => {
          if (counts.asking > limits.concurrency) problems.push(`${counts.asking} asked at once`);
          if (counts.preparing > limits.preparers) problems.push(`${counts.preparing} prepared at once`);
          if (counts.preparing + counts.ready + counts.asking > window) problems.push(`${counts.preparing + counts.ready + counts.asking} held`);
        };
        const filed: number[] = [];
        let next = 0;
        const work: PipelineWork<number, number> = {
          take: () => (next < failing.length ? next++ : null),
          async prepare(i) {
            counts.preparing++;
            check();
            await s.schedule(Promise.resolve(), `prepare ${i}`);
            counts.preparing--;
            if (failing[i]) throw new Error('no');
            counts.ready++;
            return i;
          },
          async ask(i, prepared) {
            counts.ready--;
            counts.asking++;
            check();
            if (prepared !== i) problems.push(`item ${i} got ${prepared}`);
            await s.schedule(Promise.resolve(), `ask ${i}`);
            counts.asking--;
            filed.push(i);
          },
          async failed(i) {
            filed.push(i);
          },
          discard: () => problems.push('discarded without a stop'),
        };
        const p = new BatchPipeline(work, limits);
        p.wake();
        await s.waitFor(p.done);
        expect(problems).toEqual([]);
        expect([...filed].sort((a, b) => a - b)).toEqual(failing.map((_, i) => i));
      }),
      { numRuns: 300 },
    );
  });
});
