/**
 * The schema of a saved query, for reading projects back: stored data comes from outside the
 * program (an older build, a damaged disk, an imported file), so it is validated, and a bad
 * query is reported by its path instead of reaching the trajectory view.
 */
import { z } from 'zod';
import { VISUAL_PROMPT_TYPES } from './prompts';
import type { SavedQuery } from './query';

const count = z.number().int().nonnegative();
const num = z.number().finite();

const usage = z.object({ prompt_tokens: count, completion_tokens: count, total_tokens: count });

const failure = z.object({
  kind: z.enum(['unreachable', 'cors', 'unauthorized', 'forbidden', 'unknown-model', 'too-large', 'rate-limited', 'server', 'timeout', 'bad-response', 'truncated', 'http', 'cancelled']),
  status: z.number().int().nullable(),
  detail: z.string(),
  retryAfterS: num.nullable(),
});

const imageRef = z.discriminatedUnion('source', [
  z.object({ source: z.literal('frame'), index: count, timeS: num, width: count, height: count, bytes: count }),
  z.object({ source: z.literal('visual-prompt'), frame: count, width: count, height: count, bytes: count }),
]);

const toolCall = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.string(),
  origin: z.enum(['structured', 'text']),
  status: z.enum(['running', 'done', 'failed']),
  images: z.array(imageRef),
  error: z.string().nullable(),
  ms: num.nullable(),
});

const round = z.object({
  index: count,
  startedAt: num,
  requestBytes: count,
  firstTokenMs: num.nullable(),
  latencyMs: num.nullable(),
  content: z.string(),
  reasoning: z.string(),
  toolCalls: z.array(toolCall),
  finishReason: z.string().nullable(),
  usage: usage.nullable(),
  retries: z.array(z.object({ failure, waitMs: num })),
  failure: failure.nullable(),
});

const trajectory = z.object({
  status: z.enum(['preparing', 'running', 'done', 'failed', 'cancelled', 'interrupted']),
  userText: z.string(),
  frames: z.array(imageRef),
  rounds: z.array(round),
  answer: z.string().nullable(),
  response: z.string(),
  format: z.object({ ok: z.boolean(), reason: z.string() }).nullable(),
  problems: z.array(z.object({ kind: z.enum(['environment', 'round-limit', 'no-answer', 'endpoint']), message: z.string() })),
  startedAt: num,
  finishedAt: num.nullable(),
  usage: usage.nullable(),
});

const settings = z.object({
  baseUrl: z.string(),
  model: z.string(),
  mode: z.enum(['tool', 'reasoning', 'direct']),
  tools: z.object({ viewVisualPrompt: z.boolean(), cropVideo: z.boolean() }),
  sampling: z.object({ fps: num, maxFrames: count, minPixels: count, maxPixels: count, factor: z.union([z.literal(28), z.literal(32)]) }),
  imageFormat: z.enum(['jpeg', 'png']),
  jpegQuality: num,
  crop: z.object({ fps: num, minFrames: count, maxFrames: count, maxPixels: count }),
  maxToolRounds: count,
  maxTokens: count,
  temperature: num,
  timeoutS: num,
  stream: z.boolean(),
});

export const savedQuerySchema = z.object({
  id: z.string().min(1),
  createdAt: num,
  instanceId: z.string().nullable(),
  instanceName: z.string(),
  question: z.string(),
  options: z.array(z.string()).max(4),
  sentQuestion: z.string(),
  visualPrompt: z.object({ type: z.enum(VISUAL_PROMPT_TYPES), frame: count, colour: z.string(), image: z.string().min(1).optional() }),
  settings,
  model: z.string(),
  group: z.string().nullable(),
  trajectory,
});

/** Compile-time check that the schema and the SavedQuery type describe the same thing. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesType: Same<z.infer<typeof savedQuerySchema>, DeepMutable<SavedQuery>> = true;
void schemaMatchesType;

type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;

export type QueriesParse = { readonly ok: true; readonly queries: SavedQuery[] } | { readonly ok: false; readonly error: string };

/** Saved queries, or the first problem as "queries[3].trajectory.rounds[0].content: expected string". */
export function parseQueries(value: unknown, path = 'queries'): QueriesParse {
  const result = z.array(savedQuerySchema).safeParse(value);
  if (result.success) return { ok: true, queries: result.data };
  const issue = result.error.issues[0]!;
  const where = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), path);
  return { ok: false, error: `${where}: ${issue.message}` };
}
