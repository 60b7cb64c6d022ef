/**
 * A request body with its images set apart, so that the JSON text of a round need not be built as
 * one string. The images (64 question frames as data URLs, 3–4 MB, sent again in every round of
 * every item of a video) are the bulk of each body; the rest is a few kB. The endpoint adapter
 * serialises the body with a placeholder in place of each image URL, then sends the pieces of
 * that text with each image's text in its place (in the browser: a Blob of parts, whose image
 * parts are made once and shared by every request that sends them). The bytes on the wire are
 * exactly `JSON.stringify(body)`'s.
 */
import type { ChatMessage, ContentPart } from './messages';

/** A body with the URLs of its image parts replaced by placeholders, and those URLs (each once). */
export interface LiftedBody<T> {
  readonly body: T;
  readonly urls: readonly string[];
  /** How many placeholders were put in (a URL sent twice is two). */
  readonly placed: number;
}

/** A piece of the body's JSON text: text as it is, or the index of the URL whose text goes there. */
export type BodyPiece = string | number;

const placeholder = (token: string, k: number): string => `${token}${k}`;

/**
 * `body` with each image part's URL replaced by `${token}${k}`, k being the URL's index in `urls`.
 * `token` must not occur anywhere in the body (a random one: bodyPieces checks it did not).
 */
export function liftImageUrls<T extends { readonly messages: readonly ChatMessage[] }>(body: T, token: string): LiftedBody<T> {
  const index = new Map<string, number>();
  const urls: string[] = [];
  let placed = 0;
  const lift = (part: ContentPart): ContentPart => {
    if (part.type !== 'image_url') return part;
    const url = part.image_url.url;
    let k = index.get(url);
    if (k === undefined) {
      k = urls.push(url) - 1;
      index.set(url, k);
    }
    placed++;
    return { ...part, image_url: { ...part.image_url, url: placeholder(token, k) } };
  };
  const messages = body.messages.map((m): ChatMessage => (m.role === 'assistant' ? m : { ...m, content: m.content.map(lift) }));
  return { body: { ...body, messages }, urls, placed };
}

/**
 * The JSON text `json` (of a lifted body) cut at its `placed` placeholders: the text between them,
 * and the index of the URL each stood for. Null when the placeholders are not exactly those put
 * in (the token occurred elsewhere in the body): the caller then sends the whole text instead.
 */
export function bodyPieces(json: string, token: string, urlCount: number, placed: number): BodyPiece[] | null {
  const pieces: BodyPiece[] = [];
  const quoted = `"${token}`;
  let from = 0;
  for (;;) {
    const at = json.indexOf(quoted, from);
    if (at < 0) break;
    const start = at + quoted.length;
    let end = start;
    while (end < json.length && json.charCodeAt(end) >= 48 && json.charCodeAt(end) <= 57) end++;
    const k = Number(json.slice(start, end));
    if (end === start || json[end] !== '"' || !(k < urlCount)) return null;
    pieces.push(json.slice(from, at + 1), k);
    from = end;
  }
  pieces.push(json.slice(from));
  return pieces.length === 2 * placed + 1 ? pieces : null;
}

/** Characters JSON.stringify writes otherwise than as themselves inside a string. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string's text as it stands between the quotes of its JSON (a data URL: itself). */
export function jsonStringContent(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text).slice(1, -1) : text;
}

/** The whole JSON text from its pieces (what the pieces stand for, as one string). */
export function joinPieces(pieces: readonly BodyPiece[], urls: readonly string[]): string {
  return pieces.map((p) => (typeof p === 'string' ? p : jsonStringContent(urls[p]!))).join('');
}
