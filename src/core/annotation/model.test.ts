import { describe, expect, it } from 'vitest';
import { INSTANCE_COLORS, annotationKey, nextInstance, normalizeBox, toSamPrompt, type Instance } from './model';

describe('annotation model', () => {
  it('turns prompts into SAM prompts: all points, the latest box', () => {
    expect(
      toSamPrompt([
        { kind: 'box', x0: 1, y0: 2, x1: 3, y1: 4 },
        { kind: 'point', x: 5, y: 6, positive: true },
        { kind: 'box', x0: 10, y0: 20, x1: 30, y1: 40 },
        { kind: 'point', x: 7, y: 8, positive: false },
      ]),
    ).toEqual({
      points: [
        { x: 5, y: 6, positive: true },
        { x: 7, y: 8, positive: false },
      ],
      box: { x0: 10, y0: 20, x1: 30, y1: 40 },
    });
    expect(toSamPrompt([])).toEqual({ points: [], box: null });
  });

  it('gives new instances unused colours and names', () => {
    const a = nextInstance([], 'a');
    expect(a).toEqual({ id: 'a', name: 'Object 1', color: INSTANCE_COLORS[0], visible: true });
    const b = nextInstance([a], 'b');
    expect(b.color).not.toBe(a.color);
    expect(b.name).toBe('Object 2');
    const renamed: Instance = { ...b, name: 'Object 3' };
    expect(nextInstance([a, renamed], 'c').name).toBe('Object 4');
  });

  it('normalises boxes and keys', () => {
    expect(normalizeBox(5, 9, 1, 2)).toEqual({ kind: 'box', x0: 1, y0: 2, x1: 5, y1: 9 });
    expect(annotationKey('x', 12)).toBe('x@12');
  });
});
