/**
 * A dataset_info.json is read, parsed and checked in a worker (datasetImport.worker.ts): 110,000
 * records are ~50 MB of JSON, which would hold the UI thread for seconds. The File crosses by
 * reference; progress comes back as it goes, then the checked records. The worker starts on the
 * first import.
 */
import { proxy, wrap, type Remote } from 'comlink';
import type { DatasetImportProgress } from '../../core/qa/datasetImport';
import type { V2pDatasetParse } from '../../core/qa/schemas';
import type { DatasetParser } from '../../workers/datasetImport.worker';

export function createWorkerDatasetParser(): (file: Blob, name: string, onProgress: (p: DatasetImportProgress) => void) => Promise<V2pDatasetParse> {
  let remote: Remote<DatasetParser> | null = null;
  return (file, name, onProgress) => {
    remote ??= wrap<DatasetParser>(new Worker(new URL('../../workers/datasetImport.worker.ts', import.meta.url), { type: 'module', name: 'dataset-import' }));
    return remote.parse(file, name, proxy(onProgress));
  };
}
