import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INSTANCE_COLORS, SCRIBBLE_MAX_POINTS, movePrompt, annotationKey, nextInstance, normalizeBox, scribbleToPoints, toSamPrompt, type Instance } from './model';

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

describe('scribbles', () => {
  it('become evenly spaced positive points including both ends', () => {
    const pts = scribbleToPoints([0, 0, 100, 0], 25);
    expect(pts.map((p) => p.x)).toEqual([0, 25, 50, 75, 100]);
    expect(pts.every((p) => p.y === 0)).toBe(true);
    expect(scribbleToPoints([5, 6])).toEqual([{ x: 5, y: 6 }]);
    expect(scribbleToPoints([])).toEqual([]);
    expect(toSamPrompt([{ kind: 'scribble', path: [0, 0, 0, 48] }]).points).toEqual([
      { x: 0, y: 0, positive: true },
      { x: 0, y: 24, positive: true },
      { x: 0, y: 48, positive: true },
    ]);
  });

  it('stay on the stroke, bounded in number, for any stroke', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 2, maxLength: 80 }), (raw) => {
        const path = raw.length % 2 ? raw.slice(0, -1) : raw;
        const pts = scribbleToPoints(path);
        expect(pts.length).toBeGreaterThan(0);
        expect(pts.length).toBeLessThanOrEqual(SCRIBBLE_MAX_POINTS);
        const xs = path.filter((_, i) => i % 2 === 0);
        const ys = path.filter((_, i) => i % 2 === 1);
        for (const p of pts) {
          expect(p.x).toBeGreaterThanOrEqual(Math.min(...xs) - 1e-9);
          expect(p.x).toBeLessThanOrEqual(Math.max(...xs) + 1e-9);
          expect(p.y).toBeGreaterThanOrEqual(Math.min(...ys) - 1e-9);
          expect(p.y).toBeLessThanOrEqual(Math.max(...ys) + 1e-9);
        }
        expect(pts[0]).toEqual({ x: path[0], y: path[1] });
      }),
    );
  });
});

describe('moving prompts', () => {
  it('moves every kind by the same offset', () => {
    expect(movePrompt({ kind: 'point', x: 1, y: 2, positive: true }, 3, 4)).toEqual({ kind: 'point', x: 4, y: 6, positive: true });
    expect(movePrompt({ kind: 'box', x0: 0, y0: 0, x1: 2, y1: 2 }, -1, 1)).toEqual({ kind: 'box', x0: -1, y0: 1, x1: 1, y1: 3 });
    expect(movePrompt({ kind: 'scribble', path: [0, 0, 5, 5] }, 1, 2)).toEqual({ kind: 'scribble', path: [1, 2, 6, 7] });
  });
});
