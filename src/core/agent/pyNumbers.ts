/**
 * Python's number behaviour, where the protocol depends on it. The reference client and the
 * training tools are Python, so the model has only ever seen numbers the way Python prints and
 * rounds them: `round()` and `torch.round()` round half to even, `f"{x:.1f}"` rounds exact ties to
 * even, and `str(float)` prints `5.0` (not `5`) and switches to exponent notation at 1e16 and
 * 1e-5 (not at 1e21 and 1e-7 like JavaScript).
 */

/** Python's `round(x)` / `torch.round`: to the nearest integer, exact halves to the even one. */
export function roundHalfEven(x: number): number {
  if (Math.abs(x % 1) === 0.5) return 2 * Math.round(x / 2);
  return Math.round(x);
}

/**
 * Python's `f"{x:.1f}"`. JavaScript's `toFixed(1)` agrees except on exact binary ties (x = k/4
 * with k odd, e.g. 0.25, a frame time at 4 or 24 fps), where it rounds away from zero and
 * Python to the even digit; and on -0, which Python prints as "-0.0".
 */
export function formatFixed1(x: number): string {
  if (!Number.isFinite(x)) return pyFloatRepr(x);
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  // Beyond 2^53 every double is an integer; toFixed would switch to exponent notation at 1e21.
  if (a >= 2 ** 53) return `${sign}${BigInt(a).toString()}.0`;
  const quarters = a * 4;
  if (Number.isInteger(quarters) && quarters % 2 === 1) {
    // An exact tie between two tenths: 10a = k + 0.5 exactly; keep the even k.
    let tenths = Math.floor(a * 10);
    if (tenths % 2 === 1) tenths += 1;
    return `${sign}${Math.floor(tenths / 10)}.${tenths % 10}`;
  }
  return `${sign}${a.toFixed(1)}`;
}

/** Python's `str(float)` / `repr(float)`: shortest round-trip digits, always a decimal point or exponent. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, exp } = decimalParts(Math.abs(x));
  if (exp < -4 || exp >= 16) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intLen = exp + 1;
  if (digits.length <= intLen) return `${sign}${digits.padEnd(intLen, '0')}.0`;
  return `${sign}${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
}

/**
 * Python's `str()` of what `json.loads` makes of a number literal: an int (printed exactly, any
 * size) when the literal has no fraction or exponent, else a float.
 */
export function pyNumberLiteralRepr(raw: string): string {
  if (/^-?\d+$/.test(raw)) return BigInt(raw).toString();
  return pyFloatRepr(Number(raw));
}

/**
 * The shortest round-trip significant digits of a positive finite number (what both JavaScript's
 * `String` and Python's `repr` choose) and its decimal exponent: x = d.ddd × 10^exp.
 */
function decimalParts(x: number): { digits: string; exp: number } {
  const s = String(x);
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const shift = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const intPart = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const all = intPart + (dot < 0 ? '' : mantissa.slice(dot + 1));
  const lead = all.length - all.replace(/^0+/, '').length;
  const digits = all.slice(lead).replace(/0+$/, '');
  return { digits, exp: intPart.length - 1 - lead + shift };
}
