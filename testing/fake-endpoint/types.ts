/**
 * Shapes shared by the fake endpoint's parts: the request as the double understood it, what it
 * expects of the client, and the record a test reads back from `GET /__fake/requests`.
 */
import type { ImageInfo } from './images';
import type { ToolName } from './protocolText';

export type Role = 'user' | 'assistant' | 'tool' | 'system';

export type PartView = { readonly type: 'text'; readonly text: string } | { readonly type: 'image'; readonly image: ImageInfo };

export interface ToolCallView {
  readonly id: string;
  readonly name: string;
  /** The arguments string as the client sent it back. */
  readonly arguments: string;
}

export interface MessageView {
  readonly role: Role;
  /** Content as parts; a string content is one text part, null/absent none. */
  readonly parts: readonly PartView[];
  /** Whether content was a string (not a part list). */
  readonly stringContent: boolean;
  readonly toolCalls: readonly ToolCallView[];
  readonly toolCallId: string | null;
}

/** A chat request that passed the vLLM-level checks. */
export interface ChatRequestView {
  readonly model: string | null;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** Names of the offered tools, in request order; [] without tools. */
  readonly tools: readonly ToolName[];
  readonly messages: readonly MessageView[];
}

/** What the test knows about the client's video and settings; unknown parts are not checked. */
export interface Expectations {
  readonly video: {
    readonly width?: number;
    readonly height?: number;
    readonly durationS?: number;
    /** Frame rate of the source video: tightens crop label tolerance and frame counts. */
    readonly fps?: number;
  };
  /** Whole-video sampling of the first user message (§2.1 defaults). */
  readonly sampling: { readonly fps: number; readonly minFrames: number; readonly maxFrames: number; readonly minPixels: number; readonly maxPixels: number; readonly factor: number };
  /** crop_video's sampling (§2.3). */
  readonly crop: { readonly fps: number; readonly minFrames: number; readonly maxFrames: number; readonly minPixels: number; readonly maxPixels: number };
  /** At most this many tool rounds per query (§2.4). */
  readonly maxToolRounds: number;
}

export const DEFAULT_EXPECTATIONS: Expectations = {
  video: {},
  sampling: { fps: 1, minFrames: 1, maxFrames: 64, minPixels: 784, maxPixels: 200704, factor: 28 },
  crop: { fps: 1, minFrames: 4, maxFrames: 64, minPixels: 784, maxPixels: 112896 },
  maxToolRounds: 5,
};

export interface ImageSummary {
  readonly message: number;
  readonly part: number;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly bytes: number;
}

export interface ToolResultSummary {
  /** Index of the tool message in `messages`. */
  readonly message: number;
  readonly toolCallId: string;
  readonly name: string;
  readonly arguments: string;
  readonly outcome: 'success' | 'failure' | 'malformed';
  /** What a correct client had to return for this call. */
  readonly expected: string;
  /** The failure text (after "Tool execution failed: "), when a failure. */
  readonly failureMessage: string | null;
  /** `<t seconds>` labels of a crop_video result, as numbers. */
  readonly labels: readonly number[];
  readonly images: readonly ImageSummary[];
}

export interface ResponseSummary {
  readonly status: number;
  readonly content: string | null;
  readonly toolCalls: readonly { readonly id: string; readonly name: string; readonly arguments: string }[];
  readonly finishReason: string | null;
  /** What the double did when it was not a normal answer: 'hang', 'truncated', 'error-body'... */
  readonly note: string | null;
}

/** One request received by the double, as `GET /__fake/requests` returns it. */
export interface RequestRecord {
  readonly index: number;
  readonly at: string;
  readonly method: string;
  readonly path: string;
  readonly script: string;
  readonly origin: string | null;
  readonly authorization: string | null;
  readonly bodyBytes: number;
  readonly model: string | null;
  readonly stream: boolean;
  readonly roles: readonly Role[];
  /** Texts of every message, per message (image parts omitted). */
  readonly texts: readonly (readonly string[])[];
  /** The first user message's frames: labels and decoded sizes. */
  readonly frames: { readonly count: number; readonly labels: readonly number[]; readonly sizes: readonly { readonly width: number; readonly height: number }[] } | null;
  readonly userText: string | null;
  readonly videoPath: string | null;
  readonly framePath: string | null;
  /** Every image part of the request, decoded. */
  readonly images: readonly ImageSummary[];
  readonly toolResults: readonly ToolResultSummary[];
  /** Number of assistant messages with tool calls (tool rounds already done). */
  readonly toolRounds: number;
  /** Why the request was refused as vLLM would (400/404), or null. */
  readonly rejected: string | null;
  /** Protocol violations found in what the client sent (the request is refused when strict). */
  readonly problems: readonly string[];
  /** Checks that could not be made (e.g. video size unknown). */
  readonly notes: readonly string[];
  response: ResponseSummary | null;
}
