/** The UI thread's handle on the video worker: a FrameSource whose frames arrive as transferred bitmaps. */
import { wrap, type Remote } from 'comlink';
import type { EncodedImage } from '../../core/agent/ports';
import type { DecodedFrame, FrameEncodeOptions, FrameSource, VideoInfo } from '../../core/ports';
import { FrameDecodeError } from '../../core/video/damage';
import type { OpenFacts } from '../../core/video/openErrors';
import type { FrameService, OpenReply } from './webcodecs/frameService';

export type WorkerOpenResult =
  | { readonly ok: true; readonly source: FrameSource<ImageBitmap> }
  | { readonly ok: false; readonly facts: OpenFacts; readonly workerError?: string };

function startWorker(): { worker: Worker; api: Remote<FrameService> } {
  const worker = new Worker(new URL('../../workers/videoFrames.worker.ts', import.meta.url), {
    type: 'module',
    name: 'video-frames',
  });
  return { worker, api: wrap<FrameService>(worker) };
}

/**
 * A worker started ahead, its module loaded, for the next open: switching between the videos of a
 * dataset then does not wait for a worker to start. At most one is kept (a few MB idle).
 */
let spare: { worker: Worker; api: Remote<FrameService>; failed: boolean } | null = null;
let spareTimer: ReturnType<typeof setTimeout> | null = null;

function startSpare(): { worker: Worker; api: Remote<FrameService>; failed: boolean } {
  const s = { ...startWorker(), failed: false };
  // An error before anyone listens would go unseen and the first call would wait forever.
  s.worker.addEventListener('error', () => (s.failed = true), { once: true });
  return s;
}

function takeWorker(): { worker: Worker; api: Remote<FrameService> } {
  if (spare?.failed) spare.worker.terminate();
  const w = spare && !spare.failed ? spare : startWorker();
  spare = null;
  // The next one starts once this open is under way, not in its way.
  if (spareTimer === null) {
    spareTimer = setTimeout(() => {
      spareTimer = null;
      spare ??= startSpare();
    }, 1000);
  }
  return w;
}

/** Runs `call` against a fresh worker, failing cleanly if the worker itself dies. */
async function withWorker(call: (api: Remote<FrameService>) => Promise<OpenReply>): Promise<{ worker: Worker; api: Remote<FrameService>; reply: OpenReply }> {
  const { worker, api } = takeWorker();
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`The video worker failed: ${e.message || 'it did not start'}`)));
  });
  try {
    const reply = await Promise.race([call(api), died]);
    return { worker, api, reply };
  } catch (e) {
    worker.terminate();
    throw e;
  }
}

export async function openInWorker(blob: Blob, name: string): Promise<WorkerOpenResult> {
  const { worker, api, reply } = await withWorker((api) => api.open(blob, name));
  if (!reply.ok) {
    worker.terminate();
    return { ok: false, facts: reply.facts };
  }
  return { ok: true, source: new WorkerFrameSource(worker, api, reply.info, reply.timestamps) };
}

/** Exact frame times of a file without decoding it (for the media-element fallback). */
export async function probeInWorker(blob: Blob, name: string): Promise<OpenReply> {
  const { worker, reply } = await withWorker((api) => api.probe(blob, name));
  worker.terminate();
  return reply;
}

class WorkerFrameSource implements FrameSource<ImageBitmap> {
  private closed = false;

  constructor(
    private readonly worker: Worker,
    private readonly api: Remote<FrameService>,
    readonly info: VideoInfo,
    readonly timestamps: readonly number[],
  ) {}

  /** Rejects with a FrameDecodeError for a frame the file cannot give. */
  async getFrame(index: number): Promise<DecodedFrame<ImageBitmap>> {
    this.assertOpen();
    const r = await this.api.getFrame(index);
    if (!r.ok) throw new FrameDecodeError(r.problem);
    return { index, timeS: this.timestamps[index]!, image: r.value };
  }

  async getThumbnail(index: number): Promise<DecodedFrame<ImageBitmap>> {
    this.assertOpen();
    const r = await this.api.getThumbnail(index);
    if (!r.ok) throw new FrameDecodeError(r.problem);
    return { index: r.value.index, timeS: this.timestamps[r.value.index]!, image: r.value.bitmap };
  }

  encodeFrames(indices: readonly number[], options: FrameEncodeOptions): Promise<EncodedImage[]> {
    this.assertOpen();
    return this.api.encodeFrames([...indices], options);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Terminating the worker frees its decoders and every cached frame at once.
    this.worker.terminate();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The video was closed');
  }
}
