import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commit, createHistory, redo, replacePresent, undo } from './history';

describe('history', () => {
  it('undoes and redoes edits in order', () => {
    let h = createHistory('a');
    h = commit(h, 'b');
    h = commit(h, 'c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(redo(h));
    expect(h.present).toBe('c');
    expect(redo(h)).toBe(h);
  });

  it('a new edit drops the redo branch; replacing the present is not a step', () => {
    let h = commit(commit(createHistory(1), 2), 3);
    h = undo(h);
    h = commit(h, 4);
    expect(h.future).toEqual([]);
    h = replacePresent(h, 5);
    expect(h.past).toEqual([1, 2]);
    expect(undo(h).present).toBe(2);
  });

  it('keeps at most `limit` steps', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 10; i++) h = commit(h, i, 3);
    expect(h.past).toEqual([7, 8, 9]);
  });

  it('undo then redo returns to the same present, for any sequence of edits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { maxLength: 30 }), fc.nat({ max: 40 }), (edits, undos) => {
        let h = createHistory<number | string>('start');
        edits.forEach((e, i) => (h = commit(h, `${i}:${e}`)));
        const present = h.present;
        let k = 0;
        for (; k < undos && h.past.length > 0; k++) h = undo(h);
        for (let j = 0; j < k; j++) h = redo(h);
        expect(h.present).toBe(present);
      }),
    );
  });
});
