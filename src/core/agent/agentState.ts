/**
 * The trajectory of a running query, owned by the loop: every change makes a new immutable
 * Trajectory object (structural sharing for the untouched parts) and hands it to `onUpdate` at
 * once. Throttling is the UI's business; the loop reports every visible change.
 */
import type { Usage } from './streamAssembler';
import type { QueryProblem, RoundRecord, ToolCallRun, Trajectory } from './trajectory';

export class TrajectoryState {
  private current: Trajectory;

  constructor(
    initial: Trajectory,
    private readonly emit: (t: Trajectory) => void,
  ) {
    this.current = initial;
    emit(initial);
  }

  get value(): Trajectory {
    return this.current;
  }

  set(patch: Partial<Trajectory>): void {
    this.current = { ...this.current, ...patch };
    this.emit(this.current);
  }

  round(index: number): RoundRecord {
    return this.current.rounds[index]!;
  }

  addRound(round: RoundRecord): void {
    this.set({ rounds: [...this.current.rounds, round] });
  }

  /** Patches one round; the trajectory's usage is the sum over the rounds, so it follows. */
  patchRound(index: number, patch: Partial<RoundRecord>): void {
    const rounds = this.current.rounds.map((r, i) => (i === index ? { ...r, ...patch } : r));
    this.set({ rounds, ...('usage' in patch ? { usage: sumUsage(rounds) } : {}) });
  }

  patchCall(roundIndex: number, callIndex: number, patch: Partial<ToolCallRun>): void {
    const calls = this.round(roundIndex).toolCalls.map((c, i) => (i === callIndex ? { ...c, ...patch } : c));
    this.patchRound(roundIndex, { toolCalls: calls });
  }

  addProblem(problem: QueryProblem): void {
    this.set({ problems: [...this.current.problems, problem] });
  }
}

/** The sum over the rounds that reported usage; null when none did. */
export function sumUsage(rounds: readonly RoundRecord[]): Usage | null {
  const reported = rounds.flatMap((r) => (r.usage ? [r.usage] : []));
  if (reported.length === 0) return null;
  const total = (key: keyof Usage): number => reported.reduce((sum, u) => sum + (u[key] ?? 0), 0);
  return { prompt_tokens: total('prompt_tokens'), completion_tokens: total('completion_tokens'), total_tokens: total('total_tokens') };
}

/** A round about to send its request. */
export function newRound(index: number, startedAt: number, retries: RoundRecord['retries'] = []): RoundRecord {
  return {
    index,
    startedAt,
    requestBytes: 0,
    firstTokenMs: null,
    latencyMs: null,
    content: '',
    reasoning: '',
    toolCalls: [],
    finishReason: null,
    usage: null,
    retries,
    failure: null,
  };
}
