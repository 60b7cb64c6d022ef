/** What the store needs from the outside world; the composition root passes the browser versions. */
import type { AgentClock, ChatClient } from '../core/agent/ports';
import type { Preferences, Segmenter, VideoOpener } from '../core/ports';
import type { ProjectRepository } from '../core/project/repository';

/** A drawable image the UI can show and must release (an ImageBitmap in the browser). */
export type FrameImage = ImageBitmap;

export interface Clock {
  now(): number;
  /** Calls `callback` before the next repaint; returns a cancel function. */
  nextFrame(callback: () => void): () => void;
}

export interface AppDeps {
  readonly videoOpener: VideoOpener<Blob, FrameImage>;
  readonly clock: Clock;
  readonly segmenter: Segmenter<FrameImage>;
  readonly projects: ProjectRepository<Blob>;
  /** A Chat Completions client for one endpoint (fetch in the browser, a fake in tests). */
  readonly chatClient: (endpoint: { readonly baseUrl: string; readonly apiKey: string }) => ChatClient;
  /** Wall-clock time and abortable sleeps for the agent loop (latency, retry backoff). */
  readonly agentClock: AgentClock;
  /** Small values kept on this machine only (the endpoint settings, API key included). */
  readonly preferences: Preferences;
}

