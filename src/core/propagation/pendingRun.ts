/**
 * A propagation that is running is written into the project as a `PendingPropagation`, and
 * removed when it ends (done or cancelled). Found in a project that is being opened, it means
 * the page went away mid-run: the finished frames are in the masklets, and the run can be
 * continued from where each direction stopped (plan.ts `resume`) with the same settings.
 */
import { z } from 'zod';
import type { Direction, SamplingStep } from './plan';

export interface PendingPropagation {
  /** The instances the run was for, in order. */
  readonly instanceIds: readonly string[];
  readonly direction: Direction;
  /** Inclusive frame range; null = the whole video. */
  readonly range: readonly [number, number] | null;
  readonly step: SamplingStep;
  /** Frames planned and frames finished when the project was last saved. */
  readonly total: number;
  readonly done: number;
  readonly startedAt: number;
}

const count = z.number().int().nonnegative();

const schema = z.object({
  instanceIds: z.array(z.string().min(1)).min(1),
  direction: z.enum(['forward', 'backward', 'both']),
  range: z.tuple([count, count]).nullable(),
  step: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('every') }),
    z.object({ kind: z.literal('nth'), k: z.number().int().min(2) }),
    z.object({ kind: z.literal('fps'), fps: z.number().positive() }),
  ]),
  total: count,
  done: count,
  startedAt: z.number(),
});

export type PendingParseResult = { readonly ok: true; readonly pending: PendingPropagation | null } | { readonly ok: false; readonly error: string };

/**
 * Checks a stored value. Instances that are no longer in the project are dropped; a run left with
 * none is no run at all (null), as is an absent value (documents written before this existed).
 */
export function parsePendingPropagation(value: unknown, instanceIds: ReadonlySet<string>): PendingParseResult {
  if (value === undefined || value === null) return { ok: true, pending: null };
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `propagationRun${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}` };
  }
  const p = parsed.data;
  const kept = p.instanceIds.filter((id) => instanceIds.has(id));
  if (kept.length === 0) return { ok: true, pending: null };
  return { ok: true, pending: { ...p, instanceIds: kept, done: Math.min(p.done, p.total) } };
}

/** What the user is told about a run the page left behind. */
export function describePending(p: PendingPropagation): string {
  const objects = p.instanceIds.length === 1 ? '1 object' : `${p.instanceIds.length} objects`;
  return `A propagation of ${objects} was interrupted (the page was closed or reloaded) after ${p.done} of ${p.total} frames. The finished frames are kept.`;
}
