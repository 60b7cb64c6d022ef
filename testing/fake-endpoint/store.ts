/**
 * What the double remembers of the requests it received: their records (for `/__fake/requests`)
 * and, for the latest ones, the image bytes (for `/__fake/pixel` and `/__fake/image`). Every round
 * resends all earlier images, so bytes are stored once per distinct image, reference-counted.
 */
import type { ProtocolFindings } from './protocol';
import type { RequestRecord } from './types';
import type { StoredImage } from './validate';

/** Requests older than this lose their image bytes; their records are kept. */
export const KEEP_IMAGES_FOR = 100;
const MAX_RECORDS = 2000;

export interface FoundImage {
  readonly payload: Buffer;
  readonly request: number;
  readonly message: number;
  readonly part: number;
}

export class RequestStore {
  private records: RequestRecord[] = [];
  private next = 0;
  private readonly payloads = new Map<number, ReadonlyMap<string, StoredImage>>();
  private readonly bytes = new Map<string, { payload: Buffer; refs: number }>();
  private readonly visualPromptAt = new Map<number, { message: number; part: number }>();

  nextIndex(): number {
    return this.next++;
  }

  list(since = 0): RequestRecord[] {
    return this.records.filter((r) => r.index >= since);
  }

  get size(): number {
    return this.records.length;
  }

  remember(record: RequestRecord, payloads: ReadonlyMap<string, StoredImage> | null, findings: ProtocolFindings | null): void {
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records = this.records.slice(-MAX_RECORDS);
    if (payloads !== null) {
      const kept = new Map<string, StoredImage>();
      for (const [at, { key, payload }] of payloads) {
        const entry = this.bytes.get(key) ?? { payload, refs: 0 };
        entry.refs++;
        this.bytes.set(key, entry);
        kept.set(at, { key, payload: entry.payload });
      }
      this.payloads.set(record.index, kept);
    }
    const vp = findings?.toolResults.find((t) => t.name === 'view_visual_prompt' && t.outcome === 'success' && t.images.length > 0);
    if (vp !== undefined) this.visualPromptAt.set(record.index, { message: vp.images[0]!.message, part: vp.images[0]!.part });
    this.forgetImages(record.index - KEEP_IMAGES_FOR);
  }

  private forgetImages(index: number): void {
    for (const { key } of this.payloads.get(index)?.values() ?? []) {
      const entry = this.bytes.get(key)!;
      if (--entry.refs === 0) this.bytes.delete(key);
    }
    this.payloads.delete(index);
    this.visualPromptAt.delete(index);
  }

  /** `request` (default: the latest) and `message`+`part`, or `visualPrompt=1`; a string says what is missing. */
  findImage(q: URLSearchParams): FoundImage | string {
    const request = q.has('request') ? Number(q.get('request')) : (this.records[this.records.length - 1]?.index ?? -1);
    const payloads = this.payloads.get(request);
    if (payloads === undefined) return `no image data kept for request ${request} (only the last ${KEEP_IMAGES_FOR} valid requests keep theirs)`;
    let at: { message: number; part: number } | undefined;
    if (q.get('visualPrompt') === '1') at = this.visualPromptAt.get(request);
    else if (q.has('message') && q.has('part')) at = { message: Number(q.get('message')), part: Number(q.get('part')) };
    if (at === undefined) return `request ${request}: give message and part, or visualPrompt=1 for a request holding a view_visual_prompt result`;
    const payload = payloads.get(`${at.message}:${at.part}`)?.payload;
    return payload === undefined ? `request ${request} has no image at message ${at.message} part ${at.part}` : { payload, request, ...at };
  }

  clear(): void {
    this.records = [];
    this.next = 0;
    this.payloads.clear();
    this.bytes.clear();
    this.visualPromptAt.clear();
  }
}
