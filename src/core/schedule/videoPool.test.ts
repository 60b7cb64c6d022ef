import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VideoPool } from './videoPool';

/** A decoder of the fake library: which video it decodes, and whether it is closed. */
interface Decoder {
  readonly video: string;
  readonly serial: number;
  closed: boolean;
}

/** Decoders opened on request (or after a gate), counted per video; `borrowedVideo` has one of the app's own. */
class Library {
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  readonly failing = new Map<string, string>();
  borrowedVideo: string | null = null;
  readonly appDecoder: Decoder = { video: 'open', serial: -1, closed: false };
  maxLive = 0;
  maxLiveOfOne = 0;
  private readonly live = new Map<string, number>();
  private serial = 0;
  /** When set, opens wait for it. */
  gate: Promise<void> | null = null;

  liveOf(video: string): number {
    return this.live.get(video) ?? 0;
  }

  get liveTotal(): number {
    return [...this.live.values()].reduce((a, b) => a + b, 0);
  }

  readonly decoders = {
    open: async (video: string): Promise<Decoder> => {
      if (this.gate) await this.gate;
      const why = this.failing.get(video);
      if (why !== undefined) throw new Error(why);
      this.opened.push(video);
      this.live.set(video, this.liveOf(video) + 1);
      this.maxLive = Math.max(this.maxLive, this.liveTotal);
      this.maxLiveOfOne = Math.max(this.maxLiveOfOne, this.liveOf(video));
      return { video, serial: this.serial++, closed: false };
    },
    close: (d: Decoder): void => {
      if (d.closed) throw new Error(`${d.video} closed twice`);
      d.closed = true;
      this.closed.push(d.video);
      this.live.set(d.video, this.liveOf(d.video) - 1);
    },
    borrowed: (video: string): Decoder | null => (video === this.borrowedVideo ? { ...this.appDecoder, video } : null),
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A task that reads the video it was given. */
const which = async (d: Decoder): Promise<string> => {
  if (d.closed) throw new Error(`${d.video} used after close`);
  return d.video;
};

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('VideoPool', () => {
  it('while held, keeps up to its size open and closes the least recently used idle one for a new video', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    const release = pool.hold();
    for (const v of ['a', 'b', 'a', 'c']) expect(await pool.use(v, which)).toBe(v);
    // b was used least recently when c needed room.
    expect(lib.opened).toEqual(['a', 'b', 'c']);
    expect(lib.closed).toEqual(['b']);
    expect(pool.openVideos()).toEqual(['a', 'c']);
    expect(await pool.use('b', which)).toBe('b');
    expect(lib.closed).toEqual(['b', 'a']);
    release();
    await flush();
    expect(lib.liveTotal).toBe(0);
    expect(lib.maxLive).toBe(2);
  });

  it('closes a video with work in flight (kept) last', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    await pool.use('a', which);
    await pool.use('b', which);
    const unkeep = pool.keep('a');
    await pool.use('c', which);
    // a is the least recently used, but kept: b goes.
    expect(lib.closed).toEqual(['b']);
    unkeep();
    await pool.use('d', which);
    expect(lib.closed).toEqual(['b', 'a']);
  });

  it('not held: a decoder closes as soon as no task of its video is left; a task waiting its turn reuses it', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    const gate = deferred();
    const first = pool.use('a', async (d) => {
      await gate.promise;
      return which(d);
    });
    const second = pool.use('a', which);
    await flush();
    gate.resolve();
    expect(await Promise.all([first, second])).toEqual(['a', 'a']);
    await flush();
    expect(lib.opened).toEqual(['a']);
    expect(lib.liveTotal).toBe(0);
    await pool.use('b', which);
    await flush();
    expect(lib.opened).toEqual(['a', 'b']);
    expect(lib.liveTotal).toBe(0);
  });

