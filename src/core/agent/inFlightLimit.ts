/**
 * How many requests a browser really keeps in flight to the model server. Browsers open at most 6
 * connections to one host over HTTP/1.1 (Chromium's and Firefox's per-host limit) and speak
 * HTTP/2, whose streams share one connection, only over TLS. vLLM serves plain HTTP/1.1, so with an
 * `http:` endpoint a batch run's "items at a time" above 6 has 6 requests at the server and the
 * rest waiting in the browser (measured: bench:batch --endpoint http1, 16 at once, 6 in flight).
 * Over `https:` it depends on what the server offers, which a page cannot see for another origin.
 */
export const HTTP1_CONNECTIONS_PER_HOST = 6;

export interface InFlightLimit {
  /** Requests in flight at most, or null when nothing is known to limit them. */
  readonly limit: number | null;
  /** The endpoint's origin as the browser reaches it (a relative base URL resolved against the page). */
  readonly origin: string | null;
}

/** The limit for an endpoint base URL (absolute, or relative to the page as the same-origin proxy's `/proxy/v1`). */
export function inFlightLimit(baseUrl: string, pageUrl: string): InFlightLimit {
  let url: URL;
  try {
    url = new URL(baseUrl.trim(), pageUrl);
  } catch {
    return { limit: null, origin: null };
  }
  if (url.protocol === 'http:') return { limit: HTTP1_CONNECTIONS_PER_HOST, origin: url.origin };
  return { limit: null, origin: url.protocol === 'https:' ? url.origin : null };
}
