/**
 * Imported JSON (a dataset_info.json, a coco.json) is read, parsed and checked in a worker
 * (datasetImport.worker.ts): 110,000 records are ~50 MB of JSON, which would hold the UI thread
 * for seconds. The File crosses by reference; dataset progress comes back as it goes, then the
 * checked result.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { CocoMasksRequest, YouTubeVisForVideos } from '../../core/formats/cocoMasks';
import type { DatasetImportProgress } from '../../core/qa/datasetImport';
import type { V2pDatasetParse } from '../../core/qa/schemas';
import type { DatasetParser } from '../../workers/datasetImport.worker';

/** The import worker's two parsers; one worker, started on the first import. */
export function createWorkerImportParsers(): {
  parseDataset(file: Blob, name: string, onProgress: (p: DatasetImportProgress) => void): Promise<V2pDatasetParse>;
  parseCocoMasks(file: Blob, name: string, request: CocoMasksRequest): Promise<YouTubeVisForVideos>;
} {
  let remote: Remote<DatasetParser> | null = null;
  const worker = (): Remote<DatasetParser> => (remote ??= wrap<DatasetParser>(new Worker(new URL('../../workers/datasetImport.worker.ts', import.meta.url), { type: 'module', name: 'dataset-import' })));
  return {
    parseDataset: (file, name, onProgress) => worker().parse(file, name, proxy(onProgress)),
    parseCocoMasks: (file, name, request) => worker().cocoMasks(file, name, request),
  };
}
