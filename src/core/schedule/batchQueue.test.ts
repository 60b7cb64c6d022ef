import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchQueue, videoMajorOrder, type QueueEntry } from './batchQueue';

const e = (key: string, videoId: string | null): QueueEntry => ({ key, videoId });
const keys = (xs: readonly QueueEntry[]): string[] => xs.map((x) => x.key);
const always = (): boolean => true;

describe('videoMajorOrder', () => {
  it('groups each video’s items together, videos in the order their first item comes, items in their order', () => {
    const order = videoMajorOrder([e('1', 'a'), e('2', 'b'), e('3', 'a'), e('4', null), e('5', 'b'), e('6', 'c'), e('7', 'a')]);
    expect(keys(order)).toEqual(['1', '3', '7', '2', '5', '4', '6']);
  });
});

describe('BatchQueue', () => {
  it('with every video alike, hands out the items video by video, each once', () => {
    const q = new BatchQueue([e('1', 'a'), e('2', 'b'), e('3', 'a')]);
    const flat = (): number => 1;
    expect([q.take(flat, always), q.take(flat, always), q.take(flat, always), q.take(flat, always)].map((x) => x?.key ?? null)).toEqual(['1', '3', '2', null]);
  });

  it('prefers an item whose video is ready, then one whose video nobody decodes, over the first', () => {
    const q = new BatchQueue([e('a1', 'a'), e('a2', 'a'), e('b1', 'b'), e('c1', 'c')]);
    expect(q.take(() => 1, always)?.key).toBe('a1');
    // a is being decoded for a1: b1 can use another decoder meanwhile.
    expect(q.take((v) => (v === 'a' ? 0 : 1), always)?.key).toBe('b1');
    // a's frames are prepared now: a2 costs only its visual prompt.
    expect(q.take((v) => (v === 'a' ? 3 : 1), always)?.key).toBe('a2');
    expect(q.take(() => 0, always)?.key).toBe('c1');
  });

  it('looks only `lookahead` items ahead, and drops items that no longer wait', () => {
    const q = new BatchQueue([e('1', 'a'), e('2', 'b'), e('3', 'c')], 2);
    expect(q.take((v) => (v === 'c' ? 3 : 0), always)?.key).toBe('1');
    const gone = new Set(['2']);
    expect(q.take((v) => (v === 'c' ? 3 : 0), (x) => !gone.has(x.key))?.key).toBe('3');
    expect(q.take(() => 0, always)).toBeNull();
    expect(q.left).toBe(0);
  });

  it('(property) hands out every usable item exactly once, whatever the readiness', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', null), { maxLength: 30 }),
        fc.array(fc.nat(3), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.func(fc.boolean()),
        (videos, scores, lookahead, dropped) => {
          const entries = videos.map((v, i) => e(`k${i}`, v));
          const unusable = new Set(entries.filter((x) => dropped(x.key)).map((x) => x.key));
          const q = new BatchQueue(entries, lookahead);
          const got: string[] = [];
          for (let i = 0; ; i++) {
            const score = scores[i % scores.length]!;
            const next = q.take((v) => (v === 'a' ? score : 3 - score), (x) => !unusable.has(x.key));
            if (next === null) break;
            got.push(next.key);
          }
          expect([...got].sort()).toEqual(entries.filter((x) => !unusable.has(x.key)).map((x) => x.key).sort());
          expect(new Set(got).size).toBe(got.length);
        },
      ),
    );
  });
});
