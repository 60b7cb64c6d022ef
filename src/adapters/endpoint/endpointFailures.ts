/**
 * Turning what an OpenAI-compatible server said into an EndpointFailure: the kind from the HTTP
 * status and, where servers disagree on the status, from the message; the server's own message
 * as the detail; Retry-After in seconds.
 */
import { EndpointError, type EndpointErrorKind } from '../../core/agent/ports';

export const DETAIL_CHARS = 300;

export function endpointError(kind: EndpointErrorKind, detail = '', status: number | null = null, retryAfterS: number | null = null): EndpointError {
  return new EndpointError({ kind, status, detail: shorten(detail), retryAfterS });
}

/** vLLM: "The model `x` does not exist."; others: "model 'x' not found". */
const UNKNOWN_MODEL = /\bmodel\b[^.]{0,160}\b(does not exist|not found)/i;
/**
 * vLLM: "This model's maximum context length is 32768 tokens. However, you requested ...",
 * "The decoder prompt (length N) is longer than the maximum model length of M", "At most 8 image(s)
 * may be provided in one prompt" (limit_mm_per_prompt); others: "too long", "too many tokens".
 */
const TOO_LARGE = /context length|maximum model length|longer than the maximum|too long|too many tokens|at most \d+ (image|video)|limit_mm_per_prompt|too large/i;

export function kindOfStatus(status: number, message: string): EndpointErrorKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 413 || (status === 400 && TOO_LARGE.test(message))) return 'too-large';
  if (status === 404 || (status >= 400 && status < 500 && UNKNOWN_MODEL.test(message))) return 'unknown-model';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'http';
}

export function statusError(status: number, message: string, headers: Headers | null | undefined): EndpointError {
  return endpointError(kindOfStatus(status, message), message, status, parseRetryAfter(headers?.get('retry-after') ?? null, Date.now()));
}

/** Retry-After is either seconds or an HTTP-date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The human part of an error body: OpenAI `{error: {message}}`, vLLM's older top-level
 * `{object: "error", message}`, FastAPI's `{detail}`, or plain text / an HTML error page.
 */
export function messageOf(body: unknown, depth = 0): string {
  if (typeof body === 'string') return plainText(body);
  if (!isRecord(body) || depth > 2) return body === undefined || body === null ? '' : JSON.stringify(body);
  for (const key of ['message', 'detail', 'error']) {
    const value = body[key];
    if (typeof value === 'string' && value) return plainText(value);
    if (isRecord(value)) return messageOf(value, depth + 1);
    if (Array.isArray(value)) return JSON.stringify(value);
  }
  return JSON.stringify(body);
}

/** An HTML error page (a proxy's 502, a web server's 404) reduced to its title or its text. */
export function plainText(text: string): string {
  if (!/<(html|head|body|title|h1|p|pre|center)[\s>]/i.test(text)) return text.trim();
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1]?.trim();
  if (title) return title;
  return text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function shorten(text: string, max = DETAIL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The numeric `code` an error payload in a stream may carry (vLLM puts the HTTP status there). */
export function statusInPayload(payload: unknown): number | null {
  const code = isRecord(payload) ? payload.code : undefined;
  const status = typeof code === 'number' ? code : typeof code === 'string' && /^\d{3}$/.test(code) ? Number(code) : NaN;
  return status >= 400 && status < 600 ? status : null;
}
