/** A complete saved query (two rounds, both tools), for document and store tests. */
import type { SavedQuery } from '../core/agent/query';
import { DEFAULT_ENDPOINT_SETTINGS } from '../core/agent/settings';
import { querySettings } from '../core/agent/query';

export function sampleQuery(id = 'q-1', instanceId = 'a'): SavedQuery {
  return {
    id,
    createdAt: 1_700_000_000_000,
    instanceId,
    instanceName: 'Object 1',
    question: 'What is <vp> holding?',
    options: ['A bag', 'A phone'],
    sentQuestion: 'What is the target in the highlighted box holding?',
    visualPrompt: { type: 'rectangle', frame: 0, colour: '#ff2d2d' },
    settings: querySettings(DEFAULT_ENDPOINT_SETTINGS),
    model: 'videoseeker-8b',
    group: null,
    trajectory: {
      status: 'done',
      userText: 'You are a helpful assistant...',
      frames: [{ source: 'frame', index: 0, timeS: 0, width: 588, height: 336, bytes: 20_000 }],
      rounds: [
        {
          index: 0,
          startedAt: 1_700_000_000_100,
          requestBytes: 1_000_000,
          firstTokenMs: 300,
          latencyMs: 900,
          content: '<think>Look at the prompt.</think>',
          reasoning: '',
          toolCalls: [
            { id: 'call_1', name: 'view_visual_prompt', arguments: '{"frame_path": "v/frame_000000.jpg"}', origin: 'structured', status: 'done', images: [{ source: 'visual-prompt', frame: 0, width: 4, height: 3, bytes: 900 }], error: null, ms: 40 },
          ],
          finishReason: 'tool_calls',
          usage: { prompt_tokens: 5000, completion_tokens: 40, total_tokens: 5040 },
          retries: [{ failure: { kind: 'rate-limited', status: 429, detail: 'slow down', retryAfterS: 1 }, waitMs: 1000 }],
          failure: null,
        },
        {
          index: 1,
          startedAt: 1_700_000_001_100,
          requestBytes: 1_001_000,
          firstTokenMs: 200,
          latencyMs: 500,
          content: '<think>A bag.</think><answer>A</answer>',
          reasoning: '',
          toolCalls: [],
          finishReason: 'stop',
          usage: null,
          retries: [],
          failure: null,
        },
      ],
      answer: 'A',
      response: '<think>Look at the prompt.</think>\n<tool_call>...</tool_call>\n<think>A bag.</think><answer>A</answer>',
      format: { ok: true, reason: 'Well formed' },
      problems: [],
      startedAt: 1_700_000_000_000,
      finishedAt: 1_700_000_001_700,
      usage: { prompt_tokens: 5000, completion_tokens: 40, total_tokens: 5040 },
    },
  };
}
