/**
 * Validation of the masklets stored in a project document, for `parseDocument` to call.
 *
 * Stored data comes from outside the program, so every field is checked and the first bad one is
 * named by its path, e.g. `masklets["inst-1"]["12"].rle.counts[3] must be an integer >= 0, found
 * -1`. Instance ids and frame keys are always written in brackets (ids are arbitrary strings).
 *
 * Plain TypeScript rather than zod, for speed: a 10-minute video at 30 fps has 18,000 frames per
 * instance and a project may have 20 instances, i.e. 360,000 entries with an RLE each. The loop
 * checks each value inline and builds paths only when something is wrong, so a valid document costs
 * one pass over its numbers (see the timing test in documentMasklets.test.ts).
 *
 * `rle.counts` may be a number array (the in-memory form) or pycocotools' compressed string
 * (`compressRle`), which is several times smaller when stored; both come back as numbers.
 */
import { rleFromString, type Rle } from '../mask/rle';
import type { Masklet, Masklets, PropagatedMask, PropagatedState } from './masklet';
import { describeValue } from '../project/describeValue';

export type MaskletsParseResult = { readonly ok: true; readonly masklets: Masklets } | { readonly ok: false; readonly error: string };

/** Thrown inside the validator and turned into `{ ok: false }` at its boundary. */
class Invalid extends Error {}

type Json = Readonly<Record<string, unknown>>;

function fail(path: string, expected: string, value: unknown): never {
  throw new Invalid(`${path} must be ${expected}, found ${describeValue(value)}`);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function key(name: string): string {
  return `[${JSON.stringify(name)}]`;
}

const STATES: ReadonlySet<unknown> = new Set<PropagatedState>(['tracked', 'low', 'absent']);
const FRAME_KEY = /^(0|[1-9]\d*)$/;

function parseCounts(raw: unknown, path: string): number[] {
  if (typeof raw === 'string') {
    try {
      return rleFromString(raw);
    } catch (e) {
      throw new Invalid(`${path} is not a valid COCO RLE string (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (!Array.isArray(raw)) fail(path, 'an array of run lengths or a COCO RLE string', raw);
  for (let i = 0; i < raw.length; i++) {
    const c: unknown = raw[i];
    // Inline, without building the path: this is the innermost loop over every stored number.
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0) fail(`${path}[${i}]`, 'an integer >= 0', c);
  }
  // Kept, not copied: the value comes fresh from storage (structured clone or JSON) and nobody
  // else holds it, and copying millions of run lengths would double the load's peak memory.
  return raw as number[];
}

function dimension(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(path, 'an integer >= 0', value);
  return value;
}

function parseRle(value: unknown, path: string): Rle {
  if (!isRecord(value)) fail(path, 'an object', value);
  const size = value.size;
  if (!Array.isArray(size) || size.length !== 2) {
    if (!Array.isArray(size)) fail(`${path}.size`, 'an array', size);
    throw new Invalid(`${path}.size must be [height, width], found ${size.length} values`);
  }
  const height = dimension(size[0], `${path}.size[0]`);
  const width = dimension(size[1], `${path}.size[1]`);
  const counts = parseCounts(value.counts, `${path}.counts`);
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total !== height * width) {
    throw new Invalid(`${path}.counts add up to ${total} pixels, but size [${height}, ${width}] has ${height * width}`);
  }
  return { size: [height, width], counts };
}

function parseEntry(value: unknown, path: string): PropagatedMask {
  if (!isRecord(value)) fail(path, 'an object', value);
  const { state, score, confidence, anchor } = value;
  if (!STATES.has(state)) fail(`${path}.state`, '"tracked", "low" or "absent"', state);
  let rle: Rle | null = null;
  if (state === 'absent') {
    // Absent means "not in the frame"; a mask there would be the spurious mask absence replaces.
    if (value.rle !== null) fail(`${path}.rle`, 'null when the state is "absent"', value.rle);
  } else {
    if (value.rle === null || value.rle === undefined) fail(`${path}.rle`, `a mask when the state is ${JSON.stringify(state)}`, value.rle);
    rle = parseRle(value.rle, `${path}.rle`);
  }
  if (typeof score !== 'number' || !Number.isFinite(score)) fail(`${path}.score`, 'a finite number', score);
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) fail(`${path}.confidence`, 'a number from 0 to 1', confidence);
  if (typeof anchor !== 'number' || !Number.isSafeInteger(anchor) || anchor < 0) fail(`${path}.anchor`, 'a frame (an integer >= 0)', anchor);
  return { rle, score, confidence, state: state as PropagatedState, anchor };
}

function parseMasklet(value: unknown, path: string): Masklet {
  if (!isRecord(value)) fail(path, 'an object', value);
  const out: Record<number, PropagatedMask> = {};
  for (const frameKey of Object.keys(value)) {
    const at = `${path}${key(frameKey)}`;
    if (!FRAME_KEY.test(frameKey) || !Number.isSafeInteger(Number(frameKey))) throw new Invalid(`${at} is not a frame number (an integer >= 0)`);
    // Integer keys cannot be "__proto__", so plain assignment is safe here.
    out[Number(frameKey)] = parseEntry(value[frameKey], at);
  }
  return out;
}

/**
 * Checks stored masklets and rebuilds them (unknown fields dropped; number arrays of run lengths
 * are checked and kept as they are, see `parseCounts`). Never throws: an invalid value gives
 * `{ ok: false, error }` naming the first offending field. Every instance id must be in
 * `instanceIds`. Results are not checked against the anchors (a result on an anchor frame, or
 * from a frame that is no longer one, is valid data): the caller prunes with `pruneToAnchors`.
 */
export function parseMasklets(value: unknown, instanceIds: ReadonlySet<string>): MaskletsParseResult {
  try {
    if (!isRecord(value)) fail('masklets', 'an object', value);
    const entries: [string, Masklet][] = [];
    for (const id of Object.keys(value)) {
      const at = `masklets${key(id)}`;
      if (!instanceIds.has(id)) throw new Invalid(`${at} refers to instance ${JSON.stringify(id)}, which is not in instances`);
      entries.push([id, parseMasklet(value[id], at)]);
    }
    // fromEntries defines own properties, so even an instance id "__proto__" stays a plain key.
    return { ok: true, masklets: Object.fromEntries(entries) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    return { ok: false, error: `unreadable masklets (${e instanceof Error ? e.message : String(e)})` };
  }
}
