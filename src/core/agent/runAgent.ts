/**
 * The VideoSeeker agent loop (protocol §2): the browser is the model's environment. It sends the
 * sampled frames and the question, then round after round runs the tools the model calls and
 * sends back their images, until the model answers. Pure: the endpoint, the video and time are
 * ports (AgentDeps), so the whole loop runs in tests with fakes.
 *
 * Outcomes (runAgent always resolves, never rejects):
 * - 'done': the model answered, or still called tools after settings.maxToolRounds tool rounds
 *   (those calls are not run; a 'round-limit' problem). A missing answer is a 'no-answer' problem.
 * - 'failed': a model call failed for good (after the automatic retries of a 429 / 5xx), with an
 *   'endpoint' problem and an AgentResume to retry that round; or the video could not be prepared
 *   (an 'environment' problem, no resume: just run again).
 * - 'cancelled': run.signal aborted; the trajectory keeps whatever had arrived, the running
 *   round its partial content.
 */
import { Cancelled, errorMessage } from './abortable';
import { readAnswer, responseText } from './agentAnswer';
import { describeFailure, requestRound } from './agentRound';
import { newRound, sumUsage, TrajectoryState } from './agentState';
import { encodeAll, executeCall, frameRef, planToolTurn, type ToolEnvironment, type ToolTurn } from './agentTools';
import type { AgentDeps, AgentQuestion, AgentResult, AgentResume, AgentRun, AgentVideo, QueryShape } from './agentTypes';
import { chatRequest, firstUserMessage, type ChatMessage, type UserMessage } from './messages';
import { buildUserText, replaceVp, type VisualPromptType } from './prompts';
import { questionFramePlan } from './framePlan';
import type { EndpointSettings } from './settings';
import { toolSchemas, type ToolSchema } from './tools';
import type { RetryNote, RoundRecord, Trajectory } from './trajectory';

export type { AgentDeps, AgentQuestion, AgentResult, AgentResume, AgentRun, AgentVideo, QueryShape } from './agentTypes';

/** The question with its `<vp>` placeholders replaced by the visual prompt's phrase (§3). */
export function applyVp(question: string, type: VisualPromptType, n?: number): string {
  return replaceVp(question, type, n);
}

/** The preparation of the first message failed (the video, the encoder, or the question itself). */
class PreparationError extends Error {}

/**
 * Runs one query, or resumes one that failed at a model call (`resume` from its result; pass the
 * same question and video). A resumed query keeps its mode and tools (resume.shape) and its
 * conversation; the request options (timeout, max_tokens, temperature, stream) and the round
 * limit come from `settings`, so a retry can use a longer timeout.
 */
export async function runAgent(
  settings: EndpointSettings,
  model: string,
  question: AgentQuestion,
  video: AgentVideo,
  deps: AgentDeps,
  run: AgentRun,
  resume?: AgentResume,
): Promise<AgentResult> {
  const shape: QueryShape = resume?.shape ?? { mode: settings.mode, tools: settings.tools };
  // Tool mode with every tool disabled is reasoning mode (buildUserText writes no TOOL_PROMPT).
  const schemas = shape.mode === 'tool' ? toolSchemas(shape.tools) : [];
  const start = resume ? resumed(resume, deps.clock.now()) : fresh(settings, shape, question, video, deps.clock.now());
  const loop = new AgentLoop(settings, model, question, video, deps, run, shape, schemas, new TrajectoryState(start.trajectory, run.onUpdate));
  return loop.run(start);
}

interface Start {
  readonly trajectory: Trajectory;
  /** null: the first message still has to be made. */
  readonly messages: readonly ChatMessage[] | null;
  /** Notes to put in the first round sent (a resumed round's history). */
  readonly retries: readonly RetryNote[];
  readonly setupError: string | null;
}