  it('an urgent task goes before the normal ones waiting: first in its video\'s turn, first to a freed decoder', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    const gates = { a: deferred(), b: deferred(), d: deferred() };
    const order: string[] = [];
    const task = (name: string, gate?: Promise<void>) => async (d: Decoder) => {
      order.push(name);
      if (gate) await gate;
      return which(d);
    };
    const running = [pool.use('a', task('a1', gates.a.promise)), pool.use('b', task('b1', gates.b.promise))];
    await flush();
    // Waiting: a's next turn (a2 normal, then a3 urgent), and room for c (normal) then d (urgent).
    const waiting = [pool.use('a', task('a2')), pool.use('a', task('a3'), 'urgent'), pool.use('c', task('c1')), pool.use('d', task('d1', gates.d.promise), 'urgent')];
    await flush();
    expect(order).toEqual(['a1', 'b1']);
    gates.b.resolve();
    await flush();
    // b's decoder went to d (urgent), though c asked first.
    expect(order).toEqual(['a1', 'b1', 'd1']);
    gates.a.resolve();
    gates.d.resolve();
    await Promise.all([...running, ...waiting]);
    // a3 (urgent) took a's turn before a2.
    expect(order.indexOf('a3')).toBeLessThan(order.indexOf('a2'));
    expect(lib.maxLive).toBe(2);
    expect(lib.maxLiveOfOne).toBe(1);
  });

  it('tasks of one video take turns; a video waits for room while every decoder is busy', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    const gates = { a: deferred(), b: deferred() };
    const running: string[] = [];
    const task = (name: string, gate: Promise<void>) => async (d: Decoder) => {
      running.push(name);
      await gate;
      running.splice(running.indexOf(name), 1);
      return which(d);
    };
    const a1 = pool.use('a', task('a1', gates.a.promise));
    const a2 = pool.use('a', task('a2', Promise.resolve()));
    const b1 = pool.use('b', task('b1', gates.b.promise));
    const c1 = pool.use('c', task('c1', Promise.resolve()));
    await flush();
    // a2 waits for a1; c waits for room (a and b busy).
    expect(running.sort()).toEqual(['a1', 'b1']);
    expect(lib.opened).toEqual(['a', 'b']);
    gates.b.resolve();
    expect(await b1).toBe('b');
    expect(await c1).toBe('c');
    expect(lib.closed).toEqual(['b']);
    gates.a.resolve();
    expect(await Promise.all([a1, a2])).toEqual(['a', 'a']);
    expect(lib.maxLiveOfOne).toBe(1);
  });

  it('the video the app has open is served by the app’s decoder; the pool’s own of it is closed', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    await pool.use('a', which);
    lib.borrowedVideo = 'a';
    let got: Decoder | null = null;
    await pool.use('a', async (d) => {
      got = d;
    });
    expect(got!.serial).toBe(-1);
    expect(lib.closed).toEqual(['a']);
    expect(lib.liveTotal).toBe(0);
    await pool.use('a', which);
    expect(lib.opened).toEqual(['a']);
  });

  it('a video that cannot be opened fails its tasks with the reason; while held it is not tried again until forgotten', async () => {
    const lib = new Library();
    lib.failing.set('x', '“x.mp4” is not available: missing');
    const pool = new VideoPool(lib.decoders, 1);
    const release = pool.hold();
    await expect(pool.use('x', which)).rejects.toThrow('“x.mp4” is not available: missing');
    lib.failing.delete('x');
    await expect(pool.use('x', which)).rejects.toThrow('not available');
    // Other videos go on, and the failed one took no room.
    expect(await pool.use('y', which)).toBe('y');
    pool.forgetFailures();
    expect(await pool.use('x', which)).toBe('x');
    release();
  });

  it('a task that fails closes its decoder: the next task opens the file again', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    await expect(
      pool.use('a', async () => {
        throw new Error('the file went away');
      }),
    ).rejects.toThrow('the file went away');
    expect(lib.closed).toEqual(['a']);
    expect(await pool.use('a', which)).toBe('a');
    expect(lib.opened).toEqual(['a', 'a']);
  });

  it('reset closes idle decoders now and busy ones when their task ends', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 2);
    pool.hold();
    await pool.use('a', which);
    const gate = deferred();
    const busy = pool.use('b', async (d) => {
      await gate.promise;
      return which(d);
    });
    await flush();
    pool.reset();
    expect(lib.closed).toEqual(['a']);
    gate.resolve();
    expect(await busy).toBe('b');
    expect(lib.liveTotal).toBe(0);
  });

  it('a smaller size closes idle decoders beyond it', async () => {
    const lib = new Library();
    const pool = new VideoPool(lib.decoders, 3);
    pool.hold();
    for (const v of ['a', 'b', 'c']) await pool.use(v, which);
    pool.setSize(1);
    expect(lib.closed).toEqual(['a', 'b']);
    expect(pool.openVideos()).toEqual(['c']);
  });
});

describe('VideoPool (property)', () => {
  it('under any interleaving and priorities: never more than its size open, never two decoders or two tasks of one video, each task on its own video, nothing open at the end', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.record({ video: fc.constantFrom('a', 'b', 'c', 'd', 'open'), fails: fc.boolean(), steps: fc.integer({ min: 0, max: 3 }), urgent: fc.boolean() }), { minLength: 1, maxLength: 14 }),
        fc.boolean(),
        async (s, size, tasks, held) => {
          const lib = new Library();
          lib.borrowedVideo = 'open';
          lib.failing.set('d', 'd cannot be decoded');
          const open = async (video: string): Promise<Decoder> => {
            await s.schedule(Promise.resolve(), `open ${video}`);
            return lib.decoders.open(video);
          };
          const pool = new VideoPool({ ...lib.decoders, open }, size);
          const release = held ? pool.hold() : () => undefined;
          const busy = new Set<string>();
          const problems: string[] = [];
          const calls = tasks.map((t, i) =>
            pool
              .use(t.video, async (d) => {
                if (d.closed) problems.push(`task ${i} got a closed decoder`);
                if (d.video !== t.video) problems.push(`task ${i} of ${t.video} got ${d.video}`);
                if (busy.has(t.video)) problems.push(`two tasks of ${t.video} at once`);
                busy.add(t.video);
                if (lib.liveTotal > size) problems.push(`${lib.liveTotal} decoders open`);
                for (let k = 0; k < t.steps; k++) await s.schedule(Promise.resolve());
                busy.delete(t.video);
                if (t.fails) throw new Error('task failed');
                return d.video;
              }, t.urgent ? 'urgent' : 'normal')
              .then(
                (v) => ({ ok: true as const, v }),
                (e: unknown) => ({ ok: false as const, e: e instanceof Error ? e.message : String(e) }),
              ),
          );
          const outcomes = await s.waitFor(Promise.all(calls));
          release();
          await flush();
          expect(problems).toEqual([]);
          expect(lib.maxLive).toBeLessThanOrEqual(size);
          expect(lib.maxLiveOfOne).toBeLessThanOrEqual(1);
          expect(lib.opened).not.toContain('open');
          expect(lib.liveTotal).toBe(0);
          outcomes.forEach((o, i) => {
            const t = tasks[i]!;
            if (t.video === 'd') expect(o).toEqual({ ok: false, e: 'd cannot be decoded' });
            else if (t.fails) expect(o).toEqual({ ok: false, e: 'task failed' });
            else expect(o).toEqual({ ok: true, v: t.video });
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
