/** How a stored value that failed validation is named in the error ("null", "an array", a short quoted string…). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const s = JSON.stringify(value);
      return s.length > 40 ? `${s.slice(0, 37)}..."` : s;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}
