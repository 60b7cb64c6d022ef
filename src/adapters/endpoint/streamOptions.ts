/**
 * `stream_options: {include_usage: true}` asks a streaming server for a last chunk with the token
 * counts the user sees. The protocol does not list the field: vLLM and OpenAI take it, but a strict
 * OpenAI-compatible server (a gateway validating with extra="forbid", an older proxy) refuses the
 * whole request with a 400 that names it. The client then asks once more without it, and
 * remembers the refusal per endpoint for the rest of the session (the page's life), so that later
 * requests to that endpoint neither pay the extra round trip nor fail.
 */
import type { EndpointFailure } from '../../core/agent/ports';

/** The endpoints (by base URL) that refused `stream_options` in this session. */
export class StreamOptionsMemory {
  private readonly refusing = new Set<string>();

  accepts(baseUrl: string): boolean {
    return !this.refusing.has(endpointKey(baseUrl));
  }

  rememberRefusal(baseUrl: string): void {
    this.refusing.add(endpointKey(baseUrl));
  }
}

/** Shared by every client of the page: a client is made per query, the memory outlives it. */
export const sessionStreamOptions = new StreamOptionsMemory();

/** A 400 whose message names the field: "Unrecognized request argument supplied: stream_options", pydantic's `('body', 'stream_options')`. */
export function refusesStreamOptions(failure: EndpointFailure): boolean {
  return failure.status === 400 && /stream_options/i.test(failure.detail);
}

/** One key per endpoint whatever the spelling: `http://h:8000/v1/` and `http://h:8000/v1` are the same. */
function endpointKey(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, '');
}
