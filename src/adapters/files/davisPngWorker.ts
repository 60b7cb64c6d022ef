/**
 * Painting a frame's index map and deflating its PNG takes 12–44 ms a frame (854×480 to 1080p,
 * Node), so the DAVIS masks of a long propagated video would keep the UI thread busy for minutes:
 * the browser encodes them in a worker of their own (maskExport.worker.ts), a batch of frames per
 * call, the PNG buffers transferred back. The worker starts on the first export.
 */
import { wrap, type Remote } from 'comlink';
import type { DavisPng, DavisPngRequest } from '../../core/formats/davisIndex';
import type { MaskExporter } from '../../workers/maskExport.worker';

export function createWorkerDavisPngs(): (request: DavisPngRequest) => Promise<DavisPng[]> {
  let remote: Remote<MaskExporter> | null = null;
  const worker = (): Remote<MaskExporter> => (remote ??= wrap<MaskExporter>(new Worker(new URL('../../workers/maskExport.worker.ts', import.meta.url), { type: 'module', name: 'mask-export' })));
  return (request) => worker().davisPngs(request);
}
