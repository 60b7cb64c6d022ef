/**
 * The schemas of review runs and judgements, for reading projects back (IndexedDB, studio.json):
 * stored data comes from outside the program, so it is validated, and a bad value is reported by
 * its path (`runs[2].results[5].status: ...`) instead of reaching the review panels.
 *
 * Numbers that come from a results file (dimension, duration, a judge model's score) are only
 * required to be finite: an import keeps what the file says, and a save must never be refused
 * over a value the app itself accepted when it read the file.
 */
import { z } from 'zod';
import { VISUAL_PROMPT_TYPES, type VisualPromptType } from '../agent/prompts';
import type { SavedQuery } from '../agent/query';
import { savedQuerySchema } from '../agent/querySchema';
import type { Judgements, ResultItem, ResultStatus, ReviewRun, RunResult, ToolCallRecord } from './run';

const count = z.number().int().nonnegative();
const num = z.number().finite();
const text = z.string();

/** Deeper than any tool call's arguments; a cycle (never JSON) ends here instead of overflowing the stack. */
const MAX_JSON_DEPTH = 64;

/**
 * Plain JSON data: what a results file or a model's tool call can hold. Checked so that what is
 * stored can be cloned into IndexedDB and written to studio.json and read back the same.
 */
function isJsonValue(value: unknown, depth = 0): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object' || depth >= MAX_JSON_DEPTH) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isJsonValue(value[i], depth + 1)) return false;
    return true;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (Object.hasOwn(value, key) && !isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
  return true;
}

export const resultItemSchema = z.object({
  videoId: text,
  question: text,
  options: z.array(text),
  answer: text,
  dimension: num.nullable(),
  category: num.nullable(),
  duration: num.nullable(),
  source: text,
  vpType: z.enum(VISUAL_PROMPT_TYPES).nullable(),
  videoPath: text.nullable(),
  framePath: z.union([text, z.array(text)]).nullable(),
});

export const toolCallRecordSchema = z.object({
  name: text,
  arguments: z.unknown().refine((v) => isJsonValue(v), 'expected JSON data (null, a boolean, a finite number, a string, a list or a plain object)'),
});

export const runResultSchema = z.object({
  key: z.string().min(1),
  itemId: text.nullable(),
  item: resultItemSchema,
  status: z.enum(['pending', 'running', 'done', 'failed']),
  response: text.nullable(),
  rawOutput: text.nullable(),
  userText: text.nullable(),
  toolCalls: z.array(toolCallRecordSchema),
  numRounds: count.nullable(),
  error: text.nullable(),
  model: text.nullable(),
  autoJudgement: num.nullable(),
  query: savedQuerySchema.nullable(),
});

export const reviewRunSchema = z.object({
  id: z.string().min(1),
  name: text,
  kind: z.enum(['batch', 'import']),
  createdAt: num,
  model: text,
  // The same settings a saved query records (QuerySettings).
  settings: savedQuerySchema.shape.settings.nullable(),
  fileName: text.nullable(),
  concurrency: count,
  state: z.enum(['running', 'paused', 'interrupted', 'cancelled', 'done', 'imported']),
  activeMs: num.nonnegative(),
  resumedAt: num.nullable(),
  results: z.array(runResultSchema),
  report: text.nullable(),
  resultsFile: z.object({ name: text, written: z.array(text), failed: z.array(text), problem: text.nullable() }).optional(),
});

export const judgementSchema = z.object({
  value: z.union([z.literal(0), z.literal(0.5), z.literal(1)]).nullable(),
  note: text,
  at: num,
});

/**
 * The shape of the judgements record. `parseJudgements` does not run it as a whole: zod drops a
 * "__proto__" key, and a result key is whatever a QA item's id or a file says.
 */
export const judgementsSchema = z.record(z.string(), z.record(z.string(), judgementSchema));

/** Compile-time check that the schemas and the types describe the same thing. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
const runSchemaMatchesType: Same<z.infer<typeof reviewRunSchema>, DeepMutable<ReviewRun>> = true;
const judgementsSchemaMatchesType: Same<z.infer<typeof judgementsSchema>, DeepMutable<Judgements>> = true;
void runSchemaMatchesType;
void judgementsSchemaMatchesType;

/** `runs.a`, or `runs["line-3"]` for a key that is not an identifier. */
function field(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

function issueAt(error: z.ZodError, path: string): string {
  const issue = error.issues[0]!;
  const where = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : field(p, String(k))), path);
  return `${where}: ${issue.message}`;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------
