/**
 * The V2P-Bench dimension codes (protocol §4.1, the official mapping of the benchmark's own eval
 * script). The numeric code is the data (kept in QA items and written to `dataset_info.json`);
 * the names are for display only. Codes 8 and 11 are not used by the benchmark.
 */

export interface Dimension {
  readonly code: number;
  /** Two-letter abbreviation, e.g. "OA". */
  readonly short: string;
  /** Full name, e.g. "Object Attribute". */
  readonly name: string;
}

export const DIMENSIONS: readonly Dimension[] = Object.freeze([
  { code: 1, short: 'OA', name: 'Object Attribute' },
  { code: 2, short: 'HA', name: 'Human Attribute' },
  { code: 3, short: 'OD', name: 'Object Direction' },
  { code: 4, short: 'FM', name: 'Feature Mapping' },
  { code: 5, short: 'CR', name: 'Causal Relationship' },
  { code: 6, short: 'PU', name: 'Plot Understanding' },
  { code: 7, short: 'CI', name: 'Counterfactual Inference' },
  { code: 9, short: 'FT', name: 'Forward Temporal' },
  { code: 10, short: 'RT', name: 'Reverse Temporal' },
  { code: 12, short: 'AS', name: 'Action Sequence' },
  { code: 13, short: 'SR', name: 'Spatial Relationship' },
  { code: 14, short: 'GC', name: 'General Counting' },
].map((d) => Object.freeze(d)));

const BY_CODE: ReadonlyMap<number, Dimension> = new Map(DIMENSIONS.map((d) => [d.code, d]));

/** The dimension with this code, or undefined when the benchmark has none. */
export function dimensionByCode(code: number): Dimension | undefined {
  return BY_CODE.get(code);
}

export function isKnownDimension(code: number): boolean {
  return BY_CODE.has(code);
}

/** The long name ("Object Attribute"); `Dimension <n>` for a code the benchmark does not define. */
export function dimensionName(code: number): string {
  return BY_CODE.get(code)?.name ?? `Dimension ${code}`;
}

/** The abbreviation ("OA"); `D<n>` for a code the benchmark does not define. */
export function dimensionShort(code: number): string {
  return BY_CODE.get(code)?.short ?? `D${code}`;
}
