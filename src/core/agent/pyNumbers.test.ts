import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFixed1, pyFloatRepr, pyNumberLiteralRepr, roundHalfEven } from './pyNumbers';

describe('Python number behaviour', () => {
  it('rounds halves to even like round()', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, 3]);
  });

  it('prints floats like repr() (values printed by CPython)', () => {
    const cases: [number, string][] = [
      [5, '5.0'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [0.0001, '0.0001'],
      [1e16, '1e+16'],
      [123456789012345680, '1.2345678901234568e+17'],
      [1.5e300, '1.5e+300'],
      [9999999999999998, '9999999999999998.0'],
      [-2.5, '-2.5'],
      [-0, '-0.0'],
      [1e22, '1e+22'],
      [2.5e-7, '2.5e-07'],
      [100, '100.0'],
      [Infinity, 'inf'],
    ];
    for (const [x, s] of cases) expect(pyFloatRepr(x)).toBe(s);
  });

  it('prints what json.loads makes of a literal: ints stay ints', () => {
    expect(pyNumberLiteralRepr('5')).toBe('5');
    expect(pyNumberLiteralRepr('-0')).toBe('0');
    expect(pyNumberLiteralRepr('5.0')).toBe('5.0');
    expect(pyNumberLiteralRepr('1e2')).toBe('100.0');
    expect(pyNumberLiteralRepr('1E400')).toBe('inf');
    expect(pyNumberLiteralRepr('12345678901234567890')).toBe('12345678901234567890');
  });

  it('formats .1f like Python (values printed by CPython)', () => {
    const cases: [number, string][] = [
      [0.25, '0.2'],
      [0.75, '0.8'],
      [1.25, '1.2'],
      [-0.25, '-0.2'],
      [0.05, '0.1'],
      [0.15, '0.1'],
      [12, '12.0'],
      [2.35, '2.4'],
      [-0, '-0.0'],
      [0.04, '0.0'],
      [-0.04, '-0.0'],
      [1e21, '1000000000000000000000.0'],
      [3.45, '3.5'],
    ];
    for (const [x, s] of cases) expect(formatFixed1(x)).toBe(s);
  });

  it('agrees with toFixed(1) away from exact ties', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (x) => {
        fc.pre(!Number.isInteger(x * 4) || (x * 4) % 2 === 0);
        expect(formatFixed1(x)).toBe(x.toFixed(1));
      }),
    );
  });

  it('repr round-trips', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(Object.is(Number(pyFloatRepr(x)), x)).toBe(true);
      }),
    );
  });
});
