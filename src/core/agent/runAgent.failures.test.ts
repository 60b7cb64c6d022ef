import { describe, expect, it } from 'vitest';
import { failure, reply, untilAborted } from '../../testing/agentFakes';
import { BASE_RETRY_MS, describeFailure, MAX_RETRY_WAIT_MS, retryDelayMs } from './agentRound';
import { CROP_ARGS, harness, VIDEO, VP_ARGS } from '../../testing/agentTestKit';
import type { StreamChunk } from './streamAssembler';

const ANSWER = reply('<think>It holds a phone.</think>\n<answer>B</answer>');
const VP_CALL = reply('<think>Look.</think>', [{ id: 'c1', name: 'view_visual_prompt', arguments: VP_ARGS }]);
const CROP_CALL = reply('<think>Crop.</think>', [{ id: 'c2', name: 'crop_video', arguments: CROP_ARGS }]);
const chunk = (content: string): StreamChunk => ({ choices: [{ index: 0, delta: { content } }] });

describe('retries of a 429 or 5xx', () => {
  it('retries a 429 after 1 s, records it, and succeeds', async () => {
    const h = harness([failure('rate-limited', 429), ANSWER]);
    const { trajectory: t } = await h.run();
    expect(h.clock.sleeps).toEqual([1000]);
    expect(h.client.calls).toBe(2);
    expect(t.rounds).toHaveLength(1);
    expect(t.rounds[0]!.retries).toEqual([{ failure: { kind: 'rate-limited', status: 429, detail: '', retryAfterS: null }, waitMs: 1000 }]);
    expect(t.rounds[0]!.failure).toBeNull();
    expect([t.status, t.answer, t.problems]).toEqual(['done', 'B', []]);
    // The retried request is the same request.
    expect(h.client.requests[1]).toEqual(h.client.requests[0]);
  });

  it('honours Retry-After, capped at 30 s', async () => {
    const h = harness([failure('rate-limited', 429, 7), failure('server', 503, 120), ANSWER]);
    const { trajectory: t } = await h.run();
    expect(h.clock.sleeps).toEqual([7000, MAX_RETRY_WAIT_MS]);
    expect(t.rounds[0]!.retries.map((r) => r.waitMs)).toEqual([7000, 30_000]);
  });

  it('backs off 1, 2, 4 s, and the round starts afresh after a retry', async () => {
    const h = harness([failure('server', 500), failure('server', 502), failure('rate-limited', 429), ANSWER]);
    const { trajectory: t } = await h.run();
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(t.status).toBe('done');
    expect(t.rounds[0]!.latencyMs).toBe(250);
    expect(t.rounds[0]!.content).toBe('<think>It holds a phone.</think>\n<answer>B</answer>');
  });

  it('shows the retry while waiting', async () => {
    const h = harness([failure('server', 500), ANSWER]);
    await h.run();
    expect(h.updates.some((u) => u.status === 'running' && u.rounds[0]?.retries.length === 1 && u.rounds[0].latencyMs === null)).toBe(true);
  });

  it('retryDelayMs and describeFailure', () => {
    const f = { kind: 'server' as const, status: 500, detail: 'boom', retryAfterS: null };
    expect([0, 1, 2, 3, 10].map((r) => retryDelayMs(f, r))).toEqual([BASE_RETRY_MS, 2000, 4000, 8000, 30_000]);
    expect(retryDelayMs({ ...f, retryAfterS: 0 }, 2)).toBe(0);
    expect(retryDelayMs({ ...f, retryAfterS: 1.5 }, 0)).toBe(1500);
    expect(describeFailure(f, 3)).toBe('The server failed (HTTP 500) after 3 retries: boom');
    expect(describeFailure({ kind: 'timeout', status: null, detail: '', retryAfterS: null })).toBe('The server did not answer in time');
    expect(describeFailure({ ...f, kind: 'rate-limited', status: 429, detail: '' }, 1)).toBe('The server is limiting the request rate (HTTP 429) after 1 retry');
  });
});

