import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchKey, matchResults } from './match';
import type { ResultItem } from './run';

const item = (videoId: string, question: string, options: readonly string[] = []): ResultItem => ({
  videoId,
  question,
  options,
  answer: options.length > 0 ? 'A' : 'x',
  dimension: null,
  category: null,
  duration: null,
  source: '',
  vpType: null,
  videoPath: null,
  framePath: null,
});

const lines = (...items: ResultItem[]) => items.map((it, i) => ({ line: i + 1, item: it }));
const qa = (...items: [string, ResultItem][]) => items.map(([id, it]) => ({ id, item: it }));

describe('matchKey', () => {
  it('is the video and the folded question, whitespace collapsed', () => {
    expect(matchKey(item('v', '  What\n is  it?', ['a', 'b']))).toBe(matchKey(item('v', 'What is it?', ['a', 'b'])));
    expect(matchKey(item('v', 'What is it?', ['a', 'b']))).not.toBe(matchKey(item('v', 'What is it?', ['a', 'c'])));
    expect(matchKey(item('v', 'q'))).not.toBe(matchKey(item('w', 'q')));
  });
});

describe('matchResults', () => {
  it('matches by video and question, whatever the order', () => {
    const m = matchResults(lines(item('v2', 'Why?'), item('v1', 'What?', ['a', 'b'])), qa(['q1', item('v1', 'What?', ['a', 'b'])], ['q2', item('v2', 'Why?')]));
    expect(m).toMatchObject({ itemIds: ['q2', 'q1'], byKey: 2, byPosition: 0, unmatchedLines: [], itemsWithoutResult: [] });
    expect(m.report).toBe('2 results: 2 matched by video and question.');
  });

  it('uses each item once and consumes duplicate keys in order', () => {
    const m = matchResults(lines(item('v', 'Same?'), item('v', 'Same?'), item('v', 'Same?')), qa(['a', item('v', 'Same?')], ['b', item('v', 'Same?')]));
    expect(m.itemIds).toEqual(['a', 'b', null]);
    expect(m.unmatchedLines).toEqual([3]);
    expect(m.report).toBe('3 results: 2 matched by video and question, 1 matched no item (line 3).');
  });

  it('falls back to position when the video agrees or the line names none', () => {
    const m = matchResults(
      lines(item('v1', 'edited question'), item('', 'other wording'), item('v9', 'elsewhere'), item('v4', 'Exact?')),
      qa(['q1', item('v1', 'original question')], ['q2', item('v2', 'x')], ['q3', item('v3', 'y')], ['q4', item('v4', 'Exact?')], ['q5', item('v5', 'z')]),
    );
    expect(m.itemIds).toEqual(['q1', 'q2', null, 'q4']);
    expect(m).toMatchObject({ byKey: 1, byPosition: 2, unmatchedLines: [3], itemsWithoutResult: ['q3', 'q5'] });
    expect(m.report).toBe('4 results: 1 matched by video and question, 2 by position, 1 matched no item (line 3); 2 items have no result.');
  });

  it('does not take by position an item another line matched by key', () => {
    const m = matchResults(lines(item('v', 'unknown'), item('v', 'first')), qa(['q1', item('v', 'first')], ['q2', item('v', 'second')]));
    expect(m.itemIds).toEqual([null, 'q1']);
    expect(m.report).toBe('2 results: 1 matched by video and question, 1 matched no item (line 1); 1 item has no result.');
  });

  it('reports the lines by their own numbers, at most five of them', () => {
    const ls = [3, 5, 8, 13, 21, 34, 55].map((n) => ({ line: n, item: item('x', `q${n}`) }));
    const m = matchResults(ls, qa(['q', item('v', 'q')]));
    expect(m.unmatchedLines).toEqual([3, 5, 8, 13, 21, 34, 55]);
    expect(m.report).toBe('7 results: 7 matched no item (lines 3, 5, 8, 13, 21 and 2 more); 1 item has no result.');
    expect(matchResults(lines(item('v', 'a')), qa(['q', item('w', 'b')])).report).toBe('1 result: 1 matched no item (line 1); 1 item has no result.');
  });

  it('says so when the project has no items, or the file no results', () => {
    const m = matchResults(lines(...Array.from({ length: 10 }, (_, i) => item('v', `q${i}`))), []);
    expect(m.itemIds).toEqual(new Array(10).fill(null));
    expect(m.report).toBe('10 results, shown on their own: the project has no QA items.');
    expect(matchResults([], qa(['q', item('v', 'q')])).report).toBe('No results; 1 item has no result.');
    expect(matchResults([], []).report).toBe('No results, and the project has no QA items.');
  });

  it('uses every item at most once and accounts for every line (property)', () => {
    const anItem = fc.record({ v: fc.constantFrom('', 'v1', 'v2'), q: fc.constantFrom('a', 'b', ' a ', 'c'), o: fc.constantFrom([], ['x', 'y']) }).map(({ v, q, o }) => item(v, q, o));
    fc.assert(
      fc.property(fc.array(anItem, { maxLength: 12 }), fc.array(anItem, { maxLength: 12 }), (ls, its) => {
        const items = its.map((it, i) => ({ id: `q${i}`, item: it }));
        const m = matchResults(lines(...ls), items);
        const ids = m.itemIds.filter((id) => id !== null);
        expect(new Set(ids).size).toBe(ids.length);
        expect(m.itemIds).toHaveLength(ls.length);
        expect(m.byKey + m.byPosition + m.unmatchedLines.length).toBe(ls.length);
        expect(ids.length + m.itemsWithoutResult.length).toBe(items.length);
        m.itemIds.forEach((id, i) => {
          if (id === null) return;
          const matched = items.find((it) => it.id === id)!.item;
          // A match is either the same key or a position match that does not contradict the video.
          expect(matchKey(matched) === matchKey(ls[i]!) || (id === `q${i}` && (ls[i]!.videoId === '' || ls[i]!.videoId === matched.videoId))).toBe(true);
        });
      }),
    );
  });
});
