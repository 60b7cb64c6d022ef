/**
 * The endpoint settings of the "Ask VideoSeeker" loop: which server and model, which protocol
 * mode, and every sampling and loop limit the protocol leaves to the client. Defaults are the
 * protocol's (§1, §2.1, §2.3, §2.4). Stored settings come back from outside the program, so
 * `parseEndpointSettings` checks each field and falls back to its default when it is bad.
 */
import type { EnabledTools, Mode } from './prompts';

export type ImageFormat = 'jpeg' | 'png';

export interface FrameSamplingSettings {
  readonly fps: number;
  readonly maxFrames: number;
  readonly minPixels: number;
  readonly maxPixels: number;
  /** 28 (Qwen2.5-VL-style clients, the reference) or 32 (Qwen3-VL). */
  readonly factor: 28 | 32;
}

export interface CropSettings {
  readonly fps: number;
  readonly minFrames: number;
  readonly maxFrames: number;
  readonly maxPixels: number;
}

export interface EndpointSettings {
  readonly baseUrl: string;
  /** Sent only to `baseUrl`, as `Authorization: Bearer <key>`. */
  readonly apiKey: string;
  /** '' means: ask `GET {base}/models` and use the first. */
  readonly model: string;
  readonly mode: Mode;
  readonly tools: EnabledTools;
  readonly sampling: FrameSamplingSettings;
  readonly imageFormat: ImageFormat;
  /** JPEG quality in (0, 1]. */
  readonly jpegQuality: number;
  readonly crop: CropSettings;
  readonly maxToolRounds: number;
  readonly maxTokens: number;
  readonly temperature: number;
  /** Seconds without any response byte before a request is abandoned. */
  readonly timeoutS: number;
  readonly stream: boolean;
}

export const DEFAULT_ENDPOINT_SETTINGS: EndpointSettings = {
  baseUrl: 'http://localhost:8000/v1',
  apiKey: 'EMPTY',
  model: '',
  mode: 'tool',
  tools: { viewVisualPrompt: true, cropVideo: true },
  sampling: { fps: 1, maxFrames: 64, minPixels: 784, maxPixels: 200704, factor: 28 },
  imageFormat: 'jpeg',
  jpegQuality: 0.9,
  crop: { fps: 1, minFrames: 4, maxFrames: 64, maxPixels: 112896 },
  maxToolRounds: 5,
  maxTokens: 8192,
  temperature: 0,
  timeoutS: 120,
  stream: true,
};
