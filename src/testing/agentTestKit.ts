/**
 * Shared set-up of the runAgent tests (imported only by *.test.ts): a 4 s clip at 4 fps, 1280x720,
 * whose sampled frames and crops have times that exercise Python's tie rounding in the labels.
 */
import { FakeClient, FakeClock, FakeEnvironment, type Step } from './agentFakes';
import type { AgentQuestion, AgentResult, AgentResume, AgentVideo } from '../core/agent/agentTypes';
import { runAgent } from '../core/agent/runAgent';
import { DEFAULT_ENDPOINT_SETTINGS, type EndpointSettings } from '../core/agent/settings';
import type { Trajectory } from '../core/agent/trajectory';

export const VIDEO: AgentVideo = {
  timestamps: Array.from({ length: 16 }, (_, i) => i / 4),
  durationS: 4,
  width: 1280,
  height: 720,
  videoPath: 'vtest.mp4',
  framePath: 'vtest/frame_000005.jpg',
  visualPromptFrame: 5,
};

export const MC: AgentQuestion = { question: 'What is the target in the highlighted box holding?', options: ['A cup', 'A phone', 'A book', 'Nothing'] };
export const OPEN: AgentQuestion = { question: 'What is the target in the highlighted box holding?', options: [] };

export const VP_ARGS = '{"frame_path": "vtest/frame_000005.jpg"}';
export const CROP_ARGS = '{"video_path": "vtest.mp4", "start_time": 1, "end_time": 3}';

export interface Harness {
  readonly clock: FakeClock;
  readonly client: FakeClient;
  readonly environment: FakeEnvironment;
  readonly controller: AbortController;
  readonly updates: Trajectory[];
  readonly settings: EndpointSettings;
  run(resume?: AgentResume): Promise<AgentResult>;
}

export function harness(steps: readonly Step[], patch: Partial<EndpointSettings> = {}, question: AgentQuestion = MC, video: AgentVideo = VIDEO): Harness {
  const clock = new FakeClock();
  const client = new FakeClient(steps, clock);
  const environment = new FakeEnvironment();
  const controller = new AbortController();
  const updates: Trajectory[] = [];
  const settings: EndpointSettings = { ...DEFAULT_ENDPOINT_SETTINGS, ...patch };
  return {
    clock,
    client,
    environment,
    controller,
    updates,
    settings,
    run: (resume) => runAgent(settings, 'videoseeker-8b', question, video, { client, environment, clock }, { signal: controller.signal, onUpdate: (t) => updates.push(t) }, resume),
  };
}