function fresh(settings: EndpointSettings, shape: QueryShape, question: AgentQuestion, video: AgentVideo, now: number): Start {
  let userText = '';
  let setupError: string | null = null;
  try {
    userText = buildUserText({ mode: shape.mode, question: question.question, options: question.options, videoPath: video.videoPath, framePath: video.framePath, tools: shape.tools });
  } catch (error) {
    setupError = `The question cannot be asked: ${errorMessage(error)}`;
  }
  const trajectory: Trajectory = {
    status: 'preparing',
    userText,
    frames: [],
    rounds: [],
    answer: null,
    response: '',
    format: null,
    problems: [],
    startedAt: now,
    finishedAt: null,
    usage: null,
  };
  return { trajectory, messages: null, retries: [], setupError };
}

/**
 * A failed query picked up again. The failed round's record is replaced by the new attempt (so
 * `rounds` stays one record per model call that counts, and the response holds no half-streamed
 * text); its history moves into the new attempt's `retries`: its automatic retries, then its final
 * failure marked `manual`.
 */
function resumed(resume: AgentResume, now: number): Start {
  const t = resume.trajectory;
  const failedRound = t.rounds[t.rounds.length - 1];
  const rounds = t.rounds.slice(0, -1);
  const retries: RetryNote[] = [...(failedRound?.retries ?? [])];
  if (failedRound?.failure) retries.push({ failure: failedRound.failure, waitMs: Math.max(0, now - (t.finishedAt ?? now)), manual: true });
  const trajectory: Trajectory = {
    ...t,
    status: 'running',
    rounds,
    answer: null,
    response: responseText(rounds),
    format: null,
    problems: t.problems.filter((p) => p.kind !== 'endpoint'),
    finishedAt: null,
    usage: sumUsage(rounds),
  };
  return { trajectory, messages: resume.messages, retries, setupError: null };
}

class AgentLoop {
  private readonly messages: ChatMessage[] = [];

  constructor(
    private readonly settings: EndpointSettings,
    private readonly model: string,
    private readonly question: AgentQuestion,
    private readonly video: AgentVideo,
    private readonly deps: AgentDeps,
    private readonly agentRun: AgentRun,
    private readonly shape: QueryShape,
    private readonly schemas: readonly ToolSchema[],
    private readonly state: TrajectoryState,
  ) {}

  private get signal(): AbortSignal {
    return this.agentRun.signal;
  }

  async run(start: Start): Promise<AgentResult> {
    try {
      if (start.setupError !== null) throw new PreparationError(start.setupError);
      this.messages.push(...(start.messages ?? [await this.firstMessage()]));
      return await this.loop(start.retries);
    } catch (error) {
      if (error instanceof Cancelled || this.signal.aborted) return this.cancelled();
      // An unexpected error is still an outcome the UI can show, not a rejected promise.
      const message = error instanceof PreparationError ? error.message : `Internal error: ${errorMessage(error)}`;
      this.state.addProblem({ kind: 'environment', message });
      return this.end('failed', null);
    }
  }

  /** The labelled frames of the whole video, then USER_TEXT (§2.1). */
  private async firstMessage(): Promise<UserMessage> {
    const { video, settings } = this;
    if (video.timestamps.length === 0) throw new PreparationError('The video has no frames');
    let images;
    let sample;
    try {
      sample = questionFramePlan(settings, video);
      images = await encodeAll(this.deps.environment, sample.indices, sample.encode, this.signal);
    } catch (error) {
      if (error instanceof Cancelled || this.signal.aborted) throw error;
      throw new PreparationError(`Could not encode the video frames: ${errorMessage(error)}`);
    }
    const frames = images.map((image, k) => frameRef(sample.indices[k]!, sample.times[k]!, image));
    this.state.set({ frames, status: 'running' });
    return firstUserMessage(
      images.map((image, k) => ({ timeS: sample.times[k]!, url: image.url })),
      this.state.value.userText,
    );
  }