// The fast path. For 10,000 imported results zod took about 30-60 ms once warm and 200-350 ms on
// a page's first load; these plain checks take about a third of that. They accept exactly what
// the schemas accept (a property test compares the two); when they refuse, the schema runs to
// say why, so messages are zod's.
//
// A valid object that has exactly the known fields is returned as it is instead of copied: runs
// are immutable data, so sharing is safe, and not rebuilding 60,000 objects spares the garbage
// collector (on load they are a fresh structured clone anyway). One with extra fields is
// rebuilt without them. The object literals below are typed, so a field added to RunResult or
// ResultItem fails to compile here until it is checked.

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isNumberOrNull = (v: unknown): v is number | null => v === null || isNumber(v);
const VP_TYPES: ReadonlySet<unknown> = new Set(VISUAL_PROMPT_TYPES);
const STATUSES: ReadonlySet<unknown> = new Set(runResultSchema.shape.status.options);
const ITEM_FIELDS = Object.keys(resultItemSchema.shape).length;
const TOOL_CALL_FIELDS = Object.keys(toolCallRecordSchema.shape).length;
const RESULT_FIELDS = Object.keys(runResultSchema.shape).length;

/** Counted without allocating a list of keys: this runs for every object of every result. */
function hasOnly(o: object, fields: number): boolean {
  let n = 0;
  for (const key in o) if (Object.hasOwn(o, key) && ++n > fields) return false;
  return n === fields;
}

/**
 * The array itself, or a copy of its elements when it has other properties too (structured clone
 * would keep them); null when an element is not a string. Indexed: a hole is not a string.
 */
function stringArray(v: unknown): string[] | null {
  if (!Array.isArray(v)) return null;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return null;
  return hasOnly(v, v.length) ? (v as string[]) : (v.slice() as string[]);
}

function quickItem(v: unknown): ResultItem | null {
  if (!isRecord(v)) return null;
  const { videoId, question, answer, dimension, category, duration, source, vpType, videoPath } = v;
  const options = stringArray(v.options);
  const framePath = v.framePath === null || typeof v.framePath === 'string' ? v.framePath : stringArray(v.framePath);
  if (options === null || (framePath === null && v.framePath !== null) || !isString(videoId) || !isString(question) || !isString(answer) || !isString(source)) return null;
  if (!isNumberOrNull(dimension) || !isNumberOrNull(category) || !isNumberOrNull(duration) || !isStringOrNull(videoPath)) return null;
  if (vpType !== null && !VP_TYPES.has(vpType)) return null;
  if (options === v.options && framePath === v.framePath && hasOnly(v, ITEM_FIELDS)) return v as unknown as ResultItem;
  return { videoId, question, options, answer, dimension, category, duration, source, vpType: vpType as VisualPromptType | null, videoPath, framePath };
}

function quickToolCalls(v: unknown): readonly ToolCallRecord[] | null {
  if (!Array.isArray(v)) return null;
  let out: ToolCallRecord[] | null = null;
  for (let i = 0; i < v.length; i++) {
    const call: unknown = v[i];
    if (!isRecord(call) || !isString(call.name) || !isJsonValue(call.arguments)) return null;
    if (out === null && !hasOnly(call, TOOL_CALL_FIELDS)) out = (v as ToolCallRecord[]).slice(0, i);
    out?.push({ name: call.name, arguments: call.arguments });
  }
  return out ?? (hasOnly(v, v.length) ? (v as ToolCallRecord[]) : (v.slice() as ToolCallRecord[]));
}

/** The valid result (itself or a copy without unknown fields), or null when the schema must say why. Exported for its test. */
export function quickRunResult(v: unknown): RunResult | null {
  if (!isRecord(v)) return null;
  const { key, itemId, status, response, rawOutput, userText, numRounds, error, model, autoJudgement } = v;
  if (!isString(key) || key.length === 0 || !isStringOrNull(itemId) || !STATUSES.has(status)) return null;
  if (!isStringOrNull(response) || !isStringOrNull(rawOutput) || !isStringOrNull(userText) || !isStringOrNull(error) || !isStringOrNull(model)) return null;
  if (numRounds !== null && !(Number.isSafeInteger(numRounds) && (numRounds as number) >= 0)) return null;
  if (!isNumberOrNull(autoJudgement)) return null;
  const item = quickItem(v.item);
  const toolCalls = quickToolCalls(v.toolCalls);
  if (item === null || toolCalls === null) return null;
  // Only results of a batch run carry a query; they are few next to an import's, so zod checks it.
  let query: SavedQuery | null = null;
  if (v.query !== null) {
    const parsed = savedQuerySchema.safeParse(v.query);
    if (!parsed.success) return null;
    query = parsed.data;
  }
  if (item === v.item && toolCalls === v.toolCalls && query === null && hasOnly(v, RESULT_FIELDS)) return v as unknown as RunResult;
  return { key, itemId, item, status: status as ResultStatus, response, rawOutput, userText, toolCalls, numRounds: numRounds as number | null, error, model, autoJudgement, query };
}

