/**
 * Opens a picked, dropped or addressed video: fetches the bytes, then asks the WebCodecs worker
 * to index and decode it, and falls back to the media element when WebCodecs is missing or
 * cannot read the file. Every failure becomes one clear message (see core/video/openErrors).
 */
import type { OpenOutcome, OpenProgress, VideoOpener, VideoRequest } from '../../core/ports';
import { classifyOpenFailure, nameFromUrl, unknownFacts, urlOpenError, type OpenFacts } from '../../core/video/openErrors';
import { openWithElement } from './elementFrameSource';
import { openInWorker, probeInWorker } from './workerFrameSource';

export interface VideoOpenerOptions {
  /** 'element' forces the media-element fallback (for testing it, and as an escape hatch). */
  readonly decoder: 'auto' | 'element';
}

async function download(url: string, onProgress: (p: OpenProgress) => void): Promise<{ ok: true; blob: Blob } | { ok: false; outcome: OpenOutcome<ImageBitmap> }> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    return { ok: false, outcome: { ok: false, error: urlOpenError(url, { network: e instanceof Error ? e.message : String(e) }) } };
  }
  if (!response.ok) {
    return { ok: false, outcome: { ok: false, error: urlOpenError(url, { status: response.status, statusText: response.statusText }) } };
  }
  const total = Number(response.headers.get('content-length')) || null;
  const type = response.headers.get('content-type') ?? '';
  if (response.body === null) return { ok: true, blob: new Blob([await response.arrayBuffer()], { type }) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.byteLength;
      onProgress({ phase: 'downloading', loaded, total });
    }
  } catch (e) {
    return {
      ok: false,
      outcome: { ok: false, error: urlOpenError(url, { network: `the download stopped after ${loaded} bytes: ${e instanceof Error ? e.message : String(e)}` }) },
    };
  }
  return { ok: true, blob: new Blob(chunks as BlobPart[], { type }) };
}

export function createVideoOpener(options: VideoOpenerOptions): VideoOpener<Blob, ImageBitmap> {
  return {
    async open(request: VideoRequest<Blob>, onProgress): Promise<OpenOutcome<ImageBitmap>> {
      let blob: Blob;
      let name: string;
      if (request.kind === 'url') {
        name = nameFromUrl(request.url);
        const got = await download(request.url, onProgress);
        if (!got.ok) return got.outcome;
        blob = got.blob;
      } else {
        blob = request.file;
        name = request.name;
      }
      onProgress({ phase: 'reading' });

      let facts: OpenFacts = unknownFacts(name, blob.size);
      if (blob.size === 0) return { ok: false, error: classifyOpenFailure(facts) };

      let known: Parameters<typeof openWithElement>[2] = null;
      const webCodecs = typeof VideoDecoder !== 'undefined' && options.decoder === 'auto';
      try {
        if (webCodecs) {
          const r = await openInWorker(blob, name);
          if (r.ok) return { ok: true, source: r.source, bytes: blob, notice: null };
          facts = r.facts;
        } else {
          const probe = await probeInWorker(blob, name);
          if (probe.ok) known = { info: probe.info, timestamps: probe.timestamps };
          else facts = probe.facts;
        }
      } catch (e) {
        facts = { ...facts, demuxError: e instanceof Error ? e.message : String(e) };
      }

      // A file WebCodecs cannot read may still play in a media element (some containers and
      // codecs only the element supports); a file neither can read gets explained.
      const el = await openWithElement(blob, name, known);
      if (el.ok) {
        const notice = webCodecs
          ? `“${name}” is shown through the browser's media player (slower stepping): ${facts.demuxError ?? 'WebCodecs could not decode it'}.`
          : options.decoder === 'element'
            ? null
            : 'This browser has no WebCodecs decoder; frames are found by seeking, which is slower.';
        return { ok: true, source: el.source, bytes: blob, notice };
      }
      return { ok: false, error: classifyOpenFailure({ ...facts, elementErrorCode: el.errorCode }) };
    },
  };
}