  private async loop(carried: readonly RetryNote[]): Promise<AgentResult> {
    const { state, settings, deps } = this;
    for (let retries = carried; ; retries = []) {
      if (this.signal.aborted) throw new Cancelled();
      const index = state.value.rounds.length;
      state.addRound(newRound(index, deps.clock.now(), retries));
      const request = chatRequest(this.model, this.messages, this.schemas, settings.stream, { maxTokens: settings.maxTokens, temperature: settings.temperature });
      const outcome = await requestRound({ state, roundIndex: index, request, client: deps.client, clock: deps.clock, signal: this.signal, timeoutS: settings.timeoutS });
      if (!outcome.ok) return this.failedRound(index);
      // Calls are looked for only when tools were offered: in the other modes a `<tool_call>` in
      // the text is just text, and the response ends the query.
      const turn = this.schemas.length > 0 ? planToolTurn(outcome.message, index) : null;
      if (turn === null) break;
      // Each earlier round was a tool round, so `index` tool rounds have been run.
      if (index >= settings.maxToolRounds) {
        this.notExecuted(index, turn);
        break;
      }
      await this.runTools(index, turn);
    }
    return this.end('done', null);
  }

  private async runTools(index: number, turn: ToolTurn): Promise<void> {
    const { state } = this;
    state.patchRound(index, {
      toolCalls: turn.calls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments, origin: c.origin, status: 'running', images: [], error: null, ms: null })),
    });
    this.messages.push(turn.assistant);
    const env: ToolEnvironment = { environment: this.deps.environment, video: this.video, settings: this.settings, tools: this.shape.tools, signal: this.signal };
    for (const [k, call] of turn.calls.entries()) {
      const began = this.deps.clock.now();
      const result = await executeCall(call, env);
      this.messages.push(result.message);
      state.patchCall(index, k, { status: result.error === null ? 'done' : 'failed', images: result.images, error: result.error, ms: this.deps.clock.now() - began });
      if (result.environmentError !== null) state.addProblem({ kind: 'environment', message: result.environmentError });
    }
  }

  /** The model called tools once more than allowed: its calls are recorded, not run. */
  private notExecuted(index: number, turn: ToolTurn): void {
    const n = this.settings.maxToolRounds;
    const rounds = `${n} ${n === 1 ? 'round' : 'rounds'}`;
    this.state.patchRound(index, {
      toolCalls: turn.calls.map((c) => ({
        id: c.id,
        name: c.name,
        arguments: c.arguments,
        origin: c.origin,
        status: 'failed',
        images: [],
        error: `Not executed: the limit is ${rounds} of tool calls`,
        ms: null,
      })),
    });
    this.state.addProblem({ kind: 'round-limit', message: `The model still called tools after ${rounds}` });
  }

  private failedRound(index: number): AgentResult {
    const round: RoundRecord = this.state.round(index);
    // Only this attempt's automatic retries count; an earlier attempt's end in `manual`.
    const lastManual = round.retries.map((r) => r.manual === true).lastIndexOf(true);
    const retries = round.retries.length - lastManual - 1;
    this.state.addProblem({ kind: 'endpoint', message: describeFailure(round.failure!, retries) });
    return this.end('failed', { trajectory: this.state.value, messages: [...this.messages], shape: this.shape });
  }

  private cancelled(): AgentResult {
    const index = this.state.value.rounds.length - 1;
    const round = this.state.value.rounds[index];
    // Calls the cancel caught before they finished were never answered.
    if (round?.toolCalls.some((c) => c.status === 'running')) {
      this.state.patchRound(index, { toolCalls: round.toolCalls.map((c) => (c.status === 'running' ? { ...c, status: 'failed', error: 'Cancelled' } : c)) });
    }
    return this.end('cancelled', null);
  }

  private end(status: 'done' | 'failed' | 'cancelled', resume: AgentResume | null): AgentResult {
    const { state } = this;
    const finishedAt = this.deps.clock.now();
    if (status !== 'done') {
      state.set({ status, response: responseText(state.value.rounds), finishedAt });
    } else {
      const found = readAnswer({ direct: this.shape.mode === 'direct', withTools: this.schemas.length > 0, multipleChoice: this.question.options.length > 0, rounds: state.value.rounds });
      state.set({
        status,
        answer: found.answer,
        response: found.response,
        format: found.format,
        problems: found.problem ? [...state.value.problems, found.problem] : state.value.problems,
        finishedAt,
      });
    }
    // The resume holds the final trajectory, so a retry continues from exactly what was shown.
    return { trajectory: state.value, resume: resume && { ...resume, trajectory: state.value } };
  }
}
