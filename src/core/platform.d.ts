/**
 * The few web-platform globals the core relies on. They are part of every JavaScript runtime
 * the app targets (browsers, workers, Node), but not of the ECMAScript library, and the core is
 * type-checked without the DOM library so that nothing else can slip in.
 */
declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly protocol: string;
  readonly host: string;
  readonly pathname: string;
  readonly origin: string;
}

/** Cancellation, as the loop passes it down to fetch and to the workers. */
interface AbortSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
  throwIfAborted(): void;
}

declare class AbortController {
  constructor();
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