/** A result checked by the fast path, else by the schema (which names the problem). */
export function parseRunResult(value: unknown): { readonly ok: true; readonly result: RunResult } | { readonly ok: false; readonly error: z.ZodError } {
  const quick = quickRunResult(value);
  if (quick !== null) return { ok: true, result: quick };
  const parsed = runResultSchema.safeParse(value);
  return parsed.success ? { ok: true, result: parsed.data } : { ok: false, error: parsed.error };
}

export type RunsParse = { readonly ok: true; readonly runs: ReviewRun[] } | { readonly ok: false; readonly error: string };

export interface RunsParseOptions {
  /**
   * Runs and results, by object identity, that were validated before (saved or loaded) and, being
   * immutable, cannot have changed since: taken as they are, without checking them again. Saving
   * a project with a 10,000-result import then costs nothing for the import, and saving a batch
   * run as each item finishes checks only the results that changed. Ids and keys still count for
   * uniqueness.
   */
  readonly checked?: ReadonlySet<object>;
}

/** A run without its results, which are checked one by one (some may be `checked`). */
const runHeaderSchema = reviewRunSchema.omit({ results: true });

function isChecked(value: unknown, checked: ReadonlySet<object> | undefined): boolean {
  return checked !== undefined && typeof value === 'object' && value !== null && checked.has(value);
}

/**
 * Review runs with unique ids, each with unique result keys, or the first problem as
 * `runs[2].results[5].status: ...`. Unknown fields are dropped (the runs are rebuilt), except
 * in `checked` runs and results, which are returned as given.
 */
export function parseRuns(value: unknown, path = 'runs', options: RunsParseOptions = {}): RunsParse {
  if (!Array.isArray(value)) return { ok: false, error: `${path}: expected an array of runs` };
  const { checked } = options;
  const runs: ReviewRun[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < value.length; i++) {
    const raw: unknown = value[i];
    const at = `${path}[${i}]`;
    let run: ReviewRun;
    if (isChecked(raw, checked)) {
      run = raw as ReviewRun;
    } else {
      const header = runHeaderSchema.safeParse(raw);
      if (!header.success) return { ok: false, error: issueAt(header.error, at) };
      const rawResults = (raw as { readonly results?: unknown }).results;
      if (!Array.isArray(rawResults)) return { ok: false, error: `${at}.results: expected an array of results` };
      const results: RunResult[] = new Array<RunResult>(rawResults.length);
      const keys = new Set<string>();
      for (let j = 0; j < rawResults.length; j++) {
        const rawResult: unknown = rawResults[j];
        let result: RunResult;
        if (isChecked(rawResult, checked)) {
          result = rawResult as RunResult;
        } else {
          const parsed = parseRunResult(rawResult);
          if (!parsed.ok) return { ok: false, error: issueAt(parsed.error, `${at}.results[${j}]`) };
          result = parsed.result;
        }
        if (keys.has(result.key)) return { ok: false, error: `${at}.results[${j}].key ${JSON.stringify(result.key)} is used by an earlier result of the run` };
        keys.add(result.key);
        results[j] = result;
      }
      run = { ...header.data, results };
    }
    if (ids.has(run.id)) return { ok: false, error: `${at}.id ${JSON.stringify(run.id)} is used by an earlier run` };
    ids.add(run.id);
    runs.push(run);
  }
  return { ok: true, runs };
}

export type JudgementsParse = { readonly ok: true; readonly judgements: Judgements } | { readonly ok: false; readonly error: string };

/**
 * A person's judgements by run id and result key, or the first problem as
 * `judgements.r1["line-3"].value: ...`. Judgements of runs not in `runIds` are dropped, not an
 * error: they are what is left of a deleted run.
 */
export function parseJudgements(value: unknown, runIds: ReadonlySet<string>, path = 'judgements'): JudgementsParse {
  if (!isRecord(value)) return { ok: false, error: `${path}: expected an object of judgements by run id` };
  const byRun: [string, Readonly<Record<string, z.infer<typeof judgementSchema>>>][] = [];
  for (const runId of Object.keys(value)) {
    if (!runIds.has(runId)) continue;
    const runPath = field(path, runId);
    const inner = value[runId];
    if (!isRecord(inner)) return { ok: false, error: `${runPath}: expected an object of judgements by result key` };
    const byKey: [string, z.infer<typeof judgementSchema>][] = [];
    for (const key of Object.keys(inner)) {
      const result = judgementSchema.safeParse(inner[key]);
      if (!result.success) return { ok: false, error: issueAt(result.error, field(runPath, key)) };
      byKey.push([key, result.data]);
    }
    // fromEntries defines own properties, so even a "__proto__" key cannot change the prototype.
    byRun.push([runId, Object.fromEntries(byKey)]);
  }
  return { ok: true, judgements: Object.fromEntries(byRun) };
}
