/** The UI thread's handle on the segmentation worker. Frames go in transferred; RLE comes back. */
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { ModelLoadProgress, SegmentRequest, SegmentResult, Segmenter, SegmenterInfo, TrackFramesRequest, TrackFramesResult, TrackStart } from '../../core/ports';
import type { EncoderKind } from '../../core/segmentation/encoders';
import type { LoadOptions, SegmentationService } from './segmentationService';

export function createWorkerSegmenter(options: LoadOptions): Segmenter<ImageBitmap> {
  const worker = new Worker(new URL('../../workers/segmentation.worker.ts', import.meta.url), { type: 'module', name: 'segmentation' });
  const api: Remote<SegmentationService> = wrap<SegmentationService>(worker);
  const died = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(`The segmentation worker failed: ${e.message || 'it did not start'}`))),
  );
  died.catch(() => undefined);
  return {
    load: (onProgress: (p: ModelLoadProgress) => void, encoder: EncoderKind): Promise<SegmenterInfo> => Promise.race([api.load(options, proxy(onProgress), encoder), died]),
    hasEmbedding: (frameKey: string) => api.hasEmbedding(frameKey),
    prepare: (frameKey: string, image: ImageBitmap) => Promise.race([api.prepare(frameKey, transfer(image, [image])), died]),
    segment: (request: SegmentRequest<ImageBitmap>): Promise<SegmentResult> =>
      Promise.race([api.segment(request.image ? transfer(request, [request.image]) : request), died]),
    startTrack: (request: TrackStart<ImageBitmap>) => Promise.race([api.startTrack(transfer(request, [request.anchorImage])), died]),
    trackFrames: (request: TrackFramesRequest<ImageBitmap>): Promise<TrackFramesResult> => Promise.race([api.trackFrames(transfer(request, [request.image])), died]),
    endTrack: (trackId: string) => void api.endTrack(trackId),
    dispose: () => worker.terminate(),
  };
}
