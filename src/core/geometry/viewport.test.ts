import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_SCALE, MIN_SCALE, contentToScreen, fitViewport, panBy, screenToContent, wheelZoomFactor, zoomAt } from './viewport';

describe('viewport', () => {
  it('fits and centres the content', () => {
    const vp = fitViewport({ width: 768, height: 576 }, { width: 1000, height: 600 }, 0);
    expect(vp.scale).toBeCloseTo(600 / 576, 9);
    expect(vp.y).toBeCloseTo(0, 9);
    expect(vp.x).toBeCloseTo((1000 - 768 * vp.scale) / 2, 9);
    expect(fitViewport({ width: 0, height: 1 }, { width: 10, height: 10 })).toEqual({ scale: 1, x: 0, y: 0 });
  });

  it('zooming keeps the anchor point fixed, and clamps the scale', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 0.2, max: 5, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        fc.double({ min: -500, max: 500, noNaN: true }),
        (scale, factor, ax, ay) => {
          const vp = { scale, x: 13, y: -7 };
          const anchor = { x: ax, y: ay };
          const before = screenToContent(vp, anchor);
          const after = zoomAt(vp, factor, anchor);
          const back = contentToScreen(after, before);
          expect(back.x).toBeCloseTo(ax, 6);
          expect(back.y).toBeCloseTo(ay, 6);
          expect(after.scale).toBeGreaterThanOrEqual(MIN_SCALE);
          expect(after.scale).toBeLessThanOrEqual(MAX_SCALE);
        },
      ),
    );
  });

  it('pans and zooms by wheel in the expected directions', () => {
    expect(panBy({ scale: 2, x: 1, y: 1 }, 5, -5)).toEqual({ scale: 2, x: 6, y: -4 });
    expect(wheelZoomFactor(-100)).toBeGreaterThan(1);
    expect(wheelZoomFactor(100)).toBeLessThan(1);
    expect(wheelZoomFactor(100000)).toBe(wheelZoomFactor(100));
  });
});
