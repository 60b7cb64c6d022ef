/** The schema of a stored QA item (project documents and studio.json): validated on every load. */
import { z } from 'zod';
import { VISUAL_PROMPT_TYPES } from '../agent/prompts';
import type { QaItem } from './model';

const int = z.number().int();

export const qaItemSchema = z.object({
  id: z.string().min(1),
  instanceId: z.string().nullable(),
  videoId: z.string(),
  frame: int.nonnegative().nullable(),
  vpType: z.enum(VISUAL_PROMPT_TYPES),
  colour: z.string(),
  question: z.string(),
  options: z.array(z.string()).max(4),
  answer: z.string(),
  dimension: int.nullable(),
  category: int.nullable(),
  source: z.string(),
  notes: z.string(),
  createdAt: z.number().finite(),
  resultQueryId: z.string().nullable(),
  videoPath: z.string().nullable(),
  framePath: z.string().nullable(),
  duration: z.number().finite().nonnegative().nullable(),
  // Items saved before projects were datasets have neither: a migration links them to the one video.
  projectVideoId: z.string().min(1).nullable().default(null),
  promptImage: z.string().min(1).nullable().default(null),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Mutable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };
const schemaMatchesType: Same<z.infer<typeof qaItemSchema>, Mutable<QaItem>> = true;
void schemaMatchesType;

export type QaItemsParse = { readonly ok: true; readonly items: QaItem[] } | { readonly ok: false; readonly error: string };

/** QA items with unique ids, or the first problem as `qaItems[2].answer: ...`. */
export function parseQaItems(value: unknown, path = 'qaItems'): QaItemsParse {
  const result = z.array(qaItemSchema).safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const where = issue.path.reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : `${p}.${String(k)}`), path);
    return { ok: false, error: `${where}: ${issue.message}` };
  }
  const seen = new Set<string>();
  for (let i = 0; i < result.data.length; i++) {
    const id = result.data[i]!.id;
    if (seen.has(id)) return { ok: false, error: `${path}[${i}].id ${JSON.stringify(id)} is used by an earlier item` };
    seen.add(id);
  }
  return { ok: true, items: result.data };
}