describe('a round that fails for good, and resuming it', () => {
  it('a 500 every time: failed after 3 retries, with an endpoint problem and a resume', async () => {
    const h = harness([VP_CALL, failure('server', 500, null, 'CUDA out of memory'), failure('server', 500), failure('server', 500), failure('server', 500)]);
    const { trajectory: t, resume } = await h.run();
    expect(h.clock.sleeps).toEqual([1000, 2000, 4000]);
    expect(t.status).toBe('failed');
    expect(t.answer).toBeNull();
    expect(t.rounds).toHaveLength(2);
    expect(t.rounds[1]!.retries).toHaveLength(3);
    expect(t.rounds[1]!.failure).toEqual({ kind: 'server', status: 500, detail: '', retryAfterS: null });
    expect(t.problems).toEqual([{ kind: 'endpoint', message: 'The server failed (HTTP 500) after 3 retries' }]);
    expect(t.response).toBe('<think>Look.</think>\n<tool_call>\n{"name": "view_visual_prompt", "arguments": {"frame_path": "vtest/frame_000005.jpg"}}\n</tool_call>');
    expect(resume).not.toBeNull();
    expect(resume!.trajectory).toBe(t);
    expect(resume!.messages).toEqual(h.client.requests[1]!.messages);
    expect(resume!.shape).toEqual({ mode: 'tool', tools: { viewVisualPrompt: true, cropVideo: true } });
  });

  it('resuming retries that round with the same messages and continues the same trajectory', async () => {
    const h = harness([VP_CALL, failure('server', 500), failure('server', 500), failure('server', 500), failure('server', 500), CROP_CALL, ANSWER]);
    const first = await h.run();
    h.clock.time += 60_000;
    const updatesBefore = h.updates.length;
    const second = await h.run(first.resume!);
    const t = second.trajectory;
    expect(h.client.requests[5]).toEqual(h.client.requests[1]);
    expect(h.environment.encodeCalls).toHaveLength(2); // the video once, the crop once: nothing encoded again
    expect(h.updates[updatesBefore]!.status).toBe('running');
    expect([t.status, t.answer, t.problems, second.resume]).toEqual(['done', 'B', [], null]);
    expect(t.startedAt).toBe(first.trajectory.startedAt);
    expect(t.rounds.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(t.rounds[0]).toEqual(first.trajectory.rounds[0]);
    // The failed attempt is replaced; its history is kept in the new attempt's retries.
    expect(t.rounds[1]!.failure).toBeNull();
    expect(t.rounds[1]!.retries.map((r) => [r.waitMs, r.manual ?? false])).toEqual([
      [1000, false],
      [2000, false],
      [4000, false],
      [60_000, true],
    ]);
    expect(t.rounds[1]!.content).toBe('<think>Crop.</think>');
    expect(t.format?.ok).toBe(true);
  });

  it('a resumed round that fails again counts only its own retries', async () => {
    const h = harness([failure('unreachable'), failure('rate-limited', 429), failure('timeout')]);
    const first = await h.run();
    expect(first.trajectory.problems).toEqual([{ kind: 'endpoint', message: 'The server could not be reached' }]);
    const second = await h.run(first.resume!);
    expect(second.trajectory.status).toBe('failed');
    expect(second.trajectory.problems).toEqual([{ kind: 'endpoint', message: 'The server did not answer in time after 1 retry' }]);
    expect(second.trajectory.rounds).toHaveLength(1);
    expect(second.trajectory.rounds[0]!.retries.map((r) => [r.failure.kind, r.manual ?? false])).toEqual([
      ['unreachable', true],
      ['rate-limited', false],
    ]);
    expect(second.resume!.messages).toEqual(first.resume!.messages);
  });

  it('does not retry other failures', async () => {
    const h = harness([failure('unauthorized', 401, null, 'Invalid API key')]);
    const { trajectory: t, resume } = await h.run();
    expect(h.clock.sleeps).toEqual([]);
    expect(h.client.calls).toBe(1);
    expect(t.problems).toEqual([{ kind: 'endpoint', message: 'The server refused the API key (HTTP 401): Invalid API key' }]);
    expect(resume).not.toBeNull();
  });

  it('a stream cut short keeps what arrived in the failed round, and out of the response', async () => {
    const h = harness([{ kind: 'error', failure: { kind: 'truncated', status: 200, detail: '', retryAfterS: null }, chunks: [chunk('<think>half')] }]);
    const { trajectory: t } = await h.run();
    expect(t.status).toBe('failed');
    expect(t.rounds[0]!.content).toBe('<think>half');
    expect(t.rounds[0]!.firstTokenMs).toBe(40);
    expect(t.response).toBe('');
    expect(t.problems).toEqual([{ kind: 'endpoint', message: 'The response ended before it was complete (HTTP 200)' }]);
  });

  it('an error that is not an EndpointError is a bad response', async () => {
    const h = harness([{ kind: 'throw', error: new TypeError('body is not JSON') }]);
    const { trajectory: t } = await h.run();
    expect(t.rounds[0]!.failure).toEqual({ kind: 'bad-response', status: null, detail: 'body is not JSON', retryAfterS: null });
    expect(t.problems).toEqual([{ kind: 'endpoint', message: 'The server response could not be read: body is not JSON' }]);
  });
});

describe('cancel', () => {
  it('during a request: cancelled, with the partial content kept', async () => {
    const h = harness([VP_CALL, { kind: 'hang', chunks: [chunk('<think>The target'), chunk(' is')] }]);
    const pending = h.run();
    await waitFor(() => h.updates.at(-1)?.rounds[1]?.content === '<think>The target is');
    h.controller.abort();
    const { trajectory: t, resume } = await pending;
    expect([t.status, t.answer, t.problems, resume]).toEqual(['cancelled', null, [], null]);
    expect(t.rounds[1]!.content).toBe('<think>The target is');
    expect(t.rounds[1]!.latencyMs).toBeNull();
    expect(t.finishedAt).not.toBeNull();
    expect(h.updates.at(-1)).toBe(t);
  });

  it('even when the client ignores the signal', async () => {
    const h = harness([{ kind: 'hang', chunks: [chunk('<think>x')], ignoreSignal: true }]);
    const pending = h.run();
    await waitFor(() => h.updates.at(-1)?.rounds[0]?.content === '<think>x');
    h.controller.abort();
    const { trajectory: t } = await pending;
    expect(t.status).toBe('cancelled');
    expect(t.rounds[0]!.content).toBe('<think>x');
  });

  it('during encoding of the video: cancelled, no round sent', async () => {
    const h = harness([ANSWER]);
    h.environment.encodeFailures = ['hang'];
    const pending = h.run();
    await waitFor(() => h.environment.encodeCalls.length === 1);
    h.controller.abort();
    const { trajectory: t } = await pending;
    expect([t.status, t.rounds, t.frames]).toEqual(['cancelled', [], []]);
    expect(h.client.calls).toBe(0);
    expect(h.updates.map((u) => u.status)).toEqual(['preparing', 'cancelled']);
  });

  it('during a backoff sleep: cancelled, the retry note kept', async () => {
    const h = harness([failure('rate-limited', 429), ANSWER]);
    h.clock.sleepHook = (_, signal) => untilAborted(signal);
    const pending = h.run();
    await waitFor(() => h.clock.sleeps.length === 1);
    h.controller.abort();
    const { trajectory: t } = await pending;
    expect(t.status).toBe('cancelled');
    expect(t.rounds[0]!.retries).toHaveLength(1);
    expect(h.client.calls).toBe(1);
  });

  it('during a tool: cancelled, the call marked as cancelled', async () => {
    const h = harness([VP_CALL, ANSWER]);
    h.environment.visualPromptFailure = 'hang';
    const pending = h.run();
    await waitFor(() => h.environment.visualPromptCalls.length === 1);
    h.controller.abort();
    const { trajectory: t } = await pending;
    expect(t.status).toBe('cancelled');
    expect(t.rounds[0]!.toolCalls[0]).toMatchObject({ status: 'failed', error: 'Cancelled' });
    expect(h.client.calls).toBe(1);
  });

  it('before the start: cancelled at once', async () => {
    const h = harness([ANSWER]);
    h.controller.abort();
    const { trajectory: t } = await h.run();
    expect(t.status).toBe('cancelled');
    expect(h.client.calls).toBe(0);
  });
});

describe('environment failures', () => {
  it('a tool whose frames cannot be encoded answers the model with an error and goes on', async () => {
    const h = harness([CROP_CALL, ANSWER]);
    h.environment.encodeFailures = [null, new Error('decoder closed')];
    const { trajectory: t } = await h.run();
    const message = 'Could not extract frames from the video (decoder closed)';
    expect(h.client.requests[1]!.messages[2]).toEqual({ role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: `Tool execution failed: ${message}` }] });
    expect(t.rounds[0]!.toolCalls[0]).toMatchObject({ status: 'failed', error: message });
    expect([t.status, t.answer, t.problems]).toEqual(['done', 'B', [{ kind: 'environment', message }]]);
  });

  it('the visual prompt frame failing is an error text too', async () => {
    const h = harness([VP_CALL, ANSWER]);
    h.environment.visualPromptFailure = new Error('no prompt drawn');
    const { trajectory: t } = await h.run();
    expect(t.rounds[0]!.toolCalls[0]!.error).toBe('Could not load the visual prompt frame (no prompt drawn)');
    expect(t.status).toBe('done');
  });

  it('the video frames failing to encode fails the query before any request, without resume', async () => {
    const h = harness([ANSWER]);
    h.environment.encodeFailures = [new Error('out of memory')];
    const { trajectory: t, resume } = await h.run();
    expect([t.status, t.problems, resume]).toEqual(['failed', [{ kind: 'environment', message: 'Could not encode the video frames: out of memory' }], null]);
    expect(h.client.calls).toBe(0);
  });

  it('a video without frames, or a question with too many options, fails with a reason', async () => {
    const empty = harness([ANSWER], {}, undefined, { ...VIDEO, timestamps: [] });
    expect((await empty.run()).trajectory.problems).toEqual([{ kind: 'environment', message: 'The video has no frames' }]);
    const five = harness([ANSWER], {}, { question: 'Q?', options: ['a', 'b', 'c', 'd', 'e'] });
    const { trajectory: t } = await five.run();
    expect(t.status).toBe('failed');
    expect(t.problems[0]!.message).toBe('The question cannot be asked: At most 4 options (A-D), got 5');
  });
});

/** Lets the loop run until `ready` holds (the fakes settle on microtasks). */
async function waitFor(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !ready(); i++) await Promise.resolve();
  if (!ready()) throw new Error('waitFor: never ready');
}

