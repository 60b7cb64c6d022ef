import { describe, expect, it } from 'vitest';
import { compressRle } from '../mask/rle';
import { parseMasklets } from './documentMasklets';

const IDS = new Set(['inst-1', 'b']);
const rle = { size: [2, 3], counts: [1, 2, 3] };
const entry = { rle, score: 0.91, confidence: 0.8, state: 'tracked', anchor: 0 };

function error(value: unknown, ids: ReadonlySet<string> = IDS): string {
  const r = parseMasklets(value, ids);
  if (r.ok) throw new Error('expected a rejection');
  return r.error;
}

describe('parseMasklets', () => {
  it('reads valid masklets back, dropping unknown fields, with compressed counts expanded', () => {
    const value = {
      'inst-1': { 12: { ...entry, extra: 1 }, 13: { rle: null, score: 0.1, confidence: 0, state: 'absent', anchor: 0 } },
      b: { 0: { ...entry, state: 'low', rle: compressRle({ size: [2, 3], counts: [1, 2, 3] }), anchor: 4 } },
    };
    const r = parseMasklets(value, IDS);
    expect(r).toEqual({
      ok: true,
      masklets: {
        'inst-1': { 12: { rle: { size: [2, 3], counts: [1, 2, 3] }, score: 0.91, confidence: 0.8, state: 'tracked', anchor: 0 }, 13: value['inst-1'][13] },
        b: { 0: { rle: { size: [2, 3], counts: [1, 2, 3] }, score: 0.91, confidence: 0.8, state: 'low', anchor: 4 } },
      },
    });
    expect(parseMasklets({}, IDS)).toEqual({ ok: true, masklets: {} });
  });

  it('names the first bad path', () => {
    const at = (e: unknown): unknown => ({ 'inst-1': { 12: e } });
    expect(error(null)).toBe('masklets must be an object, found null');
    expect(error({ x: {} })).toBe('masklets["x"] refers to instance "x", which is not in instances');
    expect(error({ b: [] })).toBe('masklets["b"] must be an object, found an array');
    expect(error({ b: { '-1': entry } })).toBe('masklets["b"]["-1"] is not a frame number (an integer >= 0)');
    expect(error({ b: { '01': entry } })).toBe('masklets["b"]["01"] is not a frame number (an integer >= 0)');
    expect(error({ b: { '1.5': entry } })).toBe('masklets["b"]["1.5"] is not a frame number (an integer >= 0)');
    expect(error(at('x'))).toBe('masklets["inst-1"]["12"] must be an object, found "x"');
    expect(error(at({ ...entry, state: 'gone' }))).toBe('masklets["inst-1"]["12"].state must be "tracked", "low" or "absent", found "gone"');
    expect(error(at({ ...entry, state: 'absent' }))).toBe('masklets["inst-1"]["12"].rle must be null when the state is "absent", found an object');
    expect(error(at({ ...entry, rle: null }))).toBe('masklets["inst-1"]["12"].rle must be a mask when the state is "tracked", found null');
    expect(error(at({ ...entry, state: 'low', rle: undefined }))).toBe('masklets["inst-1"]["12"].rle must be a mask when the state is "low", found nothing');
    expect(error(at({ ...entry, rle: { size: [2, 3], counts: [1, 2, 1, -1, 3] } }))).toBe('masklets["inst-1"]["12"].rle.counts[3] must be an integer >= 0, found -1');
    expect(error(at({ ...entry, rle: { size: [2, 3], counts: [1, 2.5] } }))).toBe('masklets["inst-1"]["12"].rle.counts[1] must be an integer >= 0, found 2.5');
    expect(error(at({ ...entry, rle: { size: [2, 3], counts: [1, 2, 4] } }))).toBe('masklets["inst-1"]["12"].rle.counts add up to 7 pixels, but size [2, 3] has 6');
    expect(error(at({ ...entry, rle: { size: [2, 3], counts: '!' } }))).toMatch(/^masklets\["inst-1"\]\["12"\]\.rle\.counts is not a valid COCO RLE string/);
    expect(error(at({ ...entry, rle: { size: [2, 3], counts: 5 } }))).toBe('masklets["inst-1"]["12"].rle.counts must be an array of run lengths or a COCO RLE string, found 5');
    expect(error(at({ ...entry, rle: { size: [2], counts: [] } }))).toBe('masklets["inst-1"]["12"].rle.size must be [height, width], found 1 values');
    expect(error(at({ ...entry, rle: { size: [2, -3], counts: [] } }))).toBe('masklets["inst-1"]["12"].rle.size[1] must be an integer >= 0, found -3');
    expect(error(at({ ...entry, score: Number.NaN }))).toBe('masklets["inst-1"]["12"].score must be a finite number, found NaN');
    expect(error(at({ ...entry, confidence: 1.2 }))).toBe('masklets["inst-1"]["12"].confidence must be a number from 0 to 1, found 1.2');
    expect(error(at({ ...entry, anchor: 'x' }))).toBe('masklets["inst-1"]["12"].anchor must be a frame (an integer >= 0), found "x"');
  });

  it('keeps an instance id "__proto__" a plain key', () => {
    const value = JSON.parse('{"__proto__": {"3": {"rle": null, "score": 0, "confidence": 0, "state": "absent", "anchor": 1}}}') as unknown;
    const r = parseMasklets(value, new Set(['__proto__']));
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Object.getPrototypeOf(r.masklets)).toBe(Object.prototype);
      expect(Object.keys(r.masklets)).toEqual(['__proto__']);
    }
    expect(error(value, IDS)).toBe('masklets["__proto__"] refers to instance "__proto__", which is not in instances');
  });

  it('parses 20 instances x 18,000 frames (its time is logged; speed is measured by benchmarks, not asserted)', () => {
    // A 10-minute video at 30 fps, 20 instances, masks of 40 runs on a 1280x720 frame, one frame
    // in ten absent; every entry and counts array distinct, as structured clone or JSON gives them.
    const [h, w] = [720, 1280];
    const ids = new Set<string>();
    const value: Record<string, Record<number, unknown>> = {};
    let runs = 0;
    for (let i = 0; i < 20; i++) {
      const id = `inst-${i}`;
      ids.add(id);
      const m: Record<number, unknown> = {};
      for (let f = 0; f < 18_000; f++) {
        if (f % 10 === 9) {
          m[f] = { rle: null, score: 0.2, confidence: 0.05, state: 'absent', anchor: 0 };
          continue;
        }
        const counts = new Array<number>(40);
        for (let j = 0; j < 39; j++) counts[j] = 100 + ((f + j) % 50);
        counts[39] = h * w - counts.slice(0, 39).reduce((a, b) => a + b, 0);
        runs += 40;
        m[f] = { rle: { size: [h, w], counts }, score: 0.9, confidence: 0.85, state: f % 7 === 0 ? 'low' : 'tracked', anchor: 0 };
      }
      value[id] = m;
    }
    const start = performance.now();
    const r = parseMasklets(value, ids);
    const ms = performance.now() - start;
    console.log(`parseMasklets: 20 x 18,000 frames (${runs.toLocaleString('en')} run lengths) in ${ms.toFixed(0)} ms`);
    expect(r.ok).toBe(true);
    if (r.ok) expect(Object.keys(r.masklets['inst-19']!)).toHaveLength(18_000);
  });
});
